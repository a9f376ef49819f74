"""Answers of pure functions kept from one conversion to the next.

Some steps of a conversion are pure functions of a few values and cost more than their
answers do to keep: the dates read in a line (teikit.convert.dates.find_dates), the match of
the contents to the documents (teikit.convert.readers.toc.match_toc). A build after a one-word
edit asks them the same questions as the build before. While a `Memo` is `installed`, such a
function looks its question up (`get`) before it works out the answer, and records it (`put`).

Exact by construction: a function records an answer under a key that holds every value the
answer depends on, and under its own table name; the application layer keeps a Memo under
the fingerprint of teikit's code (so a change of any function's code drops every answer),
and hands in only the one kept under the current fingerprint. Keys and answers must be
values that pickle and compare by value (str, int, tuples, frozen dataclasses...). A
function must hand each caller its own copy of a mutable answer.

A library module: the application layer stores `used` and hands it back as `known`.
"""

from __future__ import annotations

import contextlib
import contextvars

_MEMO: contextvars.ContextVar["Memo | None"] = contextvars.ContextVar("run_memo", default=None)


class Memo:
    """Tables of answers by name: `known` (an earlier run's, handed in), `used` (this run's,
    to keep: the answers asked for, so the memo holds what the last run used and does not grow)."""

    def __init__(self, known: dict | None = None):
        self.known: dict[str, dict] = known if isinstance(known, dict) else {}
        self.used: dict[str, dict] = {}

    def get(self, table: str, key):
        """The answer recorded under `key` in `table` (this run's or an earlier one), else None."""
        mine = self.used.get(table)
        if mine is not None:
            found = mine.get(key)
            if found is not None:
                return found
        found = self.known.get(table, {}).get(key)
        if found is not None:
            self.used.setdefault(table, {})[key] = found
        return found

    def put(self, table: str, key, answer) -> None:
        self.used.setdefault(table, {})[key] = answer

    @property
    def changed(self) -> bool:
        """Whether `used` differs from `known` (what to keep is new)."""
        if self.used.keys() != self.known.keys():
            return True
        return any(self.used[t].keys() != self.known[t].keys() for t in self.used)

    @contextlib.contextmanager
    def installed(self):
        token = _MEMO.set(self)
        try:
            yield self
        finally:
            _MEMO.reset(token)


def current() -> Memo | None:
    """The Memo installed here, if any."""
    return _MEMO.get()
