"""Processes for validation (application layer: the library is handed a `Workers` and never
forks by itself; teikit.validate.runstate says what it asks of one).

The per-file work of a run is shared by this process and forked children
(teikit.beside.Shared, share_out): each takes the next file from one queue, largest first,
so the processes end together whatever each file costs. `start` forks them as soon as the
run knows its files, before its parse: a child then parses what it takes itself
(teikit.validate.ownlayers), while this process parses everything and does what must be
done here (a teiCorpus, the cross-document checks) before it joins in; where a grammar is
pruned the child stops and `map_beside` forks again once the grammars are compiled: those
children share the run's parsed trees and compiled schemas (teikit.validate.runstate.STATE)
without copying them, and the cross-document checks are the queue's first entry. Every child
sends back what it found, and what it read (for the result cache).

How many processes: `--jobs` when given; else one per CPU this process may run on
(os.sched_getaffinity: a container's or `taskset`'s limit counts, not the machine's CPUs),
at most MAX_PROCESSES, and no more than the files' bytes give MIN_BYTES_PER_PROCESS each
(forking and sending results back cost about a millisecond each; a file of 10 kB costs
a few). Nothing else counts: not the load, not the time. The results are the same however
many processes share the work, and whichever takes which file; only the time differs.
"""

from __future__ import annotations

import os

from teikit.beside import Shared, can_fork, share_out
from teikit.validate.runstate import STOP

