"""Accuracy of the header metadata against a hand-checked gold set.

    python3 bench/gold_score.py [--gold ../shared/gold-dev/gold-dev.json] [--corpus corpus] [-v]

Converts the corpus source (nothing is written), pairs every gold document with the
extracted document that covers its first line, and prints the share of documents whose
field agrees with the gold, per field:

  date            the normalised range (earliest and latest day) is the same
  type            the document type is the same
  sender          the sender lists agree one to one (a pair agrees by registry entry or surname)
  addressee       the same for addressees
  participants    the same for participants
  fond/delo       fond and delo of the first archival reference (documents where one is printed)
  classification  the strongest mark: top secret > secret > urgent (only without a secrecy mark)

Sender, addressee and participants are scored on the documents where the gold or the
extraction names someone (a pair of empty lists is not counted as a success).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teikit.convert import metadata  # noqa: E402
from teikit.convert import dates
from teikit.convert import idmap
from teikit.convert.model import DocDate, Document  # noqa: E402
from teikit.pipeline import Project, convert_text  # noqa: E402
from teikit.projectinputs import load_config, load_registry, read_source  # noqa: E402
from teikit.convert.registry import Registry, norm  # noqa: E402
from teikit.projectinputs import read_registry  # noqa: E402

FIELDS = ("date", "type", "sender", "addressee", "participants", "fond/delo", "classification")
DEFAULT_GOLD = ROOT.parent / "shared" / "gold-dev" / "gold-dev.json"


def load_documents(corpus: Path) -> list[Document]:
    project = Project(corpus)
    config = load_config(project.config_path)
    src = project.source_dir / config["source"]["file"]
    pinned = project.idmap_path.read_text(encoding="utf-8") if project.idmap_path.exists() else None
    comp, _map, _notes = convert_text(read_source(src), src.name, config, idmap.load(pinned),
                                      registry=load_registry(project, config))
    metadata.refine_with_toc(comp)  # idempotent: a no-op where the pipeline already ran it
    return comp.documents


def find_doc(docs: list[Document], gold: dict) -> Document | None:
    line = gold["start_line"]
    return next((d for d in docs if d.start_line <= line <= d.end_line), None)


def gold_range(g: dict) -> tuple | None:
    d = DocDate(when=g["date_when"], from_=g["date_from"], to=g["date_to"],
                not_before=g["date_notBefore"], not_after=g["date_notAfter"])
    return None if d.is_empty else dates.date_range(d)


def doc_range(doc: Document) -> tuple | None:
    try:
        return None if doc.date.is_empty else dates.date_range(doc.date)
    except ValueError:
        return None


def _surname(name: str | None) -> str:
    key = norm(re.sub(r"\(.*?\)", "", name or ""))
    return key.split()[-1] if key else ""


def _gold_refs(agent: dict, reg: Registry) -> set[str]:
    refs = set()
    for text in (agent.get("name"), agent.get("name_printed")):
        if not text:
            continue
        found = reg.match_org(text) if agent.get("type") == "org" else reg.match_person(text)
        if found:
            refs.add(found.ref)
    return refs


def agent_agrees(gold: dict, got, reg: Registry) -> bool:
    if got.ref and got.ref in _gold_refs(gold, reg):
        return True
    if gold.get("type") == "org":
        return norm(got.name) in {norm(gold.get("name") or ""), norm(gold.get("name_printed") or "")}
    return _surname(got.name) in {_surname(gold.get("name")), _surname(gold.get("name_printed"))} - {""}


def agents_agree(golds: list[dict], gots: list, reg: Registry) -> bool:
    if len(golds) != len(gots):
        return False
    left = list(gots)
    for g in golds:
        hit = next((a for a in left if agent_agrees(g, a, reg)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def strongest_mark(marks: list[str]) -> str | None:
    for mark, label in (("top-secret", "top secret"), ("secret", "secret"), ("urgent", "urgent")):
        if mark in marks:
            return label
    return None


def score_doc(g: dict, doc: Document | None, reg: Registry) -> dict[str, bool | None]:
    """Field -> True/False, or None when the field does not count for this document."""
    if doc is None:
        return {f: False for f in FIELDS}
    out: dict[str, bool | None] = {
        "date": gold_range(g) == doc_range(doc),
        "type": g["doc_type"] == doc.doc_type,
    }
    for name, got in (("sender", doc.senders), ("addressee", doc.addressees), ("participants", doc.participants)):
        out[name] = agents_agree(g[name], got, reg) if (g[name] or got) else None
    arch = g.get("archival_ref")
    if arch:
        first = doc.archive[0] if doc.archive else None
        out["fond/delo"] = bool(first) and (first.fond, first.delo) == (arch["fond"], arch["delo"])
    else:
        out["fond/delo"] = None
    gold_cls = {"highly secret": "top secret"}.get(g["classification"], g["classification"])
    out["classification"] = gold_cls == strongest_mark(doc.classification) if gold_cls else None
    return out


def score(gold_path: Path = DEFAULT_GOLD, corpus: Path = ROOT / "corpus") -> dict:
    """{"fields": {field: (right, counted)}, "documents": [(seq, {field: bool|None}), ...]}."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))["documents"]
    docs = load_documents(corpus)
    reg = read_registry(ROOT / "data" / "registry")
    per_doc = [(g["seq"], score_doc(g, find_doc(docs, g), reg)) for g in gold]
    fields = {}
    for f in FIELDS:
        counted = [r[f] for _, r in per_doc if r[f] is not None]
        fields[f] = (sum(counted), len(counted))
    return {"fields": fields, "documents": per_doc}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the documents that disagree")
    args = ap.parse_args(argv)
    result = score(args.gold, args.corpus)
    for f, (right, counted) in result["fields"].items():
        share = 100 * right / counted if counted else 100.0
        print(f"{f:<15} {right:>3}/{counted:<3} {share:6.1f}%")
    if args.verbose:
        for seq, fields in result["documents"]:
            wrong = [f for f, ok in fields.items() if ok is False]
            if wrong:
                print(f"  seq {seq}: " + ", ".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
