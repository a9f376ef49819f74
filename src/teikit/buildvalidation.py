"""The validate stage of `teikit build` (teikit.build): corpus/tei against teikit's RELAX NG and
Schematron, the files unchanged since the last build that found them valid not passing their
own layers again (their findings then are put in place), the cross-document checks over all.

With the site, it runs in a child process beside the site stage (teikit.besidesite). After
an edit, that child is forked before the conversion (`ahead`): while the one-process
conversion leaves the second CPU idle, it imports the validator, loads the Schematron and
parses corpus/tei as it is (`warm`: held by teikit.core.ahead, and used only where the
validation then reads the same bytes), and it validates once it is told the files.
"""

from __future__ import annotations

import os
from pathlib import Path

from teikit import project as projectmod
from teikit.project import Project

#: the validation state of the build's stamp (teikit.build)
VALIDATION_STATE = ("validated", "valid_files", "valid_code", "valid_own")
OWN_LAYERS = ("rng", "sch")  # a file's own layers (validate_documents's report.own)
_KEPT: list = []  # the trees a child's validation parsed: never freed (it ends by os._exit)


def _noop(*_args) -> None:
    return None


def merge_validator(project: Project):
    """validate(name, data) -> errors of a merged file of corpus/tei, against teikit's schemas."""
    def validate(name: str, data: bytes) -> list[str]:
        from teikit import resources
        from teikit.validation import validate_memory

        rng, sch = resources.schema_dir() / "teikit.rng", resources.schema_dir() / "teikit.sch"
        # in memory: nothing is written into corpus/tei (a killed build would leave it there)
        report = validate_memory({str(project.tei_dir / name): data}, schema=rng if rng.exists() else None,
                                 schematrons=[sch] if sch.exists() else [], cross_document=False)
        return [f"line {i.line}: {i.message}" for f in report.files for i in f.issues if i.severity == "error"]

    return validate


def due(tei: dict, inputs: dict, state: dict) -> bool:
    return state.get("validated") != projectmod.key(tei, inputs["code"])


def write_caches(caches: list) -> None:
    while caches:
        caches.pop(0)()


def kept_in(parent: int) -> list | None:
    """apart()'s `keep` in a child of the process `parent` (which ends by os._exit: the trees its
    validation parsed are never freed, ~20 ms CPU saved); None in `parent` itself (freed as usual)."""
    return _KEPT if os.getpid() != parent else None


def apart(project: Project, tei: dict, inputs: dict, state: dict, keep: list | None = None):
    """validate() with what it says and keeps returned: (exit code, lines, state kept)."""
    said: list[str] = []
    mine = {k: state[k] for k in VALIDATION_STATE if k in state}
    vcode = validate(project, tei, inputs, mine, _noop, said.append, keep=keep)
    return vcode, said, {k: mine[k] for k in VALIDATION_STATE if k in mine}


def validate(project: Project, tei: dict, inputs: dict, state: dict, progress, say, keep: list | None = None) -> int:
    """Validate corpus/tei (`tei`: name -> digest of its XML files) with teikit's schemas;
    say what was found; keep in `state` what the next build may skip. `keep`:
    validate_paths's (the parsed trees, for a process that ends without freeing them)."""
    key = projectmod.key(tei, inputs["code"])
    if state.get("validated") == key:
        say(f"validated {len(tei)} files: nothing changed since they were valid")
        progress("validate", len(tei), len(tei))
        return 0
    from teikit import resources
    from teikit.validation import validate_paths

    progress("validate", 0, len(tei))
    rng = resources.schema_dir() / "teikit.rng"
    sch = resources.schema_dir() / "teikit.sch"
    # files with the bytes they had when the last build found no errors (same code and
    # schemas) need not pass their own layers again; cross-document checks see every file
    valid = state.get("valid_files", {}) if state.get("valid_code") == inputs["code"] else {}
    # with what their own layers found then (warnings): a teiCorpus's findings inside its
    # members are theirs (teikit.validate.containers)
    own_then = state.get("valid_own", {})
    path_of = _paths_in(project.tei_dir)
    known = {path: own_in(own_then.get(n, []), path) for n, d in tei.items() if valid.get(n) == d
             for path in (path_of(n),)}
    report = validate_paths(
        [project.tei_dir],
        schema=rng if rng.exists() else None,
        schematrons=[sch] if sch.exists() else [],
        known_valid=known,
        split=False,  # the build runs this beside its site stage: the second CPU is taken
        cache=True,  # the other files' own findings from teikit.resultcache when unchanged
        keep=keep,
    )
    progress("validate", len(report.files), len(report.files))
    errors = [i for f in report.files for i in f.issues if i.severity == "error"]
    say(f"validated {len(report.files)} files against {'schema/teikit.rng' if rng.exists() else 'well-formedness only'}"
        f"{' + schema/teikit.sch' if sch.exists() else ''}: {len(errors)} errors")
    for issue in errors[:20]:
        say("  " + issue.format())
    own = {Path(f.path).name: [own_out(i) for i in f.issues if i.layer in OWN_LAYERS]
           for f in report.files if f.path and Path(f.path).name in tei}
    if errors:
        state.pop("validated", None)
        bad = {Path(i.file).name for i in errors if i.file}
        # a file without errors stays known valid, unless an error could not be placed
        kept = {n: d for n, d in tei.items() if n not in bad} if all(i.file for i in errors) else {}
        state.update(valid_files=kept, valid_code=inputs["code"],
                     valid_own={n: own[n] for n in kept if own.get(n)})
        return 1
    state.update(validated=key, valid_files=dict(tei), valid_code=inputs["code"],
                 valid_own={n: found for n, found in own.items() if found})
    return 0


