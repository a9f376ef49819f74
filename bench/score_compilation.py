"""Score a reader profile on a test compilation with gold answers (tests/data/sources/*/gold.json).

    python3 bench/score_compilation.py CORPUS_DIR [--profile PROFILE.json] [--check] [-v]

Copies CORPUS_DIR to a temporary folder, puts PROFILE.json (a `reader` object, as in
docs/reader-profile.md) into its corpus.json if given, converts it with teikit exactly as
`teikit build --no-site` would, and reads the TEI files back:

  boundaries   a gold document is found when one TEI file covers (bibl[@type='digitalSource']/
               citedRange) all of its lines and starts after the document before it ends and
               ends before the next one starts; precision over the files written, recall over
               the gold documents, F1
  dates        creation/date (@when, else @from/@notBefore) is the gold day, over gold documents
               with a date
  sender+addressee  correspDesc names the gold sender and addressee, over gold documents whose
               heading is "X to Y"; a name agrees when one's words contain the other's
               (titles and articles ignored)
  types        documents whose heading, file-number line or bracketed line names a type: how
               many are typed "other" (must be none) and how many carry the gold's type word

--check exits 1 when a floor is missed: boundaries F1 0.98, dates 0.95, sender+addressee 0.9,
no "other" where a type is named.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teikit import pipeline  # noqa: E402

NS = {"t": "http://www.tei-c.org/ns/1.0"}
FLOORS = {"boundaries_f1": 0.98, "dates": 0.95, "correspondents": 0.9}
_IGNORED = frozenset("the mr mr. mrs sir of in to and a an at his her hon dr".split())


def convert(corpus: Path, profile: dict | None) -> list[dict]:
    """The documents teikit writes for `corpus` (with `profile` as its reader profile)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "corpus"
        shutil.copytree(corpus, work, ignore=shutil.ignore_patterns("tei", "idmap.json"))
        if profile is not None:
            cfg_path = work / "source" / "corpus.json"
            cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
            cfg["reader"] = profile
            cfg_path.write_text(json.dumps(cfg, indent=2, ensure_ascii=False), encoding="utf-8")
        pipeline.convert_project(pipeline.Project(work), work / "tei", update_idmap=False)
        return [d for f in sorted((work / "tei").rglob("*.xml")) if (d := read_tei(f))]


def read_tei(path: Path) -> dict | None:
    root = etree.parse(str(path)).getroot()
    rng = root.find(".//t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange", NS)
    if rng is None or root.find("t:text/t:body/t:div[@type='document']", NS) is None:
        return None  # a registry, the corpus header, the front or back matter
    date = root.find("t:teiHeader/t:profileDesc/t:creation/t:date", NS)
    when = None
    if date is not None:
        when = date.get("when") or date.get("from") or date.get("notBefore")
    cat = root.find("t:teiHeader/t:profileDesc/t:textClass/t:catRef", NS)

    def names(kind: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in root.xpath(
            f"t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction[@type='{kind}']/*[not(self::t:date) and not(self::t:placeName)]",
            namespaces=NS)]

    return {"file": path.name, "from": int(rng.get("from")), "to": int(rng.get("to")), "date": when,
            "type": (cat.get("target") or "").lstrip("#") if cat is not None else None,
            "sender": names("sent"), "addressee": names("received")}


def words(name: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", name.lower()) if w not in _IGNORED}


def agrees(gold: list[str], found: list[str]) -> bool:
    if not gold or not found:
        return False
    for g in gold:
        gw = words(g)
        if not any(gw and (gw <= words(f) or (words(f) and words(f) <= gw)) for f in found):
            return False
    return True


def score(gold_docs: list[dict], docs: list[dict], verbose: bool = False) -> dict:
    found = 0
    dated = dated_ok = pairs = pairs_ok = named = named_other = named_same = 0
    problems: list[str] = []
    for k, g in enumerate(gold_docs):
        prev_end = gold_docs[k - 1]["end_line"] if k else 0
        next_start = gold_docs[k + 1]["start_line"] if k + 1 < len(gold_docs) else 10**9
        doc = next((d for d in docs if d["from"] <= g["heading_line"] <= d["to"]), None)
        ok = doc is not None and prev_end < doc["from"] <= g["start_line"] and g["end_line"] <= doc["to"] < next_start
        found += ok
        label = f"gold {g['n']} (line {g['heading_line']}) {g['heading'][:60]!r}"
        if not ok:
            problems.append(f"{label}: boundary: " + (f"file {doc['file']} lines {doc['from']}-{doc['to']}, gold {g['start_line']}-{g['end_line']}" if doc else "no file covers the heading"))
        if doc is None:
            doc = {"date": None, "type": None, "sender": [], "addressee": []}
        if g["date"]:
            dated += 1
            if (doc["date"] or "")[:10] == g["date"]:
                dated_ok += 1
            else:
                problems.append(f"{label}: date {doc['date']!r}, gold {g['date']}")
        if g["sender"] and g["addressee"]:
            pairs += 1
            if agrees(g["sender"], doc["sender"]) and agrees(g["addressee"], doc["addressee"]):
                pairs_ok += 1
            else:
                problems.append(f"{label}: sender {doc['sender']} addressee {doc['addressee']}, gold {g['sender']} -> {g['addressee']}")
        if g["type"]:
            named += 1
            named_other += doc["type"] in (None, "other")
            named_same += doc["type"] == g["type"]
            if doc["type"] != g["type"]:
                problems.append(f"{label}: type {doc['type']!r}, gold {g['type']!r}")
    precision = found / len(docs) if docs else 0.0
    recall = found / len(gold_docs) if gold_docs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "documents": {"gold": len(gold_docs), "written": len(docs), "found": found},
        "boundaries_f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
        "dates": round(dated_ok / dated, 4) if dated else None, "dated": dated,
        "correspondents": round(pairs_ok / pairs, 4) if pairs else None, "x_to_y": pairs,
        "type_named": named, "type_other_where_named": named_other, "type_as_gold": named_same,
    }
    if verbose:
        result["problems"] = problems
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--profile", type=Path, help="a JSON file holding the reader profile to score")
    ap.add_argument("--gold", type=Path, help="default: CORPUS/gold.json")
    ap.add_argument("--check", action="store_true", help="exit 1 when a floor is missed")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    gold = json.loads((args.gold or args.corpus / "gold.json").read_text(encoding="utf-8"))
    profile = json.loads(args.profile.read_text(encoding="utf-8")) if args.profile else None
    result = score(gold["documents"], convert(args.corpus, profile), args.verbose)
    for key, value in result.items():
        if key == "problems":
            print("misses:")
            for p in value:
                print("  " + p)
        else:
            print(f"{key:24} {value}")
    missed = [k for k, floor in FLOORS.items() if result[k] is not None and result[k] < floor]
    if result["type_other_where_named"]:
        missed.append("type_other_where_named")
    if missed:
        print("below the floor: " + ", ".join(missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
