"""The name scan's pattern is built for speed (teikit.convert.registry.scan): its variants are
factored by first letter and shared separators, and initials are tried only before a stop.
It must find exactly what the plain alternation of every variant, longest first, finds."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from teikit.convert.registry import scan
from teikit.convert.registry.entries import fold
from teikit.pipeline import read_registry

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["black", "sea", "black sea", "blacksea", "bl", "a", "ab", "a b", "molotov", "molotova", "m",
        "kemal", "mustafa kemal", "sea ports", "b a", "9 march", "v m molotov", "ørsted", "s"]
END = r"(?![\w\-])"


def _pattern(alternatives: str) -> re.Pattern:
    return re.compile(rf"(?<![\w\-])(?P<name>{alternatives}){END}", re.IGNORECASE)


def _as_written(keys: list[str]) -> str:
    return "|".join(scan._SEP_RE.join(re.escape(t) for t in k.split()) for k in keys)


def _factored(keys: list[str]) -> str:
    return "|".join(scan._alternatives([tuple(scan._SEP.join(k.split())) for k in keys]))


#: text made of the keys (in any case, cut short, run together) and separators
PIECES = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS).map(str.upper), st.sampled_from(KEYS).map(str.title),
                   st.sampled_from(KEYS).map(lambda k: k[: len(k) // 2]),
                   st.sampled_from([" ", "  ", ". ", "-", ",", "'", "’", "", "\n", "s ", "ports", "İ", "ſ", "K", "x"]))


@settings(max_examples=600, deadline=None)
@example(keys=["black", "black sea", "blacksea"], pieces=["Black", " ", "sea", " ", "BLACKSEA", " "])
@example(keys=["molotov", "molotova", "v m molotov", "m"], pieces=["V", ". ", "M", ".", "molotova", " m"])
@given(st.lists(st.sampled_from(KEYS), min_size=1, max_size=10, unique=True), st.lists(PIECES, max_size=16))
def test_factored_alternation_finds_what_the_written_one_finds(keys, pieces):
    keys = sorted(keys, key=lambda k: (-len(k), k))
    text = "".join(pieces)
    written, factored = _pattern(_as_written(keys)), _pattern(_factored(keys))
    assert [(m.span(), m.group("name")) for m in factored.finditer(text)] == \
           [(m.span(), m.group("name")) for m in written.finditer(text)]


def test_initials_guard_changes_no_match_on_the_bundled_source():
    reg = read_registry(ROOT / "data" / "registry")
    guarded = reg.scanner[0]
    assert r"(?=\w+\.)" in guarded.pattern
    plain = re.compile(guarded.pattern.replace(r"(?=\w+\.)", "", 1), re.IGNORECASE)
    source = next((ROOT / "corpus" / "source").glob("*.md")).read_text(encoding="utf-8")
    text = fold(source)
    spans = lambda p: [(m.span(), m.span("ini"), m.span("name")) for m in p.finditer(text)]  # noqa: E731
    assert spans(guarded) == spans(plain)
