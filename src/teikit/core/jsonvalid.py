"""Whether JSON data is valid against a JSON Schema, decided without jsonschema where that
can be done exactly, so that jsonschema is needed only to explain a file that is invalid.

jsonschema is general and slow for teikit's own files: importing it and checking
corpus.json cost ~0.04 s, the registry's files ~0.07 s, on every clean build, and the
answer is almost always "valid". `valid(schema, data)` compiles the schema (Draft 2020-12)
into plain checks and returns:

    True    jsonschema.Draft202012Validator(schema, format_checker=jsonfile.formats())
            finds no error in `data`
    False   it finds at least one, or this module cannot say: the caller asks jsonschema,
            which gives the findings (and the same "no error" when there is none)

Why True is exact. Every keyword this module knows is decided the way jsonschema's own
function for it decides it (jsonschema._keywords, _types, _utils: the same type tests, the
same `re.search`, `len`, comparisons and equality that keeps True and 1 apart; the formats
by the very functions jsonfile.formats() registers, with the same exception as "invalid").
A keyword, a keyword value, a `$ref`, a `$schema`, a format or a value of a type it does not
know makes the schema, or that check, undecided (`Unsure`), and the answer is False. Only
decisions, never guesses, reach `not`, `oneOf` and `if`, which need the exact validity of
their subschemas. tests/test_jsonvalid.py compares the answer with jsonschema's on teikit's
schemas and files and on thousands of mutations of them.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: keywords that assert nothing (jsonschema ignores them, or they only hold subschemas)
_ANNOTATIONS = frozenset({"title", "description", "$comment", "default", "examples", "deprecated", "readOnly",
                          "writeOnly", "$defs", "definitions", "then", "else", "contentMediaType",
                          "contentEncoding", "contentSchema"})
_NATIVE = (dict, list, str, int, float, bool, type(None))
#: the keywords decided here (a subset of jsonschema's Draft202012Validator.VALIDATORS)
_KEYWORDS = {k: "k_" + k.lstrip("$") for k in (
    "$ref", "type", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "minLength", "maxLength", "pattern",
    "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "items", "minItems", "maxItems",
    "uniqueItems", "properties", "patternProperties", "additionalProperties", "required", "propertyNames",
    "minProperties", "maxProperties")}


class Unsure(Exception):
    """This module cannot decide (jsonschema must)."""


def valid(schema, data, formats: dict | None = None) -> bool:
    """True when jsonschema would find no error in `data` (see the module's docstring);
    `formats`: format name -> the function jsonfile.formats() registers for it (raising
    ValueError or returning false for an invalid value); other formats are undecided."""
    return decide(schema, data, formats) is True


def decide(schema, data, formats: dict | None = None) -> bool | None:
    """jsonschema's verdict on `data` (True: no error), or None where this module cannot
    decide it: `valid`'s answer, with invalid told apart from undecided (for the tests)."""
    try:
        check = _Compiler(schema, formats or {}).root()
        return check(data)
    except (Unsure, RecursionError):
        return None


def _type_test(name: str):
    """jsonschema's Draft 2020-12 type checker, for the types json.loads gives."""
    if name == "string":
        return lambda x: isinstance(x, str)
    if name == "integer":
        return lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())
    if name == "number":
        return lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)
    if name == "object":
        return lambda x: isinstance(x, dict)
    if name == "array":
        return lambda x: isinstance(x, list)
    if name == "boolean":
        return lambda x: isinstance(x, bool)
    if name == "null":
        return lambda x: x is None
    raise Unsure(name)  # jsonschema raises UnknownType


def _native(x) -> None:
    if type(x) not in _NATIVE:
        raise Unsure(type(x).__name__)


def equal(one, two) -> bool:
    """jsonschema._utils.equal for JSON values: strings by ==, lists and objects member by
    member, True and False never equal to 1 and 0."""
    _native(one)
    _native(two)
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(key in two and equal(value, two[key]) for key, value in one.items())
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False  # unbool(a list) == a number or None: never
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two  # unbool: True and False equal only themselves
    return one == two


