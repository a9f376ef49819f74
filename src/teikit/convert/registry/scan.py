"""Finding registry names in running text (mention scanning), and name-like words that
the registry does not know (candidates for it).

A name is matched in one of its variant spellings, case-insensitively: a variant printed
in lower case (machine translation writes "angora", "league of nations") counts when it is
not a stop word and is long enough not to be an ordinary word (`_lowercase_ok`). A
capitalised word that no variant matches is tried without a case ending (`Molotovym`),
with the vocabulary's transliteration pairs (G/H, Kh/H), and last by similarity to a
surname above the vocabulary's measured `fuzzyThreshold` (bench/fuzzy_threshold.py).
A place is not tagged when the next word makes it part of another name ("Berlin pact",
"Straits commission": the vocabulary's nameBlockers), and an entry with dates is replaced
by its predecessor or successor outside them ("Soviet government" in 1921).
"""

from __future__ import annotations

import bisect
from collections import Counter
from functools import lru_cache
import re

from teikit.core import rxforms
from teikit.convert.registry.entries import Entry, fold, norm, overlaps

#: a capitalised word no variant matched: `(?<![\w\-'’])([A-Z][a-z]{3,}(?:-[A-Z]?[a-z]+)?)(?![\w\-])`
#: with the look behind after the capital (the character before it, as before it): the same
#: matches, but a pattern that begins with its capital, which the engine looks for first
_WORD = re.compile(r"([A-Z](?<![\w\-'’].)[a-z]{3,}(?:-[A-Z]?[a-z]+)?)(?![\w\-])")
_NEXT_WORD_AT = re.compile(r"[\s'’]*(?:s\s+)?([A-Za-z]+)")  # the word after a name (matched at its end)


def build_scanner(reg) -> tuple["Scanner", dict[str, Entry]]:
    """One alternation of every variant, longest first, and the map from a variant's
    space-free key to its entry."""
    variants: dict[str, Entry] = {}
    for kind in ("orgs", "places", "persons"):
        for e in getattr(reg, kind).values():
            for v in (e.name, *e.variants):
                key = norm(v)
                if key and not re.search(r"['’]s?$", v):  # possessives: the base form is matched
                    variants.setdefault(key, e)
    # ordinary words the registry gives an entry in lower case for a period ("the straits")
    for kind in ("orgs", "places", "persons"):
        for e in getattr(reg, kind).values():
            for form, _, _ in e.lower_case:
                variants.setdefault(norm(form), e)
    scan_map = {k.replace(" ", ""): e for k, e in reversed(list(variants.items()))}
    keys = sorted(variants, key=lambda k: (-len(k), k))
    alts = _alternatives([tuple(_SEP.join(k.split())) for k in keys])
    initials = r"(?:(?:[A-Za-z]|" + "|".join(reg.vocab.two_letter_initials or ("(?!)",)) + r")\.\s*){1,3}"
    # a name may end a compound the vocabulary lists ("black seaports": Black Sea + ports)
    tails = "|".join(re.escape(t) for t in reg.vocab.compound_tails)
    end = rf"(?:(?![\w\-])|(?=(?:{tails})(?![\w\-])))" if tails else r"(?![\w\-])"
    # initials are letters and a stop: where no word of at most an initial's letters is
    # followed by a stop, none is tried (exact when every two-letter initial is word
    # characters, as the vocabulary gives them: each initial is such a word, then a stop)
    longest = max((1, *map(len, reg.vocab.two_letter_initials)))
    guard = rf"(?=\w{{1,{longest}}}\.)" if all(re.fullmatch(r"\w+", u) for u in reg.vocab.two_letter_initials) else ""
    source = rf"{_START}(?:{guard}(?P<ini>{initials})|)(?P<name>{'|'.join(alts) or '(?!)'}){end}"
    printed = "".join((*keys, *reg.vocab.two_letter_initials, *reg.vocab.compound_tails))  # the source's letters from data
    return Scanner(source, set(printed) | set("abcdefghijklmnopqrstuvwxyz")), scan_map  # (and [A-Za-z]'s)


