"""What a build killed while it wrote (SIGKILL) leaves behind: the temporary files of its
caches and its new site and text folders. A later build removes them once the process that
wrote them is gone, and never what a running build is writing (two builds at once)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit.cli import main

# a process that writes a cache file with teikit.disk.write_private and is killed before the
# rename (its temporary file as a SIGKILL leaves it), or that waits there (a running build)
_WRITER = """
import os, sys, time
from pathlib import Path
from teikit import corpusdir, disk
how = sys.argv[2]
def stop(_tmp, _path):
    if how == "killed":
        os._exit(9)
    print("writing", flush=True)
    time.sleep(60)
os.replace = stop
(corpusdir.write_atomic if sys.argv[3:] == ["atomic"] else disk.write_private)(Path(sys.argv[1]), b"half a file")
"""


def _killed_writer(path: Path, *how: str) -> None:
    done = subprocess.run([sys.executable, "-c", _WRITER, str(path), "killed", *how], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def _dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout)


def test_a_later_build_removes_the_caches_temporaries_a_killed_build_left(corpus):
    cache = corpus / ".teikit" / "cache"
    for path in (cache / "documents.pickle", cache / "validate" / "code-digest.memo"):
        _killed_writer(path)
        assert len(_temporaries(path.parent)) == 1
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    assert _temporaries(cache) == [] and _temporaries(cache / "validate") == []


def test_a_running_builds_temporary_is_left_alone(corpus):
    cache = corpus / ".teikit" / "cache"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(cache / "documents.pickle"), "waits"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        (left,) = _temporaries(cache)
        result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
        assert result.exit_code == 0, result.output
        assert _temporaries(cache) == [left]
    finally:
        writer.kill()
        writer.wait()


def test_an_unnumbered_temporary_goes_only_when_old(tmp_path):
    """A temporary file named as teikit named them before they held the pid: no process to
    ask, so only one nobody touched for an hour is taken as a killed build's."""
    from teikit.disk import UNNUMBERED_STALE_S, remove_stale_private

    old, recent = tmp_path / ".documents.pickle-abcd1234.tmp", tmp_path / ".names.pickle-efgh5678.tmp"
    other = tmp_path / ".notes-abcd1234.txt"
    for path in (old, recent, other):
        path.write_bytes(b"x")
    then = time.time() - UNNUMBERED_STALE_S - 60
    os.utime(old, (then, then))
    os.utime(other, (then, then))
    assert remove_stale_private(tmp_path) == [old.name]
    assert recent.exists() and other.exists()


def test_only_the_names_asked_for_and_only_files(tmp_path):
    from teikit.disk import remove_stale_private

    dead = _dead_pid()
    mine, theirs = tmp_path / f"..memo.pickle-{dead}-abcd1234.tmp", tmp_path / f".notes-{dead}-abcd1234.tmp"
    for path in (mine, theirs):
        path.write_bytes(b"x")
    folder = tmp_path / f"..memo.pickle-{dead}-efgh5678.tmp"
    folder.mkdir()
    assert remove_stale_private(tmp_path, {".memo.pickle"}) == [mine.name]
    assert theirs.exists() and folder.is_dir()


@pytest.fixture()
def built(tmp_path):
    """The test compilation built with its site (build/site, build/text)."""
    target = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "data" / "sources" / "other-compilation", target)
    build_dir = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--corpus", str(target), "--build-dir", str(build_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    return target, build_dir


