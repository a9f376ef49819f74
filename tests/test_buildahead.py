"""After an edit, the build forks its validation child before it converts (teikit.buildvalidation.ahead):
the child parses corpus/tei as it is and loads the Schematron meanwhile (teikit.core.ahead), and
uses what it made only where the validation then reads the same bytes. The findings, the messages,
the exit code and the state kept are those of validating without it, also where the files
changed in between: an edit that makes a file invalid, one that changes a cross-document finding,
a changed Schematron."""

from __future__ import annotations

import json
import os
import re
import shutil
import time

import pytest
from click.testing import CliRunner

from teikit import besidesite, buildvalidation, runreads
from teikit.cli import main
from teikit.core import ahead, xmlsafe
from teikit.disk import Disk
from teikit.project import Project, conversion_inputs
from teikit.validate import schematron
from tests.conftest import OTHER, ahead_forks, corpus_outputs, said_lines, site_outputs


@pytest.fixture(autouse=True)
def _nothing_held():
    ahead.drop()
    yield
    ahead.drop()


# --- the pieces: held once, only for the same inputs ---------------------------------------------
def test_a_parse_held_is_taken_once_and_only_for_equal_bytes():
    data = b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text/></TEI>"
    xmlsafe.parse_ahead(data, "a.xml")
    held = ahead._PARSED[("a.xml", xmlsafe.MAX_BYTES)][1][0]
    tree, issues = xmlsafe.parse_bytes(data, "a.xml")
    assert tree is held and issues == []
    assert xmlsafe.parse_bytes(data, "a.xml")[0] is not held  # taken: parsed anew
    xmlsafe.parse_ahead(data, "a.xml")
    other = b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body/></text></TEI>"
    tree, _ = xmlsafe.parse_bytes(other, "a.xml")  # other bytes: parsed, the held one dropped
    assert tree.getroot()[0][0].tag.endswith("body") and not ahead._PARSED
    xmlsafe.parse_ahead(b"<a><b></a>", "bad.xml")  # not well-formed: the same finding either way
    assert xmlsafe.parse_bytes(b"<a><b></a>", "bad.xml") == xmlsafe.parse_bytes(b"<a><b></a>", "bad.xml")
    xmlsafe.parse_ahead(data, "a.xml")
    assert xmlsafe.parse_bytes(data, "b.xml")[0] is not None and ahead._PARSED  # another name: not it


def test_facts_held_are_taken_once_only_for_the_very_tree_and_never_for_one_that_includes():
    """xdocfacts.facts_ahead holds the facts of a tree the validation never changes; facts()
    takes them for that very root (not an equal tree) once, and they equal what it computes."""
    from lxml import etree

    from teikit.validate import xdocfacts

    data = (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text xml:id='t'><p ref='pers:a' xml:id='p1'/>"
            b"</text></TEI>")
    tree, _ = xmlsafe.parse_ahead(data, "a.xml")
    xdocfacts.facts_ahead(tree)
    held = ahead._FACTS[id(tree.getroot())][1]
    assert held == xdocfacts._facts(tree.getroot()) and held.ids == {"t", "p1"}
    twin = etree.ElementTree(etree.fromstring(data))
    assert xdocfacts.facts(twin) is not held and ahead._FACTS  # an equal tree is another tree
    assert xdocfacts.facts(tree) is held and not ahead._FACTS  # taken
    assert xdocfacts.facts(tree) is not held and xdocfacts.facts(tree) == held  # computed again
    including = etree.ElementTree(etree.fromstring(
        b"<teiCorpus xmlns='http://www.tei-c.org/ns/1.0' xmlns:xi='http://www.w3.org/2001/XInclude'>"
        b"<xi:include href='a.xml'/></teiCorpus>"))
    xdocfacts.facts_ahead(including)  # the validator expands it: nothing held
    assert not ahead._FACTS


def test_facts_held_ahead_are_the_ones_the_checks_read():
    """The control: facts held for a tree are what the cross-document checks read of it, so
    they are really used (and must be the tree's own, which facts_ahead holds): with an id
    left out of the held facts, the duplicate id the tree has is not found."""
    import dataclasses

    from teikit.validate import crossdoc, xdocfacts

    a = b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text xml:id='x'/></TEI>"
    trees = {"a.xml": xmlsafe.parse_bytes(a, "a.xml")[0], "b.xml": xmlsafe.parse_bytes(a, "b.xml")[0]}
    assert [i.code for i in crossdoc.duplicate_ids_across(trees)] == ["xdoc:duplicate-id"]
    root = trees["b.xml"].getroot()
    ahead.hold_facts(root, dataclasses.replace(xdocfacts._facts(root), ids=frozenset({"y"})))
    with crossdoc.one_pass():
        assert crossdoc.duplicate_ids_across(trees) == []
    assert not ahead._FACTS
    xdocfacts.facts_ahead(trees["b.xml"])  # its own facts: the finding is back
    with crossdoc.one_pass():
        assert [i.code for i in crossdoc.duplicate_ids_across(trees)] == ["xdoc:duplicate-id"]


SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <pattern><rule context="p"><assert test="@n">a p needs @n</assert></rule></pattern>
</schema>"""


def _noted(sch, files_factory):
    probe = runreads.Probe(Disk(), lambda folder: [])
    recorder = runreads.Recorder(probe)
    return schematron.load(str(sch), recorder), recorder.deps()


def test_a_schematron_loaded_ahead_is_used_only_where_it_reads_the_same(tmp_path):
    sch = tmp_path / "rules.sch"
    sch.write_text(SCH, encoding="utf-8")
    cold, cold_deps = _noted(sch, None)
    schematron.load_ahead(str(sch), Disk())
    held = ahead._LOADED[("schematron", (str(sch), None))][1]
    warm, warm_deps = _noted(sch, None)
    assert warm is held and warm_deps == cold_deps  # what a recording Files notes: the same
    doc = xmlsafe.parse_bytes(b"<r><p/></r>", "d.xml")[0]
    assert [i.message for i in schematron.validate_tree(warm, doc, "d.xml")] == \
        [i.message for i in schematron.validate_tree(cold, doc, "d.xml")] == ["a p needs @n"]
    # the schema changed after it was loaded ahead: loaded again, with the new rule
    schematron.load_ahead(str(sch), Disk())
    held = ahead._LOADED[("schematron", (str(sch), None))][1]
    sch.write_text(SCH.replace("@n", "@type"), encoding="utf-8")
    changed, changed_deps = _noted(sch, None)
    assert changed is not held and not ahead._LOADED
    assert [i.message for i in schematron.validate_tree(changed, doc, "d.xml")] == ["a p needs @type"]
    assert changed_deps != cold_deps
    schematron.load_ahead(str(sch), Disk())  # another phase: not it
    held = ahead._LOADED[("schematron", (str(sch), None))][1]
    assert schematron.load(str(sch), Disk(), phase="#ALL") is not held and ahead._LOADED


def test_a_replay_that_differs_halfway_leaves_the_notes_of_a_load_that_never_was_held(tmp_path):
    main_sch, part = tmp_path / "main.sch", tmp_path / "part.sch"
    part.write_text("""<pattern xmlns="http://purl.oclc.org/dsdl/schematron">
  <rule context="p"><assert test="@n">a p needs @n</assert></rule></pattern>""", encoding="utf-8")
    main_sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <include href="part.sch"/></schema>""", encoding="utf-8")
    schematron.load_ahead(str(main_sch), Disk())
    notes = ahead._LOADED[("schematron", (str(main_sch), None))][0]
    assert len(notes) >= 2  # the schema, then what it includes
    part.write_text(part.read_text(encoding="utf-8").replace("@n", "@type"), encoding="utf-8")
    warm, warm_deps = _noted(main_sch, None)
    ahead.drop()
    cold, cold_deps = _noted(main_sch, None)
    assert warm_deps == cold_deps
    doc = xmlsafe.parse_bytes(b"<r><p/></r>", "d.xml")[0]
    assert [i.message for i in schematron.validate_tree(warm, doc, "d.xml")] == ["a p needs @type"]


# --- the validation: warmed, then the files changed or not --------------------------------------
def _validate(corpus, state):
    project = Project(corpus)
    inputs = conversion_inputs(project)
    tei = {n: d for n, d in project.tei_digests().items() if n.endswith(".xml")}
    said, mine = [], json.loads(json.dumps(state))
    code = buildvalidation.validate(project, tei, inputs, mine, lambda *a: None, said.append)
    return code, said, mine


def _first_id(path) -> str:
    return re.search(r'<p xml:id="([^"]+)"', path.read_text(encoding="utf-8"))[1]


