"""Document type (one of model.DOC_TYPES) from a heading and the text below it.

The heading decides, except where the text unambiguously shows another kind of document
(a "telegram" whose text is a record of a conversation with a recorder line or speaker
labels): then the text wins and the caller keeps what the heading said.
"""

from __future__ import annotations

import re

#: heading words -> document type (the first one found in the heading decides)
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    (r"report of the soviet press|soviet press|tass|communiqu", "press-report"),
    (r"record(?:ing)?s? of (?:the )?(?:conversations?|talks?)|conversations?|talks?\b", "record-of-conversation"),
    (r"diary", "diary"),
    (r"telegrams?", "telegram"),
    (r"political letter|letters?", "letter"),
    (r"notes?\b", "note"),
    (r"treaty", "treaty"),
    (r"agreement|convention|protocol", "agreement"),
    (r"report", "report"),
    (r"speech", "speech"),
    (r"appeal", "appeal"),
    (r"statement|declaration", "statement"),
    (r"directives?|instructions?", "instruction"),
    (r"memorandum", "memorandum"),
    (r"message", "letter"),
)
_TYPE_RES = tuple((re.compile(rf"\b(?:{p})", re.I), t) for p, t in TYPE_WORDS)

#: "X to Y" without a type word: addressed to a commissariat, commissar or mission -> telegram
_ADDRESSED = re.compile(r"^(?P<from>.+?)\s+(?:to|in)\s+(?P<to>(?:the\s+)?(?:people'?s\s+commissar\w*|nkid|plenipotentiary|ambassador|charg\w+|attorney)\b.*)$", re.I)
_RECORDER = re.compile(r"\b(?:conversation|talk|record)\s+(?:was\s+)?recorded\s+by\b", re.I)
_SPEAKER = re.compile(r"^\*\*[A-Z][\w\-' ]{1,30}?(?::\*\*|\*\*\s*[:(])", re.M)


def from_heading(heading: str) -> str | None:
    """The document type named first in a heading (`From: telegram of …` -> telegram)."""
    best = None
    for rx, t in _TYPE_RES:
        m = rx.search(heading)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), t)
    if best:
        return best[1]
    if _ADDRESSED.match(re.sub(r"[*_\\]", "", heading).strip()):
        return "telegram"
    return None


def from_text(paragraphs: list[str]) -> str | None:
    """A type the text shows beyond doubt, or None: a recorder line or three or more
    bold speaker labels ("**Stalin:** …") make a record of conversation. `paragraphs`
    are the blocks as printed (markup kept)."""
    text = "\n".join(paragraphs)
    if _RECORDER.search(text):
        return "record-of-conversation"
    if len(_SPEAKER.findall(text)) >= 3:
        return "record-of-conversation"
    return None


def decide(heading: str, paragraphs: list[str]) -> tuple[str, str | None]:
    """(type, type the heading says when the text overrides it, else None)."""
    head = from_heading(heading)
    text = from_text(paragraphs)
    if head in ("telegram", "letter", "note") and text and text != head:
        return text, head
    return head or text or "other", None
