"""What a build does beside its site stage, in a second process (application layer: it forks
through teikit.beside).

The site and text stage takes one CPU (and a second one for its document pages, see
teikit.transform.site); beside it, a forked child does what the site does not read:

1. on a clean build (`unwritten_ok`: corpus/tei holds no file, and the site and text folders
   do not exist yet), it writes corpus/tei, the manifest and the base copies
   (CorpusDir.write_generated), while the site reads the same bytes from memory
   (sitedir.build_site's `tei_files`). Into an empty folder write_generated writes exactly
   the files it is given, and nothing of an editor's can be there, so the corpus folder the
   site would have read after the write is the one it reads before: same bytes, same site.
   The new site and text folders are put in place only once corpus/tei is written
   (`Beside.ready`, sitedir.build_site's `ready`): a write that fails leaves no site, as
   when the site came after it;
2. then the conversion's caches for the next build;
3. then validation (teikit.build._validate), which reads corpus/tei from the disk, as
   written by then; on a clean build once the site leaves it a CPU (`Beside.wait`): when the
   site's second process, which makes the document pages (`Beside.split`), has ended, or
   when the site writes its first document (`Beside.go`) if it made them in one process.
   Validation so takes the CPU the site leaves, rather than a third of two CPUs where the
   site's two processes need both. When it starts changes nothing else.

What each step says comes back with its result and is said in the order of doing them one
after the other; a step's error is raised where one process would raise it. `Beside.overlap`
says how long the child worked during an interval of the parent's (Pagefind's): the part of
Pagefind's time that is not Pagefind's alone (bench/bench_build.py subtracts only the rest).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import time
from pathlib import Path

from teikit.beside import WorkerError, start_beside
from teikit.corpusdir import write_atomic


def unwritten_ok(tei_dir: Path, build_dir: Path) -> bool:
    """Whether corpus/tei may be written beside the site: it holds no file yet (missing, or an
    empty folder that is not a link) and the site and text folders do not exist."""
    tei_dir, build_dir = Path(tei_dir), Path(build_dir)
    if tei_dir.is_symlink() or any(os.path.lexists(build_dir / sub) for sub in ("site", "text")):
        return False
    if not os.path.lexists(tei_dir):
        return True
    try:
        with os.scandir(tei_dir) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def as_decided(written, files: dict[str, bytes]) -> bool:
    """Whether write_generated's Report `written` says corpus/tei now holds exactly `files`, as
    `unwritten_ok` found it empty: every file written, none unchanged, merged, kept, removed
    or in conflict (a file that landed there since was read and kept: then the site must be
    made from the disk, as when corpus/tei is written first)."""
    return (len(written.written) == len(files) and not written.unchanged and not written.merged
            and not written.kept and not written.conflicts and not written.removed
            and written.digests == digests(files))


class Differs(Exception):
    """corpus/tei was not found as decided when it was written (`as_decided`): the site made
    from memory is not put in place (raised by Beside.ready)."""


def digests(files: dict[str, bytes]) -> dict[str, str]:
    """CorpusDir.tei_digests of corpus/tei once `files` are written into it empty (sorted by name)."""
    return {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}


class Beside:
    """`work(wait)` -> dict in a forked child from now on (teikit.beside.start_beside); `wait()`
    returns once this process has called `go()` and the processes forked before it (the site's
    second one, `split`) have ended (at once where work() runs here); `join()`
    gives its dict, with the child's start and end on time.perf_counter's clock (the same
    for every process of the machine). `work` returns {"error": exception} when writing
    corpus/tei failed (then it did nothing more); `ready()` raises that error."""

    def __init__(self, work):
        parent = os.getpid()
        self._go_out, self._go_in = os.pipe()

        def wait() -> None:
            if os.getpid() != parent:  # the end of the pipe: no process holds its write end any more
                while os.read(self._go_out, 4096):
                    pass

        def timed():
            if os.getpid() != parent:  # the child's copy of the write end would keep wait() waiting
                os.close(self._go_in)
            began = time.perf_counter()
            got = work(wait)
            return dict(got, began=began, ended=time.perf_counter())

        try:
            self.started = start_beside(timed)
        finally:
            os.close(self._go_out)
        self.got: dict | None = None
        self.failed: BaseException | None = None  # the child was killed: said again, never done here after it

    def go(self) -> None:
        """Let the child go on past wait() once every process forked before this call has
        ended (this one's copy of the pipe's write end is closed; once, later calls do nothing)."""
        if self._go_in is not None:
            fd, self._go_in = self._go_in, None
            os.close(fd)

    def split(self, child, here):
        """teikit.beside.run_beside(child, here), the child forked before go(): the process
        beside the site goes on as soon as this child has computed its value (it closes its
        copy of the write end then) or after here() at the latest."""
        def child_then_release():
            value = child()
            if self._go_in is not None:  # in that child: its copy of the write end, before it sends
                os.close(self._go_in)  # its value (which waits for this process to read it)
                self._go_in = None
            return value

        started = start_beside(child_then_release)
        self.go()
        try:
            ours = here()
        except BaseException:
            started.stop()
            raise
        return started.join(), ours

    def join(self) -> dict:
        if self.got is None:
            if self.failed is not None:  # not done again here: it may have written part of corpus/tei
                raise self.failed
            self.go()
            try:
                self.got = self.started.join()
            except WorkerError as err:  # killed by a signal: said for `teikit build` (it has no --jobs)
                self.failed = WorkerError(
                    f"The process of this build that writes corpus/tei and validates it beside the site "
                    f"(pid {err.pid}) {err.how}: corpus/tei may be left part-written and was not validated. "
                    f"Run `teikit build` again.", err.pid, err.how)
                raise self.failed from None
            except BaseException as err:  # noqa: BLE001
                self.failed = err
                raise
        return self.got

    def stop(self) -> None:
        if self.got is None:
            self.started.stop()
            self.go()

    def went(self) -> None:
        """`go()`, after raising at once what ready() would raise if the child has already
        ended: on a clean build it ends before go() only when writing corpus/tei failed or
        found the folder not as decided (or it was killed); the site then stops early."""
        started = self.started
        if self.got is None and self.failed is None and started.pid is not None:
            import select

            if not select.select([started.read_end], [], [], 0)[0]:  # still working
                self.go()
                return
        if self.got is not None or self.failed is not None or started.pid is not None:
            self.ready()
        self.go()

    def kill(self) -> None:
        """SIGKILL the child now, if it runs (from a signal handler: nothing is waited for)."""
        pid = self.started.pid
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def ready(self) -> None:
        """The child's work is done; its error of writing corpus/tei raised, if any."""
        got = self.join()
        if got.get("error") is not None:
            raise got["error"]
        if got.get("differs"):
            raise Differs()

    def overlap(self, span) -> float:
        """Seconds of `span` (start, end) during which the child worked (it is joined first)."""
        got = self.join()
        start, end = span
        return max(0.0, min(end, got["ended"]) - max(start, got["began"]))


