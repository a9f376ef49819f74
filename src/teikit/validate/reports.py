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
    """One file's findings, the schema it was checked with and its layers' verdicts."""

    path: str
    issues: list[Issue] = field(default_factory=list)
    schema: dict | None = None  # schemas.Choice.describe(): which grammar, stand-in or not
    layers: dict | None = None  # layer -> True (valid) / False (invalid) / None (not run)

    @property
    def valid(self) -> bool:
        """No error-level finding."""
        return not any(i.severity == "error" for i in self.issues)


@dataclass
class Report:
    """A validation run's result: each file's, and findings about the schemas."""

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


def schema_line(report: Report) -> str | None:
    """Which grammars the files were validated against, e.g.
    `schemas: teikit:tei_all.rng 12 files (3 stand-ins), schema/x.rng 1 file`."""
    counts: dict[str, list[int]] = {}
    for result in report.files:
        if result.schema:
            entry = counts.setdefault(result.schema.get("rng") or "-", [0, 0])
            entry[0] += 1
            entry[1] += bool(result.schema.get("stand_in"))
    if not counts:
        return None
    parts = [f"{name} {n} file{'s' if n != 1 else ''}" + (f" ({k} stand-in{'s' if k != 1 else ''})" if k else "")
             for name, (n, k) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))]
    return "schemas: " + ", ".join(parts)


def to_text(report: Report) -> str:
    lines = [i.format() for i in report.all_issues()]
    schemas = schema_line(report)
    if schemas:
        lines.append(schemas)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _issue_json(issue: Issue) -> dict:
    return {"severity": issue.severity, "code": issue.code, "layer": issue.layer,
            "message": issue.message, "line": issue.line, "column": issue.col}


LAYERS = ("wf", "rng", "schematron", "cross-document")


def _layer_summary(report: Report) -> dict:
    out = {}
    for layer in LAYERS:
        verdicts = [f.layers.get(layer) for f in report.files if f.layers]
        out[layer] = {"valid": sum(v is True for v in verdicts), "invalid": sum(v is False for v in verdicts),
                      "not_run": sum(v is None for v in verdicts)}
    return out


def to_json(report: Report) -> str:
    """The stable JSON report: per file its verdict, each layer's verdict apart, the schema
    used (and whether it was a stand-in), its findings; `teikit validate --combine` reads it."""
    summary = report.summary()
    summary["layers"] = _layer_summary(report)
    data = {
        "files": [{"path": f.path, "valid": f.valid, "layers": f.layers, "schema": f.schema,
                   "issues": [_issue_json(i) for i in f.issues]}
                  for f in report.files],
        "schema_issues": [dict(_issue_json(i), path=i.file) for i in report.issues],
        "summary": summary,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str, source: str = "<report>") -> Report:
    """A Report read back from `to_json` output (to combine shards' reports)."""
    try:
        data = json.loads(text)
        files = [FileResult(f["path"], [Issue(i["severity"], i["code"], i["message"], f["path"],
                                              i.get("line"), i.get("column"), i.get("layer"))
                                        for i in f["issues"]], f.get("schema"), f.get("layers"))
                 for f in data["files"]]
        issues = [Issue(i["severity"], i["code"], i["message"], i.get("path"), i.get("line"),
                        i.get("column"), i.get("layer")) for i in data.get("schema_issues", [])]
    except (ValueError, KeyError, TypeError) as err:
        from teikit.core.errors import UsageError

        raise UsageError(f"{source} is not a teikit validate JSON report ({err}); write one "
                         "with `teikit validate --format json -o FILE`") from None
    return Report(files, issues)


def combine(reports: list[Report]) -> Report:
    """One report from several (CI shards): files in path order, each once (the last
    report that holds a file wins), schema-level findings once each."""
    by_path: dict[str, FileResult] = {}
    issues: list[Issue] = []
    for report in reports:
        for result in report.files:
            by_path[result.path] = result
        for issue in report.issues:
            if issue not in issues:
                issues.append(issue)
    return Report([by_path[p] for p in sorted(by_path)], issues)


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
