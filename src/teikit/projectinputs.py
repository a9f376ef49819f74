"""The project's inputs read from disk and checked: the source text, the configuration, the
registry (kept between builds under its fingerprint) and the editor's overrides. Each
problem is a ConfigError or InputError naming the file and the fix."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING

from teikit import doccache, resources
from teikit.convert import overrides as overridesmod
from teikit.convert.readers.profile import ReaderProfile, check_types
from teikit.convert.registry import Registry
from teikit.core.errors import ConfigError, InputError
from teikit.core.jsonfile import read_checked
from teikit.disk import Disk

if TYPE_CHECKING:
    from teikit.project import Project


def read_source(path: Path) -> str:
    """The source text, or an InputError naming the file and the fix."""
    if not path.exists():
        raise InputError(f"Source file {str(path)!r} does not exist. Give the path of the compilation's text file.")
    if path.is_dir():
        raise InputError(f"Source {str(path)!r} is a folder. Give the path of the compilation's text file.")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"Source file {str(path)!r} is empty. Give a text file with the compilation's documents.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"Source file {str(path)!r} is binary, not text. Convert it to UTF-8 text (markdown) first.")
    for enc in ("utf-8-sig",):
        try:
            return data.decode(enc)
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise InputError(
                f"Source file {str(path)!r} is not UTF-8 (byte {data[err.start]:#04x} at line {line}). "
                f"Convert it, e.g. `iconv -f cp1252 -t utf-8`."
            ) from None
    raise AssertionError("unreachable")


def load_config(path: Path) -> dict:
    if not path.exists():
        raise ConfigError(f"Corpus configuration {str(path)!r} is missing. Create it (schema: schema/corpus.schema.json; "
                          f"example: corpus/source/corpus.json of the bundled corpus).")
    config = read_checked(path, resources.schema_dir() / "corpus.schema.json", "Corpus configuration", "Fix the value",
                          Disk())
    ReaderProfile.from_dict(config.get("reader"), source=repr(str(path)))  # ConfigError naming key and file
    check_types(config, repr(str(path)))
    return config


def build_date(config: dict) -> str:
    """The date written into headers: SOURCE_DATE_EPOCH if set, else the configured release date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return config["release_date"]


def load_registry(project: "Project", config: dict, kept: Path | None = None, key: str | None = None) -> Registry:
    """The project's registry, read and checked. With `kept` (a file) and `key` (the
    fingerprints of the registry folder and of teikit's code): the registry as it was loaded
    last under that key, else loaded and kept there (checking it is most of the cost)."""
    registry = kept_registry(project, config, kept, key)
    if registry is not None:
        return registry
    registry = read_registry(project.registry_dir(config))
    if kept is not None and key is not None:
        doccache.save_value(kept, key, registry)  # as loaded: before any use fills its tables
    return registry


def kept_registry(project: "Project", config: dict, kept: Path | None = None, key: str | None = None) -> Registry | None:
    """The registry `load_registry` keeps in `kept` under `key`, or None; ConfigError when
    the project has no registry folder."""
    folder = project.registry_dir(config)
    if not folder.is_dir():
        raise ConfigError(f"Registry folder {str(folder)!r} does not exist. Set 'registry' in {project.config_path} "
                          f"to the folder holding persons.json, places.json and orgs.json.")
    if kept is not None and key is not None:
        registry = doccache.load_value(kept, key)
        if isinstance(registry, Registry):
            return registry
    return None


def read_registry(folder: Path) -> Registry:
    """The registry in `folder` (persons, places, orgs, vocabulary JSON) read from disk and
    checked against teikit's schema; ConfigError on any problem."""
    return Registry.load(folder, resources.schema_dir() / "registry.schema.json", files=Disk())


def load_overrides(project: "Project") -> overridesmod.Overrides:
    """The editor's overrides (none when the project has no overrides.json), schema-checked."""
    path = project.overrides_path
    data = read_checked(path, resources.schema_dir() / "overrides.schema.json", "Overrides file", "Fix the entry", Disk()) \
        if path.exists() else None
    return overridesmod.from_data(data, str(path))
