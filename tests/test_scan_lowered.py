"""The name scan matches a text case-sensitively with its characters lowered where that is
what re.IGNORECASE gives (teikit.convert.registry.scan.Scanner): checked against every
character for each piece the scan's pattern is made of, and on texts with capitals,
letters beyond ASCII and the characters re.IGNORECASE folds in its own way (the long s,
the dotless i, the Kelvin sign), where the shortcut must not apply or must give the same."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from teikit.convert.registry import scan
from teikit.projectinputs import read_registry

ROOT = Path(__file__).resolve().parents[1]
EVERY = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
LOWERED = EVERY.translate(scan._LOWERED)


@pytest.fixture(scope="module")
def registry():
    return read_registry(ROOT / "data" / "registry")


def _pieces(registry) -> tuple[set[str], list[str]]:
    """The letters the scanner was told of, and the classes its source is made of."""
    letters = set("".join(registry.scanner[1])) | set("abcdefghijklmnopqrstuvwxyz")
    letters |= set("".join((*registry.vocab.two_letter_initials, *registry.vocab.compound_tails)))
    return letters, [r"[A-Za-z]", r"\w", r"\s", scan._SEP_RE[:-1], r"[\w\-]", r"\."]


def test_each_piece_matches_every_character_as_ignorecase_does(registry):
    letters, classes = _pieces(registry)
    unsafe = registry.scanner[0].unsafe
    assert unsafe is not None and len(LOWERED) == len(EVERY)  # the fast path is on; one character for one
    keep = [i for i, c in enumerate(LOWERED) if c not in unsafe]
    for atom in [re.escape(c) for c in sorted(letters)] + classes:
        folding = {m.start() for m in re.finditer(atom, EVERY, re.IGNORECASE)}
        exact = {m.start() for m in re.finditer(atom, LOWERED)}
        assert {i for i in keep if i in folding} == {i for i in keep if i in exact}, atom


def _texts(registry, rng: random.Random, n: int) -> list[str]:
    names = [e.name for kind in ("persons", "places", "orgs") for e in getattr(registry, kind).values()]
    odd = ["ſ", "ı", "İ", "\u212a", "Ł", "ł", "’", "–", "Σ", "ς", "É", "ß", "ǅ", "\u0345", "  ", ".", "-", "A. ", "Sh. "]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randrange(3, 14)):
            pick = rng.random()
            word = rng.choice(names) if pick < 0.5 else rng.choice(odd) if pick < 0.7 else rng.choice(["the", "of", "and", "Mr."])
            if rng.random() < 0.3:
                word = word.upper() if rng.random() < 0.5 else word.lower()
            if rng.random() < 0.15 and word:
                k = rng.randrange(len(word))
                word = word[:k] + rng.choice(odd) + word[k + 1:]
            words.append(word)
        out.append(" ".join(words))
    return out


def test_the_scan_matches_as_ignorecase_does(registry):
    scanner = registry.scanner[0]
    folding = re.compile(scanner.pattern, re.IGNORECASE)
    rng = random.Random(13)
    texts = _texts(registry, rng, 1500) + ["ſtalin", "Staſin", "ıvanov", "\u212arasin", "MICHAŁ SOKOLNICKI", "Michał"]
    shortcut = 0
    for text in texts:
        got = [(m.span(), m.span("ini"), m.span("name")) for m in scanner.finditer(text)]
        assert got == [(m.span(), m.span("ini"), m.span("name")) for m in folding.finditer(text)], text
        shortcut += scanner.unsafe.isdisjoint(text.translate(scan._LOWERED))
    assert 0 < shortcut < len(texts)  # both ways were taken


def test_a_long_s_is_read_as_ignorecase_reads_it(registry):
    """re.IGNORECASE reads the long s as an s and the dotless i as an i: so does the scan
    (the shortcut does not apply to such a text)."""
    stalin = scan.find_names(registry, "Stalin")
    assert stalin and re.search(registry.scanner[0].pattern, scan.PAD + "ſtalin", re.IGNORECASE)
    assert [(s, e, x.id) for s, e, x in scan.find_names(registry, "ſtalin")] == [(s, e, x.id) for s, e, x in stalin]


def test_a_source_with_capitals_is_matched_ignoring_case(registry):
    """A source with a capital letter (or an implementation without _sre's folding) is always
    matched with re.IGNORECASE."""
    plain = scan.Scanner(r"(?P<ini>)(?P<name>Stalin|molotov)", set("Stalinmolotv"))
    assert plain._exact is None
    assert [m.span() for m in plain.finditer("STALIN and MOLOTOV")] == [(0, 6), (11, 18)]


def _source_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "corpus" / "source").glob("*.md")) + sorted((ROOT / "tests" / "data" / "sources").glob("*/source/*.md")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return texts


def test_a_registry_handed_over_pickled_scans_as_one_read_here(monkeypatch):
    """The registry read in another process (docpool.registry_ahead) comes back with its
    scanner's source, not its compiled pattern: loaded here, the scanner is not built again,
    its entries are the registry's own objects, and it finds what a registry read here finds,
    with or without the compiled form at hand (teikit.core.rxforms)."""
    import pickle

    from teikit import docpool
    from teikit.core import rxforms

    texts = _source_texts()
    assert len(texts) > 1000
    here = read_registry(ROOT / "data" / "registry")
    want = [[(s, e, entry.ref) for s, e, entry in scan.find_names(here, t)] for t in texts]
    data = pickle.dumps(docpool.registry_ahead(lambda: read_registry(ROOT / "data" / "registry")))
    for known in (True, False):
        monkeypatch.setattr(rxforms, "_known", {})
        monkeypatch.setattr(rxforms, "_made", {})
        registry, forms = pickle.loads(data)
        if known:
            rxforms.keep(forms)
        assert registry.__dict__["scanner"][0]._exact is None  # (its pattern: not pickled)
        monkeypatch.setattr(scan, "build_scanner", lambda reg: pytest.fail("built again"))
        registry.prepare()
        monkeypatch.undo()
        ours = {id(e) for table in (registry.persons, registry.places, registry.orgs) for e in table.values()}
        assert all(id(e) in ours for e in registry.scanner[1].values())
        assert [[(s, e, entry.ref) for s, e, entry in scan.find_names(registry, t)] for t in texts] == want


def test_a_scanner_that_folds_case_pickles_as_well():
    """A source with capitals is matched with re.IGNORECASE (no lowered text): pickled and
    loaded, it compiles that pattern again and finds the same (the shortcut must not apply)."""
    import pickle

    scanner = scan.Scanner(r"(?<![\w\-])(?P<ini>)(?P<name>Kemal|Ørsted)(?![\w\-])", {"K", "Ø"})
    assert not scanner._lowered
    loaded = pickle.loads(pickle.dumps(scanner))
    assert loaded._folding is None and loaded._exact is None
    text = "KEMAL and kemal, ørsted and ØRSTED, Kemalist"
    assert [m.span() for m in loaded.finditer(text)] == [m.span() for m in scanner.finditer(text)] \
        == [(0, 5), (10, 15), (17, 23), (28, 34)]
