"""The segmentation review report (`teikit segment --report`): text for people, JSON for tools."""

from __future__ import annotations

import json
import re
import textwrap

from teikit.convert.dates import current
from teikit.convert.model import Compilation, Document


def _agents(agents) -> str:
    return "; ".join(a.name + (f" [{a.ref}]" if a.ref else "") for a in agents)


def doc_record(doc: Document) -> dict:
    d = doc.date
    return {
        "seq": doc.seq,
        "id": doc.doc_id,
        "lines": [doc.start_line, doc.end_line],
        "heading": doc.heading,
        "title": doc.title,
        "type": doc.doc_type,
        "type_heading": doc.doc_type_heading,
        "is_extract": doc.is_extract,
        "date": {"printed": d.printed, "when": d.when, "from": d.from_, "to": d.to,
                 "notBefore": d.not_before, "notAfter": d.not_after, "cert": d.cert,
                 "source": d.source, "note": d.note},
        "place": doc.place,
        "classification": doc.classification,
        "number": doc.doc_number,
        "sender": [vars(a) for a in doc.senders],
        "addressee": [vars(a) for a in doc.addressees],
        "participants": [vars(a) for a in doc.participants],
        "archive": [vars(a) for a in doc.archive],
        "publications": [vars(p) for p in doc.publications],
        "toc": None if doc.toc is None else {"line": doc.toc.line, "page": doc.toc.page, "text": doc.toc.text},
        "segment_reason": getattr(doc, "segment_reason", None),
        "warnings": doc_warnings(doc),
    }


def doc_warnings(doc: Document) -> list[str]:
    """What an editor should look at: missing or uncertain metadata."""
    out = list(doc.warnings)
    if doc.date.is_empty:
        out.append("no date found")
    elif doc.date.cert:
        out.append(f"date inferred ({doc.date.note or doc.date.cert})")
    if doc.doc_type in (None, "other"):
        out.append("document type not recognised")
    if doc.doc_type_heading:
        out.append(f"heading says {doc.doc_type_heading}, text reads as {doc.doc_type}")
    for label, agents in (("sender", doc.senders), ("addressee", doc.addressees), ("participant", doc.participants)):
        for a in agents:
            if a.name and not a.ref:
                out.append(f"{label} {a.name!r} matches no registry entry")
    if doc.doc_type in ("telegram", "letter", "note", "instruction") and not doc.archive and not doc.publications:
        out.append("no archival reference or publication found")
    for ref in doc.archive:
        if ref.uncertain:
            out.append("archival reference read with doubt: " + ", ".join(ref.uncertain))
    if doc.toc is None:
        out.append("not in the table of contents")
    return out


def unmatched_names(comp: Compilation, registry=None) -> list[dict]:
    """Capitalised names in the documents that match no registry entry, most frequent first:
    [{"name", "count", "lines": [first lines, at most 10]}]. For editors extending the registry."""
    from teikit.convert.registry import Registry
    from teikit.convert.readers.inline import plain

    reg = registry if registry is not None else Registry()  # none given: every name is unmatched
    seen: dict[str, dict] = {}
    for doc in comp.documents:
        for b in doc.blocks:
            if b.kind in ("archive", "publication", "gap"):
                continue
            for name in reg.unmatched_candidates(plain(b.content)):
                if _not_a_name(name):
                    continue
                rec = seen.setdefault(name, {"name": name, "count": 0, "lines": []})
                rec["count"] += 1
                if len(rec["lines"]) < 10:
                    rec["lines"].append(b.lines[0])
    return sorted(seen.values(), key=lambda r: (-r["count"], r["name"]))


#: a title, a number word or a single letter: a capitalised word that is no name
_NO_NAME = re.compile(r"^(?:mr|mrs|ms|messrs|sir|dr|no|nos|lord|hon|gen|col|st|[a-z])\.?$", re.I)


def _not_a_name(name: str) -> bool:
    """A month (in the compilation's date conventions) or a title alone is no name to register."""
    return bool(_NO_NAME.match(name) or re.fullmatch(rf"(?:{current().month_pattern})\.?", name, re.I))


def as_json(comp: Compilation, registry=None) -> str:
    data = {
        "source": comp.source_name,
        "documents": [doc_record(d) for d in comp.documents],
        "toc": {
            "entries": len(comp.toc),
            "matched": sum(1 for d in comp.documents if d.toc is not None),
        },
        "issues": [vars(i) for i in comp.issues],
        "unmatched_names": unmatched_names(comp, registry),
    }
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def as_text(comp: Compilation, width: int = 120, registry=None, registry_dir=None) -> str:
    lines = [f"{comp.source_name}: {len(comp.documents)} documents", ""]
    header = f"{'seq':>4}  {'id':<20} {'lines':<11} {'type':<22} {'page':>5}  date as printed"
    lines.append(header)
    lines.append("-" * min(width, 110))
    for doc in comp.documents:
        page = doc.toc.page if doc.toc and doc.toc.page else "-"
        lines.append(
            f"{doc.seq:>4}  {doc.doc_id or '-':<20} {f'{doc.start_line}-{doc.end_line}':<11} "
            f"{doc.doc_type or '-':<22} {page:>5}  {doc.date.printed or '(none)'}"
        )
        lines.extend(textwrap.wrap(doc.title or doc.heading, width - 8, initial_indent="      ", subsequent_indent="      "))
        who = []
        if doc.senders:
            who.append("from " + _agents(doc.senders))
        if doc.addressees:
            who.append("to " + _agents(doc.addressees))
        if doc.participants:
            who.append("present: " + _agents(doc.participants))
        if who:
            lines.extend(textwrap.wrap(" | ".join(who), width - 8, initial_indent="      ", subsequent_indent="      "))
        if doc.classification:
            lines.append("      marks: " + ", ".join(doc.classification) + (f" | number: {doc.doc_number}" if doc.doc_number else ""))
        for w in doc_warnings(doc):
            lines.append(f"      ! {w}")
    matched = sum(1 for d in comp.documents if d.toc is not None)
    chapters = sum(1 for e in comp.toc if e.points_to == "chapter")
    to_chapters = f", {chapters} print a chapter head (not matched to documents)" if chapters else ""
    lines += ["", f"Table of contents: {len(comp.toc)} entries, {matched} matched to a document{to_chapters}."]
    for issue in comp.issues:
        if issue.code.startswith(("toc:", "seg:", "profile:")):
            lines.append(f"  line {issue.line}: [{issue.code}] {issue.message}")
    names = unmatched_names(comp, registry)
    where = f"{registry_dir}/*.json" if registry_dir else "the corpus's registry (its 'registry' folder)"
    lines += ["", f"Names that match no registry entry ({len(names)}; add them to {where}):"]
    for rec in names:
        more = "…" if rec["count"] > len(rec["lines"]) else ""
        lines.append(f"  {rec['name']:<28} {rec['count']:>4}  lines {', '.join(map(str, rec['lines']))}{more}")
    return "\n".join(lines) + "\n"
