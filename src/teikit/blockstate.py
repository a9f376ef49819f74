"""What a document's blocks hold, noted by reference, to tell cheaply that nothing changed them.

The render step's key (teikit.doccache.DocCache.render_key) needs to know that a document's
blocks are still those its document step gave, which are a function of that step's key. A
state (`blocks_state`) holds every object `canon` of the blocks would read, at every level,
by reference; `unchanged` compares them by identity. Holding them keeps them alive, so an
identity cannot be taken by a new object; the leaves are atoms, which cannot change in
place. Both are C-level maps over the objects: no Python code runs per block or per run.
"""

from __future__ import annotations

from itertools import chain
from operator import is_

#: the immutable values `canon` writes by their repr
ATOMS = frozenset((str, int, float, bool, type(None), bytes))
_ATOMS = ATOMS

_PLAIN_CONTAINERS = (list, tuple)
_ATOMS_OR_CONTAINERS = _ATOMS | frozenset(_PLAIN_CONTAINERS)


_PLAIN: dict[type, bool] = {}


def _plain_class(t: type) -> bool:
    """A class `canon` writes down by its instance dict (not an atom, container or callable)."""
    plain = _PLAIN.get(t)
    if plain is None:
        plain = _PLAIN[t] = t not in _ATOMS and t not in (list, tuple, dict, set, frozenset) \
            and not hasattr(t, "__slots__") and not any("__call__" in vars(c) for c in t.__mro__)
    return plain


def _dicts_of(objs: list, classes: list) -> list | None:
    """The instance dicts of `objs` (of `classes`), or None when one is not a plain object."""
    if not all(map(_plain_class, set(classes))):
        return None
    try:
        return list(map(vars, objs))
    except TypeError:
        return None


def blocks_state(blocks):
    """Everything `canon` of a document's blocks reads, held by reference, or None when the
    blocks are not of the shape this covers: a list of plain objects (`_plain_class`) whose
    attribute values are atoms (str, int, float, bool, None, bytes: immutable), or lists or
    tuples of atoms and of plain objects whose attribute values are atoms (a Block, its
    lines, its inline runs). Built by C-level maps: no Python code runs per object."""
    if type(blocks) is not list:
        return None
    blist = list(blocks)
    classes = list(map(type, blist))
    dicts = _dicts_of(blist, classes)
    if dicts is None:
        return None
    values = list(chain.from_iterable(map(dict.values, dicts)))
    if not set(map(type, values)) <= _ATOMS_OR_CONTAINERS:
        return None
    inner = [v for v in values if type(v) in _PLAIN_CONTAINERS]
    items = list(chain.from_iterable(inner))
    objs = [x for x in items if type(x) not in _ATOMS]
    oclasses = list(map(type, objs))
    odicts = _dicts_of(objs, oclasses)
    if odicts is None:
        return None
    ovalues = list(chain.from_iterable(map(dict.values, odicts)))
    if not set(map(type, ovalues)) <= _ATOMS:
        return None
    return (blist, classes, list(map(len, dicts)), list(chain.from_iterable(map(dict.keys, dicts))), values,
            inner, list(map(len, inner)), items,
            objs, oclasses, list(map(len, odicts)), list(chain.from_iterable(map(dict.keys, odicts))), ovalues)


def unchanged(state, blocks) -> bool:
    """`blocks` hold what they held when `state` (blocks_state) was taken: the same objects
    in the same places at every level (compared by identity; the attribute names by
    equality), down to the atoms, which cannot change. So `canon(blocks)` is what it was."""
    (blist, classes, sizes, keys, values, inner, inner_sizes, items,
     objs, oclasses, osizes, okeys, ovalues) = state
    if type(blocks) is not list or len(blocks) != len(blist) or not all(map(is_, blocks, blist)) \
            or list(map(type, blist)) != classes:
        return False
    dicts = list(map(vars, blist))
    # the same sizes, so the same number of values: map(is_, ...) compares every one
    if list(map(len, dicts)) != sizes or not all(map(is_, chain.from_iterable(map(dict.values, dicts)), values)) \
            or list(chain.from_iterable(map(dict.keys, dicts))) != keys:
        return False
    # the same values: `inner` are still the lists and tuples among them, and `objs` the objects in those
    if list(map(len, inner)) != inner_sizes or not all(map(is_, chain.from_iterable(inner), items)) \
            or list(map(type, objs)) != oclasses:
        return False
    odicts = list(map(vars, objs))
    return list(map(len, odicts)) == osizes and all(map(is_, chain.from_iterable(map(dict.values, odicts)), ovalues)) \
        and list(chain.from_iterable(map(dict.keys, odicts))) == okeys
