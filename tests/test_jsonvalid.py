"""teikit.core.jsonvalid decides a file's validity without jsonschema only where the answer
is jsonschema's own: on teikit's schemas and files, on thousands of mutations of them, and
on each keyword's edge cases (True vs 1, NaN, oneOf, not, if, patterns, references). Where
it cannot decide, jsonschema does (and gives the findings)."""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path

import jsonschema
import pytest

from teikit.core import jsonfile, jsonvalid

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schema"

# (schema, files checked against it)
PAIRS = [
    ("corpus.schema.json", [ROOT / "corpus/source/corpus.json", *sorted(ROOT.glob("tests/data/sources/*/source/corpus.json"))]),
    ("overrides.schema.json", [ROOT / "corpus/overrides.json"]),
    ("registry.schema.json", [*sorted((ROOT / "data/registry").glob("[opo]*s.json")),
                              *sorted(ROOT.glob("tests/data/sources/*/registry/[opo]*s.json")),
                              *sorted((ROOT / "tests/data/registry-bad").glob("*.json"))]),
    ("vocabulary.schema.json", [ROOT / "data/registry/vocabulary.json",
                                *sorted(ROOT.glob("tests/data/sources/*/registry/vocabulary.json"))]),
    ("zenodo.schema.json", [ROOT / ".zenodo.json"]),
]

ODD_VALUES = ["", " ", "x", "1938", "1921-02-31", "2026-13-45", "1938-08-10", "Q42", "Q0", "a b", "-1", 0, 1, -1, 1.5,
              2.0, 1e300, float("nan"), True, False, None, [], [""], ["a", "a"], ["a", "b"], {}, {"x": 1}, 95, -200]


def jsonschema_valid(schema, data) -> bool:
    return not any(jsonschema.Draft202012Validator(schema, format_checker=jsonfile.formats()).iter_errors(data))


def agree(schema, data) -> bool | None:
    """jsonvalid's decision, asserted to be jsonschema's wherever it decides."""
    ours = jsonvalid.decide(schema, data, jsonfile.OWN_FORMATS)
    if ours is not None:
        assert ours is jsonschema_valid(schema, data), (schema, data)
    return ours


def _paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, here + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, here + (i,))


def _mutate(data, rng: random.Random):
    data = copy.deepcopy(data)
    path = rng.choice(list(_paths(data)))
    if not path:
        return data
    *head, last = path
    parent = data
    for p in head:
        parent = parent[p]
    how = rng.randrange(4)
    if how == 0 and isinstance(parent, dict):
        del parent[last]
    elif how == 0 and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))  # a duplicate item
    elif how == 1 and isinstance(parent, dict):
        parent[rng.choice(["extra", "$schema", "note", "id", "from"])] = rng.choice(ODD_VALUES)
    else:
        parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


@pytest.mark.parametrize("schema_name, files", PAIRS, ids=[p[0] for p in PAIRS])
def test_teikit_files_are_decided_valid_without_jsonschema(schema_name, files):
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    decided = 0
    for path in files:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        ours = agree(schema, data)
        if jsonschema_valid(schema, data):
            assert ours is True, path  # the fast path serves teikit's own valid files
            decided += 1
    assert decided, "no valid file of this schema was tried"


