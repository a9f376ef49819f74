"""Corpus facts are data: building another compilation writes none of the bundled corpus's facts.

The facts are read from the bundled corpus's configuration (corpus/source/corpus.json), not
written here: its titles, licence, source file name, the series it was translated from, its
compilers, the language of its documents, its sampling statement. A fact that also stands in
the other compilation's configuration or source is not one of the bundled corpus's alone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit.cli import main

from teikit.core import facts
from tests.conftest import OTHER, ROOT

NS = {"t": "http://www.tei-c.org/ns/1.0"}
BUNDLED = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text("utf-8"))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def bundled_only_facts(other: Path = OTHER) -> dict[str, str]:
    """{fact: where it comes from} for the strings only the bundled configuration holds."""
    c = BUNDLED
    found: dict[str, str] = {}

    def add(where: str, value) -> None:
        for s in _strings(value):
            found.setdefault(s, where)

    for key in ("title", "short_title", "project_description", "sampling"):
        add(key, c.get(key))
    add("licence", {k: v for k, v in c["licence"].items() if k != "spdx"})
    add("registry_licence", c.get("registry_licence"))
    add("source.file", c["source"]["file"])
    add("compilation", {k: c["compilation"].get(k) for k in ("title", "subtitle", "compilers", "note")})
    series = c.get("translated_from") or {}
    add("translated_from", {k: series.get(k) for k in ("title", "title_translated", "publisher", "place")})
    add("language", facts.language_label(c))
    other_config = (other / "source" / "corpus.json").read_text("utf-8")
    other_source = "\n".join(p.read_text("utf-8") for p in (other / "source").glob("*.md"))
    return {s: w for s, w in found.items()
            if s and len(s) > 3 and s not in other_config and s not in other_source}


def test_the_bundled_facts_are_found_in_its_configuration():
    """The set is not empty and holds each kind of fact (else the test below proves nothing)."""
    where = set(bundled_only_facts().values())
    assert {"title", "licence", "source.file", "translated_from", "compilation", "language"} <= where
    assert facts.language_label(BUNDLED) in bundled_only_facts()


def _leaks(corpus: Path, other: Path) -> list[str]:
    bundled = bundled_only_facts(other)
    outputs = [p for p in corpus.rglob("*") if p.is_file()
               and not p.is_relative_to(corpus / "source") and not p.is_relative_to(corpus / "registry")]
    assert len(outputs) >= 8
    leaks = []
    for path in outputs:
        text = path.read_bytes().decode("utf-8", "replace")  # the conversion cache is binary (pickles hold UTF-8 text)
        leaks += [f"{path.relative_to(corpus)}: {fact!r} ({where})" for fact, where in bundled.items() if fact in text]
    return leaks


def test_other_compilation_holds_no_fact_of_the_bundled_corpus(corpus: Path):
    leaks = _leaks(corpus, OTHER)
    assert not leaks, "\n".join(leaks)


def test_french_compilation_holds_no_fact_of_the_bundled_corpus(tmp_path: Path):
    """... nor do its deposit records (CITATION.cff, .zenodo.json, datacite.json)."""
    french = ROOT / "tests" / "data" / "sources" / "french-compilation"
    target = tmp_path / "fr"
    shutil.copytree(french, target)
    config_path = target / "source" / "corpus.json"
    config = json.loads(config_path.read_text("utf-8"))
    config["licence"]["spdx"] = "CC-BY-4.0"  # the deposit records are written with an SPDX id
    config_path.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(main, ["build", "--corpus", str(target), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    leaks = _leaks(target, french)
    deposits = [tmp_path / n for n in ("CITATION.cff", ".zenodo.json", "datacite.json")]
    assert all(p.exists() for p in deposits)
    zenodo = json.loads((tmp_path / ".zenodo.json").read_text("utf-8"))
    datacite = json.loads((tmp_path / "datacite.json").read_text("utf-8"))["data"]["attributes"]
    assert (zenodo["language"], datacite["language"], datacite["titles"][0]["lang"]) == ("fra", "fr", "fr")
    bundled = bundled_only_facts(french)
    leaks += [f"{p.name}: {fact!r} ({where})" for p in deposits for fact, where in bundled.items()
              if fact in p.read_text("utf-8")]
    assert not leaks, "\n".join(leaks)


def test_no_translation_chain_when_none_is_configured(tei: Path):
    """The other compilation is not a translation: no relatedItem, one language, no dashes."""
    for path in tei.glob("*.xml"):
        root = etree.parse(str(path)).getroot()
        assert not root.xpath("//t:relatedItem[@type='translatedFrom']", namespaces=NS), path.name
        assert "—</" not in path.read_text("utf-8"), path.name
    corpus = etree.parse(str(tei / "corpus.xml"))
    langs = corpus.xpath("//t:teiHeader/t:profileDesc/t:langUsage/t:language", namespaces=NS)
    assert [(x.get("ident"), x.text) for x in langs] == [("en", "English")]
    sampling = corpus.xpath("string(//t:samplingDecl/t:p)", namespaces=NS)
    assert sampling == facts.DEFAULT_SAMPLING


@pytest.mark.parametrize("name", ["persons.xml", "places.xml", "orgs.xml"])
def test_registry_files_state_the_compilations_licence_and_source(tei: Path, name: str):
    other = json.loads((OTHER / "source" / "corpus.json").read_text("utf-8"))
    root = etree.parse(str(tei / name)).getroot()
    licence = root.find(".//t:publicationStmt/t:availability/t:licence", NS)
    assert (licence.get("target"), licence.text) == (other["licence"]["url"], other["licence"]["label"])
    assert root.findtext(".//t:publicationStmt/t:publisher", namespaces=NS) == other["publisher"]
    assert other["source"]["file"] in root.findtext(".//t:sourceDesc/t:p", namespaces=NS)


def test_translation_chain_is_any_language():
    """translated_from names its own language: the labels follow it."""
    config = {"compilation": {"title": "T", "compilers": ["A"]}, "language": {"ident": "fr", "name": "French"},
              "translated_from": {"title": "Dokumente", "language": "de", "language_name": "German"}}
    assert facts.language_label(config) == "French (translated from German)"
    assert facts.source_language_label(config)[0] == "de"
    assert facts.provenance(config) == ("Translated from the German: the documents are selected from the "
                                        "German series Dokumente.")
    assert facts.provenance({"compilation": {}}) == ""


def test_archive_vocabulary_is_the_profiles():
    """Fond words, series and newspaper names come from the reader profile; the code's
    default reads none of them."""
    from teikit.convert import archive
    from tests.conftest import bundled_profile

    line = "Avp rf, f. About, on. 1, p. 1, d. 5, l. 3."
    note = 'Publ. Into gas. "news" No. 239 (1382), October 25, 1921'
    with archive.vocabulary(archive.ArchiveVocabulary()):
        assert archive.find_archival_ref(line)[1].fond is None
        assert archive.find_publication(note)[1].title is None
    with archive.vocabulary(bundled_profile().archive):
        assert archive.find_archival_ref(line)[1].fond == "06"
        assert archive.find_publication(note)[1].title == "Izvestia"
