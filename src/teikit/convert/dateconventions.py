"""How a compilation prints its dates (the reader profile's `dates`): month names, the
orders of day, month and year, ordinal suffixes; and the conventions dates are read with
in a block of code (`conventions`, set by the pipeline and the reader)."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from dataclasses import dataclass

#: English month names: each month its full name first, then its abbreviations
ENGLISH_MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),  # "may" too, so that "May." reads like "Apr." beside it
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)

#: the orders of day, month and year a profile may switch on (`orders`); each names the
#: pattern families below. "ru-mt": the word order of a machine-translated Russian date
#: ("25 мая 1937 г." -> "1937 g 25 on May", "October 1937 11 city of").
ORDERS = ("mdy", "dmy", "my", "y", "ru-mt")
DEFAULT_ORDERS = ("mdy", "dmy", "my", "y")


@dataclass(frozen=True)
class DateConventions:
    """How a compilation prints its dates: the month names (`months`, 12 tuples: the full
    name, then abbreviations, lower case), the orders of day, month and year (`orders`,
    from ORDERS), the suffixes of an ordinal day (`day_suffixes`: 21st, 1er) and the words
    between a day and its month (`day_of`: "28th of August"). Read from the reader
    profile's `dates` key (docs/reader-profile.md); the default is English."""

    months: tuple[tuple[str, ...], ...] = ENGLISH_MONTHS
    orders: tuple[str, ...] = DEFAULT_ORDERS
    day_suffixes: tuple[str, ...] = ("st", "nd", "rd", "th")
    day_of: tuple[str, ...] = ("of",)
    years: tuple[int, int] | None = None  # the years a printed date may have (None: dates.MIN_YEAR..MAX_YEAR)

    @classmethod
    def from_dict(cls, data: dict | None) -> "DateConventions":
        data = data or {}
        months = data.get("months")
        return cls(
            months=tuple(tuple(n.lower() for n in names) for names in months) if months else ENGLISH_MONTHS,
            orders=tuple(data.get("orders", DEFAULT_ORDERS)),
            day_suffixes=tuple(data.get("day_suffixes", ("st", "nd", "rd", "th"))),
            day_of=tuple(data.get("day_of", ("of",))),
            years=(int(data["years"][0]), int(data["years"][1])) if data.get("years") else None,
        )

    def month_number(self, token: str) -> int | None:
        """1..12 for a month name or abbreviation (OCR-tolerant), else None."""
        return _months_of(self)[1].get(_fold(token.strip()))

    @property
    def month_pattern(self) -> str:
        """A regular expression (no groups) matching any month name or abbreviation."""
        return _months(self)[0]


ENGLISH = DateConventions()
_CURRENT: contextvars.ContextVar[DateConventions] = contextvars.ContextVar("date_conventions", default=ENGLISH)


@contextlib.contextmanager
def conventions(conv: DateConventions):
    """Read dates with `conv` inside the block (the pipeline sets the corpus's conventions
    around a conversion, as decimal.localcontext sets a precision)."""
    token = _CURRENT.set(conv)
    try:
        yield conv
    finally:
        _CURRENT.reset(token)


def current() -> DateConventions:
    """The conventions dates are read with here (ENGLISH outside a `conventions` block)."""
    return _CURRENT.get()


def _ocr_tolerant(name: str) -> str:
    """A month name whose i/l and o may have been read as 1, | or 0."""
    out = []
    for char in name:
        if char in "il":
            out.append(r"[il1|]")
        elif char == "o":
            out.append(r"[o0]")
        else:
            out.append(re.escape(char))
    return "".join(out)


_OCR_LETTERS = str.maketrans({"1": "l", "|": "l", "i": "l", "0": "o"})


def _fold(token: str) -> str:
    return token.lower().rstrip(".").translate(_OCR_LETTERS)


_BY_IDENTITY: dict[int, tuple] = {}


def by_identity(memo: dict, conv: "DateConventions", make):
    """make(conv), remembered in `memo` by the conventions' identity: hashing the frozen
    dataclass (every month name) on each use costs more than the lookup it keys. The entry
    holds `conv` itself, so its id cannot be reused while the entry stands; each profile
    read makes its own conventions, so the memo is emptied when it grows past 64."""
    seen = memo.get(id(conv))
    if seen is None or seen[0] is not conv:
        if len(memo) > 64:
            memo.clear()
        seen = memo[id(conv)] = (conv, make(conv))
    return seen[1]


def _months_of(conv: "DateConventions") -> tuple[str, dict[str, int]]:
    """_months(conv), found by the conventions' identity (by_identity)."""
    return by_identity(_BY_IDENTITY, conv, _months)


@functools.lru_cache(maxsize=16)
def _months(conv: DateConventions) -> tuple[str, dict[str, int]]:
    """(the month names as one regular expression, folded name -> month number)."""
    if len(conv.months) != 12 or not all(conv.months):
        raise ValueError("months: give 12 lists of names, January's first")
    abbreviations = {a: n for n, names in enumerate(conv.months, start=1) for a in names[1:]}
    alternatives = "|".join(
        [_ocr_tolerant(names[0]) for names in conv.months]
        + [re.escape(a) + r"\.?" for a in sorted(abbreviations, key=len, reverse=True)]
    )
    by_folded = {_fold(names[0]): n for n, names in enumerate(conv.months, start=1)}
    by_folded.update({_fold(a): n for a, n in abbreviations.items()})
    return alternatives, by_folded
