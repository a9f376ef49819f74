"""Cross-checks of the split: the table of contents against the documents, the order of
dates, and documents printed twice. Findings go to `comp.issues` (and a document's
warnings) for `teikit segment --report`; nothing here changes a boundary."""

from __future__ import annotations

import dataclasses
import re

from teikit.convert import dates
from teikit.core.errors import Issue
from teikit.convert.model import Compilation
from teikit.convert.readers.toc import NO_DATE, match_toc


def entry_dates(comp: Compilation) -> list:
    """The date each contents entry prints (dates.parse_date of its text), or None."""
    return [dates.parse_date(e.text) for e in comp.toc]


def attach_toc(comp: Compilation, dated: list | None = None) -> None:
    """Match table-of-contents entries to documents; report what matches nothing. `dated`:
    what entry_dates(comp) gives, when the caller has it (computed meanwhile elsewhere)."""
    if not comp.toc:
        return
    toc_dates = dated if dated is not None and len(dated) == len(comp.toc) else entry_dates(comp)
    for e, d in zip(comp.toc, toc_dates):
        e.date_printed = d.printed if d else None

    toc_spans = [_span(d) for d in toc_dates]
    doc_spans = [_span(doc.date) for doc in comp.documents]

    def agrees(i, k):  # dates.dates_agree, with each date's days computed once, not per pair
        a, b = toc_spans[i], doc_spans[k]
        if a is _EMPTY or b is _EMPTY:
            return None
        if a is None or b is None:
            return False
        return a[0] <= b[1] and b[0] <= a[1]

    texts = []
    for doc in comp.documents:
        opener = " ".join(b.raw for b in doc.blocks if b.kind == "dateline")
        texts.append(doc.heading + " " + opener)
    # an entry that prints a chapter (or subchapter, part) head of the body points to the
    # chapter: it is not matched to a document, and takes no document's date
    heads = {_norm(head) for doc in comp.documents for _role, head in doc.chapters}
    for e in comp.toc:
        if _norm(e.text) in heads:
            e.points_to = "chapter"
    to_documents = [i for i, e in enumerate(comp.toc) if e.points_to == "document"]
    found = match_toc([comp.toc[i] for i in to_documents], texts,
                      spans=([toc_spans[i] for i in to_documents], doc_spans))
    matches = {to_documents[a]: k for a, k in found.items()}
    for i, k in matches.items():
        comp.documents[k].toc = comp.toc[i]
    entry_words: list = []  # each entry's words as _same_entry compares them (made once, when one is unmatched)
    for i, e in enumerate(comp.toc):
        if i in matches or e.points_to != "document":
            continue
        e_date = toc_dates[i]
        entry_words = entry_words or [_entry_words(entry.text) for entry in comp.toc]
        dup = next(
            (comp.toc[j] for j in range(len(comp.toc))
             if j != i and _same_entry(comp.toc[j], e, toc_dates[j], e_date, entry_words[j], entry_words[i])),
            None,
        )
        why = f"printed twice in the contents (as at line {dup.line})" if dup else "no document in the body"
        comp.issues.append(Issue("warning", "toc:unmatched", f"contents entry {e.text[:90]!r}: {why}", comp.source_name, e.line))
        del e_date
    def fields_of(e):  # what the dataclass's == compares
        return tuple(getattr(e, f.name) for f in dataclasses.fields(e))

    first_equal: dict[tuple, int] = {}  # comp.toc.index(entry), found by its fields once
    for j, e in enumerate(comp.toc):
        first_equal.setdefault(fields_of(e), j)
    for k, doc in enumerate(comp.documents):
        if doc.toc is None:
            comp.issues.append(Issue("warning", "toc:missing", f"document {doc.seq} {doc.heading[:80]!r} is not in the contents", comp.source_name, doc.start_line))
        elif (doc.toc.date_printed and not doc.date.is_empty and doc.date.source != "override"
              and agrees(first_equal[fields_of(doc.toc)], k) is False):
            comp.issues.append(Issue("warning", "toc:date-conflict",
                                     f"document {doc.seq}: date {doc.date.printed!r} disagrees with the contents ({doc.toc.date_printed!r}, line {doc.toc.line})",
                                     comp.source_name, doc.start_line))
    _order_warnings(comp)


_EMPTY = NO_DATE  # (toc.match_toc's span of no date)


def _span(d):
    """(first, last) day of a date; _EMPTY when there is no date; None when it is not valid."""
    if d is None or d.is_empty:
        return _EMPTY
    try:
        return dates.date_range(d)
    except ValueError:
        return None


def _norm(text: str) -> str:
    """A head or entry for comparison: letters and digits only, lower case, markup removed."""
    return re.sub(r"[\W_]+", " ", re.sub(r"<[^>]+>|\*+", "", text).lower()).strip()


def _entry_words(text: str) -> str:
    """A contents entry's words as _same_entry compares them."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def _same_entry(a, b, a_date, b_date, a_words: str | None = None, b_words: str | None = None) -> bool:
    """Two contents entries for one document: the same words (`a_words`, `b_words`: their
    _entry_words, when the caller has them), or the same date and page."""
    a_words = _entry_words(a.text) if a_words is None else a_words
    b_words = _entry_words(b.text) if b_words is None else b_words
    if a_words == b_words:
        return True
    same_date = a_date is not None and b_date is not None and a_date.range() == b_date.range()
    return same_date and a.page is not None and a.page == b.page


def _order_warnings(comp: Compilation) -> None:
    prev = None
    for doc in comp.documents:
        rng = doc.date.range()
        if rng is None:
            continue
        if prev is not None and rng[0] < prev[1][0][:len(rng[0])]:
            comp.issues.append(Issue("info", "seg:out-of-order",
                                     f"document {doc.seq} ({rng[0]}) is printed after document {prev[0]} ({prev[1][0]})",
                                     comp.source_name, doc.start_line))
        prev = (doc.seq, rng)


def find_reprints(comp: Compilation) -> None:
    """The same document printed twice: the same archival reference (down to the folios)
    and a text with mostly the same words (two printings may differ in translation).
    Reported; both printings are kept."""
    def words(doc):
        text = " ".join(b.raw for b in doc.blocks if b.kind in ("head", "p", "item"))
        return set(re.findall(r"[a-z]{3,}", text.lower()))

    seen: dict[tuple, object] = {}
    for doc in comp.documents:
        for ref in doc.archive:
            key = (ref.repository, ref.fond, ref.opis, ref.papka, ref.delo, ref.folios)
            if not (ref.fond and ref.delo and ref.folios):
                continue
            first = seen.get(key)
            if first is None:
                seen[key] = doc
                continue
            a, b = words(first), words(doc)
            if len(a & b) / max(len(a | b), 1) < 0.5:
                continue
            message = (f"document {doc.seq} ({doc.doc_id}) repeats document {first.seq} ({first.doc_id}): "
                       f"the same archival reference ({ref.printed}) and mostly the same words")
            doc.warnings.append(f"printed twice: repeats {first.doc_id} (lines {first.start_line}-{first.end_line})")
            comp.issues.append(Issue("warning", "seg:duplicate", message, comp.source_name, doc.start_line))
