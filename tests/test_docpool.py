"""The per-document steps of a conversion over several processes (teikit.docpool): whatever
the number of workers, the guess each run of documents starts from, or a document that fails
in a worker, the files written, the check, the findings and the document cache are those of
one process."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from teikit import docpool, doccache, pipeline
from teikit.core.errors import ConfigError
from teikit.project import Project

from tests.conftest import OTHER, SOURCE, corpus_outputs as _outputs


def _cache_keys(corpus: Path) -> set[str]:
    data = pickle.loads((corpus / ".teikit" / "cache" / "documents.pickle").read_bytes())
    return set(data["entries"])


def _project(tmp_path: Path, name: str, *, edit=None) -> Path:
    target = tmp_path / name / "corpus"
    shutil.copytree(OTHER, target)
    if edit:
        edit(target / "source" / "dispatches.md")
    return target


def _no_year_on_the_second(source: Path) -> None:
    """The second document's date line without a year: it takes the year of the first."""
    text = source.read_text(encoding="utf-8")
    assert "\n14 March 1945\n" in text
    source.write_text(text.replace("\n14 March 1945\n", "\n14 March\n"), encoding="utf-8")


def _converted(corpus: Path, jobs: int | None) -> pipeline.BuildResult:
    return pipeline.convert_project(Project(corpus), jobs=jobs)


def _kept(corpus: Path, name: str):
    data = pickle.loads((corpus / ".teikit" / "cache" / name).read_bytes())
    return pickle.loads(data["value"])


def _same(a: pipeline.BuildResult, b: pipeline.BuildResult, ca: Path, cb: Path) -> None:
    assert _outputs(ca) == _outputs(cb)
    assert _cache_keys(ca) == _cache_keys(cb)
    # what the next conversion reuses: the paragraphs' properties, the name scan's answers
    assert _kept(ca, "paragraphs.pickle") == _kept(cb, "paragraphs.pickle")
    assert _kept(ca, "names.pickle") == _kept(cb, "names.pickle")
    assert (a.check.source_words, a.check.matched_words, a.check.lost) == \
        (b.check.source_words, b.check.matched_words, b.check.lost)
    assert [(i.code, i.message, i.line) for i in a.compilation.issues] == \
        [(i.code, i.message, i.line) for i in b.compilation.issues]
    assert a.notes == b.notes


def test_two_workers_write_what_one_process_writes(tmp_path):
    one, two = _project(tmp_path, "one", edit=_no_year_on_the_second), _project(tmp_path, "two", edit=_no_year_on_the_second)
    _same(_converted(one, 1), _converted(two, 2), one, two)
    assert 'when="1945-03-14"' in (two / "tei" / "bdl-1945-03-14.xml").read_text(encoding="utf-8")


def _made_again_here(monkeypatch) -> list:
    """(index, year) of each document made again in order in this process (the pool's runs
    are not: they are made in the workers), recorded from now on."""
    here = []
    real = pipeline._document
    monkeypatch.setattr(pipeline, "_document", lambda part, chapters, year, *a: (here.append((part.seq - 1, year)),
                                                                                 real(part, chapters, year, *a))[1])
    return here


def test_a_run_that_starts_from_a_wrong_year_is_made_again_in_order(tmp_path, monkeypatch):
    """No warm-up: the run of the second document guesses no year, where the first passes on
    1945; that document is made again here from 1945, and only it."""
    one, two = _project(tmp_path, "one", edit=_no_year_on_the_second), _project(tmp_path, "two", edit=_no_year_on_the_second)
    monkeypatch.setattr(docpool, "WARM_UP", 0)
    here = _made_again_here(monkeypatch)
    fresh = _converted(two, 2)
    monkeypatch.undo()
    _same(_converted(one, 1), fresh, one, two)
    # a run that starts at the third document guesses no year too, where the second passes on 1945
    assert (1, 1945) in here and all(i > 0 and year == 1945 for i, year in here)


def test_a_guess_that_is_wrong_everywhere_changes_nothing(tmp_path, monkeypatch):
    """Every run starts from a year no document passes on (1066): each run's first document is
    made again here; the rest of a run is taken when the state it was made from is right."""
    one, two = _project(tmp_path, "one"), _project(tmp_path, "two")
    monkeypatch.setattr(docpool, "RUNS_PER_JOB", 1)
    monkeypatch.setattr(docpool, "_guess", lambda job, start: None if start == 0 else 1066)
    here = _made_again_here(monkeypatch)
    fresh = _converted(two, 2)
    monkeypatch.undo()
    _same(_converted(one, 1), fresh, one, two)
    assert len(here) == 1 and here[0][0] > 0 and here[0][1] == 1945  # the second run's first document only


def _errors_with_one_and_two_processes(tmp_path) -> list[str]:
    """The ConfigError a conversion of the same project raises with jobs 1 and with jobs 2."""
    errors = []
    for name, jobs in (("one", 1), ("two", 2)):
        with pytest.raises(ConfigError) as err:
            _converted(_project(tmp_path, name), jobs)
        errors.append(str(err.value))
    return errors


