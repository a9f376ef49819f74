"""Validation layers: well-formedness -> RELAX NG -> Schematron -> cross-document.

`validate_documents(paths, files, ...)` validates the named files. It reads them, and every
schema, catalog, XInclude target and `<?xml-model?>` target, through `files` (a
teikit.core.files.Files) and keeps pruned grammars in `cache` (a Cache): it walks no
folder, reads no environment variable and runs no process. The application layer
(teikit.validation.validate_paths) collects the files of folders, reads XML_CATALOG_FILES
and TEIKIT_CACHE, runs jing, and hands over the disk; teikit.core.files.MemoryFiles
validates documents held in memory. Each layer reports Issues with its own `layer` and code
prefix (`wf:`, `rng:`, `sch:`, `xdoc:`, `schema:`). A file that is not well-formed is not
passed to the later layers. How the per-file work is mapped over the files is the caller's
to say (`workers`: teikit.validate.runstate; the default runs it all in this process).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from teikit.core import xinclude, xmlsafe
from teikit.core.errors import Issue, UsageError
from teikit.core.files import Files, NoCache
from teikit.core.names import XML_NS
from teikit.validate import containers as containermod
from teikit.validate import crossdoc, included, ownlayers, owntree, rng, schemas, schematron
from teikit.validate.crossdoc import Around
from teikit.validate.crossdoc import CROSS_DOCUMENT_CHECKS, cross_document_checks, duplicate_ids_across  # noqa: F401
from teikit.validate.reports import FileResult, Report
from teikit.validate.runstate import STATE as _STATE
from teikit.validate.runstate import InProcess, Mapper, element_count

WALK_PARALLEL_MIN_ELEMENTS = 5_000  # the message walk costs far more per element
XML_BASE = f"{{{XML_NS}}}base"
#: what a file's bytes are looked at for (ownlayers.NEEDLES)
XI_BYTES, BASE_BYTES, _NEEDLES = ownlayers.XI_BYTES, ownlayers.BASE_BYTES, ownlayers.NEEDLES
#: a container is expanded (and the cross-document layer run) beside the other files' own
#: layers where its grammar's compile does not need it first; tests turn it off to compare
EXPAND_BESIDE = True

#: (schema path, file paths) -> Issues: a RELAX NG engine the application layer runs (jing)
ExternalRng = Callable[[str, list], list]

# --- the run ---------------------------------------------------------------------------------

@dataclass
class _Plan:
    files: list[str]
    trees: dict = field(default_factory=dict)  # path -> tree (well-formed only)
    issues: dict = field(default_factory=dict)  # path -> [Issue]
    schema_of: dict = field(default_factory=dict)  # path -> rng path or None
    schematrons_of: dict = field(default_factory=dict)  # path -> [sch paths]
    choices: dict = field(default_factory=dict)  # path -> schemas.Choice


def _validate_one(path: str) -> list[Issue]:
    tree = _STATE["trees"][path]
    reduced = _STATE.get("reduced", {}).get(path)
    stubbed = path in _STATE.get("stubbed", ())  # its Schematron: settled once its members' are known
    return ownlayers.own_layers(reduced[0] if reduced else tree, tree, path,
                                _STATE["compiled"].get(_STATE["schema_of"].get(path)),
                                () if stubbed else _STATE["schematrons_of"].get(path, ()),
                                _STATE["sch"], _STATE.get("advisory", ()), _STATE["files"])


def _compile_rngs(plan: _Plan, prune: bool, containers, files: Files, cache) -> dict:
    """Each grammar compiled once for the run, pruned to the names all its files use when
    that pays (rng.worth_pruning: a small grammar is compiled whole): ({schema: compiled},
    the small grammars, compiled whole: those a worker compiles too, ownlayers.alone)."""
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
    compiled, whole = {}, set()
    for schema, (trees, alone) in groups.items():
        big = rng.worth_pruning(schema, files)
        names = rng.used_names(trees, alone) if prune and big else None
        compiled[schema] = rng.compile_schema(schema, names, files=files, cache=cache)
        if not big:
            whole.add(schema)
    return compiled, whole


def _names_outside_members(plan: _Plan, path: str, schema: str) -> tuple[list, list]:
    """(subtrees, single elements) of a container whose names its own files do not bring:
    its own elements, and included subtrees whose file is not validated against `schema`."""
    root = plan.trees[path].getroot()
    base = Path(path).parent
    included = owntree.included_roots(root)
    subtrees = [el for el in included
                if plan.schema_of.get(str(base / el.get(XML_BASE))) != schema
                or str(base / el.get(XML_BASE)) not in plan.trees]
    # the included roots themselves carry xml:base, which their own files do not
    return subtrees, list(owntree.own_elements(root)) + included


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


def validate_documents(paths, files: Files, *, schema_dir, cache=None, schema=None, schematrons=(),
                       external_rng: ExternalRng | None = None, workers: Mapper | None = None,
                       cross_document: bool | None = None, prune: bool = True,
                       exact_messages: bool = True, catalogs=(), strict_schema: bool = False,
                       embedded_schematron: str | bool = "warn", phase: str | None = None,
                       known_valid=frozenset(), xinclude_roots: dict | None = None,
                       listing: Callable[[str], list] | None = None, keep: list | None = None) -> Report:
    """Validate the files `paths` (names `files` reads: a teikit.core.files.Files).

    What is read beyond the documents is read through `files` as well: the schemas, the
    catalogs, XInclude targets (inside `xinclude_roots[path]`, default the file's own
    folder; the path check compares `files.real` paths) and `<?xml-model?>` targets.
    `schema_dir`: teikit's shipped schema folder (tei_all.rng, catalog.xml), as `files`
    names it. `cache` (teikit.core.files.Cache) keeps pruned grammars between runs.
    `listing(folder)`: the XML files of a folder, for the corpus-members check (default:
    none). `workers`: how the per-file layers are mapped over the files
    (teikit.validate.runstate.Mapper; default: in this process, in order): the application
    layer hands over teikit.workers.Workers, which forks worker processes, or a child beside
    this one for a mid-sized run. `external_rng(schema, paths)`: a RELAX NG engine run by
    the application layer (jing) in place of libxml2.

    `schema`: a RELAX NG path for every file, or None / "auto": each file's own schema
    (teikit.validate.schemas: <?xml-model?>, catalogs, tei_all as stand-in or default),
    or False / "none": no RELAX NG layer.
    `catalogs`: OASIS catalogs (absolute paths) consulted before teikit's.
    `strict_schema`: a schema that cannot be had is an error, not a tei_all stand-in.
    `cross_document`: None = only where files form one set (a teiCorpus and what it
    includes, a teikit corpus folder), True = across all files, False = never.
    `embedded_schematron`: the Schematron rules embedded in each file's RELAX NG (TEI's own
    constraints, as Oxygen runs them): "warn" (default) reports their findings as warnings,
    so that the verdict stays the grammar's (jing's); "error" keeps each rule's own role;
    "off" (or False) does not run them. True means "error".
    With `prune`, grammars are pruned to the names in use (same verdicts, fast compile);
    with `exact_messages`, files the pruned grammar rejects are checked again with the
    full grammar for precise messages. Raises UsageError for an unreadable schema or
    catalog; every problem with a document is an Issue.
    `known_valid`: paths the caller knows passed the RELAX NG and Schematron layers with
    the same bytes and schemas (an incremental build): they are parsed, included and
    cross-checked, but their own layers are not run again (a file that XIncludes others
    always is, since its members may have changed). A dict {path: findings} gives what
    those layers found (teikit.resultcache: the findings of an earlier run with the same
    inputs), put in place as if they had run. `report.own` holds the own layers' findings
    ({path: [Issue]}: RELAX NG and Schematron, not parse, schema choice or cross-document)
    of each well-formed file that XIncludes nothing.
    `keep`: a list the run's parsed trees are appended to, so that the caller says when
    they are freed (freeing a corpus's trees costs tens of milliseconds: a program that
    ends once the report is written need not)."""
    embedded_mode = {True: "error", False: "off"}.get(embedded_schematron, embedded_schematron)
    if embedded_mode not in ("warn", "error", "off"):
        raise UsageError(f"Unknown --embedded-schematron {embedded_schematron!r}; choose warn, error or off")
    cache = cache if cache is not None else NoCache()
    workers = workers if workers is not None else InProcess()
    files = ownlayers.RunFiles(files)
    xinclude_roots = xinclude_roots or {}
    advisory: set[str] = set()
    files_in_run = list(dict.fromkeys(str(p) for p in paths))
    report = Report()
    chooser = schemas.Chooser(list(catalogs), files=files, schema_dir=schema_dir, strict=strict_schema)
    no_rng = schema is False or schema == "none"
    option = None if schema in (None, "auto") or no_rng else str(schema)
    if option and not files.is_file(option):
        raise UsageError(f"Cannot read schema {option!r}: no such file")
    explicit = [str(p) for p in schematrons]
    sch_compiled: dict = {p: schematron.load(p, files, phase=phase) for p in explicit}  # phase: of these
    plan = _Plan(files_in_run)
    containers: set[str] = set()
    parsed, absent = {}, {}
    # known_valid: a set (own layers passed: no findings) or {path: their findings} (a result cache)
    known = known_valid if isinstance(known_valid, dict) else dict.fromkeys(known_valid, ())
    # the documents read past RunFiles' notes (the worker does not ask for them: it is given
    # these bytes), so that their bytes are not held for the whole run
    read = {path: xmlsafe.read(path, files.files) for path in files_in_run}
    # the per-file work begun now by a worker that parses what it takes (ownlayers.alone)
    early = None if external_rng is not None else ownlayers.begin(
        workers, [p for p in files_in_run if p not in known], read, files, chooser=chooser,
        option=option, no_rng=no_rng, explicit=explicit, sch_compiled=sch_compiled,
        embedded_mode=embedded_mode, cache=cache)
    try:
        for path in files_in_run:
            tree, plan.issues[path], absent[path] = xmlsafe.parse_read(path, read[path], _NEEDLES)
            if tree is not None:
                parsed[path] = tree
        del read
        # a file that holds no XInclude namespace as written is not walked for xi:include
        including = {p for p, t in parsed.items() if XI_BYTES not in absent[p]
                     and t.getroot().find(f".//{xinclude.INCLUDE}") is not None}
        # an included file that is in the run is not read and parsed again: a stub stands for
        # it (teikit.validate.containers), or a copy
        plain = [p for p in parsed if p not in including]
        real_of = {p: str(files.real(p)) for p in plain}
        expansion = containermod.Expansion({real_of[p]: parsed[p] for p in plain}, {r: p for p, r in real_of.items()},
                                           files, cache, base_free={real_of[p] for p in plain if BASE_BYTES in absent[p]})

        at: dict[str, int] = {}  # container -> where its XInclude findings go among its findings
        for path in files_in_run:
            tree, issues = parsed.get(path), plan.issues[path]
            if tree is None:
                continue
            if path in including:
                at[path] = len(issues)
                containers.add(path)
            plan.trees[path] = tree
            choice, plan.schematrons_of[path], found = ownlayers.choose(
                chooser, tree, path, option=option, no_rng=no_rng, explicit=explicit, sch_compiled=sch_compiled,
                files=files, embedded_mode=embedded_mode, advisory=advisory)
            plan.choices[path] = choice
            issues += found
            plan.schema_of[path] = choice.rng

        def expand_containers():  # the schemas chosen (from each file's prolog, which XInclude leaves)
            for path, index in at.items():
                plan.issues[path][index:index] = xinclude.expand(plan.trees[path], path, files=files,
                                                                 root=xinclude_roots.get(path),
                                                                 load=expansion.loader(path))
            expansion.decide(plan, sch_compiled, rng_by_libxml2=external_rng is None)
            _STATE["stubbed"] = set(expansion.stubs)

        # a container is expanded beside the other files' own layers (by prepare(), with the
        # cross-document layer, which reads it), unless its grammar is pruned to the names its
        # expansion uses, which the compile needs first
        late = EXPAND_BESIDE and (external_rng is not None or not any(
            prune and plan.schema_of.get(p) and rng.worth_pruning(plan.schema_of[p], files) for p in at))
        kept = contextlib.ExitStack()
        if not late:
            expand_containers()
        if external_rng is not None:
            rng_issues = _run_external(plan, external_rng)
            compiled, whole = {}, set()
        else:
            compiled, whole = _compile_rngs(plan, prune, containers, files, cache)
            rng_issues = {}
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    reduced: dict = {}  # containers checked with their members reduced, planned by prepare()

    xdoc_here: list = []  # the cross-document layer's result, when prepare() ran it

    def prepare():  # what _validate_one needs for the containers only (here, once the others are forked)
        if late and at:
            expand_containers()
            kept.enter_context(owntree.stand_ins(expansion.content()))
            xdoc_here.append(cross_document_layer())
        if compiled:
            reduced.update(included.plan_reductions(plan.trees, plan.schema_of, containers, files=files,
                                                    content=expansion.content()))
    _STATE.clear()
    _STATE.update(trees=plan.trees, compiled=compiled, schema_of=plan.schema_of,
                  schematrons_of=plan.schematrons_of, sch=sch_compiled, reduced=reduced,
                  advisory=advisory, files=files, stubbed=set(expansion.stubs),
                  plan=plan, exact=exact_messages and bool(compiled))
    skipped = {p for p in files_in_run if p in plan.trees and p in known and p not in containers}
    order = [p for p in files_in_run if p in plan.trees and p not in skipped]
    around = Around(files, listing or (lambda folder: []))

    def cross_document_layer():  # reads the trees only: may run beside the per-file layers
        found, ran = [], set()
        with owntree.one_pass():  # the trees do not change meanwhile: real paths found once
            for group in crossdoc.groups(plan.trees, cross_document, files, around):
                ran.update(group)
                found += cross_document_checks({p: plan.trees[p] for p in group}, around)
        return found, ran

    meanwhile = None if late and at else cross_document_layer
    with kept:  # the stubs' members are what they stand for (owntree) while the layers run
        if not late:
            kept.enter_context(owntree.stand_ins(expansion.content()))
        accepted = _early_results(early, order, containers, plan, whole, compiled, advisory, files,
                                  prepare, meanwhile, xdoc_here)
        if early is not None and whole.issuperset(compiled):  # joined: prepare() and meanwhile() ran
            prepare = meanwhile = None
        rest = [p for p in order if p not in accepted]
        done, xdoc = workers.map_beside(_validate_one, rest, meanwhile,
                                        size=element_count, prepare=prepare, keep_here=containers)
        accepted.update(zip(rest, done))
        results = [accepted[p] for p in order]
    xdoc_issues, ran_xdoc = xdoc_here[0] if xdoc_here else xdoc
    results = _settle_stubbed(order, results, expansion, plan, sch_compiled, reduced,
                              {p: list(known[p]) for p in skipped})
    results = _settle_reduced(order, results, reduced, compiled, plan, {p: list(known[p]) for p in skipped})
    # precise messages for the files libxml2 rejected: the costly part, in workers of its own
    rejected = [p for p, issues in zip(order, results) if _wants_exact(issues)]
    _STATE["first"] = dict(zip(order, results))
    worded = dict(zip(rejected, workers.map(_walk_one, rejected, size=element_count,
                                            min_elements=WALK_PARALLEL_MIN_ELEMENTS)))
    own = {p: list(known[p]) for p in skipped}  # each file's own layers' findings
    for path, issues in zip(order, results):
        own[path] = rng_issues.get(path, []) + worded.get(path, issues)
    for path in files_in_run:
        plan.issues[path] += own.get(path, [])
    report.own = {p: found for p, found in own.items() if p not in containers}
    for issue in xdoc_issues:
        plan.issues.setdefault(issue.file, []).append(issue)
    report.files = [FileResult(p, plan.issues[p], _schema_info(plan, p, chooser),
                               _layers(plan, p, p in ran_xdoc)) for p in files_in_run]
    for sch in sch_compiled.values():
        if sch is not None:
            report.issues += sch.problems
    _STATE.clear()
    if keep is not None:
        keep.append((parsed, plan, reduced))
    return report

def _early_results(early, order, containers, plan: _Plan, whole: set, compiled: dict, advisory: set,
                   files, prepare, meanwhile, xdoc_here: list) -> dict:
    """{path: own findings} of the files the work begun before the parse (ownlayers.begin)
    computed as this process would: where every grammar of the run is compiled whole (what
    the worker compiled), this process runs prepare(), the containers and meanwhile() (its
    result into `xdoc_here`), then takes files from the same queue; else the worker is
    stopped (it gave STOP at the first file whose grammar is pruned) and what it did is
    kept. A worker's findings count only where ownlayers.accepts them."""
    if early is None:
        return {}
    mine, order_set = {}, set(order)
    if whole.issuperset(compiled):
        def first():
            prepare()
            mine.update((p, _validate_one(p)) for p in order if p in containers)
            if meanwhile is not None:
                xdoc_here.append(meanwhile())

        got, _ = early.join(lambda p: _validate_one(p) if p in order_set and p not in containers else None,
                            first)
    else:
        got = early.stop()
    theirs = {p: v for p, v in got.items() if isinstance(v, tuple) and v[:1] == ("alone",)}
    mine.update((p, v) for p, v in got.items() if p not in theirs and v is not None)
    # a worker's answers (what it read) all confirmed here, or none of its findings is used
    if all(files.confirms(v[3]) for v in theirs.values()):
        for path, value in theirs.items():
            schema = plan.schema_of.get(path)
            if path in order_set and path not in containers and (schema is None or schema in whole) \
                    and ownlayers.accepts(value, ownlayers.key(schema, plan.schematrons_of[path], advisory)):
                mine[path] = value[2]
    return mine


