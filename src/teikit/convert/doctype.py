"""Document type from a heading and the text below it.

The reader profile names the types (`types`: heading words; `type_cues`: words of the lines
printed with the heading; `correspondence_type`: an "X to Y" heading that names none) and the
reader records what they give as Document.type_hint. That decides, except where the text
unambiguously shows another kind of document (a "telegram" whose text is a record of a
conversation with a recorder line or speaker labels): then the text wins and the caller
keeps what the heading said.
"""

from __future__ import annotations

import re

_RECORDER = re.compile(r"\b(?:conversation|talk|record)\s+(?:was\s+)?recorded\s+by\b", re.I)
_SPEAKER = re.compile(r"^\*\*[A-Z][\w\-' ]{1,30}?(?::\*\*|\*\*\s*[:(])", re.M)


def _may_name_recorder(text: str) -> bool:
    """Whether `text` holds "recorded", which every match of _RECORDER holds (same flags:
    on ASCII text re.IGNORECASE is ASCII lower case, so the substring test of the lowered
    text is that search)."""
    if text.isascii():
        return "recorded" in text.lower()
    return _RECORDED.search(text) is not None


_RECORDED = re.compile("recorded", re.I)


def from_heading(heading: str, profile) -> str | None:
    """The document type a heading names under a reader profile (`From: telegram of …` ->
    telegram with the bundled profile)."""
    return profile.type_of(heading, [])[0]


def from_text(paragraphs: list[str]) -> str | None:
    """A type the text shows beyond doubt, or None: a recorder line or three or more
    bold speaker labels ("**Stalin:** …") make a record of conversation. `paragraphs`
    are the blocks as printed (markup kept)."""
    text = "\n".join(paragraphs)
    if _may_name_recorder(text) and _RECORDER.search(text):
        return "record-of-conversation"
    if len(_SPEAKER.findall(text)) >= 3:
        return "record-of-conversation"
    return None


def decide(heading: str, paragraphs: list[str], hint: str | None = None) -> tuple[str, str | None]:
    """(type, type the heading says when the text overrides it, else None). `hint` is the
    type the reader profile read from the heading and the lines around it."""
    head = hint
    text = from_text(paragraphs)
    if head in ("telegram", "letter", "note") and text and text != head:
        return text, head
    return head or text or "other", None
