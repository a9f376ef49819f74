"""Writing generated files leaves no temporary file behind: not when the write is stopped
(an error, Ctrl-C), and not for good when a killed process left one (the next write sweeps it)."""

from __future__ import annotations

import os

import pytest

from teikit import corpusdir
from teikit.corpusdir import CorpusDir, sweep, write_atomic


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError])
def test_a_stopped_write_removes_its_temporary_file(tmp_path, monkeypatch, stop):
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")

    def replace(*_args):
        raise stop(28, "No space left on device")

    monkeypatch.setattr(corpusdir.os, "replace", replace)
    with pytest.raises((KeyboardInterrupt, corpusdir.OutputError)):
        write_atomic(target, b"new")
    assert sorted(os.listdir(tmp_path)) == ["a.xml"]
    assert target.read_bytes() == b"old"


def test_leftovers_of_a_killed_write_are_swept_and_nothing_else(tmp_path):
    corpus = CorpusDir(tmp_path)
    tei = corpus.tei_dir
    tei.mkdir()
    corpus.base_path("x").parent.mkdir(parents=True)
    leftovers = [tei / ".a.xml-k3j_x9z0", tei / ".a.xml.new-0123abcd", corpus.base_path(".a.xml-zz00aa11"),
                 tmp_path / ".manifest.json-abcdefgh"]
    kept = [tei / ".notes-abcdefgh", tei / ".b.xml-abcdefgh", tei / ".a.xml-abc", tei / ".a.xml-ABCDEFGH",
            tei / "a.xml-abcdefgh"]
    for path in leftovers + kept:
        path.write_bytes(b"x")
    corpus.write_generated({"a.xml": b"<TEI/>\n"})
    assert not [p for p in leftovers if p.exists()]
    assert all(p.exists() for p in kept)  # not a name teikit writes there, or not mkstemp's form
    assert (tei / "a.xml").read_bytes() == b"<TEI/>\n"


def test_sweep_of_a_missing_folder_is_nothing(tmp_path):
    assert sweep(tmp_path / "nowhere", {"a.xml"}) == []


def test_a_running_writes_temporary_is_not_swept(tmp_path):
    """write_atomic names its temporary file with its pid: a sweep removes a gone process's
    and leaves a running one's (two builds at once), and still those named without a pid."""
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    gone = [tmp_path / f".a.xml-{dead}-abcd1234", tmp_path / ".a.xml-efgh5678"]
    running = tmp_path / f".a.xml-{os.getppid()}-ijkl9012"
    for path in gone + [running]:
        path.write_bytes(b"x")
    assert sweep(tmp_path, {"a.xml"}) == sorted(p.name for p in gone)
    assert running.exists()


def test_write_atomic_names_its_temporary_file_with_its_pid(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(corpusdir.os, "replace", lambda tmp, _path: seen.append(os.path.basename(tmp)))
    write_atomic(tmp_path / "a.xml", b"new")
    assert len(seen) == 1 and seen[0].startswith(f".a.xml-{os.getpid()}-") and len(seen[0]) == len(f".a.xml-{os.getpid()}-") + 8
