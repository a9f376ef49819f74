"""The file system, as the application layer hands it to the library (see teikit.core.files).

Application layer: `Disk` reads files, `FolderSink` writes a folder of outputs (each file
through a temporary file, never half-written, or with plain writes into a folder nobody
reads yet), `DiskCache` keeps cached bytes in a folder, `replace_folder` puts a finished
folder in place of another in one step, and `new_folder` is a folder written afresh that
way: made beside its target, filled, then swapped in.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from teikit.core.errors import OutputError


class Disk:
    """`Files` on the local file system; relative paths are taken inside `root` when one is
    given (else the working directory)."""

    def __init__(self, root=None, *, stable_folders: bool = False):
        self.root = Path(root) if root is not None else None
        # stable_folders: for one run that creates or moves no folder (a validation), each
        # folder is made real once and a file in it costs one lstat (is it a link?)
        self._folders: dict | None = {} if stable_folders else None

    def _path(self, path) -> Path:
        return self.root / path if self.root is not None else Path(path)

    def read(self, path) -> bytes | None:
        try:
            with open(self._path(path) if self.root is not None else path, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def is_file(self, path) -> bool:
        return self._path(path).is_file()

    def real(self, path) -> Path:
        """The path made absolute, symbolic links resolved (Path.resolve())."""
        p = self._path(path)
        if self._folders is None or p.name in ("", ".", ".."):
            return p.resolve()
        folder = self._folders.get(p.parent)
        if folder is None:
            folder = self._folders[p.parent] = p.parent.resolve()
        candidate = folder / p.name
        return p.resolve() if candidate.is_symlink() else candidate


class FolderSink:
    """`Sink` writing under `folder`; `written` lists the names, in order."""

    def __init__(self, folder: Path, *, atomic: bool = True):
        self.folder = Path(folder)
        self.atomic = atomic
        self.written: list[str] = []
        self._made: set[Path] = set()

    def write(self, name: str, data: bytes) -> None:
        target = self.folder / name
        if self.atomic:
            from teikit.corpusdir import write_atomic  # (not imported by `teikit validate`, which writes none)

            write_atomic(target, data)
        else:
            parent = target.parent
            if parent not in self._made:
                parent.mkdir(parents=True, exist_ok=True)
                self._made.add(parent)
            with open(target, "wb") as fh:  # created under the umask: the usual mode
                fh.write(data)
        self.written.append(name)

    def link(self, source: Path, name: str, data: bytes) -> None:
        """Store `data` as `name`, given that the file `source` holds the same bytes and no one
        writes to it in place: into a folder written afresh, as a second name of that file (a
        hard link: one file made instead of two); else, or where the file system refuses the
        link (another device, no links), as `write` stores it."""
        if not self.atomic:
            target = self.folder / name
            parent = target.parent
            if parent not in self._made:
                parent.mkdir(parents=True, exist_ok=True)
                self._made.add(parent)
            try:
                os.link(source, target)
            except OSError:
                pass
            else:
                self.written.append(name)
                return
        self.write(name, data)


class DiskCache:
    """`Cache` in a folder: one file per key (keys are hashed into file names)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / digest[2:]

    def get(self, key: str) -> bytes | None:
        return read_private(self._path(key))  # the one policy of cache files: never another's

    def put(self, key: str, data: bytes) -> None:
        try:
            write_private(self._path(key), data)
        except OutputError:  # a cache that cannot be written is only slower
            pass


def files_below(root: str, skip_bytecode: bool = False, dangling: bool = False):
    """The files below the folder `root`, as paths relative to it ('/'-separated), in no set
    order, by os.scandir (pathlib's rglob costs about 0.2 ms a file): what rglob("*") gives
    that is a file: links to files too, in every subfolder that is not a link itself;
    folders that cannot be read are skipped. `skip_bytecode`: not __pycache__ folders nor
    *.pyc / *.pyo files. `dangling`: links to nothing too (a reader then reports them as
    unreadable instead of leaving them out unsaid)."""
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as it:
                entries = list(it)
        except OSError:
            continue
        for e in entries:
            if skip_bytecode and (e.name == "__pycache__" or e.name.endswith((".pyc", ".pyo"))):
                continue
            name = f"{rel}/{e.name}" if rel else e.name
            try:
                if e.is_dir():
                    if not e.is_symlink():
                        stack.append(name)
                elif e.is_file() or (dangling and e.is_symlink() and not os.path.exists(e.path)):
                    yield name
            except OSError:
                continue


