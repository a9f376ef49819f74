"""The per-document steps of a clean conversion over several CPUs (application layer: it
forks through teikit.workers; the steps themselves are the library's, unchanged).

Reading a document (`Part.make`) and refining, extracting and tagging it depend on that
document and on two things the documents before it pass on: the chapter heads in force and
the year a date line without one takes (the only carried state: notes/bincr-interface.md).
Writing a document's TEI and checking that no word of it was lost depend on that document
alone. So, when the work is large enough for more than one worker:

1. here, in order: every document is read (`Part.make`, the cheap step), which gives the
   chapter heads in force before each exactly;
2. in workers, on contiguous runs of documents: each run refines, extracts and tags its
   documents in order, carrying the year from one to the next as a single process does. A
   run that starts after the first takes as its first year a guess: what a few documents
   before it give when extracted from no year;
3. here, in order again (`Pool.take`): a document's result is taken only when the year and
   the chapters it was made with are the ones the document before it actually passes on;
   otherwise it is made here, after all, from that state. Since every step is a function of
   the document and that state only (the key of teikit.doccache says the same), a result
   taken is the one a single process would have computed: the output is byte for byte that
   of `--jobs 1`, whatever the number of workers, the guess or the timing.

A worker returns each result pickled, as the document cache keeps it, with what the step
counted beside it (the reader profile's patterns it matched, the name scan's lookups).
Writing the TEI and the no-text-lost check of each document are mapped the same way after
the corpus-wide steps, with no state to carry (teikit.docrender).

Used only when the document cache holds nothing of the last conversion (a clean build, or
one after teikit's code, the configuration or the registry changed): a cache that answers
most documents is quicker in one process.
"""

from __future__ import annotations

import gc
import itertools
import os
import pickle
from collections import Counter
from dataclasses import dataclass

from teikit import doccache
from teikit.workers import Workers, available_cpus, team_size

#: source characters per process: below this, one more process is not started (forking and
#: sending the documents back cost more than they save)
MIN_CHARS = 150_000
MAX_RUNS = 64
#: runs of documents per worker (a worker that is slowed down leaves its next run to another)
RUNS_PER_JOB = 2
#: documents extracted before a run's first one to guess the year it starts with
WARM_UP = 3
#: a document's weight in a run besides its characters: what making one costs whatever its
#: length, in characters' worth (the bundled corpus, least squares over the CPU time of each
#: document's steps: 0.51 us per character and 1.9 ms per document; by characters alone its
#: four runs took 0.169, 0.241, 0.173 and 0.201 CPU-s, with this 0.193, 0.198, 0.189, 0.204)
DOC_CHARS = 3_700
#: what reading the date of one contents entry costs (splitcheck.entry_dates, the work a
#: conversion does meanwhile in the pool), in characters' worth (the bundled corpus: 186
#: entries, 34.5 ms CPU, where its runs of 384,000 took about 200 ms each)
TOC_ENTRY_CHARS = 350

_JOB = None  # what the forked workers read: set before the pool forks them, cleared after


def jobs_for(jobs: int | None, chars: int, cache: doccache.DocCache | None) -> int:
    """The processes (this one included) for the per-document steps of a source of `chars`
    characters: one when `cache` holds entries of the last conversion (it answers most
    documents: one process is quicker); else `jobs` when given, or one per CPU and per
    MIN_CHARS (teikit.workers.team_size)."""
    if cache is not None and cache.known:
        return 1
    if jobs is not None:
        return max(1, jobs)
    return team_size(MAX_RUNS, chars, available_cpus(), MIN_CHARS)


def in_order(first, second, *, beside: bool):
    """(first(), second()), with first() in a forked child meanwhile when `beside`
    (teikit.beside.run_beside: done here after all if the child fails). As in order: an
    error of first() is raised before any of second(), which then does not count."""
    if not beside:
        return first(), second()
    from teikit.beside import run_beside

    def here():
        try:
            return True, second()
        except Exception as err:  # noqa: BLE001 (raised below, once first() is known to succeed)
            return False, err

    got, (ok, value) = run_beside(first, here)
    if not ok:
        raise value
    return got, value


