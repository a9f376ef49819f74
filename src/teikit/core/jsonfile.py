"""JSON data checked against a JSON Schema, with findings people can act on.

The one reader of schema-checked JSON in teikit: the corpus configuration, the overrides,
the registry, the deposit metadata and `teikit validate --json-schema` all go through it.
The schema is applied with format checking: the standard formats jsonschema knows (`date`,
`date-time`, `uri`, `email` …) plus teikit's own `partial-date`, an ISO date of which only
the printed parts are given (`1938`, `1938-08`, `1938-08-10`), checked against the
calendar, so that `"2026-13-45"` or `"1921-02-31"` is an error and not a string that
happens to match a pattern. Files are read through the `Files` object the caller hands
over (teikit.core.files); this module opens none itself.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from teikit.core import jsonvalid, runmemo
from teikit.core.errors import ConfigError

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_partial_date(value: object) -> bool:
    """A year, a year-month or a full date, each a real one."""
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError("not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    datetime.date(year, month, day)  # ValueError for month 13, 31 February …
    return True


def is_date(value: object) -> bool:
    """RFC 3339 full-date (jsonschema's own check needs an optional package)."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("not YYYY-MM-DD")
    datetime.date.fromisoformat(value)
    return True


#: teikit's own formats: name -> check (ValueError, or a false result, for an invalid value)
OWN_FORMATS = {"partial-date": is_partial_date, "date": is_date}


@functools.lru_cache(maxsize=1)
def formats():
    """jsonschema's format checker with teikit's `partial-date` and `date` (jsonschema is
    imported here, on first use: a build whose JSON files were checked before needs none)."""
    import jsonschema

    checker = jsonschema.FormatChecker()
    for name, check in OWN_FORMATS.items():
        checker.checks(name, raises=ValueError)(check)
    return checker


@dataclass(frozen=True)
class Finding:
    """One schema violation: where (JSON path and, when known, line) and what."""

    path: str   # "$.entries[3].id"
    line: int | None
    col: int | None
    message: str
    schema_path: str  # "properties/entries/items/…"
    parts: tuple = ()  # ("entries", 3, "id")


def json_path(parts) -> str:
    """`$`, `$.entries[3].id`, `$.documents["sfp-1921-04-09"].type` …"""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p):
            out += f".{p}"
        else:
            out += "[" + json.dumps(p, ensure_ascii=False) + "]"
    return out


_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _value_at(text: str, pos: int, parts) -> int | None:
    """Offset of the value reached by `parts` from the value starting at `pos`."""
    pos = _WS.match(text, pos).end()
    if not parts:
        return pos
    head, rest = parts[0], parts[1:]
    if text.startswith("{", pos) and isinstance(head, str):
        pos = _WS.match(text, pos + 1).end()
        while text.startswith('"', pos):
            key, pos = json.decoder.scanstring(text, pos + 1)
            pos = _WS.match(text, pos).end() + 1  # the colon
            if key == head:
                return _value_at(text, pos, rest)
            _, pos = _DECODER.raw_decode(text, _WS.match(text, pos).end())
            pos = _WS.match(text, pos).end()
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()
        return None
    if text.startswith("[", pos) and isinstance(head, int):
        pos = pos + 1
        for _ in range(head):
            _, pos = _DECODER.raw_decode(text, _WS.match(text, pos).end())
            pos = _WS.match(text, pos).end() + 1  # the comma
        return _value_at(text, pos, rest)
    return None


def position_of(text: str, parts) -> tuple[int, int] | tuple[None, None]:
    """(line, column), both 1-based, of the value at a JSON path in its text, or (None, None)."""
    try:
        pos = _value_at(text, 0, list(parts))
    except (ValueError, IndexError):
        pos = None
    if pos is None:
        return None, None
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _message(err) -> str:
    if err.validator == "format":
        cause = f" ({err.cause})" if err.cause else ""
        return f"{err.instance!r} is not a valid {err.validator_value}{cause}"
    if err.validator == "uniqueItems" and isinstance(err.instance, list):
        dup = [x for i, x in enumerate(err.instance) if x in err.instance[:i]]
        return f"{', '.join(map(repr, dict.fromkeys(map(str, dup))))} listed more than once"
    return err.message


