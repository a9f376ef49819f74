"""`teikit build`: one progress bar on a terminal only; stages skipped when nothing changed."""

from __future__ import annotations

import io

from click.testing import CliRunner

from teikit import cli
from teikit.cli import main
from teikit.projectinputs import read_registry


def test_no_progress_bar_off_a_terminal(corpus):
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site"])
    assert result.exit_code == 0
    assert "[#" not in result.output and "%" not in result.output.replace("100.0000%", "")
    assert cli.BuildProgress.make(quiet=False) is None  # pytest's stderr is not a tty


def test_one_bar_names_each_stage_and_its_count(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    monkeypatch.setattr(cli.sys, "stderr", tty)
    bar = cli.BuildProgress.make(quiet=False)
    assert bar is not None and cli.BuildProgress.make(quiet=True) is None
    for stage, total in (("convert", 4), ("check", 9), ("validate", 9), ("site", 20), ("text", 5)):
        for done in range(total + 1):
            bar(stage, done, total)
    bar.close()
    drawn = tty.getvalue()
    for label in ("convert 4/4", "check 9/9", "validate 9/9", "site 20/20", "text 5/5"):
        assert label in drawn
    assert drawn.count("100%") >= 1


def test_a_changed_input_reconverts_and_an_unchanged_one_does_not(corpus):
    run = lambda: CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site"])  # noqa: E731
    assert "up to date" in run().output
    source = corpus / "source" / "dispatches.md"
    source.write_text(source.read_text(encoding="utf-8").replace("wide circulation", "wide  circulation"),
                      encoding="utf-8")
    result = run()
    assert result.exit_code == 0 and "converted 3 documents" in result.output
    assert "up to date" in run().output


def test_an_incremental_validation_still_catches_an_invalid_hand_edit(corpus, tmp_path):
    """Only files changed since the last valid build pass their own layers again; an
    invalid edit of one of them is an error, and the next valid build is clean again."""
    run, doc, good, result = _build_after_an_invalid_hand_edit(corpus, tmp_path, "--no-site")
    assert result.exit_code == 1 and "bdl-1945-03-14.xml" in result.output and "madeUp" in result.output
    doc.write_text(good, encoding="utf-8")
    result = run()
    assert result.exit_code == 0 and "0 errors" in result.output


def test_validate_paths_skips_known_valid_files_but_never_a_file_that_includes_others(tei):
    from teikit.validation import validate_paths

    doc, corpus_file = tei / "bdl-1945-03-14.xml", tei / "corpus.xml"
    for path in (doc, corpus_file):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</titleStmt>", "<madeUp/></titleStmt>", 1), encoding="utf-8")
    every = {str(p) for p in tei.glob("*.xml")}
    full = validate_paths([tei], cross_document=False)
    skipped = validate_paths([tei], cross_document=False, known_valid=every)

    def errors(report, name):
        return [i.code for f in report.files for i in f.issues if i.severity == "error" and i.file.endswith(name)]

    assert errors(full, "bdl-1945-03-14.xml") and not errors(skipped, "bdl-1945-03-14.xml")
    own = [c for c in errors(full, "corpus.xml") if c != "rng:included-invalid"]
    assert own and errors(skipped, "corpus.xml") == own  # corpus.xml XIncludes the documents: checked


def test_the_name_memo_gives_the_registry_scan_and_is_dropped_under_another_key(tmp_path):
    from pathlib import Path

    from teikit import namememo

    reg = read_registry(Path(__file__).resolve().parents[1] / "data" / "registry")
    texts = ["Molotov met Ribbentrop in Moscow.", "Chicherin wrote to Krasin in London.", "nothing here"]
    want = [reg.find_names(t, "1939-08-23") for t in texts]
    path = namememo.path_of(tmp_path)
    memo = namememo.load(path, reg, "k1").install()
    assert [reg.find_names(t, "1939-08-23") for t in texts] == want and memo.misses == 3
    memo.uninstall()
    namememo.save(path, memo)
    again = namememo.load(path, reg, "k1").install()
    assert [reg.find_names(t, "1939-08-23") for t in texts] == want and (again.hits, again.misses) == (3, 0)
    again.uninstall()
    assert namememo.load(path, reg, "k2").known == {}


def test_validation_beside_the_site_reports_as_before(corpus, tmp_path):
    """With the site, validation runs in a second process beside it: its findings, exit code
    and place in the output are those of a build that runs them one after the other."""
    run, doc, good, result = _build_after_an_invalid_hand_edit(corpus, tmp_path)
    lines = result.output.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("validated "))
    assert result.exit_code == 1 and not lines[at].endswith(": 0 errors") and "madeUp" in lines[at + 1]
    assert at < next(k for k, line in enumerate(lines) if line.startswith("wrote the site"))
    doc.write_text(good, encoding="utf-8")
    result = run()
    assert result.exit_code == 0 and "0 errors" in result.output
    assert "nothing changed since they were valid" in run().output


def _build_after_an_invalid_hand_edit(corpus, tmp_path, *options):
    """Build, make an invalid hand edit of one file, build again: (the build as a function,
    the file, its text before the edit, the second build's result)."""
    def run():
        return CliRunner().invoke(main, ["build", "--corpus", str(corpus), *options,
                                         "--build-dir", str(tmp_path / "b")])

    assert run().exit_code == 0
    doc = corpus / "tei" / "bdl-1945-03-14.xml"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good.replace("wide circulation.", "wide <madeUp/>circulation.", 1), encoding="utf-8")
    return run, doc, good, run()


