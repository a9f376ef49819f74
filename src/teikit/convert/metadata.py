"""Header metadata from a document's heading, opener and closing lines.

Every rule here reads what is printed; what it infers is flagged (`cert`, `inferred`) and
noted. Corrections of single documents are never made here: they are overrides (data).
"""

from __future__ import annotations

import re

from teikit.convert import archive
from teikit.convert import dates
from teikit.convert import correspondents, doctype
from teikit.convert import marks as marksmod
from teikit.convert import parties
from teikit.convert.marks import Mark
from teikit.convert.model import Compilation, DocDate, Document
from teikit.convert.readers.inline import plain, unanchored
from teikit.convert.registry import Registry


_DOC_NUMBER = re.compile(r"(?:\bNo\.?|№|\bM)\s*(?P<num>\d[\d/\-a-z]*)", re.I)


def clean_title(heading: str, reg: Registry | None = None, date: str | None = None) -> str:
    """The heading as a title: markers and a leading or trailing date removed, persons and
    places named as the registry names them (so that OCR and translation slips of a name
    are not copied: "A. Tereityeva" -> "Andrei Terentyev"), first letter capital. The heading
    as printed stays beside it (title[@type='printed'])."""
    t = re.sub(r"\\?\*+", "", heading)
    t = re.sub(r"<sup>.*?</sup>", "", t)
    t = " ".join(t.split()).strip(" .,;:-–—")
    t = re.sub(r"^from\s*[:;]\s*", "From ", t, flags=re.I)
    found = dates.find_dates(t)
    if found and found[-1].end >= len(t) - 2 and found[-1].start > len(t) / 2:
        t = re.sub(r"\s+(?:on|of|dated)$", "", t[: found[-1].start].rstrip(" .,;:-–—"))
    found = dates.find_dates(t)
    if found and found[0].start <= 1 and found[0].end < len(t) - 10:
        t = t[found[0].end:].lstrip(" .,;:-–—")  # "November 6, 1920, from Stalin's report …"
    if reg is not None:
        for start, end, entry in reversed(reg.find_names(t, date)):
            if entry.kind == "persons" or (entry.kind == "places" and entry.type == "settlement"):
                t = t[:start] + entry.name + t[end:]
    return t[:1].upper() + t[1:]


_OPENER_KINDS = ("dateline", "classification", "number", "opener-line", "distribution")
_DISTRIBUTION = re.compile(r"^(?:sent|distributed)\b.{0,20}\bto\b", re.I)
_DONE_AT = re.compile(r"\b(?:in|at)\s+(?P<place>[A-Z][\w\-]+)")


def opener_blocks(doc: Document, marks: tuple[Mark, ...] = ()) -> list:
    """Blocks above the text: the typed opener lines, and short paragraphs before the first
    real paragraph that are only a mark or a date (`*Immediately*`, `*1937 g 25 on May.*`)."""
    out = []
    skipped = 0
    for b in doc.blocks:
        if b.kind in ("head", "divider", "fw"):
            continue
        if b.kind in _OPENER_KINDS or b.kind in ("file", "opener-note"):
            out.append(b)
            continue
        text = plain(b.content).strip(" *_.")
        if b.kind == "p" and len(text.split()) <= 6 and (_is_mark(text, marks) or _is_date_line(text, marks)):
            out.append(b)
            continue
        if b.kind == "p" and skipped < 3 and (len(text.split()) <= 4 or _DISTRIBUTION.match(text)):
            skipped += 1  # a name left over from the heading, a distribution list, dots
            continue
        break
    return out


def _is_mark(text: str, marks: tuple[Mark, ...]) -> bool:
    rest = marksmod.strip(text, marks)
    return rest != text and not re.sub(r"[\W_]+", "", rest)


def _is_date_line(text: str, marks: tuple[Mark, ...]) -> bool:
    """A line that is a date, perhaps with marks (`18 February 1941 secret`, `1937 g 25 on May`)."""
    found = dates.find_dates(text)
    if not found:
        return False
    rest = marksmod.strip(text.replace(found[0].printed, " "), marks, " ")
    return len(re.sub(r"\W+|\b(?:g|city|of|on|year)\b", "", rest)) <= 3


#: a note of receipt printed with a date line (`(Received November 15.)`, `[Received …]`): the
#: date it gives is not the document's
_RECEIVED = re.compile(r"[\[(]\s*\*?received\b[^\])]*[\])]?", re.I)


def read_date(doc: Document, heading: str, openers: list, default_year: int | None) -> DocDate | None:
    """The date line first (a typed dateline, else a date-only line above the text), then the
    heading; a heading that gives the day of a date line's month (`June 11, 1937` over
    `June 1937`) gives the day."""
    candidates = [b for b in openers if b.kind == "dateline"] + [b for b in openers if b.kind == "p"]
    in_heading = dates.parse_date(heading, default_year=default_year)
    for b in candidates:
        text = _RECEIVED.sub(" ", unanchored(b.content))
        date = dates.parse_date(text, default_year=default_year)
        if date:
            date.source = "dateline"
            if (in_heading is not None and _finer(in_heading, date) and dates.dates_agree(in_heading, date)):
                in_heading.source = "heading"
                return in_heading
            return _bracketed_year(date, text)
    _out_of_range(doc, candidates)
    date = in_heading
    if date:
        date.source = "heading"
        return date
    return _closing_date(doc)


