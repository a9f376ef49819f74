"""A mid-sized validation run split over two CPUs (teikit.beside, teikit.workers.Workers.map_beside)
gives the same report as one process."""

import os

from teikit import validation
from teikit.beside import run_beside
from teikit import workers

from .conftest import ROOT


def test_run_beside_returns_both_results_and_recovers_from_a_failed_child():
    assert run_beside(lambda: [1, 2], lambda: "here") == ([1, 2], "here")
    pid = os.getpid()

    def fails_in_the_child():
        if os.getpid() != pid:
            raise RuntimeError("child")
        return "computed here"

    assert run_beside(fails_in_the_child, lambda: 3) == ("computed here", 3)


def test_the_split_run_reports_what_one_process_reports(monkeypatch):
    corpus = str(ROOT / "corpus" / "tei")
    calls = []

    def counting(child, here):
        calls.append(1)
        return run_beside(child, here)

    monkeypatch.setattr(validation, "run_beside", counting)
    monkeypatch.setattr(validation, "second_cpu_free", lambda: True)  # whatever the load now
    split = validation.validate_paths([corpus])
    assert calls  # the corpus is large enough to be split
    monkeypatch.setattr(validation, "run_beside", lambda child, here: (lambda o: (child(), o))(here()))
    single = validation.validate_paths([corpus])
    assert [(f.path, f.issues, f.layers) for f in split.files] == [(f.path, f.issues, f.layers) for f in single.files]
    assert workers.SPLIT_MIN_FILES <= len(split.files)
