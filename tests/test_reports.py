"""Report formats, compared as whole strings."""

from teikit.core.errors import Issue
import pytest

from teikit.core.errors import UsageError
from teikit.validate.reports import FileResult, Report, combine, from_json, render

TEI_ALL = {"rng": "teikit:tei_all.rng", "named": None, "source": "default", "stand_in": False, "schematron": []}
STAND_IN = {"rng": "teikit:tei_all.rng", "named": "https://example.org/lost.rng", "source": "stand-in",
            "stand_in": True, "schematron": []}
REPORT = Report(files=[
    FileResult("a.xml", [], TEI_ALL, {"wf": True, "rng": True, "schematron": None, "cross-document": None}),
    FileResult("b.xml", [Issue("error", "rng:unexpected-element", "Element <x> is not allowed here",
                               "b.xml", 3, None, "rng"),
                         Issue("warning", "sch:date-empty", "Empty date, 100%", "b.xml", 4, 2, "sch")],
               STAND_IN, {"wf": True, "rng": False, "schematron": True, "cross-document": None}),
])


def test_text():
    assert render(REPORT, "text") == (
        "b.xml:3: error: [rng:unexpected-element] Element <x> is not allowed here\n"
        "b.xml:4:2: warning: [sch:date-empty] Empty date, 100%\n"
        "schemas: teikit:tei_all.rng 2 files (1 stand-in)\n"
        "2 files: 1 valid, 1 invalid; 1 error, 1 warning\n")


def test_json():
    assert render(REPORT, "json") == """{
  "files": [
    {
      "path": "a.xml",
      "valid": true,
      "layers": {
        "wf": true,
        "rng": true,
        "schematron": null,
        "cross-document": null
      },
      "schema": {
        "rng": "teikit:tei_all.rng",
        "named": null,
        "source": "default",
        "stand_in": false,
        "schematron": []
      },
      "issues": []
    },
    {
      "path": "b.xml",
      "valid": false,
      "layers": {
        "wf": true,
        "rng": false,
        "schematron": true,
        "cross-document": null
      },
      "schema": {
        "rng": "teikit:tei_all.rng",
        "named": "https://example.org/lost.rng",
        "source": "stand-in",
        "stand_in": true,
        "schematron": []
      },
      "issues": [
        {
          "severity": "error",
          "code": "rng:unexpected-element",
          "layer": "rng",
          "message": "Element <x> is not allowed here",
          "line": 3,
          "column": null
        },
        {
          "severity": "warning",
          "code": "sch:date-empty",
          "layer": "sch",
          "message": "Empty date, 100%",
          "line": 4,
          "column": 2
        }
      ]
    }
  ],
  "schema_issues": [],
  "summary": {
    "files": 2,
    "valid": 1,
    "invalid": 1,
    "errors": 1,
    "warnings": 1,
    "info": 0,
    "layers": {
      "wf": {
        "valid": 2,
        "invalid": 0,
        "not_run": 0
      },
      "rng": {
        "valid": 1,
        "invalid": 1,
        "not_run": 0
      },
      "schematron": {
        "valid": 1,
        "invalid": 0,
        "not_run": 1
      },
      "cross-document": {
        "valid": 0,
        "invalid": 0,
        "not_run": 2
      }
    }
  }
}
"""


def test_junit():
    assert render(REPORT, "junit") == """<?xml version='1.0' encoding='UTF-8'?>
<testsuites name="teikit validate" tests="2" failures="1" errors="0">
  <testsuite name="teikit validate" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="teikit.validate" name="a.xml"/>
    <testcase classname="teikit.validate" name="b.xml">
      <failure type="rng:unexpected-element" message="1 error: Element &lt;x&gt; is not allowed here">b.xml:3: error: [rng:unexpected-element] Element &lt;x&gt; is not allowed here</failure>
      <system-out>b.xml:4:2: warning: [sch:date-empty] Empty date, 100%</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_github():
    assert render(REPORT, "github") == (
        "::error file=b.xml,line=3,title=rng%3Aunexpected-element::Element <x> is not allowed here\n"
        "::warning file=b.xml,line=4,col=2,title=sch%3Adate-empty::Empty date, 100%25\n"
        "2 files: 1 valid, 1 invalid; 1 error, 1 warning\n")


def test_fails_threshold():
    assert REPORT.fails("error") and REPORT.fails("warning")
    assert not Report(files=[FileResult("a.xml", [])]).fails("warning")


def test_json_round_trip_and_combining_shards():
    shard_1 = from_json(render(Report(files=[REPORT.files[1]]), "json"))
    shard_2 = from_json(render(Report(files=[REPORT.files[0]]), "json"))
    assert render(combine([shard_1, shard_2]), "json") == render(REPORT, "json")
    assert render(combine([shard_1, shard_2]), "junit") == render(REPORT, "junit")


def test_a_file_that_is_not_a_report_is_a_usage_error():
    with pytest.raises(UsageError) as err:
        from_json('{"files": 3}', "x.json")
    assert str(err.value).startswith("x.json is not a teikit validate JSON report")
