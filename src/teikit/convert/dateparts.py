"""The parts of a found date, read from the finder's groups (teikit.convert.dates): a year as
OCR printed it (`repair_ocr_year`), and an endpoint's year, month and day either as printed or
interpreted by python-dateutil (the one teikit uses; bench/bench_dates.py compares the two).
`Rejected` is raised for a candidate that looks like a date but is not a possible one."""

from __future__ import annotations

import datetime
import functools
import re

from teikit.convert.dateconventions import DateConventions
from teikit.convert.ocr import OCR_DIGITS

MIN_YEAR = 1800
MAX_YEAR = 2100


class Rejected(Exception):
    """A candidate that looks like a date but is not a possible one."""


def repair_ocr_year(
    token: str, *, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR
) -> str | None:
    """A four-digit year from a token whose digits OCR may have read as letters.

    `l938` -> "1938", `19З9` (Cyrillic Ze) -> "1939", `I94O` -> "1940"; a clean year is
    returned as is. None when the token is not four characters, has fewer than two real
    digits, holds a character whose digit is uncertain (S, B, Z, G...), or the year falls
    outside `min_year`..`max_year`.
    """
    token = token.strip()
    if len(token) != 4 or sum(c.isascii() and c.isdigit() for c in token) < 2:
        return None
    digits = []
    for char in token:
        if char.isascii() and char.isdigit():
            digits.append(char)
        elif char in OCR_DIGITS:
            digits.append(OCR_DIGITS[char])
        else:
            return None
    year = "".join(digits)
    if not min_year <= int(year) <= max_year:
        return None
    return year


def _printed_year(token: str | None, min_year: int, max_year: int) -> int | None:
    if token is None:
        return None
    year = repair_ocr_year(token, min_year=min_year, max_year=max_year)
    if year is None:
        raise Rejected
    return int(year)


def _parts_as_printed(conv: DateConventions, found: re.Match[str], k: int, min_year: int,
                      max_year: int) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of endpoint k (1 or 2) as the finder's groups printed them."""
    groups = found.groupdict()
    month = conv.month_number(groups[f"m{k}"]) if groups.get(f"m{k}") else None
    day = int(groups[f"d{k}"]) if groups.get(f"d{k}") else None
    return _printed_year(groups.get(f"y{k}"), min_year, max_year), month, day


#: two defaults that differ in every part (leap years, 31-day months: any printed day fits)
_SENTINELS = (datetime.datetime(4, 1, 1), datetime.datetime(8, 3, 2))


@functools.lru_cache(maxsize=16)
def _parserinfo(conv: DateConventions):
    """dateutil's parserinfo with the conventions' month names (dateutil is imported on first
    use: a build whose dates are all kept from the last one needs none)."""
    import dateutil.parser

    info = dateutil.parser.parserinfo
    return type("TeikitParserInfo", (info,), {"MONTHS": [names for names in conv.months]})()


def _parts_by_dateutil(conv: DateConventions, found: re.Match[str], k: int, min_year: int,
                       max_year: int) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of endpoint k (1 or 2), interpreted by python-dateutil.

    The finder has isolated the span and read each token (an OCR-repaired year, a month
    name in any case or OCR form); dateutil interprets the endpoint's tokens, parsed twice
    with two sentinel defaults: a part that differs between the two was not printed."""
    groups = found.groupdict()
    tokens = []  # (where, role, the token dateutil is given, its number)
    if groups.get(f"y{k}"):
        year = _printed_year(groups[f"y{k}"], min_year, max_year)
        tokens.append((found.start(f"y{k}"), "y", str(year), year))
    if groups.get(f"m{k}"):
        month = conv.month_number(groups[f"m{k}"])
        tokens.append((found.start(f"m{k}"), "m", conv.months[month - 1][0], month))
    if groups.get(f"d{k}"):
        tokens.append((found.start(f"d{k}"), "d", groups[f"d{k}"], None))
    if not tokens:
        return None, None, None
    tokens.sort()
    parts = _plain_parts(conv, tokens)
    if parts is None:
        parts = _dateutil_parts(conv, " ".join(t for _pos, _role, t, _n in tokens))
    if parts is None:  # an impossible date as printed (February 30)
        raise Rejected
    printed = (bool(groups.get(f"y{k}")), bool(groups.get(f"m{k}")), bool(groups.get(f"d{k}")))
    if tuple(p is not None for p in parts) != printed:
        # dateutil gave a token another role than it has here ("January 32": the year 2032)
        raise Rejected
    return parts


#: the month names of the default conventions (English), for which `_plain_parts` is checked
_PLAIN_MONTHS = DateConventions().months
_PLAIN_DAY = re.compile(r"[1-9]|[12][0-9]|3[01]")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plain_parts(conv: DateConventions, tokens: list) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of an endpoint's tokens ((where, role, token, number), in the order
    printed) as dateutil reads them (`_dateutil_parts`), without asking it, in the cases where
    its reading is known: the default conventions' month names, a month printed or only one
    part, a day without a leading zero that the month has (in a leap year when no year is
    printed: the sentinel defaults' years 4 and 8 are). tests/test_dateparts.py compares the
    two on every such date of every order of the parts. None elsewhere: dateutil is asked
    (and imported: ~10-20 ms, which a conversion of such dates needs no more)."""
    if conv.months != _PLAIN_MONTHS or (len(tokens) > 1 and not any(role == "m" for _p, role, _t, _n in tokens)):
        return None  # ("12 1939": dateutil reads the day as the month)
    year = month = day = None
    for _pos, role, token, number in tokens:
        if role == "y":
            year = number
        elif role == "m":
            month = number
        elif _PLAIN_DAY.fullmatch(token):
            day = int(token)
        else:
            return None
    if day is not None and month is not None:
        leap = year is None or (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
        if day > (29 if month == 2 and leap else _MONTH_DAYS[month - 1]):
            return None  # (dateutil rejects it, or reads the day otherwise)
    return year, month, day


@functools.lru_cache(maxsize=8192)
def _dateutil_parts(conv: DateConventions, text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) dateutil reads in `text`, each None where the two sentinel
    defaults differ (not printed); None when dateutil rejects it. Pure, so remembered: the
    same date is printed many times (headings, date lines, the contents)."""
    import dateutil.parser

    try:
        a, b = (dateutil.parser.parse(text, default=d, parserinfo=_parserinfo(conv)) for d in _SENTINELS)
    except (ValueError, OverflowError):
        return None
    return (a.year if a.year == b.year else None, a.month if a.month == b.month else None,
            a.day if a.day == b.day else None)
