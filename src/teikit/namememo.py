"""The registry's name scan remembered from one conversion to the next.

`Registry.find_names(text, date)` is the costliest step of a conversion and a pure function
of its arguments, the registry and teikit's code. A rebuild after one document was edited
scans the same paragraphs again; this memo answers those from the previous run and scans
only text it has not seen.

The memo is exact: it is used only when its key (the fingerprints of teikit's code and of
the registry folder, teikit.project.conversion_inputs) is the current one, it stores what
the scan returned (start, end, the entry's prefixed reference, one flat list per text:
[start, end, ref, start, end, ref, ...], a third of the objects to unpickle and pickle of a
list per name) and gives back the registry's own entries. It holds the lookups of the last
conversion only, so it does not grow.

It lives in corpus/.teikit/cache/names.pickle (a pickle: read and written in a few
milliseconds, where JSON took 50), beside the conversion's stamp: local state of
this checkout, not committed (a fresh clone simply scans everything once).
Application layer (it reads and writes a file).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from teikit.doccache import load_value, save_value

VERSION = 4  # 3: kept by doccache.save_value; 4: a text's names in one flat list


class NameMemo:
    """Wraps one Registry's find_names; `install()` makes the registry use it."""

    def __init__(self, registry, key: str, known: dict | None = None):
        self.registry = registry
        self.key = key
        self.known: dict[str, list] = known or {}
        self.used: dict[str, list] = {}
        self.hits = 0
        self.misses = 0
        self._scan = registry.find_names  # the registry's own (bound) method

    def find_names(self, text: str, date: str | None = None):
        k = f"{date or ''}\x00{text}"
        hit = self.used.get(k)
        if hit is None:
            hit = self.known.get(k)
            if hit is None:
                self.misses += 1
                hit = [x for s, e, entry in self._scan(text, date) for x in (s, e, entry.ref)]
            else:
                self.hits += 1
            self.used[k] = hit
        get = self.registry.get
        names = iter(hit)
        return [(s, e, get(ref)) for s, e, ref in zip(names, names, names)]

    def mark(self) -> int:
        """A point in this conversion's lookups (see `since`)."""
        return len(self.used)

    def since(self, mark: int) -> list[str]:
        """The lookups first made after `mark` (those of one document's tagging)."""
        return list(itertools.islice(reversed(self.used), len(self.used) - mark))

    def keep(self, keys) -> None:
        """Keep these lookups of the last conversion (a document whose tagging is reused),
        so that the memo still holds them for when that document is tagged again."""
        for k in keys:
            if k not in self.used:
                hit = self.known.get(k)
                if hit is not None:
                    self.used[k] = hit

    def install(self) -> "NameMemo":
        self.registry.find_names = self.find_names  # an instance attribute: shadows the method
        return self

    def uninstall(self) -> None:
        self.registry.__dict__.pop("find_names", None)


def path_of(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "names.pickle"


def load(path: Path, registry, key: str) -> NameMemo:
    """The memo of `path` when it was made under `key`, else an empty one."""
    known = load_value(path, key)
    return NameMemo(registry, key, known if isinstance(known, dict) else None)


def save(path: Path, memo: NameMemo) -> None:
    """Write the lookups of this conversion (only when they differ from what is stored)."""
    if not memo.misses and len(memo.used) == len(memo.known):
        return
    save_value(path, memo.key, memo.used)  # a cache that cannot be written costs time, never a result
