"""The XInclude path check's containment (teikit.core.xinclude.within) and MemoryFiles' path
keys, as pathlib gave them before their fast paths: the same answer for every pair of paths
of a set that holds roots, drives, UNC shares, '.', '..', doubled slashes and case changes."""

import itertools
import posixpath
import random
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath, PosixPath

from teikit.core.files import MemoryFiles
from teikit.core.xinclude import within

PARTS = ["", ".", "..", "a", "A", "b", "/", "//", "///", "c:", "C:", "\\", "x.xml", "tei", "TEI",
         "\\\\srv\\share", "d:\\", "//srv/share", "D:"]


def _paths(cls, rng):
    out = set()
    combos = [c for k in (1, 2) for c in itertools.product(PARTS, repeat=k)]
    combos += [tuple(rng.choices(PARTS, k=rng.choice((3, 4)))) for _ in range(400)]
    for combo in combos:
        for text in ("/".join(combo), "".join(combo), "\\".join(combo)):
            try:
                out.add(cls(text))
            except (TypeError, ValueError):
                pass
    return sorted(out, key=str)


def test_within_is_pathlibs_parent_test():
    rng = random.Random(1)
    for cls in (PurePosixPath, PureWindowsPath, Path):
        paths = _paths(cls, rng)
        for path in paths:
            tops = rng.sample(paths, 12) + [path, *path.parents, *(cls(str(p).upper()) for p in path.parents)]
            for top in tops:
                assert within(path, top) == (path == top or top in path.parents), (cls, path, top)
    mixed = [PurePosixPath("/a/b"), PureWindowsPath("/a/b"), Path("/a/b"), PurePosixPath("/a"), PureWindowsPath("/a"),
             Path("/a")]
    for path in mixed:
        for top in mixed:
            assert within(path, top) == (path == top or top in path.parents), (path, top)


def test_memory_keys_are_those_of_pure_paths():
    rng = random.Random(2)
    alphabet = ["", "/", "//", "///", ".", "..", "a", "b", "x.xml", "\\", "c:", " ", "é", "~"]
    for _ in range(5000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 8)))
        for path in (text, PurePosixPath(text), PosixPath(text), PureWindowsPath(text)):
            assert MemoryFiles._key(path) == posixpath.normpath(PurePosixPath(PurePath(path)).as_posix()), repr(path)