def ahead(child, here):
    """(child() or None, here()): child() computed in a forked process while this one runs
    here(), for work whose answer this process only takes where it can show it is its own
    (teikit.convert.readers.segmenter: headings read ahead). None where it was not computed
    there: no fork, it raised, it was killed (nothing is lost: this process does that part
    itself); child() is never run in this process. The answers child() added to the run
    memo (pure steps': the dates it read) are kept here, as those of the contents entries
    are (`_with_answers`): the next conversion reuses them as after one process."""
    from teikit.beside import WorkerError, can_fork, run_beside

    if not can_fork():
        return None, here()
    parent = os.getpid()
    work = _with_answers(child)  # (child(), its answers), or None when it raised: this
    # process reads that part itself, and meets the error there

    def there():
        if os.getpid() == parent:  # (run_beside computes it here when the child failed: not wanted)
            return None
        return work()

    ours: list = []
    try:
        got, _ = run_beside(there, lambda: ours.append(here()))
    except WorkerError:
        if not ours:
            raise
        got = None
    return _keep_answers(got), ours[0]


def registry_ahead(load):
    """load() (the registry, read and checked), with its derived tables made ahead in the
    same process (Registry.prepare): run in a child beside the reading, they come back as
    data, the name scanner with its source (scan.Scanner pickles without its compiled
    pattern) and its compiled form: (registry, forms), the forms for teikit.core.rxforms.keep,
    so that the process that reads only hands the form to the engine (Scanner.ready).
    A table that fails is left to be made where one process makes it (and fails there)."""
    from teikit.core import rxforms

    registry = load()
    forms: dict = {}
    try:
        with rxforms.recording() as keys:
            registry.prepare()
        forms = rxforms.made(keys)
    except Exception:  # noqa: BLE001 (met again where one process meets it)
        pass
    return registry, forms


def _runs(weights: list[int], n: int, lead: int = 0) -> list[tuple[int, int]]:
    """[start, end) of `n` contiguous runs of about equal weight, the first lighter by `lead`
    (the weight of other work in the same queue: the processes then end together)."""
    total, runs, start, acc = (sum(weights) + lead) or 1, [], 0, lead
    for i, w in enumerate(weights):
        acc += w
        if len(runs) < n - 1 and acc >= total * (len(runs) + 1) / n and i + 1 < len(weights):
            runs.append((start, i + 1))
            start = i + 1
    runs.append((start, len(weights)))
    return [r for r in runs if r[0] < r[1]]


def _map(jobs: int, fn, runs: list[tuple[int, int]], weights: list[int], meanwhile=None, prepare=None):
    """[fn(run) for run in runs] by `jobs` processes, this one and forked ones
    (teikit.workers), and (that, meanwhile()) with `meanwhile`; `prepare()`: run first in
    this process (once the others are forked), before it takes runs too. The objects made so far are
    frozen first (gc.freeze): a forked process's collections then never walk them, nor
    write to their pages, which it shares. A child that sent its results is not waited for
    (its end, freeing the pages it wrote, takes milliseconds): reaped later (teikit.beside.reap)."""
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        workers = Workers(jobs=jobs, later=True)
        if meanwhile is None and prepare is None:
            return workers.map(fn, runs, size=lambda r: sum(weights[r[0]:r[1]]))
        done, extra = workers.map_beside(fn, runs, meanwhile, size=lambda r: sum(weights[r[0]:r[1]]), prepare=prepare)
        return done if meanwhile is None else (done, extra)
    finally:
        if not frozen:  # objects a caller froze before stay frozen (its own policy)
            gc.unfreeze()


def _with_answers(fn):
    """A function giving (fn(), the answers it added to the run memo (teikit.core.runmemo):
    pure steps' answers, which the next conversion reuses), or None when fn() raised (the
    caller then does that work itself, where one process does, and meets the error there)."""
    def work():
        from teikit.core import runmemo

        memo = runmemo.current()
        had = _sizes(memo)
        try:
            value = fn()
        except Exception:  # noqa: BLE001 (see above)
            return None
        return value, _added(memo, had)

    return work


def _sizes(memo) -> dict:
    """How many answers each table of the run memo `memo` (or None) holds now."""
    return {table: len(answers) for table, answers in memo.used.items()} if memo is not None else {}


def _added(memo, had: dict) -> dict:
    """The answers added to `memo` since it held `had` (_sizes): a table's dict only grows."""
    return {} if memo is None else \
        {table: dict(itertools.islice(answers.items(), had.get(table, 0), None))
         for table, answers in memo.used.items() if len(answers) > had.get(table, 0)}


def _keep_answers(got):
    """The value of a `_with_answers` work, its answers kept in this process's run memo
    (where it has them already, the same: answers of pure steps); None where it raised."""
    if got is None:
        return None
    from teikit.core import runmemo

    value, added = got
    memo = runmemo.current()
    if memo is not None:
        for table, answers in added.items():
            mine = memo.used.setdefault(table, {})
            for key, answer in answers.items():
                mine.setdefault(key, answer)
    return value


