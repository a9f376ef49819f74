"""The edition site on disk: the application layer of teikit.transform.site.

`build_site` reads the corpus folder and the earlier build's outputs through `Disk`, hands
them with the stylesheets (teikit.rendering.stylesheets) to `render_site`, and gives it a
Sink over the output folders:
- an output folder that does not exist yet is written afresh: plain writes (no temporary
  file and rename per file) into a new folder beside it, put in place in one step when the
  site is done (`disk.new_folder`), so that nobody ever sees half a site;
- into an existing folder only the changed outputs are written, each through a temporary
  file (never half-written), marked meanwhile (`disk.writing_in_place`), so that what a
  kill leaves there is removed by the next build.
Then it runs Pagefind's indexer (a process) on the search records when they changed,
removes the outputs of the earlier build that are no longer made, and writes the manifest.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

from teikit.core.errors import TeikitError
from teikit.corpusdir import write_atomic
from teikit.disk import (Disk, FolderSink, new_folder, remove_leftovers, unpickle_private, write_private,
                         writing_in_place)

BUNDLE = "pagefind"


class SearchError(TeikitError):
    """Pagefind could not be run or failed."""


def optional_downloads(tei_dir: Path, build_dir: Path) -> list[Path]:
    """The files of site.OPTIONAL_DOWNLOADS that exist: beside the corpus folder
    (tei_dir/../..), else in the build folder."""
    from teikit.transform.site.output import OPTIONAL_DOWNLOADS

    found = []
    for name, _ in OPTIONAL_DOWNLOADS:
        for folder in (Path(tei_dir).resolve().parent.parent, Path(build_dir).resolve()):
            if (folder / name).is_file():
                found.append(folder / name)
                break
    return found


def code_digest() -> str:
    """Digest of teikit's own code and of what runs it (teikit.project.code_digest): a key of
    every output of the site, since pages are made by Python too (the glance pages, search
    records, the runner's text normalisation, link checks and retired-id anchors), not
    only by the stylesheets."""
    from teikit.project import code_digest as digest

    return digest()


class _Folders:
    """The Sink of a site build: names "<prefix>/<path>" go to the folder of their prefix.
    They are files, so what a forked child writes through it is there for this process too
    (`forked_writes`: render_site's second process stores its pages itself)."""

    forked_writes = True

    def __init__(self):
        self.routes: list[tuple[str, FolderSink]] = []

    def add(self, prefix: str, sink: FolderSink) -> None:
        self.routes.append((prefix + "/", sink))

    def _route(self, name: str) -> tuple[FolderSink, str]:
        for prefix, sink in self.routes:
            if name.startswith(prefix):
                return sink, name[len(prefix):]
        raise ValueError(f"output {name!r} is in none of the site's folders")

    def write(self, name: str, data: bytes) -> None:
        sink, rest = self._route(name)
        sink.write(rest, data)

    def link(self, source: str, name: str, data: bytes) -> None:
        """Store `data` as `name`, the bytes this build has just written as output `source`
        (FolderSink.link: a hard link into a folder written afresh, else a write)."""
        sink, rest = self._route(name)
        of, path = self._route(source)
        sink.link(of.folder / path, rest, data)


class _Previous:
    """What an earlier build left, by output name (a Files): nothing under a folder being
    written afresh (no file system call for it), else the file under the manifest's folder.

    `unchanged(name)`: the file's size, modification and change times (ns) and inode are those `stats` records
    for it, which were taken when the earlier build had written or checked it, right before
    its manifest was written: the file then still holds what that manifest says (the
    assumption `make` and the build's own nothing-changed stamp rest on; a file edited or
    replaced since has another modification time)."""

    def __init__(self, base: Path, fresh: list[str], stats: dict | None = None):
        self.disk = Disk(base)
        self.base = base
        self.root = os.fspath(base)
        self.fresh = tuple(prefix + "/" for prefix in fresh)
        self.stats = stats or {}
        self.vouched: dict[str, tuple] = {}

    def read(self, name) -> bytes | None:
        return None if str(name).startswith(self.fresh) else self.disk.read(name)

    def is_file(self, name) -> bool:
        return not str(name).startswith(self.fresh) and self.disk.is_file(name)

    def real(self, name):
        return self.disk.real(name)

    def unchanged(self, name: str) -> bool:
        was = self.stats.get(name)
        if was is None or name.startswith(self.fresh):
            return False
        try:
            st = os.stat(os.path.join(self.root, name))  # a string join: one per output of the site
        except OSError:
            return False
        if _stat_key(st) != tuple(was) or not stat.S_ISREG(st.st_mode):
            return False
        self.vouched[name] = was
        return True


class _Pending:
    """`Files` of the corpus folder as it is about to be: the bytes a build has made for
    `folder` (name -> bytes; it writes them there meanwhile, teikit.build), else the disk."""

    def __init__(self, disk: Disk, folder: Path, files: dict[str, bytes]):
        self.disk, self.folder, self.files = disk, os.path.normpath(folder), files

    def _held(self, path) -> bytes | None:
        folder, name = os.path.split(os.path.normpath(path))
        return self.files.get(name) if folder == self.folder else None

    def read(self, path) -> bytes | None:
        held = self._held(path)
        return held if held is not None else self.disk.read(path)

    def is_file(self, path) -> bool:
        return self._held(path) is not None or self.disk.is_file(path)

    def real(self, path):
        return self.disk.real(path)


class _Deflating:
    """The TEI files' deflated bytes for tei.zip (output.deflate, by sha256), made by a thread
    while the site reads the corpus and cites its documents: zlib and hashlib let go of the
    GIL as they work, so on a clean build a second CPU does what the site's process did alone
    before its pages are shared out. `files`: name -> bytes; `known`: the memo's entries (a
    file deflated there is not deflated again). `join()` before the site forks (teikit.beside
    forks a process of one thread only); what the thread did not make is made as before."""

    def __init__(self, files: dict[str, bytes], known: dict):
        import threading

        self.out: dict[str, tuple[int, bytes]] = {}
        todo = [data for name, data in files.items() if name.endswith(".xml")]
        self.thread = threading.Thread(target=self._run, args=(todo, known), daemon=True)
        self.thread.start()

    def _run(self, todo: list[bytes], known: dict) -> None:
        import zlib

        from teikit.transform.site.corpus import sha
        from teikit.transform.site.output import deflate

        try:
            for data in todo:
                digest = sha(data)
                if ("deflate", digest, zlib.ZLIB_RUNTIME_VERSION) not in known:
                    self.out[digest] = deflate(data)
        except BaseException:  # noqa: BLE001 (what is missing is made by the site itself)
            pass

    def join(self) -> None:
        self.thread.join()

    def made(self) -> dict[str, tuple[int, bytes]]:
        self.join()
        return self.out

    def before(self, split):
        """`split`, which forks, once the thread has ended."""
        if split is None:
            return None

        def joined(*args, **kwargs):
            self.join()
            return split(*args, **kwargs)

        return joined


MEMO = ".teikit-site-memo.pickle"
MEMO_VERSION = 2


def _load_memo(path: Path, code: str) -> tuple[dict, dict]:
    """(memo entries, output stats) the earlier build kept for this code; empty when the
    file is missing, damaged, of another version or of other code (never an error)."""
    try:
        data = unpickle_private(path)  # a pickle runs code: only a file no one else can have written
        if data.get("version") == MEMO_VERSION and data.get("code") == code:
            return data["memo"], data["stats"]
    except Exception:  # noqa: BLE001 (any damage: start empty)
        pass
    return {}, {}


def _save_memo(path: Path, code: str, memo: dict, stats: dict) -> None:
    """The memo for the next build (only speeds it up: a failure to write it is ignored)."""
    try:
        write_private(path, pickle.dumps({"version": MEMO_VERSION, "code": code, "memo": memo, "stats": stats},
                                         protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, TeikitError):
        pass


def _output_stats(base: Path, writer, previous: _Previous) -> dict:
    """The stat key (_stat_key) of every file the manifest lists, as it is now (after the build)."""
    out = {}
    root = os.fspath(base)
    for name, entry in writer.new.items():
        if entry.get("folder"):
            continue
        if name in previous.vouched and entry is writer.old.get(name):
            out[name] = previous.vouched[name]
            continue
        try:
            st = os.stat(os.path.join(root, name))
        except OSError:
            continue
        out[name] = _stat_key(st)
    return out


def _stat_key(st) -> tuple:
    """What vouches for an output file: size, modification time, change time and inode. A
    program can put the size and mtime back after changing the bytes (`touch -d`); the
    change time it cannot, and a file replaced has another inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _split():
    """`share(fn, items, first)` when this process may run on two CPUs (its affinity mask),
    else None: the document pages are then made by a forked child and by this process once
    first() is done, whoever is free taking the next (teikit.beside.share_out)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if cpus < 2:
        return None
    return share


def share(fn, items, first, start=None):
    """([fn(item) for item in items], first()): teikit.beside.share_out with one helper
    child, which runs `start()` first when given."""
    from teikit.beside import share_out

    return share_out(fn, items, 1, first, start=start)


def _name(folder: Path, base: Path) -> str:
    return Path(os.path.relpath(folder.resolve(), base.resolve())).as_posix()


def _is_fresh(folder: Path) -> bool:
    """A folder to write afresh: it does not exist (an existing one may hold what others put there)."""
    return not folder.exists() and not folder.is_symlink()


def build_site(tei_dir, site_dir, text_dir, manifest, *, config: dict | None = None,
               extra_downloads: list[Path] | None = None, search_index: bool = True, progress=None,
               retired_passages: dict[str, str] | None = None, tei_files: dict[str, bytes] | None = None,
               ready=None, split=None, keep: list | None = None, code: str | None = None):
    """Write the site and the text files (see teikit.transform.site); return its SiteResult.

    Incremental: an output whose inputs did not change since the build that wrote
    `manifest` is not made again. extra_downloads: files copied to site_dir/downloads/ and
    listed on the about page (default: `optional_downloads`, CITATION.cff and cmif.xml where
    they exist). search_index: build the Pagefind index in site_dir/pagefind (timed apart,
    in result.timings['search']; result.timings['search_span']: its start and end on
    time.perf_counter's clock). progress(done, total), if given, is told each document done.
    tei_files: the files of tei_dir (name -> bytes) as the caller is writing them meanwhile,
    read from here instead of the disk; ready(): called before the new site and text folders
    are put in place (an error it raises leaves them out, as any error of the site does).
    split: `split(fn, items, first)` -> ([fn(item) for item in items], first()) in place of
    `share`, where the document pages are made by a second process too (when this one may
    run on two CPUs). keep: render_site's (a list the build's trees are put in, not freed).
    code: `code_digest()`, when the caller has it (teikit.build: conversion_inputs' "code")."""
    from teikit.rendering import stylesheets
    from teikit.transform.site import records_key, render_site
    from teikit.transform.site.memo import Memo

    tei_dir, site_dir, text_dir, manifest = Path(tei_dir), Path(site_dir), Path(text_dir), Path(manifest)
    base = manifest.parent
    if extra_downloads is None:
        extra_downloads = optional_downloads(tei_dir, base)
    downloads = [(Path(p).name, Path(p).read_bytes()) for p in extra_downloads]
    try:
        old_manifest = manifest.read_bytes()
    except OSError:
        old_manifest = None
    names = {"site": _name(site_dir, base), "text": _name(text_dir, base)}
    if site_dir.is_dir():  # a build killed while Pagefind ran left its new bundle's folder
        remove_leftovers(site_dir, BUNDLE)
    real_site, real_text = site_dir.resolve(), text_dir.resolve()
    # one folder inside the other (or both the same): written in place, not afresh
    nested = real_site == real_text or real_site in real_text.parents or real_text in real_site.parents
    sink = _Folders()
    with contextlib.ExitStack() as stack:
        written = {}  # prefix -> the folder its outputs are written to (a new one, or in place)
        fresh, marked = [], set()
        for prefix, folder in (("site", site_dir), ("text", text_dir)):
            if _is_fresh(folder) and not nested:
                written[prefix] = stack.enter_context(new_folder(folder))
                sink.add(names[prefix], FolderSink(written[prefix], atomic=False))
                fresh.append(names[prefix])
            else:
                written[prefix] = folder
                sink.add(names[prefix], FolderSink(folder))
                if folder.resolve() not in marked:  # (a kill now leaves its temporary files: teikit.build sweeps)
                    marked.add(folder.resolve())
                    stack.enter_context(writing_in_place(folder))
        code = code if code is not None else code_digest()
        old_memo, stats = _load_memo(base / MEMO, code) if old_manifest is not None else ({}, {})
        previous = _Previous(base, fresh, stats)
        corpus = Disk(stable_folders=True)  # nothing makes or moves a folder of corpus/tei meanwhile
        deflating = None
        if tei_files is not None:
            corpus = _Pending(corpus, tei_dir, tei_files)
            deflating = _Deflating(tei_files, old_memo)
        split = split if split is not None and _split() is not None else _split()
        try:
            result, writer = render_site(corpus, tei_dir, stylesheets(), sink, previous, old_manifest,
                                         site=names["site"], text=names["text"], config=config, downloads=downloads,
                                         code=code, search_records=search_index, progress=progress,
                                         retired_passages=retired_passages, memo=Memo(old_memo),
                                         split=split if deflating is None else deflating.before(split), keep=keep,
                                         deflated=None if deflating is None else deflating.made)
        finally:
            if deflating is not None:
                deflating.join()
        t = time.perf_counter()
        if search_index:
            _search(writer, result, site_dir, written["site"], f"{names['site']}/{BUNDLE}", records_key(result.records))
        else:
            result.search = "off"
        end = time.perf_counter()
        result.timings["search"] = result.timings.get("search", 0.0) + end - t
        result.timings["search_span"] = (t, end)
        if ready is not None:
            ready()
    for name, is_folder in writer.stale():
        path = base / name
        if is_folder and path.is_dir():
            shutil.rmtree(path)
            result.removed.append(name + "/")
        elif path.is_file():
            path.unlink()
            result.removed.append(name)
    stats = _output_stats(base, writer, previous)
    write_atomic(manifest, writer.manifest())
    _save_memo(base / MEMO, code, result.memo.kept, stats)
    return result


def _search(writer, result, site_dir: Path, written: Path, name: str, rkey: str) -> None:
    """Pagefind's index in site_dir/pagefind, made again only when the records changed (or
    the bundle was damaged); `written`: the folder the site is being written to."""
    bundle = site_dir / BUNDLE
    if writer.old_key(name) == rkey and bundle.is_dir():
        digest = folder_digest(bundle)
        if digest == writer.old.get(name, {}).get("sha256"):
            writer.keep(name, rkey, digest)
            result.search = "unchanged"
            return
    write_index(result.records, written)
    writer.keep(name, rkey, folder_digest(written / BUNDLE))
    result.transformed.append(name + "/")
    result.search = f"indexed {len(result.records)} documents"


# --- Pagefind ----------------------------------------------------------------------------------
def executable() -> Path:
    """Pagefind's binary, looked for where the pagefind package's own lookup
    (pagefind.service.get_executable) looks, in its order: PAGEFIND_BINARY_PATH (when not
    empty), the pagefind-bin-extended and pagefind-bin packages, then `pagefind_extended`
    and `pagefind` on PATH. Not by calling it: importing pagefind.service imports asyncio,
    ~20 ms of every build's CPU for a path."""
    import importlib

    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = importlib.import_module(package).get_executable()
        except (ImportError, FileNotFoundError, AttributeError):
            continue
        return Path(found)
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise SearchError("Pagefind's binary was not found: `pip install pagefind-bin` (a teikit dependency), "
                          "or set PAGEFIND_BINARY_PATH, or build without search.")
    return Path(found)


def write_index(records: list[dict], site_dir: Path) -> Path:
    """Write the Pagefind bundle for `records` to site_dir/pagefind (swapped in whole, so a
    failed run leaves the previous index): each record as the small HTML page of
    site.search.record_page in a temporary folder, indexed by Pagefind's CLI
    (`pagefind --site TMP --output-path ...`; the Python API's service answers one record
    per 0.1 s poll, 20 s for this corpus)."""
    from teikit.transform.site.search import record_page

    site_dir = Path(site_dir)
    target = site_dir / BUNDLE
    exe = executable()
    site_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.gettempdir())
    remove_leftovers(scratch, "teikit-pagefind")  # what a killed run left (its pid is gone)
    pages = Path(tempfile.mkdtemp(prefix=f".teikit-pagefind-new-{os.getpid()}-", dir=scratch))
    try:
        with new_folder(target) as tmp:  # the usual folder mode, not mkdtemp's 700
            try:
                sink = FolderSink(pages, atomic=False)
                for rec in records:
                    sink.write(rec["url"], record_page(rec))
                done = _pagefind([str(exe), "--site", str(pages), "--output-path", str(tmp), "--silent"])
            except OSError as err:
                raise SearchError(f"Pagefind ({exe}) cannot be run: {err.strerror}.") from None
            if done.returncode != 0:
                raise SearchError(f"Pagefind failed on {len(records)} records (exit {done.returncode}): "
                                  f"{(done.stderr or done.stdout).strip()[-500:]}")
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    return target


def _pagefind(command: list[str]) -> subprocess.CompletedProcess:
    """subprocess.run(command, capture_output=True, text=True, timeout=600), the process known
    to teikit.beside.kill_children while it runs: a build's SIGTERM handler kills it with the
    build's other children (it would go on writing its bundle after the build ended)."""
    from teikit.beside import watched

    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc, \
            watched(proc.pid):
        try:
            stdout, stderr = proc.communicate(timeout=600)
        except BaseException:  # as subprocess.run: a timeout or an interruption ends it
            proc.kill()
            proc.wait()
            raise
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def folder_digest(folder: Path) -> str:
    """Digest of a folder's files (names and contents): tells an intact bundle from a damaged one."""
    from teikit.transform.site.corpus import sha

    if not folder.is_dir():
        return ""
    parts = []
    for p in sorted(q for q in folder.rglob("*") if q.is_file()):
        parts.append(p.relative_to(folder).as_posix() + "\0" + sha(p.read_bytes()))
    return sha("\n".join(parts).encode("utf-8"))
