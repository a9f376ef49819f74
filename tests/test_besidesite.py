"""A clean build writes corpus/tei beside the site (teikit.besidesite): the same files, site,
text and messages as writing it first; never when corpus/tei or the site already hold
files; a write that fails leaves no site."""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest
from click.testing import CliRunner

from teikit import besidesite, sitedir
from teikit.beside import start_beside
from teikit.cli import main
from teikit.core.errors import OutputError
from teikit.corpusdir import CorpusDir
from tests.conftest import OTHER, corpus_outputs


def _build(corpus, build_dir):
    return CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--build-dir", str(build_dir)])


def _outputs(build_dir) -> dict[str, bytes]:
    """The site and text files by path (Pagefind's bundle aside: not deterministic)."""
    out = {}
    for sub in ("site", "text"):
        for path in sorted((build_dir / sub).rglob("*")):
            if path.is_file() and "pagefind" not in path.parts:
                out[str(path.relative_to(build_dir))] = path.read_bytes()
    return out


def _said(result, root) -> list[str]:
    text = result.output.replace(str(root), "ROOT")
    return re.sub(r"\d+\.\d+ s", "X s", re.sub(r", \d+\.\d+ s of it beside other work", "", text)).splitlines()


def _clean_build(tmp_path, name, monkeypatch=None, beside=True):
    root = tmp_path / name
    corpus = root / "corpus"
    shutil.copytree(OTHER, corpus)
    held = []
    real = sitedir.build_site

    def spy(*args, **kwargs):
        held.append(kwargs.get("tei_files") is not None)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sitedir, "build_site", spy)
        if not beside:
            mp.setattr(besidesite, "unwritten_ok", lambda *_args: False)
        result = _build(corpus, root / "build")
    assert result.exit_code == 0, result.output
    return root, corpus, result, held


def test_corpus_tei_written_beside_the_site_gives_what_writing_it_first_gives(tmp_path):
    a, corpus_a, result_a, held_a = _clean_build(tmp_path, "beside")
    b, corpus_b, result_b, held_b = _clean_build(tmp_path, "first", beside=False)
    assert held_a == [True] and held_b == [False]  # the site read corpus/tei from memory in a only
    assert corpus_outputs(corpus_a) == corpus_outputs(corpus_b)
    assert _outputs(a / "build") == _outputs(b / "build")
    assert _said(result_a, a) == _said(result_b, b)
    assert CorpusDir(corpus_a).hand_edits() == []
    again = _build(corpus_a, a / "build")  # the stamps of both stages were saved
    assert "up to date" in again.output and "nothing changed" in again.output


def test_only_an_empty_corpus_folder_and_new_site_folders_are_written_beside(tmp_path):
    tei, build = tmp_path / "tei", tmp_path / "build"
    assert besidesite.unwritten_ok(tei, build)  # nothing there yet
    tei.mkdir()
    assert besidesite.unwritten_ok(tei, build)
    (tei / "x.xml.new").write_text("<TEI/>")  # anything in the folder may be an editor's
    assert not besidesite.unwritten_ok(tei, build)
    (tei / "x.xml.new").unlink()
    (build / "site").mkdir(parents=True)  # a site written in place would not wait for corpus/tei
    assert not besidesite.unwritten_ok(tei, build)
    shutil.rmtree(build)
    os.symlink(tmp_path / "elsewhere", tmp_path / "link")
    assert not besidesite.unwritten_ok(tmp_path / "link", build)


def test_a_build_over_an_existing_corpus_writes_it_first(corpus, tmp_path):
    """corpus/tei built already (the fixture), an edit by hand: the conversion writes it
    itself (the merge), the site reads it from the disk."""
    doc = corpus / "tei" / "bdl-1945-03-14.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("wide circulation.", "wide  circulation.", 1),
                   encoding="utf-8")
    (corpus / ".teikit" / "stamp.json").unlink()  # convert again
    held = []
    real = sitedir.build_site
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sitedir, "build_site", lambda *a, **k: held.append(k.get("tei_files")) or real(*a, **k))
        result = _build(corpus, tmp_path / "b")
    assert result.exit_code == 0 and held == [None]
    assert "wide  circulation." in doc.read_text(encoding="utf-8")


