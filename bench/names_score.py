"""Name tagging against a hand-annotated sample: precision and recall of registry links.

The sample is a gold file in gold-dev's format whose documents carry a `names` list (one
entry per mention: printed form, line, kind, registry id or null, zone). A mention counts
for recall when it has a registry id: it is found when the document's TEI holds a
persName/placeName/orgName with that @ref (each tag used once). A tag counts for precision
when its @ref is among the sample's ids for that document (each sample mention used once).
Zones can be left out (`--skip-zone archival`), and nested mentions (a place inside an
organisation's name) count only with `--nested`.

    python bench/names_score.py GOLD.json [--corpus corpus] [-v]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
TEI = "{http://www.tei-c.org/ns/1.0}"
PREFIX = {"person": "pers", "place": "place", "org": "org"}


def documents_by_start(tei_dir: Path) -> dict[int, etree._Element]:
    out = {}
    for path in sorted(tei_dir.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        cited = root.find(f".//{TEI}bibl[@type='digitalSource']/{TEI}citedRange")
        if cited is not None and cited.get("from"):
            out[int(cited.get("from"))] = root
    return out


def tagged_refs(root: etree._Element) -> collections.Counter:
    text = root.find(f"{TEI}text")
    refs = collections.Counter()
    for el in text.iter(f"{TEI}persName", f"{TEI}placeName", f"{TEI}orgName"):
        for ref in (el.get("ref") or "").split():
            refs[ref] += 1
    return refs


def score(gold_path: Path, corpus: Path, skip: set[str], nested: bool, verbose: bool):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    docs = documents_by_start(corpus / "tei")
    found = wanted = right = tags = 0
    for g in gold:
        root = docs.get(g["start_line"])
        want = collections.Counter(
            f"{PREFIX[n['kind']]}:{n['ref']}" for n in g["names"]
            if n.get("ref") and n["zone"] not in skip and (nested or not n.get("nested")))
        got = tagged_refs(root) if root is not None else collections.Counter()
        hit = sum((want & got).values())
        found += hit
        wanted += sum(want.values())
        right += hit
        tags += sum(got.values())
        if verbose:
            missing = want - got
            extra = got - want
            print(f"{g['start_line']}: recall {hit}/{sum(want.values())}, precision {hit}/{sum(got.values())}"
                  + (f"; missing {dict(missing)}" if missing else "") + (f"; extra {dict(extra)}" if extra else ""))
    return found, wanted, right, tags


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--skip-zone", action="append", default=[], help="leave out mentions of this zone")
    ap.add_argument("--nested", action="store_true", help="count nested mentions too")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    found, wanted, right, tags = score(args.gold, args.corpus, set(args.skip_zone), args.nested, args.verbose)
    print(f"recall    {found}/{wanted} = {found / wanted if wanted else 1:.3f}")
    print(f"precision {right}/{tags} = {right / tags if tags else 1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
