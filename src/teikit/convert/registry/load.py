"""Reading and checking the registry files of a folder (persons, places, orgs, vocabulary)."""

from __future__ import annotations

from pathlib import Path

from teikit.convert.registry import vocabulary
from teikit.convert.registry.entries import FILES, Entry, entry_from_json, norm
from teikit.core import jsonfile, resources
from teikit.core.errors import ConfigError

SCHEMA_PATH = resources.schema_dir() / "registry.schema.json"
VOCABULARY_SCHEMA_PATH = resources.schema_dir() / "vocabulary.schema.json"


def read_file(path: Path, kind: str, schema: dict) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Registry file {str(path)!r} is missing. Create it with "
                          f'{{"kind": "{kind}", "entries": []}}.') from exc
    data = jsonfile.load_checked(text, schema, str(path), "Registry file",
                                 "Fix the value to match the schema", SCHEMA_PATH.name)
    if data["kind"] != kind:
        raise ConfigError(f"Registry file {str(path)!r} has kind {data['kind']!r} at $.kind, "
                          f"expected {kind!r}. Set \"kind\": \"{kind}\" or rename the file.")
    return [entry_from_json(kind, raw) for raw in data["entries"]]


def read_folder(folder: Path, schema_path: Path | None = None):
    """(entries by kind, vocabulary) of a registry folder, checked; ConfigError on any problem."""
    folder = Path(folder)
    schema = jsonfile.read_schema(schema_path or SCHEMA_PATH)
    kinds = {k: read_file(folder / name, k, schema) for k, name in FILES.items()}
    check_unique(folder, kinds)
    vocab = vocabulary.read(folder, jsonfile.read_schema(VOCABULARY_SCHEMA_PATH))
    return kinds, vocab


def check_unique(folder: Path, kinds: dict[str, list[Entry]]) -> None:
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


def check_refs(folder: Path, reg) -> None:
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
