"""The table of contents: parse its entries and match them to the documents of the body.

An entry is one paragraph: `April 21, 1919, note of the people's commissioner … - **P18**`.
Matching is a global assignment by score: the words the entry shares with a document's
heading and date line (a weighted overlap), with the date agreeing as a strong bonus and
the order of the body as a weak one. An entry is matched to at most one document and a
document to at most one entry; what is left on either side is reported.
"""

from __future__ import annotations

import re
import bisect
from collections import Counter
from itertools import compress
from math import log

from teikit.convert.model import TocEntry
from teikit.core import runmemo
from teikit.convert.readers.paragraphs import Para
from teikit.convert.dates import current, find_dates
from teikit.convert.readers.profile import ReaderProfile

_WORD = re.compile(r"[a-zà-ÿ]+|\d+", re.I)
_STOP = frozenset(
    "of the to in and a an on for at with by from its his her".split()
)


def parse_toc(paras: list[Para], profile: ReaderProfile, warnings: list | None = None) -> list[TocEntry]:
    """Entries of the table of contents: one a paragraph, or one a row of a contents table
    (`| Date | Subject | Page |`); the page mark may be missing. An entry the profile's
    `toc_ditto` marks ("Same to same") takes the correspondents of the entry before; where
    `toc_page_repeats` is set, an entry without a page is on the page of the one before.
    A paragraph joined to the entry above it is told to `warnings` as (line, message)."""
    warnings = [] if warnings is None else warnings
    entries: list[TocEntry] = []
    open_entry = True
    joined: list[int] = []
    for para in paras:
        if para.lines[0].lstrip().startswith("|"):
            _table_entries(para, profile, entries)
            continue
        raw = " ".join(ln.strip() for ln in para.lines)
        m = profile.toc_page.search(raw)
        body = raw[: m.start()] if m else raw
        text = " ".join(body.replace("**", "").split()).strip(" -–—")
        if not text:
            continue
        page = m.group("page") if m else None
        if page is None and _is_contents_heading(text):
            open_entry = False  # nothing is joined across a heading of the contents
            continue  # `CUBA`, `RATIFICATION OF THE TREATY …`: a heading of the contents, not an entry
        if open_entry and entries and entries[-1].page is None and not _entry_start(text) \
                and not profile.toc_ditto.search(text):
            # an entry broken over paragraphs by a page break: join it to the one before
            entries[-1].text += " " + text
            entries[-1].page = page
            joined.append(para.start)
            open_entry = page is None and not _ends_dated(entries[-1].text)
            continue
        entries.append(TocEntry(line=para.start, text=_undo_ditto(text, entries, profile), page=page))
        # an entry without a page that ends in a dated year is complete (its page left out):
        # the next paragraph is not its continuation
        open_entry = page is None and not _ends_dated(text)
    for line in joined:
        warnings.append((line, "contents paragraph without a page mark before it joined to the entry above "
                               "(set 'toc_page' so that every entry ends in a page, or 'toc_page_repeats')"))
    if profile.toc_page_repeats:
        for prev, entry in zip(entries, entries[1:]):
            entry.page = entry.page or prev.page
    return entries


def _ends_dated(text: str) -> bool:
    """Does an entry end in a date with its year printed (`Same to same. Oct. 3, 1870`)?"""
    if re.search(r"\b\d{4}\s*[.,;)]*$", text):
        return True  # a year (even one outside the years dates are read with: `Nov. 1, 1670`)
    found = find_dates(text)
    return bool(found) and not found[-1].inferred_year and not text[found[-1].end:].strip(" .,;)")


