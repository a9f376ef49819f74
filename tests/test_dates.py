"""Tests of teikit.convert.dates: table tests of the printed forms, property tests, the source's ToC."""

from __future__ import annotations

import calendar
import datetime
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teikit.convert.dates import (
    DateConventions,
    DateMatch,
    date_range,
    dates_agree,
    find_dates,
    is_valid_iso,
    month_number,
    parse_date,
    repair_ocr_year,
)
from teikit.convert import dates as datesmod
from teikit.convert.model import DocDate

SOURCE = Path(__file__).parents[1] / "corpus/source/soviet-foreign-policy-documents-1919-1942.md"
#: the tests read the bundled compilation's date conventions (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("source_conventions")
MONTHS = [calendar.month_name[n] for n in range(1, 13)]
ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec".split()


def reading(match: DateMatch) -> tuple:
    return (match.printed, match.when, match.from_, match.to, match.precision, match.inferred_year)


def precision(iso: str) -> str:
    return {0: "year", 1: "month", 2: "day"}[iso.count("-")]


def one(printed: str, when: str, *, inferred: bool = False) -> tuple:
    return (printed, when, None, None, precision(when), inferred)


def span(printed: str, from_: str, to: str, *, inferred: bool = False) -> tuple:
    return (printed, None, from_, to, precision(from_), inferred)


