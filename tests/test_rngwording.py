"""The words of an rng:datatype finding do not depend on the order its patterns were found in
(the reviewer's P1: 'it must be one of ...' listed the values in another order from run to
run: its patterns are collected from frozensets, whose order is that of their addresses): they
are taken in the order of a rank, for a grammar its document order (teikit.validate.rngorder),
not the order in which the process compiled it (which documents it validated first)."""

from __future__ import annotations

import itertools
import subprocess
import sys

from teikit.validate.rngmodel import XSD_LIB, Patterns
from teikit.validate.rngwording import describe_choice


def _made(q) -> int:  # a rank: the order made in
    return q.id


def _values(patterns: Patterns, words):
    return [patterns.value(XSD_LIB, "token", w) for w in words]


def test_the_values_allowed_are_listed_in_the_order_ranked_however_given():
    words = ["document", "titlePage", "contents", "backMatter", "chapters"]
    patterns = Patterns()
    made = _values(patterns, words)
    said = {describe_choice(list(order), _made) for order in itertools.permutations(made)}
    assert said == {"one of 'document', 'titlePage', 'contents', 'backMatter' or 'chapters'"}


def test_two_attribute_choices_are_listed_in_the_order_ranked_however_given():
    """Two patterns of one attribute (the finding's `matching`), each a choice of values, and
    a value beside a data type: given in either order, the same words."""
    patterns = Patterns()
    a = patterns.choices(_values(patterns, ["part", "chapter"]))
    b = patterns.choices(_values(patterns, ["article", "section"]))
    assert describe_choice([b, a], _made) == describe_choice([a, b], _made) == "one of 'part', 'chapter', 'article' or 'section'"
    date, unknown = patterns.data(XSD_LIB, "date", (), None), patterns.value(XSD_LIB, "token", "unknown")
    assert describe_choice([unknown, date], _made) == describe_choice([date, unknown], _made) == "an XML Schema date or 'unknown'"


_GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="doc"><choice><ref name="a"/><ref name="b"/></choice></element></start>
  <define name="a"><element name="a"><attribute name="x">
    <choice><value>beta</value><value>alpha</value><data type="integer"/></choice>
  </attribute></element></define>
  <define name="b"><element name="b"><attribute name="y">
    <choice><data type="integer"/><value>alpha</value><value>gamma</value><value>beta</value></choice>
  </attribute></element></define>
</grammar>
"""
_MODEL = '<?xml-model href="g.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'


def test_the_values_come_in_the_grammars_order_whatever_was_validated_first(tmp_path):
    """P1: element content is compiled when a document first reaches it, so a process that
    validated <b> first made 'alpha' before 'beta'; the lists follow the grammar's document
    order (each value where it first appears) in every process, with --jobs 1 or 2."""
    (tmp_path / "g.rng").write_text(_GRAMMAR, encoding="utf-8")
    (tmp_path / "fa.xml").write_text(_MODEL + '<doc><a x="bad"/></doc>\n', encoding="utf-8")
    (tmp_path / "fb.xml").write_text(_MODEL + '<doc><b y="bad"/></doc>\n', encoding="utf-8")
    said = set()
    for files, jobs in itertools.product((["fa.xml", "fb.xml"], ["fb.xml", "fa.xml"]), ("1", "2")):
        done = subprocess.run([sys.executable, "-m", "teikit", "validate", "--no-cache", "--jobs", jobs, *files],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        said.add(tuple(sorted(line for line in done.stdout.splitlines() if "[rng:datatype]" in line)))
    assert said == {(
        "fa.xml:2:9: error: [rng:datatype] Value 'bad' of attribute @x on <a> is invalid; "
        "it must be 'beta', 'alpha' or an XML Schema integer",
        "fb.xml:2:9: error: [rng:datatype] Value 'bad' of attribute @y on <b> is invalid; "
        "it must be 'beta', 'alpha', an XML Schema integer or 'gamma'")}


def test_the_attributes_one_of_which_is_required_are_named_in_one_order_in_every_run(tmp_path):
    """'missing required one of the attributes ...' took a choice's alternatives in the
    frozenset's order, that of the patterns' addresses: another order in each run."""
    (tmp_path / "r.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="doc"><choice>'
        '<attribute name="gamma"/><attribute name="alpha"/><attribute name="delta"/><attribute name="Beta"/>'
        '</choice></element></start></grammar>', encoding="utf-8")
    (tmp_path / "r.xml").write_text(_MODEL.replace("g.rng", "r.rng") + "<doc/>\n", encoding="utf-8")
    said = set()
    for _run in range(4):
        done = subprocess.run([sys.executable, "-m", "teikit", "validate", "--no-cache", "r.xml"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        said.add(done.stdout.splitlines()[0])
    assert said == {"r.xml:2:1: error: [rng:missing-attribute] Element <doc> is missing required one of the "
                    "attributes @alpha or @Beta or @delta or @gamma"}