def _schema_info(plan: _Plan, path: str, chooser: schemas.Chooser) -> dict | None:
    choice = plan.choices.get(path)
    if choice is None:
        return None
    info = choice.describe()
    info["rng"] = chooser.display(choice.rng)
    info["schematron"] = [chooser.display(s) for s in plan.schematrons_of.get(path, [])]
    return info


def _layers(plan: _Plan, path: str, xdoc_ran: bool) -> dict:
    """Each layer's verdict apart: True valid, False invalid, None not run."""
    failed = {i.layer for i in plan.issues.get(path, ()) if i.severity == "error"}  # layers with an error

    def ok(*layers):
        return failed.isdisjoint(layers)

    if path not in plan.trees:
        return {"wf": False, "rng": None, "schematron": None, "cross-document": None}
    ran_rng = plan.schema_of.get(path) is not None
    return {"wf": ok("wf"),
            "rng": ok("rng", "schema") if ran_rng else (False if not ok("schema") else None),
            "schematron": ok("sch") if plan.schematrons_of.get(path) else None,
            "cross-document": ok("xdoc") if xdoc_ran else None}


def _settle_reduced(order: list[str], results: list, reduced: dict, compiled: dict, plan: _Plan,
                    known: dict | None = None) -> list:
    """A container checked with its members reduced (teikit.included): if the member used as
    the stand-in is invalid on its own, check the whole tree after all; else the container
    is invalid where it was, plus one finding per member that is invalid on its own."""
    if not reduced:
        return results
    by_path = {**(known or {}), **dict(zip(order, results))}

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


