"""Processes are the application layer's (teikit.workers, teikit.beside); the library maps
its per-file work with what it is handed (teikit.validate.runstate), in this process by
default. However many processes share the work, the report is the same, byte for byte;
how many is decided by the CPUs this process may use and the amount of work, nothing else;
a worker that is killed makes the run fail, it does not leave files out."""

import os
import signal

import pytest
from click.testing import CliRunner

from teikit import beside, cli, validation, workers
from teikit.beside import WorkerError, can_fork, run_beside, share_out, start_beside
from teikit.validate import ownlayers, validator
from teikit.validate.runstate import InProcess
from teikit.workers import Workers, team_size

from .conftest import ROOT

CORPUS = str(ROOT / "corpus" / "tei")


def _pid_and_item(item):
    return os.getpid(), item


def test_share_out_gives_the_results_in_order_computed_by_several_processes():
    items = list(range(40))
    parent = os.getpid()
    signal_out, signal_in = os.pipe()

    def noted(item):  # a child says it took one; this process waits for that before it joins in
        if os.getpid() != parent:
            os.write(signal_in, b"x")
        return _pid_and_item(item)

    results, extra = share_out(noted, items, 2, first=lambda: os.read(signal_out, 1) and "first")
    os.close(signal_out)
    os.close(signal_in)
    assert [item for _pid, item in results] == items and extra == "first"
    assert {pid for pid, _item in results} - {parent}  # a child took some
    here, extra = share_out(_pid_and_item, items, 0, first=lambda: 7)
    assert here == [(os.getpid(), i) for i in items] and extra == 7


def test_a_child_that_raises_leaves_its_items_to_this_process():
    parent = os.getpid()

    def fails_in_children(item):
        if os.getpid() != parent:
            raise RuntimeError("child")
        return item * 2

    assert share_out(fails_in_children, list(range(20)), 2)[0] == [i * 2 for i in range(20)]

    def raises_anywhere(item):
        raise ValueError(f"item {item}")

    with pytest.raises(ValueError):  # as in one process: the exception is not swallowed
        share_out(raises_anywhere, list(range(5)), 1)


def test_a_killed_child_is_reported_not_hidden():
    parent = os.getpid()
    signal_out, signal_in = os.pipe()

    def killed_in_children(item):
        if os.getpid() != parent:
            os.write(signal_in, b"x")  # this process waits for a child to have taken one
            os.kill(os.getpid(), signal.SIGKILL)
        return item

    try:
        with pytest.raises(WorkerError, match=r"killed by signal 9 \(SIGKILL\)"):
            share_out(killed_in_children, list(range(20)), 1, first=lambda: os.read(signal_out, 1))
        with pytest.raises(WorkerError, match="killed by signal 9"):
            run_beside(lambda: killed_in_children(0), lambda: "here")
    finally:
        os.close(signal_out)
        os.close(signal_in)


def test_run_beside_returns_both_results_and_recovers_from_a_child_that_raises():
    assert run_beside(lambda: [1, 2], lambda: "here") == ([1, 2], "here")
    pid = os.getpid()

    def fails_in_the_child():
        if os.getpid() != pid:
            raise RuntimeError("child")
        return "computed here"

    assert run_beside(fails_in_the_child, lambda: 3) == ("computed here", 3)


def test_map_beside_runs_prepare_and_kept_paths_here_and_keeps_the_order():
    paths = [f"f{i}.xml" for i in range(12)]
    calls = []
    results, extra = Workers(jobs=3).map_beside(
        _pid_and_item, paths, lambda: ("meanwhile", 7), size=len,
        prepare=lambda: calls.append(os.getpid()), keep_here={"f3.xml"})
    assert [p for _pid, p in results] == paths and extra == ("meanwhile", 7) and calls == [os.getpid()]
    assert results[3][0] == os.getpid()
    one, extra = InProcess().map_beside(_pid_and_item, paths, lambda: 7, size=len)
    assert one == [(os.getpid(), p) for p in paths] and extra == 7


def test_what_children_note_comes_back_in_the_order_of_the_items():
    class Notes:
        def __init__(self):
            self.asked = {}

        def mark(self):
            return len(self.asked)

        def since(self, mark):
            return list(self.asked.items())[mark:]

        def merge(self, notes):
            for key, value in notes:
                self.asked.setdefault(key, value)

    notes = Notes()

    def noting(item):
        notes.asked[("read", f"f{item}")] = item
        return item

    assert share_out(noting, list(range(30)), 2, notes=notes)[0] == list(range(30))
    assert sorted(notes.asked) == sorted(("read", f"f{i}") for i in range(30))


