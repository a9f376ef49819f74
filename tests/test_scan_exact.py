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
from teikit.projectinputs import read_registry

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
    assert r"(?=\w{1,2}\.)" in guarded.pattern
    plain = re.compile(guarded.pattern.replace(r"(?=\w{1,2}\.)", "", 1), re.IGNORECASE)
    source = next((ROOT / "corpus" / "source").glob("*.md")).read_text(encoding="utf-8")
    text = scan.PAD + fold(source)
    spans = lambda p: [(m.span(), m.span("ini"), m.span("name")) for m in p.finditer(text)]  # noqa: E731
    assert spans(guarded) == spans(plain)


def _as_before(source: str) -> str:
    """The scan's source in the form it had before it began with the character before the
    name: a look behind, the initials optional (`?`), their guard any word before a stop."""
    assert source.startswith(scan._START) and source.count("|)(?P<name>") == 1
    return (r"(?<![\w\-])" + source[len(scan._START):]).replace("|)(?P<name>", ")?(?P<name>", 1) \
        .replace(r"(?=\w{1,2}\.)", r"(?=\w+\.)", 1)


def test_the_scan_over_the_padded_text_finds_what_the_look_behind_found():
    """The scan's pattern over PAD + text: the same matches as its form with a look behind
    over the text (the match's start the same, each group's one more), on every paragraph of
    the bundled source and the test sources, in lower case (the lowered text's form) and as
    printed (re.IGNORECASE)."""
    reg = read_registry(ROOT / "data" / "registry")
    source = reg.scanner[0].pattern
    texts = [fold(p) for path in sorted((ROOT / "corpus" / "source").glob("*.md"))
             + sorted((ROOT / "tests" / "data" / "sources").glob("*/source/*.md"))
             for p in path.read_text(encoding="utf-8").split("\n\n")]
    texts += ["", " ", "-", "V.M. Molotov", "-Molotov", "x.Molotov", "G. V. Chicherin, S. I. Aralov", "Molotov"]
    found = 0
    for flags, lowered in ((0, True), (re.IGNORECASE, False)):
        new, old = re.compile(source, flags), re.compile(_as_before(source), flags)
        for text in texts:
            text = text.lower() if lowered else text
            got = [(m.start(), m.end() - 1, *(x - 1 if x >= 0 else x for g in ("ini", "name") for x in m.span(g)))
                   for m in new.finditer(scan.PAD + text)]
            assert got == [(m.start(), m.end(), *m.span("ini"), *m.span("name")) for m in old.finditer(text)], text
            found += len(got)
    assert found > 10_000


def test_a_choice_left_out_before_rapidfuzz_could_not_reach_the_threshold():
    """scan._may_reach leaves a choice out of the fuzzy match (and rapidfuzz unimported) only
    where fuzz.ratio is below the threshold: checked on every pair of the registry's surnames
    and some garbled forms, at the thresholds in use and at the boundary."""
    import random

    from rapidfuzz import fuzz

    from teikit.convert.registry.scan import _may_reach

    from teikit.convert.registry.entries import norm

    registry = read_registry(ROOT / "data" / "registry")
    words = sorted({norm(v).split()[-1] for e in registry.persons.values() for v in (e.name, *e.variants)
                    if norm(v).split()})[:300]
    rng = random.Random(7)
    garbled = ["".join(rng.choice((c, c, c, "x", "")) for c in w) for w in words]
    pairs = [(a, b) for a in words[:120] + garbled[:120] for b in words[:120]]
    assert len(pairs) > 20000
    left_out = 0
    for a, b in pairs:
        if not a or not b:
            continue
        score = fuzz.ratio(a, b)
        for threshold in (60.0, 80.0, 88.0, 92.0, score):
            if not _may_reach(a, b, threshold):
                left_out += 1
                assert score < threshold, (a, b, score, threshold)
    assert left_out > 1000  # it does leave choices out
