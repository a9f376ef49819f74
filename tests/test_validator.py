"""Validator layers, pruning, CLI and agreement with jing on the shared samples."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit.validate import rng
from teikit.validate import schematron
from teikit.core import xmlsafe
from teikit.cli import main
from teikit.core.errors import Issue

from .conftest import SHARED
from teikit.validate.validator import cross_document_checks
from teikit.validation import cache_dir, validate_json, validate_paths
from teikit.disk import Disk

DATA = Path(__file__).parent / "data" / "validate"
TEI_ALL = SHARED / "tei" / "tei_all.rng"
SAMPLES = SHARED / "samples"
needs_jing = pytest.mark.needs_jing
needs_shared = pytest.mark.needs_shared
JING_VERDICTS = {  # from samples/SOURCES.md: jing against tei_all
    "cmif/cmif-example01_basic.xml": True, "correspdesc/example01_basic.xml": True,
    "correspdesc/example13_correspDesc-pointing-to-participDesc.xml": True,
    "dehmel/HANSb17265.xml": True, "dta/soldatenbriefe-letter-005.xml": True,
    "epidoc/ISic000001.xml": True, "frus/frus-history_1961-11-03-hac-meeting-minutes.xml": False,
    "frus/frus1894Nicaragua.xml": False, "tei-c/aphrodisias.xml": True,
    "tei-c/tcw-editing.xml": True, "tei-c/testall.xml": True, "tei-c/torture.xml": False,
    "dehmel/kartell-teiCorpus.xml": False,
}


def _grammar_valid(result) -> bool:
    """The verdict jing gives: no error outside the Schematron layer (TEI's embedded
    Schematron runs too, and jing does not run it)."""
    return not any(i.severity == "error" and i.layer != "sch" for i in result.issues)


def _issues(name, **options):
    report = validate_paths([DATA / name], **options)
    return [(i.code, i.line, i.message) for i in report.all_issues()]


def test_rng_valid():
    assert _issues("valid.xml", schema=DATA / "small.rng") == []


def test_rng_invalid_two_errors_libxml2_messages():
    # libxml2's own wording (exact_messages=False): both faults, each at its element; before
    # the grammar was simplified (`empty` dropped from date's content) libxml2 blamed <date>
    assert _issues("invalid-2-errors.xml", schema=DATA / "small.rng", exact_messages=False) == [
        ("rng:datatype", 3, "Value '1920-13-01' is not a valid date"),
        ("rng:unexpected-element", 4, "Element <unknown> is not allowed here in <body>"),
    ]


def test_rng_invalid_two_errors_full_grammar():
    # teikit's own walk of the full grammar (rngwalk) gives the messages of a rejected file
    assert _issues("invalid-2-errors.xml", schema=DATA / "small.rng") == [
        ("rng:datatype", 3, "Value '1920-13-01' of attribute @when on <date> is invalid; "
                            "it must be an XML Schema date"),
        ("rng:unexpected-element", 4, "Element <unknown> is not allowed here in <body>. "
                                      "Expected: the end of <body>, <date>, <note> or <p>"),
    ]


def test_rng_missing_element():
    assert _issues("missing-head.xml", schema=DATA / "small.rng") == [
        ("rng:missing-element", 2, "Element <body> is not allowed yet in <TEI>: "
                                   "missing required element <head> before it")]


@pytest.mark.parametrize("message, context, expected", [
    ("Expecting an element head, got nothing", "TEI",
     ("rng:missing-element", "Element <TEI> is incomplete: expected element <head>")),
    ("Expecting element TEI, got a", None, ("rng:wrong-element", "Expected element <TEI>, found <a>")),
    ("Invalid attribute type for element teiHeader", None,
     ("rng:attribute", "Attribute @type is not allowed on element <teiHeader>, or its value is invalid")),
    ("Did not expect text in element date content", None,
     ("rng:unexpected-text", "Text is not allowed in element <date>")),
    ("Something new", None, ("rng:invalid", "Something new")),
])
def test_clean_message(message, context, expected):
    assert rng.clean_message(message, context) == expected


def test_schematron_pass():
    assert _issues("sch-pass.xml", schema=False, schematrons=[DATA / "small.sch"]) == []


def test_schematron_fail_four():
    assert _issues("sch-fail-4.xml", schema=False, schematrons=[DATA / "small.sch"]) == [
        ("sch:date-order", 2, "date: @notBefore 1921-01-01 is after @notAfter 1920-01-01"),
        ("sch:date-empty", 3, "Empty date"),
        ("sch:ref-local", 4, "@ref #nowhere does not point to an xml:id"),
        ("sch:div-id", 2, "Missing @xml:id on div"),
    ]


def test_schematron_severity_and_layer():
    report = validate_paths([DATA / "sch-fail-4.xml"], schema=False, schematrons=[DATA / "small.sch"])
    assert [(i.severity, i.layer) for i in report.all_issues()][:2] == [("error", "sch"), ("warning", "sch")]


def test_schematron_xpath2_reported_once_not_fired(tmp_path):
    sch = tmp_path / "x2.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="a">'
                   '<assert id="m" test="matches(., \'x\')">no</assert></rule></pattern></schema>')
    doc = tmp_path / "a.xml"
    doc.write_text("<a>y</a>")
    report = validate_paths([doc], schema=False, schematrons=[sch])
    assert report.files[0].issues == []
    assert [(i.code, i.severity) for i in report.issues] == [("sch:unsupported", "warning")]


def test_pattern_to_xpath():
    assert schematron.pattern_to_xpath("tei:a[@x='|'] | /tei:b | @c") == "//tei:a[@x='|'] | /tei:b | //@c"


def test_cross_document_duplicate_ids():
    a, _ = xmlsafe.parse_bytes(b'<r><p xml:id="x"/></r>', "a.xml")
    b, _ = xmlsafe.parse_bytes(b'<r>\n<p xml:id="x"/></r>', "b.xml")
    assert cross_document_checks({"a.xml": a, "b.xml": b}) == [
        Issue("error", "xdoc:duplicate-id", "xml:id 'x' is also defined in a.xml:1", "b.xml", 2, None, "xdoc")]


def test_xinclude_fallback_used():
    assert _issues("engine-disagreements/xinclude-fallback.xml",
                   schema=DATA / "engine-disagreements" / "schema.rng") == [
        ("xdoc:xinclude-missing", 2, "XInclude 'missing.xml': file not found; using the fallback")]


def test_json_schema(tmp_path):
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"persons": {"type": "array",
                      "items": {"type": "object", "required": ["id"]}}}}))
    doc = tmp_path / "d.json"
    doc.write_text('{\n  "persons": [\n    {"name": "A"}\n  ]\n}\n')
    assert validate_json(doc, schema) == [
        Issue("error", "json:persons/0", "'id' is a required property", str(doc), 3, 5, "json")]


def test_prune_keeps_wildcards_and_rejects_unknown():
    grammar = rng.load_grammar(DATA / "small.rng", Disk())
    used = frozenset({("http://www.tei-c.org/ns/1.0", n) for n in ("TEI", "head", "body", "p", "note")})
    pruned, count = rng.prune(grammar, used)
    assert count == 2  # date, and p's optional xml:id that no file carries; note's anyName is kept
    assert len(pruned.xpath("//r:anyName", namespaces={"r": rng.RNG_NS})) == 1
    assert len(pruned.xpath("//r:attribute", namespaces={"r": rng.RNG_NS})) == 0


def test_prune_keeps_the_attributes_in_use_and_every_required_one():
    grammar = rng.load_grammar(DATA / "small.rng", Disk())
    used = frozenset({("http://www.tei-c.org/ns/1.0", n) for n in ("TEI", "head", "body", "p", "note", "date")}
                     | {("@http://www.w3.org/XML/1998/namespace", "id")})
    pruned, count = rng.prune(grammar, used)
    assert count == 0
    names = sorted(a.get("name") for a in pruned.xpath("//r:attribute", namespaces={"r": rng.RNG_NS}))
    assert names == ["when", "xml:id"]  # when is required: kept even where no file has it


def test_pruning_preserves_verdicts_on_small_fixtures(monkeypatch):
    monkeypatch.setattr(rng, "PRUNE_MIN_BYTES", 0)  # small.rng is pruned as a large grammar is
    for name in ("valid.xml", "invalid-2-errors.xml", "missing-head.xml"):
        pruned = validate_paths([DATA / name], schema=DATA / "small.rng")
        full = validate_paths([DATA / name], schema=DATA / "small.rng", prune=False)
        assert pruned.files[0].valid == full.files[0].valid


def test_a_small_grammar_is_compiled_whole_with_the_report_of_a_pruned_one(monkeypatch):
    """rng.worth_pruning: a grammar under PRUNE_MIN_BYTES that includes nothing is not pruned
    (collecting the names costs more than compiling it whole); the report is the same."""
    compiled = []
    real = rng.compile_schema
    monkeypatch.setattr(rng, "compile_schema", lambda path, used=None, **kw: compiled.append(used) or real(path, used, **kw))
    whole = validate_paths([DATA], schema=DATA / "small.rng")
    assert compiled == [None]
    assert not rng.worth_pruning(DATA / "small.rng", Disk())
    assert rng.worth_pruning(Path(__file__).parents[1] / "schema" / "tei_all.rng", Disk())
    monkeypatch.setattr(rng, "PRUNE_MIN_BYTES", 0)
    pruned = validate_paths([DATA], schema=DATA / "small.rng")
    assert compiled[-1] is not None
    assert [(f.path, f.issues, f.layers) for f in whole.files] == [(f.path, f.issues, f.layers) for f in pruned.files]
    assert any(f.issues for f in whole.files)


@needs_shared
def test_samples_agree_with_jing_pruned_and_full():
    pruned = validate_paths([SAMPLES], schema=TEI_ALL, cross_document=False)
    verdicts = {str(Path(f.path).relative_to(SAMPLES)): _grammar_valid(f) for f in pruned.files}
    assert verdicts == JING_VERDICTS
    rng._MEMORY.clear()
    full = validate_paths([SAMPLES], schema=TEI_ALL, cross_document=False, prune=False)
    assert {str(Path(f.path).relative_to(SAMPLES)): _grammar_valid(f) for f in full.files} == JING_VERDICTS


@needs_shared
@needs_jing
def test_jing_engine_verdicts():
    report = validate_paths([SAMPLES], schema=TEI_ALL, engine="jing", cross_document=False)
    assert {str(Path(f.path).relative_to(SAMPLES)): _grammar_valid(f) for f in report.files} == JING_VERDICTS


def test_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path


# --- CLI ---------------------------------------------------------------------------------

def _run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def test_cli_valid_exit_0():
    result = _run("--schema", DATA / "small.rng", DATA / "valid.xml")
    assert (result.exit_code, result.output) == (0, f"schemas: {DATA / 'small.rng'} 1 file\n"
                                                 "1 file: 1 valid, 0 invalid; 0 errors, 0 warnings\n")


def test_cli_invalid_exit_1():
    result = _run("--schema", DATA / "small.rng", DATA / "missing-head.xml")
    assert result.exit_code == 1
    assert result.output == (f"{DATA / 'missing-head.xml'}:2:1: error: [rng:missing-element] "
                             "Element <body> is not allowed yet in <TEI>: missing required "
                             "element <head> before it\n"
                             f"schemas: {DATA / 'small.rng'} 1 file\n"
                             "1 file: 0 valid, 1 invalid; 1 error, 0 warnings\n")


def test_cli_fail_on_warning(tmp_path):
    doc = tmp_path / "w.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><head/><body><date when="1919-01-01"/></body></TEI>')
    options = ["--schema", DATA / "small.rng", "--schematron", DATA / "small.sch"]
    assert _run(*options, doc).exit_code == 0
    assert _run(*options, "--fail-on", "warning", doc).exit_code == 1


def test_cli_unreadable_schema_exit_2(tmp_path):
    result = _run("--schema", tmp_path / "nope.rng", DATA / "valid.xml")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: Cannot read schema '{tmp_path / 'nope.rng'}'")


def test_cli_bad_option_exit_2():
    assert _run("--format", "yaml", DATA / "valid.xml").exit_code == 2


def test_cli_json_output_file(tmp_path):
    out = tmp_path / "r.json"
    result = _run("--schema", DATA / "small.rng", "--format", "json", "-o", out, DATA / "valid.xml")
    assert (result.exit_code, result.output) == (0, "")
    summary = json.loads(out.read_text())["summary"]
    assert summary == {"files": 1, "valid": 1, "invalid": 0, "errors": 0, "warnings": 0, "info": 0,
                       "layers": summary["layers"]}
    assert summary["layers"]["rng"] == {"valid": 1, "invalid": 0, "not_run": 0}


@needs_shared
def test_samples_agree_with_jing_with_the_cross_document_layer_on():
    """Pointers of other projects' TEI to files outside the run are warnings, not errors:
    the verdicts stay jing's."""
    report = validate_paths([SAMPLES], schema=TEI_ALL)
    verdicts = {str(Path(f.path).relative_to(SAMPLES)): _grammar_valid(f) for f in report.files}
    assert verdicts == JING_VERDICTS
    dehmel = next(f for f in report.files if f.path.endswith("HANSb17265.xml"))
    assert {(i.severity, i.code) for i in dehmel.issues} == {("warning", "xdoc:ref-file")}
