"""People the text shows present or speaking, recipients of messages passed on inside a
telegram, and the signatories of a treaty."""

from __future__ import annotations

import re

from teikit.convert.model import Agent, Document
from teikit.convert.parties.phrases import _ROLE_WORD, _add, _role_text, clean, person_in
from teikit.convert.parties.signatures import closing_lines
from teikit.convert.readers.inline import plain
from teikit.convert.registry import Registry

_ADDRESS_LINE = re.compile(r"^(?:(?:[Tt]o|[Ff]or)\s+)?(?:[Cc]omrade\s+)?(?P<to>[A-Z][\w.\- ]{1,30}?)\s+from\s+(?:comrade\s+)?[A-Z]?\w+$")
_PRESENT = re.compile(
    r"(?:\b(?:reception|conversation|talk|meeting)\s+(?:was\s+)?attended\s+by|^(?:[\w\s,]*?\b)?(?:arriv\w+|came|come|appeared|visited\s+\w+)\s+accompanied\s+by"
    r"|^accompanied\s+by|\bin\s+the\s+presence\s+of|^present\s*(?:were|was)?\s*[:,]|\b(?:was|were)\s+(?:also\s+)?present\s*[:,])"
    r"\s*(?P<who>(?:[^.;]|(?<=\bMr)\.|(?<=\bDr)\.|(?<=\bMrs)\.|(?<=\bSir)\.|(?<=\b[A-Z])\.)+)", re.I | re.M)


_WAS_PRESENT = re.compile(
    r"(?:^|[.;]\s+)(?:comrades?\s+|mr\.?\s+)?(?P<who>[A-Z][\w.\- ]{1,40}?)\s+(?:was|were)\s+(?:also\s+)?present\s+(?:at|during)\b", re.I)

_SPEECH_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,2}?(?:said|says|stated|states|told|tells|asked|asks|replied|replies|answered|"
    r"declared|declares|announced|announces|noted|notes|added|adds|repeated|repeats|remarked|touched|"
    r"expressed|informed|assured|explained|emphasized|stressed|visited|came|called)\b", re.I)
_SPEECH_BEFORE = re.compile(r"(?:\bwith|\bvisited|\breceived|\bto me,|\bcoming to me,)\W*(?:\w+\W+){0,3}$", re.I)


def speakers_in_text(doc: Document, reg: Registry) -> list[Agent]:
    """Persons the text shows speaking or met (`X said …`, `Coming to me, X …`, `with X`):
    the other parties of a diary entry."""
    out: list[Agent] = []
    for b in doc.blocks:
        if b.kind not in ("p", "item"):
            continue
        text = clean(plain(b.content))
        for s, e, entry in reg.find_names(text):
            if entry.kind != "persons":
                continue
            if _SPEECH_AFTER.match(text[e:e + 40]) or _SPEECH_BEFORE.search(text[max(0, s - 30):s]):
                _add(out, Agent(name=text[s:e], kind="person", ref=entry.ref))
    return out


#: what every match of _PRESENT and _WAS_PRESENT holds (each of their alternatives prints
#: one of these words), searched with the same flags: a text without any has no match
_PRESENCE_WORDS = ("attended", "accompanied", "presen")
_PRESENCE_WORD = re.compile("|".join(_PRESENCE_WORDS), re.I)


def _may_show_presence(text: str) -> bool:
    """Whether `text` holds a word every match of _PRESENT and _WAS_PRESENT holds (exact: on
    ASCII text re.IGNORECASE compares letters as ASCII lower case does, so the plain
    substring test of the lowered text is that search; other text is searched as the
    patterns would read it)."""
    if text.isascii():
        low = text.lower()
        return any(word in low for word in _PRESENCE_WORDS)
    return _PRESENCE_WORD.search(text) is not None


def present_in_text(doc: Document, reg: Registry, date: str | None) -> list[Agent]:
    """Persons the text says were present: "attended by …", "accompanied by …", "Present: …"."""
    out = []
    for b in doc.blocks:
        if b.kind not in ("p", "opener-line", "closer-line", "item"):
            continue
        text = clean(plain(b.content))
        if not _may_show_presence(text):
            continue
        for m in _PRESENT.finditer(text):
            who = m.group("who")
            persons = [(s, e, en) for s, e, en in reg.find_names(who) if en.kind == "persons"]
            prev = 0
            for s, e, entry in persons:
                out.append(Agent(name=who[s:e].strip(), kind="person", ref=entry.ref, role=_role_text(who[prev:s]) ))
                prev = e
            if not persons:
                found = person_in(who.strip(), reg, date)
                if found:
                    out.append(Agent(name=found[0], kind="person", ref=found[1], role=_role_text(found[2])))
        for m in _WAS_PRESENT.finditer(text):
            if not any(m.group("who") in a.name or a.name in m.group("who") for a in out):
                found = person_in(m.group("who").strip(), reg, date)
                if found:
                    out.append(Agent(name=found[0], kind="person", ref=found[1], role=_role_text(found[2])))
    return out


def embedded_addressees(doc: Document, reg: Registry, date: str | None) -> list[Agent]:
    """Recipients named by an address line of a message passed on inside a telegram:
    `Molotov from Stalin` (machine translation of "Молотову от Сталина")."""
    out = []
    for b in doc.blocks:
        if b.kind != "p":
            continue
        m = _ADDRESS_LINE.match(clean(plain(b.content)))
        hit = reg.match_person(m.group("to"), date=date) if m else None
        if hit is not None:
            out.append(Agent(name=m.group("to"), kind="person", ref=hit.ref))
    return out


def treaty_signatories(doc: Document, reg: Registry, date: str | None) -> list[Agent]:
    """Persons signing a treaty: every short line that is a person's name (signature blocks
    are repeated after each annex; each person counts once)."""
    out: list[Agent] = []
    for b in doc.blocks:
        if b.kind not in ("p", "closer-line", "signed"):
            continue
        text = clean(plain(b.content))
        if not text or len(text.split()) > 6:
            continue
        for s, e, entry in reg.find_names(text):
            if entry.kind == "persons" and not _ROLE_WORD.search(text):
                _add(out, Agent(name=text[s:e].strip(" ."), kind="person", ref=entry.ref))
    for line in closing_lines(doc, reg, date):
        if line.kind == "person" and line.name:
            _add(out, Agent(name=line.name, kind="person", ref=line.ref))
    return out
