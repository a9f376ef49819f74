"""What an earlier site build worked out from inputs that did not change: the `Memo`.

A site build reads every TEI file, but most of what it derives from one is a function of
that file's bytes alone (its facts for the listings, its slim copy for the corpus pages,
its citation under a configuration, its search record, its deflated bytes in tei.zip).
The memo keeps those values between builds, each under a key that names everything it is
made from (the file's name and sha256, the configuration's digest, the registry names'
digest, zlib's version ...), so that a value found under its key is the value the same
code would compute again. The code itself is not in the keys: the application layer
(teikit.sitedir) keeps a memo for one digest of teikit's code and starts an empty one
when it changes. Values are plain data (dicts, tuples, str, bytes) and are never changed
by their users.
"""

from __future__ import annotations

from typing import Callable, Hashable


class Memo:
    """Values by key: `old`, what the earlier build kept; `kept`, what this build used (the
    next build's `old`), so that the memo holds only what the last build needed."""

    def __init__(self, old: dict | None = None):
        self.old = old if isinstance(old, dict) else {}
        self.kept: dict = {}
        self.hits = 0
        self.misses = 0

    def carry(self, current: set[str]) -> None:
        """Keep for the next build the earlier entries this one did not ask for that are made
        from a file still present (a part of the key is one of the `current` sha256s), unless
        this build kept another variant of the same kind for the same file (the first three
        parts of the key: kind, name or digest, digest): a rebuild after a build that needed
        little (one page) still finds the rest."""
        fresh = {k[:3] for k in self.kept}
        for k, value in self.old.items():
            if k not in self.kept and k[:3] not in fresh and any(part in current for part in k):
                self.kept[k] = value

    def get(self, key: Hashable, make: Callable[[], object]):
        """The value kept under `key`, else `make()` (kept for the next build)."""
        if key in self.kept:
            return self.kept[key]
        if key in self.old:
            value = self.old[key]
            self.hits += 1
        else:
            value = make()
            self.misses += 1
        self.kept[key] = value
        return value