def test_a_failed_write_of_corpus_tei_leaves_no_site(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER, corpus)

    def fails(self, files, **_options):
        raise OutputError(f"Cannot write {self.tei_dir}: No space left on device. Choose a writable location.")

    monkeypatch.setattr(CorpusDir, "write_generated", fails)
    result = _build(corpus, tmp_path / "build")
    assert result.exit_code != 0 and "No space left on device" in result.output
    assert "converted" not in result.output and "wrote the site" not in result.output
    assert not (tmp_path / "build" / "site").exists() and not (tmp_path / "build" / "text").exists()
    assert not (corpus / ".teikit" / "stamp.json").exists()


def test_a_failed_write_of_corpus_tei_stops_the_build_early_and_leaves_what_writing_first_leaves(tmp_path):
    """review1-18 F3: as when corpus/tei is written first, a write that fails stops the build
    before the search index, and leaves no deposit records, no build folder, and the id map
    as it was (here: none)."""
    from teikit import sitedir as sitemod

    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER, corpus)
    (corpus / "idmap.json").unlink(missing_ok=True)
    searched = []

    failed = tmp_path / "corpus" / "failed"

    def fails(self, files, **_options):
        failed.write_text("")
        raise OutputError(f"Cannot write {self.tei_dir}: No space left on device. Choose a writable location.")

    real_went = getattr(besidesite.Beside, "went", None)  # (none before review1-18 F3: never told)

    def went_after_the_failure(self):  # the write failed before the site's first document
        while not failed.exists():
            time.sleep(0.01)
        time.sleep(0.1)  # the child has returned its error by then
        return real_went(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(CorpusDir, "write_generated", fails)
        mp.setattr(besidesite.Beside, "went", went_after_the_failure, raising=False)
        mp.setattr(sitemod, "_search", lambda *a, **k: searched.append(1))
        result = _build(corpus, tmp_path / "build")
    assert result.exit_code != 0 and "No space left on device" in result.output
    assert searched == []  # stopped before the site's search index
    failed.unlink()
    assert sorted(os.listdir(tmp_path)) == ["corpus"]  # no CITATION.cff etc., no build/
    assert not (corpus / "idmap.json").exists()


def test_start_beside_gives_the_child_s_value_or_computes_it_here():
    pid = os.getpid()
    assert start_beside(lambda: os.getpid() != pid).join() is True  # in a child (where one can fork)

    def fails_in_the_child():
        if os.getpid() != pid:
            raise RuntimeError("child")
        return "here"

    assert start_beside(fails_in_the_child).join() == "here"
    slow = start_beside(lambda: time.sleep(30))
    slow.stop()  # ended, not waited for


def test_overlap_is_the_part_of_an_interval_during_which_the_child_worked():
    beside = besidesite.Beside(lambda: {})
    got = beside.join()
    assert got["began"] <= got["ended"]
    assert beside.overlap((got["ended"] + 1, got["ended"] + 2)) == 0.0
    assert beside.overlap((got["began"] - 1, got["ended"] + 1)) == pytest.approx(got["ended"] - got["began"])


def _readable_soon(fd) -> bool:
    import select

    return bool(select.select([fd], [], [], 60)[0])


def _readable_now(fd) -> bool:
    import select

    return bool(select.select([fd], [], [], 0)[0])


class _Words:
    """The pipes of the helper tests: release (the work beside may end), said (first() has
    returned), helper (the helper has made an item), here (this process has made one)."""

    def __init__(self):
        self.release_out, self.release_in = os.pipe()
        self.said_out, self.said_in = os.pipe()
        self.helper_out, self.helper_in = os.pipe()
        self.here_out, self.here_in = os.pipe()

    def close(self):
        for fd in vars(self).values():
            os.close(fd)


def _split_after_first(beside, words: _Words):
    """beside.split over 40 items, whose helper may take items only after first() has
    returned here: each item it makes sees first()'s word (first() gives a helper that did
    not wait half a second to make one first). Each process, at its first item, says so and
    waits for the other's word (a minute at most), so both make some."""
    parent = os.getpid()

    def make(item):
        if os.getpid() == parent:
            os.write(words.here_in, b"h")
            return ("here", _readable_soon(words.helper_out))
        seen = _readable_now(words.said_out)
        os.write(words.helper_in, b"m")
        _readable_soon(words.here_out)
        return ("helper", seen)

    def first():
        import select

        select.select([words.helper_out], [], [], 0.5)  # no item is made meanwhile: the helper waits
        os.write(words.said_in, b"f")
        return "first"

    return beside.split(make, list(range(40)), first)


def _made_by_both_after_first(made, ours) -> None:
    assert ours == "first" and {who for who, _ in made} == {"here", "helper"}
    assert all(seen for _who, seen in made)


def test_the_site_s_helper_takes_pages_once_first_has_returned_while_the_child_beside_works():
    """Beside.split: the child beside works on (until told at the end); the site's helper
    takes items only after first() has returned here (_split_after_first)."""
    words = _Words()

    def work():
        _readable_soon(words.release_out)
        return {}

    beside = besidesite.Beside(work)
    made, ours = _split_after_first(beside, words)
    os.write(words.release_in, b"r")
    beside.join()
    _made_by_both_after_first(made, ours)
    words.close()


def test_the_site_s_helper_waits_for_the_validation_child_forked_ahead_too():
    """Beside(after=[ahead]): the child beside is done at once, the one forked ahead
    (besidesite.Ahead: validation) works on until told at the end; the helper takes items
    only after first() has returned here, as when the child beside itself works on."""
    words = _Words()
    ahead = besidesite.Ahead(lambda told: None, lambda message: {"v": _readable_soon(words.release_out)})
    ahead.send({})
    beside = besidesite.Beside(lambda: {}, after=[ahead, None])
    made, ours = _split_after_first(beside, words)
    os.write(words.release_in, b"r")
    assert ahead.join()["v"] is True
    beside.join()
    _made_by_both_after_first(made, ours)
    words.close()


def test_the_site_s_helper_takes_pages_once_the_child_beside_is_done_while_first_runs():
    """The child beside is done at once: the helper makes items while first() still runs
    here (first() waits for one of them, a minute at most)."""
    made_out, made_in = os.pipe()
    parent = os.getpid()
    beside = besidesite.Beside(lambda: {})

    def make(item):
        if os.getpid() != parent:
            os.write(made_in, b"m")
        return item * 2

    made, ours = beside.split(make, list(range(40)), lambda: _readable_soon(made_out))
    beside.join()
    assert made == [i * 2 for i in range(40)] and ours is True
    os.close(made_out)
    os.close(made_in)


def test_a_site_that_fails_on_a_clean_build_leaves_corpus_tei_written_in_full(tmp_path, monkeypatch):
    """As when corpus/tei is written first: the conversion is written and said (its stamp
    kept), then the site's error; no site."""
    from teikit.core.errors import InputError
    from teikit.transform import site

    _root, written_first, _result, _held = _clean_build(tmp_path, "first", beside=False)
    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER, corpus)

    def fails(*_args, **_kwargs):
        raise InputError("the site's stylesheet cannot be read. Reinstall teikit.")

    monkeypatch.setattr(site, "render_site", fails)
    result = _build(corpus, tmp_path / "build")
    assert result.exit_code != 0 and "stylesheet cannot be read" in result.output
    assert result.output.index("converted 3 documents") < result.output.index("stylesheet cannot be read")
    assert corpus_outputs(corpus) == corpus_outputs(written_first)
    assert (corpus / ".teikit" / "stamp.json").exists() and not (tmp_path / "build" / "site").exists()


