"""teikit.core.rxforms.quick_charsets: re's code generator with each character class
optimised once. The code it generates must be the code re generates, for every pattern
teikit compiles and for any character class; outside the block re is as it was."""

from __future__ import annotations

import re
from re import _compiler, _parser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teikit.core import rxforms


def _code(source: str, flags: int, quick: bool) -> list[int]:
    flags = int(flags)
    parsed = _parser.parse(source, flags)
    if quick:
        with rxforms.quick_charsets():
            return _compiler._code(parsed, flags)
    assert _compiler._optimize_charset is rxforms._plain_optimize
    return _compiler._code(parsed, flags)


def _teikit_patterns() -> list[tuple[str, int]]:
    """The sources and flags of the patterns teikit's modules compiled, the name scanner of the
    bundled registry and the date forms of every reader profile of the tests' compilations."""
    import json
    from pathlib import Path

    import teikit.pipeline  # noqa: F401 (its modules compile their patterns)
    from teikit.convert import dates
    from teikit.convert.readers.profile import ReaderProfile
    from teikit.convert.registry import scan
    from teikit.projectinputs import read_registry

    root = Path(__file__).resolve().parents[1]
    found = {(p.pattern, p.flags) for p in re._cache.values() if isinstance(p.pattern, str)}
    registry = read_registry(root / "data" / "registry")
    found.add((scan.build_scanner(registry)[0].pattern, 0))
    profiles = [None] + [json.loads(p.read_text(encoding="utf-8")) for p in (root / "tests" / "data" / "profiles").glob("*.json")]
    for data in profiles:
        conv = ReaderProfile.from_dict(data).dates
        found.update((src, int(re.IGNORECASE)) for _n, src, _k, _o in dates._patterns_source(conv, conv.month_pattern))
    return sorted(found)


def test_teikit_patterns_get_the_same_code():
    patterns = _teikit_patterns()
    assert len(patterns) > 100 and any(len(src) > 10_000 for src, _f in patterns)  # the scanner is among them
    rxforms._CHARSETS.clear()
    for source, flags in patterns:
        plain = _code(source, flags, False)
        assert _code(source, flags, True) == plain, source[:80]
        assert _code(source, flags, True) == plain, source[:80]  # from the memo, this time
    assert rxforms._CHARSETS  # (the memo was used)


_ITEMS = st.one_of(
    st.characters(max_codepoint=0x7F).map(re.escape),
    st.characters(min_codepoint=0x80, max_codepoint=0xFF).map(re.escape),
    st.characters(min_codepoint=0x100, max_codepoint=0xFFFF, blacklist_categories=("Cs",)).map(re.escape),
    st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)).map(re.escape),
    st.sampled_from([r"\s", r"\S", r"\w", r"\W", r"\d", r"\D", "a-z", "A-Z", "0-9", "ſ", "K", "İ", "ı", "ß", "Σσς",
                     "\u00c0-\u024f", "\u0400-\u04ff", "\U0001d400-\U0001d7ff", "'’", r"\-"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(_ITEMS, min_size=1, max_size=6)), min_size=1, max_size=4),
       st.sampled_from([0, re.IGNORECASE, re.ASCII, re.IGNORECASE | re.ASCII]))
def test_any_character_classes_get_the_same_code(classes, flags):
    source = "x".join(("[^" if negated else "[") + "".join(items) + "]*" for negated, items in classes) + "|" \
        + "".join(("[^" if negated else "[") + "".join(items) + "]" for negated, items in reversed(classes))
    try:
        plain = _code(source, flags, False)
    except re.error:
        return
    assert _code(source, flags, True) == plain
    assert _code(source, flags, True) == plain


def test_another_table_of_cases_is_not_kept():
    """The memo holds the optimisation for re's own table of extra cases (or none); given any
    other table it optimises afresh (what it must NOT take from the memo)."""
    charset = [(_parser.LITERAL, ord("k"))]
    lower = _compiler._sre.unicode_tolower
    iscased = _compiler._sre.unicode_iscased
    rxforms._CHARSETS.clear()
    ours = rxforms._optimize_charset(charset, iscased, lower, _compiler._EXTRA_CASES)
    assert ours == rxforms._plain_optimize(charset, iscased, lower, _compiler._EXTRA_CASES)
    other = {ord("k"): (ord("q"),)}
    assert rxforms._optimize_charset(charset, iscased, lower, other) \
        == rxforms._plain_optimize(charset, iscased, lower, other) != ours


def test_re_is_as_it_was_outside_the_block():
    plain = _compiler._optimize_charset
    with rxforms.quick_charsets():
        assert _compiler._optimize_charset is rxforms._optimize_charset
        with rxforms.quick_charsets():
            pass
        assert _compiler._optimize_charset is rxforms._optimize_charset  # (the outer block still open)
    assert _compiler._optimize_charset is plain
    with pytest.raises(KeyError):
        with rxforms.quick_charsets():
            raise KeyError("x")
    assert _compiler._optimize_charset is plain


def test_another_code_generator_is_left_alone(monkeypatch):
    """Where re's generator is not the one rxforms knows, the block changes nothing."""
    def _optimize_charset(items, *rest):  # another signature
        return items, False

    monkeypatch.setattr(rxforms, "_plain_optimize", _optimize_charset)
    with rxforms.quick_charsets():
        assert _compiler._optimize_charset is not rxforms._optimize_charset
