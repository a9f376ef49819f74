"""What one run of `teikit validate` read, as the result cache keeps it (application layer):
the disk's answers, each asked once per run (`Probe`), and the `Files` handed to the library
that notes each question with its answer (`Recorder`). teikit.resultcache keeps an entry's
findings with these notes, and uses them only while every answer still holds."""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path


class Probe:
    """The current answers of the disk, each asked once per run: the sha256 of a file's bytes
    (the bytes are kept for the run, so the library reads what was hashed), whether a path
    is a file, its real path, a folder's listing. A document's sha256 (one of `documents`)
    is a `Digest`, computed when first needed: by the run's worker, beside the per-file work
    (`digests`, then `settle`), rather than here before the work is shared out."""

    def __init__(self, disk, listing, documents=()):
        self.disk, self.listing = disk, listing
        self.documents = frozenset(documents)
        self.data: dict = {}
        self.read_by: dict = {}  # path -> (the process that read its bytes, the read's number)
        self.answers: dict = {}

    def bytes(self, path: str):
        if path not in self.data:
            self.data[path] = self.disk.read(path)
            self.read_by[path] = (os.getpid(), len(self.read_by))
        return self.data[path]

    def answer(self, op: str, path: str):
        key = (op, path)
        if key not in self.answers:
            if op == "read":
                data = self.bytes(path)
                value = None if data is None else Digest(data) if path in self.documents \
                    else hashlib.sha256(data).hexdigest()
            elif op == "is_file":
                value = bool(self.disk.is_file(path))
            elif op == "real":
                value = str(self.disk.real(path))
            elif op == "list":
                value = [str(p) for p in self.listing(path)]
            else:
                value = ("unknown op", op)  # never equal to what was stored
            self.answers[key] = value
        return self.answers[key]

    def holds(self, deps) -> bool:
        """Does every recorded answer still hold?"""
        try:
            return all(self.answer(op, path) == value for op, path, value in deps)
        except (TypeError, ValueError, OSError):
            return False

    def digests(self) -> dict:
        """In a worker: {path: (read, sha256)} of the documents whose bytes it holds as its
        parent read them (read by another process: before the fork; the very bytes the run
        read and holds, so the same digest), with which read of the parent's it was. What it
        read itself, or no one has read, is left out: the run hashes what it reads itself."""
        me = os.getpid()
        return {p: (self.read_by[p], hashlib.sha256(self.data[p]).hexdigest()) for p in self.documents
                if self.data.get(p) is not None and self.read_by[p][0] != me}

    def settle(self, digests: dict) -> None:
        """Put in place the digests a worker gave (`digests`) for the documents this process
        read in that very read (the same process and number: a read before the worker's fork;
        a path is read once per Probe). Any other is not taken (computed here when used)."""
        for path, (read, hexdigest) in digests.items():
            pending = self.answers.get(("read", path))
            if isinstance(pending, Digest) and pending.hex is None and self.read_by.get(path) == tuple(read) \
                    and pending.data is self.data.get(path):
                pending.settle(hexdigest)


class Digest:
    """The sha256 (hex) of one document's bytes, computed on first use (`str(d)`, a
    comparison, a pickle, which sends the hex string) unless a worker's digest of the same
    bytes is put in place first (`settle`)."""

    __slots__ = ("data", "hex")

    def __init__(self, data: bytes):
        self.data, self.hex = data, None

    def __str__(self) -> str:
        if self.hex is None:
            self.settle(hashlib.sha256(self.data).hexdigest())
        return self.hex

    def settle(self, hexdigest: str) -> None:
        self.hex, self.data = hexdigest, None

    def __eq__(self, other) -> bool:
        return str(self) == (str(other) if isinstance(other, Digest) else other)

    __hash__ = None

    def __reduce__(self):
        return (str, (str(self),))


def _plain(value):
    """An answer as it is kept: a Digest as its hex string."""
    return str(value) if isinstance(value, Digest) else value


class Recorder:
    """The `Files` handed to the library for a run (teikit.core.files.Files): answers from
    the `Probe`, and notes each question with its answer."""

    def __init__(self, probe: Probe):
        self.probe = probe
        self.asked: dict = {}  # (op, path) -> answer, in the order first asked

    def _note(self, op, path):
        path = str(path)
        value = self.probe.answer(op, path)
        self.asked.setdefault((op, path), value)
        return path, value

    def read(self, path):
        path, value = self._note("read", path)
        return None if value is None else self.probe.bytes(path)

    def is_file(self, path) -> bool:
        return self._note("is_file", path)[1]

    def real(self, path):
        return Path(self._note("real", path)[1])

    def listing(self, folder):
        return self._note("list", folder)[1]

    # what a forked worker noted comes back to the run's Recorder (teikit.beside.share_out)
    def mark(self) -> int:
        return len(self.asked)

    def since(self, mark: int) -> list:
        if len(self.asked) == mark:  # the usual case: a file's own layers read nothing new
            return []
        return [(k, _plain(v)) for k, v in itertools.islice(self.asked.items(), mark, None)]

    def merge(self, notes) -> None:
        for key, value in notes or ():
            self.asked.setdefault(key, value)

    def deps(self) -> list:
        """What was asked, with the answers, sorted (the same whatever process asked first)."""
        return [[op, path, _plain(value)] for (op, path), value in sorted(self.asked.items(), key=lambda kv: kv[0])]


