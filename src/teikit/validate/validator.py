"""Validation layers: well-formedness -> RELAX NG -> Schematron -> cross-document.

`validate_paths` is the I/O edge (it reads the files and schemas it is given); the layers
themselves take trees. Each layer reports Issues with its own `layer` and code prefix
(`wf:`, `rng:`, `sch:`, `xdoc:`, `json:`). A file that is not well-formed is not passed to
the later layers.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from teikit.validate import catalog, schemas
from teikit.validate import rng
from teikit.validate import schematron
from teikit.core import xinclude, xmlsafe
from teikit.core.errors import ConfigError, Issue, UsageError
from teikit.validate import crossdoc
from teikit.validate import included
from teikit.core import resources
from teikit.core.names import XML_NS
from teikit.validate.reports import FileResult, Report

ENGINES = ("lxml", "jing")
PARALLEL_MIN_FILES = 400  # below this many files, and
PARALLEL_MIN_ELEMENTS = 200_000  # this many elements, forking costs more than it saves
WALK_PARALLEL_MIN_ELEMENTS = 5_000  # the message walk costs far more per element


def project_schema() -> str | None:
    """teikit's own schema (the repository's schema/, or the wheel's teikit/_data/schema)."""
    candidate = resources.schema_dir() / "teikit.rng"
    return str(candidate) if candidate.is_file() else None


XML_BASE = f"{{{XML_NS}}}base"


def collect_files(paths: Iterable) -> tuple[list[str], list[Issue]]:
    """XML files named or found (recursively, `*.xml`, sorted) under the given paths."""
    files, issues = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(str(p) for p in path.rglob("*.xml") if p.is_file())
        elif path.is_file():
            files.append(str(path))
        else:
            issues.append(Issue("error", "wf:unreadable", "No such file or folder",
                                 str(raw), None, None, "wf"))
    return files, issues


# --- XInclude: teikit.core.xinclude -------------------------------------------------------

def expand_xincludes(tree, filename: str, root=None) -> list[Issue]:
    """Expand local XIncludes (inside `root`, default the file's folder), or their fallback."""
    return xinclude.expand(tree, filename, root=root)


# --- cross-document ------------------------------------------------------------------------

def _own_elements(tree):
    """The elements of a file itself: subtrees XIncluded from other files are checked on their own."""
    return crossdoc.own_elements(tree.getroot() if hasattr(tree, "getroot") else tree)


def duplicate_ids_across(trees: dict) -> list[Issue]:
    """`xdoc:duplicate-id`: an `@xml:id` used in more than one file."""
    first: dict[str, tuple[str, int | None]] = {}
    issues = []
    attr = f"{{{XML_NS}}}id"
    for path, tree in trees.items():
        local = set()
        for el in crossdoc.own_with(tree.getroot() if hasattr(tree, "getroot") else tree, attr):
            value = el.get(attr)
            if value in local:
                continue
            local.add(value)
            if value in first and first[value][0] != path:
                where, line = first[value]
                issues.append(Issue("error", "xdoc:duplicate-id",
                                    f"xml:id {value!r} is also defined in {where}:{line}",
                                    path, el.sourceline, None, "xdoc"))
            else:
                first.setdefault(value, (path, el.sourceline))
    return issues


CROSS_DOCUMENT_CHECKS: list[Callable[[dict], list[Issue]]] = [duplicate_ids_across, *crossdoc.CHECKS]


def cross_document_checks(trees: dict) -> list[Issue]:
    """Run every check in CROSS_DOCUMENT_CHECKS over {path: tree}; others may append."""
    issues = []
    with crossdoc.one_pass():  # the trees do not change meanwhile: per-tree facts computed once
        for check in CROSS_DOCUMENT_CHECKS:
            issues += check(trees)
    return issues


# --- JSON Schema -----------------------------------------------------------------------------

def validate_json(path, schema_path) -> list[Issue]:
    """JSON Schema findings for one JSON file, coded `json:<path>` (e.g. json:persons/3/id)."""
    from teikit.core import jsonfile  # jsonschema: imported only when JSON is validated

    name = str(path)
    try:
        schema = jsonfile.read_schema(Path(schema_path))
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


