"""Find the documents of a compilation: headings, their continuations, document spans.

The rules, in order (each a property of the printed page, none of a single document):

1. A *heading candidate* is a paragraph whose visible text is mostly bold, or a markdown
   heading (`### …`), short enough for a heading, and not one of the profile's `not_heading`
   forms (articles, appendices, numbered sections, "Sent to …").
2. A candidate opens a document when it starts with a heading word (`Telegram`, `Record
   of the conversation`, `From: …`, after an optional date), or starts with a full date,
   or is followed by a date line (a short paragraph that is mostly a date).
3. A paragraph that starts with a date and then a heading word, with a bold part
   (`May 12, 1938, from **telegram …**`) also opens a document.
4. Bold paragraphs right after a heading that do not open a document themselves and are
   not date lines or "Sent to" lines continue the heading (a heading broken over lines).
5. A paragraph in plain type with heading words, no closing full stop and a date line
   after it is a heading printed without bold.
6. A line holding only a year (`**1941**`) is a section divider; it is kept with the
   document that follows it.

The profile (docs/reader-profile.md) adds, where it declares them: whole heading forms
(`headings`) that open a document by themselves; markdown levels that are chapters or
subchapters (`levels`), never documents, kept with the document that follows; lines printed
above a heading that belong to it (`before_heading`: file numbers, a number on a line of its
own); lines between the heading and the date line (`after_heading`: bracketed notes, "sent
to" lines), which never continue a heading; the shape of a date line (`dateline`); and
running heads (`running_head`), which are skipped wherever the reader looks ahead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from teikit.convert import marks
from teikit.convert.dates import DateConventions, current, find_dates
from teikit.convert.readers.paragraphs import Para
from teikit.convert.readers.profile import ReaderProfile

#: paragraphs below which `find_headings` reads everything in this process (another
#: process's start-up and the sending of its answer cost more than it saves)
AHEAD_MIN_PARAS = 400

#: words of a date line that are not a heading besides its marks (a document number)
_DATELINE_WORDS = frozenset({"no"})


@dataclass
class HeadingSpan:
    """A document heading found in the body: its paragraphs, the dividers (section and
    chapter heads) and the lines printed above it that belong to the document."""

    paras: list[Para]
    divider: Para | None = None
    reason: str = ""
    dividers: list[Para] = field(default_factory=list)
    pre: list[Para] = field(default_factory=list)

    @property
    def start(self) -> int:
        first = [self.divider] if self.divider is not None else self.dividers or self.pre or self.paras
        return first[0].start

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paras)


def ahead_start(n: int) -> int:
    """The paragraph from which another process reads the headings of `n` paragraphs ahead:
    half of them. This process reads the contents before them first, and the other starts
    after the fork and sends its answer back, which about evens out (the bundled corpus, CPU-s
    of a clean conversion: this process's reading of the first half 0.062-0.071, the other's
    of the second 0.050-0.057, which ended 13-17 ms before this one reached it; from a third
    on, 0.041-0.045 and 0.076-0.085, and this process waited 54-113 ms for the other)."""
    return n // 2


def _floor(spans: list[HeadingSpan]) -> int:
    """The first line of the last heading's last paragraph (-1 before any): how far back
    `Segmenter._above` may look from the next heading."""
    return spans[-1].paras[-1].start if spans else -1


def looks_like_dateline(para: Para, profile: ReaderProfile | None = None) -> bool:
    """A short paragraph that is mostly a date: `May 24, 1939 out of line. Top secret`, or,
    where the profile gives the shape of a date line, one of that shape. Emphasis marks
    (`*Washington*, *July* 26, 1861.`) do not count."""
    text = para.bare
    if profile is not None and profile.dateline:
        return profile.is_dateline(text)
    if len(text) > 110 or len(text.split()) > 14:
        return False
    # a date with its month printed (`May 24, 1939`, `24 May`, `1937 g 25 on May`)
    return any(d.precision != "year" for d in find_dates(text, default_year=1900))


def leading_date(text: str):
    """The date a text begins with (after punctuation), if its month is printed, else None."""
    lead = len(re.match(r"\W*", text).group(0))
    first = next(iter(find_dates(text)), None)
    return first if first is not None and first.start == lead and first.precision != "year" else None


def starts_with_full_date(text: str) -> bool:
    return leading_date(text) is not None


class Segmenter:
    def __init__(self, profile: ReaderProfile):
        self.profile = profile

    # -- single-paragraph tests ---------------------------------------------------------
    def is_not_heading(self, text: str) -> bool:
        t = text.lstrip("#* ").strip()
        return any(p.search(t) for p in self.profile.not_heading)

    def is_divider(self, para: Para) -> bool:
        return self.profile.hit("section_divider", self.profile.section_divider.match(para.unmarked.lstrip("# ").strip())) \
            or self.profile.is_structure(para.heading_level)

    def is_aside(self, para: Para) -> bool:
        """A running head, or a line that stands above or below a heading: never a heading,
        never a date line, skipped when the reader looks ahead."""
        text = para.bare
        return bool(self.profile.is_running_head(text) or self.profile.line_kind(text, "before")
                    or self.profile.line_kind(text, "after"))

    def is_candidate(self, para: Para) -> bool:
        text = para.text
        if self.is_divider(para) or self.is_aside(para):
            return False
        if self.profile.level_role(para.heading_level) == "article":
            return False
        if not text or len(text) > self.profile.max_heading_chars:
            return False
        # bold or a heading level first: is_not_heading's patterns (no count kept) are then
        # searched in the few paragraphs that could be headings, not in every one
        return (para.bold_share >= 0.6 or para.heading_level > 0) and not self.is_not_heading(text)

    def opens_by_words(self, para: Para) -> str | None:
        """Why this candidate opens a document by its own words, or None."""
        text = para.text.lstrip("#*\\ ").strip()
        if self.profile.heading_form(para.bare):
            return "heading form"
        if self.profile.heading_start.match(text):
            return "heading word"
        if self.dated_heading(text):
            return "date and heading word"
        date = leading_date(text)
        if date is not None and len(text[date.end:].split()) >= 4:
            rest = marks.strip(text[date.end:], self.profile.classification, " ")
            words = [w for w in re.findall(r"[a-z]+", rest.lower()) if w not in _DATELINE_WORDS]
            if len(words) >= 4:
                return "date-first heading"
        return None

    def opens_partly_bold(self, para: Para) -> bool:
        """`May 12, 1938, from **telegram of …**`: a dated heading with a bold part."""
        if para.bold_share < 0.4 or len(para.text) > self.profile.max_heading_chars:
            return False
        return self.dated_heading(para.text)

    def dated_heading(self, text: str) -> bool:
        """`May 12, 1938, from telegram of …`: a date (year printed), then a heading word."""
        date = leading_date(text)
        if date is None or date.inferred_year:
            return False
        return bool(self.profile.heading_start.match(re.sub(r"^\s*[,.;]?\s*", "", text[date.end:])))

    def opens_unbolded(self, para: Para) -> bool:
        """`From letter of … to …` printed without bold: heading words, no closing stop."""
        text = para.text
        if len(text) > self.profile.max_heading_chars or len(para.lines) > 3:
            return False
        if text.rstrip().endswith((".", "!", "?", ":", ";", '"', "»")):
            return False
        return self.opens_by_words(para) is not None and " of the " in text.lower()

    # -- the whole body -----------------------------------------------------------------
    def find_headings(self, paras: list[Para], *, split_at: dict[int, str] | None = None,
                      merge_at: dict[int, str] | None = None, ahead=None) -> list[HeadingSpan]:
        """The document headings of `paras`, in order. `ahead(child, here)` -> (child() or
        None, here()), child() computed in another process meanwhile (the application
        layer's: teikit.docpool.ahead): when given, the second half is read there from its
        first paragraph on, and taken from where this process, reading on, is in the same
        state (`_from_ahead`): the same headings and the same profile counts as one reading."""
        split_at = split_at or {}
        merge_at = merge_at or {}
        spans: list[HeadingSpan] = []
        n = len(paras)
        if ahead is None or n < AHEAD_MIN_PARAS:
            self._scan(paras, 0, spans, split_at, merge_at)
            return spans
        half = ahead_start(n)
        got, i = ahead(lambda: self._read_ahead(paras, half, split_at, merge_at),
                       lambda: self._scan(paras, 0, spans, split_at, merge_at, lambda i, _s: i >= half))
        if got is not None:
            self._from_ahead(paras, i, spans, got, split_at, merge_at)
        else:
            self._scan(paras, i, spans, split_at, merge_at)
        return spans

    def _scan(self, paras: list[Para], i: int, spans: list[HeadingSpan], split_at: dict[int, str],
              merge_at: dict[int, str], stop=None) -> int:
        """Read on from paragraph i, appending to `spans`, to the end or to the first loop top
        where stop(i, spans) holds; returns where it stopped. The reading's whole state at a
        loop top is i and the first line of the last span's last paragraph (`_floor`): what
        follows is a function of these two (and of the paragraphs, the profile, the overrides)."""
        n = len(paras)
        while i < n:
            if stop is not None and stop(i, spans):
                return i
            para = paras[i]
            reason = None
            if para.start in merge_at:
                i += 1
                continue
            if para.start in split_at:
                reason = "editorial override: " + split_at[para.start]
            elif self.is_candidate(para):
                reason = self.opens_by_words(para)
                if reason is None and self._dateline_follows(paras, i):
                    reason = "followed by a date line"
            elif self.opens_partly_bold(para):
                reason = "dated heading, partly bold"
            elif self.opens_unbolded(para) and self._dateline_follows(paras, i):
                reason = "unbolded heading before a date line"
            if reason is None:
                i += 1
                continue
            pre, dividers = self._above(paras, i, _floor(spans))
            divider = dividers[-1] if len(dividers) == 1 and not pre and not self.profile.is_structure(dividers[-1].heading_level) else None
            heading = [para]
            j = i + 1
            while j < n and self._continues_heading(paras[j]):
                heading.append(paras[j])
                j += 1
            # the end of a heading printed in plain type before the date line: `A. Aktaem`
            k = j
            while k < min(j + 2, n) and self._plain_heading_tail(paras[k]):
                k += 1
            if k > j and k < n and looks_like_dateline(paras[k], self.profile):
                heading.extend(paras[j:k])
                j = k
            spans.append(HeadingSpan(heading, divider, reason, [] if divider else dividers, pre))
            i = j
        return i

    def _read_ahead(self, paras: list[Para], start: int, split_at: dict[int, str], merge_at: dict[int, str]):
        """In another process: paragraphs start.. read from no heading before them, noting at
        its first loop top and after each heading it finds the state (`_floor`), the headings
        found so far and the profile's counts; with the headings (by paragraph number), the
        final counts and the paragraphs' derived properties (see `_from_ahead`)."""
        from teikit.convert.readers.paragraphs import derived_of

        spans: list[HeadingSpan] = []
        tops: dict[int, tuple[int, int, dict]] = {}
        used = self.profile.used

        def note(i, spans):
            if i == start or len(spans) != noted[-1]:
                tops[i] = (_floor(spans), len(spans), dict(used))
                noted.append(len(spans))
            return False

        noted = [0]
        had = [frozenset(p.__dict__) for p in paras[start:]]
        self._scan(paras, start, spans, split_at, merge_at, note)
        where = {id(p): k for k, p in enumerate(paras)}

        def at(p):
            return None if p is None else where[id(p)]

        found = [(tuple(map(at, h.paras)), at(h.divider), h.reason, tuple(map(at, h.dividers)), tuple(map(at, h.pre)))
                 for h in spans]
        props = [derived_of(p, had[k]) for k, p in enumerate(paras[start:])]
        return start, tops, found, dict(used), props

    def _from_ahead(self, paras: list[Para], i: int, spans: list[HeadingSpan], got, split_at, merge_at) -> bool:
        """Read on from loop top i (past where `got`, the other process's reading, began)
        until a loop top it noted with this reading's state; from there its headings and the
        rest of its counts are this reading's (the same state: the same steps follow, so the
        same headings and counts), and its paragraphs' derived properties are kept. Whether
        `got` was taken (else this process has read to the end itself)."""
        start, tops, found, final, props = got
        used = self.profile.used
        met = []

        def same(i, spans):
            top = tops.get(i)
            if top is not None and top[0] == _floor(spans):
                met.append(top)
                return True
            return False

        i = self._scan(paras, i, spans, split_at, merge_at, same)
        if not met:
            return False
        _floor_at, n_spans, counts = met[0]
        for key, total in final.items():
            more = total - counts.get(key, 0)
            if more:
                used[key] += more
        for idx, para_idx, reason, divs, pre in found[n_spans:]:
            divider = paras[para_idx] if para_idx is not None else None
            spans.append(HeadingSpan([paras[k] for k in idx], divider, reason, [paras[k] for k in divs],
                                     [paras[k] for k in pre]))
        for k in range(i - start, len(props)):
            for name, value in props[k].items():
                paras[start + k].__dict__.setdefault(name, value)
        return True

    def _above(self, paras: list[Para], i: int, floor: int) -> tuple[list[Para], list[Para]]:
        """The lines above heading i that belong to its document (file numbers, a number on
        its own line) and the dividers above those (chapter and section heads)."""
        k = i
        pre: list[Para] = []
        while k > 0 and paras[k - 1].start > floor and len(pre) < 3 and self.profile.line_kind(paras[k - 1].bare, "before"):
            k -= 1
            pre.insert(0, paras[k])
        dividers: list[Para] = []
        while k > 0 and paras[k - 1].start > floor and self.is_divider(paras[k - 1]):
            k -= 1
            dividers.insert(0, paras[k])
            if not self.profile.is_structure(paras[k].heading_level):
                break  # a section divider (`**1941**`) is the last thing above a heading
        return pre, dividers

    def _dateline_follows(self, paras: list[Para], i: int) -> bool:
        for k in range(i + 1, min(i + 4, len(paras))):
            nxt = paras[k]
            if self.is_aside(nxt):
                continue
            if looks_like_dateline(nxt, self.profile):
                return True
            if nxt.bold_share < 0.6 and not re.match(r"^(?:sent to|secret|top secret)\b", nxt.text, re.I):
                return False
        return False

    def _plain_heading_tail(self, para: Para) -> bool:
        text = para.text
        return (
            len(text) <= 70
            and len(para.lines) <= 2
            and not text.rstrip().endswith((".", "!", "?", ":", ";", '"'))
            and not looks_like_dateline(para, self.profile)
            and not self.is_aside(para)
            and not self.is_not_heading(text)
            and not re.match(r"^\W*(?:sent|secret|top|urgent|immediately|copy|no\.?\s*\d)", text, re.I)
        )

    def _continues_heading(self, para: Para) -> bool:
        if not self.is_candidate(para):
            return False
        if looks_like_dateline(para, self.profile) or self.opens_by_words(para) or self.is_divider(para):
            return False
        return True