def _settle_stubbed(order, results, expansion, plan: _Plan, sch_compiled, reduced, known) -> list:
    """The Schematron findings of each container checked with stubs (teikit.validate.
    containers), once its members' own findings are known; a container whose RELAX NG
    check needs its full tree (the stand-in member invalid, precise messages due) is
    expanded first."""
    if not expansion.stubs:
        return results
    by_path = {**known, **dict(zip(order, results))}
    for container in list(expansion.stubs):
        if container not in by_path:
            expansion.drop(container)
            continue
        stand_in = reduced.get(container, (None, None))[1]
        needs_full = _wants_exact(by_path[container]) or any(
            i.layer == "rng" and i.severity == "error" for i in by_path.get(stand_in, ()))
        by_path[container] = by_path[container] + expansion.settle(
            container, plan, sch_compiled, by_path, _STATE.get("advisory", ()), needs_full)
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
                                    plan.issues.get(path, []), set(plan.trees), files=_STATE["files"])


def _run_external(plan: _Plan, external_rng: ExternalRng) -> dict:
    """The RELAX NG layer run by an engine outside (jing): one call per grammar."""
    by_schema: dict[str, list[str]] = {}
    for path, schema in plan.schema_of.items():
        if schema and path in plan.trees:
            by_schema.setdefault(schema, []).append(path)
    out: dict[str, list[Issue]] = {}
    for schema, paths in by_schema.items():
        for issue in external_rng(schema, paths):
            if issue.code != "rng:xinclude":  # our own XInclude pass reports these
                out.setdefault(issue.file, []).append(issue)
    return out