# ---------------------------------------------------------------------------------------
# table tests: find_dates


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("April 21, 1919", None, [one("April 21, 1919", "1919-04-21")]),
        (
            "Transmitted on the radio on April 21, 1919. No 531",
            None,
            [one("April 21, 1919", "1919-04-21")],
        ),
        ("June 3, 1920 No. 11/551", None, [one("June 3, 1920", "1920-06-03")]),
        (
            "December 22-29, 1920**",
            None,
            [span("December 22-29, 1920", "1920-12-22", "1920-12-29")],
        ),
        (
            "*July 15-17, 1937*",
            None,
            [span("July 15-17, 1937", "1937-07-15", "1937-07-17")],
        ),
        (
            "August 20-26, from diary of the first secretary",
            1939,
            [span("August 20-26", "1939-08-20", "1939-08-26", inferred=True)],
        ),
        ("August 20-26, from diary of the first secretary", None, []),
        ("October 1939 top secret", None, [one("October 1939", "1939-10")]),
        ("December 1920, Telegram", None, [one("December 1920", "1920-12")]),
        ("// December 1920", None, [one("December 1920", "1920-12")]),
        ("/ July 1940 top secret", None, [one("July 1940", "1940-07")]),
        ("Immediately 10 august 1938", None, [one("10 august 1938", "1938-08-10")]),
        ("5 august 1941", None, [one("5 august 1941", "1941-08-05")]),
        ("Out of line 24 November 1938", None, [one("24 November 1938", "1938-11-24")]),
        ("Immediately on May 12, 1938", None, [one("May 12, 1938", "1938-05-12")]),
        ("**March 6, 1939 , Top Secret**", None, [one("March 6, 1939", "1939-03-06")]),
        ("December 28, 1941 secret", None, [one("December 28, 1941", "1941-12-28")]),
        ("February 26, 1921 , the speech", None, [one("February 26, 1921", "1921-02-26")]),
        ("**1941**", None, [one("1941", "1941")]),
        ("for 1919-1920", None, [span("1919-1920", "1919", "1920")]),
        ("Apr11 21, 1919", None, [one("Apr11 21, 1919", "1919-04-21")]),
        ("Apr11 21", 1919, [one("Apr11 21", "1919-04-21", inferred=True)]),
        ("May 12, l938", None, [one("May 12, l938", "1938-05-12")]),
        ("March 6, 19З9", None, [one("March 6, 19З9", "1939-03-06")]),
        ("Ju1y 8, 1939", None, [one("Ju1y 8, 1939", "1939-07-08")]),
        ("5 october", 1939, [one("5 october", "1939-10-05", inferred=True)]),
        ("5 october", None, []),
        ("Sept. 8, 1921", None, [one("Sept. 8, 1921", "1921-09-08")]),
        ("Jan. 3 1921", None, [one("Jan. 3 1921", "1921-01-03")]),
        ("28th of August 1921", None, [one("28th of August 1921", "1921-08-28")]),
        ("APRIL 6, 1921", None, [one("APRIL 6, 1921", "1921-04-06")]),
        ("affairs. 1  \nFebruary 1937**", None, [one("1  \nFebruary 1937", "1937-02-01")]),
        (
            "December 28, 1920 - January 3, 1921",
            None,
            [span("December 28, 1920 - January 3, 1921", "1920-12-28", "1921-01-03")],
        ),
        (
            "December 28 – January 3, 1921",
            None,
            [span("December 28 – January 3, 1921", "1920-12-28", "1921-01-03")],
        ),
        (
            "28 December - 3 January 1921",
            None,
            [span("28 December - 3 January 1921", "1920-12-28", "1921-01-03")],
        ),
        (
            "January - December 1937 / ministry",
            None,
            [span("January - December 1937", "1937-01", "1937-12")],
        ),
        ("*1937 g 25 on May.*", None, [one("1937 g 25 on May", "1937-05-25")]),
        ("*1937 g on May 14.*", None, [one("1937 g on May 14", "1937-05-14")]),
        (
            "*October 1937 11 city of*",
            None,
            [one("October 1937 11 city", "1937-10-11")],
        ),
        (
            "Chicherin. December 1, 20 No. 9979",
            1920,
            [one("December 1, 20", "1920-12-01", inferred=True)],
        ),
        ("Chicherin. December 1, 20 No. 9979", None, []),
        ("Chicherin. December 1, 20 No. 9979", 1950, []),  # 1920 too far from context
        (
            "on 28 August 1921: and on august 30, 1921:",
            None,
            [
                one("28 August 1921", "1921-08-28"),
                one("august 30, 1921", "1921-08-30"),
            ],
        ),
        (
            "see Izvestia, 29, 30 September, 2, 4 October 1938 city of",
            1938,
            [one("4 October 1938", "1938-10-04")],
        ),
        (
            "December 28, 1920 - January 3, 1919",  # backwards: two dates, no range
            None,
            [one("December 28, 1920", "1920-12-28"), one("January 3, 1919", "1919-01-03")],
        ),
        ("May. 1, 2000", None, [one("May. 1, 2000", "2000-05-01")]),
        ("May 14 in Moscow", 1937, [one("May 14", "1937-05-14", inferred=True)]),
        ("the village of Nov. Kizil-dash", None, []),
        ("f. 059, on. 1, p. 294, d. 2036, l. 18-20.", None, []),
        ("No. 1921", None, []),
        ("the 1920s", None, []),
        ("May I say", 1939, []),
    ],
)
def test_find_dates_table(text, default_year, expected):
    assert [reading(m) for m in find_dates(text, default_year=default_year)] == expected


def test_find_dates_spans_cut_the_printed_text():
    text = "Moscow, April 21, 1919. No 531"
    (match,) = find_dates(text)
    assert (match.start, match.end) == (8, 22)
    assert text[match.start : match.end] == match.printed == "April 21, 1919"


# ---------------------------------------------------------------------------------------
# impossible and ambiguous forms


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 1921",
        "30 February 1921",
        "February 29, 1921",
        "April 31, 1939",
        "0 May 1939",
        "May 0, 1939",
        "May 32, 1939",
        "February 28-30, 1921",
        "May 5, 1750",
        "May 5, 2150",
        "June 6, 192 has been received!",
        "May 5, 12 soldiers",
        "December 29-22, 1920",
        "the spring",
        "",
    ],
)
def test_impossible_or_incomplete_dates_are_not_read(text):
    assert find_dates(text, default_year=1920) == []
    assert parse_date(text, default_year=1920) is None


