"""A compilation in French: month names, heading words and the order of day, month and year
come from its reader profile (tests/data/sources/french-compilation/source/corpus.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit.cli import main
from tests.conftest import ROOT

FRENCH = ROOT / "tests" / "data" / "sources" / "french-compilation"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def build(tmp_path: Path, reader_change=None) -> Path:
    target = tmp_path / "fr"
    shutil.copytree(FRENCH, target)
    if reader_change:
        config_path = target / "source" / "corpus.json"
        config = json.loads(config_path.read_text("utf-8"))
        reader_change(config["reader"])
        config_path.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(main, ["build", "--corpus", str(target), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    return target / "tei"


def creation_dates(tei: Path) -> dict[str, tuple]:
    out = {}
    for path in sorted(tei.glob("dlv-1*.xml")) + sorted(tei.glob("dlv-undated*.xml")):
        d = etree.parse(str(path)).find(".//t:profileDesc/t:creation/t:date", NS)
        out[path.stem] = None if d is None else (d.text, d.get("when"), d.get("from"), d.get("to"))
    return out


@pytest.fixture(scope="module")
def tei(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("french"))


def test_french_dates_are_read_in_the_profiles_month_names_and_order(tei):
    assert creation_dates(tei) == {
        "dlv-1921-03-03": ("3 mars 1921", "1921-03-03", None, None),
        "dlv-1921-04-01": ("1er avril 1921", "1921-04-01", None, None),
        "dlv-1921-08-12": ("12-14 août 1921", None, "1921-08-12", "1921-08-14"),
    }


def test_french_heading_words_open_the_documents_and_only_them(tei):
    titles = [etree.parse(str(p)).findtext(".//t:titleStmt/t:title[@type='printed']", namespaces=NS)
              for p in sorted(tei.glob("dlv-1921-*.xml"))]
    assert [t.split()[0] for t in titles] == ["Dépêche", "Télégramme", "Note"]
    second = etree.parse(str(tei / "dlv-1921-04-01.xml"))
    assert "Rien dans cette partie" in "".join(second.getroot().itertext())  # "Partie II" opens none


def test_french_contents_entries_are_matched_to_their_documents(tei):
    pages = [etree.parse(str(p)).findtext(".//t:bibl[@type='compilation']/t:biblScope[@unit='page']", namespaces=NS)
             for p in sorted(tei.glob("dlv-1921-*.xml"))]
    assert pages == ["3", "5", "7"]


def test_french_language_is_the_configurations(tei):
    for path in [*tei.glob("dlv-*.xml"), tei / "corpus.xml"]:
        root = etree.parse(str(path)).getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr", path.name
    langs = etree.parse(str(tei / "corpus.xml")).xpath("/t:teiCorpus/t:teiHeader//t:langUsage/t:language", namespaces=NS)
    assert [(x.get("ident"), x.text) for x in langs] == [("fr", "French")]


def test_without_the_profiles_month_names_no_french_date_is_read(tmp_path):
    """The dates above come from the profile, not from the code: with English defaults only
    the bare year is read."""
    tei = build(tmp_path, lambda reader: reader.pop("dates"))
    found = [d for d in creation_dates(tei).values() if d is not None]
    assert found and all(d[1] == "1921" and d[2] is None for d in found)
    assert not list(tei.glob("dlv-1921-*.xml"))


def test_french_classification_marks_are_the_profiles(tei, tmp_path):
    doc = etree.parse(str(tei / "dlv-1921-04-01.xml"))
    assert doc.xpath("//t:keywords[@scheme='#classification']/t:term/text()", namespaces=NS) == ["tres-urgent"]
    corpus = etree.parse(str(tei / "corpus.xml"))
    assert corpus.xpath("//t:taxonomy[@xml:id='classification']/t:category/t:catDesc/text()",
                        namespaces=NS) == ["très urgent"]
    # a term the taxonomy does not declare is a cross-document finding
    from teikit.validation import validate_paths

    copy = tmp_path / "tei"
    shutil.copytree(tei, copy)
    path = copy / "dlv-1921-04-01.xml"
    path.write_text(path.read_text("utf-8").replace("<term>tres-urgent</term>", "<term>secret</term>"), "utf-8")
    report = validate_paths([copy])
    found = [(i.code, i.file.rsplit("/", 1)[-1]) for f in report.files for i in f.issues if i.layer == "xdoc"]
    assert found == [("xdoc:catref-declared", "dlv-1921-04-01.xml")]