def _unique(items: list) -> bool:
    """jsonschema._utils.uniq, for lists of strings (sorted, then neighbours compared by ==,
    which for strings is set membership); other lists are undecided."""
    if not all(isinstance(i, str) for i in items):
        raise Unsure("uniqueItems of non-strings")
    return len(set(items)) == len(items)


def _int(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Unsure("not a count")
    return value


def _size(kind: type, least: int | None, most: int | None):
    """minLength/maxLength, minItems/maxItems, minProperties/maxProperties: len() of a value
    of `kind` (jsonschema: "len(instance) < mL" is an error; other kinds pass)."""
    if most is None:
        return lambda x: not isinstance(x, kind) or len(x) >= least
    return lambda x: not isinstance(x, kind) or len(x) <= most


def _number(value):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise Unsure("not a number")
    return value


class _Compiler:
    def __init__(self, schema, formats: dict):
        if isinstance(schema, dict) and schema.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
            raise Unsure("$schema")  # another draft: other rules
        self.schema = schema
        self.formats = formats
        self.refs: dict[str, list] = {}  # pointer -> [check] (filled once compiled: recursive refs)

    def root(self):
        return self.compile(self.schema, root=True)

    def compile(self, schema, root: bool = False):
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsure("schema")
        checks = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or (root and key in ("$schema", "$id")):
                continue
            name = _KEYWORDS.get(key)
            if name is None:
                raise Unsure(key)  # a keyword this module does not decide (or jsonschema ignores)
            checks.append(getattr(self, name)(value, schema))
        if "if" in schema:
            checks.append(self._if(schema))
        checks = [c for c in checks if c is not None]
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(c(x) for c in checks)

    # --- references ----------------------------------------------------------------------
    def k_ref(self, ref, _schema):
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            raise Unsure("$ref")  # another document, an anchor: referencing decides
        if ref not in self.refs:
            cell: list = []
            self.refs[ref] = cell
            target = self.schema
            for part in unquote(ref[1:]).split("/")[1:]:
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    raise Unsure("$ref target")
                if isinstance(target, dict) and ("$id" in target or "$anchor" in target):
                    raise Unsure("$id below the root")  # another base URI
            cell.append(self.compile(target, root=target is self.schema))
        cell = self.refs[ref]
        return lambda x: cell[0](x)

    # --- any instance ----------------------------------------------------------------------
    def k_type(self, types, _schema):
        names = [types] if isinstance(types, str) else types
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise Unsure("type")
        tests = [_type_test(n) for n in names]

        def check(x):
            _native(x)
            return any(t(x) for t in tests)

        return check

    def k_enum(self, values, _schema):
        if not isinstance(values, list):
            raise Unsure("enum")
        return lambda x: any(equal(v, x) for v in values)

    def k_const(self, value, _schema):
        return lambda x: equal(x, value)

    def k_allOf(self, schemas, _schema):
        checks = [self.compile(s) for s in self._list(schemas)]
        return lambda x: all(c(x) for c in checks)

    def k_anyOf(self, schemas, _schema):
        checks = [self.compile(s) for s in self._list(schemas)]
        return lambda x: any(c(x) for c in checks)

    def k_oneOf(self, schemas, _schema):
        checks = [self.compile(s) for s in self._list(schemas)]
        return lambda x: sum(1 for c in checks if c(x)) == 1

    def k_not(self, schema, _schema):
        check = self.compile(schema)
        return lambda x: not check(x)

    def k_if(self, _value, _schema):
        return None  # made with then/else by _if

    def _if(self, schema):
        test = self.compile(schema["if"])
        then = self.compile(schema["then"]) if "then" in schema else None
        else_ = self.compile(schema["else"]) if "else" in schema else None

        def check(x):
            if test(x):
                return then(x) if then is not None else True
            return else_(x) if else_ is not None else True

        return check

    @staticmethod
    def _list(schemas):
        if not isinstance(schemas, list) or not schemas:
            raise Unsure("a list of schemas")
        return schemas

    # --- strings -----------------------------------------------------------------------------
    def k_minLength(self, n, _schema):
        return _size(str, _int(n), None)

    def k_maxLength(self, n, _schema):
        return _size(str, None, _int(n))

    def k_pattern(self, pattern, _schema):
        if not isinstance(pattern, str):
            raise Unsure("pattern")
        try:
            rx = re.compile(pattern)  # what re.search(pattern, x) compiles
        except re.error:
            raise Unsure("pattern") from None
        return lambda x: not isinstance(x, str) or rx.search(x) is not None

    def k_format(self, name, _schema):
        func = self.formats.get(name) if isinstance(name, str) else None
        if func is None:
            raise Unsure("format")  # whether jsonschema checks it depends on what is installed

        def check(x):
            try:
                result = func(x)
            except ValueError:  # the `raises` jsonfile.formats() registers it with
                return False
            except Exception:  # noqa: BLE001 (jsonschema lets it propagate: not decided here)
                raise Unsure("format") from None
            return bool(result)

        return check

    # --- numbers -----------------------------------------------------------------------------
    # jsonschema: "if instance < minimum" (and so on) is an error; NaN compares false both ways
    def k_minimum(self, m, _schema):
        return self._bound(m, lambda x, m: x < m)

    def k_maximum(self, m, _schema):
        return self._bound(m, lambda x, m: x > m)

    def k_exclusiveMinimum(self, m, _schema):
        return self._bound(m, lambda x, m: x <= m)

    def k_exclusiveMaximum(self, m, _schema):
        return self._bound(m, lambda x, m: x >= m)

    @staticmethod
    def _bound(m, fails):
        m = _number(m)
        is_number = _type_test("number")

        def check(x):
            _native(x)
            return not is_number(x) or not fails(x, m)

        return check

    # --- arrays ------------------------------------------------------------------------------
    def k_items(self, schema, parent):
        if "prefixItems" in parent:
            raise Unsure("prefixItems")
        check = self.compile(schema)
        return lambda x: not isinstance(x, list) or all(check(i) for i in x)

    def k_minItems(self, n, _schema):
        return _size(list, _int(n), None)

    def k_maxItems(self, n, _schema):
        return _size(list, None, _int(n))

    def k_uniqueItems(self, flag, _schema):
        if not isinstance(flag, bool):
            raise Unsure("uniqueItems")
        return (lambda x: not isinstance(x, list) or _unique(x)) if flag else None

    # --- objects -----------------------------------------------------------------------------
    def k_properties(self, properties, _schema):
        if not isinstance(properties, dict):
            raise Unsure("properties")
        checks = [(name, self.compile(s)) for name, s in properties.items()]
        return lambda x: not isinstance(x, dict) or all(c(x[name]) for name, c in checks if name in x)

    def k_patternProperties(self, patterns, _schema):
        if not isinstance(patterns, dict):
            raise Unsure("patternProperties")
        try:
            checks = [(re.compile(p), self.compile(s)) for p, s in patterns.items()]
        except re.error:
            raise Unsure("patternProperties") from None
        return lambda x: not isinstance(x, dict) or all(c(v) for rx, c in checks for k, v in x.items()
                                                        if rx.search(k) is not None)

    def k_additionalProperties(self, schema, parent):
        known = parent.get("properties", {})
        patterns = parent.get("patternProperties", {})
        if not isinstance(known, dict) or not isinstance(patterns, dict):
            raise Unsure("additionalProperties")
        try:  # jsonschema._utils.find_additional_properties: the patterns joined by "|"
            joined = re.compile("|".join(patterns)) if patterns else None
        except re.error:
            raise Unsure("patternProperties") from None
        check = self.compile(schema)

        def extras(x):
            return (k for k in x if k not in known and (joined is None or joined.search(k) is None))

        return lambda x: not isinstance(x, dict) or all(check(x[k]) for k in extras(x))

    def k_required(self, names, _schema):
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise Unsure("required")
        return lambda x: not isinstance(x, dict) or all(n in x for n in names)

    def k_propertyNames(self, schema, _schema):
        check = self.compile(schema)
        return lambda x: not isinstance(x, dict) or all(check(k) for k in x)

    def k_minProperties(self, n, _schema):
        return _size(dict, _int(n), None)

    def k_maxProperties(self, n, _schema):
        return _size(dict, None, _int(n))
