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
3. then validation (teikit.buildvalidation.apart), which reads corpus/tei from the disk, as
   written by then, when no child was forked ahead for it (see below). Meanwhile the site
   makes its texts and corpus pages; its document pages (`Beside.split`) go to a second
   process of its own once this child has ended its work or the site has done that first
   part, and to the site's process after it: the two CPUs carry the site's own work and this
   child's first, then the pages, never three processes on two CPUs where two are busy.
   When validation starts changes nothing else.

Where a second CPU can run it, validation is not in that child but in one forked before the
conversion (`Ahead`), which warms up while the conversion runs and validates once it is sent
the files; on a clean build also once the child beside the site has written corpus/tei and
the caches and said so (`Ahead.say`: GO only when the folder holds what was decided; otherwise,
or when that child ends without a word, it does nothing and the parent validates from the
disk, as above), so that one of them works beside the site at a time.

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

from teikit.beside import WorkerError, kill_children, start_beside


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
    """`work()` -> dict in a forked child from now on (teikit.beside.start_beside); `join()`
    gives its dict, with the child's start and end on time.perf_counter's clock (the same
    for every process of the machine). `work` returns {"error": exception} when writing
    corpus/tei failed (then it did nothing more); `ready()` raises that error.

    `split(fn, items, first)` is the site's share of its document pages (sitedir.share): its
    helper child takes items only once the child beside has ended its work (and so has each
    child of `after`, the build's validation child forked ahead: teikit.besidesite.Ahead) or
    this process has done first(), whichever comes first, so that the two CPUs carry the
    site's own work and the work beside it first, and the pages then go to whichever is free
    (never a third process beside two busy ones)."""

    def __init__(self, work, after=()):
        parent = os.getpid()
        self._done_out, done_in = os.pipe()  # at its end once no process holds done_in: work() is done
        self.after = [child for child in after if child is not None]

        def timed():
            began = time.perf_counter()
            try:
                got = work()
            finally:
                if os.getpid() != parent:  # the child's word that its work is done
                    os.close(done_in)
            return dict(got, began=began, ended=time.perf_counter())

        try:
            self.started = start_beside(timed)
        finally:
            os.close(done_in)
        self.got: dict | None = None
        self.failed: BaseException | None = None  # the child was killed: said again, never done here after it

    def split(self, fn, items, first):
        """([fn(item) for item in items], first()) by teikit.beside.share_out with one helper
        child, which starts taking items when the child beside has ended its work (or was
        killed) and so has each child of `after` (its result pipe has something to read: it
        is sending its result, or it ended), or when first() has returned here."""
        import select

        from teikit.beside import share_out

        first_out, first_in = os.pipe()
        busy = [self._done_out] if self._done_out is not None else []
        busy += [child.started.read_end for child in self.after if child.started.pid is not None]

        def start() -> None:  # in the helper child
            os.close(first_in)  # its copy: the pipe ends when this process has done first()
            waiting = list(busy)
            while waiting:
                ready = select.select(waiting + [first_out], [], [])[0]
                if first_out in ready:
                    return
                waiting = [fd for fd in waiting if fd not in ready]

        def first_then_say():
            try:
                return first()
            finally:
                os.close(first_in)

        try:
            return share_out(fn, items, 1, first_then_say, start=start)
        finally:
            os.close(first_out)

    def join(self) -> dict:
        if self.got is None:
            if self.failed is not None:  # not done again here: it may have written part of corpus/tei
                raise self.failed
            try:
                self.got = self.started.join()
            except WorkerError as err:
                self._close_done()  # killed by a signal: said for `teikit build` (it has no --jobs)
                self.failed = WorkerError(
                    f"The process of this build that writes corpus/tei and validates it beside the site "
                    f"(pid {err.pid}) {err.how}: corpus/tei may be left part-written and was not validated. "
                    f"Run `teikit build` again.", err.pid, err.how)
                raise self.failed from None
            except BaseException as err:  # noqa: BLE001
                self._close_done()
                self.failed = err
                raise
            self._close_done()
        return self.got

    def _close_done(self) -> None:
        if self._done_out is not None:
            fd, self._done_out = self._done_out, None
            os.close(fd)

    def stop(self) -> None:
        if self.got is None:
            self.started.stop()

    def went(self) -> None:
        """Raise at once what ready() would raise if the child has already ended (told when
        the site writes its first document): writing corpus/tei failed or found the folder
        not as decided (or the child was killed); the site then stops early."""
        started = self.started
        if self.got is None and self.failed is None and started.pid is not None:
            import select

            if not select.select([started.read_end], [], [], 0)[0]:  # still working
                return
        if self.got is not None or self.failed is not None or started.pid is not None:
            self.ready()

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