#: the scan's pattern is matched over the text after PAD: its first character is _START, the
#: character before a name (PAD for one at the text's start), not a letter, digit, _ or hyphen.
#: This is `(?<![\w\-])` before the name, with the same matches (a match ends with a letter
#: or digit of a variant, so none could begin right where the one before it ends); a match's
#: start is the name's (or its initials') in the text, its groups' offsets are one more. A
#: pattern that begins with a character set is tried only at those characters (_sre skips
#: the others), instead of at every one
_START = r"[^\w\-]"
PAD = " "
_SEP = "\x00"  # between the words of a variant: any run of spaces and punctuation
_SEP_RE = r"[\s.,'’\-]*"
_FACTORED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _alternatives(variants: list[tuple[str, ...]]) -> list[str]:
    """The regex alternatives matching `variants` (tuples of letters and _SEP), tried in the
    same order and with the same result as `a|b|c…` written out, but factored by their first
    letters: a run of consecutive variants that each begin with an ASCII letter or digit is
    grouped by that letter (the variants of a group keep their order), so that the engine
    tries only the group of the letter printed instead of every variant in turn. Exact: at a
    given position at most one group's letter matches (case-insensitively, an ASCII letter's
    class holds no other ASCII letter or digit), so the variants that can match are tried in
    their original order. A run of consecutive variants that each begin with _SEP shares
    one: a separator is always followed by a word's letter, which no separator character
    is, so it can only match the whole run of separators printed, whichever variant follows.
    A variant that begins with another character, or has ended, stays where it is."""
    out: list[str] = []
    i = 0
    while i < len(variants):
        first = variants[i][0] if variants[i] else None
        if first == _SEP:
            rests = []
            while i < len(variants) and variants[i] and variants[i][0] == _SEP:
                rests.append(variants[i][1:])
                i += 1
            out.append(_SEP_RE + _group(rests))
            continue
        if first not in _FACTORED:
            out.append(_plain(variants[i]))
            i += 1
            continue
        groups: dict[str, list[tuple[str, ...]]] = {}
        while i < len(variants) and variants[i] and variants[i][0] in _FACTORED:
            groups.setdefault(variants[i][0], []).append(variants[i][1:])
            i += 1
        for letter, rests in groups.items():
            out.append(letter + _group(rests))
    return out


def _group(rests: list[tuple[str, ...]]) -> str:
    """The alternatives of `rests` as one group. One rest is written as it is, and the
    letters or separators all rests begin with are written once: that is what their
    factoring gives, without recursing once per letter (a long name would exceed Python's
    recursion limit)."""
    if len(rests) == 1:
        return _plain(rests[0])
    first = rests[0]
    k = 0
    while k < len(first) and (first[k] in _FACTORED or first[k] == _SEP) \
            and all(len(r) > k and r[k] == first[k] for r in rests):
        k += 1
    if k:
        return _plain(first[:k]) + _group([r[k:] for r in rests])
    inner = _alternatives(rests)
    return inner[0] if len(inner) == 1 else "(?:" + "|".join(inner) + ")"


def _plain(variant: tuple[str, ...]) -> str:
    return "".join(_SEP_RE if c == _SEP else re.escape(c) for c in variant)


try:  # how re.IGNORECASE folds a character (re._compiler uses the same two)
    from _sre import unicode_tolower as _tolower
    from re._casefix import _EXTRA_CASES
except ImportError:  # another implementation of `re`: always re.IGNORECASE
    _tolower = _EXTRA_CASES = None


class Scanner:
    """The scan's alternation, matched case-insensitively, as `re.IGNORECASE` matches it.

    Where every letter of the source is lower case, a text is matched case-sensitively with
    each of its characters lowered (the simple lower case re.IGNORECASE compares: _sre's
    unicode_tolower): twice as quick (the engine compares the letters as they are instead of
    folding each), and the same matches at the same offsets. Exact: re.IGNORECASE matches a
    lower-case letter L to a character c when c's lower case is L, or is one of the few extra
    cases re._casefix lists for L (`s` and the long s, `i` and the dotless i...): a text whose
    lowered characters hold none of those extras (`unsafe`) is matched the same either way;
    `\\w`, `\\s` and punctuation do not depend on case (tests/test_scan_lowered.py checks
    every letter of the source, `[A-Za-z]` and the classes against every character). The
    groups' text is read from the text itself by their spans. Otherwise, or for a text with an
    extra, the source is matched with re.IGNORECASE (compiled when first needed). The compiled
    forms are kept between runs (teikit.core.rxforms: compiling is most of the cost).

    Pickled, a scanner keeps its source and its verdict on the letters, not its compiled
    patterns (a compiled pattern pickles as its source and compiles again when loaded): it
    compiles them when loaded, through teikit.core.rxforms (`ready`, else on first use), so a
    process that is handed one (a registry read in another process) does not build the
    source again."""

    def __init__(self, source: str, letters: set[str]):
        self.pattern = source  # the source, as re.Pattern.pattern
        lowered = _tolower is not None and all(_tolower(ord(c)) == ord(c) for c in letters)
        self.unsafe = frozenset(chr(x) for c in letters for x in _EXTRA_CASES.get(ord(c), ())) if lowered else None
        self._ascii_safe = lowered and not any(c.isascii() for c in self.unsafe)  # an ASCII text holds none
        self._lowered = lowered
        self._exact = self._folding = None
        self.ready()

    def ready(self) -> "Scanner":
        """The scanner with the pattern it matches with compiled (the lowered text's, else
        the folding one)."""
        if self._lowered:
            if self._exact is None:
                self._exact = rxforms.compile(self.pattern)
        elif self._folding is None:
            self._folding = rxforms.compile(self.pattern, re.IGNORECASE)
        return self

    def __getstate__(self):
        return {**self.__dict__, "_exact": None, "_folding": None}

    def finditer(self, text: str):
        if self._lowered:
            exact = self._exact if self._exact is not None else self.ready()._exact
            if text.isascii():
                low = text.lower()  # (ASCII's lower case is the simple one)
                if self._ascii_safe or self.unsafe.isdisjoint(low):
                    return exact.finditer(low)
            else:
                low = text.translate(_LOWERED)
                if self.unsafe.isdisjoint(low):
                    return exact.finditer(low)
        if self._folding is None:
            self._folding = rxforms.compile(self.pattern, re.IGNORECASE)
        return self._folding.finditer(text)


