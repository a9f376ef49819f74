"""A file's own layers (RELAX NG, then Schematron), the schemas chosen for it, and the same
begun by a worker before the run has parsed anything (`alone`).

teikit.validate.validator chooses each file's schemas (`choose`) and runs its own layers
(`own_layers`) over the run's parsed trees. When the run's mapper begins the per-file work
before the run's parse (runstate.Mapper.start: a worker forked once the file list is
known, `begin`), the worker takes files from the queue and for each one, by itself:

* parses it from the bytes the run read before it began (EARLY["data"]: the same bytes);
* leaves it to the run (None) when it is not well-formed or XIncludes anything;
* chooses its schemas with the run's Chooser and Schematron schemas as they were when it
  began, loading each Schematron schema and compiling each grammar once in its process;
* gives STOP (and takes no more) for a file whose grammar the run prunes to the names all
  its files use (rng.worth_pruning): that compile needs every file first (and without
  pruning, such a grammar is too costly to compile in two processes);
* runs `own_layers` as the run does, and gives the findings with what they were computed
  from (`key`) and what it read through the run's Files since it began (RunFiles.witness).

`accepts` takes a worker's findings only where the run then finds the same inputs: the
file's own tree (no container, no reduced tree), the same grammar compiled whole, the
same Schematron schemas, of which the same advisory, and the same answer here to
everything the worker read (the grammar, Schematron and catalog files, what exists). Any
other file is computed again by the run's own process. So the findings are those the run's
own process computes; only which process computes them differs.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import replace

from teikit.core import xinclude, xmlsafe
from teikit.core.errors import Issue, UsageError
from teikit.core.files import Files
from teikit.core.names import XI_NS
from teikit.validate import rng, schematron
from teikit.validate.runstate import STOP

#: what a file's bytes are looked at for (xmlsafe.literally_absent): a file that cannot hold
#: the XInclude namespace includes nothing; one without any `:base` holds no xml:base
XI_BYTES, BASE_BYTES = XI_NS.encode("ascii"), b":base"
NEEDLES = (XI_BYTES, BASE_BYTES)

#: what `alone` reads in a worker: set by `begin` before the worker is forked
EARLY: dict = {}


def load_schematron(sch_compiled: dict, path: str, files: Files, rng_path: bool = False):
    """Load a Schematron once per run (an .rng: its embedded rules, when supported)."""
    if path not in sch_compiled:
        if rng_path:
            sch_compiled[path] = schematron.embedded(path, files)
        else:
            sch_compiled[path] = schematron.load(path, files)
    return sch_compiled[path]


def choose(chooser, tree, path: str, *, option, no_rng: bool, explicit: list, sch_compiled: dict,
           files: Files, embedded_mode: str, advisory: set):
    """(choice, Schematron paths, issues) of one parsed file: its schemas.Choice (no grammar
    with `no_rng`), the Schematron schemas run on it (`explicit` first, then those its
    <?xml-model?> names, then its grammar's embedded rules unless `embedded_mode` is "off";
    loaded into `sch_compiled`; a grammar whose embedded rules are advisory, "warn", is added
    to `advisory`), and the choice's findings."""
    choice = chooser.choose(tree, path, option)
    if no_rng:
        choice.rng, choice.source = None, "none"
    issues = list(choice.issues)
    schs = list(explicit)
    for extra in choice.schematrons:
        try:
            loaded = load_schematron(sch_compiled, extra, files, rng_path=extra.endswith(".rng"))
        except UsageError as err:
            issues.append(Issue("warning", "schema:unreadable", str(err), path, None, None, "schema"))
            continue
        if loaded is not None and extra not in schs:
            schs.append(extra)
    if embedded_mode != "off" and choice.rng and choice.rng not in schs:
        if load_schematron(sch_compiled, choice.rng, files, rng_path=True) is not None:
            schs.append(choice.rng)
            if embedded_mode == "warn":
                advisory.add(choice.rng)
    return choice, schs, issues


def own_layers(rng_tree, tree, path: str, grammar, schs, sch_compiled: dict, advisory, files) -> list[Issue]:
    """The RELAX NG findings of `rng_tree` against `grammar` (None: no grammar), then the
    Schematron findings of `tree` for each of `schs` (those in `advisory`: as warnings)."""
    issues = rng.validate_tree(grammar, rng_tree, path) if grammar is not None else []
    for sch_path in schs:
        sch = sch_compiled.get(sch_path)
        if sch is not None:
            found = schematron.validate_tree(sch, tree, path, files)
            if sch_path in advisory:
                found = [advisory_issue(i) for i in found]
            issues += found
    return issues


def advisory_issue(issue: Issue) -> Issue:
    """A finding of a grammar's embedded rules in the default mode: shown, not failing."""
    if issue.severity != "error":
        return issue
    return replace(issue, severity="warning", message=issue.message +
                   " (a constraint embedded in the schema; --embedded-schematron=error"
                   " makes it an error)")


def key(rng_path, schs, advisory) -> tuple:
    """What a file's own findings were computed from, beyond its bytes and the files read."""
    return rng_path, tuple(schs), tuple(s for s in schs if s in advisory)


# --- begun before the parse -------------------------------------------------------------------