def test_a_later_build_removes_the_site_folders_a_killed_build_left(built):
    """Even one whose site and text are in place (not written afresh beside them)."""
    corpus, build_dir = built
    dead = _dead_pid()
    stale = [build_dir / f".site-new-{dead}-abcd1234", build_dir / f".text-new-{dead}-efgh5678",
             build_dir / f".site-old-{dead}"]
    for folder in stale:
        (folder / "doc").mkdir(parents=True)
        (folder / "doc" / "a.html").write_text("half", encoding="utf-8")
    live = build_dir / f".site-new-{os.getpid()}-ijkl9012"
    live.mkdir()
    _killed_writer(build_dir / ".teikit-site-memo.pickle")
    for path in (build_dir / ".teikit-stamp.json", build_dir / "manifest.json", corpus / ".teikit" / "stamp.json"):
        _killed_writer(path, "atomic")
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--build-dir", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert "0 outputs transformed" in result.output
    assert not any(folder.exists() for folder in stale)
    assert live.is_dir()
    assert _temporaries(build_dir) == []
    assert sorted(p.name for p in build_dir.glob(".*")) == sorted([".teikit-site-memo.pickle", ".teikit-stamp.json", live.name])
    assert not [p for p in (corpus / ".teikit").glob(".stamp.json-*")]


# a build (argv: corpus, build folder) SIGKILLed with its children when it renames the first
# temporary file of a page into an existing build/site (an incremental build, pages in place)
_KILLED_BUILD = """
import os, signal, sys
from teikit.cli import main
site = os.path.join(sys.argv[2], "site") + os.sep
real = os.replace
def replace(src, dst, *args, **kwargs):
    if str(dst).startswith(site) and os.path.basename(str(src)).startswith("."):
        os.killpg(0, signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
main(["build", "--corpus", sys.argv[1], "--build-dir", sys.argv[2], "--quiet"])
"""


def _hidden_below(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*"))


def test_a_later_build_removes_the_page_temporaries_a_build_killed_in_place_left(built):
    corpus, build_dir = built
    (build_dir / "site" / "index.html").unlink()  # made again, in place, by the next build
    done = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(corpus), str(build_dir)],
                          capture_output=True, text=True, start_new_session=True)
    assert done.returncode == -9, done.stderr
    left = _hidden_below(build_dir / "site")
    assert len(left) == 1 and left[0].startswith(".index.html-"), left  # what a kill leaves there
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--build-dir", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert _hidden_below(build_dir / "site") == [] and _hidden_below(build_dir / "text") == []
    assert (build_dir / "site" / "index.html").is_file()
    assert not [p for p in build_dir.iterdir() if "-writing-" in p.name]


def test_an_in_place_writers_mark_sweeps_only_dead_pids_temporaries(tmp_path):
    from teikit.disk import remove_leftovers, writing_in_place

    dead, live = _dead_pid(), os.getpid()
    site = tmp_path / "site"
    (site / "letters").mkdir(parents=True)
    gone = [site / f".index.html-{dead}-abcd1234", site / "letters" / f".a.html-{dead}-efgh_678"]
    kept = [site / f".b.html-{live}-ijkl9012", site / ".hidden-abcd1234", site / f".user-{dead}-notmkstemp",
            site / "letters" / "a.html"]
    for path in gone + kept:
        path.write_text("x", encoding="utf-8")
    assert remove_leftovers(tmp_path, "site") == []  # no mark: the folder is not looked through
    assert all(p.exists() for p in gone)
    mark = tmp_path / f".site-writing-{dead}"
    mark.touch()
    remove_leftovers(tmp_path, "site")
    assert not any(p.exists() for p in gone) and all(p.exists() for p in kept)
    assert mark.exists()  # kept while a running process still has a temporary file there
    kept[0].unlink()
    remove_leftovers(tmp_path, "site")
    assert not mark.exists()
    with writing_in_place(site):
        assert (tmp_path / f".site-writing-{live}").is_file()
    assert not (tmp_path / f".site-writing-{live}").exists()


def test_html_into_an_existing_folder_removes_what_a_killed_run_left(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = _dead_pid()
    left = out / f".letter.html-{dead}-abcd1234"
    left.write_text("half", encoding="utf-8")
    (tmp_path / f".out-writing-{dead}").touch()
    from teikit.rendering import transform_files

    sample = sorted((Path(__file__).parent.parent / "corpus" / "tei").glob("*.xml"))[0]
    transform_files([sample], out, fmt="text")
    assert not left.exists() and not list(tmp_path.glob(".out-writing-*"))
    assert (out / (sample.stem + ".txt")).is_file()