#: a year printed in brackets right after a date: the editors' correction (`October 22, 1924 [1925]`)
_BRACKETED_YEAR = re.compile(r"^\s*\[\s*(\d{4})\s*\]")


def _bracketed_year(date: DocDate, text: str) -> DocDate:
    """`October 22, 1924 [1925]`: the date with the year in brackets, the printed one kept in
    `printed` (the date element's text) and said in a note."""
    at = text.find(date.printed or "\0")
    m = _BRACKETED_YEAR.match(text[at + len(date.printed):]) if at >= 0 else None
    if m is None or not date.when or date.when[:4] == m.group(1):
        return date
    year = m.group(1)
    date.note = f"the year {date.when[:4]} as printed, corrected in brackets to {year}"
    date.printed = text[at: at + len(date.printed) + m.end()].strip()
    date.when = year + date.when[4:]
    date.source = "dateline-corrected"
    return date


def _closing_date(doc: Document) -> DocDate | None:
    """A date line printed at the end, after the signature (`WASHINGTON, October 24, 1925.`):
    a short line of a date with its year and at most a place, among the last lines of the text."""
    tail = [b for b in doc.blocks if b.kind in ("p", "closer-line", "dateline", "signed")][-3:]
    for b in reversed(tail):
        text = _RECEIVED.sub(" ", unanchored(b.content)).strip()
        found = dates.find_dates(text)
        if not found or len(text.split()) > 8 or found[0].inferred_year:
            continue
        rest = (text[: found[0].start] + text[found[0].end:]).strip(" .,;:*")
        if len(rest.split()) <= 3 and not re.search(r"\d", rest):
            date = dates.parse_date(text)
            if date is not None:
                date.source = "closing dateline"
                return date
    return None


def _out_of_range(doc: Document, candidates: list) -> None:
    """Say so where a date line prints a year outside the years a date may have (it is not read)."""
    conv = dates.current()
    lo, hi = conv.years or (dates.MIN_YEAR, dates.MAX_YEAR)
    for b in candidates:
        text = _RECEIVED.sub(" ", unanchored(b.content))
        for year in re.findall(r"(?<![\d/.-])(\d{4})(?![\d/-])", text):
            if not lo <= int(year) <= hi and re.search(rf"\b(?:{conv.month_pattern})", text, re.I):
                doc.warnings.append(f"date line {text.strip()[:60]!r} (line {b.lines[0]}) prints the year {year}, "
                                    f"outside {lo}-{hi}: not read; set the reader profile's dates.years to read it")
                return


def _finer(a: DocDate, b: DocDate) -> bool:
    """Is `a` a single day and `b` a whole month or year?"""
    return bool(a.when and len(a.when) == 10 and b.when and len(b.when) < 10)


def read_marks(doc: Document, openers: list, marks: tuple[Mark, ...] = ()) -> None:
    """Classification and priority marks and the document number, as printed above the text."""
    text = " ".join(plain(b.content) for b in openers)
    for label, printed in marksmod.found(text, marks):
        if label not in doc.classification:
            doc.classification.append(label)
            doc.classification_printed.append(printed)
    m = _DOC_NUMBER.search(text)
    if m and not doc.doc_number:
        doc.doc_number = m.group(0)


def read_place(doc: Document, openers: list, reg: Registry) -> None:
    """Place of writing: a place name printed in the date line, or `Done at Moscow` in a treaty."""
    for b in openers:
        if b.kind != "dateline":
            continue
        text = plain(b.content)
        for found in dates.find_dates(text):
            text = text.replace(found.printed, " ")
        for word in re.findall(r"[A-Z][a-z][\w\-]+", text):
            place = reg.match_place(word)
            if place is not None and place.type != "country":
                doc.place, doc.place_ref = word, place.ref
                return
    if doc.doc_type in ("treaty", "agreement"):
        for b in doc.blocks:
            text = plain(b.content) if b.kind == "p" else ""
            if not re.match(r"\W*done\b", text, re.I):
                continue
            for m in _DONE_AT.finditer(text):
                place = reg.match_place(m.group("place"))
                if place is not None and place.type != "country":
                    doc.place, doc.place_ref = m.group("place"), place.ref
                    return


