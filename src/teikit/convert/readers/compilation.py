"""Reader for a compilation of documents converted from PDF/Word to markdown-ish text.

`read(text, source_name, profile)` returns a model.Compilation: front matter (title page,
source statement), the table of contents, the documents with their text blocks, and the
back matter (licence statement). Header metadata is added later by teikit.convert.metadata.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import dataclass

from teikit.convert import archive, dates
from teikit.core.errors import InputError, Issue
from teikit.convert.model import Block, Compilation, Document
from teikit.convert.readers.blocks import classify
from teikit.convert.readers import inline
from teikit.convert.readers.inline import parse_inline, plain, unanchored
from teikit.convert.readers.paragraphs import Para, bare_text, split_paragraphs
from teikit.convert.readers.profile import ReaderProfile
from teikit.convert.readers.segmenter import HeadingSpan, Segmenter, starts_with_full_date
from teikit.convert.readers.toc import parse_toc


def read(text: str, source_name: str, profile: ReaderProfile | None = None, *,
         split_at: dict[int, str] | None = None, merge_at: dict[int, str] | None = None) -> Compilation:
    """Read a compilation. `split_at` / `merge_at` (source line -> reason) are the editor's
    boundary overrides: a document opens at each `split_at` line and none at a `merge_at` one.
    Dates are read with the profile's conventions (month names, orders), archival references
    with its archive vocabulary."""
    profile = profile or ReaderProfile.from_dict()
    reading = begin(text, source_name, profile, split_at=split_at, merge_at=merge_at)
    docs: list[Document] = []
    chapters: list[tuple[str, str]] = []
    for part in reading.parts:
        doc, printed = part.make(chapters)
        chapters = chapters_after(chapters, printed)
        docs.append(doc)
    return reading.finish(docs)


@contextlib.contextmanager
def conventions(profile: ReaderProfile):
    """The profile's date conventions, archive vocabulary and brackets, for reading."""
    token = inline.BRACKETS.set(profile.brackets)
    try:
        with dates.conventions(profile.dates), archive.vocabulary(profile.archive):
            yield
    finally:
        inline.BRACKETS.reset(token)


@dataclass
class Part:
    """One document of the source as the segmenter found it, before it is read.

    `key`: everything `make` reads (its paragraphs as printed, with their lines; its heading
    span's shape; its number), so that a caller may keep what `make` gave for the same key:
    the repr of a tuple of ints, strings and bools, which is exact (it reads back as that
    tuple) and written in C.
    `make(chapters)` -> (the document, the chapter heads printed in it); `chapters`: the heads
    in force from the documents before (`chapters_after`)."""

    seq: int
    span: HeadingSpan
    paras: list[Para]
    profile: ReaderProfile

    @property
    def key(self) -> str:
        h = self.span
        return repr(("part", self.seq, h.start, h.reason, len(h.paras), h.divider is not None, len(h.dividers),
                     len(h.pre), tuple((p.start, p.end, p.heading_level, tuple(p.lines)) for p in self.paras)))

    def make(self, chapters: list[tuple[str, str]]) -> tuple[Document, list[tuple[str, str]]]:
        with conventions(self.profile):
            return self._make(chapters)

    def _make(self, chapters: list[tuple[str, str]]) -> tuple[Document, list[tuple[str, str]]]:
        h, profile = self.span, self.profile
        blocks = classify(self.paras, len(h.paras), h.divider, profile.classification, profile, len(h.dividers), len(h.pre))
        doc = Document(seq=self.seq, start_line=h.start, end_line=self.paras[-1].end, heading=h.text, blocks=blocks)
        doc.segment_reason = h.reason  # type: ignore[attr-defined]
        _printed_facts(doc, profile)
        printed = doc.chapters
        doc.chapters = list(chapters_after(chapters, printed))
        return doc, printed


