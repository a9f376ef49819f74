"""What a library function is handed when it must read or write more than its arguments.

Library code (core, convert, validate, transform, publish) never opens a file, lists a folder
or reads the environment. Where it must read more than the bytes, strings and trees it was
given (an XInclude target, the schema a `<?xml-model?>` names, a catalog, a stylesheet's
`xsl:import`, a cached pruned grammar) it asks a `Files` object; where it produces many files
(a site, a bag) it hands them to a `Sink`; what it may keep between runs goes in a `Cache`.
The application layer (teikit.disk) passes the implementations on the file system;
`MemoryFiles`, `MemorySink` and `NoCache` here serve dicts, for tests and for API users who
hold their documents in memory.
"""

from __future__ import annotations

import posixpath
from pathlib import PosixPath, PurePath, PurePosixPath
from typing import Protocol, runtime_checkable


@runtime_checkable
class Files(Protocol):
    """Read access to named files (local paths; never the network)."""

    def read(self, path) -> bytes | None:
        """The file's bytes, or None when there is no such file (or it is a folder)."""

    def is_file(self, path) -> bool:
        """Whether `path` names a readable file."""

    def real(self, path) -> PurePath:
        """`path` made absolute with symbolic links resolved: what a path check compares."""


@runtime_checkable
class Sink(Protocol):
    """Where a producer of many files puts them, by path relative to the sink's folder."""

    def write(self, name: str, data: bytes) -> None:
        """Store `data` as `name` (a relative POSIX path), replacing what was there."""


@runtime_checkable
class Cache(Protocol):
    """Bytes kept between runs under a key (a hash of everything the value depends on)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


_POSIX = type(PurePath("a")) is PurePosixPath  # PurePath(x) makes POSIX paths here
_POSIX_KINDS = (str, PurePosixPath, PosixPath)  # whose str a PurePosixPath keeps, up to normpath


class MemoryFiles:
    """`Files` over a dict {path: bytes}; paths are compared as normalised POSIX strings."""

    def __init__(self, files: dict | None = None):
        self.files = {self._key(k): v for k, v in (files or {}).items()}

    @staticmethod
    def _key(path) -> str:
        if _POSIX and type(path) in _POSIX_KINDS:  # (what the line below gives, without the Paths)
            return posixpath.normpath(str(path))
        return posixpath.normpath(PurePosixPath(PurePath(path)).as_posix())

    def read(self, path) -> bytes | None:
        return self.files.get(self._key(path))

    def is_file(self, path) -> bool:
        return self._key(path) in self.files

    def real(self, path) -> PurePath:
        """Relative names live under /memory: one that climbs out (`../secret.xml`) is
        outside it, as on disk, so a path check refuses it."""
        key = self._key(path)
        return PurePosixPath(key if key.startswith("/") else posixpath.normpath(f"/memory/{key}"))


class MemorySink:
    """`Sink` into a dict {name: bytes}."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def write(self, name: str, data: bytes) -> None:
        self.files[name] = bytes(data)


class NoCache:
    """A `Cache` that keeps nothing."""

    def get(self, key: str) -> bytes | None:
        return None

    def put(self, key: str, data: bytes) -> None:
        return None
