"""The validator's forked workers: a run's state is put in `STATE` before the fork, and
each worker runs one function over the paths it is handed.

One process is used for a few small files (forking costs more than it saves); else a
worker per CPU (at most 8). The number of CPUs is the caller's to give: the application
layer asks the operating system.
"""

from __future__ import annotations

PARALLEL_MIN_FILES = 400  # below this many files, and
PARALLEL_MIN_ELEMENTS = 200_000  # this many elements, forking costs more than it saves

STATE: dict = {}  # shared with forked workers


def default_jobs(n_files: int, n_elements: int = 0, min_elements: int | None = None,
                 cpus: int = 1) -> int:
    """One process for a few small files; else a worker per CPU (at most 8)."""
    min_elements = PARALLEL_MIN_ELEMENTS if min_elements is None else min_elements
    if n_files < 2 or (n_files < PARALLEL_MIN_FILES and n_elements < min_elements):
        return 1
    return max(1, min(cpus or 1, 8))


SPLIT_MIN_FILES = 32  # a run this large, and
SPLIT_MIN_ELEMENTS = 20_000  # this many elements, is split in two when a second CPU is free
CHILD_SHARE = 0.85  # of the per-file work (by elements): this process also runs the rest


def map_beside(fn, paths: list[str], jobs: int | None, cpus: int, meanwhile, beside=None,
               prepare=None, keep_here=frozenset()):
    """(map_paths(fn, paths, jobs, cpus), meanwhile()), with `prepare()` run first: what
    fn needs for the paths in `keep_here` only. A run too small for a pool of workers but
    large enough (and jobs not given, a second CPU, `beside` handed over by the application
    layer: teikit.beside.run_beside) is split in two: a forked child takes CHILD_SHARE of
    the other paths by size while this process runs `prepare`, `meanwhile` and the rest
    (for the bundled corpus the cross-document checks weigh about as much as the per-file
    layers of a sixth of the files).
    The results are the same either way; only the time differs."""
    prepare = prepare or (lambda: None)
    sizes = [_size(p) for p in paths]
    total = sum(sizes)
    if (beside is None or jobs is not None or cpus < 2 or len(paths) < SPLIT_MIN_FILES
            or total < SPLIT_MIN_ELEMENTS or default_jobs(len(paths), total, None, cpus) > 1):
        prepare()
        return map_paths(fn, paths, jobs, cpus, sizes=sizes), meanwhile()
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

    theirs_done, (extra, mine_done) = beside(lambda: [fn(paths[i]) for i in sorted(theirs)], here)
    by_index = dict(zip(sorted(theirs), theirs_done))
    mine_iter = iter(mine_done)
    return [by_index[i] if i in by_index else next(mine_iter) for i in range(len(paths))], extra


def map_paths(fn, paths: list[str], jobs: int | None, cpus: int = 1,
              min_elements: int | None = None, sizes: list | None = None) -> list:
    """[fn(path) for path in paths], in forked workers when `jobs` (or the work) says so."""
    if not paths:
        return []
    sizes = sizes if sizes is not None else [_size(p) for p in paths]
    if jobs is None:
        jobs = default_jobs(len(paths), sum(sizes), min_elements, cpus)
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


def _size(path: str) -> int:
    """The number of elements of a file's parsed tree (XIncludes expanded)."""
    tree = STATE.get("trees", {}).get(path)
    return int(tree.xpath("count(descendant::*)")) if tree is not None else 0  # from the document node: all elements
