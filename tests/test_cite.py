"""Citations (cite.py), the `teikit cite` command and the redirect pages of retired ids."""

from __future__ import annotations

import copy
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from teikit.corpusdir import load_document, write_redirects
from teikit.publish import cite
from teikit.publish import redirects
from teikit.cli import main
from teikit.core.errors import InputError

from .conftest import ROOT

TEI = "http://www.tei-c.org/ns/1.0"

DOC = f"""<TEI xmlns="{TEI}" xml:id="x-1921-03-16">
  <teiHeader><fileDesc>
    <titleStmt><title type="main">Treaty between Russia and Turkey</title></titleStmt>
    <publicationStmt><publisher>P</publisher><date when="2026-11-27">2026-11-27</date></publicationStmt>
    <sourceDesc><bibl type="compilation"><title level="m">C</title><biblScope unit="page">67</biblScope></bibl></sourceDesc>
  </fileDesc>
  <profileDesc><creation><date when="1921-03-16">March 16, 1921</date></creation></profileDesc></teiHeader>
  <text><body><div type="document" xml:id="x-1921-03-16-div1">
    <p xml:id="x-1921-03-16-p1">One.</p><p xml:id="x-1921-03-16-p2">Two.</p>
    <note xml:id="x-1921-03-16-note1">A note.</note>
  </div></body></text>
</TEI>"""

CONFIG = {
    "id_prefix": "x", "version": "1.2.0", "release_date": "2026-01-01",
    "title": "A TEI edition", "publisher": "teikit",
    "uri_base": None, "doi": None,
    "licence": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "label": "CC BY-SA 4.0", "as_printed": "CC BY-SA"},
    "compilation": {"title": "C", "compilers": ["Svitlana M", "Erdogan A"]},
    "people": {"Svitlana M": {"given": "Svitlana", "family": "M"}},
    "translated_from": {"title": "Документы внешней политики СССР", "title_translated": "USSR Foreign Policy Documents",
                        "publisher": "Госполитздат", "place": "Москва", "date": "1959", "language": "ru",
                        "language_name": "Russian"},
}
PROVENANCE = ("Translated from the Russian: the documents are selected from the Russian series "
              "Документы внешней политики СССР (USSR Foreign Policy Documents), Москва: Госполитздат, 1959.")


@pytest.fixture()
def tree():
    return etree.fromstring(DOC)


def with_uri(**extra):
    return {**copy.deepcopy(CONFIG), "uri_base": "https://example.org/sfp/", **extra}


def test_document_citation_text_without_uri_base(tree):
    c = cite.for_document(tree, CONFIG)
    assert c.doc_id == "x-1921-03-16"
    assert c.url is None
    assert c.text == ("Svitlana M and Erdogan A, comps. \u201cTreaty between Russia and Turkey\u201d (March 16, 1921). "
                      "In A TEI edition, version 1.2.0, teikit, 2026, id x-1921-03-16, compilation p. 67.")


def test_document_citation_with_uri_and_doi(tree):
    c = cite.for_document(tree, with_uri(doi="10.5281/zenodo.123"))
    assert c.url == "https://example.org/sfp/x-1921-03-16"
    assert c.text.endswith(", id x-1921-03-16, compilation p. 67. https://example.org/sfp/x-1921-03-16 DOI: 10.5281/zenodo.123.")
    assert c.csl_json["URL"] == c.url and c.csl_json["DOI"] == "10.5281/zenodo.123"


def test_csl_json_item(tree):
    assert cite.for_document(tree, CONFIG).csl_json == {
        "id": "x-1921-03-16", "type": "document", "title": "Treaty between Russia and Turkey",
        "container-title": "A TEI edition",
        "editor": [{"family": "M", "given": "Svitlana"}, {"literal": "Erdogan A"}],
        "publisher": "teikit", "version": "1.2.0", "issued": {"date-parts": [[2026, 11, 27]]},
        "language": "en", "number": "x-1921-03-16",
        "note": PROVENANCE + " Licence: CC BY-SA 4.0.",
        "original-date": {"date-parts": [[1921, 3, 16]]}, "page": "67",
    }


def test_bibtex_entry(tree):
    assert cite.for_document(tree, CONFIG).bibtex == (
        "@incollection{x-1921-03-16,\n"
        "  title = {{Treaty between Russia and Turkey}},\n"
        "  editor = {M, Svitlana and {Erdogan A}},\n"
        "  booktitle = {A TEI edition},\n"
        "  publisher = {teikit},\n"
        "  year = {2026},\n"
        "  version = {1.2.0},\n"
        "  number = {x-1921-03-16},\n"
        "  pages = {67},\n"
        "  date = {1921-03-16},\n"
        "  langid = {english},\n"
        f"  note = {{{PROVENANCE} Licence: CC BY-SA 4.0.}}\n"
        "}\n")


