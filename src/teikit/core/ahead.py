"""Work done ahead of time, handed out once where the same inputs give the same result.

A process that has time before its real work (teikit.build starts its validation child
while the conversion runs) can parse the files it will read and load the schemas it will
use. What it made is held here under the call's own arguments and handed out to the first
call with the same arguments only when its inputs are provably the same:

* `parsed(data, filename, max_bytes)` (teikit.core.xmlsafe.parse_bytes): the tree and the
  findings of bytes equal to those parsed ahead. Parsing is a function of the bytes, the
  name and the limit (a new parser each time), so the result is the one a parse now gives.
* `loaded(kind, key, files)` (teikit.validate.schematron.load): a value made by a function
  of what it asked of its `Files` alone. Every question it asked (read, is_file, real) is
  asked again, in the same order, of the `Files` of the call; only when every answer is
  the same is the value handed out. The questions are asked as the function would ask
  them, so whatever notes them (teikit.resultcache's Recorder) notes the same.

* `facts(root)` (teikit.validate.xdocfacts.facts): the cross-document facts of a tree parsed
  ahead, computed from that very tree (the same object: `is`, not equality) and held only
  for a tree the validation never changes (xdocfacts.facts_ahead says which), so they are
  the facts the validation would compute from it.

Each value is handed out once (taken, not copied: nothing else holds it, and the caller may
change it, as it may change what it makes itself) and never made visible to a process that
did not make it (it lives in this process's memory only). `drop()` forgets what is held.
"""

from __future__ import annotations

_PARSED: dict = {}  # (filename, max_bytes) -> (data, result)
_LOADED: dict = {}  # (kind, key) -> (notes, value)
_FACTS: dict = {}  # id(root) -> (root, facts): the root is held, so its id is not reused meanwhile


def hold_parsed(data: bytes, filename, max_bytes: int, result) -> None:
    """Keep parse_bytes's `result` for `data` under (filename, max_bytes)."""
    _PARSED[(filename, max_bytes)] = (data, result)


def parsed(data: bytes, filename, max_bytes: int):
    """The result held for (filename, max_bytes) when it was made from bytes equal to
    `data` (taken: a second call parses); None otherwise."""
    if not _PARSED:
        return None
    hit = _PARSED.pop((filename, max_bytes), None)
    return hit[1] if hit is not None and hit[0] == data else None


class Noting:
    """`Files` that asks `files` and notes every question with its answer, in order."""

    def __init__(self, files):
        self.files = files
        self.notes: list = []

    def read(self, path):
        data = self.files.read(path)
        self.notes.append(("read", path, data))
        return data

    def is_file(self, path) -> bool:
        answer = self.files.is_file(path)
        self.notes.append(("is_file", path, answer))
        return answer

    def real(self, path):
        answer = self.files.real(path)
        self.notes.append(("real", path, answer))
        return answer


def hold_loaded(kind: str, key, notes: list, value) -> None:
    """Keep `value`, made from the answers `notes` (a Noting's), under (kind, key)."""
    _LOADED[(kind, key)] = (notes, value)


def loaded(kind: str, key, files):
    """The value held under (kind, key) when `files` answers every noted question as noted
    (asked again in order; the first different answer ends the replay: the caller then
    makes the value itself, asking anew); None otherwise. Taken: a second call makes it."""
    if not _LOADED:
        return None
    hit = _LOADED.pop((kind, key), None)
    if hit is None:
        return None
    notes, value = hit
    for op, path, answer in notes:
        try:
            again = getattr(files, op)(path)
        except OSError:
            return None
        if again != answer or type(again) is not type(answer):
            return None
    return value


def hold_facts(root, facts) -> None:
    """Keep `facts`, computed from the tree whose root element is `root`."""
    _FACTS[id(root)] = (root, facts)


def facts(root):
    """The facts held for this very root element (taken: a second call computes); None
    otherwise."""
    if not _FACTS:
        return None
    hit = _FACTS.get(id(root))
    if hit is None or hit[0] is not root:
        return None
    del _FACTS[id(root)]
    return hit[1]


def drop() -> None:
    _PARSED.clear()
    _LOADED.clear()
    _FACTS.clear()
