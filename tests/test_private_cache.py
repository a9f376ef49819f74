"""The build's caches are pickles, and a pickle runs code when it is loaded: teikit loads a cache
file only when no other user can have written it (teikit.disk.unpickle_private)."""

from __future__ import annotations

import os
import pickle

import pytest

from teikit.disk import unpickle_private


def test_a_private_cache_file_is_loaded(tmp_path):
    path = tmp_path / "c.pickle"
    path.write_bytes(pickle.dumps({"a": 1}))
    os.chmod(path, 0o644)
    assert unpickle_private(path) == {"a": 1}


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_file_anyone_could_have_written_is_not_loaded(tmp_path, where):
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "c.pickle"
    path.write_bytes(pickle.dumps({"a": 1}))
    os.chmod(path if where == "file" else folder, 0o777 if where == "folder" else 0o664)
    with pytest.raises(FileNotFoundError):
        unpickle_private(path)


def test_a_folder_is_not_a_cache_file(tmp_path):
    with pytest.raises(OSError):
        unpickle_private(tmp_path)


def test_the_build_starts_afresh_from_a_cache_others_could_write(tmp_path):
    """doccache.load treats a world-writable cache as missing: an empty cache, not an error."""
    from teikit import doccache

    path = tmp_path / "documents.pickle"
    path.write_bytes(pickle.dumps({"version": doccache.VERSION, "base": "b", "entries": {"k": b"v"}}))
    os.chmod(path, 0o644)
    assert doccache.load(path, "b").known == {"k": b"v"}
    os.chmod(path, 0o666)
    assert doccache.load(path, "b").known == {}


def test_a_symbolic_link_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere.pickle"
    target.write_bytes(pickle.dumps(1))
    link = tmp_path / "c.pickle"
    link.symlink_to(target)
    with pytest.raises(FileNotFoundError):
        unpickle_private(link)


def test_caches_are_written_for_the_user_alone_whatever_the_umask(tmp_path):
    from teikit.disk import read_private, write_private

    old = os.umask(0o002)
    try:
        write_private(tmp_path / "new" / "c.bin", b"data")
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "new" / "c.bin").st_mode & 0o777 == 0o600
    assert read_private(tmp_path / "new" / "c.bin") == b"data"


def _modes(folder) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mode & 0o777 for p in sorted(folder.rglob("*")) if p.is_dir()}


def test_the_corpus_cache_folder_is_private_whatever_writes_in_it_first(corpus):
    """P6: corpus/.teikit/cache is 700 as a first build's caches make it, also when the
    validation's results (cache/validate) come first: `teikit validate corpus/tei` on a clone
    (.teikit/base committed, no cache), or a first build with only .gitkeep in corpus/tei
    (its validation child writes teikit's code digest before the conversion's caches are
    written); the folders above it keep the usual mode."""
    import shutil
    import subprocess
    import sys

    assert _modes(corpus / ".teikit")["cache"] == 0o700
    shutil.rmtree(corpus / ".teikit" / "cache")
    env = {k: v for k, v in os.environ.items() if k != "TEIKIT_CACHE"}  # results kept in the corpus
    done = subprocess.run([sys.executable, "-m", "teikit", "validate", str(corpus / "tei")], env=env,
                          capture_output=True, text=True)  # a fresh process: nothing of this one's memos
    assert done.returncode == 0, done.stdout + done.stderr
    modes = _modes(corpus / ".teikit")
    assert modes["cache"] == 0o700 and modes["cache/validate"] == 0o700


def test_new_folders_down_from_the_private_one_are_private(tmp_path):
    from teikit.disk import read_private, write_private

    old = os.umask(0o022)
    try:
        write_private(tmp_path / "state" / "cache" / "results" / "c.json", b"{}", tmp_path / "state" / "cache")
    finally:
        os.umask(old)
    assert _modes(tmp_path) == {"state": 0o755, "state/cache": 0o700, "state/cache/results": 0o700}
    assert read_private(tmp_path / "state" / "cache" / "results" / "c.json") == b"{}"