def test_a_document_that_fails_in_a_worker_fails_as_in_one_process(tmp_path, monkeypatch):
    real = pipeline.metadata.extract

    def extract(doc, **kw):
        if doc.seq == 2:
            raise ConfigError(f"document {doc.seq} cannot be read")
        return real(doc, **kw)

    monkeypatch.setattr(pipeline.metadata, "extract", extract)
    errors = _errors_with_one_and_two_processes(tmp_path)
    assert errors[0] == errors[1] == "document 2 cannot be read"


def test_a_document_that_fails_to_be_read_in_a_worker_fails_as_in_one_process(tmp_path, monkeypatch):
    from teikit.convert.readers import compilation

    real = compilation.Part.make

    def make(self, chapters):
        if self.seq == 3:
            raise ConfigError(f"document {self.seq} cannot be read")
        return real(self, chapters)

    monkeypatch.setattr(compilation.Part, "make", make)
    errors = _errors_with_one_and_two_processes(tmp_path)
    assert errors[0] == errors[1] == "document 3 cannot be read"


def test_a_document_that_fails_to_be_written_in_a_worker_fails_as_in_one_process(tmp_path, monkeypatch):
    from teikit.convert import writer

    real = writer.document_tree

    def document_tree(doc, *args):
        if doc.seq == 2:
            raise ConfigError(f"document {doc.seq} cannot be written")
        return real(doc, *args)

    monkeypatch.setattr(writer, "document_tree", document_tree)  # a worker's
    monkeypatch.setattr(pipeline, "document_tree", document_tree)  # this process's
    errors = _errors_with_one_and_two_processes(tmp_path)
    assert errors[0] == errors[1] == "document 2 cannot be written"


def test_the_cache_a_parallel_conversion_leaves_serves_the_next_as_a_clean_one_would(tmp_path, monkeypatch):
    """Converted by two workers (the cache empty), then the second document edited: the
    conversion that takes the others from that cache reads only that one again and writes
    what a clean one writes."""
    from teikit.convert.readers import compilation

    corpus, clean = _project(tmp_path, "kept"), _project(tmp_path, "clean", edit=_no_year_on_the_second)
    _converted(corpus, 2)
    _no_year_on_the_second(corpus / "source" / "dispatches.md")
    # the id map the first conversion pinned, as the incremental build starts from it
    shutil.copy(corpus / "idmap.json", clean / "idmap.json")
    read, real = [], compilation.Part.make
    monkeypatch.setattr(compilation.Part, "make", lambda self, chapters: (read.append(self.seq), real(self, chapters))[1])
    kept = _converted(corpus, None)
    monkeypatch.undo()
    assert read == [2]  # the others: from the cache the workers filled
    assert docpool.jobs_for(2, 10**7, doccache.DocCache("base", {"k": b""})) == 1  # a warm cache: one process
    _same(kept, _converted(clean, 1), corpus, clean)


def test_jobs_by_size():
    assert docpool.jobs_for(None, docpool.MIN_CHARS - 1, None) == 1
    assert docpool.jobs_for(3, 10, None) == 3
    assert docpool._runs([5, 1, 1, 1, 5, 1], 2) == [(0, 3), (3, 6)]
    assert docpool._runs([1], 4) == [(0, 1)]
    # other work in the same queue (the contents' dates) counted in the first run: it is lighter
    assert docpool._runs([1] * 10, 2, lead=4) == [(0, 3), (3, 10)]
    assert docpool._runs([1] * 10, 2, lead=0) == docpool._runs([1] * 10, 2) == [(0, 5), (5, 10)]
    runs = docpool._runs([1] * 10, 4)
    assert runs[0][0] == 0 and runs[-1][1] == 10 and all(a[1] == b[0] for a, b in zip(runs, runs[1:]))


@pytest.mark.skipif(not SOURCE.exists(), reason="the bundled corpus is absent")
def test_the_bundled_corpus_with_two_workers(tmp_path):
    from tests.conftest import ROOT

    made = {}
    for name, jobs in (("one", 1), ("two", 2)):
        corpus = tmp_path / name / "corpus"
        (corpus / "source").mkdir(parents=True)
        shutil.copy(ROOT / "corpus" / "source" / "corpus.json", corpus / "source")
        shutil.copy(SOURCE, corpus / "source")
        for extra in ("idmap.json", "overrides.json"):
            shutil.copy(ROOT / "corpus" / extra, corpus / extra)
        shutil.copytree(ROOT / "data", tmp_path / name / "data")
        made[name] = (_converted(corpus, jobs), corpus)
    (a, ca), (b, cb) = made["one"], made["two"]
    _same(a, b, ca, cb)
    for path in sorted((ROOT / "corpus" / "tei").glob("*.xml")):
        assert (cb / "tei" / path.name).read_bytes() == path.read_bytes(), path.name