@dataclass
class Reading:
    """A source segmented into front matter, contents, documents (`parts`) and back matter."""

    comp: Compilation
    parts: list[Part]
    profile: ReaderProfile
    paras: list[Para]  # every paragraph of the source

    def finish(self, docs: list[Document]) -> Compilation:
        """The compilation with `docs` (one per part, in order) and the reader's findings."""
        comp, profile = self.comp, self.profile
        comp.documents = list(docs)
        for doc in comp.documents:
            if doc.end_line - doc.start_line > 400:
                comp.issues.append(
                    Issue("warning", "seg:long-document",
                          f"document {doc.seq} spans {doc.end_line - doc.start_line + 1} lines; check for a missed heading",
                          comp.source_name, doc.start_line)
                )
        for key in profile.unused():
            comp.issues.append(Issue("warning", "profile:unused",
                                     f"the reader profile's {key!r} matched no line of the source: it is never applied. "
                                     f"Check the pattern against the lines it is meant for (patterns see the text "
                                     f"without emphasis, note anchors or the `#` marks; docs/reader-profile.md)",
                                     comp.source_name, 1))
        for key in profile.unused_types():
            comp.issues.append(Issue("info", "profile:unused", f"the reader profile's {key!r} matched no heading or "
                                     f"line printed with one: no document has this type", comp.source_name, 1))
        return comp


def begin(text: str, source_name: str, profile: ReaderProfile, *, split_at: dict[int, str] | None = None,
          merge_at: dict[int, str] | None = None, prepare=None, ahead=None) -> Reading:
    """The corpus-wide part of reading: paragraphs, headings, front matter, contents, back
    matter; the documents are read by `Part.make`. `prepare(paras)` is handed the paragraphs
    before they are read (a caller may give them what it kept of their derived properties);
    `ahead`: another process for part of the headings (Segmenter.find_headings: the same result)."""
    with conventions(profile):
        return _begin(text, source_name, profile, split_at, merge_at, prepare, ahead)


def _begin(text: str, source_name: str, profile: ReaderProfile, split_at, merge_at, prepare=None,
           ahead=None) -> Reading:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    paras = split_paragraphs(lines)
    if prepare is not None:
        prepare(paras)
    comp = Compilation(source_name=source_name)
    profile.used.clear()

    toc_index = next((k for k, p in enumerate(paras) if _is_toc_start(p, profile)), None)
    seg = Segmenter(profile)
    body_from = toc_index + 1 if toc_index is not None else 0
    if toc_index is not None:  # the contents run while paragraphs look like its entries
        while body_from < len(paras) and (_is_toc_entry(paras[body_from], profile)
                                           or _is_toc_start(paras[body_from], profile)):
            body_from += 1
    headings = seg.find_headings(paras[body_from:], split_at=split_at or {}, merge_at=merge_at or {}, ahead=ahead)
    if not headings:
        from teikit.convert.readers.diagnose import no_heading_message

        raise InputError(no_heading_message(paras[body_from:], source_name, seg))
    first_start = headings[0].start

    back_index = None
    last_start = headings[-1].start
    for k, p in enumerate(paras):
        if p.start > last_start and profile.hit("back_matter_start", profile.back_matter_start.match(p.lines[0].strip())):
            back_index = k
            break

    front_paras = [p for p in paras if p.start < first_start]
    if toc_index is not None:
        toc_head = paras[toc_index]
        toc_paras = [p for p in front_paras if p.start > toc_head.start]
        joined: list[tuple[int, str]] = []
        comp.toc = parse_toc([p for p in toc_paras if not _is_toc_start(p, profile)], profile, joined)
        comp.issues += [Issue("info", "toc:joined", msg, source_name, line) for line, msg in joined]
        comp.front = [_plain_block("front", p) for p in front_paras if p.start <= toc_head.start]
        comp.front += [b for p in toc_paras for b in _toc_blocks(p)]
    else:
        comp.front = [_plain_block("front", p) for p in front_paras]

    back_start = paras[back_index].start if back_index is not None else len(lines) + 1
    comp.back = [_plain_block("back", p) for p in paras if p.start >= back_start]

    starts = [h.start for h in headings] + [back_start]
    para_starts = [p.start for p in paras]
    in_order = all(a <= b for a, b in zip(para_starts, para_starts[1:]))
    parts = []
    for seq, h in enumerate(headings, 1):
        if in_order:  # the paragraphs of [start, next start) by bisection: linear in the corpus
            doc_paras = paras[bisect.bisect_left(para_starts, starts[seq - 1]):
                              bisect.bisect_left(para_starts, starts[seq])]
        else:
            doc_paras = [p for p in paras if starts[seq - 1] <= p.start < starts[seq]]
        parts.append(Part(seq, h, doc_paras, profile))
    return Reading(comp, parts, profile, paras)