@pytest.mark.parametrize("xml_id, label", [("x-1921-03-16-p2", "paragraph 2"), ("x-1921-03-16-note1", "note 1"),
                                           ("x-1921-03-16-div1", "division 1")])
def test_paragraph_citation(tree, xml_id, label):
    c = cite.for_paragraph(tree, with_uri(), xml_id)
    assert c.url == f"https://example.org/sfp/x-1921-03-16#{xml_id}"
    assert c.text == (f"Svitlana M and Erdogan A, comps. \u201cTreaty between Russia and Turkey\u201d (March 16, 1921), {label}. "
                      f"In A TEI edition, version 1.2.0, teikit, 2026, id {xml_id}, compilation p. 67. {c.url}")
    assert c.csl_json["id"] == xml_id and c.csl_json["title"] == f"Treaty between Russia and Turkey ({label})"
    assert c.bibtex.startswith(f"@incollection{{{xml_id},\n")


def test_unknown_paragraph_is_an_error_naming_the_fix(tree):
    with pytest.raises(InputError) as err:
        cite.for_paragraph(tree, CONFIG, "x-1921-03-16-p9")
    assert str(err.value) == ("No passage with xml:id 'x-1921-03-16-p9' in document 'x-1921-03-16'. Give the @xml:id "
                              "of a p, item, note or div of its text (e.g. x-1921-03-16-p1).")


def test_version_comes_from_the_header_edition_when_present(tree):
    fd = tree.find(f"{{{TEI}}}teiHeader/{{{TEI}}}fileDesc")
    es = etree.SubElement(fd, f"{{{TEI}}}editionStmt")
    etree.SubElement(es, f"{{{TEI}}}edition", n="2.0.0").text = "Version 2.0.0"
    assert ", version 2.0.0, " in cite.for_document(tree, CONFIG).text


@given(st.text())
def test_bibtex_escape_leaves_no_bare_special_character(value):
    escaped = cite._bib_escape(value)
    stripped = re.sub(r"\\(textbackslash|textasciitilde|textasciicircum)\{\}|\\[{}&%$#_]", "", escaped)
    assert not re.search(r"[{}&%$#_~^\\]", stripped)


@given(st.text())
def test_bibtex_escape_is_the_translation_of_every_character(value):
    assert cite._bib_escape(value) == value.translate(cite._BIB_TABLE)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                     max_leaves=20)


@given(_JSON | st.lists(st.floats(allow_nan=True)) | st.dictionaries(st.integers(), st.text()) | st.tuples(st.text()))
def test_indented_writes_what_json_dumps_writes(value):
    assert cite.indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_csl_json_text_of_every_corpus_document_is_json_dumps():
    from teikit.pipeline import Project
    from teikit.projectinputs import load_config

    project = Project(ROOT / "corpus")
    config = load_config(project.config_path)
    paths = sorted(project.tei_dir.glob("*.xml"))
    assert len(paths) > 100
    for path in paths:
        root = etree.parse(str(path)).getroot()
        if root.tag != f"{{{TEI}}}TEI":
            continue
        c = cite.for_document(root, config)
        assert cite.csl_json_text(c) == json.dumps([c.csl_json], ensure_ascii=False, indent=2)


# --- the corpus and the CLI ---------------------------------------------------------------------
def test_cli_cite_prints_the_same_citation_as_the_library():
    from teikit.pipeline import Project
    from teikit.projectinputs import load_config

    project = Project(ROOT / "corpus")
    doc_id = sorted(p.stem for p in project.tei_dir.glob("sfp-1*.xml"))[0]
    config = load_config(project.config_path)
    expected = cite.for_document(load_document(project, doc_id), config)
    corpus = str(ROOT / "corpus")
    text = CliRunner().invoke(main, ["cite", doc_id, "--corpus", corpus])
    assert (text.exit_code, text.output) == (0, expected.text + "\n")
    csl = CliRunner().invoke(main, ["cite", doc_id, "--format", "csl-json", "--corpus", corpus])
    assert csl.exit_code == 0 and json.loads(csl.output) == [expected.csl_json]
    bib = CliRunner().invoke(main, ["cite", doc_id, "--format", "bibtex", "--corpus", corpus])
    assert (bib.exit_code, bib.output) == (0, expected.bibtex)
    assert f"version {config['version']}" in expected.text


