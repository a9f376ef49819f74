"""Report formats, compared as whole strings."""

from teikit.core.errors import Issue
from teikit.validate.reports import FileResult, Report, render

REPORT = Report(files=[
    FileResult("a.xml", []),
    FileResult("b.xml", [Issue("error", "rng:unexpected-element", "Element <x> is not allowed here",
                               "b.xml", 3, None, "rng"),
                         Issue("warning", "sch:date-empty", "Empty date, 100%", "b.xml", 4, 2, "sch")]),
])


def test_text():
    assert render(REPORT, "text") == (
        "b.xml:3: error: [rng:unexpected-element] Element <x> is not allowed here\n"
        "b.xml:4:2: warning: [sch:date-empty] Empty date, 100%\n"
        "2 files: 1 valid, 1 invalid; 1 error, 1 warning\n")


def test_json():
    assert render(REPORT, "json") == """{
  "files": [
    {
      "path": "a.xml",
      "valid": true,
      "issues": []
    },
    {
      "path": "b.xml",
      "valid": false,
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
    "info": 0
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