def _printed_facts(doc: Document, profile: ReaderProfile) -> None:
    """What the profile reads from the lines around the heading: the type they name, the
    correspondents of an "X to Y" heading, file numbers, the chapter heads above."""
    head = next(b for b in doc.blocks if b.kind == "head")
    heading = bare_text(unanchored(head.content))
    lines = [unanchored(b.content) for b in doc.blocks if b.kind in _OPENER_KINDS]
    doc.type_hint, _why = profile.type_of(heading, lines)
    doc.printed_correspondents = profile.split_correspondents(heading)
    doc.heading_phrases = profile.heading_phrases
    doc.file_numbers = [plain(b.content) for b in doc.blocks if b.kind == "file"]
    doc.chapters = [(b.n, plain(b.content)) for b in doc.blocks if b.kind == "divider" and b.n in ("chapter", "subchapter", "part")]


_RANK = {"part": 0, "chapter": 1, "subchapter": 2}


def chapters_after(current: list[tuple[str, str]], printed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The heads a document is printed under: those above it, and those in force from the
    documents before (a new chapter ends the subchapter of the last one)."""
    for role, head in printed:
        current = [c for c in current if _RANK[c[0]] < _RANK[role]] + [(role, head)]
    return current


_OPENER_KINDS = ("file", "number", "opener-note", "classification", "distribution", "dateline")


def _is_toc_start(para: Para, profile: ReaderProfile) -> bool:
    text = para.unmarked.strip()
    return any(rx.match(text) for rx in profile.toc_start)


def _is_toc_entry(para: Para, profile: ReaderProfile) -> bool:
    if para.lines[0].lstrip().startswith("|"):
        return True  # a contents table
    raw = " ".join(ln.strip() for ln in para.lines)
    if profile.toc_page.search(raw):
        return True
    return starts_with_full_date(para.text) and para.bold_share < 0.5 and len(para.lines) <= 3


def _toc_blocks(para: Para) -> list[Block]:
    """The contents blocks of a paragraph: itself, or one a row of a contents table (its
    cells joined by " | ", the `|---|` rule left out: markup, not print)."""
    if not para.lines[0].lstrip().startswith("|"):
        return [_plain_block("toc-entry", para)]
    out = []
    for k, row in enumerate(para.lines):
        row = row.strip()
        if not row or re.fullmatch(r"\|?[\s:|-]+\|?", row):
            continue
        text = " | ".join(c.strip() for c in row.strip("|").split("|"))
        line = para.start + k
        out.append(Block("toc-entry", (line, line), parse_inline(text), raw=row))
    return out


def _plain_block(kind: str, para: Para) -> Block:
    """A front- or back-matter block as printed; a markdown heading's `#` marks are markup,
    not print, and are left out of its text (`## CONTENTS` -> CONTENTS)."""
    text = re.sub(r"^\s*#{1,6}\s+", "", para.raw) if para.heading_level else para.raw
    return Block(kind, (para.start, para.end), parse_inline(text), raw=para.raw)
