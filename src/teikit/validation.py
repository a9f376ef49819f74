"""Validating files and folders on disk: the application side of teikit.validate.

The library (teikit.validate.validator.validate_documents) reads everything through the
`Files` and `Cache` objects it is handed. This module is what hands them over: it collects
the XML files of folders, reads XML_CATALOG_FILES and the cache location (TEIKIT_CACHE,
XDG_CACHE_HOME), decides where each file's XIncludes may read (it looks at the working
directory), asks for the CPUs this process may use, runs jing for `--engine jing`, and gives the
library the disk (teikit.disk).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator

from teikit import resources
from teikit.core.errors import ConfigError, Issue, UsageError
from teikit.disk import Disk, DiskCache, files_below
from teikit.beside import reap
from teikit.collector import fewer_collections
from teikit.workers import Side, Workers, available_cpus
from teikit.validate import catalog
from teikit.validate.reports import FileResult, Report
from teikit.validate.validator import in_shard, parse_shard, validate_documents  # noqa: F401

ENGINES = ("lxml", "jing")


def cache_dir() -> Path:
    """Where pruned grammars are cached; never inside the repository."""
    if os.environ.get("TEIKIT_CACHE"):
        return Path(os.environ["TEIKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "teikit"


def environment_catalogs() -> list[str]:
    """The catalogs XML_CATALOG_FILES names (space-separated files or file: URIs)."""
    return catalog.from_environment_value(os.environ.get("XML_CATALOG_FILES", ""))


def project_schema() -> str | None:
    """teikit's own schema (the repository's schema/, or the wheel's teikit/_data/schema)."""
    candidate = resources.schema_dir() / "teikit.rng"
    return str(candidate) if candidate.is_file() else None


def shipped_schematron(name: str):
    """One of teikit's shipped Schematron schemas (schema/<name>), compiled."""
    from teikit.validate import schematron

    return schematron.load(resources.schema_dir() / name, Disk())


def collect_files(paths: Iterable) -> tuple[list[str], list[Issue]]:
    """XML files named or found (recursively, `*.xml`, sorted) under the given paths."""
    files, issues = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(_xml_files_below(str(path)))
        elif path.is_file():
            files.append(str(path))
        else:
            issues.append(Issue("error", "wf:unreadable", "No such file or folder",
                                str(raw), None, None, "wf"))
    return files, issues


def _xml_files_below(folder: str) -> list[str]:
    """What `str(p) for p in Path(folder).rglob("*.xml") if p.is_file() or p.is_symlink()` gives, by os.scandir
    (teikit.disk.files_below): names ending in .xml (case-sensitive, dot files too) that
    are files or links (a link to nothing is reported as unreadable, not left out), in every
    subfolder that is not a link; unreadable folders
    are skipped."""
    prefix = "" if folder == "." else folder if folder.endswith("/") else folder + "/"
    return [prefix + rel for rel in files_below(folder, dangling=True) if rel.endswith(".xml")]


def _collect(paths) -> tuple[list[str], list[Issue], dict]:
    """collect_files, and for each file the path argument it was found under."""
    files, missing, origin = [], [], {}
    for raw in paths:
        found, issues = collect_files([raw])
        missing += issues
        for f in found:
            if f not in origin:
                origin[f] = str(raw)
                files.append(f)
    return files, missing, origin


def xinclude_root(path: str, origin: str) -> Path:
    """Where a file's XIncludes may read: the folder it was found in (or the folder of a
    file named directly), or the working directory when the file lies inside it."""
    cwd = Path.cwd().resolve()
    resolved = Path(path).resolve()
    if cwd in resolved.parents:
        return cwd
    origin_path = Path(origin)
    return origin_path if origin_path.is_dir() else Path(path).parent


class _XIncludeRoots(dict):
    """xinclude_root of each file, worked out when asked: only files that XInclude anything
    are (each costs two resolved paths)."""

    def __init__(self, origin: dict):
        super().__init__()
        self.origin = origin

    def __bool__(self) -> bool:
        return True

    def get(self, path, default=None):
        if path not in self and path in self.origin:
            self[path] = xinclude_root(path, self.origin[path])
        return dict.get(self, path, default)


def xml_files_in(folder: str) -> list[str]:
    """The `*.xml` files of one folder, sorted (for the corpus-members check)."""
    return [str(p) for p in sorted(Path(folder).glob("*.xml"))]