def test_february_29_of_a_leap_year_is_read():
    expected = DocDate(printed="February 29, 1920", when="1920-02-29")
    assert parse_date("February 29, 1920") == expected


def test_year_limits_are_parameters():
    assert parse_date("May 5, 1750") is None
    expected = DocDate(printed="May 5, 1750", when="1750-05-05")
    assert parse_date("May 5, 1750", min_year=1700) == expected
    assert parse_date("May 5, 1945", max_year=1942) is None


# ---------------------------------------------------------------------------------------
# parse_date


def test_parse_date_keeps_the_printed_substring():
    expected = DocDate(printed="March 6, 1939", when="1939-03-06")
    assert parse_date("March 6, 1939 , Top Secret") == expected


def test_parse_date_range():
    assert parse_date("December 22-29, 1920**") == DocDate(
        printed="December 22-29, 1920", from_="1920-12-22", to="1920-12-29"
    )


def test_parse_date_year_from_context_is_flagged():
    assert parse_date("August 20-26, from diary", default_year=1939) == DocDate(
        printed="August 20-26",
        from_="1939-08-20",
        to="1939-08-26",
        cert="medium",
        note="year not printed; taken from context",
    )


def test_parse_date_two_digit_year_is_flagged():
    assert parse_date("Chicherin. December 1, 20 No. 9979", default_year=1921) == DocDate(
        printed="December 1, 20",
        when="1920-12-01",
        cert="medium",
        note="year printed with two digits; century taken from context",
    )


def test_parse_date_prefers_the_most_complete_date():
    assert parse_date("report for 1919-1920, December 22-29, 1920") == DocDate(
        printed="December 22-29, 1920", from_="1920-12-22", to="1920-12-29"
    )
    assert parse_date("1939. From the diary, August 20-26", default_year=1939) == DocDate(
        printed="August 20-26",
        from_="1939-08-20",
        to="1939-08-26",
        cert="medium",
        note="year not printed; taken from context",
    )


def test_parse_date_takes_the_first_of_equals():
    assert parse_date("December 14, 1937, letter ... December 15, 1937") == DocDate(
        printed="December 14, 1937", when="1937-12-14"
    )


def test_parse_date_never_fills_month_or_day():
    assert parse_date("October 1939") == DocDate(printed="October 1939", when="1939-10")
    assert parse_date("1941") == DocDate(printed="1941", when="1941")


# ---------------------------------------------------------------------------------------
# helpers


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("1938", "1938"),
        ("l938", "1938"),
        ("I94O", "1940"),
        ("19З9", "1939"),
        ("19з9", "1939"),
        ("194l", "1941"),
        ("lOII", None),  # fewer than two real digits: a word, not a year
        ("19S9", None),  # S: 5 or 8?
        ("19B9", None),
        ("193", None),
        ("19391", None),
        ("1750", None),
        ("", None),
    ],
)
def test_repair_ocr_year(token, expected):
    assert repair_ocr_year(token) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1939", True),
        ("1939-02", True),
        ("1920-02-29", True),
        ("1921-02-29", False),
        ("1921-02-30", False),
        ("1921-13", False),
        ("1921-00", False),
        ("1921-04-31", False),
        ("1921-4-1", False),
        ("21-04-01", False),
        ("1921-04-01T00:00", False),
        ("", False),
    ],
)
def test_is_valid_iso(value, expected):
    assert is_valid_iso(value) is expected


@pytest.mark.parametrize(
    ("docdate", "expected"),
    [
        (DocDate(when="1939-10-05"), (datetime.date(1939, 10, 5), datetime.date(1939, 10, 5))),
        (DocDate(when="1920-02"), (datetime.date(1920, 2, 1), datetime.date(1920, 2, 29))),
        (DocDate(when="1941"), (datetime.date(1941, 1, 1), datetime.date(1941, 12, 31))),
        (
            DocDate(from_="1920-12-22", to="1920-12-29"),
            (datetime.date(1920, 12, 22), datetime.date(1920, 12, 29)),
        ),
        (
            DocDate(not_before="1920-12-01", not_after="1920-12-31"),
            (datetime.date(1920, 12, 1), datetime.date(1920, 12, 31)),
        ),
        (
            DocDate(from_="1937-01", to="1937-12"),
            (datetime.date(1937, 1, 1), datetime.date(1937, 12, 31)),
        ),
    ],
)
def test_date_range(docdate, expected):
    assert date_range(docdate) == expected


