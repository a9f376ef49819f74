"""Who a heading names as sender, addressee or party, and the place of sending:
`Telegram of the plenipotentiary representative of the USSR in Turkey A. V. Terentyev to
the people's commissariat …`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teikit.convert.model import Agent
from teikit.convert.parties.phrases import agent_from_phrase, agents_from_phrase, clean, strip_dates
from teikit.convert.registry import Registry

NO_CORRESPONDENTS = ("treaty", "agreement")
CONVERSATIONS = ("record-of-conversation", "diary")

_TYPE_PHRASE = re.compile(
    r"^(?:the\s+|an?\s+)?(?:[\w'\-]+\s+){0,2}?"
    r"(?P<kw>record(?:ing)?s?\s+of\s+(?:the\s+)?(?:conversations?|talks?)|conversations?|talks?|telegrams?"
    r"|notes?|(?:political\s+)?letters?|report|speech|statement|declaration|appeal|diary|memorandum"
    r"|message|directives?|instructions?|address)\s+(?P<prep>of|from|by|between)\s+(?P<rest>.+)$",
    re.I,
)
_TO = re.compile(r"\s+to\s+|\s+in\s+(?=(?:the\s+)?(?:nkid|people'?s\s+commissar))", re.I)
_WITH = re.compile(r"\s+with\s+", re.I)
_FROM_PLACE = re.compile(r",?\s+from\s+(?P<place>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)")
_AUDIENCE = re.compile(
    r"\s+(?:at|before|to)\s+(?:a|an|the)\s+(?:(?:[\w\-]+\s+){0,2}?(?:meeting|session|plenum)\s+of\s+(?:the\s+)?"
    r"(?P<org>.+)|(?P<body>(?:[\w\-]+\s+){0,2}?congress\s+of\s+.+))$", re.I)
_LEAD_NAME = re.compile(
    r"^(?P<who>[A-Z][\w.\- ]{1,40}?)(?:'s)?\s+(?:report|speech|statement|address|interview|appeal)\b(?P<rest>.*)$")
_IN_PLACE_END = re.compile(r"\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w\-]+)$")


@dataclass
class HeadingParties:
    senders: list[Agent]
    addressees: list[Agent]
    parties: list[Agent]  # conversation parties, first the one "of" whom the record is
    place: str | None = None


def heading_parties(heading: str, doc_type: str, reg: Registry, date: str | None) -> HeadingParties:
    """Who the heading names as sender, addressee or party, and the place of sending."""
    text = strip_dates(clean(heading))
    text = re.sub(r"^from\s*[:;]?\s+(?:the\s+|an?\s+)?", "", text, flags=re.I)
    text = strip_dates(text)
    out = HeadingParties([], [], [])
    pm = _FROM_PLACE.search(text)
    if pm and reg.match_place(pm.group("place")):
        out.place = pm.group("place")
        text = text[: pm.start()] + text[pm.end() :]
    if doc_type in NO_CORRESPONDENTS or doc_type == "press-report":
        return out
    m = _TYPE_PHRASE.match(text)
    rest = m.group("rest") if m else text
    lead = None if m else _LEAD_NAME.match(text)
    if lead:
        out.senders = agents_from_phrase(lead.group("who"), reg, date)
        audience = _AUDIENCE.search(" " + lead.group("rest"))
        org = agent_from_phrase(audience.group("org") or audience.group("body"), reg, date) if audience else None
        out.addressees = [org] if org and org.kind == "org" else []
        return out
    if doc_type in CONVERSATIONS:
        if doc_type == "diary" or not m:
            out.senders = agents_from_phrase(rest, reg, date)[:1]
            return out
        end = _IN_PLACE_END.search(rest)
        end_place = reg.match_place(end.group("place")) if end else None
        if end_place is not None and end_place.type != "country":
            out.place = out.place or end.group("place")
            rest = rest[: end.start()]
        split = _WITH.split(rest, maxsplit=1)
        if len(split) == 1 and m.group("prep").lower() == "between":
            split = re.split(r"\s+and\s+", rest, maxsplit=1)
        first = agents_from_phrase(split[0], reg, date)
        others = agents_from_phrase(split[1], reg, date) if len(split) > 1 else []
        out.parties = first + others
        return out
    if not m and not _TO.search(text):
        return out
    audience = _AUDIENCE.search(rest)
    if audience:
        org = agent_from_phrase(audience.group("org") or audience.group("body"), reg, date)
        if org and org.kind == "org":
            out.addressees = [org]
        rest = rest[: audience.start()]
    parts = _TO.split(rest, maxsplit=1)
    out.senders = agents_from_phrase(parts[0], reg, date)
    if len(parts) > 1:
        out.addressees = agents_from_phrase(parts[1], reg, date)
    return out