def replace_folder(new: Path, target: Path) -> None:
    """Move the finished folder `new` to `target`, first moving an existing `target` aside
    (beside `new`, as `.<name>-old-<pid>`) and removing it once `new` is in place. `new`
    is made in the folder that holds `target`, so both renames stay on one file system.
    OSError propagates: the caller says what could not be written."""
    old = None
    if target.exists():
        old = new.parent / f".{target.name}-old-{os.getpid()}"
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def new_folder(target: Path, mode: int | None = None, *, keep_partial: bool = False):
    """A new, empty folder beside `target` to fill (with plain writes: nobody reads it yet);
    when the block ends without an error it replaces `target` in one step (`replace_folder`),
    else it is removed and `target` is left as it was (with `keep_partial`, what was written
    before the error is put in place all the same), and the error goes on. `mode`: the
    folder's permissions (default: the usual ones under the umask; mkdtemp would make it
    private). An OSError of making or placing the folder becomes an OutputError naming it."""
    target = Path(target)
    if target.is_symlink():  # a link to the output folder: the folder it names is replaced, the link kept
        target = target.resolve()
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(parent, target.name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-", dir=parent))
        if mode is None:
            from teikit.corpusdir import usual_mode

            mode = usual_mode(directory=True)
        tmp.chmod(mode)
    except OSError as err:
        raise _output_error(parent, err) from None
    try:
        yield tmp
    except BaseException:
        if keep_partial:
            try:
                replace_folder(tmp, target)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        replace_folder(tmp, target)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _output_error(target, err) from None


def remove_leftovers(parent: Path, name: str) -> list[Path]:
    """Remove the folders a killed run left beside `parent/name` (`.<name>-new-<pid>-…` being
    filled, `.<name>-old-<pid>` being replaced) when process <pid> is gone; a running
    process's folders are left alone. When `writing_in_place`'s mark of a process that is
    gone is there, the temporary files it (or a child of it) left in that folder and below
    are removed too (corpusdir.sweep), then the mark. Returns what was removed."""
    removed = []
    pattern = re.compile(rf"^\.{re.escape(name)}-(?:(?:new|old)-(\d+)(?:-|$)|writing-(\d+)$)")
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.match(entry.name)
        if m is None:
            continue
        if m.group(1) is not None:
            if entry.is_dir(follow_symlinks=False) and not alive(int(m.group(1))):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        elif entry.is_file(follow_symlinks=False) and not alive(int(m.group(2))):
            removed.extend(_swept(Path(parent), name, entry.path))
    return removed


def writing_in_place(folder: Path):
    """A context in which this process writes into the existing `folder` in place (each file
    through a temporary one, `.<file>-<pid>-…`, renamed): marked by an empty file beside it,
    `.<name>-writing-<pid>` (not in it: never published), removed when the block ends. A
    kill leaves it, and with it the temporary files being written then: `remove_leftovers`
    (the next build, or the next `teikit html`/`text` into it) then removes them. So the
    folder is looked through only after a kill, never by a run that finds no mark."""
    folder = Path(os.path.abspath(folder))
    if not folder.name:
        return contextlib.nullcontext()
    return _marked(folder.parent / f".{folder.name}-writing-{os.getpid()}")


@contextlib.contextmanager
def _marked(mark: Path):
    pid = os.getpid()
    try:
        os.close(os.open(mark, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644))
    except OSError:  # (a folder beside which nothing can be written: writes in it fail as before)
        mark = None
    try:
        yield
    finally:
        if mark is not None and os.getpid() == pid:  # (not by a forked child that leaves through here)
            with contextlib.suppress(OSError):
                os.unlink(mark)


def _swept(parent: Path, name: str, mark: str) -> list[Path]:
    """The temporary files of processes that are gone removed from parent/name and below,
    then the mark of the writer that was killed (kept while a process that runs still has
    such a file there: a child of the killed build not ended yet, or another build's)."""
    from teikit.corpusdir import sweep

    running: list = []
    removed = [parent / name / rel for rel in sweep(parent / name, None, below=True, running=running)]
    if not running:
        with contextlib.suppress(OSError):
            os.unlink(mark)
        removed.append(Path(mark))
    return removed


def alive(pid: int) -> bool:
    """Whether process `pid` runs (this one does; one of another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _output_error(path: Path, err: OSError) -> OutputError:
    out = OutputError(f"Cannot write to {str(path)!r}: {err.strerror}. Choose a writable output folder (-o).")
    out.reason = err.strerror  # the system's words, for a caller that words the message itself
    return out



def read_private(path: Path) -> bytes | None:
    """The bytes of a cache file no other user can have written, else None (as for a missing
    file): a regular file (a symbolic link is not followed), owned by the user running teikit,
    writable by nobody else, in a folder not writable by everyone. Every cache teikit keeps
    (the build's pickles, the validation results) is read through this one policy, and
    written by `write_private` (mode 600), so the user's umask does not matter."""
    import stat

    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            folder = os.stat(path.parent)
            if not stat.S_ISREG(info.st_mode) or not _owned(info) or info.st_mode & 0o022 \
                    or folder.st_mode & 0o002:
                return None
            return handle.read()
        except OSError:
            return None


def write_private(path: Path, data: bytes, private: Path | None = None) -> None:
    """Write a cache file through a temporary file and a rename, mode 600 (the user's alone);
    its folder is made private too when it is new, and so is each new folder between it and
    `private` (a cache folder above it: default its own folder); a new folder above that gets
    the usual mode. So a cache folder is 700 whichever of its files is written first.
    OutputError when it cannot be written. The temporary file,
    `.<name>-<pid>-<8 of mkstemp's characters>.tmp`, is removed whatever stops the write but
    a kill; then `remove_stale_private` removes it once <pid> is gone."""
    path = Path(path)
    tmp = None
    try:
        if private is not None and private != path.parent:
            Path(private).parent.mkdir(parents=True, exist_ok=True)
            folder = Path(private)
            for part in path.parent.relative_to(private).parts:
                folder.mkdir(exist_ok=True, mode=0o700)
                folder = folder / part
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-{os.getpid()}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise OutputError(f"Cannot write {str(path)!r}: {err.strerror}.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


UNNUMBERED_STALE_S = 3600  # no write of one cache file takes that long


def remove_stale_private(folder: Path, names=None) -> list[str]:
    """Remove from `folder` the temporary files `write_private` left there for a cache file
    (any name, or one of `names`) when its process was killed (nothing else can remove them):
    those of a process that is gone, never a running one's (two builds at once); one named
    without a pid (as they were named before) only when not touched for an hour. Only
    regular files are touched (not a link, not a folder). Returns their names, sorted.
    Removing a temporary file a write still needs would only make that cache write fail,
    which every caller ignores (a cache costs time, never a result)."""
    gone = []
    for entry, rel in stale_temporaries(folder, names, suffix=".tmp", unnumbered_age=UNNUMBERED_STALE_S):
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        gone.append(rel)
    return sorted(gone)


def stale_temporaries(folder: Path, names=None, *, suffix: str = "", unnumbered_age: float | None = None,
                      below: bool = False, running: list | None = None):
    """The temporary files a killed process left in `folder` (os.DirEntry, name relative to
    `folder`), for a file of any name or of one of `names`: `.<name>-<pid>-<8 of mkstemp's
    characters><suffix>` (corpusdir.write_atomic's: no suffix; write_private's: ".tmp") of a
    process <pid> that is gone, never a running one's (given a list, `running` gets those);
    named so without the pid (as they were before) only with `unnumbered_age`, when not
    touched for that many seconds (0: any). `below`: in every folder below too (not through
    a link). Only regular files."""
    import time

    numbered = re.compile(rf"\.(.+)-(\d+)-[a-z0-9_]{{8}}{re.escape(suffix)}")
    unnumbered = re.compile(rf"\.(.+)-[a-z0-9_]{{8}}{re.escape(suffix)}")
    names = None if names is None else set(names)
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            entries = os.scandir(os.path.join(folder, rel) if rel else folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if below and entry.is_dir(follow_symlinks=False):
                    stack.append(os.path.join(rel, entry.name))
                    continue
                if not entry.name.startswith(".") or not entry.name.endswith(suffix):
                    continue
                found = numbered.fullmatch(entry.name)
                try:
                    if found is not None and (names is None or found.group(1) in names):
                        try:
                            stale = not alive(int(found.group(2)))
                        except OverflowError:  # (a pid too large for kill: left alone)
                            stale = False
                        if not stale and running is not None:
                            running.append(os.path.join(rel, entry.name))
                    else:
                        found = unnumbered.fullmatch(entry.name) if unnumbered_age is not None else None
                        stale = found is not None and (names is None or found.group(1) in names) and (
                            unnumbered_age == 0 or entry.stat(follow_symlinks=False).st_mtime < time.time() - unnumbered_age)
                    if stale and entry.is_file(follow_symlinks=False):
                        yield entry, os.path.join(rel, entry.name)
                except OSError:  # (a file gone meanwhile, or one that cannot be stat'ed: left alone)
                    continue


def unpickle_private(path: Path):
    """The value pickled in a cache file that no other user can have written (`read_private`).
    A pickle runs code when it is loaded, so any other file raises FileNotFoundError, as a
    missing one does, and the caller starts with an empty cache (rebuilt: time, never a result)."""
    import pickle

    data = read_private(path)
    if data is None:
        raise FileNotFoundError(f"{path} is missing or not a private cache file")
    return pickle.loads(data)


def _owned(info) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()
