"""Each document's TEI and its no-text-lost check in several processes, for a clean
conversion (application layer: it maps through teikit.docpool's workers; the steps are the
library's, unchanged): after the corpus-wide steps, a document's TEI, its check and the
facts the corpus files read of it depend on that document alone, so contiguous runs of
documents are written in the workers and the results taken here in order, as
teikit.pipeline.render and nothing_lost would make them (see Rendered). The corpus files
that read no document as written (the front and back matter, the places and organisations)
are written meanwhile by whichever worker is free first (`corpus_files`).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass

from teikit import doccache
from teikit.docpool import _map, _runs

#: runs of documents per worker: more than the pool's (teikit.docpool.RUNS_PER_JOB), since a
#: run here costs nothing besides its documents (no guessed state to warm up), and smaller ones
#: even out the workers' ends with `corpus_files` among them (the bundled corpus: the CPU time
#: of each document's writing and check, queued on 2 CPUs, ends 0.230 s after the fork with 2
#: runs per worker, 0.225-0.226 with 4 to 8; 0.222 would be even)
RUNS_PER_JOB = 8


@dataclass
class Rendered:
    """One document's TEI bytes, the passage ids the writer gave out, the render step's key
    and pickled value in the document cache, the no-text-lost check of the file (its
    result, key and pickled value), and what the corpus files read of the document as
    written (`facts`: pipeline._facts's value, its key and pickled value)."""

    data: bytes
    passage_ids: object
    key: str | None
    value: bytes
    check: tuple
    check_key: str | None
    check_value: bytes
    facts: tuple = ()
    facts_key: str | None = None
    facts_value: bytes = b""


def render_documents(comp, config: dict, date: str, cache, lines: list[str], rng_href: str, sch_href: str,
                     jobs: int, registry=None, prepare=None) -> tuple[list[Rendered | None], dict[str, Rendered]]:
    """Each document's TEI and check, by `jobs` workers, in the order of comp.documents; None
    for a document whose writing failed and those after it in its run (they are written
    again in order, where the failure is raised as in one process); and, by whichever worker
    is free first, the files `corpus_files` makes (none where one failed). `prepare()`: the
    caller's own work, done in this process first while the others write (see _prepared)."""
    global _RENDER
    docs = comp.documents
    weights = [doc.end_line - doc.start_line + 1 for doc in docs]
    runs = _runs(weights, jobs * RUNS_PER_JOB)
    _RENDER = (docs, config, date, cache, lines, rng_href, sch_href)
    try:
        done, files = _map(jobs, _render_run, runs, weights,
                           lambda: corpus_files(comp, config, date, cache, lines, registry, rng_href, sch_href),
                           _prepared(prepare))
    finally:
        _RENDER = None
    out: list[Rendered | None] = []
    for (start, end), part in zip(runs, done):
        out.extend(part + [None] * (end - start - len(part)))
    return out, files or {}


def _prepared(prepare):
    """prepare() without its errors (work done ahead of its time, e.g. a build importing its
    next stages' modules: where it fails, the work is done again where it is due, and fails
    there as it would have); None for none."""
    if prepare is None:
        return None

    def run() -> None:
        try:
            prepare()
        except Exception:  # noqa: BLE001 (see above)
            pass

    return run


def corpus_files(comp, config: dict, date: str, cache, lines: list[str], registry, rng_href: str,
                 sch_href: str) -> dict[str, Rendered] | None:
    """The files of the corpus that read no document as written: the front and back matter
    (with their no-text-lost checks) and the registries of places and organisations, as
    pipeline.render and nothing_lost make them (persons.xml reads the names printed in every
    document: made there); None where one fails (all are made there, failing as in one process)."""
    from teikit.convert.registry import to_tei_list_org, to_tei_list_place
    from teikit.convert.writer import serialize
    from teikit.core import facts

    try:
        out: dict[str, Rendered] = {}
        prefix = config["id_prefix"]
        for part, blocks in (("front", comp.front), ("back", comp.back)):
            if blocks:
                first, last = blocks[0].lines[0], blocks[-1].lines[1]
                span = (1, max(last, first)) if part == "front" else (first, last)
                data, tree, start, end = matter(None, cache, comp, config, date, f"{prefix}-{part}", part, span,
                                                (rng_href, sch_href))
                out[f"{prefix}-{part}.xml"] = _checked(f"{prefix}-{part}.xml", data, tree, start, end, cache, lines)
        makers = (("places.xml", to_tei_list_place), ("orgs.xml", to_tei_list_org)) if registry is not None else ()
        for name, make in makers:
            data = serialize(make(registry, facts.registry_about(config)), rng_href, sch_href)
            try:  # the key and value pipeline.render keeps it under
                key = cache.key("registry file", name, rng_href, sch_href) if cache is not None else None
            except doccache.Uncacheable:
                key = None
            value = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL) if key is not None else b""
            out[name] = Rendered(data, None, key, value, None, None, b"")
        return out
    except Exception:  # noqa: BLE001 (see above)
        return None


