"""Work shared with forked child processes (application layer: the library is handed these
through teikit.workers and never forks by itself).

A forked child shares everything already in memory (parsed trees, compiled schemas)
without copying it; what it computes comes back pickled through a pipe. Where fork is
missing, or other threads run (a fork copies only the calling thread), everything is done
in this process. The result never depends on how the work was shared:

* `run_beside(child, here)`: two pieces of work at once, one in a child; `start_beside(child)`
  the same, its value asked for (`join()`) whenever the caller needs it.
* `share_out(fn, items, helpers, first)`: [fn(item) for item in items] computed by this
  process and `helpers` children, each taking the next item from one queue (a pipe holding
  the items' numbers), so that whoever is free takes the next; this process runs `first()`
  before it joins in. Which process computed an item changes nothing in its result: `fn`
  reads only what was there before the fork.
* `Shared(fn, items, helpers)`: the same begun by the children now, before this process
  has what it needs to join in: later it joins them (`join`), or takes back what they
  have not begun (`stop`); a child's fn may leave an item to this process.

A child that raises is as good as absent: what it did not deliver is computed here (the
same exception is then raised here, as in one process). A child that is killed (a signal,
the out-of-memory killer) or ends without a word is a WorkerError: the run has no result,
and says so, rather than a report that leaves files out.

No child outlives the process that forked it: each is killed by the kernel when that process
ends (`_die_with_parent`; a queue's child also looks before each item it takes), and
`kill_children()` kills every child still running (a SIGTERM handler's, teikit.besidesite).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Callable, Sequence

from teikit.core.errors import TeikitError

TOKEN = 4  # bytes per queue entry: a read of this many bytes from a pipe is atomic
MAX_TOKENS = 4096  # queue entries at most (16 kB, within any pipe's buffer): items are grouped beyond


class WorkerError(TeikitError):
    """A child process of the run was killed or ended without its results (`pid`, `how`:
    what happened to it, for a caller that words the error for its own command)."""

    def __init__(self, message: str, pid: int | None = None, how: str = ""):
        super().__init__(message)
        self.pid, self.how = pid, how


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def run_beside(child: Callable[[], object], here: Callable[[], object]) -> tuple[object, object]:
    """(child(), here()), child() computed in a forked process meanwhile."""
    if not can_fork():
        ours = here()
        return child(), ours
    try:
        pid, read_end = _fork(lambda: [(0, child(), None)])
    except OSError:
        ours = here()
        return child(), ours
    try:
        ours = here()
    except BaseException:
        _stop(pid, read_end)
        raise
    done = _collect(pid, read_end)
    return (done[0][1] if done else child()), ours


class Started:
    """child() begun in a forked process now (`start_beside`), its value asked for later:
    `join()` gives it (computed here after all when the child raised or could not be forked;
    WorkerError when it was killed), `stop()` ends a child whose value is not wanted. The
    split form of run_beside, for a caller that needs the value in the middle of its work."""

    def __init__(self, child: Callable[[], object]):
        self.child = child
        self.pid = self.read_end = None
        if can_fork():
            try:
                self.pid, self.read_end = _fork(lambda: [(0, child(), None)], die_with_parent=True)
            except OSError:
                pass

    def join(self) -> object:
        if self.pid is None:
            return self.child()
        pid, self.pid = self.pid, None
        done = _collect(pid, self.read_end)
        return done[0][1] if done else self.child()

    def stop(self) -> None:
        if self.pid is not None:
            pid, self.pid = self.pid, None
            _stop(pid, self.read_end)


def start_beside(child: Callable[[], object]) -> Started:
    """child() begun in a forked process meanwhile: Started.join() gives its value."""
    return Started(child)


def share_out(fn: Callable, items: Sequence, helpers: int,
              first: Callable[[], object] = lambda: None, notes=None,
              start: Callable[[], object] | None = None, later: bool = False) -> tuple[list, object]:
    """([fn(item) for item in items], first()): this process runs first() and then takes
    items from the queue with `helpers` forked children (items are taken in the order
    given: put the largest first, so that the last ones taken are small); `start()`, if
    given, is run by each child before it takes its first item (it may wait there for a
    CPU to be free: what it takes is taken here meanwhile). `notes`: what
    this process notes as it works (a teikit.runreads.Recorder: what was read), whose
    `mark()`, `since(mark)` and `merge(notes)` carry a child's notes back here, so that they
    are the same however the work was shared. `later`: as Shared's."""
    helpers = min(helpers, max(0, len(items) - 1))
    if helpers < 1 or not can_fork():
        extra = first()
        return [fn(item) for item in items], extra
    results, extra = Shared(fn, items, helpers, notes, start=start, later=later).join(fn, first)
    missing = [i for i in range(len(items)) if i not in results]  # a child that raised
    results.update((i, fn(items[i])) for i in missing)
    return [results[i] for i in range(len(items))], extra


