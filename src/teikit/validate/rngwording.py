"""The wording of RELAX NG findings (rngwalk.py): elements, attributes and names as
the document writes them, lists of what the grammar expected, "did you mean", and
datatypes and values in words.
"""

from __future__ import annotations

import functools

from lxml import etree

from teikit.validate.rngmodel import (CHOICE, DATA, EMPTY, GROUP, LIST, ONE_OR_MORE, TEXT, VALUE,
                                      XML_NS, fixed_names)

MAX_LISTED = 200  # jing lists them all too


def show(el) -> str:
    return f"<{el.prefix + ':' if el.prefix else ''}{etree.QName(el).localname}>"


def show_name(qn, context) -> str:
    ns, local = qn
    if context is None:  # the document's root: no parent to take prefixes from
        return f"<{local}> (namespace {ns})" if ns else f"<{local}> (no namespace)"
    if ns == (context.nsmap.get(None) or "") or ns == etree.QName(context).namespace:
        return f"<{local}>"
    prefix = next((p for p, u in context.nsmap.items() if u == ns and p), None)
    if prefix:
        return f"<{prefix}:{local}>"
    return f"<{local}> (namespace {ns})" if ns else f"<{local}> (no namespace)"


def attr_label(aq, el=None) -> str:
    ns, local = aq
    if not ns:
        return f"@{local}"
    if ns == XML_NS:
        return f"@xml:{local}"
    prefix = next((p for p, u in (el.nsmap if el is not None else {}).items() if u == ns and p), None)
    return f"@{prefix}:{local}" if prefix else f"@{{{ns}}}{local}"


def names_of(name_classes) -> set:
    out = set()
    for nc in name_classes:
        out |= set(fixed_names(nc) or [])
    return out


def sorted_names(names):
    return sorted(names, key=lambda n: (n[1].lower(), n[0]))


def listing(items, last="or") -> str:
    items = list(items)
    if len(items) > MAX_LISTED:
        rest = len(items) - MAX_LISTED
        return ", ".join(items[:MAX_LISTED]) + f" and {rest} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


_EXPECTED: dict = {}  # the wording depends only on these, and a big file repeats them


def expected_text(exp, names, context) -> str:
    try:
        key = (frozenset(names), tuple(exp.elements), bool(exp.text), bool(exp.end),
               None if context is None else (context.tag, context.prefix, frozenset(context.nsmap.items())))
        hash(key)
    except TypeError:  # an unhashable name class: word it afresh
        return _expected_text_uncached(exp, names, context)
    if key not in _EXPECTED:
        if len(_EXPECTED) > 4096:
            _EXPECTED.clear()
        _EXPECTED[key] = _expected_text_uncached(exp, names, context)
    return _EXPECTED[key]


def _expected_text_uncached(exp, names, context) -> str:
    parts = [show_name(n, context) for n in sorted_names(names)]
    for nc in exp.elements:
        if fixed_names(nc) is None:
            text = _describe_wildcard(nc)
            if text not in parts:
                parts.append(text)
    if exp.text:
        parts.append("text")
    if exp.end and context is not None:
        parts.insert(0, f"the end of {show(context)}")
    if not parts:
        return "nothing here (the element must be empty at this point)"
    return listing(parts)


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def did_you_mean(word: str, candidates) -> str | None:
    """The candidate a misspelling most likely meant: same name in another case, else the
    nearest by edit distance (at most a third of the word, at least one edit), ties going
    to the same first letter, then the closer length."""
    return _did_you_mean_cached(word, frozenset(candidates))