# --- the run ---------------------------------------------------------------------------------

@dataclass
class _Plan:
    files: list[str]
    trees: dict = field(default_factory=dict)  # path -> tree (well-formed only)
    issues: dict = field(default_factory=dict)  # path -> [Issue]
    schema_of: dict = field(default_factory=dict)  # path -> rng path or None
    schematrons_of: dict = field(default_factory=dict)  # path -> [sch paths]
    choices: dict = field(default_factory=dict)  # path -> schemas.Choice


_STATE: dict = {}  # shared with forked workers


def _validate_one(path: str) -> list[Issue]:
    tree = _STATE["trees"][path]
    issues = []
    compiled = _STATE["compiled"].get(_STATE["schema_of"].get(path))
    if compiled is not None:
        reduced = _STATE.get("reduced", {}).get(path)
        issues += rng.validate_tree(compiled, reduced[0] if reduced else tree, path)
    for sch_path in _STATE["schematrons_of"].get(path, ()):
        sch = _STATE["sch"].get(sch_path)
        if sch is not None:
            found = schematron.validate_tree(sch, tree, path)
            if sch_path in _STATE.get("advisory", ()):
                found = [_advisory(i) for i in found]
            issues += found
    return issues


def _advisory(issue: Issue) -> Issue:
    """A finding of a grammar's embedded rules in the default mode: shown, not failing."""
    if issue.severity != "error":
        return issue
    return dataclasses.replace(issue, severity="warning", message=issue.message +
                               " (a constraint embedded in the schema; --embedded-schematron=error"
                               " makes it an error)")


def _compile_rngs(plan: _Plan, prune: bool, containers=frozenset()) -> dict:
    """Each grammar compiled once for the run, pruned to the names all its files use."""
    groups: dict[str, tuple[list, list]] = {}
    for path, schema in plan.schema_of.items():
        if schema and path in plan.trees:
            trees, alone = groups.setdefault(schema, ([], []))
            if path in containers:  # what its members' own files bring is counted there
                subtrees, elements = _names_outside_members(plan, path, schema)
                trees += subtrees
                alone += elements
            else:
                trees.append(plan.trees[path])
    compiled = {}
    for schema, (trees, alone) in groups.items():
        names = rng.used_names(trees, alone) if prune else None
        compiled[schema] = rng.compile_schema(schema, names)
    return compiled


