"""What the validator's per-file work reads, and how it is mapped over the files.

A run puts its state in `STATE` before it maps `fn(path)` over its files; `fn` is a
module-level function that reads `STATE`, so whatever runs it (this process, or worker
processes forked by the application layer, which share the parent's memory) sees the same
trees and compiled schemas.

How the work is mapped is the caller's to say: the library runs no process. It is handed
an object with the two methods of `InProcess` (teikit.workers.Workers forks worker
processes and a child beside this process); `InProcess`, the default, runs everything
here, in order. Either way the results are the same; only the time differs.
"""

from __future__ import annotations

from typing import Callable, Protocol

STATE: dict = {}  # the run's trees, compiled schemas ...: read by the mapped functions
#: what a function begun by Mapper.start gives for a path it leaves to the run's own process
STOP = ("the run's own process computes this",)


def element_count(path: str) -> int:
    """The number of elements of a file's parsed tree in STATE (XIncludes expanded): the
    measure of its work that a mapper may weigh (0 for a file not in the run)."""
    tree = STATE.get("trees", {}).get(path)
    return int(tree.xpath("count(descendant::*)")) if tree is not None else 0  # from the document node: all elements


class Mapper(Protocol):
    def map(self, fn: Callable, paths: list[str], *, size: Callable[[str], int],
            min_elements: int | None = None) -> list:
        """[fn(path) for path in paths], in that order. `size(path)`: the work of one path
        (elements); `min_elements`: below this much in all (and few files) the work is not
        worth a worker (None: the mapper's own measure)."""

    def map_beside(self, fn: Callable, paths: list[str], meanwhile: Callable[[], object], *,
                   size: Callable[[str], int], prepare: Callable[[], None] | None = None,
                   keep_here=frozenset()) -> tuple[list, object]:
        """(self.map(fn, paths), meanwhile() or None without one), `prepare()` run first; `prepare` must run
        in this process, as must fn for the paths in `keep_here` (what prepare() sets up
        is theirs only). fn of the other paths and `meanwhile` read only what was there
        before the call and return what pickles, so a mapper may run them in other
        processes while this one runs prepare()."""

    def start(self, fn: Callable, paths: list[str]):
        """fn(path) of `paths` begun now in other processes, before the run's parse (None:
        not begun; the work is mapped later). fn reads only what is there at the call and
        gives what pickles, or STOP for a path it leaves to this process. What it
        gives has `join(fn_here, first) -> ({path: result}, first())` (first() here, then
        fn_here of the paths not taken) and `stop() -> {path: result}`; a path missing from
        either is the caller's to compute."""


class InProcess:
    """The library's mapper: everything in this process, one path after another."""

    def map(self, fn, paths, *, size=None, min_elements=None) -> list:
        return [fn(p) for p in paths]

    def start(self, fn, paths):
        return None

    def map_beside(self, fn, paths, meanwhile, *, size=None, prepare=None, keep_here=frozenset()):
        if prepare is not None:
            prepare()
        return self.map(fn, paths), meanwhile() if meanwhile is not None else None
