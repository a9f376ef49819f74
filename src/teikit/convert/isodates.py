"""ISO 8601 dates of any precision (YYYY, YYYY-MM, YYYY-MM-DD): validity, the days they
cover, whether two dates agree."""

from __future__ import annotations

import calendar
import datetime
import re

from teikit.convert.model import DocDate

PRECISIONS = ("day", "month", "year")

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def is_valid_iso(value: str) -> bool:
    """True for a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD."""
    if not isinstance(value, str):
        return False
    match = _ISO.fullmatch(value)
    if not match:
        return False
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def iso_bounds(value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day covered by an ISO date of any precision."""
    if not is_valid_iso(value):
        raise ValueError(f"date {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def date_range(docdate: DocDate) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) day a DocDate covers; month and year precision span the whole
    month or year. ValueError for an undated DocDate or one that is not valid ISO."""
    bounds = docdate.range()
    if bounds is None:
        raise ValueError("the date is empty: it has no when, from or notBefore value")
    earliest = iso_bounds(bounds[0])[0]
    latest = iso_bounds(bounds[1])[1]
    if latest < earliest:
        raise ValueError(f"date range {bounds[0]!r} to {bounds[1]!r} ends before it begins")
    return earliest, latest


def dates_agree(a: DocDate, b: DocDate) -> bool:
    """True when the days the two dates cover overlap; False when either is undated."""
    try:
        a_first, a_last = date_range(a)
        b_first, b_last = date_range(b)
    except ValueError:
        return False
    return a_first <= b_last and b_first <= a_last


def precision_of(value: str) -> str:
    """"day", "month" or "year" for an ISO date string."""
    return {0: "year", 1: "month", 2: "day"}[value.count("-")]