class Shared:
    """fn(item) for `items` begun now by `helpers` forked children, each taking the next item
    from one queue (a pipe holding the items' numbers, all written before the fork); later
    this process either joins them in taking from the queue (`join`) or takes back what no
    child has begun (`stop`). Either gives {index: result} of what was computed: an item
    for which a child's fn gave `leave` (that child then takes no more: what is left of its
    queue entry is not done either), and the items of a child that raised, are not in it.
    `notes`, `start`: as share_out's. `later`: children that sent their results are reaped
    later (`reap`), not waited for here."""

    def __init__(self, fn: Callable, items: Sequence, helpers: int, notes=None, leave=None,
                 start: Callable[[], object] | None = None, later: bool = False):
        self.items, self.notes, self.leave, self.start, self.later = items, notes, leave, start, later
        step = -(-len(items) // MAX_TOKENS)  # items per queue entry
        self.chunks = [range(i, min(i + step, len(items))) for i in range(0, len(items), step)]
        self.parent = os.getpid()
        self.queue, queue_in = os.pipe()
        os.write(queue_in, b"".join(i.to_bytes(TOKEN, "little") for i in range(len(self.chunks))))
        os.close(queue_in)  # all written before any fork: a reader finds whole entries, then the end
        self.children: list = []
        try:
            for _ in range(helpers):
                try:
                    self.children.append(_fork(lambda: self._take(fn, True)))
                except OSError:
                    break
        except BaseException:
            self._end()
            raise

    def _take(self, fn: Callable, child: bool) -> list:
        done, notes = [], self.notes if child else None
        if child and self.start is not None:
            self.start()
        while True:
            if child and not parent_alive(self.parent):  # its parent ended (killed): nothing more
                os._exit(1)
            token = os.read(self.queue, TOKEN)
            if not token:
                return done
            for i in self.chunks[int.from_bytes(token, "little")]:
                mark = notes.mark() if notes is not None else None
                value = fn(self.items[i])
                if child and self.leave is not None and value is self.leave:
                    return done
                done.append((i, value, None if mark is None else notes.since(mark)))

    def join(self, fn: Callable, first: Callable[[], object] = lambda: None) -> tuple[dict, object]:
        """({index: result}, first()): first() here, then items from the queue, fn(item)
        here, until it is empty; then what the children computed."""
        try:
            extra = first()
            mine = self._take(fn, False)
        except BaseException:  # this process failed (or was interrupted): its children are not waited for
            self._end()
            raise
        os.close(self.queue)
        return self._gather(mine), extra

    def stop(self) -> dict:
        """{index: result} of what the children computed: the items no child has begun are
        taken from the queue (left to the caller); each child ends the item it is on."""
        try:
            while os.read(self.queue, MAX_TOKENS * TOKEN):  # whole entries: every reader takes multiples of TOKEN
                pass
        except BaseException:
            self._end()
            raise
        os.close(self.queue)
        return self._gather([])

    def cancel(self) -> None:
        """End the children at once, their work unwanted."""
        self._end()

    def _end(self) -> None:
        for pid, read_end in self.children:
            _stop(pid, read_end)
        os.close(self.queue)

    def _gather(self, mine: list) -> dict:
        delivered, failures = [], []
        for pid, read_end in self.children:
            try:
                delivered += _collect(pid, read_end, self.later)
            except WorkerError as err:
                failures.append(err)
        if failures:
            raise failures[0]
        if self.notes is not None:
            for _i, _result, noted in sorted(delivered, key=lambda d: d[0]):
                self.notes.merge(noted)
        return {i: result for i, result, _notes in mine + delivered}


def _fork(work: Callable[[], list], die_with_parent: bool = True) -> tuple[int, int]:
    """Start a child that runs work() -> [(index, result, notes)] and sends it back; (pid, read end).
    `die_with_parent`: the child is killed when this process ends (see _die_with_parent), as
    every child must be: it may write the user's files (teikit.besidesite, a site's pages)
    and would go on writing them after the command was killed."""
    import gc
    import pickle

    reap()
    if sys.platform.startswith("linux"):  # what _die_with_parent needs, imported here once, not in every child
        import ctypes  # noqa: F401
        import signal  # noqa: F401
    parent = os.getpid()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a limit): the caller does the work itself
        os.close(read_end)
        os.close(write_end)
        raise
    if pid:
        _RUNNING.add(pid)
    if pid == 0:  # the child: compute, send, leave without running anything of the parent's
        # what exists at the fork is never collected in the child (frozen there, first: its
        # collections then do not touch, and so do not copy, those pages); this process's
        # collector is left as it was, without asking gc.get_freeze_count(), which walks
        # every frozen object (~7 ms after a build has frozen what it converted)
        gc.freeze()
        _RUNNING.clear()  # its parent's children are not its own
        code = 1
        try:
            if die_with_parent:
                _die_with_parent(parent)
            os.close(read_end)
            try:
                data = pickle.dumps(("done", work()), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - the parent computes it again, and raises there
                data = pickle.dumps(("raised", []), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _die_with_parent(parent: int) -> None:
    """In a forked child: have the kernel SIGKILL it when the process that forked it ends
    (Linux: prctl PR_SET_PDEATHSIG, through ctypes), and leave at once when that process has
    already ended (it may have died between the fork and the prctl: then it is no longer the
    parent). Elsewhere only the second half; teikit.besidesite's writer asks parent_alive too."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def parent_alive(parent: int) -> bool:
    """Whether the process `parent` that forked this one is still its parent (it has not ended)."""
    return os.getppid() == parent


def _stop(pid: int, read_end: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.close(read_end)
    os.waitpid(pid, 0)
    _RUNNING.discard(pid)


def _collect(pid: int, read_end: int, later: bool = False) -> list:
    """[(index, result, notes)] a child sent; WorkerError when it was killed or sent nothing.
    `later`: a child that sent all it had to send is not waited for here (its end, the
    freeing of its memory, takes milliseconds): the caller reaps it later (`reap`)."""
    import pickle

    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    if data and later:
        try:
            how, done = pickle.loads(data)  # a child killed while it wrote sent less: no whole pickle
        except Exception:  # noqa: BLE001 - what the pickle misses is told by the status below
            how = None
        if how in ("done", "raised"):
            _UNREAPED.append(pid)
            reap()
            return done
    _pid, status = os.waitpid(pid, 0)
    _RUNNING.discard(pid)
    if os.WIFSIGNALED(status) or not data:
        how = (f"was killed by signal {_signal_name(os.WTERMSIG(status))}" if os.WIFSIGNALED(status)
               else f"ended with exit code {os.waitstatus_to_exitcode(status)} without its results")
        raise WorkerError(f"A worker process of this run (pid {pid}) {how}; nothing is reported. "
                          f"Run again; --jobs 1 runs everything in one process.", pid, how)
    _how, done = pickle.loads(data)
    return done


#: children that sent their results and had not ended when they were collected
_UNREAPED: list = []


def reap(wait: bool = False) -> None:
    """Reap the children collected with `later` that have ended since (`wait`: all of them,
    waiting for those that have not: so that their CPU time counts for this process's
    children, as `time` and getrusage report it)."""
    for pid in list(_UNREAPED):
        try:
            ended, _status = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:
            ended = pid
        if ended:
            _UNREAPED.remove(pid)
            _RUNNING.discard(pid)


#: the children forked here and not waited for yet, and those `watched` (`kill_children`)
_RUNNING: set = set()


@contextlib.contextmanager
def watched(pid: int):
    """A child started otherwise (a subprocess: Pagefind) killed by kill_children while it runs."""
    _RUNNING.add(pid)
    try:
        yield
    finally:
        _RUNNING.discard(pid)


def kill_children() -> None:
    """SIGKILL every child forked here that was not waited for yet (from a signal handler:
    nothing is waited for; a child already ended but not reaped is a zombie, unharmed)."""
    import signal

    for pid in list(_RUNNING):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _signal_name(number: int) -> str:
    import signal

    try:
        return f"{number} ({signal.Signals(number).name})"
    except ValueError:
        return str(number)
