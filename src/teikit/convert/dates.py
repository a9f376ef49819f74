"""Dates as printed -> ISO 8601 readings (YYYY, YYYY-MM, YYYY-MM-DD) with their precision.

The finder is built from regular expressions (the corpus's conventions: DateConventions);
python-dateutil interprets the tokens of each span it isolates, with two sentinel defaults
telling which parts were printed (docs/dates.md has the measurements). It never fills in a
month or a day that was not printed, and never takes anything from the clock. A year that
was not printed comes only from the caller's `default_year` and is flagged as inferred.

Forms read (month names in English, any case, abbreviations with or without a dot):

    April 21, 1919        21 April 1919       28th of August 1921     Sept. 8, 1921
    December 22-29, 1920  22-29 December 1920  December 1920           1941
    December 28, 1920 - January 3, 1921        December 28 - January 3, 1921
    1937 g 25 on May.     1937 g on May 14.    October 1937 11 city of   (word order of
                                                       a machine-translated "25 мая 1937 г.")
    with default_year:    August 20-26         May 14               December 1, 20

OCR slips inside a year (`l938`, `19З9`, `I94O`) are repaired by `repair_ocr_year` when the
repair is unambiguous; month names tolerate `1`/`l`/`i` and `0`/`o` confusions (`Apr11`).
Impossible dates (February 30, day 0, years outside `min_year`..`max_year`) are rejected,
and the shorter readings inside them are not returned either.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from teikit.convert.dateconventions import (  # noqa: F401 - part of this module's API
    DEFAULT_ORDERS,
    ENGLISH,
    ENGLISH_MONTHS,
    ORDERS,
    DateConventions,
    by_identity,
    conventions,
    current,
)
from teikit.convert.isodates import (  # noqa: F401 - part of this module's API
    PRECISIONS,
    date_range,
    dates_agree,
    is_valid_iso,
    iso_bounds,
    precision_of,
)
from teikit.convert.dateparts import (  # noqa: F401 - part of this module's API
    MAX_YEAR,
    MIN_YEAR,
    _parserinfo,
    _parts_as_printed,
    _parts_by_dateutil,
    repair_ocr_year,
)
from teikit.convert.dateparts import Rejected as _Rejected
from teikit.convert.model import DocDate
from teikit.core import runmemo, rxforms
from teikit.convert.ocr import NUMBER_CHARS


_NOTE_YEAR_FROM_CONTEXT = "year not printed; taken from context"
_NOTE_CENTURY_FROM_CONTEXT = "year printed with two digits; century taken from context"


@dataclass
class DateMatch:
    """One date expression found in a string, with its span and ISO reading.

    `when` is set for a single date; `from_` and `to` for a range. `precision` is the
    coarsest precision printed ("day", "month" or "year"). `inferred_year` is True when the
    year (or its century) came from `default_year`; `note` then says how.
    """

    start: int
    end: int
    printed: str
    when: str | None
    from_: str | None
    to: str | None
    precision: str
    inferred_year: bool = False
    note: str | None = None


# ---------------------------------------------------------------------------------------
# building blocks of the patterns

_B = r"(?<![0-9A-Za-z])"  # no letter or digit before
_E = r"(?![0-9A-Za-z])"  # no letter or digit after
_S0 = r"[^\S\n]*(?:\n[^\S\n]*)?"  # optional white space, at most one line break
_S1 = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"  # some white space, at most one line break
_DASH = _S0 + r"[-‐‑–—]" + _S0
_DY = _S0 + r"[,.]?" + _S0  # between day and year
_MY = _S0 + r",?" + _S0  # between month and year
_YEAR_CHARS = NUMBER_CHARS  # a year as OCR may print it (teikit.convert.ocr)


def month_number(token: str) -> int | None:
    """1..12 for a month name or abbreviation of the current conventions (OCR-tolerant), else None."""
    return current().month_number(token)


def _month(name: str, alternatives: str) -> str:
    return rf"{_B}(?P<{name}>{alternatives}){_E}"


def _day(name: str, suffixes: tuple[str, ...]) -> str:
    suffix = rf"(?:{'|'.join(map(re.escape, suffixes))})?" if suffixes else ""
    return rf"{_B}(?P<{name}>[0-3]?[0-9]){suffix}{_E}"


def _year(name: str) -> str:
    return rf"{_B}(?P<{name}>[12lIiІ|][{_YEAR_CHARS}]{{3}}){_E}"


def _two_digit_year(name: str) -> str:
    return rf"{_B}(?P<{name}>[0-9]{{2}}){_E}"


# a day-month without a year must not be followed by something that looks like a year:
# "February 29, 1921" is impossible, and "February 29" must not be read from it.
_NO_YEAR_AFTER = rf"(?!{_S0}[,.]?{_S0}(?:[0-9]|[{_YEAR_CHARS}]{{4}}{_E}))(?!{_DASH}[0-9])"
# ... nor preceded by a number, which belongs to the date ("30 September, 2", "1937 g on May 14")
_NO_NUMBER_BEFORE = r"(?<![0-9][,.] )(?<![0-9] )"

_RU_G = r"g\.?"  # "г." (year) of a machine-translated Russian date
_ON = rf"(?:on{_S1})?"
Y1, Y2 = _year("y1"), _year("y2")
# a two-digit year followed by a word in lower case is a count: "May 5, 12 soldiers"
YY = _two_digit_year("yy") + rf"(?![.,]?[0-9])(?!{_S1}(?-i:[a-z]))"


def _patterns_source(conv: DateConventions, alternatives: str) -> list[tuple[str, str, str, str]]:
    """(name, pattern, kind, order) of every form. kind "full": year printed; "no-year":
    needs default_year; "two-digit": the year's century comes from default_year;
    "bare-year": a year alone. order: the entry of ORDERS that switches the form on."""
    M1, M2 = _month("m1", alternatives), _month("m2", alternatives)
    D1, D2 = _day("d1", conv.day_suffixes), _day("d2", conv.day_suffixes)
    _OF = rf"(?:{_S1}(?:{'|'.join(map(re.escape, conv.day_of))}))?" if conv.day_of else ""
    return [
        # ranges between two complete dates
        ("mdy-mdy", rf"{M1}{_S0}{D1}{_DY}{Y1}{_DASH}{M2}{_S0}{D2}{_DY}{Y2}", "full", "mdy"),
        ("dmy-dmy", rf"{D1}{_OF}{_S1}{M1}{_MY}{Y1}{_DASH}{D2}{_OF}{_S1}{M2}{_MY}{Y2}", "full", "dmy"),
        ("my-my", rf"{M1}{_MY}{Y1}{_DASH}{M2}{_MY}{Y2}", "full", "my"),
        # ranges across months within one printed year
        ("m-my", rf"{M1}{_DASH}{M2}{_MY}{Y2}", "full", "my"),
        ("md-md-y", rf"{M1}{_S0}{D1}{_DASH}{M2}{_S0}{D2}{_DY}{Y2}", "full", "mdy"),
        ("dm-dm-y", rf"{D1}{_S1}{M1}{_DASH}{D2}{_S1}{M2}{_MY}{Y2}", "full", "dmy"),
        # ranges of days within one month
        ("md-d-y", rf"{M1}{_S0}{D1}{_DASH}{D2}{_DY}{Y1}", "full", "mdy"),
        ("d-dm-y", rf"{D1}{_DASH}{D2}{_S1}{M1}{_MY}{Y1}", "full", "dmy"),
        # single dates
        ("mdy", rf"{M1}{_S0}{D1}{_DY}{Y1}", "full", "mdy"),
        ("dmy", rf"{D1}{_OF}{_S1}{M1}{_MY}{Y1}", "full", "dmy"),
        ("ydm-ru", rf"{Y1}{_S1}{_RU_G}{_S1}{_ON}{D1}{_S1}{_ON}{M1}", "full", "ru-mt"),
        ("ymd-ru", rf"{Y1}{_S1}{_RU_G}{_S1}{_ON}{M1}{_S0}{D1}", "full", "ru-mt"),
        ("myd-ru", rf"{M1}{_S1}{Y1}{_S1}{D1}{_S1}(?:city|{_RU_G}){_E}", "full", "ru-mt"),
        ("my", rf"{M1}{_MY}{Y1}", "full", "my"),
        # the year's century from context
        ("md-yy", rf"{M1}{_S0}{D1}{_S0},{_S0}{YY}", "two-digit", "mdy"),
        # no year printed
        ("md-d", rf"{_NO_NUMBER_BEFORE}{M1}{_S0}{D1}{_DASH}{D2}{_NO_YEAR_AFTER}", "no-year", "mdy"),
        ("d-dm", rf"{D1}{_DASH}{D2}{_S1}{M1}{_NO_YEAR_AFTER}", "no-year", "dmy"),
        ("md", rf"{_NO_NUMBER_BEFORE}{M1}{_S0}{D1}{_NO_YEAR_AFTER}", "no-year", "mdy"),
        ("dm", rf"{D1}{_OF}{_S1}{M1}{_NO_YEAR_AFTER}", "no-year", "dmy"),
        # years alone
        ("y-y", rf"(?<![/№])(?P<y1>[0-9]{{4}}){_DASH}(?P<y2>[0-9]{{4}}){_E}(?!/)", "bare-year", "y"),
        ("y", rf"(?<![/№])(?<![0-9A-Za-z])(?P<y1>[0-9]{{4}}){_E}(?![/-][0-9])", "bare-year", "y"),
    ]


#: the forms whose source holds, at its top level (in sequence, not inside an optional part,
#: an alternative or a lookaround), a `_DASH` and a month (`M1`): a text with no dash or no
#: month name cannot hold one (tests/test_dates_needs.py checks the table on the parsed forms)
_NEEDS_DASH = frozenset({"mdy-mdy", "dmy-dmy", "my-my", "m-my", "md-md-y", "dm-dm-y", "md-d-y", "d-dm-y",
                         "md-d", "d-dm", "y-y"})
_NEEDS_MONTH = frozenset({"mdy-mdy", "dmy-dmy", "my-my", "m-my", "md-md-y", "dm-dm-y", "md-d-y", "d-dm-y",
                          "mdy", "dmy", "ydm-ru", "ymd-ru", "myd-ru", "my", "md-yy", "md-d", "d-dm", "md", "dm"})


_REQUIRED = ("dash", "month")  # the parts a form may require, by number


@functools.lru_cache(maxsize=16)
def _patterns(conv: DateConventions) -> list[tuple[str, re.Pattern, str, tuple[tuple[int, re.Pattern], ...]]]:
    """(name, compiled pattern, kind, what the text must hold for the form to match) of the
    forms `conv.orders` switches on. What it must hold: the dash of a range, a month name,
    each searched with the same flags as the form that holds it (so a text without it has no
    match of that form: the form's match holds a match of that part)."""
    _check_orders(conv.orders)
    dash = (0, rxforms.compile(r"[-‐‑–—]", re.IGNORECASE))  # _DASH's one required character
    month = (1, rxforms.compile(_month("m1", conv.month_pattern), re.IGNORECASE))  # M1 as the forms hold it
    return [(name, rxforms.compile(src, re.IGNORECASE), kind,
             (dash,) * (name in _NEEDS_DASH) + (month,) * (name in _NEEDS_MONTH))
            for name, src, kind, order in _patterns_source(conv, conv.month_pattern) if order in conv.orders]


# a number after "No." or an archival abbreviation (f. fond, op. opis, p. papka,
# d. delo, l. list) is a number, not a year: "d. 2036"
_NUMBER_MARK_BEFORE = re.compile(
    r"(?:\b(?:no|nr|nos|f|op|p|pp|d|l|ll|art|doc)\.?|№)\s*$", re.IGNORECASE
)


_ASCII_DIGIT = re.compile(r"[0-9]")


# ---------------------------------------------------------------------------------------
# reading


def find_dates(
    text: str,
    *,
    default_year: int | None = None,
    min_year: int = MIN_YEAR,
    max_year: int = MAX_YEAR,
    conventions: DateConventions | None = None,
) -> list[DateMatch]:
    """Every date expression in `text`, in order, without overlaps.

    Where readings overlap the longest wins ("December 22-29, 1920" over "1920"). A date
    without a printed year is read only when `default_year` is given, and is marked
    `inferred_year`. A candidate that is impossible as printed (February 30) is dropped
    together with every shorter reading inside it.
    """
    conv = conventions or current()
    _check_orders(conv.orders)  # (raises for orders it does not know, whatever the text)
    if not _ASCII_DIGIT.search(text):
        # every reading needs a printed day or year (OCR-repaired years need two real digits)
        return []
    # the same line is asked about several times (heading, date line, contents): the
    # readings are remembered (and, while a teikit.core.runmemo.Memo is installed, kept
    # from an earlier run: a function of the arguments and the conventions, its key), and
    # each caller gets its own copies
    memo = runmemo.current()
    if memo is not None and interpret is _parts_by_dateutil:
        key = (text, default_year, min_year, max_year, _written(conv))
        found = memo.get("find_dates", key)
        if found is None:
            found = _find_dates(text, default_year, min_year, max_year, conv, interpret)
            memo.put("find_dates", key, found)
    else:
        found = _find_dates(text, default_year, min_year, max_year, conv, interpret)
    return [_copied(m) for m in found]


def _copied(match: DateMatch) -> DateMatch:
    """A shallow copy of `match`: what copy.copy makes of a dataclass instance (a new
    instance, no __init__ run, holding the same attribute values), without copy's dispatch."""
    made = object.__new__(DateMatch)
    made.__dict__.update(match.__dict__)
    return made


def compile_afresh() -> None:
    """Forget the compiled forms (the next find_dates compiles them again, through
    teikit.core.rxforms: from their kept code, in a few milliseconds)."""
    _patterns.cache_clear()


_WRITTEN: dict[int, tuple[DateConventions, str]] = {}


def _written(conv: DateConventions) -> str:
    """The conventions written out (their repr: every field, exactly), by identity
    (dateconventions.by_identity)."""
    return by_identity(_WRITTEN, conv, repr)


@functools.lru_cache(maxsize=16)
def _check_orders(orders: tuple[str, ...]) -> None:
    unknown = set(orders) - set(ORDERS)
    if unknown:
        raise ValueError(f"unknown date order(s) {sorted(unknown)}; the orders are {list(ORDERS)}")


@functools.lru_cache(maxsize=4096)
def _find_dates(text: str, default_year: int | None, min_year: int, max_year: int, conv: DateConventions,
                _interpret) -> tuple[DateMatch, ...]:
    """find_dates' readings (a function of its arguments, the conventions and `interpret`)."""
    candidates: list[tuple[int, int, int, DateMatch]] = []
    rejected: list[tuple[int, int]] = []
    patterns = _patterns(conv)
    if conv.years and (min_year, max_year) == (MIN_YEAR, MAX_YEAR):
        min_year, max_year = conv.years  # the profile's range (`dates.years`) over the generic one
    held: list[bool | None] = [None] * len(_REQUIRED)  # whether the text holds each required part (asked once)
    for order, (name, pattern, kind, needs) in enumerate(patterns):
        if kind in ("no-year", "two-digit") and default_year is None:
            continue
        if needs and not all(_holds(text, need, held) for need in needs):
            continue  # it cannot match: the same readings, without running it
        for found in pattern.finditer(text):
            start, end = found.span()
            if kind == "bare-year" and _NUMBER_MARK_BEFORE.search(text[max(0, start - 12) : start]):
                continue
            try:
                match = _reading(conv, found, kind, default_year, min_year, max_year)
            except _Rejected:
                if kind == "full":
                    rejected.append((start, end))
                continue
            if match is not None:
                candidates.append((start, end, order, match))

    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    chosen: list[DateMatch] = []
    for start, end, _order, match in candidates:
        if any(r_start <= start and end <= r_end for r_start, r_end in rejected):
            continue
        if any(start < c.end and c.start < end for c in chosen):
            continue
        chosen.append(match)
    chosen.sort(key=lambda m: m.start)
    return tuple(chosen)


def _holds(text: str, part: tuple[int, re.Pattern], held: list) -> bool:
    k, pattern = part  # (by its number: hashing a compiled pattern hashes its whole code)
    found = held[k]
    if found is None:
        found = held[k] = pattern.search(text) is not None
    return found


def parse_date(
    text: str,
    *,
    default_year: int | None = None,
    min_year: int = MIN_YEAR,
    max_year: int = MAX_YEAR,
    conventions: DateConventions | None = None,
) -> DocDate | None:
    """The date of a line such as a dateline or heading, or None.

    The most complete date wins (day over month over year, a printed year over an
    inferred one); among equals the first. `printed` is the matched text exactly. A year
    taken from `default_year` gives cert="medium" and a note saying so.
    """
    matches = find_dates(text, default_year=default_year, min_year=min_year, max_year=max_year,
                         conventions=conventions)
    if not matches:
        return None
    best = min(
        matches,
        key=lambda m: (PRECISIONS.index(m.precision), m.inferred_year, m.start),
    )
    return to_docdate(best)


def to_docdate(match: DateMatch, *, source: str | None = None) -> DocDate:
    """The DocDate of a DateMatch (cert "medium" and a note when the year was inferred)."""
    return DocDate(
        printed=match.printed,
        when=match.when,
        from_=match.from_,
        to=match.to,
        cert="medium" if match.inferred_year else None,
        note=match.note if match.inferred_year else None,
        source=source,
    )


# ---------------------------------------------------------------------------------------
# internals


def _iso(year: int, month: int | None, day: int | None, min_year: int, max_year: int) -> str:
    if not min_year <= year <= max_year:
        raise _Rejected
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as exc:
        raise _Rejected from exc
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _expand_two_digits(two: str, default_year: int, min_year: int, max_year: int) -> int:
    """The year ending in `two` nearest to default_year, if within ten years of it."""
    options = [c * 100 + int(two) for c in range(default_year // 100 - 1, default_year // 100 + 2)]
    year = min(options, key=lambda y: abs(y - default_year))
    if abs(year - default_year) > 10 or not min_year <= year <= max_year:
        raise _Rejected
    return year


#: how an endpoint's printed parts are interpreted (bench/bench_dates.py compares the two)
interpret = _parts_by_dateutil


def _reading(
    conv: DateConventions,
    found: re.Match[str],
    kind: str,
    default_year: int | None,
    min_year: int,
    max_year: int,
) -> DateMatch | None:
    groups = found.groupdict()
    parts = [interpret(conv, found, k, min_year, max_year) for k in (1, 2)]
    years, months, days = ([p[i] for p in parts] for i in range(3))
    inferred, note = False, None
    if kind == "no-year":
        years = [default_year, None]
        inferred, note = True, _NOTE_YEAR_FROM_CONTEXT
    elif kind == "two-digit":
        years = [_expand_two_digits(groups["yy"], default_year, min_year, max_year), None]
        inferred, note = True, _NOTE_CENTURY_FROM_CONTEXT

    is_range = groups.get("d2") is not None or groups.get("y2") is not None
    if kind in ("no-year", "two-digit", "full") and not any(months):
        return None

    left_month = months[0] or months[1]
    right_month = months[1] or months[0]
    left_year, right_year = years
    shared_year = left_year is None or right_year is None
    left_year = left_year if left_year is not None else right_year
    right_year = right_year if right_year is not None else left_year
    if shared_year and is_range and left_month and right_month and left_month > right_month:
        # "December 28 - January 3, 1921": the year printed is the year of the end
        left_year -= 1

    start_iso = _iso(left_year, left_month, days[0], min_year, max_year)
    if not is_range:
        return _match(found, start_iso, None, None, inferred, note)
    end_iso = _iso(right_year, right_month, days[1], min_year, max_year)
    if iso_bounds(end_iso)[1] < iso_bounds(start_iso)[0]:
        # a range that ends before it begins is no range; between two whole dates the
        # dates themselves may still be read, a part such as "29-22" is impossible
        if shared_year:
            raise _Rejected
        return None
    if start_iso == end_iso:
        return _match(found, start_iso, None, None, inferred, note)
    return _match(found, None, start_iso, end_iso, inferred, note)


def _match(
    found: re.Match[str],
    when: str | None,
    from_: str | None,
    to: str | None,
    inferred: bool,
    note: str | None,
) -> DateMatch:
    values = [v for v in (when, from_, to) if v]
    precision = max((precision_of(v) for v in values), key=PRECISIONS.index)
    return DateMatch(
        start=found.start(),
        end=found.end(),
        printed=found.group(0),
        when=when,
        from_=from_,
        to=to,
        precision=precision,
        inferred_year=inferred,
        note=note,
    )