def validate_paths(paths, *, schema=None, schematrons=(), engine: str = "lxml",
                   jobs: int | None = None, cross_document: bool | None = None,
                   prune: bool = True, exact_messages: bool = True, catalogs=(),
                   strict_schema: bool = False, shard: tuple[int, int] | None = None,
                   embedded_schematron: str | bool = "warn", phase: str | None = None,
                   known_valid=frozenset(), split: bool = True, cache: bool = False,
                   keep: list | None = None) -> Report:
    """Validate files and folders on disk (options as
    teikit.validate.validator.validate_documents). `catalogs`: OASIS catalogs consulted
    before teikit's (XML_CATALOG_FILES is added). `shard`: (K, N) validates the K-th of N
    deterministic parts of the file list. `engine`: "lxml" (teikit's own) or "jing" (one
    jing process per grammar). `jobs`: processes sharing the work (None: by the work,
    one per CPU this process may use, teikit.workers). `split`: False where the caller
    keeps the other CPUs busy itself: then one process unless `jobs` says otherwise. `cache`: keep and
    reuse results (teikit.resultcache: the same report as without it; not with the jing
    engine, which reads what it reads by itself). `keep`: a list the parsed trees are
    appended to (the caller frees them, or not: validate_documents). Raises UsageError
    for an unknown engine, an unreadable schema or catalog; every problem with a document
    is an Issue."""
    if engine not in ENGINES:
        raise UsageError(f"Unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    with fewer_collections():  # a run makes many objects and little cyclic garbage (teikit.collector)
        return _validate_paths(paths, schema, schematrons, engine, jobs, cross_document, prune,
                               exact_messages, catalogs, strict_schema, shard, embedded_schematron,
                               phase, known_valid, split, cache, keep)


def _validate_paths(paths, schema, schematrons, engine, jobs, cross_document, prune, exact_messages,
                    catalogs, strict_schema, shard, embedded_schematron, phase, known_valid, split,
                    cache, keep) -> Report:
    files, missing, origin = _collect(paths)
    if shard:
        files = [f for f in files if in_shard(f, shard)]
    external = None
    if engine == "jing":
        from teikit.jingrun import run_jing as external
    every_catalog = [os.path.abspath(catalog.to_path(c)) for c in [*catalogs, *environment_catalogs()]]

    def validate(disk, listing, known, side: Side | None = None):
        return validate_documents(
            files, disk, schema_dir=str(resources.schema_dir()), cache=DiskCache(cache_dir()),
            schema=schema, schematrons=schematrons, external_rng=external,
            workers=Workers(jobs, available_cpus() if split else 1,  # a Recorder: worker reads count
                            notes=disk if hasattr(disk, "merge") else None, side=side, later=True),
            cross_document=cross_document, prune=prune,
            exact_messages=exact_messages, catalogs=every_catalog, strict_schema=strict_schema,
            embedded_schematron=embedded_schematron, phase=phase, known_valid=known,
            xinclude_roots=_XIncludeRoots(origin), listing=listing, keep=keep)

    if cache and engine != "jing":  # jing reads the grammars itself: no Recorder sees it
        from teikit import resultcache

        options = {"schema": None if schema is None else str(schema) if schema is not False else False,
                   "schematrons": [str(p) for p in schematrons], "engine": engine,
                   "cross_document": cross_document, "prune": prune, "exact": exact_messages,
                   "catalogs": every_catalog, "strict": strict_schema,
                   "embedded": embedded_schematron, "phase": phase,
                   "schema_dir": str(resources.schema_dir())}
        # a run's XInclude roots: the cwd (in the key) and the argument each file was found under
        report = resultcache.run(files, options, resultcache.folder_for(paths, cache_dir()), validate,
                                 Disk(stable_folders=True), xml_files_in,
                                 run_also=[origin.get(f) for f in files], known_valid=known_valid)
    else:
        report = validate(Disk(stable_folders=True), xml_files_in, known_valid)
    reap(wait=True)  # the workers ended while the results were put together and kept
    report.files += [FileResult(i.file, [i]) for i in missing]
    return report


def iter_issues(paths, **options) -> Iterator[Issue]:
    """Every finding of `validate_paths(paths, **options)`, schema-level ones first."""
    report = validate_paths(paths, **options)
    yield from report.all_issues()


def is_valid(paths, **options) -> bool:
    return not validate_paths(paths, **options).fails("error")


def validate_json(path, schema_path) -> list[Issue]:
    """JSON Schema findings for one JSON file, coded `json:<path>` (e.g. json:persons/3/id)."""
    from teikit.core import jsonfile  # jsonschema: imported only when JSON is validated

    name = str(path)
    try:
        schema = jsonfile.read_schema(Path(schema_path), Disk())
        jsonfile.check_schema(schema, str(schema_path))
    except ConfigError as err:
        raise UsageError(f"Cannot use JSON Schema: {err}") from None
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = json.loads(text)
    except OSError as err:
        return [Issue("error", "json:unreadable", f"Cannot read file: {err.strerror}", name,
                      layer="json")]
    except ValueError as err:
        return [Issue("error", "json:syntax", err.msg, name, err.lineno, err.colno, "json")]
    return [Issue("error", "json:" + ("/".join(map(str, f.parts)) or "$"),
                  f.message, name, f.line, f.col, "json")
            for f in jsonfile.findings(data, schema, text)]


# --- documents held in memory -----------------------------------------------------------------

class MemoryThenDisk:
    """`Files` for documents held in memory: a name `memory` holds is read there; teikit's
    shipped schemas, absolute paths and the paths named in `on_disk` (a --schema or
    --schematron given by the caller) are read from the disk; any other relative name is
    not there (it would name a file beside a document that has no folder)."""

    def __init__(self, memory, on_disk=()):
        self.memory = memory
        self.on_disk = {os.path.normpath(str(p)) for p in on_disk}
        self.disk = Disk()

    def _disk_ok(self, path) -> bool:
        text = str(path)
        return os.path.isabs(text) or os.path.normpath(text) in self.on_disk

    def read(self, path) -> bytes | None:
        data = self.memory.read(path)
        if data is None and self._disk_ok(path):
            data = self.disk.read(path)
        return data

    def is_file(self, path) -> bool:
        return self.memory.is_file(path) or (self._disk_ok(path) and self.disk.is_file(path))

    def real(self, path):
        if self.memory.is_file(path) or not self._disk_ok(path):
            return self.memory.real(path)
        return self.disk.real(path)


def validate_memory(documents: dict, *, files=None, schema=None, schematrons=(), catalogs=(),
                    cross_document: bool | None = True, **options) -> Report:
    """Validate documents held in memory ({name: bytes, or an lxml tree or element}); the
    findings name the given names. What they name (XIncludes, `<?xml-model?>` schemas,
    Schematron), relative to those names, is read from `files` ({name: bytes} or a
    teikit.core.files.Files; default: nothing), never from the disk; teikit's shipped
    schemas, absolute paths and the `schema`/`schematrons`/`catalogs` named here are.
    Other options as validate_paths (no engine, shard or jobs: one process)."""
    from lxml import etree

    from teikit.core.files import MemoryFiles

    extra = files if files is not None and not isinstance(files, dict) else MemoryFiles(files or {})
    data = {}
    for name, doc in documents.items():
        if isinstance(doc, (bytes, bytearray)):
            data[str(name)] = bytes(doc)
        else:
            root = doc.getroot() if hasattr(doc, "getroot") else doc
            data[str(name)] = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    memory = _Layered(MemoryFiles(data), extra)
    named = [p for p in [schema, *schematrons, *catalogs] if p not in (None, False, "auto", "none")]
    every_catalog = [os.path.abspath(catalog.to_path(c)) for c in [*catalogs, *environment_catalogs()]]
    return validate_documents(
        list(data), MemoryThenDisk(memory, named), schema_dir=str(resources.schema_dir()),
        cache=DiskCache(cache_dir()), schema=schema, schematrons=schematrons,
        cross_document=cross_document, catalogs=every_catalog, **options)


class _Layered:
    """Two `Files`, the first one's names first."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def read(self, path):
        data = self.first.read(path)
        return data if data is not None else self.second.read(path)

    def is_file(self, path) -> bool:
        return self.first.is_file(path) or self.second.is_file(path)

    def real(self, path):
        return (self.first if self.first.is_file(path) or not self.second.is_file(path) else self.second).real(path)
