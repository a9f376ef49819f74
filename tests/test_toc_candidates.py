"""Contents matching scores only the documents that share a word with an entry or may agree
with it in date (readers/toc: an index of the documents' date spans by first day): the
matches are those of scoring every pair, on random contents and on the bundled corpus."""

from __future__ import annotations

import datetime
import random

import pytest

from teikit.convert.model import TocEntry
from teikit.convert.readers import toc
from teikit.convert.readers.toc import NO_DATE, match_toc

from tests.conftest import SOURCE

WORDS = ("treaty note letter soviet soviet soviet turkey molotov chicherin memorandum reply conversation ambassador "
         "london government government government union").split()


def _every_pair(entries, doc_texts, date_agrees) -> dict[int, int]:
    """match_toc as it was before candidates were pruned (its first and second pass over
    every pair: the reference)."""
    from collections import Counter
    from math import log

    df = Counter()
    doc_words = [Counter(toc.words(t)) for t in doc_texts]
    for c in doc_words:
        df.update(set(c))
    n = max(len(doc_texts), 1)
    candidates = []
    for i, ew in enumerate(Counter(toc.words(e.text)) for e in entries):
        weights = [(w, log((n + 1) / (df.get(w, 0) + 0.5))) for w in ew]
        total = sum(x for _w, x in weights) or 1.0
        for k in range(len(doc_words)):
            shared = sum([x for w, x in weights if w in doc_words[k]])
            score = shared / total
            agree = date_agrees(i, k) if date_agrees else None
            score += 0.5 if agree is True else -0.3 if agree is False else 0
            score -= 0.1 * abs(i / max(len(entries), 1) - k / n)
            if score > 0.35:
                candidates.append((score, i, k))
    pages = toc._neighbour_pages(toc._assign(candidates), entries, n)
    rescored = []
    for score, i, k in candidates:
        page, (lo, hi) = toc._page(entries[i]), pages[k]
        if page is not None and lo is not None and hi is not None:
            score += 0.2 if lo <= page <= hi else -0.2
        rescored.append((score, i, k))
    return toc._assign(rescored)


def _spans(rng: random.Random, n: int) -> list:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.1:
            out.append(NO_DATE)
        elif r < 0.15:
            out.append(None)
        else:
            first = datetime.date(1919, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9000))
            out.append((first, first + datetime.timedelta(days=rng.choice((0, 0, 0, 30, 365, 3000)))))
    return out


@pytest.mark.parametrize("seed", range(80))
def test_the_candidates_match_as_every_pair_does(seed):
    rng = random.Random(seed)
    n_docs, n_entries = rng.randrange(1, 60), rng.randrange(1, 60)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6))) for _ in range(n_docs)]
    entries = [TocEntry(line=i, text=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6))),
                        page=str(rng.randrange(1, 500)) if rng.random() < 0.8 else None) for i in range(n_entries)]
    doc_spans, toc_spans = _spans(rng, n_docs), _spans(rng, n_entries)

    def agrees(i, k):
        a, b = toc_spans[i], doc_spans[k]
        if a is NO_DATE or b is NO_DATE:
            return None
        if a is None or b is None:
            return False
        return a[0] <= b[1] and b[0] <= a[1]

    may = toc._overlapping(doc_spans)
    for i in range(n_entries):
        assert sorted(may(toc_spans[i])) == [k for k in range(n_docs) if agrees(i, k) is True]
    every_pair = _every_pair(entries, texts, agrees)
    assert toc._match_toc(entries, texts, agrees) == every_pair
    assert toc._match_toc(entries, texts, agrees, lambda i: may(toc_spans[i])) == every_pair
    assert match_toc(entries, texts, spans=(toc_spans, doc_spans)) == every_pair
    assert match_toc(entries, texts) == _every_pair(entries, texts, None)


def test_a_span_at_the_first_day_there_is():
    may = toc._overlapping([(datetime.date(1, 1, 1), datetime.date(9000, 1, 1)), (datetime.date(1, 1, 1),) * 2])
    assert sorted(may((datetime.date(1, 1, 1), datetime.date(1, 1, 2)))) == [0, 1]


@pytest.mark.skipif(not SOURCE.exists(), reason="the bundled corpus is absent")
def test_the_bundled_contents_match_as_every_pair_does(monkeypatch):
    from teikit import pipeline
    from teikit import projectinputs
    from teikit.convert import overrides
    from tests.conftest import ROOT

    config = projectinputs.load_config(ROOT / "corpus" / "source" / "corpus.json")
    results = []
    real = toc._match_toc
    monkeypatch.setattr(toc, "_match_toc", lambda *a: (results.append((real(*a), _every_pair(*a[:3]))), results[-1][0])[1])
    pipeline.convert_text(SOURCE.read_text(encoding="utf-8"), SOURCE.name, config, {}, overrides.Overrides())
    assert len(results) == 1 and results[0][0] == results[0][1] and len(results[0][0]) > 150
