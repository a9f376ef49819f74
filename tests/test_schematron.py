"""Schematron with XPath 2 (elementpath), TEI's embedded rules, phases, abstract patterns,
includes; and agreement with an independent reference (SchXslt on Saxon) where present."""

import collections
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import ROOT, need_shared
from teikit.cli import main
from teikit.core import xmlsafe
from teikit.validate import schematron
from teikit.disk import Disk

DATA = ROOT / "tests" / "data" / "schematron"
sys.path.insert(0, str(ROOT / "bench"))
import schref  # noqa: E402


def _tree(path):
    tree, issues = xmlsafe.parse_file(path, Disk())
    assert tree is not None, issues
    return tree


def _found(schema, path):
    return [(i.code, i.severity, i.line) for i in schematron.validate_tree(schema, _tree(path), "f.xml")]


def _tei_all():
    return need_shared() / "tei" / "tei_all.rng"


def test_tei_embedded_rules_are_extracted_and_all_run():
    emb = schematron.embedded(_tei_all(), Disk())
    assert emb.xpath2 and len(emb.patterns) == 93
    assert sum(len(r.checks) for p in emb.patterns for r in p.rules) == 103
    assert emb.problems == []  # current(), generate-id(), XPath 2 operators: all compile


def test_tei_constraints_fire_with_their_messages_and_roles():
    issues = schematron.validate_tree(schematron.embedded(_tei_all(), Disk()), _tree(DATA / "tei-constraints.xml"),
                                      "t.xml")
    by_line = {(i.line, i.message[:60]): i for i in issues}
    assert len(issues) == 23
    when = next(i for i in issues if "@when attribute cannot be used" in i.message)
    assert (when.line, when.severity, when.layer) == (40, "warning", "sch")  # role="nonfatal"
    relation = next(i for i in issues if "@name, @ref or @key" in i.message)
    assert (relation.line, relation.severity) == (30, "error")
    nested_l = next(i for i in issues if "Metrical lines" in i.message)  # uses current()
    assert nested_l.line == 47
    assert any(line == 17 and "dimensions" in msg for line, msg in by_line)


def test_phases_abstract_patterns_includes_diagnostics():
    sch = DATA / "features.sch"
    everything = [("sch:div-type", "error", 17), ("sch:w3c", "error", 18),
                  ("sch:not-with-range", "warning", 18), ("sch:self-ref", "error", 9),
                  ("sch:ref-resolves", "error", 19), ("sch:empty-p", "info", 20)]
    assert _found(schematron.load(sch, Disk()), DATA / "features.xml") == everything  # defaultPhase
    assert _found(schematron.load(sch, Disk(), phase="#ALL"), DATA / "features.xml") == everything
    assert _found(schematron.load(sch, Disk(), phase="only-dates"), DATA / "features.xml") == everything[1:3]
    issues = schematron.validate_tree(schematron.load(sch, Disk()), _tree(DATA / "features.xml"), "f.xml")
    assert issues[0].message == "<div> needs @type"  # parameters substituted
    assert issues[2].message.endswith("(use @when alone, or @notBefore/@notAfter alone (found 2 attributes))")
    assert issues[4].message == "@ref #cy names no xml:id (known: ana, bo)"  # XPath 2 functions
    with pytest.raises(Exception, match="no phase 'nope'.*letters, only-dates"):
        schematron.load(sch, Disk(), phase="nope")


def test_a_rule_that_cannot_run_is_one_warning_naming_it(tmp_path):
    sch = tmp_path / "k.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                   '<pattern id="keys"><rule context="a"><assert test="key(\'k\', @r)">k</assert>'
                   '<assert test="document(@r)">d</assert></rule></pattern>'
                   '<pattern id="ok"><rule context="a"><assert id="has-r" test="@r">no @r</assert></rule>'
                   '</pattern></schema>')
    schema = schematron.load(sch, Disk())
    assert len(schema.problems) == 1
    problem = schema.problems[0]
    assert (problem.code, problem.severity) == ("sch:unsupported", "warning")
    assert "rule 'a' of pattern keys" in problem.message and "key" in problem.message
    doc = tmp_path / "a.xml"
    doc.write_text("<a/>")
    assert _found(schema, doc) == [("sch:has-r", "error", 1)]  # the rest still runs


