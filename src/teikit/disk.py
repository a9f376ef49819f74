"""The file system, as the application layer hands it to the library (see teikit.core.files).

Application layer: `Disk` reads files, `FolderSink` writes a folder of outputs (each file
through a temporary file, never half-written), `DiskCache` keeps cached bytes in a folder,
`replace_folder` puts a finished folder in place of another in one step.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from teikit.corpusdir import usual_mode, write_atomic


class Disk:
    """`Files` on the local file system."""

    def read(self, path) -> bytes | None:
        try:
            return Path(path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def is_file(self, path) -> bool:
        return Path(path).is_file()

    def real(self, path) -> Path:
        return Path(path).resolve()


class FolderSink:
    """`Sink` writing under `folder`; `written` lists the names, in order."""

    def __init__(self, folder: Path, *, atomic: bool = True):
        self.folder = Path(folder)
        self.atomic = atomic
        self.written: list[str] = []

    def write(self, name: str, data: bytes) -> None:
        target = self.folder / name
        if self.atomic:
            write_atomic(target, data)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, usual_mode())
        self.written.append(name)


class DiskCache:
    """`Cache` in a folder: one file per key (keys are hashed into file names)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / digest[2:]

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        try:
            write_atomic(self._path(key), data)
        except Exception:  # a cache that cannot be written is only slower
            pass


def replace_folder(new: Path, target: Path) -> None:
    """Move the finished folder `new` to `target`, first moving an existing `target` aside
    (beside `new`, as `.<name>-old-<pid>`) and removing it once `new` is in place. `new`
    is made in the folder that holds `target`, so both renames stay on one file system.
    OSError propagates: the caller says what could not be written."""
    old = None
    if target.exists():
        old = new.parent / f".{target.name}-old-{os.getpid()}"
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
