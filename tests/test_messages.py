"""RELAX NG messages from teikit's own walk of the full grammar (validate/rngwalk.py):
what was expected, the datatype with the value, the attribute's name, one finding per
fault, "did you mean", file:line:col. And the walk's verdicts agree with libxml2's."""

import copy
import random
from pathlib import Path

import pytest

from .conftest import ROOT, need_shared
from teikit.core import xmlsafe
from teikit.validate import rng, rngwalk, rngwording
from teikit.validation import validate_paths
from teikit.disk import Disk

CASES = ROOT / "tests" / "data" / "messages"
SMALL = ROOT / "tests" / "data" / "validate" / "small.rng"


def _errors(name):
    tei_all = need_shared() / "tei" / "tei_all.rng"
    report = validate_paths([CASES / name], schema=str(tei_all), cross_document=False)
    return [i for i in report.all_issues() if i.severity == "error"]


def _one(name, code, line, col, *parts):
    errors = _errors(name)
    assert [(e.code, e.line, e.col) for e in errors] == [(code, line, col)], errors
    for part in parts:
        assert part in errors[0].message, (part, errors[0].message)
    return errors[0].message


def test_empty_title_stmt_names_the_missing_element():
    _one("empty-titleStmt.xml", "rng:missing-element", 5, 7,
         "<titleStmt> is incomplete", "missing required element <title>")


def test_bad_date_quotes_the_value_and_names_the_datatypes():
    _one("bad-when.xml", "rng:datatype", 18, 32, "'14 March 1920'", "@when", "<date>",
         "gYearMonth", "date")


def test_bad_attribute_is_named_with_the_allowed_ones():
    msg = _one("bad-attribute-on-TEI.xml", "rng:attribute", 2, 54, "@lang", "<TEI>",
               "@xml:lang", "@rend")
    assert "@version" not in msg.split("Allowed:")[0]  # @version="5" is fine on <TEI>


def test_misspelt_element_gets_did_you_mean_and_no_second_error():
    _one("misspelt-element.xml", "rng:unexpected-element", 18, 7, "<pp>", "<body>",
         "did you mean <p>?", "defines no such element")


def test_misspelt_attribute_gets_did_you_mean():
    _one("misspelt-attribute.xml", "rng:attribute", 18, 32, "@wen", "did you mean @when?")


def test_duplicate_id_is_one_finding():
    errors = _errors("duplicate-id.xml")
    assert [e.code for e in errors] == ["wf:duplicate-id"]


@pytest.mark.parametrize("name, now", [("wrong-namespace.xml", "namespace http://www.example.org/tei"),
                                       ("no-namespace.xml", "no namespace")])
def test_wrong_namespace_says_which_namespace(name, now):
    _one(name, "rng:namespace", 2, 1, now, "http://www.tei-c.org/ns/1.0", "xmlns=")


def test_missing_required_attribute_is_named():
    _one("missing-required-attribute.xml", "rng:missing-attribute", 17, 9, "<language>", "@ident")


def test_text_not_allowed_quotes_the_text_at_its_column():
    _one("text-not-allowed.xml", "rng:unexpected-text", 17, 11, "'Stray text'", "<body>", "<p>")


def test_element_out_of_place_lists_what_may_come_and_the_end():
    _one("element-in-wrong-place.xml", "rng:unexpected-element", 12, 28, "<title>",
         "<sourceDesc>", "the end of <sourceDesc>, <ab> or <p>")


def test_element_before_a_missing_one_is_one_finding():
    _one("missing-titleStmt.xml", "rng:missing-element", 5, 13, "<publicationStmt> is not allowed yet",
         "missing required element <titleStmt>")


def test_enumerations_and_patterns_in_a_value_message():
    _one("bad-enumerated-value.xml", "rng:datatype", 18, 38, "'many'", "@quantity", "double",
         "decimal", "pattern")


def test_small_grammar_messages_without_shared():
    report = validate_paths([ROOT / "tests" / "data" / "validate" / "invalid-2-errors.xml"],
                            schema=str(SMALL))
    got = [(i.code, i.line, i.col) for i in report.all_issues()]
    assert got == [("rng:datatype", 3, 7), ("rng:unexpected-element", 4, 1)]


def test_did_you_mean():
    assert rngwording.did_you_mean("pp", ["p", "pb", "app"]) == "p"
    assert rngwording.did_you_mean("Date", ["date", "data"]) == "date"
    assert rngwording.did_you_mean("persname", ["persName", "placeName"]) == "persName"
    assert rngwording.did_you_mean("xyzzy", ["p", "div"]) is None


def _mutants(tree, rnd, n):
    for _ in range(n):
        t = copy.deepcopy(tree)
        els = [e for e in t.iter() if isinstance(e.tag, str)][1:]
        e = rnd.choice(els)
        op = rnd.choice(["delete", "drop-attribute", "move", "text", "repeat"])
        parent = e.getparent()
        if op == "delete":
            parent.remove(e)
        elif op == "drop-attribute" and e.attrib:
            del e.attrib[rnd.choice(sorted(e.attrib))]
        elif op == "move":
            other = rnd.choice(els)
            if other is not e and e not in other.iterancestors() and other not in e.iterancestors():
                parent.remove(e)
                other.append(e)
        elif op == "text":
            e.text = (e.text or "") + "zz"
        elif op == "repeat":
            e.addnext(copy.deepcopy(e))
            for d in e.getnext().iter():
                if isinstance(d.tag, str):
                    d.attrib.pop("{http://www.w3.org/XML/1998/namespace}id", None)
        yield op, t


def test_the_walk_agrees_with_libxml2_on_mutated_documents():
    """teikit's matcher and libxml2 give the same verdict on random edits of the corpus
    (teikit.rng, full grammar): a wrong derivative would show as a disagreement."""
    schema = ROOT / "schema" / "teikit.rng"
    full = rng.compile_schema(schema, None, files=Disk())
    matcher = rngwalk.matcher_for(str(schema), Disk())
    rnd = random.Random(10)
    files = sorted((ROOT / "corpus" / "tei").glob("*.xml"))
    checked = 0
    for path in [f for f in files if f.name != "corpus.xml"][:25]:
        tree, _ = xmlsafe.parse_file(path, Disk())
        for op, mutant in _mutants(tree, rnd, 6):
            walked = rngwalk.check(matcher, mutant, str(path))
            assert full.relaxng.validate(mutant) == (not walked), (path.name, op, walked[:2])
            checked += 1
    assert checked == 150