def test_a_test_that_fails_at_run_time_is_one_warning_per_file(tmp_path):
    sch = tmp_path / "t.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                   '<pattern><rule context="n"><assert test="xs:integer(.) gt 0">positive</assert>'
                   '</rule></pattern></schema>')
    doc = tmp_path / "a.xml"
    doc.write_text("<r><n>x</n><n>y</n><n>-1</n></r>")
    found = _found(schematron.load(sch, Disk()), doc)
    assert found.count(("sch:unsupported", "warning", 1)) == 1
    assert ("sch:assert", "error", 1) in found  # -1 is a finding


def test_cmif_schematron_runs_from_the_command_line():
    cmif = need_shared() / "tei" / "cmif.sch"
    sample = need_shared() / "samples" / "tei-c" / "testall.xml"
    result = CliRunner().invoke(main, ["validate", "--schematron", str(cmif), str(sample),
                                       "--format", "json"])
    assert result.exit_code == 1, result.output
    assert '"[E0004] At least one dating attribute' in result.output.replace('"message": ', '"')


def test_embedded_schematron_from_the_command_line():
    result = CliRunner().invoke(main, ["validate", "--schema", str(_tei_all()), "--embedded-schematron=error",
                                       str(DATA / "tei-constraints.xml")])
    assert result.exit_code == 1
    assert "One of the attributes @name, @ref or @key must be supplied" in result.output
    assert ":30:13: error: [sch:tei_all-relation-ref-or-key-or-name" in result.output  # line:col of <relation>


def test_embedded_schematron_runs_by_default_as_warnings():
    """With no option TEI's own constraints run, as in Oxygen, and show as warnings, so that
    the verdict stays the grammar's (jing's); --embedded-schematron=off skips them."""
    path = str(DATA / "tei-constraints.xml")
    result = CliRunner().invoke(main, ["validate", "--schema", str(_tei_all()), path])
    assert ":30:13: warning: [sch:tei_all-relation-ref-or-key-or-name" in result.output
    assert "--embedded-schematron=error makes it an error" in result.output
    assert ": error: [sch:" not in result.output
    off = CliRunner().invoke(main, ["validate", "--schema", str(_tei_all()), "--embedded-schematron=off", path])
    assert "[sch:tei_all-" not in off.output


# --- the independent reference ------------------------------------------------------------

def _need_reference():
    why = schref.available()
    if why:
        pytest.skip(f"reference Schematron implementation not available: {why}")


def _agree(ours_schema, ref_sch, paths):
    trees = {}
    for path in paths:
        tree = _tree(path)
        from teikit.core.xinclude import expand
        expand(tree, str(path), files=Disk())
        trees[str(path)] = tree
    ours = {p: schematron.comparable(ours_schema, t) for p, t in trees.items()}
    ref = schref.run(ref_sch, trees)
    for p in trees:
        a = collections.Counter(f[:3] for f in ours[p])
        b = collections.Counter(f[:3] for f in ref[p])
        assert a == b, (p, a - b, b - a)
    return sum(len(v) for v in ours.values())


def test_tei_embedded_schematron_agrees_with_the_reference():
    _need_reference()
    samples = sorted((need_shared() / "samples").rglob("*.xml"))
    n = _agree(schematron.embedded(_tei_all(), Disk()), need_shared() / "tei" / "tei_all.sch",
               samples + [DATA / "tei-constraints.xml"])
    assert n == 24