def _delta(after: Counter, before: dict) -> dict:
    return {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0)}


@dataclass
class Result:
    """One document as a process made it: the year and chapter heads in force it was made
    with, the chapter heads printed in it, its key in the document cache, the pickled (document, chapter heads printed in it,
    profile patterns used, name lookups) as the cache keeps it, the patterns used, the name
    scan's answers it looked up first, and the properties its paragraphs gained (`para`:
    readers.paragraphs.Para's cached values, pure functions of the paragraph). `doc`: the
    document itself where this process made it (not sent between processes)."""

    year: int | None
    chapters: list
    printed: list
    key: str | None
    value: bytes
    used: dict
    lookups: dict
    paras: list
    doc: object = None

    def __getstate__(self):
        return {**self.__dict__, "doc": None}


class Pool:
    """The documents of one conversion made by `jobs` processes (this one included), in
    contiguous runs, each read, refined, extracted and tagged in order from a guessed state;
    `take` keeps what was made from the state the documents before actually pass on.
    `steps(doc, year, tag)`: refine, extract (a date line without a year takes `year`) and,
    with `tag`, tag one document."""

    def __init__(self, parts, profile, registry, cache, names, steps, jobs: int, meanwhile=None,
                 meanwhile_chars: int = 0):
        """`meanwhile()`: other work of no state for a process of the map (teikit.workers'
        map_beside); its value is `self.extra` (None when it raised: the caller does it then);
        `meanwhile_chars`: what it costs, in characters' worth (see DOC_CHARS)."""
        self.parts, self.profile, self.cache, self.names, self.steps = parts, profile, cache, names, steps
        self.pid = os.getpid()
        self.chapters = _chapters_guess(parts, profile)
        if registry is not None:
            try:
                registry.prepare()
            except Exception:  # noqa: BLE001 (each process meets it where one process would, and stops there)
                pass
        weights = [sum(len(line) for para in part.paras for line in para.lines) + DOC_CHARS for part in parts]
        runs = _runs(weights, jobs * RUNS_PER_JOB, meanwhile_chars if meanwhile is not None else 0)
        # the paragraphs' properties this process has: a run sends back those it adds
        self.had = [[frozenset(para.__dict__) for para in part.paras] for part in parts]
        # this process takes runs too: what they count goes back to what it was, and `take`
        # counts the documents kept, as one process would (a guess that was wrong counts nothing)
        counted = Counter(profile.used)
        looked_up = dict(names.used) if names is not None else None
        global _JOB
        _JOB = self
        try:
            done, extra = _map(jobs, _run_noted, runs, weights, _with_answers(meanwhile)) if meanwhile is not None \
                else (_map(jobs, _run_noted, runs, weights), None)
            done = [_keep_answers(got) for got in done]  # a run's dates read in another process
        finally:
            _JOB = None
            profile.used.clear()
            profile.used.update(counted)
            if names is not None:
                names.used.clear()
                names.used.update(looked_up)
        self.extra = _keep_answers(extra)
        self.results: dict[int, Result] = {}
        for (start, _end), (results, misses) in zip(runs, done):
            for k, result in enumerate(results):
                self.results[start + k] = result
            if names is not None:
                names.misses += misses

    def make(self, i: int, chapters, year) -> Result:
        """Document i read with `chapters` in force, refined, extracted from `year` and
        tagged, as a Result: what pipeline._document does without a cache hit."""
        profile, names, cache, part = self.profile, self.names, self.cache, self.parts[i]
        key = None
        if cache is not None:
            try:
                key = cache.key("document", part.key, chapters, year)
            except doccache.Uncacheable:
                key = None
        before = dict(profile.used)
        mark = names.mark() if names is not None else 0
        had = self.had[i]
        doc, printed = part.make(chapters)
        self.steps(doc, year, True)
        if key is not None and os.getpid() == self.pid:  # as `take` notes it, meanwhile (unchanged until then)
            cache.made_by(key, doc)
        used = _delta(profile.used, before)
        lookups = names.since(mark) if names is not None else []
        value = pickle.dumps((doc, printed, used, lookups), protocol=pickle.HIGHEST_PROTOCOL)
        names_of = _para_properties(part.paras[0]) if part.paras else ()
        gained = [(k, {n: para.__dict__[n] for n in names_of if n in para.__dict__ and n not in had[k]})
                  for k, para in enumerate(part.paras)]
        return Result(year, chapters, printed, key, value, used, {k: names.used[k] for k in lookups} if names is not None else {},
                      [(k, props) for k, props in gained if props], doc)

    def take(self, i: int, chapters, year):
        """(document, chapter heads printed in it) of document i, which the documents before
        it leave with `chapters` in force and `year`, when a process made it from these; else
        None (the caller makes it the usual way)."""
        result = self.results.get(i)
        if result is None or result.year != year or result.chapters != chapters:
            return None
        self.profile.used.update(result.used)
        doc = result.doc if result.doc is not None else pickle.loads(result.value)[0]  # None: made by another process
        if self.cache is not None and result.key is not None:
            self.cache.used[result.key] = result.value
            if result.doc is None:  # (one made here was noted when it was made)
                self.cache.made_by(result.key, doc)
        if self.names is not None:
            for k, hit in result.lookups.items():
                self.names.used.setdefault(k, hit)
        paras = self.parts[i].paras
        for k, props in result.paras:
            for name, value in props.items():
                paras[k].__dict__.setdefault(name, value)
        return doc, result.printed


