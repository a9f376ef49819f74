"""Phrases that name someone: a person (from the registry, or a name-shaped tail), an
organisation, or an office resolved to its holder on the document's date; and how two
agents are compared and merged."""

from __future__ import annotations

import re

from teikit.convert import dates
from teikit.convert.model import Agent, Document
from teikit.convert.registry import Registry, norm

_AND = re.compile(r"\s*,?\s+and\s+(?=(?:the|a|an)\s|[A-Z]|comrade\b|mr\b)", re.I)
_TAIL = re.compile(r"\s+(?:at|in|on|during)\s+(?:a|the)\s+(?:[\w\-\"]+\s+){0,2}?(?:meeting|session|conference|congress|kremlin|reception)\b.*$", re.I)
_SUBJECT = re.compile(r"\s+(?:on|about|concerning|regarding|of\s+respect\s+for|in\s+connection\s+with|for\s+\d{4})\b.*$|\s+for$", re.I)

_ROLE_WORD = re.compile(
    r"\b(?:commissar(?!iat)\w*|commissioner|commissary|representative|ambassador|minister|chairman|secretary|"
    r"attorney|charg\w+|envoy|consul|member|counsel+or|advis[oe]r|head|deputy|president|king|chief|commander|"
    r"plenipotentiary|premier|general)\b", re.I)
_ORG_WORD = re.compile(
    r"\b(?:commissariat|government|governments|ministry|embassy|legation|committee|council|assembly|congress|"
    r"league|agency|office|press|department|mission|representation|soviet|party|nkid|mfa|workers|peoples)\b", re.I)
_NAME_LINE = re.compile(
    r"^(?:(?:dr|mr|lord|sir|comrade|general)\.?\s+)?(?:[A-Za-z]{1,2}\.\s*){0,3}[A-Z][\w'’\-]+(?:\s+[A-Za-z][\w'’\-]+){0,2}\.?$")
_TRAILING_NAME = re.compile(
    r"(?:^|\s)(?P<name>(?:[A-Za-z]{1,2}\s?\.\s*){0,3}[A-Z][a-z][\w'’\-]*(?:\s+[A-Z][a-z][\w'’\-]*)?)$")


def clean(text: str) -> str:
    """Heading or line text without markup, note markers and surrounding punctuation."""
    text = re.sub(r"<sup>.*?</sup>|<[^>]+>|\\\*|\\|\*|_", " ", text)
    return " ".join(text.split()).strip(" .,;:-–—")


def strip_dates(text: str) -> str:
    """Dates at the start or end of a heading removed (`May 12, 1938, from telegram …`)."""
    for m in reversed(dates.find_dates(text)):
        if m.end >= len(text.rstrip(" .,;")) - 1:
            text = re.sub(r"\s*(?:\bon|\bof|,|\.)?\s*$", "", text[: m.start]).rstrip(" ,.;")
        elif m.start <= 1:
            text = text[m.end :].lstrip(" ,.;")
    return text


def _date_of(doc: Document) -> str | None:
    rng = doc.date.range()
    return rng[0] if rng else None


def _known_non_name(reg: Registry, word: str) -> bool:
    key = norm(word)
    return (reg.is_stop_word(key) or reg.match_place(word) is not None or reg.match_org(word) is not None
            or any(key == w for w, _ in reg.country_words))


def person_in(phrase: str, reg: Registry, date: str | None) -> tuple[str, str | None, str] | None:
    """(name as printed, registry ref or None, text before the name) of the last person named
    in a phrase, or None when it names nobody."""
    persons = [(s, e, en) for s, e, en in reg.find_names(phrase) if en.kind == "persons"]
    if persons:
        s, e, entry = persons[-1]
        return phrase[s:e].strip(), entry.ref, phrase[:s]
    m = _TRAILING_NAME.search(phrase)
    if m and not any(_known_non_name(reg, w) for w in m.group("name").split() if w[:1].isupper()):
        name = m.group("name").strip()
        if len(phrase[: m.start("name")].split()) >= 1 or _NAME_LINE.match(name):
            hit = reg.match_person(name, date=date)
            return name, hit.ref if hit else None, phrase[: m.start("name")]
    return None


def _role_text(before: str) -> str | None:
    role = re.sub(r"^(?:the|a|an)\s+", "", before.strip(" ,;:-"), flags=re.I)
    return role or None


def agent_from_phrase(phrase: str, reg: Registry, date: str | None) -> Agent | None:
    """A person or organisation named by a heading phrase; a bare office is resolved by date."""
    phrase = _TAIL.sub("", clean(phrase)).strip(" ,")
    if not phrase:
        return None
    found = person_in(phrase, reg, date)
    if found:
        name, ref, before = found
        return Agent(name=name, kind="person", ref=ref, role=_role_text(before))
    phrase = _SUBJECT.sub("", phrase)
    org = reg.match_org(phrase, date) or reg.match_org(re.sub(r"^(?:the|a)\s+", "", phrase, flags=re.I), date)
    role_m, org_m = _ROLE_WORD.search(phrase), _ORG_WORD.search(phrase)
    if org or (org_m and (not role_m or org_m.start() < role_m.start())):
        return Agent(name=re.sub(r"^(?:the)\s+", "", phrase, flags=re.I), kind="org", ref=org.ref if org else None)
    if role_m and date:
        holder = reg.match_person_by_role(phrase, date)
        if holder:
            return Agent(name=holder.name, kind="person", ref=holder.ref, role=_role_text(phrase), inferred=True)
    return None


def agents_from_phrase(phrase: str, reg: Registry, date: str | None) -> list[Agent]:
    """Agents of a phrase that may join several with "and"; an unresolved part is skipped."""
    parts = _AND.split(phrase)
    agents = [agent_from_phrase(part, reg, date) for part in parts]
    if len(parts) > 1 and None in agents:
        whole = agent_from_phrase(phrase, reg, date)
        if whole is not None and whole.kind == "org":
            return [whole]
    return [a for a in agents if a is not None]


def _with_role(agent: Agent, role: str | None) -> Agent:
    return Agent(agent.name, agent.kind, agent.ref, agent.role or role, agent.inferred, agent.place, agent.place_ref)


def same_agent(a: Agent, b: Agent) -> bool:
    if a.ref and b.ref:
        return a.ref == b.ref
    sa, sb = norm(a.name).split()[-1:], norm(b.name).split()[-1:]
    return bool(sa) and sa == sb


def _add(agents: list[Agent], new: Agent) -> None:
    if new.name and not any(same_agent(a, new) for a in agents):
        agents.append(new)