def test_cmif_and_feature_schematron_agree_with_the_reference():
    _need_reference()
    samples = sorted((need_shared() / "samples").rglob("*.xml"))
    cmif = need_shared() / "tei" / "cmif.sch"
    assert _agree(schematron.load(cmif, Disk()), cmif, samples) == 210
    features = DATA / "features.sch"
    assert _agree(schematron.load(features, Disk()), features, [DATA / "features.xml"]) == 6


def test_phase_from_the_command_line():
    args = ["validate", "--schema", "none", "--schematron", str(DATA / "features.sch"),
            str(DATA / "features.xml")]
    every = CliRunner().invoke(main, args)
    dates = CliRunner().invoke(main, args + ["--phase", "only-dates"])
    assert "[sch:div-type]" in every.output and "[sch:w3c]" in every.output
    assert "[sch:div-type]" not in dates.output and "[sch:w3c]" in dates.output
    unknown = CliRunner().invoke(main, args + ["--phase", "nope"])
    assert unknown.exit_code == 2 and "no phase 'nope'" in unknown.output


@pytest.mark.parametrize("binding", ["xslt", "xslt2"])
def test_current_is_the_rule_context_in_both_query_languages(tmp_path, binding):
    """XSLT's current() (teikit.sch's id-uniqueness rule uses it with XPath 1.0)."""
    sch = tmp_path / "c.sch"
    sch.write_text(f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">'
                   '<pattern><rule context="*[@id]"><assert id="unique" '
                   'test="count(//*[@id = current()/@id]) = 1">id repeated</assert></rule></pattern>'
                   '</schema>')
    doc = tmp_path / "a.xml"
    doc.write_text('<r>\n<a id="x"/>\n<b id="y"/>\n<c id="x"/>\n</r>')
    assert _found(schematron.load(sch, Disk()), doc) == [("sch:unique", "error", 2), ("sch:unique", "error", 4)]


@pytest.mark.parametrize("binding", ["xslt2", "xslt3"])
def test_a_rule_cannot_read_files_or_the_network(tmp_path, binding):
    """XPath 2/3's doc(), unparsed-text(), collection() and environment-variable() would let a
    Schematron file read the disk, the environment or the network: they find nothing, never
    the secret, and the offline validator stays offline."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    other = tmp_path / "other.xml"
    other.write_text("<x>TOP-SECRET</x>", encoding="utf-8")
    tests = [f"contains(string(doc('{other.as_uri()}')), 'TOP')",
             f"contains(unparsed-text('{secret.as_uri()}'), 'TOP')",
             "contains(string(doc('http://127.0.0.1:9/x')), 'x')",
             f"count(collection('{tmp_path.as_uri()}')) gt 0",
             "exists(environment-variable('HOME'))"]
    sch = tmp_path / "leak.sch"
    sch.write_text(f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">'
                   '<pattern><rule context="a">'
                   + "".join(f'<report id="leak{i}" test="{t}">leaked</report>' for i, t in enumerate(tests))
                   + '</rule></pattern></schema>', encoding="utf-8")
    doc = tmp_path / "a.xml"
    doc.write_text("<a/>", encoding="utf-8")
    found = _found(schematron.load(sch, Disk()), doc)
    assert not [f for f in found if f[0].startswith("sch:leak")], found


def test_a_let_holding_an_element_and_an_attribute_is_the_elements_string_value(tmp_path):
    # a mixed node-set: the runner keeps the string value of its first node in document
    # order (here the element), not Python's text for the lxml object
    sch = tmp_path / "m.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
                   '<pattern><rule context="doc"><let name="v" value="b | c/@n"/>'
                   '<report id="said" test="true()">v=<value-of select="$v"/>.</report>'
                   '</rule></pattern></schema>')
    schema = schematron.load(sch, Disk())
    doc = tmp_path / "d.xml"
    doc.write_text('<doc><b>bee<i>!</i></b><c n="7"/></doc>')
    issues = schematron.validate_tree(schema, xmlsafe.parse_file(str(doc), Disk())[0], str(doc))
    assert [i.message for i in issues] == ["v=bee!."]