def _is_contents_heading(text: str) -> bool:
    """A line of the contents printed in capitals: a country or chapter, not an entry."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _table_entries(para: Para, profile: ReaderProfile, entries: list[TocEntry]) -> None:
    """The rows of a contents table, the header row (the one above `|---|`) left out."""
    rows = [ln.strip() for ln in para.lines]
    year = None
    for k, row in enumerate(rows):
        if re.fullmatch(r"\|?[\s:|-]+\|?", row) or (k + 1 < len(rows) and re.fullmatch(r"\|?[\s:|-]+\|?", rows[k + 1])):
            continue
        cells = [c.strip() for c in row.strip("|").split("|")]
        m = profile.toc_page.search(row)
        page = m.group("page") if m else None
        if m and cells and cells[-1] == page:
            cells = cells[:-1]
        # a date column printed `1925 Jan. 2`, then `Mar. 13 (38)`: the year of the row above
        dm = _TABLE_DATE.match(cells[0]) if cells else None
        if dm:
            year = dm.group("year") or year
            if year:
                cells[0] = f"{dm.group('md')}, {year}{cells[0][dm.end():]}"
        elif cells and (ym := _TABLE_YEAR.match(cells[0])):
            year = ym.group("year")  # `1925 Undated`: the year holds for the rows below too
        text = " ".join(" ".join(c for c in cells if c).replace("**", "").split())
        if text:
            entries.append(TocEntry(line=para.start + k, text=_undo_ditto(text, entries, profile), page=page))


_TABLE_YEAR = re.compile(r"^(?P<year>\d{4})\b(?!\s*[,.]?\s*\d)")
_TABLE_DATE = re.compile(r"^(?:(?P<year>\d{4})\s+)?(?P<md>[^\W\d_]{3,}\.?\s+\d{1,2})\b")


def _undo_ditto(text: str, entries: list[TocEntry], profile: ReaderProfile) -> str:
    """"Same to same, Aug. 21" -> "Mr. Jay to Mr. Fish, Aug. 21": the words of the entry
    before that stand where the ditto stands (up to its first date)."""
    m = profile.toc_ditto.search(text)
    profile.hit("toc_ditto", m)
    if not m or not entries:
        return text
    prev = entries[-1].text
    first = next(iter(find_dates(prev)), None)
    who = prev[: first.start].rstrip(" ,.;") if first is not None and first.start > 0 else prev
    return text[: m.start()] + who + text[m.end():]


def _entry_start(text: str) -> bool:
    """Does a contents paragraph begin like an entry: a number or a month name?"""
    return bool(re.match(rf"^\W*(?:\d|(?:{current().month_pattern})\.?\b)", text, re.I))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


#: the span of an entry or document without a date (`match_toc`'s spans)
NO_DATE = "no date"


def match_toc(
    entries: list[TocEntry],
    doc_texts: list[str],
    date_agrees=None,
    *,
    spans: tuple[list, list] | None = None,
) -> dict[int, int]:
    """Assign ToC entries to documents: returns {entry index: document index}.

    `doc_texts[k]` is the heading and date line of document k. `date_agrees(i, k)` (if
    given) returns True/False/None for entry i against document k. Or `spans`: (the
    entries' date spans, the documents'), each (first day, last day), None for a date that
    is not valid, NO_DATE for none; the dates agree when the spans overlap (None: neither
    is known). With `spans`, the assignment is a function of the entries' texts and pages,
    `doc_texts` and the spans, and is kept under them while a teikit.core.runmemo.Memo is
    installed (a build after a word edit matches the same contents again).
    """
    if spans is None:
        return _match_toc(entries, doc_texts, date_agrees)
    if date_agrees is not None:
        raise TypeError("give date_agrees or spans, not both")
    entry_spans, doc_spans = (tuple(x) for x in spans)

    def agrees(i, k):
        a, b = entry_spans[i], doc_spans[k]
        if a == NO_DATE or b == NO_DATE:
            return None
        if a is None or b is None:
            return False
        return a[0] <= b[1] and b[0] <= a[1]

    may_agree = _overlapping(doc_spans)

    def candidates(i):
        return may_agree(entry_spans[i])

    memo = runmemo.current()
    if memo is None:
        return _match_toc(entries, doc_texts, agrees, candidates)
    key = (tuple((e.text, e.page) for e in entries), tuple(doc_texts), entry_spans, doc_spans)
    found = memo.get("match_toc", key)
    if found is None:
        found = _match_toc(entries, doc_texts, agrees, candidates)
        memo.put("match_toc", key, found)
    return dict(found)


def _overlapping(spans):
    """may_agree(span) -> the indices k whose spans[k] ((first day, last day), None or
    NO_DATE) overlaps `span`: those whose dates agree with it. Found by bisection over the
    first days: a span that overlaps begins at most the longest span's length before `span`."""
    dated = sorted((b[0], b[1], k) for k, b in enumerate(spans) if b is not None and b != NO_DATE)
    firsts = [t[0] for t in dated]
    longest = max((t[1] - t[0] for t in dated), default=None)

    def may_agree(a) -> list[int]:
        if a is None or a == NO_DATE or not dated:
            return []
        try:
            lo = bisect.bisect_left(firsts, a[0] - longest)
        except OverflowError:  # before the first day there is
            lo = 0
        return [k for b0, b1, k in dated[lo:bisect.bisect_right(firsts, a[1])] if a[0] <= b1 and b0 <= a[1]]

    return may_agree


