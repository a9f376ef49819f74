"""`teikit build`: convert, check, validate, and write the HTML site and the text files.

Each stage is skipped when its inputs have not changed since it last succeeded:

    convert + check   the fingerprints of teikit.project.conversion_inputs (source,
                      configuration, registry, overrides, id map, teikit's code), kept in
                      corpus/.teikit/stamp.json; hand edits do not need a new conversion
    validate          the hashes of corpus/tei and teikit's code (only a build without errors
                      is remembered), kept in <build>/.teikit-stamp.json; when some files
                      changed, only those (and corpus.xml, which XIncludes them) pass the
                      RELAX NG and Schematron layers again; the cross-document checks see all
    site and text     the same plus the configuration, the id map and the downloads; the
                      outputs must also be intact (size and time of each file)

With the site, validation runs in a second process beside the site stage (both only read
corpus/tei), and on a clean build that process writes corpus/tei first while the site reads
the same bytes from memory (teikit.besidesite); what each finds and says comes out where it
would one after the other. The validation child is forked before the conversion
(teikit.buildvalidation.ahead), after an edit and on a clean build alike, where a second CPU
can run it: it imports the validator, loads the schemas and parses corpus/tei as it is on the
CPU the conversion leaves idle, and validates once told the files (a parse or load made ahead
is used only where the same bytes are read again). On a clean build it warms up while this
process imports the conversion (one CPU), and validates once the process beside the site has
written corpus/tei and the caches and said that the folder holds what was decided (else it
does nothing).

A conversion reuses the registry's name scan of the previous one where the text is the same
(teikit.namememo, corpus/.teikit/cache/names.pickle) and, per document, what reading, extracting,
tagging, writing and checking it gave where that document's key is the same (teikit.doccache,
corpus/.teikit/cache/documents.pickle; the key holds everything the step reads, so the result
is the one a clean conversion gives). Neither is committed.

So "nothing changed" reads and hashes its inputs and writes nothing. Hand edits of corpus/tei
are merged, never overwritten: see teikit.corpusdir and docs/editing.md.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from pathlib import Path

import teikit
from teikit import besidefallback, besidesite, doccache
from teikit.collector import fewer_collections
from teikit import buildvalidation as checking
from teikit import project as projectmod
from teikit.corpusdir import CorpusDir, write_atomic
from teikit.corpusstatus import check_existing, status  # noqa: F401 (teikit check, teikit status)
from teikit.project import Project

BUILD_STAMP = ".teikit-stamp.json"
DEPOSIT_FILES = ("CITATION.cff", ".zenodo.json", "datacite.json")


def _noop(*_args) -> None:
    return None


def build(project: Project, build_dir: Path, *, site: bool = True, force: bool = False,
          progress=None, say=print) -> int:
    """Run the main job; return the exit code (0 done, 1 findings or conflicts).

    `progress(stage, done, total)` is told each stage (convert, check, validate, site, text)."""
    from teikit import entry

    keep = entry.KEPT if entry.ends_at_once() else None  # the process ends at once: nothing freed
    with _fewer_collections(), contextlib.ExitStack() as stack:
        return _build(project, build_dir, stack, site=site, force=force, progress=progress, say=say, keep=keep)


@contextlib.contextmanager
def _fewer_collections():
    """The garbage collector run less often while a build runs (teikit.collector), and not at
    all while it converts: reusing the conversion's caches makes hundreds of thousands of
    objects, and their collections took ~0.07-0.1 s of a build after a one-word edit, for
    little garbage (a clean conversion of the bundled corpus leaves ~1200 objects in
    reference cycles). What the conversion made is then frozen (gc.freeze: not scanned
    again, which also keeps the pages a forked child shares unwritten) and unfrozen when the
    build ends. The collector never changes a result."""
    with fewer_collections():
        try:
            yield
        finally:
            gc.unfreeze()


@contextlib.contextmanager
def _no_collections():
    """No collection while the block runs (teikit._no_collections); what it made is frozen
    after it, before the collector is given back (see above)."""
    with teikit._no_collections():
        try:
            yield
        finally:
            gc.freeze()


def _build(project: Project, build_dir: Path, stack: contextlib.ExitStack, *, site: bool, force: bool,
           progress, say, keep: list | None = None) -> int:
    """`keep`: where what the build made goes when it returns (entry.KEPT, when the process ends
    at once: its conversion, caches and site state are then never freed, ~10 ms of
    deallocation after the last output is written); None: freed as usual."""
    progress = progress or _noop
    build_dir = Path(build_dir)
    made_build = not os.path.lexists(build_dir)  # a clean build's write that fails leaves none
    _remove_leftovers(project, None if made_build else build_dir)
    cdir: CorpusDir = project  # the corpus folder: generated files, manifest, stamp
    inputs = projectmod.conversion_inputs(project)
    caches: list = []  # the conversion's caches for the next one, written beside the site when it can
    stamp = cdir.stamp()
    code = 0
    written = None  # what the conversion wrote (corpusdir.Report), when it ran
    recorded = cdir.manifest() or {}
    missing = [n for n in recorded if not (project.tei_dir / n).is_file()]
    files = None  # corpus/tei's new files, when they are written beside the site (teikit.besidesite)
    ahead = None  # the validation child forked before the conversion (teikit.buildvalidation.ahead)
    records = None  # the deposit records rendered by a child meanwhile (`_deposit_ahead`)
    state = _read_stamp(build_dir)  # what the last build of the site remembered (validation, site, deposit)
    if not force and stamp.get("inputs") == inputs and not missing and recorded:
        say(f"corpus/tei is up to date: {stamp['documents']} documents of {stamp['source']} "
            f"(nothing changed since the last conversion; nothing lost: "
            f"{stamp['matched']}/{stamp['words']} words)")
        progress("convert", 1, 1)
        progress("check", 1, 1)
    else:
        # the answers of pure steps (teikit.core.runmemo: dates, the contents' match, JSON
        # files found valid) and the compiled regexes kept from the last build, for the
        # rest of this one; what it used is kept with the conversion's caches
        stack.enter_context(doccache.reused(project.state_dir, caches, code=inputs["code"], keep=keep))
        unwritten = site and besidesite.unwritten_ok(project.tei_dir, build_dir)
        if site and besidesite.ahead_ok():  # validation's set-up beside the conversion
            # (on a clean build it validates once the child beside the site has written corpus/tei)
            ahead = stack.enter_context(contextlib.closing(checking.ahead(project, inputs, word=unwritten)))
            records = _deposit_ahead(project, state, inputs)
            if records is not None:
                stack.callback(records.stop)
        with _no_collections():
            result = _converted(project, cdir, inputs, force, progress, caches, unwritten, site)
        if result.data is None:
            ccode, written = _said_converted(project, cdir, inputs, result, result.written, say)
            code = max(code, ccode)
        else:
            files = result.data
    if files is not None:  # written into an empty folder: these bytes, and nothing edited by hand
        tei = besidesite.digests(files)
    else:
        # corpus/tei hashed once (what the conversion has just written is not read again): for
        # the hand edits, validation and the site
        tei = cdir.tei_digests(written.digests if written is not None else None)
        edits = cdir.hand_edits(tei)
        if edits:
            say(f"{len(edits)} files of {project.tei_dir} differ from teikit's conversion "
                f"(edited by hand; `teikit status` lists them)")
    tei_xml = {n: d for n, d in tei.items() if n.endswith(".xml")}
    deposit_was: dict = {}  # the deposit records' bytes before this build wrote them (None: absent)
    def rest(say, **site_options) -> int:  # the deposit records and the site
        rcode = 0
        deposit_key = projectmod.key(inputs["config"], inputs["code"])
        root = project.root.resolve().parent
        if state.get("deposit") != deposit_key or state.get("deposit_files") != _digests(root, DEPOSIT_FILES):
            deposit_was.update((root / name, besidefallback.read_bytes(root / name)) for name in DEPOSIT_FILES)
            _deposit_metadata(project, say, records)
            state["deposit"] = deposit_key
            state["deposit_files"] = _digests(root, DEPOSIT_FILES)
        if site:
            rcode = publish(project, build_dir, tei_xml, inputs, state, progress, say, **site_options)
        return rcode

    if site and (files is not None or checking.due(tei_xml, inputs, state)):
        # corpus/tei's writing (on a clean build), the caches and validation are not read by
        # the site: they run in a second process beside it (teikit.besidesite); what all say
        # comes out in the order of running them one after the other
        progress("validate", 0, len(tei_xml))
        later: list[str] = []
        parent = os.getpid()
        if ahead is not None:  # what it validates (its message: in a pipe, ~100 bytes a file)
            ahead.send({"tei": tei_xml, "state": {k: state[k] for k in checking.VALIDATION_STATE if k in state}})

        def work() -> dict:
            written, decided = None, True
            try:
                if files is not None:
                    try:
                        written = cdir.write_generated(files, force=force, validate=checking.merge_validator(project),
                                                       check=lambda: besidesite.end_if_orphaned(parent))
                    except Exception as err:  # noqa: BLE001 (raised by the parent, before the site is put in place)
                        return {"error": err}
                    decided = besidesite.as_decided(written, files)
                checking.write_caches(caches)
                if ahead is not None:  # it validates corpus/tei as written (else the parent does), once this
                    ahead.say(decided)  # process is done: one of them beside the site at a time
            finally:
                if ahead is not None:
                    ahead.say(False)  # (when not said above)
            if not decided:  # a file landed in corpus/tei since it was found empty: the parent makes the
                return {"written": written, "differs": True}  # site from the disk (and validates)
            if ahead is not None:  # validated by that child
                return {"written": written}
            return {"written": written, "validation": checking.apart(project, tei_xml, inputs, state,
                                                                     keep=checking.kept_in(parent))}

        beside = besidesite.Beside(work, after=[ahead])
        if ahead is not None and beside.started.pid is not None:
            ahead.handed()  # the word is the child beside's to say
        stack.enter_context(besidesite.stopped_on_sigterm(besidesite.Kill(beside, ahead)))

        def overlap(span) -> float:  # of Pagefind's run, with the children's work
            return besidesite.overlap(span, beside.join(), ahead.join() if ahead is not None else None)

        try:
            rcode = rest(later.append, tei_files=files, ready=beside.ready if files is not None else None,
                         beside=overlap, writing=beside.went if files is not None else None,
                         split=beside.split)
        except besidesite.Differs:  # the site made from memory is discarded (never put in place)
            rcode = 0
        except Exception:
            if files is None:
                beside.stop()  # validation's findings are not wanted any more
                if ahead is not None:
                    ahead.stop()
            else:  # corpus/tei is written in full, as before the site: said, then the site's error
                besidefallback.ready_else_undo(beside, project, result, build_dir, made_build, deposit_was)
                if ahead is not None:  # its validation done too (its results kept for the next build),
                    ahead.join()  # as by the child beside when it validates (its findings not said)
                _said_converted(project, cdir, inputs, result, beside.got["written"], say)
            raise
        except BaseException:  # interrupted: the child (told too, by a terminal) is not waited for
            beside.stop()
            raise
        with contextlib.suppress(besidesite.Differs):
            beside.ready()
        if files is not None:
            ccode, written = _said_converted(project, cdir, inputs, result, beside.got["written"], say)
            code = max(code, ccode)
        if beside.got.get("differs"):  # as when corpus/tei is written first: all from the disk
            code = max(code, besidefallback.from_disk(project, cdir, written, say, later, lambda tei: checking.validate(
                project, tei, inputs, state, progress, say), lambda tei: publish(project, build_dir, tei, inputs, state,
                                                                                  progress, say)))
            _save_stamp(build_dir, state)
            _kept(keep, locals())
            return code
        got = ahead.join() if ahead is not None else beside.got
        if "validation" not in got:  # the child ahead was not told to go (the child beside raised, and its
            got = {"validation": checking.apart(project, tei_xml, inputs, state)}  # work was done here)
        vcode, said, kept = got["validation"]
        progress("validate", len(tei_xml), len(tei_xml))
        for key in checking.VALIDATION_STATE:
            state.pop(key, None)
        state.update(kept)
        for line in said + later:
            say(line)
        code = max(code, vcode, rcode)
    else:
        if ahead is not None:  # not needed
            ahead.stop()
        checking.write_caches(caches)
        code = max(code, checking.validate(project, tei_xml, inputs, state, progress, say))
        code = max(code, rest(say))
    _save_stamp(build_dir, state)
    _kept(keep, locals())
    return code


def _kept(keep: list | None, made: dict) -> None:
    """What a returning frame made (its `locals()`) put in `keep`, when there is one."""
    if keep is not None:
        keep.append(made)


def _remove_leftovers(project: Project, build_dir: Path | None) -> None:
    """What an earlier build killed while it wrote (SIGKILL: nothing of it could clean up)
    left, removed when the process that wrote it is gone (never a running build's): the
    caches' temporary files in corpus/.teikit/cache and its validate/ (disk.write_private's),
    the site memo's in `build_dir`, the stamps' and the site manifest's (write_atomic's), the
    new or old site and text folders beside them (disk.new_folder's), and the pages' temporary
    files in build/site and build/text when a site written in place was killed (the mark
    disk.writing_in_place left: the folders are looked through only then). A few folder
    listings (~0.1 ms)."""
    from teikit.corpusdir import sweep
    from teikit.disk import remove_leftovers, remove_stale_private

    cache = project.state_dir / "cache"
    remove_stale_private(cache)
    remove_stale_private(cache / "validate")
    sweep(project.state_dir, {project.stamp_path().name})
    if build_dir is not None:
        from teikit.sitedir import MEMO

        remove_stale_private(build_dir, {MEMO})
        sweep(build_dir, {BUILD_STAMP, "manifest.json"})
        for name in ("site", "text"):
            remove_leftovers(build_dir, name)


# --- convert and check --------------------------------------------------------------------
def _converted(project: Project, cdir: CorpusDir, inputs: dict, force: bool, progress, caches=None,
               unwritten: bool = False, site: bool = False):
    """The conversion (pipeline.BuildResult); with `unwritten`, corpus/tei is left to write
    (result.data); with `site`, the modules of the stages after it are imported while its
    workers write the TEI (`_site_modules`)."""
    from teikit import pipeline

    # corpus/tei is about to change: a build stopped before the new stamp is saved (killed,
    # a broken pipe) must not leave the old one, which a later source could match again
    cdir.clear_stamp()
    return pipeline.convert_project(project, progress=progress, force=force, validate=checking.merge_validator(project),
                                    inputs=inputs, later=caches, unwritten=unwritten,
                                    prepare=_site_modules if site else None)


def _site_modules() -> None:
    """The modules the site imports, imported now: in this process while the conversion's
    workers write the TEI, instead of between the conversion and the site (~55 ms of this
    process's CPU). Only imports: the same results. (The deposit records' module, with
    PyYAML, is imported by the child that renders them, `_deposit_ahead`, else where they are
    rendered.)"""
    from teikit import rendering, sitedir  # noqa: F401
    from teikit.publish import cite  # noqa: F401 (deposit: imported where the records are rendered)
    from teikit.transform import site  # noqa: F401
    from teikit.transform.site import memo, search  # noqa: F401

    try:
        import pagefind_bin  # noqa: F401 (sitedir.executable: Pagefind's binary)
    except ImportError:
        pass


def _said_converted(project: Project, cdir: CorpusDir, inputs: dict, result, written, say):
    """What the conversion `result` and its writing (`written`, a corpusdir.Report) say; the
    stamp saved when no conflict was left: (exit code, written)."""
    comp = result.compilation
    say(f"converted {len(comp.documents)} documents from {comp.source_name} into {project.tei_dir}: "
        f"{len(written.written)} files written, {written.unchanged} unchanged"
        + (f", {len(written.removed)} removed" if written.removed else ""))
    say(f"nothing lost: {result.check.matched_words}/{result.check.source_words} words of the source "
        f"in teikit's conversion ({result.check.recall:.4%})")
    for note in result.notes:
        say(f"  {note}")
    warnings = [i for i in comp.issues if i.severity in ("warning", "error")]
    if warnings:
        say(f"{len(warnings)} warnings for the editor (see `teikit segment SOURCE --report`)")
    for issue in comp.issues:  # a profile pattern that never applies: said here, not only in the report
        if issue.code.startswith("profile:") and issue.severity == "warning":
            say(f"  warning [{issue.code}]: {issue.message}")
    for name in written.merged:
        say(f"{project.tei_dir / name}: your hand edits were merged into the new conversion (it validates)")
    for name in written.kept:
        say(f"{project.tei_dir / name}: edited by hand; its conversion did not change: kept as you left it")
    for message in written.conflicts:
        say(message)
    if not written.ok:
        say(f"{len(written.conflicts)} conflicts between hand edits and the new conversion: resolve them "
            f"(see docs/editing.md) and build again")
        return 1, written
    # the id map is an input too: fingerprint it as written
    inputs = dict(inputs, idmap=projectmod.file_digest(project.idmap_path))
    cdir.save_stamp({"inputs": inputs, "documents": len(comp.documents), "source": comp.source_name,
                     "matched": result.check.matched_words, "words": result.check.source_words})
    return 0, written


def _deposit_metadata(project: Project, say, records=None) -> None:
    """CITATION.cff, .zenodo.json, datacite.json beside the corpus folder (the repository root).

    Written when the configuration names the licence's SPDX id (they need it); from the
    configuration only, so a rebuild from the same configuration gives the same bytes.
    `records`: `_deposit_ahead`'s child, whose answer is taken instead of rendering here
    (rendered here after all when it raised or was killed)."""
    from teikit.beside import WorkerError

    try:
        rendered = records.join() if records is not None else _deposit_records(project)
    except WorkerError:  # the child was killed (its answer is small and quick to make again)
        rendered = _deposit_records(project)
    if rendered is None:
        say("deposit metadata not written: set licence.spdx in corpus.json to write CITATION.cff, .zenodo.json, datacite.json")
        return
    root = project.root.resolve().parent
    for name, data in rendered.items():
        path = root / name
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data)
    say(f"wrote CITATION.cff, .zenodo.json and datacite.json to {root}")


def _deposit_records(project: Project) -> dict[str, bytes] | None:
    """The deposit records' bytes (teikit.publish.deposit.render_all) for the project's
    configuration; None when it names no licence SPDX id."""
    from teikit import projectinputs
    from teikit.publish import deposit

    config = projectinputs.load_config(project.config_path)
    if not config["licence"].get("spdx"):
        return None
    return deposit.render_all(config)


def _deposit_ahead(project: Project, state: dict, inputs: dict):
    """`_deposit_records` begun in a forked child now (teikit.beside.Started: its `join()`
    gives the same answer, or renders here when the child raised), when this build will
    write the records (the build stamp's `state` holds another configuration's or code's key: a
    clean build, an edited corpus.json): the child imports PyYAML, reads the configuration and
    renders them on the CPU that the conversion's start leaves idle, instead of this
    process at the site's start (~20 ms of its CPU). None when they are not due."""
    from teikit.beside import start_beside

    if state.get("deposit") == projectmod.key(inputs["config"], inputs["code"]):
        return None
    return start_beside(lambda: _deposit_records(project))


# --- site and text ------------------------------------------------------------------------
def publish(project: Project, build_dir: Path, tei: dict, inputs: dict, state: dict, progress, say,
            search: bool = True, tei_files: dict | None = None, ready=None, beside=None, writing=None,
            split=None) -> int:
    """The edition site in build/site and the text files in build/text (incremental, see teikit.site).

    `tei_files`, `ready`: sitedir.build_site's (corpus/tei's files held here while another
    process writes them; called before the new folders are put in place). `beside(span)`:
    the seconds of Pagefind's run (start, end) during which other work of the build ran in
    another process (teikit.besidesite.Beside.overlap), said beside Pagefind's time.
    `writing()`: told when the site writes its first document (its stale document pages are
    made by then: teikit.transform.site makes them first, in two processes); `split`:
    sitedir.build_site's (how those two processes are run)."""
    from teikit import entry
    from teikit import sitedir as sitemod

    root = project.root.resolve().parent
    extra = [p.name for p in sitemod.optional_downloads(project.tei_dir, build_dir)]
    key = projectmod.key(tei, inputs["code"], inputs["config"], inputs["idmap"],
                         _digests(root, extra), _digests(build_dir, extra))
    outputs = _outputs(build_dir) if state.get("site") == key else None  # the walk only when it can decide
    if outputs and state.get("outputs") == outputs:
        say(state.get("site_summary", "site and text: nothing changed"))
        progress("site", 1, 1)
        progress("text", 1, 1)
        return 0
    from teikit import projectinputs
    from teikit.corpusdir import read_idmap, retired_passages, write_redirects

    config = projectinputs.load_config(project.config_path)
    progress("site", 0, len(tei))
    idmap = read_idmap(project.idmap_path)  # (parsed once for the retired ids and the redirects)
    result = sitemod.build_site(project.tei_dir, build_dir / "site", build_dir / "text", build_dir / "manifest.json",
                                config=config, progress=lambda done, total: _told(writing) or progress("site", done, total),
                                retired_passages=retired_passages(project.idmap_path, idmap), search_index=search,
                                tei_files=tei_files, ready=ready, split=split, code=inputs["code"],
                                keep=entry.KEPT if entry.ends_at_once() else None)  # never freed then
    progress("site", result.pages, result.pages)
    progress("text", result.text_files, result.text_files)
    redirects = write_redirects(project.idmap_path, build_dir / "site", idmap)
    summary = (f"wrote the site to {build_dir / 'site'} ({result.pages} pages, index.html at its root) and "
               f"{result.text_files} text files + corpus.txt to {build_dir / 'text'}")
    say(summary + f": {len(result.transformed)} outputs transformed, {result.skipped} unchanged"
        + (f", {len(result.removed)} stale removed" if result.removed else "")
        + (f"; {len(redirects)} redirect pages for retired ids" if redirects else "")
        + f"; search: {result.search} (Pagefind, {result.timings.get('search', 0):.2f} s{_besides(result, beside)}; "
          f"pages {result.timings.get('pages', 0):.2f} s)")
    state.update(site=key, outputs=_outputs(build_dir), site_summary=summary + ": nothing changed")
    return 0


def _told(tell) -> None:
    if tell is not None:
        tell()


def _besides(result, beside) -> str:
    """", X s of it beside other work": how much of Pagefind's time other processes of the
    build worked too (bench/bench_build.py leaves only the rest out of the build's time)."""
    span = result.timings.get("search_span")
    overlap = beside(span) if beside is not None and span is not None else 0.0
    return f", {overlap:.2f} s of it beside other work" if overlap >= 0.005 else ""


def _digests(folder: Path, names) -> dict:
    out = {}
    for name in names:
        path = Path(folder) / name
        if path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _outputs(build_dir: Path) -> dict:
    """rel path -> [size, mtime_ns] of every file the site stage wrote (build/site, build/text, manifest)."""
    out: dict = {}
    for sub in ("site", "text"):
        _walk_outputs(os.path.join(build_dir, sub), sub, out)
    return dict(sorted(out.items()))


def _walk_outputs(folder: str, rel: str, out: dict) -> None:
    """_outputs of one folder, as os.walk gives them (a folder that cannot be read is left
    out; a link to a folder is not followed; a link to a file is stat'ed where it points),
    with the relative names joined rather than worked out by os.path.relpath per file."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                _walk_outputs(entry.path, os.path.join(rel, entry.name), out)
            continue
        st = entry.stat()
        out[os.path.join(rel, entry.name)] = [st.st_size, st.st_mtime_ns]


def _read_stamp(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / BUILD_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_stamp(build_dir: Path, state: dict) -> None:
    write_atomic(build_dir / BUILD_STAMP, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode("utf-8"))