def test_a_build_stopped_after_writing_corpus_tei_leaves_no_stamp_a_later_source_could_match(tmp_path, monkeypatch):
    """A build that dies between writing corpus/tei and saving its stamp (killed, or its
    output piped into `head`) must not leave the stamp of the conversion before: when the
    source is then edited back to that conversion's, the next build converts again (and
    gives the files of a clean build), instead of calling the newer files up to date."""
    import shutil

    from click.testing import CliRunner

    from teikit import corpusdir
    from teikit.cli import main
    from tests.conftest import OTHER

    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER, corpus)
    source = corpus / "source" / "dispatches.md"
    build = lambda: CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site"])  # noqa: E731
    assert build().exit_code == 0
    first = {p.name: p.read_bytes() for p in (corpus / "tei").glob("*.xml")}
    original = source.read_text(encoding="utf-8")
    # a change of case: the passage's words (its key in the id map) stay, so the id map does not change
    source.write_text(original.replace("The Ambassador's report deserves", "THE Ambassador's report deserves", 1),
                      encoding="utf-8")

    def stopped(self, stamp):
        raise KeyboardInterrupt  # as a build killed right after writing corpus/tei

    monkeypatch.setattr(corpusdir.CorpusDir, "save_stamp", stopped)
    assert build().exit_code != 0
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (corpus / "tei").glob("*.xml")} != first  # the edit was written
    source.write_text(original, encoding="utf-8")  # back to the first conversion's source
    again = build()
    assert again.exit_code == 0 and "up to date" not in again.output, again.output
    assert {p.name: p.read_bytes() for p in (corpus / "tei").glob("*.xml")} == first


def test_a_build_that_ends_at_once_keeps_what_it_made_and_one_called_in_process_frees_it(corpus, monkeypatch):
    """Run as the program (entry.ends_at_once), the build hands its frame's objects and the
    run memo to entry.KEPT, so that nothing is freed just before os._exit; called in-process
    it keeps nothing (a caller's process goes on), and the outputs are the same either way."""
    import shutil

    from teikit import api, entry
    from teikit.project import Project

    tei = corpus / "tei"
    outputs = {}
    for at_once in (False, True):
        monkeypatch.setattr(entry, "ends_at_once", lambda at_once=at_once: at_once)
        shutil.rmtree(tei)
        entry.KEPT.clear()
        assert api.build_project(Project(corpus), corpus.parent / "build", site=False, say=lambda _m: None) == 0
        outputs[at_once] = {p.name: p.read_bytes() for p in sorted(tei.iterdir())}
        frames = [k for k in entry.KEPT if isinstance(k, dict) and "state" in k and "inputs" in k]
        memos = [k for k in entry.KEPT if isinstance(k, tuple) and len(k) == 3]
        assert (len(frames), len(memos)) == ((1, 1) if at_once else (0, 0))
    entry.KEPT.clear()
    assert outputs[False] == outputs[True]


_DEPOSIT_PROBE = """
import json, os, sys
from pathlib import Path
from teikit import api, build
from teikit.project import Project

corpus, fail, killed = Path(sys.argv[1]), sys.argv[2] == "fail", sys.argv[2] == "killed"
parent, rendered = os.getpid(), []
records = build._deposit_records

def watched(project):
    if fail and os.getpid() != parent:
        raise RuntimeError("the child fails")
    if killed and os.getpid() != parent:
        os.kill(os.getpid(), 9)
    rendered.append(os.getpid() == parent)
    return records(project)

build._deposit_records = watched
said = []
code = api.build_project(Project(corpus), corpus.parent / "build", say=said.append)
print(json.dumps({"code": code, "here": rendered, "yaml": "yaml" in sys.modules,
                  "said": [s for s in said if "CITATION.cff" in s]}))
"""


def test_a_clean_build_renders_the_deposit_records_in_a_child_beside_the_conversion(tmp_path):
    """A clean build's deposit records are rendered by a child forked before the conversion
    (PyYAML is never imported by the build's process); where the child fails they are
    rendered in the build's process, and where it is killed too. The bytes and the message
    are the same either way."""
    import json
    import shutil
    import subprocess
    import sys

    from teikit import projectinputs
    from teikit.publish import deposit
    from tests.conftest import OTHER

    got = {}
    for how in ("child", "fail", "killed"):
        corpus = tmp_path / how / "corpus"
        shutil.copytree(OTHER, corpus)
        config_path = corpus / "source" / "corpus.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["licence"]["spdx"] = "CC-BY-4.0"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", _DEPOSIT_PROBE, str(corpus), how], capture_output=True,
                             text=True, check=True, cwd=tmp_path)
        got[how] = json.loads(out.stdout.strip().splitlines()[-1])
        expected = deposit.render_all(projectinputs.load_config(config_path))
        for name, data in expected.items():
            assert (corpus.parent / name).read_bytes() == data
    assert got["child"]["code"] == got["fail"]["code"] == 0
    assert got["child"]["here"] == [] and not got["child"]["yaml"]  # rendered in the child only
    assert got["fail"]["here"] == got["killed"]["here"] == [True]  # the child's failure: rendered here
    assert got["killed"]["code"] == 0
    assert len(got["child"]["said"]) == 1 and got["child"]["said"] == [
        s.replace(str(tmp_path / "fail"), str(tmp_path / "child")) for s in got["fail"]["said"]]