def taken(files: dict | None, cache, name: str) -> bytes | None:
    """The bytes of file `name` as a worker wrote it (corpus_files), kept in `cache` where
    pipeline.render keeps it; None when no worker did."""
    made = files.get(name) if files else None
    if made is not None and cache is not None and made.key is not None:
        cache.used[made.key] = made.value
    return made.data if made is not None else None


def matter(files: dict | None, cache, comp, config: dict, date: str, file_id: str, part: str, span: tuple[int, int],
           hrefs: tuple[str, str]):
    """pipeline.render's (bytes, tree, first line, last line) of the front or back matter
    (`span`: its lines; `hrefs`: the schemas it names); its tree None where a worker wrote it."""
    from teikit.convert.corpusfile import matter_tree
    from teikit.convert.writer import serialize

    data = taken(files, cache, f"{file_id}.xml")
    tree = matter_tree(comp, config, date, file_id, part) if data is None else None
    return (data if tree is None else serialize(tree, *hrefs)), tree, *span


def _checked(name: str, data: bytes, tree, start: int, end: int, cache, lines: list[str]) -> Rendered:
    """A file of no cache entry (key None) with its no-text-lost check, as nothing_lost makes it."""
    from teikit.convert import check as checkmod

    result = checkmod.part_words(lines, name, start, end, tree) if end >= start else None
    check_key = check_value = None
    if cache is not None and result is not None:
        check_key = check_key_of(cache, lines, name, start, end, data)
        check_value = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return Rendered(data, None, None, b"", result, check_key, check_value)


_RENDER = None


def _render_run(run: tuple[int, int]) -> list[Rendered]:
    """In a worker: the documents of [start, end) written and checked, up to one that fails."""
    docs, config, date, cache, lines, rng_href, sch_href = _RENDER
    out = []
    for doc in docs[run[0]:run[1]]:
        try:
            out.append(_render_one(doc, config, date, cache, lines, rng_href, sch_href))
        except Exception:  # noqa: BLE001 (written again in order, where it raises as in one process)
            break
    return out


def _render_one(doc, config: dict, date: str, cache, lines: list[str], rng_href: str, sch_href: str) -> Rendered:
    """What pipeline.render (with pipeline._facts) and pipeline.nothing_lost do for one
    document without a cache hit."""
    from teikit.convert import check as checkmod
    from teikit.convert import mentions
    from teikit.convert.corpusfile import doc_extent
    from teikit.convert.writer import document_tree, serialize

    key = None
    if cache is not None:
        try:
            key = cache.render_key(doc, date)
        except doccache.Uncacheable:
            key = None
    tree = document_tree(doc, config, date)
    data = serialize(tree, rng_href, sch_href)
    value = pickle.dumps((data, doc.passage_ids), protocol=pickle.HIGHEST_PROTOCOL)
    name, start, end = f"{doc.doc_id}.xml", doc.start_line, doc.end_line
    result = checkmod.part_words(lines, name, start, end, tree) if end >= start else None
    check_key = check_value = None
    if cache is not None and result is not None:
        check_key = check_key_of(cache, lines, name, start, end, data)
        check_value = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    facts = (doc_extent(doc), mentions.printed_in(doc))
    facts_key = cache.key("facts", key) if cache is not None and key is not None else None
    facts_value = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL) if facts_key is not None else b""
    return Rendered(data, doc.passage_ids, key, value, result, check_key, check_value, facts, facts_key, facts_value)


def check_key_of(cache, lines: list[str], name: str, start: int, end: int, data: bytes) -> str:
    """The no-text-lost check's key of one file in the document cache."""
    return cache.key("check", name, start, end, hashlib.sha256(data).hexdigest(),
                     hashlib.sha256("\n".join(lines[start - 1:end]).encode("utf-8")).hexdigest())
