"""The cyclic garbage collector while a command runs (application layer: the collector is
the process's).

A build or a validation makes hundreds of thousands of small objects (findings, answers,
compiled rules, the conversion's caches) and little cyclic garbage: with Python's first
threshold (700) their collections cost milliseconds to tenths of a second, and each one in a
forked worker writes to (so copies) pages it shares with its parent. `fewer_collections()`
raises the first threshold to THRESHOLD while a block runs and puts the caller's back after.
The collector never changes a result.
"""

from __future__ import annotations

import contextlib
import gc

#: the collector's first threshold while a command runs (Python's default: 700)
THRESHOLD = 10_000


@contextlib.contextmanager
def fewer_collections():
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
