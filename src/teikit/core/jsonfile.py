"""Reading a JSON data file checked against its JSON Schema, with errors people can act on."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from teikit.core.errors import ConfigError


def read_checked(path: Path, schema_path: Path, label: str, fix: str) -> object:
    """The parsed file; ConfigError naming the file, the line or the JSON path, and the fix.

    `label` names the file in messages ("Corpus configuration"); `fix` is what to do about
    a schema violation ("Fix the value")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ConfigError(f"{label} {str(path)!r} is not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}.") from None
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.path) or "(top level)"
        raise ConfigError(f"{label} {str(path)!r}: at {where}: {err.message}. {fix} (schema: schema/{schema_path.name}).")
    return data
