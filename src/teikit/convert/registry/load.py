"""Reading and checking the registry files of a folder (persons, places, orgs, vocabulary).

The files (and the JSON Schemas) are read through the `Files` the application layer hands
over (teikit.core.files); nothing here opens a file itself."""

from __future__ import annotations

from pathlib import PurePath

from teikit.convert.registry import vocabulary
from teikit.convert.registry.entries import FILES, Entry, entry_from_json, norm
from teikit.core import jsonfile
from teikit.core.errors import ConfigError

SCHEMA_NAME = "registry.schema.json"
VOCABULARY_SCHEMA_NAME = "vocabulary.schema.json"  # beside the registry's schema


def _text(files, path: PurePath, label: str) -> str | None:
    """The file's text through `files`, None when there is none; ConfigError when it is not UTF-8."""
    data = files.read(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{label} {str(path)!r} cannot be read: {err}. Save it as UTF-8.") from None


def _schema(files, path: PurePath) -> dict:
    text = _text(files, path, "JSON Schema")
    if text is None:
        raise ConfigError(f"JSON Schema {str(path)!r} cannot be read: no such file.")
    return jsonfile.parse(text, str(path), "JSON Schema")


def parse_file(text: str | None, path: PurePath, kind: str, schema: dict) -> list[Entry]:
    """The entries of one registry file (its text; None when the file is missing)."""
    if text is None:
        raise ConfigError(f"Registry file {str(path)!r} is missing. Create it with "
                          f'{{"kind": "{kind}", "entries": []}}.')
    data = jsonfile.load_checked(text, schema, str(path), "Registry file",
                                 "Fix the value to match the schema", SCHEMA_NAME)
    if data["kind"] != kind:
        raise ConfigError(f"Registry file {str(path)!r} has kind {data['kind']!r} at $.kind, "
                          f"expected {kind!r}. Set \"kind\": \"{kind}\" or rename the file.")
    return [entry_from_json(kind, raw) for raw in data["entries"]]


def read_folder(files, folder: PurePath, schema_path: PurePath):
    """(entries by kind, vocabulary) of a registry folder read through `files` (a Files),
    checked against the schema at `schema_path` (teikit's: schema/registry.schema.json; the
    vocabulary's schema is read beside it); ConfigError on any problem."""
    folder = PurePath(folder)
    schema = _schema(files, schema_path)
    vocab_schema = PurePath(schema_path).parent / VOCABULARY_SCHEMA_NAME
    kinds = {k: parse_file(_text(files, folder / name, "Registry file"), folder / name, k, schema)
             for k, name in FILES.items()}
    check_unique(folder, kinds)
    vocab_path = folder / vocabulary.FILE
    vocab = vocabulary.parse(_text(files, vocab_path, "Vocabulary file"), str(vocab_path),
                             _schema(files, vocab_schema))
    return kinds, vocab


def check_unique(folder: PurePath, kinds: dict[str, list[Entry]]) -> None:
    for kind, entries in kinds.items():
        path = str(folder / FILES[kind])
        seen: dict[str, int] = {}
        claimed: dict[str, str] = {}
        for i, e in enumerate(entries):
            if e.id in seen:
                raise ConfigError(
                    f"Registry file {path!r} has duplicate id {e.id!r} at $.entries[{i}].id "
                    f"(first at $.entries[{seen[e.id]}].id). Give each entry its own id.")
            seen[e.id] = i
            own = {norm(v) for v in (e.name, *e.variants, *e.ambiguous)} - {""}
            for key in sorted(own):
                other = claimed.get(key)
                if other is not None and other != e.id:
                    raise ConfigError(
                        f"Registry file {path!r}: variant {key!r} of {e.id!r} at "
                        f"$.entries[{i}] is also claimed by {other!r}. Keep it in one entry "
                        f"only, or move it to ambiguousVariants of one of them.")
                claimed[key] = e.id


def check_refs(folder: PurePath, reg) -> None:
    """Places named by entries exist; offices of roles are in the vocabulary's office list."""
    offices = reg.vocab.office_ids
    for kind, table in (("persons", reg.persons), ("places", reg.places), ("orgs", reg.orgs)):
        for i, e in enumerate(table.values()):
            refs = [("country", e.country)] if e.country else []
            for j, r in enumerate(e.roles):
                refs += [(f"roles[{j}].of", r.of), (f"roles[{j}].in", r.in_)]
                if offices and r.office not in offices:
                    raise ConfigError(
                        f"Registry file {str(folder / FILES[kind])!r} at $.entries[{i}].roles[{j}].office: "
                        f"office {r.office!r} is not in the office list of {vocabulary.FILE}. Use one of "
                        f"its ids or add the office there.")
            for where, ref in refs:
                if ref and ref not in reg.places:
                    raise ConfigError(
                        f"Registry file {str(folder / FILES[kind])!r} at $.entries[{i}].{where}: "
                        f"place {ref!r} is not in places.json. Use a place id from places.json.")
            if e.successor and e.successor not in table:
                raise ConfigError(
                    f"Registry file {str(folder / FILES[kind])!r} at $.entries[{i}].successor: "
                    f"{e.successor!r} is not an id of the same file.")