def _names_outside_members(plan: _Plan, path: str, schema: str) -> tuple[list, list]:
    """(subtrees, single elements) of a container whose names its own files do not bring:
    its own elements, and included subtrees whose file is not validated against `schema`."""
    root = plan.trees[path].getroot()
    base = Path(path).parent
    included = crossdoc.included_roots(root)
    subtrees = [el for el in included
                if plan.schema_of.get(str(base / el.get(XML_BASE))) != schema
                or str(base / el.get(XML_BASE)) not in plan.trees]
    # the included roots themselves carry xml:base, which their own files do not
    return subtrees, list(crossdoc.own_elements(root)) + included


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """`K/N` (1 <= K <= N) -> (K, N); UsageError otherwise."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise UsageError(f"--shard {value!r}: give K/N with 1 <= K <= N, e.g. --shard 2/4")
    return int(match[1]), int(match[2])


def in_shard(path: str, shard: tuple[int, int]) -> bool:
    """Deterministic, stable split: a file's shard depends on its path only (as given, with
    '/' separators), so adding a file never moves the others."""
    k, n = shard
    digest = hashlib.sha1(Path(path).as_posix().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def _schematron(sch_compiled: dict, path: str, rng_path: bool = False):
    """Load a Schematron once per run (an .rng: its embedded rules, when supported)."""
    if path not in sch_compiled:
        if rng_path:
            embedded = getattr(schematron, "embedded", None)
            sch_compiled[path] = embedded(path) if embedded else None
        else:
            sch_compiled[path] = schematron.load(path)
    return sch_compiled[path]


def _xinclude_root(path: str, origin: str) -> Path:
    """Where a file's XIncludes may read: the folder it was found in (or the folder of a
    file named directly), or the working directory when the file lies inside it."""
    cwd = Path.cwd().resolve()
    resolved = Path(path).resolve()
    if cwd in resolved.parents:
        return cwd
    origin_path = Path(origin)
    return origin_path if origin_path.is_dir() else Path(path).parent


def validate_paths(paths, *, schema=None, schematrons=(), engine: str = "lxml",
                   jobs: int | None = None, cross_document: bool | None = None,
                   prune: bool = True, exact_messages: bool = True, catalogs=(),
                   strict_schema: bool = False, shard: tuple[int, int] | None = None,
                   embedded_schematron: str | bool = "warn", phase: str | None = None,
                   known_valid=frozenset()) -> Report:
    """Validate files and folders.

    `schema`: a RELAX NG path for every file, or None / "auto": each file's own schema
    (teikit.validate.schemas: <?xml-model?>, catalogs, tei_all as stand-in or default),
    or False / "none": no RELAX NG layer.
    `catalogs`: OASIS catalogs consulted before teikit's (XML_CATALOG_FILES is added).
    `strict_schema`: a schema that cannot be had is an error, not a tei_all stand-in.
    `cross_document`: None = only where files form one set (a teiCorpus and what it
    includes, a teikit corpus folder), True = across all files, False = never.
    `shard`: (K, N) validates the K-th of N deterministic parts of the file list.
    `embedded_schematron`: the Schematron rules embedded in each file's RELAX NG (TEI's own
    constraints, as Oxygen runs them): "warn" (default) reports their findings as warnings,
    so that the verdict stays the grammar's (jing's); "error" keeps each rule's own role;
    "off" (or False) does not run them. True means "error".
    With `prune`, grammars are pruned to the names in use (same verdicts, fast compile);
    with `exact_messages`, files the pruned grammar rejects are checked again with the
    full grammar for precise messages. Raises UsageError for an unknown engine, an
    unreadable schema or catalog; every problem with a document is an Issue.
    `known_valid`: paths the caller knows passed the RELAX NG and Schematron layers with
    the same bytes and schemas (an incremental build): they are parsed, included and
    cross-checked, but their own layers are not run again (a file that XIncludes others
    always is, since its members may have changed)."""
    if engine not in ENGINES:
        raise UsageError(f"Unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    embedded_mode = {True: "error", False: "off"}.get(embedded_schematron, embedded_schematron)
    if embedded_mode not in ("warn", "error", "off"):
        raise UsageError(f"Unknown --embedded-schematron {embedded_schematron!r}; choose warn, error or off")
    advisory: set[str] = set()
    files, missing, origin = _collect(paths)
    if shard:
        files = [f for f in files if in_shard(f, shard)]
    report = Report()
    chooser = schemas.Chooser([*catalogs, *catalog.from_environment()], strict=strict_schema)
    no_rng = schema is False or schema == "none"
    option = None if schema in (None, "auto") or no_rng else str(schema)
    if option and not Path(option).is_file():
        raise UsageError(f"Cannot read schema {option!r}: no such file")
    explicit = [str(p) for p in schematrons]
    sch_compiled: dict = {p: schematron.load(p, phase=phase) for p in explicit}  # phase: of these
    plan = _Plan(files)
    containers: set[str] = set()
    parsed = {}
    for path in files:
        tree, plan.issues[path] = xmlsafe.parse_file(path)
        if tree is not None:
            parsed[path] = tree
    # an included file that is in the run is copied, not read and parsed again
    by_abspath = {os.path.abspath(p): t for p, t in parsed.items()
                  if t.getroot().find(f".//{xinclude.INCLUDE}") is None}

    def member(href, target):
        tree = by_abspath.get(os.path.abspath(target))
        if tree is None:
            return xinclude.parse_target(href, target)
        return copy.deepcopy(tree.getroot()), []

    for path in files:
        tree, issues = parsed.get(path), plan.issues[path]
        if tree is None:
            continue
        if tree.getroot().find(f".//{xinclude.INCLUDE}") is not None:
            issues += xinclude.expand(tree, path, root=_xinclude_root(path, origin[path]), load=member)
            containers.add(path)
        plan.trees[path] = tree
        choice = chooser.choose(tree, path, option)
        if no_rng:
            choice.rng, choice.source = None, "none"
        plan.choices[path] = choice
        issues += choice.issues
        plan.schema_of[path] = choice.rng
        schs = list(explicit)
        for extra in choice.schematrons:
            try:
                loaded = _schematron(sch_compiled, extra, rng_path=extra.endswith(".rng"))
            except UsageError as err:
                issues.append(Issue("warning", "schema:unreadable", str(err), path, None, None, "schema"))
                continue
            if loaded is not None and extra not in schs:
                schs.append(extra)
        if embedded_mode != "off" and choice.rng and choice.rng not in schs:
            if _schematron(sch_compiled, choice.rng, rng_path=True) is not None:
                schs.append(choice.rng)
                if embedded_mode == "warn":
                    advisory.add(choice.rng)
        plan.schematrons_of[path] = schs
    if engine == "jing":
        rng_issues = _run_jing(plan)
        compiled = {}
    else:
        compiled = _compile_rngs(plan, prune, containers)
        rng_issues = {}
    reduced = included.plan_reductions(plan.trees, plan.schema_of, containers) if compiled else {}
    _STATE.clear()
    _STATE.update(trees=plan.trees, compiled=compiled, schema_of=plan.schema_of,
                  schematrons_of=plan.schematrons_of, sch=sch_compiled, reduced=reduced,
                  advisory=advisory,
                  plan=plan, exact=exact_messages and bool(compiled))
    skipped = {p for p in files if p in plan.trees and p in known_valid and p not in containers}
    order = [p for p in files if p in plan.trees and p not in skipped]
    results = _map(_validate_one, order, jobs)
    results = _settle_reduced(order, results, reduced, compiled, plan)
    # precise messages for the files libxml2 rejected: the costly part, in workers of its own
    rejected = [p for p, issues in zip(order, results) if _wants_exact(issues)]
    _STATE["first"] = dict(zip(order, results))
    worded = dict(zip(rejected, _map(_walk_one, rejected, jobs, min_elements=WALK_PARALLEL_MIN_ELEMENTS)))
    for path, issues in zip(order, results):
        plan.issues[path] += rng_issues.get(path, []) + worded.get(path, issues)
    ran_xdoc = set()
    for group in crossdoc.groups(plan.trees, cross_document):
        ran_xdoc.update(group)
        for issue in cross_document_checks({p: plan.trees[p] for p in group}):
            plan.issues.setdefault(issue.file, []).append(issue)
    report.files = [FileResult(p, plan.issues[p], _schema_info(plan, p),
                               _layers(plan, p, p in ran_xdoc, engine)) for p in files]
    report.files += [FileResult(i.file, [i]) for i in missing]
    for sch in sch_compiled.values():
        if sch is not None:
            report.issues += sch.problems
    _STATE.clear()
    return report


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


def _schema_info(plan: _Plan, path: str) -> dict | None:
    choice = plan.choices.get(path)
    if choice is None:
        return None
    info = choice.describe()
    info["rng"] = schemas.display(choice.rng)
    info["schematron"] = [schemas.display(s) for s in plan.schematrons_of.get(path, [])]
    return info


def _layers(plan: _Plan, path: str, xdoc_ran: bool, engine: str) -> dict:
    """Each layer's verdict apart: True valid, False invalid, None not run."""
    issues = plan.issues.get(path, [])

    def ok(*layers):
        return not any(i.severity == "error" and i.layer in layers for i in issues)

    if path not in plan.trees:
        return {"wf": False, "rng": None, "schematron": None, "cross-document": None}
    ran_rng = plan.schema_of.get(path) is not None
    return {"wf": ok("wf"),
            "rng": ok("rng", "schema") if ran_rng else (False if not ok("schema") else None),
            "schematron": ok("sch") if plan.schematrons_of.get(path) else None,
            "cross-document": ok("xdoc") if xdoc_ran else None}


