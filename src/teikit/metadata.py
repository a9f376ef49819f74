"""Header metadata from a document's heading, opener and closing lines.

Every rule here reads what is printed; what it infers is flagged (`cert`, `inferred`) and
noted. Corrections of single documents are never made here: they are overrides (data).
"""

from __future__ import annotations

import re

from . import archive, dates
from .model import Compilation, DocDate, Document
from .readers.inline import plain

#: heading words -> document type (the first one found in the heading decides)
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    (r"report of the soviet press|soviet press|tass|communiqu", "press-report"),
    (r"record(?:ing)?s? of (?:the )?(?:conversation|talk)|conversations?|talks?\b", "record-of-conversation"),
    (r"telegrams?", "telegram"),
    (r"political letter|letters?", "letter"),
    (r"notes?\b", "note"),
    (r"treaty", "treaty"),
    (r"agreement|convention|protocol", "agreement"),
    (r"diary", "diary"),
    (r"report", "report"),
    (r"speech", "speech"),
    (r"appeal", "appeal"),
    (r"statement|declaration", "statement"),
    (r"directives?|instructions?", "instruction"),
    (r"memorandum", "memorandum"),
    (r"message", "letter"),
)
_TYPE_RES = tuple((re.compile(rf"\b(?:{p})", re.I), t) for p, t in TYPE_WORDS)

_CLASSIFICATION = (
    (re.compile(r"\btop\s+secret\b", re.I), "top-secret"),
    (re.compile(r"(?<!top )\bsecret\b", re.I), "secret"),
    (re.compile(r"\bspecial\s+folder\b", re.I), "special-folder"),
    (re.compile(r"\b(?:immediately|urgent(?:ly)?|out\s+of\s+(?:line|turn)|highly\s+important)\b", re.I), "urgent"),
)
_DOC_NUMBER = re.compile(r"(?:\bNo\.?|№|\bM)\s*(?P<num>\d[\d/\-a-z]*)", re.I)


def doc_type_from_heading(heading: str) -> str | None:
    """The document type named first in a heading (`From: telegram of …` -> telegram)."""
    best = None
    for rx, t in _TYPE_RES:
        m = rx.search(heading)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), t)
    return best[1] if best else None


def clean_title(heading: str) -> str:
    """The heading as a title: markers and a trailing date removed, first letter capital."""
    t = re.sub(r"\\?\*+", "", heading)
    t = re.sub(r"\s+", " ", t).strip(" .,;:-–—")
    t = re.sub(r"^from\s*[:;]\s*", "From ", t, flags=re.I)
    found = dates.find_dates(t)
    if found and found[-1].end >= len(t) - 2 and found[-1].start > len(t) / 2:
        t = t[: found[-1].start].rstrip(" .,;:-–—")
    return t[:1].upper() + t[1:]


def extract(doc: Document, default_year: int | None = None) -> None:
    """Fill the header fields of `doc` from its blocks."""
    head = next((b for b in doc.blocks if b.kind == "head"), None)
    heading = plain(head.content) if head else doc.heading
    doc.title = clean_title(heading)
    doc.is_extract = bool(re.match(r"^\W*from\b", heading, re.I))
    doc.doc_type = doc_type_from_heading(heading) or "other"

    # date: the date line first, then the heading
    date = None
    for b in doc.blocks:
        if b.kind == "dateline":
            date = dates.parse_date(plain(b.content), default_year=default_year)
            if date:
                date.source = "dateline"
                break
    if date is None:
        date = dates.parse_date(heading, default_year=default_year)
        if date:
            date.source = "heading"
    if date is not None:
        doc.date = date

    # classification, priority and number: from the opener lines (and the heading)
    opener_text = " ".join(
        plain(b.content) for b in doc.blocks if b.kind in ("dateline", "classification", "number")
    )
    for rx, label in _CLASSIFICATION:
        m = rx.search(opener_text)
        if m and label not in doc.classification:
            doc.classification.append(label)
            doc.classification_printed.append(m.group(0))
    m = _DOC_NUMBER.search(opener_text)
    if m:
        doc.doc_number = m.group(0)

    # sources
    for b in doc.blocks:
        if b.kind == "archive":
            found = archive.find_archival_ref(b.raw, b.lines[0])
            if found:
                doc.archive.append(found[1])
        elif b.kind == "publication":
            found = archive.find_publication(b.raw, b.lines[0])
            if found:
                doc.publications.append(found[1])


def extract_all(comp: Compilation) -> None:
    """Extract every document; a year missing from a date line comes from the document before."""
    year = None
    for doc in comp.documents:
        extract(doc, default_year=year)
        if doc.date.range():
            year = int(doc.date.range()[0][:4])


def toc_date(text: str) -> DocDate | None:
    return dates.parse_date(text)
