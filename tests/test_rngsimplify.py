"""Grammars are simplified before libxml2 compiles them (rng.simplify), so that its verdicts
are jing's: libxml2 rejects `(p, empty)+` with two p's, and pruning a grammar to the names a
file uses leaves notAllowed and empty inside content models that libxml2 gets wrong (before
the fix, 55 of the 189 valid corpus files were invalid when validated alone)."""

import subprocess
from pathlib import Path

import pytest
from lxml import etree

from teikit.disk import Disk
from teikit.validate import rng
from teikit.validation import validate_paths

from .conftest import need_jing

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "validate"
R = {"r": rng.RNG_NS}


@pytest.mark.parametrize("name, valid", [("empty-in-repeat.xml", True), ("empty-in-repeat-invalid.xml", False)])
@pytest.mark.parametrize("prune", [True, False])
def test_verdict_on_empty_inside_a_repeat_is_jings(name, valid, prune):
    report = validate_paths([DATA / name], schema=DATA / "empty-in-repeat.rng", prune=prune)
    assert report.files[0].valid is valid
    jing = subprocess.run([need_jing(), str(DATA / "empty-in-repeat.rng"), str(DATA / name)],
                          capture_output=True, text=True)
    assert (jing.returncode == 0) is valid


def test_every_corpus_file_alone_has_the_full_grammars_verdict():
    grammar = rng.load_grammar(str(ROOT / "schema" / "teikit.rng"), Disk())
    full = etree.RelaxNG(grammar)
    files = sorted((ROOT / "corpus" / "tei").glob("*.xml"))
    assert len(files) > 100
    differ = []
    for path in files:
        tree = etree.parse(str(path))
        pruned, count = rng.prune(grammar, rng.used_names([tree]))
        rng.simplify(pruned)
        if count and etree.RelaxNG(pruned).validate(tree) != full.validate(tree):
            differ.append(path.name)
    assert differ == []


def test_simplify_keeps_the_language_and_removes_what_libxml2_mishandles():
    grammar = etree.ElementTree(etree.fromstring(b"""
      <grammar xmlns="http://relaxng.org/ns/structure/1.0">
        <start><ref name="doc"/></start>
        <define name="doc"><element name="doc">
          <zeroOrMore><choice><element name="a"><text/></element><ref name="gone"/></choice></zeroOrMore>
          <zeroOrMore><ref name="gone"/></zeroOrMore>
          <optional><element name="b"><ref name="gone"/></element></optional>
          <oneOrMore><element name="c"><empty/><text/></element><empty/></oneOrMore>
        </element></define>
        <define name="gone"><choice><notAllowed/><notAllowed/></choice></define>
      </grammar>"""))
    rng.simplify(grammar)
    root = grammar.getroot()
    assert root.xpath("//r:define[@name='doc']//r:notAllowed | //r:define[@name='doc']//r:empty", namespaces=R) == []
    assert root.xpath("//r:define[@name='doc']//r:ref", namespaces=R) == []
    relaxng = etree.RelaxNG(grammar)
    for doc, valid in [("<doc><c/></doc>", True), ("<doc><a/><a/><c/><c/></doc>", True),
                       ("<doc><b/><c/></doc>", False), ("<doc/>", False)]:
        assert relaxng.validate(etree.fromstring(doc)) is valid, doc


def test_a_define_combined_or_in_a_nested_grammar_is_left():
    grammar = etree.ElementTree(etree.fromstring(b"""
      <grammar xmlns="http://relaxng.org/ns/structure/1.0">
        <start><element name="doc"><choice><ref name="x"/><text/></choice></element></start>
        <define name="x" combine="choice"><notAllowed/></define>
        <define name="x" combine="choice"><element name="x"><empty/></element></define>
      </grammar>"""))
    rng.simplify(grammar)
    assert len(grammar.getroot().xpath("//r:ref[@name='x']", namespaces=R)) == 1
    assert etree.RelaxNG(grammar).validate(etree.fromstring("<doc><x/></doc>"))
