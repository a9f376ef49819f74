"""Names already known in one document: a later short form or garbled form of a person the
document has named in full.

Once a document has named a person (a tag the scanner made), two further forms of that
person are read in the same document only:

- the short form: the last word of one of the person's names of several words ("Kemal"
  after "Mustafa Kemal"), capitalised, standing alone (no capitalised word beside it),
  when no other person named in the document shares it and the registry gives the word
  to no other entry;
- the garbled form: one or two capitalised words ("Shukru kai" after "Shukru Kaya",
  "Voroshilovu") whose similarity to a name of the person (rapidfuzz ratio on folded,
  lower-cased text) is at least the vocabulary's `documentFuzzyThreshold` and clearly
  above that of any other person named in the document.

Both are checked against names resolved in the same document only, never the whole
registry, which is what keeps them precise (bench/document_fuzzy.py measures the threshold).
"""

from __future__ import annotations

import re
from functools import lru_cache

from teikit.convert.registry.entries import Entry, fold, norm

#: `(?<![\w\-'’])([A-Z][a-z]{2,}(?:-[a-z]+)?)(?![\w\-])`, its look behind after the capital
#: (the same matches; the engine looks for the capital first: see scan._WORD)
_CAP = re.compile(r"([A-Z](?<![\w\-'’].)[a-z]{2,}(?:-[a-z]+)?)(?![\w\-])")
_NEXT = re.compile(r"\s+[A-Za-z][a-z]+(?![\w\-])")
_POSSESSIVE = re.compile(r"['’]s?$")
_CAP_BEFORE = re.compile(r"([A-Z][\w\-]*)\s+$")
_CAP_AFTER = re.compile(r"\s+([A-Z][\w\-]*)")


def person_forms(entry: Entry) -> list[str]:
    """The normalised name and variants of a person (no possessives)."""
    return list(_forms(entry.name, entry.variants))


@lru_cache(maxsize=None)
def _form_tokens(name: str, variants: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(form.split()) for form in _forms(name, variants))


@lru_cache(maxsize=None)
def _forms(name: str, variants: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for v in (name, *variants):
        if _POSSESSIVE.search(v):
            continue
        k = norm(v)
        if k and k not in out:
            out.append(k)
    return tuple(out)


def short_forms(reg, persons: list[Entry]) -> dict[str, Entry]:
    """Word -> person, for words of the documents' persons' names that only one of them has
    and that the registry does not give to another entry."""
    owners: dict[str, set[str]] = {}
    by_id = {e.id: e for e in persons}
    for e in persons:
        for form in person_forms(e):
            toks = form.split()
            # the surname position: the last word of a name of several words ("Kemal" of
            # "Mustafa Kemal"), never a given name or patronymic ("Georgy", "Vasilyevich")
            tok = toks[-1] if len(toks) > 1 else ""
            if len(tok) < 4 or tok in reg.vocab.stop_words or tok in reg.vocab.titles:
                continue
            owners.setdefault(tok, set()).add(e.id)
    out = {}
    for tok, ids in owners.items():
        if len(ids) != 1:
            continue
        e = by_id[next(iter(ids))]
        other = reg.single_word(tok)
        if (other is not None and other is not e) or _known_elsewhere(reg, tok, e):
            continue
        out[tok] = e
    return out


def _beside_capital(reg, text: str, start: int, end: int) -> bool:
    """A capitalised word (not a stop word) right before or after: the word is part of
    another name ("Jolly George", "Mikhail Vasilyevich Frunze")."""
    before = _CAP_BEFORE.search(text, 0, start)
    after = _CAP_AFTER.match(text, end)
    return any(m and norm(m.group(1)) not in reg.vocab.stop_words for m in (before, after))


def _known_elsewhere(reg, key: str, entry: Entry) -> bool:
    for kind in ("persons", "places", "orgs"):
        hit = reg._index[kind].get(key)
        if hit is not None and hit is not entry:
            return True
    return key in reg.country_word_set


def find_known(reg, text: str, persons: list[Entry], taken: list[tuple[int, int]]) -> list[tuple[int, int, Entry]]:
    """Short and garbled forms of `persons` in `text` outside the spans `taken`."""
    if not persons:
        return []
    return KnownForms(reg, persons).find(text, taken)


class KnownForms:
    """The short and garbled forms of one document's persons: what does not depend on the
    text (the short forms, each person's candidate forms, the verdict on a printed form) is
    computed once for the document, not once per run of text."""

    def __init__(self, reg, persons: list[Entry]):
        self.reg = reg
        self.persons = persons
        self.shorts = short_forms(reg, persons) if persons else {}
        self.threshold = reg.vocab.document_fuzzy_threshold
        self._garbled: dict[tuple[str, int], Entry | None] = {}
        # what any person's candidates are looked up by (first letter; first word and the
        # second word's first letter): a form with none scores 0 against every person
        self._initials: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()
        for e in persons:
            by_initial, by_pair = _candidate_tables(e.name, e.variants)
            self._initials.update(by_initial)
            self._pairs.update(by_pair)

    def garbled(self, key: str, words: int) -> Entry | None:
        k = (key, words)
        if k not in self._garbled:
            if self.threshold > 0 and not self._has_candidates(key, words):
                self._garbled[k] = None  # every score 0, under the threshold
            else:
                self._garbled[k] = _garbled(self.reg, key, self.persons, self.threshold, words)
        return self._garbled[k]

    def _has_candidates(self, key: str, words: int) -> bool:
        if words == 1:
            return key[:1] in self._initials
        toks = key.split()
        return bool(toks) and (toks[0], toks[-1][0]) in self._pairs

    def find(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, Entry]]:
        """Short and garbled forms of the persons in `text` outside the spans `taken`."""
        if not self.persons:
            return []
        reg = self.reg
        text = fold(text)
        shorts = self.shorts
        threshold = self.threshold
        found: list[tuple[int, int, Entry]] = []

        def free(s, e):
            return not any(a < e and s < b for a, b in taken) and not any(a < e and s < b for a, b, _ in found)

        caps = list(_CAP.finditer(text)) if threshold else _CAP.finditer(text)  # (found once for both passes)
        if threshold:  # pairs first, each capitalised word as a possible first word
            for m in caps:
                nxt = _NEXT.match(text, m.end())
                if nxt is None or not free(m.start(), nxt.end()):
                    continue
                e = self.garbled(norm(text[m.start():nxt.end()]), 2)
                if e is not None:
                    found.append((m.start(), nxt.end(), e))
        stop_words, titles = reg.vocab.stop_words, reg.vocab.titles
        for m in caps:
            if not free(m.start(), m.end()):
                continue
            key = norm(m.group(1))
            if key in stop_words or key in titles:
                continue
            e = shorts.get(key)  # (then, only when it is one, whether a capitalised word stands beside it)
            if e is not None and _beside_capital(reg, text, m.start(), m.end()):
                e = None
            if e is None and threshold and not reg.is_known_word(key):
                e = self.garbled(key, 1)
            if e is not None:
                found.append((m.start(), m.end(), e))
        return sorted(found, key=lambda t: t[0])