@pytest.mark.parametrize("schema_name, files", PAIRS, ids=[p[0] for p in PAIRS])
def test_mutations_are_decided_as_jsonschema_decides(schema_name, files):
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    rng = random.Random(schema_name)
    decided = invalid = 0
    for path in files:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data.get("entries"), list):  # a registry: a few entries of each file hold every form
            data["entries"] = data["entries"][:6]
        for _ in range(max(40, 400 // len(files))):
            ours = agree(schema, _mutate(data, rng))
            decided += ours is not None
            invalid += ours is False
    assert decided and invalid  # both verdicts were reached and compared


@pytest.mark.parametrize("schema, data", [
    ({"enum": [1, "a"]}, True), ({"enum": [True]}, 1), ({"enum": [1]}, 1.0), ({"const": False}, 0),
    ({"const": [1, {"a": None}]}, [1, {"a": None}]), ({"const": [1]}, [True]), ({"const": {"a": 1}}, {"a": 1, "b": 2}),
    ({"type": "integer"}, 2.0), ({"type": "integer"}, True), ({"type": "number"}, False), ({"type": ["null", "string"]}, None),
    ({"type": []}, 1), ({"enum": []}, 1), ({"minimum": 0}, float("nan")), ({"maximum": 0}, float("nan")),
    ({"exclusiveMinimum": 1}, 1), ({"exclusiveMaximum": 1}, 0.5), ({"minimum": 1}, "0"),
    ({"not": {"type": "string"}}, "x"), ({"not": {"minLength": 2}}, "x"),
    ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, "x"), ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, ""),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 3),
    ({"if": {"minLength": 2}, "then": {"pattern": "^a"}, "else": {"pattern": "^b"}}, "ba"),
    ({"if": {"minLength": 2}, "then": {"pattern": "^a"}, "else": {"pattern": "^b"}}, "b"),
    ({"then": False}, 1), ({"if": False, "then": False}, 1),
    ({"uniqueItems": True}, ["a", "b", "a"]), ({"uniqueItems": True}, ["a", "b"]), ({"uniqueItems": False}, [1, 1]),
    ({"pattern": "b"}, "abc"), ({"pattern": "^b"}, "abc"), ({"pattern": "^b"}, 5),
    ({"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {"type": "integer"}},
      "additionalProperties": False}, {"a": "s", "x1": 1}),
    ({"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {"type": "integer"}},
      "additionalProperties": False}, {"a": "s", "y": 1}),
    ({"additionalProperties": {"type": "string"}}, {"a": 1}), ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"A": 1}),
    ({"required": ["a"], "minProperties": 2}, {"a": 1}), ({"maxProperties": 0}, {}),
    ({"items": {"type": "string"}, "minItems": 1, "maxItems": 2}, ["a", "b", "c"]), ({"items": False}, []),
    ({"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}, "required": ["v"]}},
      "$ref": "#/$defs/n"}, {"v": 1, "next": {"v": 2, "next": {}}}),
    ({"$ref": "#/$defs/a~1b", "$defs": {"a/b": {"type": "string"}}}, 1),
    ({"type": "string", "format": "partial-date"}, "1921-02-29"), ({"format": "date"}, 5),
    ({"title": "t", "description": "d", "default": 1, "type": "string"}, "x"),
])
def test_keywords_decided_as_jsonschema_decides(schema, data):
    assert agree({"$schema": jsonvalid.DRAFT_2020_12, **schema}, data) is not None


@pytest.mark.parametrize("schema", [
    {"format": "email"},  # jsonschema checks it or not depending on optional packages
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},  # other rules ($ref siblings)
    {"multipleOf": 0.1}, {"contains": {"type": "string"}}, {"prefixItems": [{"type": "string"}]},
    {"$ref": "other.json#/x"}, {"$defs": {"a": {"$id": "http://x/a", "type": "string"}}, "$ref": "#/$defs/a"},
    {"ref": "#/$defs/a"},  # not a keyword: jsonschema ignores it; decided by jsonschema then
    {"uniqueItems": True, "items": {"type": "object"}},
])
def test_what_it_does_not_know_is_left_to_jsonschema(schema):
    data = [{"a": 1}, {"a": 1}] if "items" in schema else "x@y"
    assert jsonvalid.decide(schema, data, jsonfile.OWN_FORMATS) is None
    assert jsonvalid.valid(schema, data, jsonfile.OWN_FORMATS) is False


def test_findings_need_no_jsonschema_for_a_valid_file_and_still_explain_an_invalid_one(monkeypatch):
    schema = json.loads((SCHEMAS / "registry.schema.json").read_text(encoding="utf-8"))
    data = json.loads((ROOT / "data/registry/places.json").read_text(encoding="utf-8"))
    import sys
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # importing it would fail
    assert jsonfile.findings(data, schema) == []
    monkeypatch.undo()
    data["entries"][3]["id"] = "1bad id"
    [finding] = jsonfile.findings(data, schema)
    assert finding.path == "$.entries[3].id" and "does not match" in finding.message


def test_nan_and_infinite_values_compare_as_jsonschema_compares():
    for value in (float("nan"), math.inf, -math.inf):
        for schema in ({"minimum": 0}, {"maximum": 0}, {"exclusiveMinimum": 0}, {"exclusiveMaximum": 0}, {"enum": [value]}):
            agree(schema, value)