class _Lowered(dict):
    """str.translate's table of each character's simple lower case (one character for one:
    `İ` stays one character, unlike str.lower)."""

    def __missing__(self, code: int) -> int:
        low = self[code] = _tolower(code)
        return low


_LOWERED = _Lowered()


def _lowercase_ok(reg, name: str, entry: Entry) -> bool:
    """A variant printed wholly in lower case: a name when it is a name of several words
    ("black sea", "league of nations": machine translation prints them so, and a phrase of
    several words of a registry name is not an ordinary phrase) that does not begin with an
    initial, or one word of five letters or more that is not a stop word; a leading title
    or article does not count as a word ("the union" is one word)."""
    key = norm(name)
    tokens = key.split()
    while len(tokens) > 1 and tokens[0] in reg.vocab.titles:
        tokens = tokens[1:]  # "the union" is read as "union", "the black sea" as "black sea"
    key = " ".join(tokens)
    if len(tokens) > 1:
        first = tokens[0]
        return len(first) > 1 and first not in reg.vocab.two_letter_initials
    if key in reg.vocab.stop_words:
        return False
    return len(key) >= 5


def _lower_case_form(entry: Entry, name: str):
    """The entry's lowerCaseNames item `name` is (any case), when it is not also a variant."""
    if not entry.lower_case:
        return None
    key = norm(name)
    if any(norm(v) == key for v in (entry.name, *entry.variants)):
        return None
    return next((lc for lc in entry.lower_case if norm(lc[0]) == key), None)


def _in_period(lower_form, date: str | None) -> bool:
    _, start, stop = lower_form
    return bool(date) and overlaps(date, start, stop)


def in_date(reg, entry: Entry, date: str | None) -> Entry:
    """The entry, or the predecessor or successor that existed on `date`."""
    seen = set()
    while date and not entry.exists_on(date) and entry.id not in seen:
        seen.add(entry.id)
        table = getattr(reg, entry.kind)
        nxt = None
        if entry.from_ and date < entry.from_:
            nxt = next((e for e in table.values() if e.successor == entry.id), None)
        elif entry.successor:
            nxt = table.get(entry.successor)
        if nxt is None:
            break
        entry = nxt
    return entry


def find_names(reg, text: str, date: str | None = None) -> list[tuple[int, int, Entry]]:
    """Known names in `text`, as (start, end, entry), longest match first, left to right."""
    scanner, _scan_map = reg.scanner
    vocab = reg.vocab
    memo = reg.memo.setdefault("scanned name", {})
    text = fold(text)  # "Atatürk" is found as "Ataturk"; the same length, so offsets hold
    found = []
    for m in scanner.finditer(PAD + text):  # (offsets in the text: a group's less one, the match's start)
        end = m.end() - 1
        name = text[m.start("name") - 1:m.end("name") - 1]  # (the match may be over the text lowered)
        seen = memo.get(name)
        if seen is None:
            seen = memo[name] = _read_name(reg, name)
        entry, lower_form, printed_ok, one_word = seen
        if lower_form is not None:
            if not _in_period(lower_form, date):
                continue  # a word the registry reads as this name only in its period
        elif not printed_ok:
            continue
        if one_word and end < len(text) and text[end].isalpha():
            continue  # only a name of several words is read as the first part of a compound
        if entry.kind == "places" and vocab.name_blockers:
            nxt = _NEXT_WORD_AT.match(text, end)
            if nxt and nxt.group(1).lower() in vocab.name_blockers:
                continue  # "Berlin pact", "Montreux convention": part of another name
        start = m.start()
        if m.end("ini") > m.start("ini") >= 0:
            ini = text[m.start("ini") - 1:m.end("ini") - 1]
            plausible = entry.kind == "persons" and (ini[0].isupper() or len(ini.split(".")[0]) <= 2)
            if not plausible or ini.split(".")[0].lower() in vocab.titles:
                start = m.start("name") - 1
        found.append((start, end, in_date(reg, entry, date)))
    found.extend(_variant_forms(reg, text, found))
    return sorted(found, key=lambda t: t[0])


