"""Errors that reach the user, and validation findings.

Library code raises TeikitError subclasses and never prints; cli.py turns them into
`Error: ...` on stderr and the exit code below.

Exit codes: 0 success; 1 findings or bad input; 2 usage error or unreadable schema.
"""

from __future__ import annotations

from dataclasses import dataclass


class TeikitError(Exception):
    """An error the user can act on. The message names the file, line and the fix."""

    exit_code = 1


class InputError(TeikitError):
    """Bad input file (missing, empty, binary, not UTF-8, nothing recognisable)."""


class RenderErrors(InputError):
    """Some inputs of `teikit html`/`text` could not be rendered (each already reported);
    the others were. `written` lists the pages written, `failed` the inputs that failed."""

    def __init__(self, message: str, written: list, failed: list):
        super().__init__(message)
        self.written, self.failed = written, failed


class ConfigError(TeikitError):
    """Invalid corpus configuration, registry or overrides file."""


class OutputError(TeikitError):
    """The output folder cannot be written."""


class CheckError(TeikitError):
    """Words of the source would be lost or placed in two files."""


class UsageError(TeikitError):
    exit_code = 2


@dataclass(frozen=True)
class Issue:
    """One finding: a warning of the converter or a validation result."""

    severity: str  # "error" | "warning" | "info"
    code: str  # stable code, e.g. "seg:toc-unmatched", "rng:element", "sch:date-order"
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    layer: str | None = None

    def format(self) -> str:
        where = self.file or "-"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.severity}: [{self.code}] {self.message}"