MAX_PROCESSES = 8
MIN_BYTES_PER_PROCESS = 256_000  # of XML per process (the bundled corpus: 2.7 MB in 189 files)
BYTES_PER_ELEMENT = 80  # of TEI, about (the bundled corpus: 2.7 MB, 32,500 elements in its members)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask; else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def team_size(n_items: int, n_bytes: int, cpus: int, min_bytes: int | None = None) -> int:
    """How many processes share `n_items` pieces of work of `n_bytes` in all: one per CPU,
    at most MAX_PROCESSES, at most one per item and per `min_bytes` (MIN_BYTES_PER_PROCESS)."""
    per = MIN_BYTES_PER_PROCESS if min_bytes is None else max(1, min_bytes)
    return max(1, min(cpus, MAX_PROCESSES, n_items, n_bytes // per))


class Side:
    """Work of the application beside a run's per-file work (`Workers(side=)`): fn() reads
    only what exists when the run first shares out its work, and returns what pickles. It is
    one entry of that first queue, computed by whichever process is free; `value()` gives it
    (computed here if no queue ran it)."""

    def __init__(self, fn):
        self.fn, self.done, self._value = fn, False, None

    def put(self, value) -> None:
        self.done, self._value = True, value

    def value(self):
        if not self.done:
            self.put(self.fn())
        return self._value


class Workers:
    """The mapper of a run on this machine: `jobs` processes (this one included; None: by
    the work, at most `cpus`). `notes`: what the run's `Files` note as they are read
    (teikit.runreads.Recorder), carried back from the children (teikit.beside.share_out).
    `side`: a Side, run as an entry of the first queue (after `meanwhile`). `later`: the
    children are not waited for as they end; the caller reaps them (teikit.beside.reap)."""

    def __init__(self, jobs: int | None = None, cpus: int = 1, notes=None, side: Side | None = None,
                 later: bool = False):
        self.jobs, self.cpus, self.notes, self.side, self.later = jobs, cpus, notes, side, later

    def _sizes(self, paths, size) -> list[int]:
        """Each path's bytes on disk (the measure of its work), else `size(path)`."""
        out = []
        for p in paths:
            try:
                out.append(os.stat(p).st_size)
            except (OSError, ValueError, TypeError):
                out.append(size(p) if size is not None else 0)
        return out

    def processes(self, n_items: int, n_bytes: int, min_bytes: int | None = None) -> int:
        if self.jobs is not None:
            return max(1, min(self.jobs, n_items))
        return team_size(n_items, n_bytes, self.cpus, min_bytes)

    def map(self, fn, paths, *, size=None, min_elements=None) -> list:
        """[fn(path) for path in paths], shared with forked processes when the work is worth
        it (`min_elements`: the library's measure of work per process below which one more is
        not started, in elements: BYTES_PER_ELEMENT bytes each)."""
        min_bytes = None if min_elements is None else min_elements * BYTES_PER_ELEMENT
        results, _ = self.map_beside(fn, paths, None, size=size, min_bytes=min_bytes)
        return results

    def start(self, fn, paths, *, min_bytes=None):
        """fn(path) of `paths` begun now in forked children (largest first; the Side first),
        before this process has what it needs to share the work (teikit.validate.runstate:
        the run's parse); None when the work is not shared. fn in a child reads only what
        was there now and may give STOP for a path it leaves to this process (it then takes
        no more). The `Begun` it gives is joined (`join(fn_here, first)`) or stopped."""
        if self.jobs is None and self.cpus <= 1:
            return None
        side = self.side if self.side is not None and not self.side.done else None
        sizes = self._sizes(paths, None)
        n = self.processes(len(paths) + (side is not None), sum(sizes), min_bytes)
        if n < 2 or not paths or not can_fork():
            return None
        tasks = ([_SIDE] if side is not None else []) \
            + [paths[i] for i in sorted(range(len(paths)), key=lambda i: (-sizes[i], i))]
        return Begun(Shared(_task(fn, side), tasks, n - 1, self.notes, leave=STOP, later=self.later), tasks, side)

    def map_beside(self, fn, paths, meanwhile, *, size=None, prepare=None, keep_here=frozenset(),
                   min_bytes=None):
        """(self.map(fn, paths), meanwhile()), with `prepare()` first: this process runs
        prepare() and fn of the paths in `keep_here`, then joins the others in taking the
        rest from the queue: meanwhile() first (in whichever process is free first), then the
        other paths, largest first."""
        alone = self.jobs is None and self.cpus <= 1  # one process whatever the work: nothing to weigh
        side = self.side if self.side is not None and not self.side.done else None
        sizes = [0] * len(paths) if alone else self._sizes(paths, size)
        extras = (meanwhile is not None) + (side is not None)
        n = 1 if alone else self.processes(len(paths) + extras, sum(sizes), min_bytes)
        here = [i for i, p in enumerate(paths) if p in keep_here]
        shared = sorted((i for i, p in enumerate(paths) if p not in keep_here), key=lambda i: (-sizes[i], i))
        tasks = ([_MEANWHILE] if meanwhile is not None else []) + ([_SIDE] if side is not None else []) \
            + [paths[i] for i in shared]

        def first():
            if prepare is not None:
                prepare()
            return [fn(paths[i]) for i in here]

        def task(item):
            if item is _MEANWHILE:
                return meanwhile()
            return side.fn() if item is _SIDE else fn(item)

        done, kept = share_out(task, tasks, n - 1, first, self.notes, later=self.later)
        extra = done.pop(0) if meanwhile is not None else None
        if side is not None:
            side.put(done.pop(0))
        by_index = dict(zip(here, kept))
        by_index.update(zip(shared, done))
        return [by_index[i] for i in range(len(paths))], extra


#: the queue's entries for map_beside's `meanwhile` and the Side (compared by identity; a fork keeps them)
_MEANWHILE, _SIDE = object(), object()


def _task(fn, side: Side | None):
    return lambda item: side.fn() if item is _SIDE else fn(item)


class Begun:
    """Work begun by Workers.start: `join(fn, first)` runs first() here, then fn of the
    paths no child has taken, and gives ({path: result}, first()); `stop()` gives {path:
    result} of what the children computed and leaves the rest (a path given STOP too) to the
    caller. The Side's value, when a process computed it, is put in place either way."""

    def __init__(self, shared: Shared, tasks: list, side: Side | None):
        self.shared, self.tasks, self.side = shared, tasks, side

    def join(self, fn, first=lambda: None) -> tuple[dict, object]:
        done, extra = self.shared.join(_task(fn, self.side), first)
        return self._by_path(done), extra

    def stop(self) -> dict:
        return self._by_path(self.shared.stop())

    def cancel(self) -> None:
        """End the children at once, their work unwanted (the run failed)."""
        self.shared.cancel()

    def _by_path(self, done: dict) -> dict:
        if self.side is not None and 0 in done:
            self.side.put(done.pop(0))
        return {self.tasks[i]: value for i, value in done.items()}