def extract(doc: Document, default_year: int | None = None, registry: Registry | None = None,
            marks: tuple[Mark, ...] = ()) -> None:
    """Fill the header fields of `doc` from its blocks; `marks`: the profile's classification marks."""
    reg = registry if registry is not None else Registry()  # none given: neutral, names nothing
    head = next((b for b in doc.blocks if b.kind == "head"), None)
    heading = unanchored(head.content) if head else doc.heading
    doc.title = clean_title(heading)  # refined with the registry once the date is read
    doc.is_extract = bool(re.match(r"^\W*(?:[^,]*\d{4},\s*)?from\b", heading, re.I))
    body = [b.raw for b in doc.blocks if b.kind in ("p", "closer-line", "signed")]
    doc.doc_type, doc.doc_type_heading = doctype.decide(heading, body, doc.type_hint)

    openers = opener_blocks(doc, marks)
    date = read_date(doc, heading, openers, default_year)
    if date is not None:
        doc.date = date
    read_marks(doc, openers, marks)
    rng = doc.date.range()
    doc.title = clean_title(heading, reg, rng[0] if rng else None)

    for b in doc.blocks:
        if b.kind == "archive":
            found = archive.find_archival_ref(b.raw, b.lines[0])
            if found:
                doc.archive.append(found[1])
        elif b.kind == "publication":
            found = archive.find_publication(b.raw, b.lines[0])
            if found:
                doc.publications.append(found[1])

    if not doc.archive:
        _fused_archive(doc)
    read_place(doc, openers, reg)
    parties.extract_parties(doc, reg)
    correspondents.apply_printed(doc, reg)
    _offices(doc, reg)
    _flag_missing(doc)


def _fused_archive(doc: Document) -> None:
    """An archival line run into the last paragraph (`… v. Dekanozov avp rf, f. 082, …`)."""
    last = next((b for b in reversed(doc.blocks) if b.kind not in ("note", "publication", "gap")), None)
    if last is not None and last.kind in ("p", "closer-line", "signed"):
        found = archive.find_archival_ref(last.raw, last.lines[0])
        if found:
            doc.archive.append(found[1])
            doc.warnings.append(f"archival reference read from a paragraph (line {last.lines[0]})")


#: what a participant did, not an office: kept as the role as it is
PARTICIPATION_ROLES = ("recorder", "interpreter")


def _offices(doc: Document, reg: Registry) -> None:
    """Each agent's printed role read as an office of the registry's controlled list."""
    from teikit.convert.registry import norm

    for agent in doc.senders + doc.addressees + doc.participants:
        if agent.role in PARTICIPATION_ROLES:
            agent.office = agent.role
        elif agent.role:
            agent.office = reg.vocab.office_of(" " + norm(agent.role) + " ")


def _flag_missing(doc: Document) -> None:
    """Warnings for the report: correspondence without sender or addressee, and the like."""
    from teikit.convert.model import CONVERSATION_TYPES, CORRESPONDENCE_TYPES

    if doc.doc_type in CORRESPONDENCE_TYPES:
        if not doc.senders:
            doc.warnings.append("sender not identified")
        if not doc.addressees:
            doc.warnings.append("addressee not identified")
    if doc.doc_type in CONVERSATION_TYPES and doc.doc_type != "diary" and len(doc.participants) < 2:
        doc.warnings.append("fewer than two participants identified")
    for agent in doc.senders + doc.addressees + doc.participants:
        if agent.inferred:
            doc.warnings.append(f"{agent.name} inferred from the role {agent.role!r} and the date")


def extract_all(comp: Compilation, registry: Registry | None = None, marks: tuple[Mark, ...] = ()) -> None:
    """Extract every document; a year missing from a date line comes from the document before.
    `marks`: the profile's classification marks (ReaderProfile.classification)."""
    reg = registry if registry is not None else Registry()  # none given: neutral, names nothing
    year = None
    for doc in comp.documents:
        extract(doc, default_year=year, registry=reg, marks=marks)
        year = year_after(doc, year)


def year_after(doc: Document, year: int | None) -> int | None:
    """The year a date line without one takes in the next document: this document's, else
    the one it took itself (the only thing extracting a document passes to the next)."""
    rng = doc.date.range()
    return int(rng[0][:4]) if rng else year




def refine_with_toc(comp: Compilation) -> None:
    """Second pass, after the table of contents is matched (splitcheck.attach_toc): a document
    without a legible date takes the date of its contents entry (cert medium); a date line
    garbled by OCR (digits left over beside a coarser reading) takes the contents date when
    the two agree (cert high). Either way the date carries a note saying so."""
    for doc in comp.documents:
        if doc.toc is None:
            continue
        toc = dates.parse_date(doc.toc.text)
        if toc is None or toc.is_empty:
            continue
        where = f"the table of contents (line {doc.toc.line})"
        if doc.date.is_empty:
            toc.cert, toc.source = "medium", "toc"
            toc.note = f"No date printed with the document; taken from {where}."
            doc.date = toc
            continue
        if doc.date.cert or not dates.dates_agree(doc.date, toc):
            continue
        finer = len((toc.when or toc.from_ or "")) > len((doc.date.when or doc.date.from_ or doc.date.not_before or ""))
        dateline = next((plain(b.content) for b in doc.blocks if b.kind == "dateline"), "")
        # (str.replace: what re.sub of the escaped printed date gives, without compiling it)
        leftover = dateline.replace(doc.date.printed or "", " ") if doc.date.source == "dateline" else ""
        if finer and re.search(r"\d", leftover):
            toc.cert, toc.source = "high", "toc"
            toc.note = f"Date line {dateline.strip()!r} garbled; read from {where}, which agrees with it."
            doc.date = toc
