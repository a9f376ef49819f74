"""Validation reports: the Report data and its text, json, junit and github renderings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lxml import etree

from teikit.core.errors import Issue

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FORMATS = ("text", "json", "junit", "github")


@dataclass
class FileResult:
    path: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No error-level finding."""
        return not any(i.severity == "error" for i in self.issues)


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # about schemas, not one file

    def all_issues(self) -> list[Issue]:
        return self.issues + [i for f in self.files for i in f.issues]

    def summary(self) -> dict:
        counts = {"error": 0, "warning": 0, "info": 0}
        for issue in self.all_issues():
            counts[issue.severity] = counts.get(issue.severity, 0) + 1
        valid = sum(1 for f in self.files if f.valid)
        return {"files": len(self.files), "valid": valid, "invalid": len(self.files) - valid,
                "errors": counts["error"], "warnings": counts["warning"], "info": counts["info"]}

    def fails(self, fail_on: str = "error") -> bool:
        """True when any finding is at or above `fail_on`."""
        rank = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK.get(i.severity, 2) >= rank for i in self.all_issues())


def summary_line(report: Report) -> str:
    s = report.summary()
    return (f"{s['files']} file{'s' if s['files'] != 1 else ''}: {s['valid']} valid, "
            f"{s['invalid']} invalid; {s['errors']} error{'s' if s['errors'] != 1 else ''}, "
            f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}")


def to_text(report: Report) -> str:
    lines = [i.format() for i in report.all_issues()]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _issue_json(issue: Issue) -> dict:
    return {"severity": issue.severity, "code": issue.code, "layer": issue.layer,
            "message": issue.message, "line": issue.line, "column": issue.col}


def to_json(report: Report) -> str:
    data = {
        "files": [{"path": f.path, "valid": f.valid, "issues": [_issue_json(i) for i in f.issues]}
                  for f in report.files],
        "schema_issues": [dict(_issue_json(i), path=i.file) for i in report.issues],
        "summary": report.summary(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_junit(report: Report) -> str:
    """JUnit XML: one testcase per file; a failure lists the file's errors, warnings go
    to system-out."""
    s = report.summary()
    suites = etree.Element("testsuites", name="teikit validate", tests=str(s["files"]),
                           failures=str(s["invalid"]), errors="0")
    suite = etree.SubElement(suites, "testsuite", name="teikit validate", tests=str(s["files"]),
                             failures=str(s["invalid"]), errors="0", skipped="0")
    if report.issues:
        props = etree.SubElement(suite, "system-out")
        props.text = "\n".join(i.format() for i in report.issues)
    for result in report.files:
        case = etree.SubElement(suite, "testcase", classname="teikit.validate", name=result.path)
        errors = [i for i in result.issues if i.severity == "error"]
        others = [i for i in result.issues if i.severity != "error"]
        if errors:
            failure = etree.SubElement(
                case, "failure", type=errors[0].code,
                message=f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {errors[0].message}")
            failure.text = "\n".join(i.format() for i in errors)
        if others:
            out = etree.SubElement(case, "system-out")
            out.text = "\n".join(i.format() for i in others)
    return etree.tostring(suites, pretty_print=True, xml_declaration=True,
                          encoding="UTF-8").decode("utf-8")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def to_github(report: Report) -> str:
    """GitHub Actions workflow commands, one annotation per finding, then the summary."""
    lines = []
    for issue in report.all_issues():
        props = []
        if issue.file:
            props.append(f"file={_escape_property(issue.file)}")
        if issue.line is not None:
            props.append(f"line={issue.line}")
        if issue.col is not None:
            props.append(f"col={issue.col}")
        props.append(f"title={_escape_property(issue.code)}")
        lines.append(f"::{_COMMAND.get(issue.severity, 'error')} {','.join(props)}::"
                     f"{_escape_data(issue.message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render(report: Report, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "junit": to_junit, "github": to_github}[fmt](report)