def begin(workers, paths: list[str], read: dict, files: "RunFiles", **settings):
    """`alone` of `paths` begun by the mapper (runstate.Mapper.start), or None. `read`:
    {path: xmlsafe.read's (bytes, why)} of every file; `settings`: chooser, option, no_rng,
    explicit, sch_compiled, embedded_mode, cache."""
    start = getattr(workers, "start", None)
    if start is None or not paths or _left_to_the_run(settings["option"], settings["no_rng"], files):
        return None
    EARLY.clear()
    EARLY.update(settings, read=read, files=files, compiled={}, advisory=set(), sent=files.mark(),
                 sch_compiled=dict(settings["sch_compiled"]))  # what the worker loads is its own
    try:
        return start(alone, paths)
    finally:
        EARLY.clear()  # a worker has its own copy


def _left_to_the_run(option, no_rng: bool, files) -> bool:
    """One grammar for every file (--schema) that the worker would leave to the run at its
    first file (STOP): nothing is begun (the worker would parse that file for nothing)."""
    if not option or no_rng:
        return False
    try:
        return rng.worth_pruning(option, files)
    except (UsageError, OSError):  # read again, and said, where the run compiles it
        return False


def alone(path: str):
    """In a worker begun before the run's parse: None (the run's), STOP, or ("alone", key,
    findings, witness) of one file (see the module's docstring)."""
    s = EARLY
    tree, _issues, absent = xmlsafe.parse_read(path, s["read"][path], NEEDLES)
    if tree is None or (XI_BYTES not in absent and tree.getroot().find(f".//{xinclude.INCLUDE}") is not None):
        return None
    files = s["files"]
    choice, schs, _issues = choose(s["chooser"], tree, path, option=s["option"], no_rng=s["no_rng"],
                                   explicit=s["explicit"], sch_compiled=s["sch_compiled"], files=files,
                                   embedded_mode=s["embedded_mode"], advisory=s["advisory"])
    grammar = None
    if choice.rng:
        grammar = s["compiled"].get(choice.rng)
        if grammar is None:
            if rng.worth_pruning(choice.rng, files):  # pruned, or (not pruned) a compile too costly for two
                return STOP
            grammar = s["compiled"][choice.rng] = rng.compile_schema(choice.rng, None, files=files, cache=s["cache"])
    found = own_layers(tree, tree, path, grammar, schs, s["sch_compiled"], s["advisory"], files)
    witness, s["sent"] = files.witness(s["sent"]), files.mark()
    _keep(s, tree, len(s["read"][path][0] or b""))
    return "alone", key(choice.rng, schs, s["advisory"]), found, witness


#: the trees of this many bytes of source a worker parsed are kept until it ends, not freed
#: one by one: a worker ends at once (os._exit) and its memory goes with it, whereas each
#: tree freed costs libxml2's free of every node (~23 M instructions for corpus/tei's
#: half); beyond it, trees are freed as they are done with, so that what a worker holds
#: stays bounded (a tree takes about ten times its source: ~160 MB at most)
KEEP_BYTES = 16 << 20


def _keep(s: dict, tree, size: int) -> None:
    """Keep `tree` alive for as long as this worker's EARLY (its process: EARLY is cleared
    in the process that begins the work), while the kept trees' sources stay within KEEP_BYTES."""
    kept = s.setdefault("kept", [0, []])
    if kept[0] + size <= KEEP_BYTES:
        kept[0] += size
        kept[1].append(tree)


def accepts(value, expected: tuple) -> bool:
    """Is `value`, what `alone` gave for a file, computed from `expected`: key(...) of the
    run's own choice for the file, whose grammar the run compiled whole? (What the worker
    read is confirmed apart: RunFiles.confirms.)"""
    return isinstance(value, tuple) and len(value) == 4 and value[0] == "alone" and value[1] == expected


class RunFiles:
    """The `Files` of a run: each path's real path asked of it once (the files do not change
    while one run reads them; the XInclude and cross-document checks ask often), and every
    answer given noted, so that a worker's answers can be compared with this process's
    (`witness`, `confirms`)."""

    def __init__(self, files: Files):
        self.files = files
        self._real: dict = {}
        self.seen: dict = {}  # (op, path) -> the first answer, in the order first asked

    def read(self, path):
        data = self.files.read(path)
        self.seen.setdefault(("read", str(path)), data)
        return data

    def is_file(self, path) -> bool:
        answer = self.files.is_file(path)
        self.seen.setdefault(("is_file", str(path)), bool(answer))
        return answer

    def real(self, path):
        key = str(path)
        if key not in self._real:
            self._real[key] = self.files.real(path)
            self.seen.setdefault(("real", key), str(self._real[key]))
        return self._real[key]

    def mark(self) -> int:
        return len(self.seen)

    def witness(self, mark: int) -> list:
        """The answers first given after `mark`, bytes as their sha256."""
        return [(k, _digest(v) if k[0] == "read" else v) for k, v in itertools.islice(self.seen.items(), mark, None)]

    def confirms(self, witness: list) -> bool:
        """Does this process get the same answers (what it has not asked yet is asked now)?"""
        for (op, path), value in witness:
            if (op, path) not in self.seen:
                try:
                    {"read": self.read, "is_file": self.is_file, "real": self.real}[op](path)
                except (OSError, KeyError):
                    return False
            mine = self.seen.get((op, path))
            if (_digest(mine) if op == "read" else mine) != value:
                return False
        return True


def _digest(data) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()