def from_disk(project, cdir, written, say, later: list, validate, site) -> int:
    """What a build does after writing corpus/tei (`written`) when its folder was not as
    teikit.besidesite decided: the hand edits said, validation and the site read from the
    disk (`later`: what the deposit records said meanwhile; the site made from memory was
    discarded before it said anything); `validate(tei)`, `site(tei)`:
    teikit.build's, on corpus/tei's files as they are now (name -> digest)."""
    tei = cdir.tei_digests(written.digests)
    edits = cdir.hand_edits(tei)
    if edits:
        say(f"{len(edits)} files of {project.tei_dir} differ from teikit's conversion "
            f"(edited by hand; `teikit status` lists them)")
    tei_xml = {n: d for n, d in tei.items() if n.endswith(".xml")}
    code = validate(tei_xml)
    for line in later:
        say(line)
    return max(code, site(tei_xml))


def ready_else_undo(beside: Beside, project, result, build_dir: Path, made_build: bool, deposit_was: dict) -> None:
    """beside.ready() after the site failed (Differs aside: corpus/tei is written); when
    writing corpus/tei failed (said at once: Beside.went), `undo_unwritten` first, then that error."""
    try:
        beside.ready()
    except Differs:
        pass
    except Exception:
        undo_unwritten(project, result, build_dir, made_build, deposit_was)
        raise


def undo_unwritten(project, result, build_dir: Path, made_build: bool, deposit_was: dict) -> None:
    """Writing corpus/tei beside the site failed: what a build that writes it first leaves
    too. The id map as it was (that build fails before it writes it: pipeline's
    result.idmap_was), the deposit records as they were (path -> bytes or None: written
    before the site, which reads CITATION.cff, and never by that build), and no build folder
    where there was none (the site left it empty)."""
    undo = dict(deposit_was)
    if result.idmap_was is not None:
        undo[project.idmap_path] = result.idmap_was[0]
    for path, old in undo.items():
        if old is None:
            with contextlib.suppress(FileNotFoundError):
                Path(path).unlink()
        elif read_bytes(path) != old:
            write_atomic(path, old)
    if made_build:
        with contextlib.suppress(OSError):
            os.rmdir(build_dir)  # only when empty


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def end_if_orphaned(parent: int) -> None:
    """In the process beside the site (teikit.besidesite): end it, writing nothing more, when
    the build that forked it has ended (killed; the kernel also kills it then on Linux, see
    teikit.beside._die_with_parent). Nothing is half-written: write_atomic renames whole files."""
    from teikit.beside import parent_alive

    if os.getpid() != parent and not parent_alive(parent):
        os._exit(1)


@contextlib.contextmanager
def stopped_on_sigterm(beside):
    """SIGTERM while `beside` (teikit.besidesite.Beside) runs: its child is killed, as on
    Ctrl-C, then this process ends by SIGTERM as it would have (same exit status). The
    handler raises nothing: an exception raised at an arbitrary point can be swallowed (by a
    callback run from C), and the build would go on. Set only in the main thread, and only
    where no handler was set by the caller."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    me = os.getpid()

    def terminated(signum, _frame):
        if os.getpid() == me:  # not in a child forked meanwhile (the site's second process)
            beside.kill()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
