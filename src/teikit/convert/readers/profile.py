"""Reader profiles: the printed conventions of one compilation, as data.

A profile is a mapping of named regular expressions (and a few word lists) kept in the
corpus configuration (`corpus/source/corpus.json`, key `reader`); the defaults below are
the profile of the bundled compilation. A second compilation of the same kind is encoded
by writing a profile, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

DEFAULT_PROFILE: dict = {
    # the heading that opens the table of contents
    "toc_start": r"^(?:#+\s*)?\**\s*contents\s*\**\s*$",
    # the page mark that closes a table-of-contents entry; group "page" is the number
    "toc_page": r"\s*[-–—]?\s*\*\*\s*P?\s*(?P<page>\d+)\s*\*\*\s*\.?\s*$",
    # words that open a document heading (after an optional date and "From")
    "heading_types": [
        "note", "notes", "letter", "letters", "telegram", "telegrams", "record",
        "records", "recording", "recordings", "conversation", "conversations", "talk",
        "talks", "report", "treaty", "agreement", "statement", "appeal", "speech",
        "diary", "message", "directive", "directives", "instruction", "instructions",
        "memorandum", "protocol", "declaration", "communique", "convention", "political",
    ],
    # what may stand before the type word in a heading: "From:", "From;", "From the", "From a"
    "heading_lead": r"(?:from\s*[:;]?\s*(?:the\s+|an?\s+)?(?:[a-z]+\s+){0,2}?|the\s+|an?\s+)?",
    # paragraphs that look like headings but never open a document
    "not_heading": [
        r"^(?:article|appendix|annex|application|section|chapter|part|§)\b",
        r"^[IVXLC]+[.,]\s",
        r"^\d+\s*[.)]\s",
        r"^sent to\b",
        r"^territory of\b",
        r"^zone\b",
    ],
    # a line that holds only a year (a section divider of the compilation)
    "section_divider": r"^\**\s*(?:1[89]\d\d)\s*\**$",
    # where the back matter (licence statement) begins
    "back_matter_start": r"^(?:#\s+selected from\b|source\s+ussr\s+foreign\s+policy\s+documents\s*$)",
    # the longest a heading may be (characters, markup removed)
    "max_heading_chars": 420,
}


@dataclass
class ReaderProfile:
    toc_start: re.Pattern
    toc_page: re.Pattern
    heading_types: tuple[str, ...]
    heading_lead: str
    not_heading: tuple[re.Pattern, ...]
    section_divider: re.Pattern
    back_matter_start: re.Pattern
    max_heading_chars: int
    heading_start: re.Pattern = field(init=False)
    dated_heading_start: re.Pattern = field(init=False)

    def __post_init__(self):
        types = "|".join(sorted(map(re.escape, self.heading_types), key=len, reverse=True))
        self.heading_start = re.compile(rf"^{self.heading_lead}(?:{types})\b", re.I)
        date = rf"(?:\d{{1,2}}\s+{MONTHS}|{MONTHS}\s*\d{{0,2}}(?:\s*[-–]\s*\d{{1,2}})?)\s*,?\s*\d{{4}}"
        self.dated_heading_start = re.compile(
            rf"^(?P<date>{date})\s*[,.;]?\s*{self.heading_lead}(?:{types})\b", re.I
        )

    @classmethod
    def from_dict(cls, data: dict | None = None) -> "ReaderProfile":
        merged = {**DEFAULT_PROFILE, **(data or {})}
        unknown = set(merged) - {f.name for f in fields(cls) if f.init}
        if unknown:
            from teikit.core.errors import ConfigError

            raise ConfigError(
                f"Unknown reader profile key(s) {sorted(unknown)!r}. "
                f"Allowed keys: {sorted(DEFAULT_PROFILE)}."
            )
        flags = re.I | re.M
        return cls(
            toc_start=re.compile(merged["toc_start"], flags),
            toc_page=re.compile(merged["toc_page"], flags),
            heading_types=tuple(merged["heading_types"]),
            heading_lead=merged["heading_lead"],
            not_heading=tuple(re.compile(p, re.I) for p in merged["not_heading"]),
            section_divider=re.compile(merged["section_divider"], re.I),
            back_matter_start=re.compile(merged["back_matter_start"], re.I),
            max_heading_chars=int(merged["max_heading_chars"]),
        )
