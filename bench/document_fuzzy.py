"""Measure the similarity threshold for garbled forms of a person already named in the same
document (vocabulary `documentFuzzyThreshold`, read by convert/registry/known.py).

    python3 bench/document_fuzzy.py [MIN]    # default MIN 70

For every document of corpus/tei, every untagged capitalised word (and every pair of words
that begins with one) is compared with the names of the persons the document has tagged
(`known.candidates`: a word with surnames, a pair with two-word names of the same first word);
the best score per distinct (form, person) is printed, highest first, with the number of
documents. Judge the list by hand: the threshold is the lowest score above which every
pair is a true garbled form.
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

from lxml import etree
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teikit.convert.registry import Registry  # noqa: E402
from teikit.convert.registry.entries import fold, norm  # noqa: E402
from teikit.convert.registry.known import candidates  # noqa: E402
from teikit.projectinputs import read_registry  # noqa: E402

T = "{http://www.tei-c.org/ns/1.0}"
NAMES = {T + "persName", T + "placeName", T + "orgName"}


def untagged_text(text_el) -> str:
    parts = []
    for el in text_el.iter():
        if not isinstance(el.tag, str):
            continue
        inside = el.tag in NAMES or any(a.tag in NAMES for a in el.iterancestors())
        if el.text and not inside:
            parts.append(el.text)
        parts.append(" | ")
        if el.tail and not any(a.tag in NAMES for a in el.iterancestors()):
            parts.append(el.tail)
    return fold("".join(parts))


def main(minimum: float = 70) -> None:
    reg = read_registry(ROOT / "data" / "registry")
    best: dict[tuple[str, str], float] = {}
    docs = collections.Counter()
    for f in sorted((ROOT / "corpus" / "tei").glob("sfp-1*.xml")):
        tree = etree.parse(str(f))
        text_el = tree.find(f".//{T}text")
        refs = {el.get("ref") for el in text_el.iter(T + "persName")}
        persons = [e for e in reg.persons.values() if e.ref in refs]
        if not persons:
            continue
        plain = untagged_text(text_el)
        seen = set()
        for words, rx in ((1, r"(?<![\w\-])([A-Z][a-z]{2,})(?![\w\-])"),
                          (2, r"(?<![\w\-])([A-Z][a-z]{2,}\s+[A-Za-z][a-z]+)(?![\w\-])")):
            for m in re.finditer(rx, plain):
                key = norm(m.group(1))
                if len(key.replace(" ", "")) < 5 or key.split()[0] in reg.vocab.stop_words:
                    continue
                for p in persons:
                    for c in candidates(p, key, words):
                        if True:
                            s = fuzz.ratio(key, c)
                            if s >= minimum:
                                k = (key, p.id)
                                best[k] = max(best.get(k, 0), s)
                                if (k, f.stem) not in seen:
                                    seen.add((k, f.stem))
                                    docs[k] += 1
    for (key, pid), s in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"{s:5.1f}  {key!r:28} -> {pid:18} in {docs[(key, pid)]} doc(s)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 70)