def _settle_reduced(order: list[str], results: list, reduced: dict, compiled: dict, plan: _Plan) -> list:
    """A container checked with its members reduced (teikit.included): if the member used as
    the stand-in is invalid on its own, check the whole tree after all; else the container
    is invalid where it was, plus one finding per member that is invalid on its own."""
    if not reduced:
        return results
    by_path = dict(zip(order, results))

    def rng_errors(path):
        return [i for i in by_path.get(path, []) if i.layer == "rng" and i.severity == "error"]

    for container, (_tree, stub, replaced) in reduced.items():
        own = [i for i in by_path[container] if i.layer != "rng"]
        if rng_errors(stub):
            full = rng.validate_tree(compiled[plan.schema_of[container]], plan.trees[container], container)
            by_path[container] = full + own
            continue
        extra = [Issue("error", "rng:included-invalid",
                       f"the included file {Path(p).name} is not valid against the schema "
                       f"({len(rng_errors(p))} errors, reported in that file)", container, None, None, "rng")
                 for p in replaced if rng_errors(p)]
        by_path[container] = [i for i in by_path[container] if i.layer == "rng"] + extra + own
    return [by_path[p] for p in order]


def _walk_one(path: str) -> list[Issue]:
    return _exact_rng_messages(path, _STATE["first"][path], _STATE["plan"])


