"""Sender and addressee of an "X to Y" heading that the reader profile split.

The profile (`headings` with groups sender/addressee, or `correspondents`) says where the
two sides of a heading are; the reader keeps them as Document.printed_correspondents. Each
side becomes an Agent as printed: a name in parentheses is the person and the words before
it the office (`the Ambassador in Cuba (Crowder)` -> Crowder, role "Ambassador in Cuba"); a
side the registry knows takes its entry; a side naming an institution is an organisation;
anything else is the person or office printed. This holds for every document type whose
heading names both sides, not only for letters.
"""

from __future__ import annotations

import re

from teikit.convert.model import Agent, Document
from teikit.convert.registry import Registry

_PAREN = re.compile(r"^(?P<office>.*?)\s*\((?P<name>[^()]+)\)\s*$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_INSTITUTION = re.compile(
    r"\b(?:department|legation|embassy|government|ministry|office|foreign office|senate|congress|"
    r"committee|council|assembly|commission|league|delegation|mission|consulate|bank|company)\b", re.I)


def agent(phrase: str, reg: Registry, date: str | None) -> Agent | None:
    phrase = " ".join(phrase.split()).strip(" ,.;:")
    if not phrase:
        return None
    m = _PAREN.match(phrase)
    if m and m.group("name").strip():
        name = m.group("name").strip()
        hit = reg.match_person(name, date=date)
        office = _ARTICLE.sub("", m.group("office")).strip(" ,") or None
        return Agent(name=name, kind="person", ref=hit.ref if hit else None, role=office)
    bare = _ARTICLE.sub("", phrase)
    hit = reg.match_person(bare, date=date)
    if hit:
        return Agent(name=bare, kind="person", ref=hit.ref)
    org = reg.match_org(bare)
    if org or _INSTITUTION.search(bare):
        return Agent(name=bare, kind="org", ref=org.ref if org else None)
    return Agent(name=bare, kind="person")


def apply_printed(doc: Document, reg: Registry) -> None:
    """Senders and addressees from the printed "X to Y" split, where the profile made one."""
    if not doc.printed_correspondents:
        return
    rng = doc.date.range()
    date = rng[0] if rng else None
    sender, addressee = (agent(p, reg, date) for p in doc.printed_correspondents)
    if sender is not None:
        doc.senders = [sender]
    if addressee is not None:
        doc.addressees = [addressee]
    doc.warnings[:] = [w for w in doc.warnings if w not in ("sender not identified", "addressee not identified")]
