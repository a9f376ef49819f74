"""The per-file work begun before the run's parse (teikit.validate.ownlayers, Workers.start,
teikit.beside.Shared): a worker forked as soon as the file list is known parses and
validates the files it takes; its findings are used only where the run's own process finds
the same inputs, so the report is the one a single process gives, byte for byte; where a
grammar is pruned to the run's names the worker stops and the rest is shared as before."""

import json
import os
import resource
import time

import pytest
from click.testing import CliRunner

from teikit import cli, validation
from teikit.beside import Shared
from teikit.core.errors import Issue, UsageError
from teikit.validate import ownlayers, validator
from teikit.validate.runstate import STOP, InProcess
from teikit.workers import Side, Workers

from .conftest import ROOT

CORPUS = str(ROOT / "corpus" / "tei")
SMALL = str(ROOT / "tests" / "data" / "validate")  # no <?xml-model?>: tei_all, pruned
LEAVE = ("leave",)


def _pid_and_item(item):
    return os.getpid(), item


def _no_child_running() -> bool:
    """No child of this process runs any more (those that ended are reaped here), within 5 s."""
    for _ in range(500):
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if not pid:  # one is running
            time.sleep(0.01)
    return False


def _rows(report):
    return [(f.path, f.issues, f.layers, f.schema) for f in report.files], report.issues


def test_shared_work_is_joined_or_stopped_and_a_child_may_leave_an_item():
    parent, items = os.getpid(), list(range(30))
    got, extra = Shared(_pid_and_item, items, 1).join(_pid_and_item, lambda: "first")
    assert extra == "first" and sorted(got) == items and all(got[i][1] == i for i in items)

    signal_out, signal_in = os.pipe()

    def leaves_five(item):  # the child says when it has left item 5
        if item == 5:
            os.write(signal_in, b"x")
            return LEAVE
        return _pid_and_item(item)

    try:
        shared = Shared(leaves_five, items, 1, leave=LEAVE)
        os.read(signal_out, 1)
        stopped = shared.stop()  # what no child began is taken back: the caller's
        assert sorted(stopped) == list(range(5)) and {pid for pid, _ in stopped.values()} != {parent}
        shared = Shared(leaves_five, items, 1, leave=LEAVE)
        os.read(signal_out, 1)
        joined, _ = shared.join(_pid_and_item)  # this process takes what the child left in the queue
        assert sorted(joined) == [i for i in items if i != 5]  # the item left: the caller's too
    finally:
        os.close(signal_out)
        os.close(signal_in)
    assert _no_child_running()


def test_work_begun_only_where_it_is_shared_and_the_side_comes_back():
    paths = [str(p) for p in sorted((ROOT / "corpus" / "tei").glob("*.xml"))]
    assert Workers(jobs=1, cpus=2).start(_pid_and_item, paths) is None
    assert Workers(cpus=1).start(_pid_and_item, paths) is None
    assert Workers(jobs=2, cpus=2).start(_pid_and_item, []) is None
    side = Side(lambda: "side")
    begun = Workers(jobs=2, cpus=2, side=side).start(_pid_and_item, paths)
    got, extra = begun.join(_pid_and_item, lambda: "first")
    assert extra == "first" and side.done and side.value() == "side"
    assert sorted(got) == sorted(paths) and all(got[p][1] == p for p in paths)


def _spy(monkeypatch):
    """Count the files whose findings came from the worker begun before the parse."""
    taken = []
    real = ownlayers.accepts

    def accepts(value, expected):
        ok = real(value, expected)
        taken.append(ok)
        return ok

    monkeypatch.setattr(ownlayers, "accepts", accepts)
    return taken


@pytest.fixture
def ahead(monkeypatch):
    """ahead(n): this process goes on from its compile only once the worker begun before the
    parse has validated n files (so that the worker's findings are there, whatever the load)."""
    done_out, done_in = os.pipe()
    parent = os.getpid()

    def wait_for(n):
        real_alone, real_compile = ownlayers.alone, validator._compile_rngs

        def alone(path):
            value = real_alone(path)
            if os.getpid() != parent and isinstance(value, tuple) and value[0] == "alone":
                os.write(done_in, b"x")
            return value

        def compile_rngs(*args):
            for _ in range(n):
                os.read(done_out, 1)
            return real_compile(*args)

        monkeypatch.setattr(ownlayers, "alone", alone)
        monkeypatch.setattr(validator, "_compile_rngs", compile_rngs)
        return real_compile

    yield wait_for
    os.close(done_out)
    os.close(done_in)


def test_the_worker_begun_before_the_parse_gives_the_report_of_one_process(monkeypatch, ahead):
    taken = _spy(monkeypatch)
    real_compile = ahead(30)
    two = CliRunner().invoke(cli.main, ["validate", "--no-cache", "--format", "json", "--jobs", "2", CORPUS])
    assert sum(taken) >= 30  # the worker's findings were used
    monkeypatch.setattr(validator, "_compile_rngs", real_compile)
    taken.clear()
    one = CliRunner().invoke(cli.main, ["validate", "--no-cache", "--format", "json", "--jobs", "1", CORPUS])
    assert not taken  # one process: nothing begun
    assert two.exit_code == one.exit_code == 0 and two.output == one.output
    assert len(json.loads(one.output)["files"]) == 189


def _corrupted(monkeypatch, how):
    """The worker's findings with an extra finding, and (how) its key or what it read changed."""
    real = ownlayers.alone

    def alone(path):
        value = real(path)
        if not isinstance(value, tuple) or value[0] != "alone":
            return value
        _, key, found, witness = value
        found = found + [Issue("error", "rng:made-up", "not a finding of this file", path, 1, 1, "rng")]
        if how == "key":
            key = (key[0], key[1] + ("another.sch",), key[2])
        elif how == "read":
            witness = witness + [(("read", str(ROOT / "schema" / "teikit.rng")), "0" * 64)]
        return "alone", key, found, witness

    monkeypatch.setattr(ownlayers, "alone", alone)


