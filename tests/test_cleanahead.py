"""On a clean build too, the build forks its validation child before it converts
(teikit.buildvalidation.ahead with `word`): the child imports the validator and loads the
Schematron while the conversion runs, then waits for the child beside the site to say that
corpus/tei is written as decided (teikit.besidesite.Ahead.say) and validates it from the disk.
The messages, the exit code, corpus/tei, the site and the state kept are those of a clean
build without it; without that word the child does nothing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import time

import pytest
from click.testing import CliRunner

from teikit import besidesite, buildvalidation, resources
from teikit.cli import main
from teikit.core import ahead
from tests.conftest import OTHER, ahead_forks, corpus_outputs, said_lines, site_outputs


@pytest.fixture(autouse=True)
def _nothing_held():
    ahead.drop()
    yield
    ahead.drop()


# --- the word ------------------------------------------------------------------------------------
def _work(message):
    return {"n": message, "pid": os.getpid()}


def test_a_child_ahead_with_a_word_works_only_when_told_to_go():
    here = os.getpid()
    told = besidesite.Ahead(lambda told: None, _work, word=True)
    told.send(1)
    told.say(True)
    got = told.join()
    assert got["n"] == 1 and "gone" not in got
    assert got["pid"] != here or not besidesite.ahead_ok()
    refused = besidesite.Ahead(lambda told: None, _work, word=True)
    refused.send(2)
    refused.say(False)
    if refused.started.pid is not None:
        assert refused.join() == {"gone": True, "began": pytest.approx(refused.got["began"]),
                                  "ended": pytest.approx(refused.got["ended"])}


def test_a_child_ahead_whose_sayer_ends_without_a_word_does_nothing():
    """The write end held by a child forked after it (as the child beside the site holds it):
    that child ends without saying (killed), the one ahead sees the pipe end and does nothing."""
    from teikit.beside import start_beside

    child = besidesite.Ahead(lambda told: None, _work, word=True)
    child.send(3)
    sayer = start_beside(lambda: os._exit(0))  # ends at once, holding the write end
    if sayer.pid is not None:
        child.handed()
    with pytest.raises(Exception):
        sayer.join()  # ended without its result: a WorkerError (not redone here: it raises)
    got = child.join()
    assert got.get("gone") is True or child.started.pid is None


def test_a_child_ahead_that_could_not_be_forked_works_here_without_a_word(monkeypatch):
    monkeypatch.setattr("teikit.beside.can_fork", lambda: False)
    child = besidesite.Ahead(lambda told: None, _work, word=True)
    child.send(4)
    child.say(True)  # (its pipe has no reader: nothing happens)
    assert child.join()["n"] == 4 and child.join()["pid"] == os.getpid()


# --- the build -----------------------------------------------------------------------------------
def _strict_schemas(tmp_path):
    """teikit's schema folder with one more Schematron rule, an error in every file that has a
    <p>: so that the clean build's validation finds errors (and exits 1)."""
    folder = tmp_path / "schema"
    shutil.copytree(resources.schema_dir(), folder)
    sch = folder / "teikit.sch"
    text = sch.read_text(encoding="utf-8")
    rule = ('  <pattern id="p-test-strict">\n    <rule context="tei:p[1]">\n'
            '      <assert id="test-strict" test="false()">no paragraph may be here (a test rule)</assert>\n'
            '    </rule>\n  </pattern>\n</schema>')
    sch.write_text(text.replace("</schema>", rule), encoding="utf-8")
    return folder


@pytest.mark.parametrize("findings", [False, True])
def test_a_clean_build_with_validation_ahead_equals_one_without(tmp_path, monkeypatch, findings):
    """Two clean builds of the same corpus, one with the validation child forked ahead, one
    without: the same messages (the validation's findings among them, in the same place), exit
    code, corpus, site, text and validation state."""
    if findings:
        schemas = _strict_schemas(tmp_path)
        monkeypatch.setattr(resources, "schema_dir", lambda: schemas)
    forked = ahead_forks(monkeypatch)
    results = {}
    for name in ("ahead", "after"):
        root = tmp_path / name
        shutil.copytree(OTHER, root / "corpus")
        forked.clear()
        with monkeypatch.context() as mp:
            if name == "after":
                mp.setattr(besidesite, "ahead_ok", lambda: False)
            result = CliRunner().invoke(main, ["build", "--corpus", str(root / "corpus"),
                                               "--build-dir", str(root / "build")])
        assert forked == ([True] if name == "ahead" and besidesite.ahead_ok() else [])
        stamp = json.loads((root / "build" / ".teikit-stamp.json").read_text(encoding="utf-8"))
        results[name] = (result.exit_code, said_lines(result, root), corpus_outputs(root / "corpus"),
                         site_outputs(root / "build"), json.loads(json.dumps(stamp).replace(str(root), "ROOT")))
    assert results["ahead"][0] == results["after"][0] == (1 if findings else 0)
    assert results["ahead"][1] == results["after"][1]
    assert any("sch:test-strict" in line or "no paragraph may be here" in line
               for line in results["ahead"][1]) == findings
    assert results["ahead"][2] == results["after"][2]
    assert results["ahead"][3] == results["after"][3]
    for key in buildvalidation.VALIDATION_STATE:
        assert results["ahead"][4].get(key) == results["after"][4].get(key)