def test_in_order_raises_the_first_error_as_one_process_would():
    def boom(message):
        raise ConfigError(message)

    for beside in (False, True):
        assert docpool.in_order(lambda: 1, lambda: 2, beside=beside) == (1, 2)
        with pytest.raises(ConfigError, match="first"):
            docpool.in_order(lambda: boom("first"), lambda: boom("second"), beside=beside)
        with pytest.raises(ConfigError, match="second"):
            docpool.in_order(lambda: 1, lambda: boom("second"), beside=beside)


def test_a_broken_registry_read_beside_the_source_is_reported_as_in_one_process(tmp_path):
    errors = []
    for name, jobs in (("one", 1), ("two", 2)):
        corpus = _project(tmp_path, name)
        (corpus / "registry" / "persons.json").write_text('{"kind": "persons", "entries": [{"id": 1}]}', encoding="utf-8")
        (corpus / "source" / "dispatches.md").write_text("no heading at all\n", encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            _converted(corpus, jobs)
        errors.append(str(err.value).replace(str(tmp_path / name), "<project>"))
    assert errors[0] == errors[1] and "persons.json" in errors[0]


def _answers(corpus: Path) -> dict:
    return _kept(corpus, "answers.pickle")


def test_the_contents_dates_read_meanwhile_are_one_process_s(tmp_path, monkeypatch):
    from teikit.convert import splitcheck

    given = []
    real = splitcheck.attach_toc

    def spy(comp, dated=None):
        given.append(dated)
        return real(comp, dated)

    def unmatched_entry(source: Path) -> None:  # its date is read for the contents only
        text = source.read_text(encoding="utf-8")
        entry = "2 April 1945 — Dispatch from the Ambassador in Ankara to the Foreign Secretary ........ 6\n"
        assert entry in text
        source.write_text(text.replace(entry, entry + "\n9 May 1945 — Telegram printed nowhere in the body ........ 9\n"),
                          encoding="utf-8")

    monkeypatch.setattr(splitcheck, "attach_toc", spy)
    one, two = _project(tmp_path, "one", edit=unmatched_entry), _project(tmp_path, "two", edit=unmatched_entry)
    a, b = _converted(one, 1), _converted(two, 2)
    _same(a, b, one, two)
    assert any(i.code == "toc:unmatched" and "9 May" in i.message for i in b.compilation.issues)
    assert given[0] is None and given[1] is not None and len(given[1]) == len(b.compilation.toc) == 4
    # the answers the next conversion reuses hold the contents' dates too
    texts = {e.text for e in b.compilation.toc}
    of_contents = {k for k in _answers(one)["find_dates"] if k[0] in texts}
    assert of_contents and of_contents <= _answers(two)["find_dates"].keys()


def test_contents_dates_that_fail_meanwhile_are_read_here(tmp_path, monkeypatch):
    import os

    from teikit.convert import splitcheck

    here, real = os.getpid(), splitcheck.entry_dates
    made_here = []

    def entry_dates(comp):
        if os.getpid() != here:
            raise RuntimeError("not in a worker")
        made_here.append(len(comp.toc))
        return real(comp)

    monkeypatch.setattr(splitcheck, "entry_dates", entry_dates)
    one, two = _project(tmp_path, "one"), _project(tmp_path, "two")
    _same(_converted(one, 1), _converted(two, 2), one, two)
    assert made_here  # by attach_toc here (or meanwhile here, when this process took it first)


def test_answers_found_in_a_worker_are_kept_here():
    from teikit import beside
    from teikit.convert import dates
    from teikit.core import runmemo

    text = "3 June 1931, a line read nowhere else"
    memo = runmemo.Memo()
    with memo.installed():
        got, _ = beside.run_beside(docpool._with_answers(lambda: dates.parse_date(text)), lambda: None)  # in a child
        assert "find_dates" not in memo.used
        value = docpool._keep_answers(got)
    assert value == dates.parse_date(text) and value.when == "1931-06-03"
    assert [k[0] for k in memo.used["find_dates"]] == [text]
    assert docpool._keep_answers(docpool._with_answers(lambda: 1 / 0)()) is None
    # what is read ahead (docpool.ahead: the headings' second half) keeps its answers too (review1-19 F3)
    memo = runmemo.Memo()
    with memo.installed():
        got, _ = docpool.ahead(lambda: dates.parse_date(text), lambda: None)
    assert got == value and [k[0] for k in memo.used["find_dates"]] == [text]


def test_the_dates_of_documents_made_in_another_process_are_kept_here(tmp_path):
    """The run memo a conversion in two processes keeps (what the next conversion reuses)
    holds every date one process asks for, also those of the runs of documents made in the
    other process (review1-19 F3: they were lost there)."""
    one, two = _project(tmp_path, "one"), _project(tmp_path, "two")
    _same(_converted(one, 1), _converted(two, 2), one, two)
    assert _answers(one)["find_dates"].keys() <= _answers(two)["find_dates"].keys()
