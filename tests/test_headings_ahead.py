"""Headings read partly ahead in another process (Segmenter.find_headings with teikit.docpool.ahead):
wherever the other process starts, the documents found, the reader profile's counts and the
paragraphs' derived properties are those of one reading; where its state is never met, or it
fails, this process reads that part itself."""

from __future__ import annotations

import pytest

from teikit import docpool, pipeline
from teikit import projectinputs
from teikit.convert.readers import segmenter
from teikit.convert.readers.paragraphs import derived_of
from teikit.project import Project

from tests.conftest import OTHER, ROOT, SOURCE

SOURCES = ROOT / "tests" / "data" / "sources"
CORPORA = [OTHER, SOURCES / "french-compilation", SOURCES / "frus-1870-leaders", SOURCES / "frus-1925-tables"]


def _reading(corpus, ahead):
    project = Project(corpus)
    config = projectinputs.load_config(project.config_path)
    text = projectinputs.read_source(project.source_path(config))
    profile, reading = pipeline.begin_reading(text, "source.md", config, projectinputs.load_overrides(project), None, ahead)
    return ([part.key for part in reading.parts], dict(profile.used), [derived_of(p) for p in reading.paras],
            [(i.code, i.message, i.line) for i in reading.comp.issues])


@pytest.fixture
def met(monkeypatch):
    """For each reading ahead: whether this process met its state (and took its headings)."""
    out: list[bool] = []
    real = segmenter.Segmenter._from_ahead

    def spy(self, paras, i, spans, got, *rest):
        took = real(self, paras, i, spans, got, *rest)
        out.append(took)
        return took

    monkeypatch.setattr(segmenter, "AHEAD_MIN_PARAS", 0)
    monkeypatch.setattr(segmenter.Segmenter, "_from_ahead", spy)
    return out


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_wherever_the_other_process_starts_the_reading_is_one_readings(corpus, met, monkeypatch):
    one = _reading(corpus, None)
    n_paras = len(one[2])
    for start in range(1, n_paras, max(1, n_paras // 40)):
        monkeypatch.setattr(segmenter, "ahead_start", lambda n, start=start: min(start, n - 1))
        assert _reading(corpus, docpool.ahead) == one, start
    assert any(met), "the headings read ahead were never taken"


@pytest.mark.skipif(not SOURCE.exists(), reason="the bundled corpus is absent")
def test_the_bundled_corpus_read_partly_ahead(met):
    one = _reading(ROOT / "corpus", None)
    assert _reading(ROOT / "corpus", docpool.ahead) == one
    assert met == [True]


def test_a_state_never_met_is_read_here(met, monkeypatch):
    real = segmenter.Segmenter._read_ahead

    def elsewhere(self, *args):
        start, tops, found, final, props = real(self, *args)
        return start, {i: (-2, *rest) for i, (_floor, *rest) in tops.items()}, found, final, props

    monkeypatch.setattr(segmenter.Segmenter, "_read_ahead", elsewhere)
    one = _reading(OTHER, None)
    assert _reading(OTHER, docpool.ahead) == one
    assert met and not any(met)


def test_a_reading_ahead_that_fails_is_read_here(met, monkeypatch):
    def boom(self, *args):
        raise RuntimeError("not here")

    monkeypatch.setattr(segmenter.Segmenter, "_read_ahead", boom)
    one = _reading(OTHER, None)
    assert _reading(OTHER, docpool.ahead) == one
    assert met == []  # nothing came back: nothing to meet


def test_ahead_never_runs_the_child_here(monkeypatch):
    from teikit import beside

    monkeypatch.setattr(beside, "can_fork", lambda: False)
    ran = []
    assert docpool.ahead(lambda: ran.append(1), lambda: 2) == (None, 2)
    assert ran == []
    assert docpool.ahead(lambda: 1, lambda: 2) == (None, 2)


def test_ahead_in_a_child():
    import os

    here = os.getpid()
    got, ours = docpool.ahead(os.getpid, lambda: "mine")
    assert ours == "mine" and got is not None and got != here


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_the_dates_read_ahead_are_kept_for_the_next_conversion(corpus, met):
    """The run memo (teikit.core.runmemo: what the next conversion reuses) holds every date one
    reading asked for, also those the other process read ahead (review1-19 F3: they were lost)."""
    from teikit.core import runmemo

    kept = []
    for ahead in (None, docpool.ahead):
        memo = runmemo.Memo()
        with memo.installed():
            _reading(corpus, ahead)
        kept.append(set(memo.used.get("find_dates", {})))
    assert kept[0] and kept[0] <= kept[1]
