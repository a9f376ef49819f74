"""Worker processes are the application layer's (teikit.workers); the library maps its
per-file work with what it is handed (teikit.validate.runstate), in this process by default.
Forked workers give the report one process gives."""

import os

from teikit import validation
from teikit.validate.runstate import InProcess
from teikit.workers import Workers, default_jobs

from .conftest import ROOT


def _pid_and_path(path):
    return os.getpid(), path


def test_workers_map_in_order_in_other_processes_and_in_process_by_default():
    paths = [f"f{i}.xml" for i in range(6)]
    forked = Workers(jobs=2).map(_pid_and_path, paths, size=len)
    assert [p for _pid, p in forked] == paths
    assert os.getpid() not in {pid for pid, _p in forked}  # the pool's workers ran them
    here = InProcess().map(_pid_and_path, paths, size=len)
    assert here == [(os.getpid(), p) for p in paths]
    calls = []
    results, extra = InProcess().map_beside(_pid_and_path, paths, lambda: calls.append("meanwhile") or 7,
                                            size=len, prepare=lambda: calls.append("prepare"))
    assert (results, extra, calls) == (here, 7, ["prepare", "meanwhile"])


def test_few_small_files_stay_in_one_process():
    assert default_jobs(10, 1_000, cpus=8) == 1
    assert default_jobs(10, 1_000, min_elements=500, cpus=8) == 8
    assert default_jobs(1_000, 0, cpus=4) == 4


def test_two_workers_report_what_one_process_reports():
    for target in (ROOT / "corpus" / "tei", ROOT / "tests" / "data" / "validate"):
        one = validation.validate_paths([str(target)], jobs=1)
        two = validation.validate_paths([str(target)], jobs=2)
        assert [(f.path, f.issues, f.layers) for f in two.files] == [(f.path, f.issues, f.layers) for f in one.files]
        assert two.issues == one.issues
        assert any(f.issues for f in one.files) or target.name == "tei"