@functools.lru_cache(maxsize=4096)
def _did_you_mean_cached(word: str, candidates: frozenset) -> str | None:
    candidates = sorted(candidates)
    if not candidates or word in candidates:
        return None
    for c in candidates:
        if c.lower() == word.lower():
            return c
    limit = max(1, len(word) // 3)
    # the edit distance is at least the difference in length: farther names cannot win
    near = [c for c in candidates if abs(len(c) - len(word)) <= limit]
    if not near:
        return None
    scored = [(_distance(word.lower(), c.lower()), c[:1].lower() != word[:1].lower(),
               not (_subsequence(c.lower(), word.lower()) or _subsequence(word.lower(), c.lower())),
               abs(len(c) - len(word)), c) for c in near]
    best = min(scored)
    return best[-1] if best[0] <= limit else None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _describe_wildcard(nc) -> str:
    """A name class with a wildcard, in words ("any element outside namespace X")."""
    def names(n):
        if n is None:
            return []
        if n[0] == "name":
            return [f"<{n[2]}>"]
        if n[0] == "ns":
            return [f"namespace {n[1] or '(none)'}"]
        if n[0] == "or":
            return names(n[1]) + names(n[2])
        return ["any name"]
    if nc[0] == "any":
        exc = names(nc[1])
        return "any element" + (f" outside {listing(exc, 'and')}" if exc else "")
    if nc[0] == "ns":
        exc = names(nc[2])
        return f"any element in namespace {nc[1]}" + (f" except {listing(exc, 'and')}" if exc else "")
    return "an element of " + listing(names(nc))


def did_you_mean_hint(word, candidates, sigil="") -> str:
    best = did_you_mean(word, candidates)
    if best is None:
        return ""
    return f"; did you mean {sigil}{best}?" if sigil else f"; did you mean <{best}>?"


_DATE_TYPES = {"date", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay", "time", "dateTime"}


def _in_order(pats, rank) -> list:
    """`pats` in the order of `rank` (teikit.validate.rngorder: the grammar's document order),
    equal ranks by their words: never by id or address, which depend on the run."""
    return sorted(pats, key=lambda q: (rank(q), _describe(q, rank)))


def _describe(pat, rank) -> list[str]:
    kind = pat.kind
    if kind == CHOICE:
        out = []
        for a in _in_order(pat.a, rank):
            for part in _describe(a, rank):
                if part not in out:
                    out.append(part)
        return out
    if kind == DATA:
        lib, dtype, params = pat.a
        text = f"an XML Schema {dtype}" if lib else dtype
        facets = [f"{n} {v!r}" for n, v in params]
        return [text + (f" ({', '.join(facets)})" if facets else "")]
    if kind == VALUE:
        return [repr(pat.b)]
    if kind == LIST:
        return ["a space-separated list of " + " or ".join(_describe(pat.a, rank))]
    if kind == ONE_OR_MORE:
        return _describe(pat.a, rank)
    if kind == TEXT:
        return ["any text"]
    if kind == EMPTY:
        return ["empty"]
    if kind == GROUP:
        return [" followed by ".join(_describe(pat.a, rank) + _describe(pat.b, rank))]
    return ["(a value the schema describes)"]


def describe_choice(pats, rank) -> str:
    """The patterns `pats` (values, data types) in words, taken in the order of `rank(pat)`
    (teikit.validate.rngorder.rank: the grammar's document order), as _describe takes a
    choice's, not in the order given: callers collect them from frozensets, in the order of
    the patterns' addresses, which changes from run to run; nor by id, the order in which this
    process happened to compile the grammar (which documents it validated first)."""
    parts = []
    for pat in _in_order(pats, rank):
        for part in _describe(pat, rank):
            if part not in parts:
                parts.append(part)
    dates = [p for p in parts if p.startswith("an XML Schema ") and p.split()[-1] in _DATE_TYPES]
    if len(dates) >= 3:
        rest = [p for p in parts if p not in dates]
        kinds = ", ".join(p.split()[-1] for p in dates)
        parts = rest + [f"a W3C date or time ({kinds}; e.g. 1920, 1920-03, 1920-03-14)"]
    values = [p for p in parts if p.startswith("'") or p.startswith('"')]
    if len(values) == len(parts) and len(values) > 1:
        return "one of " + listing(values)
    return listing(parts)
