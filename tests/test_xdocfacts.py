"""The cross-document checks read per-file facts (teikit.validate.xdocfacts) and skip the files
and members whose facts show nothing wrong: the findings are those of checking every file
element by element (crossdoc.SHORTCUTS = False), on inputs where the shortcut applies and on
inputs where it must not."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest
from lxml import etree

from teikit.validate import crossdoc, owntree, xdocfacts
from teikit.validation import validate_paths
from teikit.validate.reports import to_json

TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'
XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
PREFIXES = ('<encodingDesc><listPrefixDef><prefixDef ident="p" matchPattern="(.+)" replacementPattern="reg.xml#$1"/>'
            '</listPrefixDef></encodingDesc>')


def report(paths, **options) -> str:
    return to_json(validate_paths([str(p) for p in paths], jobs=1, **options))


def both(monkeypatch, paths, **options) -> str:
    """The report with the shortcuts, asserted equal to the one without them."""
    fast = report(paths, **options)
    with monkeypatch.context() as m:
        m.setattr(crossdoc, "SHORTCUTS", False)
        slow = report(paths, **options)
    assert fast == slow
    return fast


def xdoc(text: str) -> list[tuple[str, str, int]]:
    return sorted((i["code"], f["path"].rsplit("/", 1)[-1], i["line"]) for f in json.loads(text)["files"]
                  for i in f["issues"] if i["code"].startswith("xdoc:"))


def write_foreign_corpus(folder):
    folder.mkdir()
    (folder / "corpus.xml").write_text(
        f'<teiCorpus {TEI} {XI}><teiHeader><fileDesc/><encodingDesc><classDecl><taxonomy xml:id="tx">'
        f'<category xml:id="c1"/></taxonomy></classDecl><listPrefixDef><prefixDef ident="p" matchPattern="(.+)" '
        f'replacementPattern="reg.xml#$1"/></listPrefixDef></encodingDesc></teiHeader>\n'
        f'<xi:include href="a.xml"/><xi:include href="b.xml"/><xi:include href="b.xml"/>\n<rs ref="p:r1"/><rs ref="p:zz"/>'
        f'</teiCorpus>')
    (folder / "reg.xml").write_text(f'<TEI {TEI}><teiHeader/><text><body><p xml:id="r1"/></body></text></TEI>')
    (folder / "a.xml").write_text(
        f'<TEI {TEI}><teiHeader>{PREFIXES}<profileDesc><textClass><catRef scheme="#tx" target="#c1 #c2"/>\n'
        f'<keywords scheme="#nope"><term>t</term></keywords></textClass></profileDesc></teiHeader>\n'
        f'<text><body><p xml:id="x1" corresp="reg.xml#r1 b.xml#nope">a</p>\n<p xml:id="x2" target="reg.xml#zz"/>\n'
        f'<p ref="p:r1" facs="page.xml"/></body></text></TEI>')
    # a value only a prefixDef pattern holds, a non-pointer attribute naming a missing file,
    # an element with a literal xml:base (not the file's own) holding a broken pointer
    (folder / "b.xml").write_text(
        f'<TEI {TEI}><teiHeader>{PREFIXES}</teiHeader><text><body><p xml:id="x1" facs="missing.xml">b</p>\n'
        f'<div xml:base="elsewhere/"><p ref="p:gone" xml:id="r1"/></div>\n<p target="a.xml#x1 d.xml"/>\n'
        f'<p target="d.xml#q"/><p ref=" p:r1 "/><p ref="p:nobody"/></body></text></TEI>')


def test_foreign_corpus_and_batch_same_findings_with_and_without_shortcuts(tmp_path, monkeypatch):
    folder = tmp_path / "ed"
    write_foreign_corpus(folder)
    found = xdoc(both(monkeypatch, [folder]))
    assert ("xdoc:duplicate-id", "b.xml", 1) in found  # x1: also in a.xml (a teiCorpus and its members)
    assert ("xdoc:ref-registry", "b.xml", 4) in found  # p:nobody
    assert ("xdoc:ref-registry", "corpus.xml", 3) in found  # the container's own p:zz
    assert ("xdoc:ref-file", "a.xml", 4) in found  # reg.xml#zz
    assert ("xdoc:catref-declared", "a.xml", 1) in found  # #c2
    assert ("xdoc:corpus-members", "corpus.xml", 1) in found  # b.xml twice
    assert not any(f == "b.xml" and line == 2 for _, f, line in found)  # inside xml:base: not b.xml's own
    assert both(monkeypatch, [folder], cross_document=True) != ""
    assert both(monkeypatch, [folder / "corpus.xml"]) != ""
    # a plain batch: ids are per file, so no duplicate-id finding
    batch = xdoc(both(monkeypatch, [folder / "b.xml", folder / "a.xml", folder / "reg.xml"]))
    assert not any(code == "xdoc:duplicate-id" for code, _, _ in batch)


@pytest.fixture()
def broken_corpus(tei, tmp_path):
    """The test corpus, broken in several ways at once."""
    copy = tmp_path / "broken" / "corpus"
    shutil.copytree(tei.parent, copy)
    t = copy / "tei"
    docs = sorted(p for p in t.glob("*.xml") if p.name not in ("corpus.xml", "persons.xml", "places.xml", "orgs.xml"))
    a = next(p for p in docs if 'ref="pers:' in p.read_text())
    b = next(p for p in docs if p != a and p.read_text().count("xml:id=") >= 3)
    c = next(p for p in docs if p not in (a, b) and 'target="#' in p.read_text())
    text = a.read_text()
    ref = text[text.index('ref="pers:'):].split('"')[1]
    a.write_text(text.replace(f'ref="{ref}"', 'ref="pers:nobody"', 1))  # a missing registry entry
    some_id = b.read_text().split("xml:id=")[2].split('"')[1]
    text = c.read_text().replace('target="#', 'target="#no-such-', 1)  # a wrong catRef
    c.write_text(text.replace("<body>", f'<body><p xml:id="{some_id}" corresp="gone.xml#x">x</p>', 1))
    b.rename(t / "renamed.xml")  # filename != doc id, and not included by corpus.xml
    return t


def test_teikit_corpus_broken_same_findings_with_and_without_shortcuts(broken_corpus, monkeypatch):
    found = xdoc(both(monkeypatch, [broken_corpus]))
    codes = {code for code, _, _ in found}
    assert {"xdoc:ref-registry", "xdoc:docid-filename", "xdoc:ref-file", "xdoc:corpus-members"} <= codes
    assert report([broken_corpus]) == to_json(validate_paths([str(broken_corpus)], jobs=2))


def test_good_corpus_same_findings_with_and_without_shortcuts(tei, monkeypatch):
    assert xdoc(both(monkeypatch, [tei])) == []


def test_facts_are_small_plain_values_and_the_own_ids(tmp_path):
    doc = tmp_path / "a.xml"
    doc.write_text(f'<TEI {TEI}><teiHeader>{PREFIXES}</teiHeader><text><body><p xml:id="a" ref="p:x"/>'
                   f'<div xml:base="x/"><p xml:id="b" target="c.xml#d"/></div></body></text></TEI>')
    tree = etree.parse(str(doc))
    with owntree.one_pass():
        facts = xdocfacts.facts(tree)
        own = {el.get(xdocfacts.XML_ID) for el in owntree.own_with(tree.getroot(), xdocfacts.XML_ID)}
    assert facts.ids == own == {"a"}  # b is inside an included subtree
    assert "p:x" in facts.values and "c.xml#d" not in facts.values
    assert facts.prefixes == (("p", "(.+)", "reg.xml#$1"),)
    assert facts.bases == ("x/",)
    assert pickle.loads(pickle.dumps(facts)) == facts
    plain = tmp_path / "b.xml"
    plain.write_text(f'<TEI {TEI}><teiHeader>{PREFIXES}</teiHeader><text><body><p xml:id="a" ref="p:x"/></body></text></TEI>')
    with owntree.one_pass():
        facts = xdocfacts.facts(etree.parse(str(plain)))
    # the prefixDef's replacementPattern holds 'reg.xml#$1': not a pointer, left out
    assert facts.values == {"p:x"} and facts.ids == {"a"}
    assert all(type(v) is str for v in facts.ids | facts.values)