@pytest.mark.parametrize("how", ["key", "read"])
def test_a_worker_whose_inputs_differ_is_not_believed(monkeypatch, ahead, how):
    one = validation.validate_paths([CORPUS], jobs=1)
    taken = _spy(monkeypatch)
    _corrupted(monkeypatch, how)
    ahead(30)
    two = validation.validate_paths([CORPUS], jobs=2)
    assert not any(taken) and _rows(two) == _rows(one)  # every file computed again here
    assert len(taken) >= 30 if how == "key" else not taken  # what it read differs: none is looked at


def test_what_the_worker_finds_is_what_is_reported_when_its_inputs_agree(monkeypatch, ahead):
    """The control of the test above: the same made-up finding with the right inputs is
    reported, so the findings of the worker are really used."""
    _corrupted(monkeypatch, "none")
    ahead(1)
    two = validation.validate_paths([CORPUS], jobs=2)
    assert any(i.code == "rng:made-up" for f in two.files for i in f.issues)


class _AtOnce(InProcess):
    """A mapper that does the begun work at once, in this process, as one worker would, in
    the order given, up to the first STOP (what it gave is kept in `gave`)."""

    def __init__(self):
        self.gave, self.done = [], {}

    def start(self, fn, paths):
        for path in paths:
            self.gave.append(fn(path))
            if self.gave[-1] is STOP:
                break
            self.done[path] = self.gave[-1]
        return self

    def join(self, fn, first=lambda: None):
        assert STOP not in self.gave  # joined only where no grammar is pruned
        return dict(self.done), first()

    def stop(self):
        return dict(self.done)


@pytest.mark.parametrize("targets,schema,n_alone,stops,prune", [
    ([SMALL], None, 0, True, True), ([CORPUS], str(ROOT / "schema" / "tei_all.rng"), 0, True, True),
    ([CORPUS, SMALL], None, 188, True, True), ([CORPUS], None, 188, False, True),
    # a grammar with includes, not pruned: compiled once, not in the worker too (as tei_all would be)
    ([SMALL], str(ROOT / "tests" / "data" / "validate" / "rng-include" / "main.rng"), 0, True, False)])
def test_a_pruned_grammar_stops_the_worker_and_the_report_is_the_same(monkeypatch, targets, schema, n_alone,
                                                                     stops, prune):
    one = validation.validate_paths(targets, jobs=1, schema=schema, prune=prune)
    taken, mapper = _spy(monkeypatch), _AtOnce()
    monkeypatch.setattr(validation, "Workers", lambda *args, **kwargs: mapper)
    two = validation.validate_paths(targets, schema=schema, prune=prune)
    assert _rows(two) == _rows(one)
    # teikit.rng is compiled whole: the worker validates every corpus file but corpus.xml
    # (it XIncludes: the run's own, None); at the first file of a pruned grammar it stops
    alone = [v for v in mapper.gave if isinstance(v, tuple) and v[:1] == ("alone",)]
    if schema is not None and stops:  # one grammar for all, and one the worker would leave: not begun
        assert mapper.gave == [] and not taken
        return
    assert len(alone) == n_alone == sum(taken) and (mapper.gave[-1] is STOP) == stops
    assert mapper.gave.count(None) == (1 if CORPUS in targets else 0)


def test_a_pruned_grammar_stops_a_forked_worker_and_the_report_is_the_same(monkeypatch):
    targets = [CORPUS, SMALL]
    one = validation.validate_paths(targets, jobs=1)
    stops_out, stops_in = os.pipe()  # the worker says here when it gives STOP
    real = ownlayers.alone

    def alone(path):
        value = real(path)
        if value is STOP:
            os.write(stops_in, b"s")
        return value

    monkeypatch.setattr(ownlayers, "alone", alone)
    try:
        two = validation.validate_paths(targets, jobs=2)
        os.close(stops_in)
        assert len(os.read(stops_out, 16)) <= 1  # it takes no more (it may be stopped before it meets one)
    finally:
        os.close(stops_out)
    assert _rows(two) == _rows(one)


def test_a_run_that_fails_ends_the_worker_it_began(tmp_path):
    broken = tmp_path / "broken.rng"
    broken.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="x"/></start></grammar>')
    with pytest.raises(UsageError):
        validation.validate_paths([CORPUS], jobs=2, schema=str(broken))
    assert _no_child_running()


def test_every_worker_of_a_run_is_reaped_when_it_returns():
    """Children are not waited for as they end, but before validate_paths returns: none is
    left, and their CPU counts for this process's children (as `time` and the bench see it)."""
    assert _no_child_running()  # whatever an earlier test left
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    validation.validate_paths([CORPUS], jobs=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_utime + after.ru_stime > before.ru_utime + before.ru_stime


def test_a_worker_keeps_its_trees_within_the_limit_and_frees_the_rest(monkeypatch):
    """ownlayers._keep: the trees a worker parsed stay alive until it ends while their
    sources add up to KEEP_BYTES at most; a larger one is left to be freed."""
    from teikit.validate import ownlayers

    monkeypatch.setattr(ownlayers, "KEEP_BYTES", 100)
    state, trees = {}, [object() for _ in range(4)]
    for tree, size in zip(trees, (60, 50, 40, 0)):
        ownlayers._keep(state, tree, size)
    assert state["kept"][0] == 100 and state["kept"][1] == [trees[0], trees[2], trees[3]]