def test_cli_cite_unknown_id_suggests_near_ids(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "corpus.json").write_text(json.dumps({**CONFIG, "source": {"file": "a.md"}}), encoding="utf-8")
    (tmp_path / "tei" / "x-1921-03-16.xml").write_text(DOC, encoding="utf-8")
    (tmp_path / "idmap.json").write_text(json.dumps({"version": 1, "documents": {}, "retired": {
        "x-1921-03-15": {"heading": "Old", "reason": "merged with the next document"}}}), encoding="utf-8")
    result = CliRunner().invoke(main, ["cite", "x-1921-03-17", "--corpus", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: No document 'x-1921-03-17' in '{tmp_path / 'tei'}'. Did you mean x-1921-03-16?\n"
    retired = CliRunner().invoke(main, ["cite", "x-1921-03-15", "--corpus", str(tmp_path)])
    assert retired.exit_code == 1
    assert retired.stderr == ("Error: Document id 'x-1921-03-15' was retired (merged with the next document); "
                              "see corpus/idmap.json for the document that replaced it.\n")


# --- redirects -------------------------------------------------------------------------------------
IDMAP = {"version": 1, "documents": {"k": {"id": "x-2", "heading": "B"}},
         "retired": {"x-1": {"heading": "A & co", "reason": "split", "replaced_by": "x-2"},
                     "x-0": {"heading": "Gone", "reason": "not a document"}}}


def test_redirect_pages_for_retired_ids():
    pages = redirects.redirect_pages(IDMAP, {"x-2"})
    assert sorted(pages) == ["x-0.html", "x-1.html"]
    assert pages["x-1.html"].decode() == (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="robots" content="noindex">\n'
        '<meta http-equiv="refresh" content="0; url=x-2.html">\n<link rel="canonical" href="x-2.html">\n'
        "<title>Retired id x-1</title>\n</head>\n<body>\n"
        '<p>The document id <code>x-1</code> was retired (split). The document is now <a href="x-2.html">x-2</a>.</p>\n'
        "</body>\n</html>\n")
    assert "http-equiv" not in pages["x-0.html"].decode()
    assert "was retired (not a document); it was &#8220;Gone&#8221;." in pages["x-0.html"].decode()


def test_write_redirects(tmp_path):
    (tmp_path / "idmap.json").write_text(json.dumps(IDMAP), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    written = write_redirects(tmp_path / "idmap.json", site)
    assert [p.name for p in written] == ["x-0.html", "x-1.html"]
    assert sorted(p.name for p in site.iterdir()) == ["x-0.html", "x-1.html"]


def test_redirect_pages_are_written_whole_in_a_folder_marked_as_written_in_place(tmp_path, monkeypatch):
    """A kill while the redirect pages are written leaves no half-written page in the site:
    each goes through write_atomic while the site folder is marked (disk.writing_in_place),
    so that the next build removes the temporary file; the mark is gone afterwards."""
    import os

    from teikit import corpusdir

    (tmp_path / "idmap.json").write_text(json.dumps(IDMAP), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    mark = tmp_path / f".site-writing-{os.getpid()}"
    seen = []
    atomic = corpusdir.write_atomic
    monkeypatch.setattr(corpusdir, "write_atomic", lambda path, data: (seen.append((path.name, mark.exists())),
                                                                         atomic(path, data)))
    written = write_redirects(tmp_path / "idmap.json", site)
    assert seen == [("x-0.html", True), ("x-1.html", True)] and not mark.exists()
    assert [p.read_bytes()[:15] for p in written] == [b"<!DOCTYPE html>"] * 2


def test_cite_paragraph_resolves_a_retired_passage_id_to_the_passage_holding_it():
    from teikit.pipeline import Project
    from teikit.projectinputs import load_config

    project = Project(ROOT / "corpus")
    retired = json.loads(project.idmap_path.read_text(encoding="utf-8"))["retired_passages"]
    old, new = sorted(retired.items())[0]
    doc_id = old.rsplit("-", 1)[0]
    tree = load_document(project, doc_id)
    assert not tree.xpath("//*[@xml:id=$id]", id=old)  # the old id is gone from the TEI
    expected = cite.for_paragraph(tree, load_config(project.config_path), new)
    got = cite.for_paragraph(tree, load_config(project.config_path), old, retired)
    assert got == expected and got.csl_json["id"] == new
    result = CliRunner().invoke(main, ["cite", doc_id, "--paragraph", old, "--corpus", str(ROOT / "corpus")])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.text + "\n"
    assert f"{old} was retired" in result.stderr and new in result.stderr
    with pytest.raises(InputError):  # without the map the old id is no passage
        cite.for_paragraph(tree, load_config(project.config_path), old)


def test_a_retired_id_maps_only_within_its_map():
    tree = etree.fromstring(DOC.encode())
    with pytest.raises(InputError):
        cite.for_paragraph(tree, CONFIG, "x-1921-03-16-p99", {"x-1921-03-16-p98": "x-1921-03-16-p1"})