EDITS = {
    "none": lambda tei: None,
    "invalid": lambda tei: _replace(tei / "bdl-1945-03-14.xml", "wide circulation.", "wide <madeUp/>circulation."),
    "cross-document": lambda tei: _replace(tei / "bdl-1945-03-14.xml", _first_id(tei / "bdl-1945-03-14.xml"),
                                           _first_id(tei / "bdl-1945-03-12.xml")),
}


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("known", [False, True])
def test_validation_after_warming_up_finds_what_it_finds_cold(corpus, tmp_path, monkeypatch, edit, known):
    """warm() parses corpus/tei and loads teikit.sch; then a file changes (or not) and the
    validation runs: the same exit code, lines and state as a validation that was never
    warmed, and the held parses are used exactly for the files whose bytes are the same.
    `known`: the build's state after a valid build (the unchanged files' own layers skipped)."""
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    state = {}
    if known:
        code, _said, state = _validate(corpus, {})
        assert code == 0 and state.get("valid_files")
    taken = []
    real = ahead.parsed

    def spy(data, filename, max_bytes):
        got = real(data, filename, max_bytes)
        taken.append((os.path.basename(filename), got is not None))
        return got

    monkeypatch.setattr(ahead, "parsed", spy)
    results = {}
    for name, root, warm in (("warm", corpus, True), ("cold", copy, False)):
        monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / f"cache-{name}"))  # no result kept from before
        taken.clear()
        if warm:
            buildvalidation.warm(Project(root), lambda: False)
            assert len(ahead._PARSED) == len(list((root / "tei").glob("*.xml")))
            taken.clear()  # parse_ahead's own parses
        EDITS[edit](root / "tei")
        code, said, mine = _validate(root, state)
        results[name] = (code, [line.replace(str(root), "ROOT") for line in said],
                         json.loads(json.dumps(mine).replace(str(root), "ROOT")))
        if warm and known and edit == "none":  # nothing changed since they were valid: nothing read
            assert taken == [] and "nothing changed" in said[0]
        elif warm:
            hits = {n for n, hit in taken if hit}
            misses = {n for n, hit in taken if not hit}  # the changed file, and any parsed twice
            changed = set() if edit == "none" else {"bdl-1945-03-14.xml"}
            assert changed <= misses and hits == {p.name for p in (root / "tei").glob("*.xml")} - changed
        else:
            assert not any(hit for _n, hit in taken)
    assert results["warm"] == results["cold"]
    code, said, _mine = results["warm"]
    if edit == "invalid":
        assert code == 1 and any("madeUp" in line for line in said)
    elif edit == "cross-document":
        assert code == 1 and any("xdoc:duplicate-id" in line for line in said)
    else:
        assert code == 0


def test_warming_up_stops_when_told(corpus):
    asked = []
    buildvalidation.warm(Project(corpus), lambda: asked.append(1) or len(asked) > 3)
    assert len(ahead._PARSED) < len(list((corpus / "tei").glob("*.xml")))


# --- the child forked ahead ---------------------------------------------------------------------
def test_the_child_ahead_gets_a_message_larger_than_a_pipe_holds_and_stops_warming_when_it_comes():
    def warm(told):
        deadline = time.monotonic() + 60
        while not told() and time.monotonic() < deadline:  # the test fails (below) if told() never says
            time.sleep(0.001)
        return None

    child = besidesite.Ahead(warm, lambda message: {"size": len(message["x"]), "pid": os.getpid(),
                                                    "warm_ended": time.monotonic()})
    message = {"x": "y" * (1 << 20)}
    child.send(message)
    got = child.join()
    assert got["size"] == 1 << 20 and got["began"] <= got["ended"]
    if got["pid"] != os.getpid():  # forked (a single-threaded test process)
        assert got["warm_ended"] < time.monotonic()  # came back well before the 60 s


def test_a_child_ahead_that_raises_is_done_here_and_one_not_wanted_is_stopped(monkeypatch):
    def work(message):
        if os.getpid() != here:
            raise RuntimeError("in the child")
        return {"n": message}

    here = os.getpid()
    child = besidesite.Ahead(lambda told: None, work)
    child.send(7)
    assert child.join()["n"] == 7  # the child raised: work(message) done here, as one process does
    stopped = besidesite.Ahead(lambda told: time.sleep(30), work)
    stopped.stop()
    assert stopped.started.pid is None
    monkeypatch.setattr("teikit.beside.can_fork", lambda: False)
    unforked = besidesite.Ahead(lambda told: None, work)
    unforked.send(8)
    assert unforked.join()["n"] == 8


def test_overlap_is_the_union_of_the_children_working_in_the_span():
    a, b = {"began": 0.0, "ended": 5.0}, {"began": 3.0, "ended": 8.0}
    assert besidesite.overlap((4.0, 10.0), a, b) == pytest.approx(4.0)
    assert besidesite.overlap((4.0, 10.0), a, None) == pytest.approx(1.0)
    assert besidesite.overlap((9.0, 10.0), a, b) == 0.0