def _paths_in(folder: Path):
    """path_of(name) -> str(folder / name), without a Path per name for a plain file name
    (no separator, not "." or ".."), for which the two are the same string."""
    prefix = "" if str(folder) == "." else os.path.join(str(folder), "")  # (Path(".") / name is name)
    seps = {os.sep, os.altsep} - {None}

    def path_of(name: str) -> str:
        if name in ("", ".", "..") or any(sep in name for sep in seps):
            return str(Path(folder) / name)
        return prefix + name

    return path_of


def own_out(issue) -> list:
    return [issue.severity, issue.code, issue.message, issue.line, issue.col, issue.layer]


def own_in(found: list, path: str) -> list:
    """A known-valid file's own findings, as kept by own_out (its path is today's)."""
    from teikit.core.errors import Issue

    return [Issue(sev, code, message, path, line, col, layer) for sev, code, message, line, col, layer in found]


# --- ahead of the conversion ---------------------------------------------------------------
def ahead(project: Project, inputs: dict, word: bool = False):
    """A teikit.besidesite.Ahead that warms up now (`warm`) and validates once sent
    {"tei": name -> digest, "state": the stamp's validation state} (and, with `word`, told
    that corpus/tei is written: Ahead.say); its "validation" is apart()'s."""
    from teikit import besidesite

    parent = os.getpid()

    def work(message) -> dict:
        return {"validation": apart(project, message["tei"], inputs, message["state"], keep=kept_in(parent))}

    return besidesite.Ahead(lambda told: warm(project, told, clean=word), work, word=word)


def warm(project: Project, told, clean: bool = False) -> None:
    """What validate() will do first, done now: the validator imported, teikit.sch loaded
    (schematron.load_ahead) and every XML file of corpus/tei parsed as it is now
    (xmlsafe.parse_ahead) with its cross-document facts (xdocfacts.facts_ahead), each held
    for the validation's own load, parse or facts, which takes it only where it reads the
    same bytes, or the same tree (teikit.core.ahead). Stops as soon as `told()`. `clean`: a
    clean build, whose corpus/tei is not written yet: teikit's fingerprint is left to the
    validation (resultcache.folder_for picks the folder of its results and code-digest memo by
    what exists then: the user cache's before corpus/tei does, and its memo would make the
    corpus's .teikit/cache ahead of the conversion's private caches; its code digest is this
    process's already, from conversion_inputs, so only its stats are left, ~1 ms)."""
    from teikit import resources, resultcache, validation
    from teikit.core import xmlsafe
    from teikit.disk import Disk
    from teikit.validate import containers, crossdoc, included, schematron, stubs, xdocfacts  # noqa: F401
    from teikit.validate import memberlocal  # noqa: F401 - the stubs' proof of a container with teikit.sch

    sch = resources.schema_dir() / "teikit.sch"
    if sch.exists() and not told():
        schematron.load_ahead(sch, Disk())
    schema = resources.schema_dir() / "teikit.rng"
    if schema.exists() and not told():
        _compile_ahead(schema, Disk())
    if not clean:
        resultcache.fingerprint(resultcache.folder_for([project.tei_dir], validation.cache_dir()))
    paths, _missing = validation.collect_files([project.tei_dir])
    for path in paths:
        if told():
            return
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        tree, _issues = xmlsafe.parse_ahead(data, path)
        if tree is not None and not told():
            xdocfacts.facts_ahead(tree)  # what the cross-document checks read of it


def _compile_ahead(schema: Path, disk) -> None:
    """teikit.rng compiled whole (when the validation compiles it whole: rng.worth_pruning) and
    its embedded Schematron (none): each kept by teikit.validate for this process under the
    grammar's bytes, so the validation takes them only if it reads the same bytes."""
    from teikit.core.errors import UsageError
    from teikit.validate import rng, schematron

    try:
        if not rng.worth_pruning(schema, disk):
            rng.compile_schema(schema, None, files=disk)
        schematron.embedded(schema, disk)
    except UsageError:  # said by the validation itself
        return