def test_date_range_of_an_undated_docdate_raises():
    with pytest.raises(ValueError, match="the date is empty"):
        date_range(DocDate())


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (DocDate(when="1920-12"), DocDate(when="1920-12-03"), True),
        (DocDate(when="1920-12"), DocDate(not_before="1920-12-01", not_after="1920-12-31"), True),
        (DocDate(from_="1939-08-20", to="1939-08-26"), DocDate(when="1939-08-25"), True),
        (DocDate(when="1939-08-27"), DocDate(from_="1939-08-20", to="1939-08-26"), False),
        (DocDate(when="1933-10-05"), DocDate(when="1923-10-05"), False),
        (DocDate(when="1941"), DocDate(when="1941-12-28"), True),
        (DocDate(), DocDate(when="1941"), False),
    ],
)
def test_dates_agree(a, b, expected):
    assert dates_agree(a, b) is expected
    assert dates_agree(b, a) is expected


def test_month_number():
    assert [month_number(m) for m in ("January", "SEPT.", "sep", "Apr11", "0ctober", "Mayor")] == [
        1,
        9,
        9,
        4,
        10,
        None,
    ]


# ---------------------------------------------------------------------------------------
# property tests

dates = st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2100, 12, 31))
prefixes = st.sampled_from(["", "Moscow, ", "Immediately on ", "// ", "*", "**", "Out of line "])
suffixes = st.sampled_from(
    ["", " secret", " No. 11/551", " , Top Secret", ".", "*", "**", "\n\nText"]
)
casing = st.sampled_from([str, str.lower, str.upper])


def ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def formats(day: datetime.date, case) -> list[str]:
    month = case(MONTHS[day.month - 1])
    abbreviation = case(ABBREVIATIONS[day.month - 1])
    return [
        f"{month} {day.day}, {day.year}",
        f"{month} {day.day} {day.year}",
        f"{day.day} {month} {day.year}",
        f"{day.day} {month}, {day.year}",
        f"{abbreviation}. {day.day}, {day.year}",
        f"{ordinal(day.day)} of {month} {day.year}",
        f"{month} {ordinal(day.day)}, {day.year}",
    ]


@given(dates, casing, prefixes, suffixes, st.integers(min_value=0, max_value=6))
def test_any_valid_date_reads_back(day, case, prefix, suffix, form):
    printed = formats(day, case)[form]
    assert parse_date(prefix + printed + suffix) == DocDate(printed=printed, when=day.isoformat())


@given(dates, casing, prefixes, suffixes)
def test_any_month_reads_back_without_a_day(day, case, prefix, suffix):
    printed = f"{case(MONTHS[day.month - 1])} {day.year}"
    expected = DocDate(printed=printed, when=day.isoformat()[:7])
    assert parse_date(prefix + printed + suffix) == expected


@given(dates, st.integers(min_value=1, max_value=30), prefixes, suffixes)
def test_any_day_range_reads_back(first, length, prefix, suffix):
    last_day = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=min(first.day + length, last_day))
    printed = f"{MONTHS[first.month - 1]} {first.day}-{last.day}, {first.year}"
    expected = (
        DocDate(printed=printed, when=first.isoformat())
        if first == last
        else DocDate(printed=printed, from_=first.isoformat(), to=last.isoformat())
    )
    assert parse_date(prefix + printed + suffix) == expected