def _match_toc(entries: list[TocEntry], doc_texts: list[str], date_agrees, date_candidates=None) -> dict[int, int]:
    """match_toc's assignment. `date_candidates(i)` (with `date_agrees`): the documents k
    for which date_agrees(i, k) may be True.

    Which documents are scored for entry i: a candidate needs a score over 0.35, and a
    score is the shared weight over the entry's total, plus 0.5 for a date that agrees,
    minus penalties (>= 0). The entry's lightest words whose weights together stay under
    0.35 of its total (with a margin far above rounding) cannot lift a document over 0.35
    alone; so only the documents that have one of its other words, or may agree in date,
    are scored. Each is scored as before: the weights of the entry's words it has, summed
    in the entry's word order. The candidates are those of scoring every pair, in order."""
    df = Counter()
    doc_words = [Counter(words(t)) for t in doc_texts]
    for c in doc_words:
        df.update(set(c))
    n = max(len(doc_texts), 1)

    def idf(w):
        return log((n + 1) / (df.get(w, 0) + 0.5))

    docs_with: dict[str, list[int]] = {}  # word -> the documents whose text has it, in order
    for k, c in enumerate(doc_words):
        for w in c:
            docs_with.setdefault(w, []).append(k)
    entry_words = [Counter(words(e.text)) for e in entries]
    candidates = []
    for i, ew in enumerate(entry_words):
        weights = [(w, idf(w)) for w in ew]  # each word's idf once, summed in the same order
        total = sum(x for _w, x in weights) or 1.0
        keys, values = [w for w, _x in weights], [x for _w, x in weights]
        if date_agrees is None or date_candidates is not None:
            cap, light, lifting = 0.35 * total / (1 + 1e-9), 0.0, set()
            for w, x in sorted(weights, key=lambda t: t[1]):  # idf > 0: the lightest first
                if light + x <= cap:
                    light += x
                else:
                    lifting.add(w)
            scored = {k for w in lifting for k in docs_with.get(w, ())}
            if date_agrees is not None:
                scored.update(date_candidates(i))
            scored = sorted(scored)
        else:
            scored = range(len(doc_words))
        for k in scored:
            has = doc_words[k]
            # the weights of the entry's words this document has, in the entry's word order
            # (picked by compress and map, without a Python loop: the same floats, summed alike)
            shared = sum(compress(values, map(has.__contains__, keys)))
            score = shared / total
            agree = date_agrees(i, k) if date_agrees else None
            if agree is True:
                score += 0.5
            elif agree is False:
                score -= 0.3
            # weak preference for the same relative position
            score -= 0.1 * abs(i / max(len(entries), 1) - k / n)
            if score > 0.35:
                candidates.append((score, i, k))
    first = _assign(candidates)
    # second pass: the printed page should fall between the pages of the neighbouring
    # documents (pages follow the body even where dates do not); this settles entries
    # that two documents fit about equally, e.g. a document printed twice
    pages = _neighbour_pages(first, entries, n)
    rescored = []
    for score, i, k in candidates:
        page = _page(entries[i])
        lo, hi = pages[k]
        if page is not None and lo is not None and hi is not None:
            score += 0.2 if lo <= page <= hi else -0.2
        rescored.append((score, i, k))
    return _assign(rescored)


def _assign(candidates: list[tuple[float, int, int]]) -> dict[int, int]:
    """Greedy assignment, best score first: each entry and each document used once."""
    used_e: set[int] = set()
    used_d: set[int] = set()
    result: dict[int, int] = {}
    for _score, i, k in sorted(candidates, key=lambda t: (-t[0], t[1], t[2])):
        if i in used_e or k in used_d:
            continue
        result[i] = k
        used_e.add(i)
        used_d.add(k)
    return result


def _page(entry: TocEntry) -> int | None:
    return int(entry.page) if entry.page and entry.page.isdigit() else None


def _neighbour_pages(assigned: dict[int, int], entries: list[TocEntry], n: int) -> list[tuple[int | None, int | None]]:
    """For each document: the page of the nearest matched document before and after it."""
    page_of_doc: dict[int, int] = {}
    for i, k in assigned.items():
        page = _page(entries[i])
        if page is not None:
            page_of_doc[k] = page
    out = []
    for k in range(n):
        before = [page_of_doc[j] for j in range(k - 1, max(-1, k - 4), -1) if j in page_of_doc]
        after = [page_of_doc[j] for j in range(k + 1, min(n, k + 4)) if j in page_of_doc]
        out.append((min(before) if before else None, max(after) if after else None))
    return out