def candidates(person: Entry, key: str, words: int) -> list[str]:
    """The forms of `person` a printed form of `words` words may be a garbled copy of: for
    one word, the surnames (the last word of each name: OCR slips and case endings are
    measured on surnames, a given name is too common); for two, the two-word names that
    begin with the same first word as printed and whose second word has the printed one's
    first letter ("shukru kai" ~ "shukru kaya", not "abdul said" ~ "abdul majid"). Same
    first letter, never the printed form itself."""
    by_initial, by_pair = _candidate_tables(person.name, person.variants)
    if words == 1:
        found = by_initial.get(key[0], ())
    else:
        toks = key.split()
        found = by_pair.get((toks[0], toks[-1][0]), ())
    return [c for c in found if c != key]


@lru_cache(maxsize=None)
def _candidate_tables(name: str, variants: tuple[str, ...]):
    """A person's candidate forms, each once in the order of its forms: the surnames by their
    first letter, and the two-word ends by (first word, second word's first letter)."""
    by_initial: dict[str, list[str]] = {}
    by_pair: dict[tuple[str, str], list[str]] = {}
    for toks in _form_tokens(name, variants):
        c = toks[-1]
        if c not in by_initial.setdefault(c[0], []):
            by_initial[c[0]].append(c)
        if len(toks) >= 2:
            c = " ".join(toks[-2:])
            group = by_pair.setdefault((toks[-2], toks[-1][0]), [])
            if c not in group:
                group.append(c)
    return by_initial, by_pair


def _garbled(reg, key: str, persons: list[Entry], threshold: float, words: int) -> Entry | None:
    """The one person of the document a form of `words` words is a garbled form of."""
    if len(key.replace(" ", "")) < 5:
        return None
    # only whether a score reaches the threshold is asked below (and the order of those
    # that do), so a score under it may be read as 0 (rapidfuzz's score_cutoff)
    if words == 1:
        table, look = 0, key[0]
    else:
        toks = key.split()
        table, look = 1, (toks[0], toks[-1][0])
    from teikit.convert.registry.scan import _may_reach

    fuzz = None
    scores = []
    for p in persons:  # the best score against candidates(p, key, words)
        found = _candidate_tables(p.name, p.variants)[table].get(look, ())
        # (a candidate that cannot reach the threshold scores 0 with score_cutoff: left out)
        near = [c for c in found if c != key and _may_reach(key, c, threshold)]
        if near and fuzz is None:
            from rapidfuzz import fuzz  # here: a build that reuses its name scan needs none
        best = max((fuzz.ratio(key, c, score_cutoff=threshold) for c in near), default=0.0)
        scores.append((best, p))
    scores.sort(key=lambda t: -t[0])
    if not scores or scores[0][0] < threshold:
        return None
    if len(scores) > 1 and scores[1][0] >= threshold and scores[1][1] is not scores[0][1]:
        return None
    return scores[0][1]
