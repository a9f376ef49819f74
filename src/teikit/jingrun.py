"""`--engine jing`: run jing once over all files and read its messages as Issues (application
layer: it runs a process; teikit.validation hands `run_jing` to the validator)."""

from __future__ import annotations

import re
import shutil
import subprocess

from teikit.core.errors import Issue, UsageError

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|fatal): "
                   r"(?P<msg>.*)$")
_CODES = [
    (re.compile(r"not allowed here|not allowed yet|not allowed anywhere"), "rng:unexpected-element"),
    (re.compile(r"^element \S+ incomplete"), "rng:missing-element"),
    (re.compile(r"^(found )?attribute .*not allowed|^element .* missing required attribute"), "rng:attribute"),
    (re.compile(r"^bad value|^value of attribute .* is invalid|^character content of element .* invalid"), "rng:datatype"),
    (re.compile(r"text not allowed"), "rng:unexpected-text"),
    (re.compile(r"has already been defined|first occurrence of ID"), "rng:duplicate-id"),
    (re.compile(r"Include operation failed"), "rng:xinclude"),
]


def jing_command() -> str | None:
    return shutil.which("jing")


def code_for(message: str) -> str:
    for pattern, code in _CODES:
        if pattern.search(message):
            return code
    return "rng:invalid"


def parse_output(text: str) -> list[Issue]:
    """Issues from jing's `file:line:col: error: message` lines. jing's note on the
    first occurrence of a duplicate ID becomes an `info`."""
    issues = []
    for raw in text.splitlines():
        match = _LINE.match(raw)
        if not match:
            continue
        message = match["msg"].strip()
        severity = "warning" if match["sev"] == "warning" else "error"
        if message.startswith("first occurrence of ID"):
            severity = "info"
        issues.append(Issue(severity, code_for(message), message, match["file"],
                            int(match["line"]), int(match["col"]), "rng"))
    return issues


def run_jing(schema: str, paths: list[str], *, timeout: float = 600) -> list[Issue]:
    """Validate `paths` against `schema` in one jing call."""
    command = jing_command()
    if command is None:
        raise UsageError("--engine jing: jing is not installed (apt install jing), "
                         "or use --engine lxml")
    if not paths:
        return []
    try:
        done = subprocess.run([command, schema, *paths], capture_output=True, text=True,
                              timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UsageError(f"--engine jing: cannot run jing: {err}") from None
    issues = parse_output(done.stdout)
    schema_errors = [i for i in issues if i.file == schema]
    if schema_errors or (done.returncode != 0 and not issues):
        detail = schema_errors[0].message if schema_errors else done.stderr.strip()[-300:]
        raise UsageError(f"jing cannot use schema {schema!r}: {detail}")
    return issues
