"""Looking up one printed name: the keys to try, most specific first, and simple lookups."""

from __future__ import annotations

import re

from teikit.convert.registry.entries import Entry, norm
from teikit.convert.registry.vocabulary import Vocabulary


def build_index(table: dict[str, Entry]) -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for e in table.values():
        for v in (e.name, *e.variants, *e.ambiguous):
            index.setdefault(norm(v), e)
    index.pop("", None)
    return index


def name_keys(text: str, vocab: Vocabulary) -> list[str]:
    """Keys to try for a printed name, most specific first: as printed, without titles,
    without initials, the surname alone."""
    raw = re.sub(r"[*_\[\]]", "", text).strip()
    raw = re.sub(r"['’]s?$", "", raw.rstrip(".,;: "))
    key = norm(raw)
    keys = [key]
    tokens = key.split()
    while tokens and tokens[0] in vocab.titles:
        tokens = tokens[1:]
        keys.append(" ".join(tokens))
    # drop initials (single letters, two-letter transliterations) before the surname
    rest = list(tokens)
    while len(rest) > 1 and (len(rest[0]) == 1 or rest[0] in vocab.two_letter_initials):
        rest = rest[1:]
        keys.append(" ".join(rest))
    if len(rest) > 1:
        keys.append(rest[-1])
    seen: list[str] = []
    for k in keys:
        if k and k not in seen:
            seen.append(k)
    return seen


def stems(word: str, vocab: Vocabulary) -> list[str]:
    """A word without a case ending, each way the vocabulary allows (`vinogradova` ->
    `vinogradov`, …); only words long enough to keep a stem of four letters."""
    out = []
    for ending, restore in vocab.case_endings:
        if len(word) > len(ending) + 3 and word.endswith(ending):
            stem = word[: -len(ending)]
            out.extend(stem + r for r in restore)
    return out


def match_simple(index: dict[str, Entry], text: str) -> Entry | None:
    raw = re.sub(r"[*_\[\]]", "", text).strip().rstrip(".,;: ")
    key = norm(re.sub(r"['’]s$", "", raw))
    for cand in (key, re.sub(r"^the ", "", key), re.sub(r"^(city|town|village) of ", "", key)):
        if cand in index:
            return index[cand]
    inner = re.sub(r"\s*\(.*?\)\s*", " ", raw).strip()
    if inner != raw:
        return match_simple(index, inner)
    return None
