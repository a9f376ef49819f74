"""Offices: reading a printed role ("plenipotentiary representative of the USSR in Turkey")
as an office of the controlled list, the state served and the host state, and finding the
holder of an office on a date."""

from __future__ import annotations

import re

from teikit.convert.registry.entries import Entry, norm


def parse_role(reg, role_text: str) -> tuple[str | None, str | None, str | None]:
    """(office, state served, host state) read from a printed role."""
    text = " " + norm(role_text) + " "
    office = reg.vocab.office_of(text)
    of = in_ = None
    taken: list[tuple[int, int]] = []
    for word, pid in reg.country_words:
        for start, end in _whole_words(word, text):
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            before = text[:start].split()
            prev = before[-1] if before else ""
            if prev == "the" and len(before) > 1:
                prev = before[-2]
            if prev in ("in", "to", "at", "under", "with"):
                in_ = in_ or pid
            else:
                of = of or pid
    return office, of, in_


def _whole_words(word: str, text: str):
    r"""(start, end) of each occurrence of `word` with white space on both sides, left to
    right and not overlapping: what re.finditer(r"(?<=\s)word(?=\s)", text) finds, without
    a pattern per word (hundreds of them would each be compiled and evict others from re's
    cache)."""
    if not word:
        yield from (m.span() for m in re.finditer(r"(?<=\s)(?=\s)", text))
        return
    pos = 0
    while (i := text.find(word, pos)) >= 0:
        end = i + len(word)
        if i > 0 and text[i - 1].isspace() and end < len(text) and text[end].isspace():
            yield i, end
            pos = end
        else:
            pos = i + 1


def office_fits(reg, asked: str, held: str) -> bool:
    """A printed "deputy" fits a first deputy too; "first deputy" only a first deputy."""
    return asked == held or reg.vocab.office_families.get(held) == asked


def holder(reg, role_text: str, date: str) -> Entry | None:
    """The holder of the office described by `role_text` on `date`, when exactly one."""
    office, of, in_ = parse_role(reg, role_text)
    if office is None or not date:
        return None
    vocab = reg.vocab
    found = []
    for e in reg.persons.values():
        for r in e.roles:
            if not office_fits(reg, office, r.office):
                continue
            if of and r.of and not vocab.same_polity(of, r.of):
                continue
            if in_ and r.in_ and not vocab.same_polity(in_, r.in_):
                continue
            if (in_ is None) != (r.in_ is None) and office in vocab.posted_offices:
                continue
            if r.covers(date):
                found.append(e)
                break
    return found[0] if len(found) == 1 else None