def test_a_child_beside_that_is_killed_is_an_error_and_its_work_is_not_done_here(tmp_path):
    import signal

    from teikit.beside import WorkerError

    done_here = []

    def work():
        if os.getpid() == pid:
            done_here.append(True)  # would write corpus/tei again over what the child left
        os.kill(os.getpid(), signal.SIGKILL)
        return {}

    pid = os.getpid()
    beside = besidesite.Beside(work)
    for _ in range(2):
        with pytest.raises(WorkerError) as raised:
            beside.join()
        # worded for `teikit build`, which has no --jobs (review1-18 F2)
        assert "--jobs" not in str(raised.value) and "Run `teikit build` again." in str(raised.value)
        assert "killed by signal 9 (SIGKILL)" in str(raised.value)
    assert done_here == []


def test_the_site_reads_the_held_files_of_the_corpus_folder_by_any_spelling_of_their_path(tmp_path):
    from teikit.disk import Disk

    tei = tmp_path / "corpus" / "tei"
    (tmp_path / "corpus" / "other.xml").parent.mkdir(parents=True)
    (tmp_path / "corpus" / "other.xml").write_bytes(b"on disk")
    held = sitedir._Pending(Disk(), tei, {"a.xml": b"held"})
    for spelling in (tei / "a.xml", str(tei) + "/./a.xml", tei / ".." / "tei" / "a.xml"):
        assert held.read(spelling) == b"held" and held.is_file(spelling)
    assert held.read(tmp_path / "corpus" / "other.xml") == b"on disk"  # not the folder's: the disk
    assert held.read(tei / "b.xml") is None and not held.is_file(tei / "b.xml")


