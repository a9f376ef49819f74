"""The order in which messages list a grammar's values and data types: the grammar's own.

A pattern's `id` tells when this process first compiled it, and a grammar's element content
is compiled when a document first reaches it (teikit.validate.rngmodel), so ids follow the
documents a process happened to validate first (`--jobs 2`, files in another order). A
message that lists the allowed values ("one of 'a', 'b' or 'c'") takes them in the order of
`rank` instead: where each value or data type first appears in the grammar, read in document
order with its included and referenced files in place (each read once, where first named),
whatever has been compiled yet.
"""

from __future__ import annotations

from teikit.validate.rngmodel import (CHOICE, DATA, GROUP, LIST, ONE_OR_MORE, RNG_NS, VALUE, Grammar,
                                      data_type, value_of)

_VALUE, _DATA = f"{{{RNG_NS}}}value", f"{{{RNG_NS}}}data"
_READS = (f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef")


def rank(grammar: Grammar, pat) -> int:
    """Where `pat` first appears in `grammar`, in document order: a value or data type by its
    first `value` / `data` element there; a choice, group, list or repetition by the first of
    its parts; anything else (and what the grammar does not hold) after all of them."""
    if grammar.order is None:
        grammar.order = _places(grammar)
    return _rank(grammar.order, pat)


def _rank(order: dict, pat) -> int:
    kind = pat.kind
    if kind == VALUE:
        return order.get((VALUE, pat.a, pat.b), len(order))
    if kind == DATA:
        return order.get((DATA, pat.a), len(order))
    if kind == CHOICE:
        return min(_rank(order, a) for a in pat.a)
    if kind in (LIST, ONE_OR_MORE):
        return _rank(order, pat.a)
    if kind == GROUP:
        return min(_rank(order, pat.a), _rank(order, pat.b))
    return len(order)


def _places(grammar: Grammar) -> dict:
    order: dict = {}
    seen: set = set()

    def walk(root) -> None:
        for el in root.iter(_VALUE, _DATA, *_READS):
            if el.tag == _VALUE:
                lib, dtype, value = value_of(el)
                order.setdefault((VALUE, (lib, dtype), value), len(order))
            elif el.tag == _DATA:
                order.setdefault((DATA, data_type(el)), len(order))
            else:
                loaded = grammar._load(el)  # noqa: SLF001 - the grammar's own reader (each file read once)
                if loaded is not None and id(loaded) not in seen:
                    seen.add(id(loaded))
                    walk(loaded)

    seen.add(id(grammar.root))
    walk(grammar.root)
    return order