def test_how_many_processes_is_the_cpus_and_the_work_never_the_load():
    assert team_size(188, 2_700_000, cpus=1) == 1  # one CPU: one process, whatever the work
    assert team_size(188, 2_700_000, cpus=2) == 2
    assert team_size(188, 2_700_000, cpus=64) == workers.MAX_PROCESSES
    assert team_size(3, 100_000, cpus=8) == 1  # too little to pay for a fork
    assert team_size(2, 10_000_000, cpus=8) == 2  # no more processes than pieces of work
    assert Workers(jobs=4, cpus=1).processes(10, 0) == 4  # --jobs is obeyed


def test_one_cpu_available_means_no_fork(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert workers.available_cpus() == 1
    forks = []
    real_fork = beside._fork
    monkeypatch.setattr(beside, "_fork", lambda work: forks.append(1) or real_fork(work))
    one = validation.validate_paths([CORPUS])
    assert not forks
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    two = validation.validate_paths([CORPUS])
    assert forks  # the corpus is work enough for a second process
    assert _rows(two) == _rows(one)


def _rows(report):
    return [(f.path, f.issues, f.layers, f.schema) for f in report.files], report.issues


def test_the_report_is_the_same_byte_for_byte_for_any_number_of_processes():
    runner = CliRunner()
    for target in (CORPUS, str(ROOT / "tests" / "data" / "validate")):
        outputs = set()
        for jobs in ([], ["--jobs", "1"], ["--jobs", "2"], ["--jobs", "3"]):
            result = runner.invoke(cli.main, ["validate", "--no-cache", "--format", "json", *jobs, target])
            assert result.exit_code in (0, 1), result.output
            outputs.add(result.output)
        assert len(outputs) == 1


def test_a_worker_killed_during_validation_fails_the_run(monkeypatch):
    parent = os.getpid()
    real = validator._validate_one
    signal_out, signal_in = os.pipe()
    waited = []

    def killed_in_children(path):
        if os.getpid() != parent:
            os.write(signal_in, b"x")
            os.kill(os.getpid(), signal.SIGKILL)
        if not waited:  # this process goes on once a child has taken a file
            waited.append(os.read(signal_out, 1))
        return real(path)

    real_alone = ownlayers.alone

    def alone_killed(path):  # the worker begun before the parse
        if os.getpid() != parent:
            os.write(signal_in, b"x")
            os.kill(os.getpid(), signal.SIGKILL)
        return real_alone(path)

    monkeypatch.setattr(validator, "_validate_one", killed_in_children)
    monkeypatch.setattr(ownlayers, "alone", alone_killed)
    try:
        result = CliRunner().invoke(cli.main, ["validate", "--no-cache", "--jobs", "2", CORPUS])
    finally:
        os.close(signal_out)
        os.close(signal_in)
    assert result.exit_code == 1
    assert "worker process" in result.output and "killed by signal 9" in result.output
    assert "valid" not in result.output.split("Error:")[0]  # no report of the files it left out


def test_a_fork_leaves_the_callers_garbage_collector_as_it_was():
    import gc

    gc.unfreeze()  # whatever an earlier test left frozen
    share_out(_pid_and_item, list(range(8)), 1)
    assert gc.get_freeze_count() == 0  # frozen for the child only
    if can_fork():  # there, what it inherited is frozen
        assert start_beside(gc.get_freeze_count).join() > 0
    gc.freeze()  # a caller that froze its objects (a build converting) keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        share_out(_pid_and_item, list(range(8)), 1)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()



def test_the_side_work_is_one_entry_of_the_first_queue_computed_once_wherever_it_runs():
    from teikit.workers import Side

    for jobs in (1, 2, 3):
        calls_out, calls_in = os.pipe()  # every process that runs it says so here
        side = Side(lambda: os.write(calls_in, b"x") and ("side", os.getpid()))
        mapper = Workers(jobs=jobs, cpus=3, side=side)
        results, extra = mapper.map_beside(_pid_and_item, list(range(12)), lambda: "xdoc")
        assert [item for _pid, item in results] == list(range(12)) and extra == "xdoc"
        assert side.done and side.value()[0] == "side"
        mapper.map(_pid_and_item, [1, 2])  # a later queue of the run does not run it again
        os.close(calls_in)
        assert os.read(calls_out, 16) == b"x"
        os.close(calls_out)
    late = Side(lambda: 7)
    assert late.value() == 7 and late.done  # no queue ran it: computed when asked