def findings(data: object, schema: dict, text: str | None = None) -> list[Finding]:
    """Every violation of `schema` by `data`, in document order (empty when valid). Data
    that teikit.core.jsonvalid finds valid is not given to jsonschema (nor is it imported):
    the same empty list, decided exactly without it."""
    if jsonvalid.valid(schema, data, OWN_FORMATS):
        return []
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    errors = sorted(cls(schema, format_checker=formats()).iter_errors(data),
                    key=lambda e: [(0, p, "") if isinstance(p, int) else (1, 0, p)
                                   for p in e.absolute_path])
    return [Finding(json_path(e.absolute_path),
                    *(position_of(text, e.absolute_path) if text is not None else (None, None)),
                    _message(e), "/".join(map(str, e.absolute_schema_path)), tuple(e.absolute_path))
            for e in errors]


def check_schema(schema: dict, name: str) -> None:
    """ConfigError when `schema` is not itself a valid JSON Schema."""
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as err:
        raise ConfigError(f"JSON Schema {name!r} is not a valid schema: {err.message}.") from None


def parse(text: str, name: str, label: str) -> object:
    """JSON text -> data; ConfigError naming the file, line and column of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{label} {name!r} is not valid JSON at line {err.lineno}, column "
                          f"{err.colno}: {err.msg}. Fix the JSON syntax.") from None


def load_checked(text: str, schema: dict, name: str, label: str, fix: str,
                 schema_name: str) -> object:
    """Parsed, schema-checked data; ConfigError naming the file, JSON path, line and fix.
    While a teikit.core.runmemo.Memo is installed, a text found valid against the same
    schema before is not checked again (validity is a function of the text and the schema,
    whose hashes are the key, and of jsonschema's code and the format checkers installed, which the code
    fingerprint a Memo is kept under holds: teikit.project.LIBRARIES)."""
    data = parse(text, name, label)
    memo = runmemo.current()  # a file checked before against the same schema (teikit.core.runmemo)
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(),
           hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8")).hexdigest()) if memo is not None else None
    if key is not None and memo.get("json_valid", key):
        return data
    found = findings(data, schema, text)
    if key is not None and not found:
        memo.put("json_valid", key, True)
    if found:
        f = found[0]
        line = f" (line {f.line}, column {f.col})" if f.line else ""
        more = f" ({len(found) - 1} more after it)" if len(found) > 1 else ""
        raise ConfigError(f"{label} {name!r} is invalid at {f.path}{line}: {f.message}. "
                          f"{fix} (schema: schema/{schema_name}){more}.")
    return data


def _read_text(files, path) -> str | None:
    """The UTF-8 text of a file read through `files` with its newlines as Path.read_text
    gives them, None when there is none (OSError and UnicodeDecodeError propagate)."""
    data = files.read(path)
    if data is None:
        return None
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def read_schema(schema_path, files) -> dict:
    """A JSON Schema file teikit ships or a user names, read through `files`; ConfigError
    when unreadable."""
    try:
        text = _read_text(files, schema_path)
        if text is None:
            raise FileNotFoundError(2, "No such file or directory")
        return json.loads(text)
    except (OSError, ValueError) as err:
        raise ConfigError(f"JSON Schema {str(schema_path)!r} cannot be read: {err}.") from None


def read_checked(path, schema_path, label: str, fix: str, files) -> object:
    """`load_checked` on a file read through `files`; a missing or unreadable file is a
    ConfigError too."""
    try:
        text = _read_text(files, path)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{label} {str(path)!r} cannot be read: {err}.") from None
    if text is None:
        raise ConfigError(f"{label} {str(path)!r} is missing.")
    return load_checked(text, read_schema(schema_path, files), str(path), label, fix,
                        PurePath(schema_path).name)