# --- the build -----------------------------------------------------------------------------------
@pytest.mark.parametrize("hand_edit", [False, True])
def test_a_build_after_an_edit_with_validation_ahead_equals_one_without(tmp_path, monkeypatch, hand_edit):
    """Two copies, built, then the same source edit (and, with `hand_edit`, an invalid hand
    edit of a TEI file: merged, then refused as a conflict, found by validation): one build
    with the validation child forked ahead, one without; the same messages, exit code,
    corpus, site, text and stamp."""
    def run(root):
        return CliRunner().invoke(main, ["build", "--corpus", str(root / "corpus"), "--build-dir", str(root / "build")])

    forked = ahead_forks(monkeypatch)
    results = {}
    for name in ("ahead", "after"):
        root = tmp_path / name
        shutil.copytree(OTHER, root / "corpus")
        assert run(root).exit_code == 0
        source = root / "corpus" / "source" / "dispatches.md"
        source.write_text(source.read_text(encoding="utf-8").replace("wide circulation", "wide  circulation"),
                          encoding="utf-8")
        if hand_edit:
            _replace(root / "corpus" / "tei" / "bdl-1945-04-02.xml", "of the conversation.", "of the <madeUp/>conversation.")
        forked.clear()
        with monkeypatch.context() as mp:
            if name == "after":
                mp.setattr(besidesite, "ahead_ok", lambda: False)
            result = run(root)
        if name == "ahead" and besidesite.ahead_ok():
            assert len(forked) == 1
        assert forked == [] or name == "ahead"
        stamp = json.loads((root / "build" / ".teikit-stamp.json").read_text(encoding="utf-8"))
        results[name] = (result.exit_code, said_lines(result, root), corpus_outputs(root / "corpus"),
                         site_outputs(root / "build"), json.loads(json.dumps(stamp).replace(str(root), "ROOT")))
    assert results["ahead"][0] == results["after"][0]
    assert results["ahead"][1] == results["after"][1]
    assert results["ahead"][2] == results["after"][2]
    assert results["ahead"][3] == results["after"][3]
    for key in buildvalidation.VALIDATION_STATE:
        assert results["ahead"][4].get(key) == results["after"][4].get(key)
    assert (results["ahead"][0] == 1) == hand_edit


def test_a_conversion_that_fails_after_the_child_ahead_was_forked_leaves_no_child(tmp_path, monkeypatch):
    """The source loses its documents after a build: the conversion fails with the same error
    as without the child ahead, and that child is stopped (none is left running)."""
    outputs = {}
    for name in ("ahead", "after"):
        root = tmp_path / name
        shutil.copytree(OTHER, root / "corpus")
        args = ["build", "--corpus", str(root / "corpus"), "--build-dir", str(root / "build")]
        assert CliRunner().invoke(main, args).exit_code == 0
        source = root / "corpus" / "source" / "dispatches.md"
        source.write_text("A compilation without a single heading.\n\nJust this paragraph.\n", encoding="utf-8")
        forked, pids = [], []
        real = besidesite.Ahead

        def spy(*a, **k):
            child = real(*a, **k)
            forked.append(child)
            pids.append(child.started.pid)
            return child

        with monkeypatch.context() as mp:
            mp.setattr(besidesite, "Ahead", spy)
            if name == "after":
                mp.setattr(besidesite, "ahead_ok", lambda: False)
            result = CliRunner().invoke(main, args)
        assert result.exit_code != 0
        outputs[name] = result.output.replace(str(root), "ROOT")
        for child, pid in zip(forked, pids):
            assert child.started.pid is None  # stopped (killed and waited for)
            if pid is not None:
                with pytest.raises(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)  # reaped: not running, not a zombie
        assert (name == "ahead") == bool(forked) or not besidesite.ahead_ok()
    assert outputs["ahead"] == outputs["after"]


def test_the_known_files_paths_are_those_a_path_join_gives():
    """buildvalidation._paths_in (the known-valid files' paths, without a Path per name)
    gives str(folder / name) for plain names and for those a Path would normalise."""
    from pathlib import Path

    for folder in [Path("corpus/tei"), Path("/tmp/x/corpus/tei"), Path("/"), Path("."), Path(""), Path("a/./b/"),
                   Path("..")]:
        path_of = buildvalidation._paths_in(folder)
        for name in ["a.xml", "corpus.xml", ".hidden.xml", "x y.xml", "é.xml", "a.xml.", "a/b.xml", "a//b.xml", ".", ".."]:
            assert path_of(name) == str(folder / name), (folder, name)