def _wants_exact(issues: list[Issue]) -> bool:
    """Are precise messages due: libxml2 rejected the file and they were asked for?"""
    return bool(_STATE.get("exact")) and any(i.layer == "rng" and i.code != "rng:included-invalid"
                                             for i in issues)


def _exact_rng_messages(path: str, issues: list[Issue], plan: _Plan) -> list[Issue]:
    """Replace libxml2's RELAX NG findings of a rejected file by teikit's own walk of the
    full grammar (rngwalk: expected elements and attributes, datatypes, columns)."""
    from teikit.validate import rngwalk  # only for files libxml2 rejected

    return rngwalk.replace_messages(plan.schema_of[path], plan.trees[path], path, issues,
                                    plan.issues.get(path, []), set(plan.trees))


def _run_jing(plan: _Plan) -> dict:
    from teikit.validate import jingrun

    by_schema: dict[str, list[str]] = {}
    for path, schema in plan.schema_of.items():
        if schema and path in plan.trees:
            by_schema.setdefault(schema, []).append(path)
    out: dict[str, list[Issue]] = {}
    for schema, paths in by_schema.items():
        for issue in jingrun.run_jing(schema, paths):
            if issue.code != "rng:xinclude":  # our own XInclude pass reports these
                out.setdefault(issue.file, []).append(issue)
    return out


def default_jobs(n_files: int, n_elements: int = 0, min_elements: int | None = None) -> int:
    """One process for a few small files (forking costs more than it saves); else a
    worker per CPU (at most 8)."""
    min_elements = PARALLEL_MIN_ELEMENTS if min_elements is None else min_elements
    if n_files < 2 or (n_files < PARALLEL_MIN_FILES and n_elements < min_elements):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _map(fn, paths: list[str], jobs: int | None, min_elements: int | None = None) -> list:
    """[fn(path) for path in paths], in forked workers when `jobs` (or the work) says so."""
    if not paths:
        return []
    sizes = [_size(p) for p in paths]
    if jobs is None:
        jobs = default_jobs(len(paths), sum(sizes), min_elements)
    jobs = max(1, jobs)
    if jobs == 1 or len(paths) < 2:
        return [fn(p) for p in paths]
    import multiprocessing  # only when there are workers to start

    if "fork" not in multiprocessing.get_all_start_methods():
        return [fn(p) for p in paths]
    # largest files first, one at a time: a teiCorpus with its members included is as
    # large as all of them, and must not share a worker's queue with a chunk of others
    order = sorted(range(len(paths)), key=lambda i: -sizes[i])
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = dict(zip(order, pool.imap(fn, [paths[i] for i in order], chunksize=1)))
    return [done[i] for i in range(len(paths))]


def _size(path: str) -> int:
    tree = _STATE.get("trees", {}).get(path)
    if tree is not None:  # the parsed tree, XIncludes expanded
        return int(tree.xpath("count(descendant::*)"))  # from the document node: all elements
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def iter_issues(paths, **options) -> Iterator[Issue]:
    """Every finding of `validate_paths(paths, **options)`, schema-level ones first."""
    report = validate_paths(paths, **options)
    yield from report.all_issues()


def is_valid(paths, **options) -> bool:
    return not validate_paths(paths, **options).fails("error")
