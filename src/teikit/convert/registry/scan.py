"""Finding registry names in running text (mention scanning), and name-like words that
the registry does not know (candidates for it)."""

from __future__ import annotations

import re

from teikit.convert.registry.entries import Entry, norm


def build_scanner(reg) -> tuple[re.Pattern, dict[str, Entry]]:
    """One alternation of every variant, longest first, and the map from a variant's
    space-free key to its entry."""
    variants: dict[str, Entry] = {}
    for kind in ("orgs", "places", "persons"):
        for e in getattr(reg, kind).values():
            for v in (e.name, *e.variants):
                key = norm(v)
                if key and not re.search(r"['’]s?$", v):  # possessives: the base form is matched
                    variants.setdefault(key, e)
    scan_map = {k.replace(" ", ""): e for k, e in reversed(list(variants.items()))}
    keys = sorted(variants, key=lambda k: (-len(k), k))
    sep = r"[\s.,'’\-]*"
    alts = [sep.join(re.escape(tok) for tok in k.split()) for k in keys]
    initials = r"(?:(?:[A-Za-z]|" + "|".join(reg.vocab.two_letter_initials or ("(?!)",)) + r")\.\s*){1,3}"
    pattern = re.compile(
        rf"(?<![\w\-])(?P<ini>{initials})?(?P<name>{'|'.join(alts) or '(?!)'})(?![\w\-])", re.IGNORECASE
    )
    return pattern, scan_map


def find_names(reg, text: str) -> list[tuple[int, int, Entry]]:
    """Known names in `text`, as (start, end, entry), longest match first, left to right.

    Only variants whose printed form begins with a capital letter (or initials) count, so
    that "may", "the union" and common words are not taken for names.
    """
    scanner, scan_map = reg.scanner
    found = []
    for m in scanner.finditer(text):
        name = m.group("name")
        if not any(c.isupper() for c in name):
            continue
        entry = scan_map[norm(name).replace(" ", "")]
        start = m.start()
        if m.group("ini"):
            ini = m.group("ini")
            plausible = entry.kind == "persons" and (ini[0].isupper() or len(ini.split(".")[0]) <= 2)
            if not plausible or ini.split(".")[0].lower() in reg.vocab.titles:
                start = m.start("name")
        found.append((start, m.end(), entry))
    return found


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
