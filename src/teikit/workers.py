"""Worker processes for validation (application layer: the library is handed a `Workers`
and never forks by itself; teikit.validate.runstate says what it asks of one).

One process is used for a few small files (forking costs more than it saves); else a
worker per CPU (at most 8), forked so that it shares the run's parsed trees and compiled
schemas (teikit.validate.runstate.STATE) without copying them. A run too small for a pool
but large enough may be split in two instead: a forked child beside this process
(teikit.beside.run_beside). The results are the same whichever way; only the time differs.
"""

from __future__ import annotations

PARALLEL_MIN_FILES = 400  # below this many files, and
PARALLEL_MIN_ELEMENTS = 200_000  # this many elements, forking costs more than it saves

SPLIT_MIN_FILES = 32  # a run this large, and
SPLIT_MIN_ELEMENTS = 20_000  # this many elements, is split in two when a second CPU is free
CHILD_SHARE = 0.85  # of the per-file work (by elements): this process also runs the rest


def default_jobs(n_files: int, n_elements: int = 0, min_elements: int | None = None,
                 cpus: int = 1) -> int:
    """One process for a few small files; else a worker per CPU (at most 8)."""
    min_elements = PARALLEL_MIN_ELEMENTS if min_elements is None else min_elements
    if n_files < 2 or (n_files < PARALLEL_MIN_FILES and n_elements < min_elements):
        return 1
    return max(1, min(cpus or 1, 8))


class Workers:
    """The mapper of a run on this machine: `jobs` worker processes (None: by the files'
    number and size, at most `cpus`), and `beside(child, here)` (teikit.beside.run_beside)
    to split a mid-sized run over two CPUs when the caller has one to spare (None: never)."""

    def __init__(self, jobs: int | None = None, cpus: int = 1, beside=None):
        self.jobs, self.cpus, self.beside = jobs, cpus, beside

    def map(self, fn, paths, *, size, min_elements=None, sizes=None) -> list:
        """[fn(path) for path in paths], in forked workers when `jobs` (or the work) says so."""
        if not paths:
            return []
        sizes = sizes if sizes is not None else [size(p) for p in paths]
        jobs = self.jobs
        if jobs is None:
            jobs = default_jobs(len(paths), sum(sizes), min_elements, self.cpus)
        jobs = max(1, jobs)
        if jobs == 1 or len(paths) < 2:
            return [fn(p) for p in paths]
        import multiprocessing  # only when there are workers to start

        if "fork" not in multiprocessing.get_all_start_methods():
            return [fn(p) for p in paths]
        # largest files first, one at a time: a teiCorpus with its members included is as
        # large as all of them, and must not share a worker's queue with a chunk of others
        order = sorted(range(len(paths)), key=lambda i: -sizes[i])
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = dict(zip(order, pool.imap(fn, [paths[i] for i in order], chunksize=1)))
        return [done[i] for i in range(len(paths))]

    def map_beside(self, fn, paths, meanwhile, *, size, prepare=None, keep_here=frozenset()):
        """(self.map(fn, paths), meanwhile()), with `prepare()` run first: what fn needs for
        the paths in `keep_here` only. A run too small for a pool of workers but large
        enough (and jobs not given, a second CPU, `beside` given) is split in two: a forked
        child takes CHILD_SHARE of the other paths by size while this process runs
        `prepare`, `meanwhile` and the rest (for the bundled corpus the cross-document
        checks weigh about as much as the per-file layers of a sixth of the files)."""
        prepare = prepare or (lambda: None)
        sizes = [size(p) for p in paths]
        total = sum(sizes)
        if (self.beside is None or self.jobs is not None or self.cpus < 2 or len(paths) < SPLIT_MIN_FILES
                or total < SPLIT_MIN_ELEMENTS or default_jobs(len(paths), total, None, self.cpus) > 1):
            prepare()
            return self.map(fn, paths, size=size, sizes=sizes), meanwhile()
        theirs, done = set(), 0
        share = CHILD_SHARE * sum(s for p, s in zip(paths, sizes) if p not in keep_here)
        for i in range(len(paths) - 1, -1, -1):  # the child: the last paths, none of keep_here
            if paths[i] in keep_here:
                continue
            if done + sizes[i] > share:
                break
            theirs.add(i)
            done += sizes[i]

        def here():
            prepare()
            extra = meanwhile()
            return extra, [fn(p) for i, p in enumerate(paths) if i not in theirs]

        theirs_done, (extra, mine_done) = self.beside(lambda: [fn(paths[i]) for i in sorted(theirs)], here)
        by_index = dict(zip(sorted(theirs), theirs_done))
        mine_iter = iter(mine_done)
        return [by_index[i] if i in by_index else next(mine_iter) for i in range(len(paths))], extra