# --- what the child ahead leaves on the disk: what a clean build without it leaves -----------------
def _clean_build(tmp_path, monkeypatch, name: str, tei: bool = False):
    """A clean build of OTHER with the validation child forked ahead (ahead_ok forced, whatever
    the CPUs), results kept by the corpus or the user cache (TEIKIT_CACHE unset, XDG_CACHE_HOME
    in tmp_path), teikit's fingerprint not yet known in this process (the build's children are
    forked from it) and the code-digest memo written however recent teikit's files are; the
    conversion begins once the child's warm-up has ended.
    `tei`: corpus/tei made first, empty (still a clean build: besidesite.unwritten_ok)."""
    from teikit import build, resultcache

    root = tmp_path / name
    shutil.copytree(OTHER, root / "corpus")
    if tei:
        (root / "corpus" / "tei").mkdir()
    monkeypatch.delenv("TEIKIT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"xdg-{name}"))
    monkeypatch.setattr(resultcache, "_FINGERPRINT", [])
    monkeypatch.setattr(resultcache, "SETTLED_NS", 0)
    monkeypatch.setattr(besidesite, "ahead_ok", lambda: True)
    words = []
    real = buildvalidation.ahead
    monkeypatch.setattr(buildvalidation, "ahead", lambda *a, **k: words.append(k.get("word")) or real(*a, **k))
    assert build.checking is buildvalidation  # (what build.py calls the module)
    # the conversion waits for the child's warm-up to end (else, in a process that has all
    # imported, the conversion of OTHER may write corpus/tei before the warm-up reaches its end)
    warmed, real_warm, real_converted = tmp_path / f"warmed-{name}", buildvalidation.warm, build._converted

    def warm(*args, **kwargs):
        try:
            return real_warm(*args, **kwargs)
        finally:
            warmed.touch()

    def converted(*args, **kwargs):
        waited = time.monotonic()
        while not warmed.exists() and time.monotonic() - waited < 60:
            time.sleep(0.01)
        return real_converted(*args, **kwargs)

    monkeypatch.setattr(buildvalidation, "warm", warm)
    monkeypatch.setattr(build, "_converted", converted)
    result = CliRunner().invoke(main, ["build", "--corpus", str(root / "corpus"), "--build-dir", str(root / "build")])
    assert words == [True] and warmed.exists()  # forked ahead, on a clean build, and warmed up first
    return result, root / "corpus" / ".teikit" / "cache", tmp_path / f"xdg-{name}" / "teikit"


def test_a_clean_build_with_validation_ahead_keeps_the_code_memo_in_the_corpus(tmp_path, monkeypatch):
    """The reviewer's R3: the child ahead's warm-up ran before corpus/tei existed, so the results'
    folder it found (resultcache.folder_for) was the user cache's: the code-digest memo was
    written there, and never in corpus/.teikit/cache/validate, where the validation keeps it."""
    from teikit import resultcache

    result, cache, user = _clean_build(tmp_path, monkeypatch, "r3")
    assert result.exit_code == 0, result.output
    assert not (user / "results").exists()
    assert (cache / "validate" / resultcache.MEMO_NAME).is_file()
    assert list((cache / "validate").glob("*.json"))  # the validation's results beside it


def test_a_clean_build_into_an_empty_tei_folder_keeps_its_caches_private(tmp_path, monkeypatch):
    """The reviewer's R4: with corpus/tei there but empty, the warm-up's memo made
    corpus/.teikit/cache (with the default mode) before the conversion's caches made it 700."""
    result, cache, _user = _clean_build(tmp_path, monkeypatch, "r4", tei=True)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache / "validate").stat().st_mode) == 0o700


def test_a_clean_build_whose_site_fails_keeps_its_validation_results(tmp_path, monkeypatch):
    """When the site cannot be written, corpus/tei and the caches are still written, and so
    are the validation's results, as when the child beside the site validates: the child ahead
    is waited for, not stopped. (Its findings are not said: the site's error is.)"""
    from teikit import build, resultcache
    from teikit.core.errors import OutputError

    def refused(*args, **kwargs):
        raise OutputError("no site here (a test)")

    monkeypatch.setattr(build, "publish", refused)
    result, cache, user = _clean_build(tmp_path, monkeypatch, "site")
    assert result.exit_code != 0 and "no site here (a test)" in result.output
    assert sorted(p.name for p in (cache.parent.parent / "tei").iterdir())  # corpus/tei written
    assert (cache / "validate" / resultcache.MEMO_NAME).is_file()
    assert list((cache / "validate").glob("*.json"))
    assert not (user / "results").exists()


def test_a_clean_build_that_cannot_write_corpus_tei_leaves_no_validation_folder(tmp_path, monkeypatch):
    """corpus/tei there, empty, and not writable (the reviewer's R4, also seen): nothing is
    validated, so nothing is left in corpus/.teikit/cache/validate (the warm-up's memo was)."""
    from teikit import corpusdir
    from teikit.core.errors import OutputError

    def refused(self, files, **kwargs):
        raise OutputError("corpus/tei cannot be written (a test)")

    monkeypatch.setattr(corpusdir.CorpusDir, "write_generated", refused)
    result, cache, user = _clean_build(tmp_path, monkeypatch, "tei", tei=True)
    assert result.exit_code != 0 and "corpus/tei cannot be written (a test)" in result.output
    assert not (cache / "validate").exists() and not (user / "results").exists()
    assert not cache.exists() or stat.S_IMODE(cache.stat().st_mode) == 0o700
