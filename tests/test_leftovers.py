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
