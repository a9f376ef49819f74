"""The similarity threshold for fuzzy name matching, measured on the registry itself.

    python3 bench/fuzzy_threshold.py

True pairs: a person's single-word spelling variants (OCR and translation slips such as
"Saracoglu" / "Sarajoglu") against that person's surname. False pairs: each surname
against every other person's surname. Prints, per threshold of rapidfuzz's `fuzz.ratio`,
how many true pairs it accepts and how many false pairs; teikit uses the lowest threshold
that accepts no false pair (written into data/registry/vocabulary.json, fuzzyThreshold).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teikit.convert.registry import Registry, norm  # noqa: E402
from teikit.projectinputs import read_registry  # noqa: E402


def pairs(reg: Registry):
    surnames = {e.id: norm(e.surname) for e in reg.persons.values() if e.surname and len(norm(e.surname)) >= 5}
    true, false = [], []
    for e in reg.persons.values():
        s = surnames.get(e.id)
        if not s:
            continue
        for v in e.variants:
            k = norm(v)
            if " " not in k and k != s and len(k) >= 5 and not k.endswith(" s"):
                true.append(fuzz.ratio(k, s))
    ids = sorted(surnames)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if surnames[a] != surnames[b]:  # a shared surname is ambiguous, never matched fuzzily
                false.append(fuzz.ratio(surnames[a], surnames[b]))
    return true, false


def main() -> None:
    reg = read_registry(ROOT / "data" / "registry")
    true, false = pairs(reg)
    print(f"{len(true)} true pairs, {len(false)} false pairs; highest false pair {max(false):.1f}")
    for t in range(70, 100, 2):
        print(f"threshold {t}: accepts {sum(x >= t for x in true):3d}/{len(true)} true, "
              f"{sum(x >= t for x in false):3d} false")


if __name__ == "__main__":
    main()
