"""The one reader of schema-checked JSON (teikit.core.jsonfile): format checking, teikit's
partial-date format, and errors that name the file, the JSON path, the line and the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from teikit.core import jsonfile
from teikit.core.errors import ConfigError
from teikit.convert.registry import Registry
from teikit.projectinputs import load_config
from teikit.projectinputs import read_registry

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value, ok", [
    ("1938", True), ("1938-08", True), ("1938-08-10", True), ("1920-02-29", True),
    ("1921-02-31", False), ("1921-02-29", False), ("2026-13-45", False), ("1938-00", False),
    ("1938-8", False), ("38", False), ("1938-08-10T00:00", False),
])
def test_partial_date_format(value, ok):
    schema = {"type": "string", "format": "partial-date"}
    assert (jsonfile.findings(value, schema) == []) is ok


def test_date_format_is_checked():
    schema = {"type": "object", "properties": {"d": {"type": "string", "format": "date"}}}
    [finding] = jsonfile.findings({"d": "2026-13-45"}, schema, '{"d": "2026-13-45"}')
    assert finding.path == "$.d" and (finding.line, finding.col) == (1, 7)
    assert "'2026-13-45' is not a valid date" in finding.message


def test_positions_follow_the_path_not_the_first_key():
    text = '{\n "entries": [\n  {"id": "a"},\n  {"id": "b",\n   "x": [1,\n    2]}\n ]\n}'
    assert jsonfile.position_of(text, ("entries", 1, "id")) == (4, 10)
    assert jsonfile.position_of(text, ("entries", 1, "x", 1)) == (6, 5)
    assert jsonfile.position_of(text, ("missing",)) == (None, None)


def test_release_date_out_of_calendar_is_rejected(tmp_path):
    config = json.loads((ROOT / "corpus/source/corpus.json").read_text("utf-8"))
    config["release_date"] = "2026-13-45"
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(config, indent=2), "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert f"Corpus configuration {str(path)!r} is invalid at $.release_date (line " in message
    assert "'2026-13-45' is not a valid date" in message
    assert "schema/corpus.schema.json" in message


def test_role_date_out_of_calendar_is_rejected(tmp_path):
    person = {"id": "x", "name": "A X", "surname": "X", "variants": ["X"],
              "roles": [{"role": "Ambassador", "office": "ambassador", "from": "1921-02-31"}]}
    folder = tmp_path / "reg"
    folder.mkdir()
    for kind, entries in (("persons", [person]), ("places", []), ("orgs", [])):
        (folder / f"{kind}.json").write_text(json.dumps({"kind": kind, "entries": entries}, indent=1), "utf-8")
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    message = str(info.value)
    assert "is invalid at $.entries[0].roles[0].from (line 15, column 14)" in message
    assert "'1921-02-31' is not a valid partial-date" in message


def test_syntax_error_names_line_and_column():
    with pytest.raises(ConfigError) as info:
        jsonfile.load_checked('{\n "a": 1,\n}', {}, "x.json", "Thing", "Fix it", "s.json")
    assert str(info.value).startswith("Thing 'x.json' is not valid JSON at line 3, column 1:")


def test_a_text_found_valid_before_is_not_checked_again_and_an_invalid_one_still_is(monkeypatch):
    """While a run memo is installed (a build), a text found valid against the same schema
    is read without the check; another text, or the same text against another schema, is
    checked (and its errors reported)."""
    from teikit.core import jsonfile, runmemo

    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    memo = runmemo.Memo()
    with memo.installed():
        assert jsonfile.load_checked('{"n": 1}', schema, "a.json", "File", "Fix it", "s.json") == {"n": 1}
        assert len(memo.used["json_valid"]) == 1
        real = jsonfile.findings
        monkeypatch.setattr(jsonfile, "findings", lambda *a: pytest.fail("checked again"))
        assert jsonfile.load_checked('{"n": 1}', schema, "a.json", "File", "Fix it", "s.json") == {"n": 1}
        monkeypatch.setattr(jsonfile, "findings", real)
        with pytest.raises(ConfigError, match="is invalid at"):
            jsonfile.load_checked('{"n": "x"}', schema, "a.json", "File", "Fix it", "s.json")
        with pytest.raises(ConfigError, match="is invalid at"):
            jsonfile.load_checked('{"n": 1}', dict(schema, properties={"n": {"type": "string"}}), "a.json",
                                  "File", "Fix it", "s.json")
    assert len(memo.used["json_valid"]) == 1  # invalid texts are not kept
