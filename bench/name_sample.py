"""The hand-checked sample of names in the text (issue 14): 15 random documents outside the
development gold set, drawn with a fixed seed, printed for checking by hand.

    python3 bench/name_sample.py            # the sample: each tagged name and each untagged capitalised word

The judgements are in bench/name_sample.json (per document: the wrong tags and the names
missed, each with a note); `python3 bench/name_sample.py --score` recomputes precision
and recall from the current corpus/tei and those judgements.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
NS = {"t": "http://www.tei-c.org/ns/1.0"}
SEED = 14
TAGS = ("persName", "placeName", "orgName")


def sample() -> list[str]:
    gold = json.loads((ROOT.parent / "shared" / "gold-dev" / "gold-dev.json").read_text(encoding="utf-8"))
    gold_lines = {g["start_line"] for g in gold["documents"]}
    ids = []
    for f in sorted((ROOT / "corpus" / "tei").glob("sfp-1*.xml")):
        tree = etree.parse(str(f))
        rng = tree.find(".//t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange", NS)
        lo, hi = int(rng.get("from")), int(rng.get("to"))
        if not any(lo <= g <= hi for g in gold_lines):
            ids.append(f.stem)
    return sorted(random.Random(SEED).sample(ids, 15))


def tags(doc_id: str) -> list[tuple[str, str, str]]:
    tree = etree.parse(str(ROOT / "corpus" / "tei" / f"{doc_id}.xml"))
    out = []
    for el in tree.xpath("//t:text//t:persName | //t:text//t:placeName | //t:text//t:orgName", namespaces=NS):
        out.append((etree.QName(el).localname, "".join(el.itertext()).strip(), el.get("ref")))
    return out


def untagged_words(doc_id: str) -> list[str]:
    tree = etree.parse(str(ROOT / "corpus" / "tei" / f"{doc_id}.xml"))
    text = tree.find(".//t:text", NS)
    for el in text.xpath(".//t:persName | .//t:placeName | .//t:orgName", namespaces=NS):
        el.text, tail = "", el.tail  # drop tagged names, keep what follows
        for c in list(el):
            el.remove(c)
        el.tail = tail
    plain = " ".join(text.itertext())
    return sorted(set(re.findall(r"\b[A-Z][a-zA-Z\-]{2,}\b", plain)))


def score() -> None:
    judged = json.loads((ROOT / "bench" / "name_sample.json").read_text(encoding="utf-8"))
    tagged = wrong = missed = 0
    for doc_id, j in judged["documents"].items():
        n = len(tags(doc_id))
        tagged += n
        wrong += len(j["wrong"])
        missed += len(j["missed"])
    right = tagged - wrong
    print(f"{len(judged['documents'])} documents, {tagged} tags: {wrong} wrong, {missed} names missed")
    print(f"precision {right / tagged:.3f}, recall {right / (right + missed):.3f}")


def main() -> None:
    if "--score" in sys.argv:
        score()
        return
    for doc_id in sample():
        print(f"== {doc_id}")
        for kind, text, ref in tags(doc_id):
            print(f"   {kind:9s} {text!r} -> {ref}")
        print("   untagged capitalised:", ", ".join(untagged_words(doc_id)))


if __name__ == "__main__":
    main()