def _chapters_guess(parts, profile) -> list:
    """The chapter heads probably in force before each part: chapter heads are printed in
    the dividers above a heading, so only the parts the segmenter found dividers for are
    read here (a guess only: `Pool.take` checks it; what reading counted is put back)."""
    from teikit.convert.readers.compilation import chapters_after

    counted = Counter(profile.used)
    out, chapters = [], []
    try:
        for part in parts:
            out.append(chapters)
            if part.span.divider is not None or part.span.dividers:
                _doc, printed = part.make(chapters)
                chapters = chapters_after(chapters, printed)
    except Exception:  # noqa: BLE001 (a guess only)
        out += [chapters] * (len(parts) - len(out))
    finally:
        profile.used.clear()
        profile.used.update(counted)
    return out


def _para_properties(para) -> tuple[str, ...]:
    return doccache._derived(type(para))  # what doccache.ParaMemo keeps


def _run_noted(run: tuple[int, int]):
    """(_run(run), the answers it added to the run memo): those of a run made in another
    process are kept here too (`_keep_answers`), so the next conversion reuses them as after
    one process (the documents' dates)."""
    from teikit.core import runmemo

    memo = runmemo.current()
    had = _sizes(memo)
    return _run(run), _added(memo, had)


def _run(run: tuple[int, int]):
    """In a process of the pool: the documents of [start, end) read, refined, extracted and
    tagged in order, the first from a guessed state (`_chapters_guess`, `_guess`); stops at a
    document that fails (it is made again in order, where it fails as in one process)."""
    from teikit.convert import metadata
    from teikit.convert.readers.compilation import chapters_after

    job: Pool = _JOB
    start, end = run
    misses = job.names.misses if job.names is not None else 0
    with _conventions(job.profile):
        chapters, year = job.chapters[start], _guess(job, start)
        out = []
        for i in range(start, end):
            try:
                result = job.make(i, chapters, year)
            except Exception:  # noqa: BLE001 (made again in order, where it raises as in one process)
                break
            out.append(result)
            chapters = chapters_after(chapters, result.printed)
            year = metadata.year_after(result.doc, year)  # made here, in this process
    return out, (job.names.misses - misses) if job.names is not None else 0


def _guess(job: "Pool", start: int):
    """The year document `start` probably takes: what the WARM_UP documents before it give,
    read and extracted from no year (a guess only: `Pool.take` checks it)."""
    from teikit.convert import metadata

    year = None
    names = job.names
    counted = Counter(job.profile.used)  # a guess leaves no trace in what is counted
    looked_up = dict(names.used) if names is not None else None
    try:
        for j in range(max(0, start - WARM_UP), start):
            doc, _printed = job.parts[j].make(job.chapters[j])
            job.steps(doc, year, False)
            year = metadata.year_after(doc, year)
    except Exception:  # noqa: BLE001 (a guess only)
        year = None
    finally:
        job.profile.used.clear()
        job.profile.used.update(counted)
        if names is not None:
            names.used.clear()
            names.used.update(looked_up)
    return year


def _conventions(profile):
    import contextlib

    from teikit.convert import archive, dates

    stack = contextlib.ExitStack()
    stack.enter_context(dates.conventions(profile.dates))
    stack.enter_context(archive.vocabulary(profile.archive))
    return stack