@given(dates, st.integers(min_value=1, max_value=6), casing)
def test_day_and_month_without_year_take_the_default_year(day, form, case):
    month = case(MONTHS[day.month - 1])
    printed = [f"{month} {day.day}", f"{day.day} {month}"][form % 2]
    assert parse_date(printed + " in Moscow", default_year=day.year) == DocDate(
        printed=printed,
        when=day.isoformat(),
        cert="medium",
        note="year not printed; taken from context",
    )


@st.composite
def impossible_days(draw):
    year = draw(st.integers(min_value=1800, max_value=2100))
    month = draw(st.integers(min_value=1, max_value=12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.sampled_from([0, *range(last + 1, 40)]))
    return year, month, day


@given(impossible_days(), casing, st.integers(min_value=0, max_value=6))
def test_impossible_dates_are_never_returned(ymd, case, form):
    year, month, day = ymd
    name = case(MONTHS[month - 1])
    printed = [
        f"{name} {day}, {year}",
        f"{day} {name} {year}",
        f"{name} {day}",
        f"{day} {name}",
        f"{name} {day}-{min(day + 1, 39)}, {year}",
        f"{name} {day} {year}",
        f"{ordinal(day)} of {name} {year}",
    ][form]
    assert find_dates(printed, default_year=year) == []
    assert find_dates(f"On {printed}, it was signed.", default_year=year) == []


TOKENS = [
    *MONTHS,
    *[m.lower() for m in MONTHS],
    *[a + "." for a in ABBREVIATIONS],
    "Apr11",
    "1",
    "5",
    "12",
    "20",
    "29",
    "30",
    "31",
    "32",
    "1919",
    "1920",
    "1941",
    "l938",
    "19З9",
    "192",
    "2036",
    "of",
    "on",
    "g",
    "city",
    "No.",
    "d.",
    "secret",
    "Moscow",
    "the",
]
SEPARATORS = ["", " ", ", ", "-", " - ", ". ", "\n", "/", "**"]


@st.composite
def token_texts(draw):
    words = draw(st.lists(st.sampled_from(TOKENS), max_size=12))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


def printed_months(printed: str) -> set[int]:
    return {month_number(w) for w in re.findall(r"[A-Za-z0-9|]+\.?", printed)} - {None}


def printed_numbers(printed: str) -> set[int]:
    return {int(n) for n in re.findall(r"[0-9]+", printed)}


@settings(max_examples=300)
@given(token_texts(), st.one_of(st.none(), st.integers(min_value=1900, max_value=1950)))
def test_never_a_month_or_day_that_was_not_printed(text, default_year):
    for match in find_dates(text, default_year=default_year):
        assert text[match.start : match.end] == match.printed
        values = [v for v in (match.when, match.from_, match.to) if v]
        assert values and all(is_valid_iso(v) for v in values)
        assert (match.when is None) == (match.from_ is not None) == (match.to is not None)
        if default_year is None:
            assert not match.inferred_year
        for value in values:
            parts = [int(p) for p in value.split("-")]
            if len(parts) >= 2:
                assert parts[1] in printed_months(match.printed)
            if len(parts) == 3:
                assert parts[2] in printed_numbers(match.printed)
            if not match.inferred_year:
                years = {repair_ocr_year(t) for t in re.findall(r"(?=(\S{4}))", match.printed)}
                assert str(parts[0]) in years or str(parts[0] + 1) in years


@settings(max_examples=300)
@given(st.text(max_size=80), st.one_of(st.none(), st.integers(min_value=1800, max_value=2100)))
def test_any_text_gives_valid_readings(text, default_year):
    for match in find_dates(text, default_year=default_year):
        assert all(is_valid_iso(v) for v in (match.when, match.from_, match.to) if v)
    result = parse_date(text, default_year=default_year)
    assert result is None or not result.is_empty


@given(st.text(alphabet="0123456789 ,.-/abcdefghijklmnopqrstuvwxyz", max_size=60))
def test_text_without_month_names_has_only_years(text):
    if printed_months(text):
        return
    assert all(m.precision == "year" for m in find_dates(text, default_year=1939))


@given(dates)
def test_iso_of_every_precision_is_valid(day):
    iso = day.isoformat()
    assert is_valid_iso(iso) and is_valid_iso(iso[:7]) and is_valid_iso(iso[:4])
    assert date_range(DocDate(when=iso[:7]))[0] == day.replace(day=1)


# ---------------------------------------------------------------------------------------
# the bundled source's table of contents (lines 47-428)

_BEGINS_WITH_DATE = re.compile(
    r"\s*(?:[0-9]{1,2}\s+)?(?:%s)\b" % "|".join(m.lower() for m in MONTHS), re.IGNORECASE
)


def toc_entries() -> list[tuple[int, str]]:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    return [
        (number, line)
        for number, line in enumerate(lines[46:428], start=47)
        if line.strip() and not line.startswith("#")
    ]


def test_every_toc_entry_that_begins_with_a_date_yields_it():
    entries = toc_entries()
    dated = [(number, line) for number, line in entries if _BEGINS_WITH_DATE.match(line)]
    year = None
    failures = []
    inferred = []
    for number, line in dated:
        matches = find_dates(line, default_year=year)
        begins = len(line) - len(line.lstrip())
        if not matches or matches[0].start != begins:
            failures.append((number, line[:60]))
            continue
        first = matches[0]
        if first.inferred_year:
            inferred.append((number, first.printed, first.from_, first.to))
        year = int((first.when or first.from_)[:4])
    assert (len(entries), len(dated)) == (188, 186)
    assert failures == []
    assert inferred == [(237, "August 20-26", "1939-08-20", "1939-08-26")]


def test_toc_entries_without_a_year_need_context():
    dated = [line for _n, line in toc_entries() if _BEGINS_WITH_DATE.match(line)]
    undated = [line[:12] for line in dated if parse_date(line) is None]
    assert undated == ["August 20-26"]


# ---------------------------------------------------------------------------------------
# conventions: month names and orders are the profile's data


def test_the_default_conventions_are_english_without_the_machine_translated_orders():
    english = DateConventions()
    assert [reading(m) for m in find_dates("1937 g 25 on May.", conventions=english)] == [one("1937", "1937")]
    assert [reading(m) for m in find_dates("1937 g 25 on May.")] == [one("1937 g 25 on May", "1937-05-25")]
    assert [reading(m) for m in find_dates("21 April 1919; April 22, 1919", conventions=english)] == [
        one("21 April 1919", "1919-04-21"), one("April 22, 1919", "1919-04-22")]


FRENCH = DateConventions.from_dict({
    "months": [["janvier", "janv"], ["février", "fevrier", "févr"], ["mars"], ["avril", "avr"], ["mai"],
               ["juin"], ["juillet", "juil"], ["août", "aout"], ["septembre", "sept"], ["octobre", "oct"],
               ["novembre", "nov"], ["décembre", "decembre", "déc"]],
    "orders": ["dmy", "my", "y"],
    "day_suffixes": ["er"],
})


@pytest.mark.parametrize(("text", "expected"), [
    ("Paris, le 3 mars 1921.", [one("3 mars 1921", "1921-03-03")]),
    ("le 1er février 1921", [one("1er février 1921", "1921-02-01")]),
    ("du 12 au 14 août 1921", [one("14 août 1921", "1921-08-14")]),
    ("12-14 Août 1921", [span("12-14 Août 1921", "1921-08-12", "1921-08-14")]),
    ("Décembre 1920", [one("Décembre 1920", "1920-12")]),
    ("March 3, 1921", [one("1921", "1921")]),  # an English month is no French month
    ("le 30 février 1921", []),
])
def test_french_conventions(text, expected):
    assert [reading(m) for m in find_dates(text, conventions=FRENCH)] == expected
    assert FRENCH.month_number("AOÛT") == 8


def test_unknown_order_is_refused():
    with pytest.raises(ValueError, match="unknown date order"):
        find_dates("1921", conventions=DateConventions(orders=("ymd",)))


# --- the forms skipped on a text without a dash or a month name (datesmod._NEEDS_*) ----------------
def _top_level(source: str) -> list:
    """The items of the parsed pattern's top-level sequence (what every match passes through)."""
    from re import _parser

    return list(_parser.parse(source, re.IGNORECASE).data)


@pytest.mark.parametrize("conv", [datesmod.ENGLISH, datesmod.DateConventions(
    months=(("janvier",), ("février", "fevrier"), ("mars",), ("avril",), ("mai",), ("juin",), ("juillet",), ("août", "aout"),
            ("septembre",), ("octobre",), ("novembre",), ("décembre", "decembre")),
    orders=("dmy", "my", "y", "ru-mt"), day_suffixes=("er",), day_of=("de",))], ids=["english", "french"])
def test_a_form_said_to_need_a_dash_or_a_month_holds_it_at_its_top_level(conv):
    """A form in _NEEDS_DASH holds _DASH's character class in its top-level sequence, one in
    _NEEDS_MONTH the m1 group: every match of the form passes through them, so a text where
    neither can be found has no match of the form, and skipping it changes no reading."""
    from re import _constants as c
    from re import _parser

    dash = _parser.parse(r"[-‐‑–—]", re.IGNORECASE).data[0]
    forms = {name: src for name, src, _kind, _order in datesmod._patterns_source(conv, conv.month_pattern)}
    assert datesmod._NEEDS_DASH <= forms.keys() and datesmod._NEEDS_MONTH <= forms.keys()
    for name, src in forms.items():
        top = _top_level(src)
        groups = _parser.parse(src, re.IGNORECASE).state.groupdict
        has_dash = any(item == dash for item in top)
        has_month = any(op is c.SUBPATTERN and av[0] == groups.get("m1") for op, av in top)
        assert name not in datesmod._NEEDS_DASH or has_dash, name
        assert name not in datesmod._NEEDS_MONTH or has_month, name
        # and the table leaves out no form that could be skipped (it is the whole rule)
        assert (name in datesmod._NEEDS_DASH) == has_dash and (name in datesmod._NEEDS_MONTH) == has_month, name


def test_skipping_forms_gives_the_readings_of_every_form(monkeypatch):
    """The readings with the skips equal those of running every form, on texts with and
    without dashes and month names (a range needs its dash; "1921" alone needs no month)."""
    texts = ["1921", "May 5, 1921", "May 5-7, 1921", "May 5 – June 7, 1921", "5-7 May 1921", "1920-1921",
             "no date here 12", "Moscow, 14 June", "December 28 - January 3, 1921", "1937 g 25 on May", "l938 — l939"]
    for default_year in (None, 1921):
        skipped = [datesmod.find_dates(t, default_year=default_year) for t in texts]
        datesmod._find_dates.cache_clear()
        full = [(n, p, k, ()) for n, p, k, _needs in datesmod._patterns(datesmod.current())]
        monkeypatch.setattr(datesmod, "_patterns", lambda conv: full)
        assert [datesmod.find_dates(t, default_year=default_year) for t in texts] == skipped
        monkeypatch.undo()
        datesmod._find_dates.cache_clear()


def test_a_reading_handed_out_is_a_copy_as_copy_copy_makes_it():
    """find_dates hands each caller its own copies (dates._copied): of the same class, equal,
    with the same attributes, and not the remembered reading itself."""
    import copy

    from teikit.convert import dates

    for m in dates.find_dates("From December 28, 1920 - January 3, 1921, and May 5", default_year=1921):
        made, want = dates._copied(m), copy.copy(m)
        assert type(made) is type(want) is dates.DateMatch and made is not m
        assert vars(made) == vars(want) == vars(m) and made == m
    first, again = dates.find_dates("May 5, 1920"), dates.find_dates("May 5, 1920")
    first[0].printed = "changed"
    assert again[0].printed == "May 5, 1920" and dates.find_dates("May 5, 1920")[0].printed == "May 5, 1920"
