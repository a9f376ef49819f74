"""The document model: plain dataclasses, no lxml.

Readers produce these objects, the metadata extractors fill them in, the writers turn
them into TEI. Every field that interprets the source keeps what was printed beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DOC_TYPES = (
    "note",
    "telegram",
    "letter",
    "record-of-conversation",
    "treaty",
    "agreement",
    "report",
    "speech",
    "appeal",
    "statement",
    "diary",
    "press-report",
    "instruction",
    "memorandum",
    "other",
)

#: types whose header carries correspDesc (sender and addressee)
CORRESPONDENCE_TYPES = ("note", "telegram", "letter", "instruction", "memorandum", "appeal")
#: types whose header carries particDesc (participants)
CONVERSATION_TYPES = ("record-of-conversation", "diary")



@dataclass
class DocDate:
    """A date as printed and its normalised ISO 8601 reading (YYYY, YYYY-MM or YYYY-MM-DD).

    Exactly one of: `when`; `from_` + `to`; `not_before` + `not_after`; or none (undated).
    `cert` is None for a date read as printed, else "high"/"medium"/"low" with `note`
    saying how it was inferred.
    """

    printed: str | None = None
    when: str | None = None
    from_: str | None = None
    to: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    cert: str | None = None
    note: str | None = None
    source: str | None = None  # "dateline", "heading", "toc", "override", ...

    @property
    def is_empty(self) -> bool:
        return not (self.when or self.from_ or self.not_before)

    def sort_key(self) -> str:
        return self.when or self.from_ or self.not_before or "9999"

    def range(self) -> tuple[str, str] | None:
        """(earliest, latest) as ISO strings of the precision printed."""
        if self.when:
            return (self.when, self.when)
        if self.from_:
            return (self.from_, self.to or self.from_)
        if self.not_before:
            return (self.not_before, self.not_after or self.not_before)
        return None


@dataclass
class Agent:
    """A person or organisation named in a document (sender, addressee, participant)."""

    name: str  # as printed (or the registry's form when inferred)
    kind: str = "person"  # "person" | "org"
    ref: str | None = None  # registry key with prefix, e.g. "pers:chicherin"
    role: str | None = None  # role as printed
    inferred: bool = False  # name not printed; from role + date or registry
    office: str | None = None  # the role as an office of the registry's controlled list
    place: str | None = None  # place of sending/receiving as printed
    place_ref: str | None = None


@dataclass
class ArchivalRef:
    """An archival shelfmark: the printed line and its parsed parts."""

    printed: str
    line: int | None = None  # 1-based source line
    repository: str | None = None  # normalised, e.g. "AVP RF"
    fond: str | None = None
    opis: str | None = None
    papka: str | None = None
    delo: str | None = None
    folios: str | None = None
    uncertain: list[str] = field(default_factory=list)  # names of parts read with doubt


@dataclass
class Publication:
    """An earlier publication or source note (`Publ.: ...`, `Print. according to ...`)."""

    printed: str
    line: int | None = None
    kind: str | None = None  # "newspaper" | "book" | "archive" | "brochure" | None
    title: str | None = None
    issue: str | None = None
    date: str | None = None  # ISO
    pages: str | None = None
    from_archive: bool = False  # "printed from the archive"


@dataclass
class TocEntry:
    """One entry of the compilation's table of contents."""

    line: int
    text: str  # as printed, without the page mark
    page: str | None  # page number as printed ("18")
    date_printed: str | None = None
    doc_id: str | None = None  # the document it was matched to
    points_to: str = "document"  # "chapter": it names a chapter head of the body, not a document


@dataclass
class Inline:
    """A run of inline content inside a block: text or an inline element.

    kind: "text", "hi" (bold/italic, `rend`), "ref" (note marker, `n`), "gap",
    "supplied", "lb" (line break), "persName" / "placeName" / "orgName" (a name the
    registry knows, `ref`).
    """

    kind: str
    text: str = ""
    rend: str | None = None
    n: str | None = None
    ref: str | None = None  # persName / placeName / orgName (or a supplied name): the registry entry


@dataclass
class Block:
    """One block of a document's text.

    kind: "head", "dateline", "opener-line", "p", "item", "signed", "closer-line",
    "archive", "publication", "note" (footnote text, `n`), "trailer", "label", "quote"
    """

    kind: str
    lines: tuple[int, int]  # first and last source line (1-based, inclusive)
    content: list[Inline] = field(default_factory=list)
    n: str | None = None  # footnote number/marker, list item label
    list_id: int | None = None  # consecutive items with the same list_id form one list
    quote_id: int | None = None  # consecutive paragraphs with the same quote_id form one quotation
    div: int | None = None  # blocks with the same div form one division (a treaty article …)
    raw: str = ""  # the source text of the block, for diagnostics and metadata rules

    def plain(self) -> str:
        return "".join(i.text for i in self.content)


@dataclass
class Document:
    """One document of the compilation, with its header metadata."""

    seq: int  # 1-based order in the source
    start_line: int
    end_line: int
    heading: str  # heading as printed (markup removed, lines joined)
    blocks: list[Block] = field(default_factory=list)
    doc_id: str | None = None
    title: str | None = None  # cleaned title
    doc_type: str | None = None
    doc_type_heading: str | None = None  # type the heading says, when the text disagrees
    is_extract: bool = False  # heading "From: ..."
    date: DocDate = field(default_factory=DocDate)
    place: str | None = None  # place of writing as printed
    place_ref: str | None = None
    classification: list[str] = field(default_factory=list)  # ids of the profile's marks
    classification_printed: list[str] = field(default_factory=list)
    doc_number: str | None = None
    senders: list[Agent] = field(default_factory=list)
    addressees: list[Agent] = field(default_factory=list)
    participants: list[Agent] = field(default_factory=list)
    archive: list[ArchivalRef] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)
    toc: TocEntry | None = None
    corrections: list[Correction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    passage_ids: object | None = None  # idmap.PassageIds: pinned paragraph, item and note ids
    # what the reader profile read from the printed page (None/empty where it says nothing)
    type_hint: str | None = None  # the type the heading words or the lines around it name
    printed_correspondents: tuple[str, str] | None = None  # ("X", "Y") of an "X to Y" heading
    heading_phrases: bool = True  # may teikit's built-in heading phrases name the parties (profile key)
    file_numbers: list[str] = field(default_factory=list)  # file-number lines, as printed
    chapters: list[tuple[str, str]] = field(default_factory=list)  # (level role, head) printed above it


@dataclass
class Correction:
    """An editorial override applied to a document, recorded in its header."""

    field: str
    printed: str | None
    corrected: str
    reason: str
    who: str | None = None
    when: str | None = None


@dataclass
class Compilation:
    """A whole source: front matter, table of contents, documents, back matter."""

    source_name: str
    front: list[Block] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    back: list[Block] = field(default_factory=list)
    issues: list = field(default_factory=list)  # errors.Issue