def test_a_file_that_lands_in_corpus_tei_during_the_conversion_gives_what_writing_it_first_gives(tmp_path):
    """review1-18 F6: corpus/tei found empty, then an editor's file lands there before it is
    written (git checkout, an editor's save): kept as a conflict, and the site, text and
    messages are those of a build that writes corpus/tei first and reads it from the disk."""
    ref, _c, _r, _h = _clean_build(tmp_path, "ref", beside=False)
    name = sorted(p.name for p in (ref / "corpus" / "tei").glob("*.xml") if p.name != "corpus.xml")[0]
    text = (ref / "corpus" / "tei" / name).read_text(encoding="utf-8")
    edited = re.sub(r"(<p[ >][^<]*?)(\w+)", r"\1EDITOR WAS HERE \2", text, count=1)
    assert edited != text
    outputs, said = {}, {}
    for how in ("lands", "first"):
        root = tmp_path / how
        corpus = root / "corpus"
        shutil.copytree(OTHER, corpus)
        (corpus / "tei").mkdir(exist_ok=True)
        real = besidesite.unwritten_ok
        with pytest.MonkeyPatch.context() as mp:
            if how == "lands":
                def decided_then_lands(tei_dir, build_dir):
                    ok = real(tei_dir, build_dir)
                    (corpus / "tei" / name).write_text(edited, encoding="utf-8")
                    return ok
                mp.setattr(besidesite, "unwritten_ok", decided_then_lands)
            else:
                (corpus / "tei" / name).write_text(edited, encoding="utf-8")
            result = _build(corpus, root / "build")
        assert result.exit_code == 1, result.output
        assert (corpus / "tei" / name).read_text(encoding="utf-8") == edited  # the editor's file kept
        outputs[how] = (corpus_outputs(corpus), _outputs(root / "build"))
        said[how] = _said(result, root)
    assert said["lands"] == said["first"]
    assert any("edited by hand" in line for line in said["lands"])
    assert outputs["lands"] == outputs["first"]
    assert any(b"EDITOR WAS HERE" in data for data in outputs["lands"][1].values())