def _read_name(reg, name: str):
    """What the scan reads from a matched name, whatever its place in the text: (entry,
    its lowerCaseNames item the name is, printed as a name (a capital, or a lower-case
    name long enough), a name of one word)."""
    entry = reg.scanner[1][norm(name).replace(" ", "")]
    lower_form = _lower_case_form(entry, name)
    has_upper = name != name.lower() if name.isascii() else any(c.isupper() for c in name)
    printed_ok = has_upper or _lowercase_ok(reg, name, entry)
    return entry, lower_form, printed_ok, " " not in norm(name)


def _variant_forms(reg, text: str, found) -> list[tuple[int, int, Entry]]:
    """Capitalised words no variant matched, read without a case ending, with a
    transliteration pair exchanged, or (persons) by similarity to a surname."""
    memo = reg.memo.setdefault("variant form", {})
    # the scan's spans are in order and do not overlap (each ends before the next begins),
    # so the one that may hold a word's first or last letter is the last beginning before it
    starts = [s for s, _e, _ in found]
    out = []
    for m in _WORD.finditer(text):
        ws, we = m.start(), m.end()
        k = bisect.bisect_right(starts, ws) - 1
        if k >= 0 and ws < found[k][1]:
            continue
        k = bisect.bisect_left(starts, we) - 1
        if k >= 0 and we <= found[k][1]:
            continue
        key = norm(m.group(1))
        if key not in memo:
            memo[key] = _variant_form(reg, key)
        entry = memo[key]
        if entry is not None:
            out.append((m.start(), m.end(), entry))
    return out


def _variant_form(reg, key: str) -> Entry | None:
    """The entry a capitalised word (normalised) no variant matched is a form of, if any."""
    if key in reg.vocab.stop_words or reg.is_known_word(key):
        return None
    entry = reg.single_word(key)
    return entry if entry is not None else _fuzzy(reg, key)


def _fuzzy(reg, key: str) -> Entry | None:
    """The person whose surname the word is an OCR slip of: same first letter, similarity
    at least the vocabulary's fuzzyThreshold, a length within one letter, and one surname
    only above it."""
    threshold = reg.vocab.fuzzy_threshold
    if not threshold or len(key) < 6:
        return None
    choices = reg.fuzzy_surnames.get(key[0], {})
    # an OCR slip changes letters inside the name, not its length by more than one
    near = [c for c in choices if abs(len(c) - len(key)) <= 1 and _may_reach(key, c, threshold)]
    if not near:
        return None  # (what process.extract finds among no choices)
    from rapidfuzz import fuzz, process  # on first use: a build that reuses its name scan needs none

    hits = process.extract(key, near, scorer=fuzz.ratio, score_cutoff=threshold, limit=2)
    if len(hits) == 1 or (len(hits) == 2 and choices[hits[0][0]] is choices[hits[1][0]]):
        return choices[hits[0][0]]
    return None


def _may_reach(key: str, choice: str, threshold: float) -> bool:
    """Whether rapidfuzz's fuzz.ratio(key, choice) may reach `threshold`: it is 200 times
    their longest common subsequence over their lengths' sum, and that subsequence holds at
    most the characters both have (counted with repeats). A choice that cannot reach it is
    one process.extract's score_cutoff leaves out (the margin covers rounding)."""
    counts = _letters(choice)
    shared = sum(min(n, counts.get(c, 0)) for c, n in _letters(key).items())
    return 200.0 * shared / (len(key) + len(choice)) + 1e-6 >= threshold


@lru_cache(maxsize=1 << 14)
def _letters(word: str) -> dict[str, int]:
    """Each character of `word` -> how many times it holds it (a word is asked about against
    many choices, a surname by many words: counted once). Not to be changed by a caller."""
    return dict(Counter(word))


def unmatched_candidates(reg, text: str) -> list[str]:
    """Capitalised name-like words inside sentences that match no entry (first seen first)."""
    covered = [(s, e) for s, e, _ in find_names(reg, text)]
    stop = reg.vocab.stop_words
    out: list[str] = []
    for m in re.finditer(r"(?<![\w\-'’])([A-Z][a-z]+(?:-[A-Za-z]+)?)(?![\w\-])", text):
        word = m.group(1)
        if any(s <= m.start() < e for s, e in covered):
            continue
        before = text[: m.start()].rstrip(" *_")
        if not before or before[-1] in ".!?:;\"“(\n#[" or before.endswith("-"):
            continue  # sentence start: capital says nothing
        key = norm(word)
        if "-" in word and any(reg.is_known_word(norm(p)) or norm(p) in stop for p in word.split("-")):
            continue
        if key in stop or key.rstrip("s") in stop or reg.is_known_word(key):
            continue
        if word not in out:
            out.append(word)
    return out