class Ahead:
    """`warm(told)` then `work(message)` in a child forked now (teikit.beside.start_beside),
    for work whose input is known only later (`send(message)`) but whose set-up is not:
    the build forks its validation child before it converts, so that the child's imports,
    its parse of corpus/tei as it is and its Schematron load (teikit.core.ahead) run on the
    CPU a one-process conversion leaves idle. `told()` says whether the message has begun
    to come (warm() stops then: the work never waits for the set-up). `join()` gives
    work's dict with the child's start and end on time.perf_counter's clock; where no child
    could be forked, or the child raised, work(message) is done here (what warm() did
    there is only time: work() gives the same without it)."""

    def __init__(self, warm, work, word: bool = False):
        parent = os.getpid()
        self.message = None
        self._out, self._in = os.pipe()
        # `word`: work waits, after the message, for another process's word (`say`: a child
        # forked later, which holds the write end); without "go" it is not done ({"gone": True})
        self._word_out, self._word_in = os.pipe() if word else (None, None)

        def told() -> bool:
            import select

            return bool(select.select([self._out], [], [], 0)[0])

        def timed():
            began = time.perf_counter()
            if os.getpid() == parent:  # done here after all: the message (and any word) is here
                return dict(work(self.message), began=began, ended=time.perf_counter())
            for fd in (self._in, self._word_in):
                if fd is not None:
                    os.close(fd)
            warm(told)
            import pickle

            head = _read_exactly(self._out, 8)  # its length first: processes forked since may hold
            data = _read_exactly(self._out, int.from_bytes(head, "little"))  # the write end (no end seen)
            if self._word_out is not None and os.read(self._word_out, 1) != GO:  # (b"": the sayer ended)
                return {"gone": True, "began": began, "ended": time.perf_counter()}
            return dict(work(pickle.loads(data)), began=began, ended=time.perf_counter())

        self.started = start_beside(timed)
        for fd in (self._out, self._word_out):
            if fd is not None:
                os.close(fd)
        self.got: dict | None = None

    def say(self, go: bool) -> None:
        """The word the child waits for (once; in the process that holds the write end):
        GO, its work is done; anything else, it is not."""
        if self._word_in is not None:
            fd, self._word_in = self._word_in, None
            try:
                with contextlib.suppress(BrokenPipeError):  # a child gone: join() says why
                    os.write(fd, GO if go else b"-")
            finally:
                os.close(fd)

    def handed(self) -> None:
        """This process's write end of the word closed: a child forked since holds it (say)."""
        if self._word_in is not None:
            fd, self._word_in = self._word_in, None
            os.close(fd)

    def send(self, message) -> None:
        """Hand the child its message (once): pickled into the pipe, which is then closed."""
        import pickle

        self.message = message
        fd, self._in = self._in, None
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(BrokenPipeError):  # a child gone: join() says why
                view = memoryview(len(data).to_bytes(8, "little") + data)
                while view:
                    view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def join(self) -> dict:
        if self.got is None:
            try:
                self.got = self.started.join()
            except WorkerError as err:
                raise WorkerError(f"The process of this build that validates corpus/tei (pid {err.pid}) {err.how}: "
                                  f"corpus/tei was not validated. Run `teikit build` again.", err.pid, err.how) from None
        return self.got

    def stop(self) -> None:
        """End the child (its result not wanted); nothing more is sent."""
        if self.got is None:
            self.started.stop()
        if self._in is not None:
            fd, self._in = self._in, None
            os.close(fd)
        self.handed()

    close = stop  # contextlib.closing: a build that ends early leaves no child

    def kill(self) -> None:
        pid = self.started.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


GO = b"+"  # Ahead's word: do the work


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes from the pipe `fd` (EOFError when it ends first: the parent is gone)."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the pipe ended before the message")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def ahead_ok() -> bool:
    """Whether a child forked ahead can run beside this process: two CPUs for it (on one, it
    would only take the conversion's) and a fork to be had (teikit.beside.can_fork)."""
    from teikit.beside import can_fork
    from teikit.workers import available_cpus

    return can_fork() and available_cpus() >= 2


def overlap(span, *children) -> float:
    """Seconds of `span` (start, end) during which any of `children` worked (joined dicts
    with "began" and "ended"; None for a child that did not run): the union, not the sum."""
    start, end = span
    cuts = sorted((max(start, got["began"]), min(end, got["ended"])) for got in children if got is not None)
    total, reach = 0.0, start
    for lo, hi in cuts:
        lo = max(lo, reach)
        if hi > lo:
            total += hi - lo
            reach = hi
    return total


class Kill:
    """Several children's kill() as one (teikit.besidesite.stopped_on_sigterm)."""

    def __init__(self, *children):
        self.children = children

    def kill(self) -> None:
        for child in self.children:
            if child is not None:
                child.kill()


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
    Ctrl-C, and so is every other child of this process (the site's helper, which takes
    document pages: teikit.beside.kill_children), then this process ends by SIGTERM as it
    would have (same exit status). The
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
            kill_children()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
