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
    os.chmod(path if where == "file" else folder, 0o777 if where == "folder" else 0o666)
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
