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

from rapidfuzz import fuzz

from teikit.convert.registry.entries import Entry, fold, norm

_CAP = re.compile(r"(?<![\w\-'’])([A-Z][a-z]{2,}(?:-[a-z]+)?)(?![\w\-])")
_NEXT = re.compile(r"\s+[A-Za-z][a-z]+(?![\w\-])")


def person_forms(entry: Entry) -> list[str]:
    """The normalised name and variants of a person (no possessives)."""
    out = []
    for v in (entry.name, *entry.variants):
        if re.search(r"['’]s?$", v):
            continue
        k = norm(v)
        if k and k not in out:
            out.append(k)
    return out


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
    before = re.search(r"([A-Z][\w\-]*)\s+$", text[:start])
    after = re.match(r"\s+([A-Z][\w\-]*)", text[end:])
    return any(m and norm(m.group(1)) not in reg.vocab.stop_words for m in (before, after))


def _known_elsewhere(reg, key: str, entry: Entry) -> bool:
    for kind in ("persons", "places", "orgs"):
        hit = reg._index[kind].get(key)
        if hit is not None and hit is not entry:
            return True
    return key in {w for w, _ in reg.country_words}


def find_known(reg, text: str, persons: list[Entry], taken: list[tuple[int, int]]) -> list[tuple[int, int, Entry]]:
    """Short and garbled forms of `persons` in `text` outside the spans `taken`."""
    if not persons:
        return []
    text = fold(text)
    shorts = short_forms(reg, persons)
    threshold = reg.vocab.document_fuzzy_threshold
    found: list[tuple[int, int, Entry]] = []

    def free(s, e):
        return not any(a < e and s < b for a, b in taken) and not any(a < e and s < b for a, b, _ in found)

    if threshold:  # pairs first, each capitalised word as a possible first word
        for m in _CAP.finditer(text):
            nxt = _NEXT.match(text, m.end())
            if nxt is None or not free(m.start(), nxt.end()):
                continue
            e = _garbled(reg, norm(text[m.start():nxt.end()]), persons, threshold, words=2)
            if e is not None:
                found.append((m.start(), nxt.end(), e))
    for m in _CAP.finditer(text):
        if not free(m.start(), m.end()):
            continue
        key = norm(m.group(1))
        if key in reg.vocab.stop_words or key in reg.vocab.titles:
            continue
        e = shorts.get(key) if not _beside_capital(reg, text, m.start(), m.end()) else None
        if e is None and threshold and not reg.is_known_word(key):
            e = _garbled(reg, key, persons, threshold, words=1)
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
    out = []
    for form in person_forms(person):
        toks = form.split()
        if words == 1:
            c = toks[-1]
        elif len(toks) >= 2 and toks[-2] == key.split()[0] and toks[-1][0] == key.split()[-1][0]:
            c = " ".join(toks[-2:])
        else:
            continue
        if c != key and c[0] == key[0] and c not in out:
            out.append(c)
    return out


def _garbled(reg, key: str, persons: list[Entry], threshold: float, words: int) -> Entry | None:
    """The one person of the document a form of `words` words is a garbled form of."""
    if len(key.replace(" ", "")) < 5:
        return None
    scores = []
    for p in persons:
        best = max((fuzz.ratio(key, c) for c in candidates(p, key, words)), default=0.0)
        scores.append((best, p))
    scores.sort(key=lambda t: -t[0])
    if not scores or scores[0][0] < threshold:
        return None
    if len(scores) > 1 and scores[1][0] >= threshold and scores[1][1] is not scores[0][1]:
        return None
    return scores[0][1]
