"""The parts of a found date read without dateutil (teikit.convert.dateparts._plain_parts)
are the parts dateutil reads (`_dateutil_parts`), on every date of every order of the
parts the shortcut takes; everything else is dateutil's."""

from __future__ import annotations

import itertools

import pytest

from teikit.convert import dateparts
from teikit.convert.dateconventions import DateConventions

CONV = DateConventions()
YEARS = (1800, 1896, 1900, 1904, 1939, 1940, 2000, 2100)  # leap years and the centuries that are not
DAYS = [str(d) for d in range(0, 40)] + ["01", "09", "00"]


def _dateutil(conv, tokens):
    return dateparts._dateutil_parts.__wrapped__(conv, " ".join(t for _p, _r, t, _n in tokens))


def _tokens(order, year, month, day, conv=CONV):
    made = {"y": (str(year), year) if year is not None else None,
            "m": (conv.months[month - 1][0], month) if month is not None else None,
            "d": (day, None) if day is not None else None}
    return [(i, role, *made[role]) for i, role in enumerate(order)]


@pytest.mark.parametrize("order", ["".join(p) for r in (1, 2, 3) for p in itertools.permutations("ymd", r)])
def test_the_shortcut_reads_what_dateutil_reads_in_every_order(order):
    taken = 0
    for year in (YEARS if "y" in order else (None,)):
        for month in (range(1, 13) if "m" in order else (None,)):
            for day in (DAYS if "d" in order else (None,)):
                tokens = _tokens(order, year, month, day)
                plain = dateparts._plain_parts(CONV, tokens)
                if plain is not None:
                    taken += 1
                    assert plain == _dateutil(CONV, tokens), (order, year, month, day)
    if order in ("yd", "dy"):  # no month: dateutil reads the day as the month, the shortcut leaves it
        assert taken == 0
    else:
        assert taken > 0


def test_impossible_days_and_other_conventions_are_left_to_dateutil():
    assert dateparts._plain_parts(CONV, _tokens("dmy", 1939, 2, "29")) is None  # not a leap year
    assert dateparts._plain_parts(CONV, _tokens("dm", None, 2, "29")) == (None, 2, 29)  # the sentinels' leap years
    assert dateparts._plain_parts(CONV, _tokens("dmy", 1939, 4, "31")) is None
    assert dateparts._plain_parts(CONV, _tokens("dmy", 1939, 4, "05")) is None  # a leading zero
    assert dateparts._dateutil_parts.__wrapped__(CONV, "29 February 1939") is None  # dateutil rejects it
    german = DateConventions(months=(("januar",), ("februar",), ("märz",), ("april",), ("mai",), ("juni",),
                                     ("juli",), ("august",), ("september",), ("oktober",), ("november",),
                                     ("dezember",)))
    tokens = _tokens("dmy", 1939, 3, "12", german)
    assert dateparts._plain_parts(german, tokens) is None
    assert _dateutil(german, tokens) == (1939, 3, 12)


def test_a_conversion_of_english_dates_needs_no_dateutil():
    """The dates of a document in the default conventions are read without importing dateutil."""
    import subprocess
    import sys

    code = ("import sys\nfrom teikit.convert import dates\n"
            "found = dates.find_dates('Moscow, March 12, 1939. On 3 April 1940 and in May 1941, 1942.')\n"
            "print(len(found), 'dateutil' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) >= 3 and imported == "False"
