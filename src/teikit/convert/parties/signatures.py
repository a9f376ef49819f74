"""The signature block at the end of a document: its lines classified (a name, a role
label, an organisation, a recorder, an interpreter) and read as signers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teikit.convert import archive
from teikit.convert.model import Agent, Document
from teikit.convert.parties.phrases import (
    _NAME_LINE, _ROLE_WORD, _known_non_name, _role_text, clean, person_in, same_agent,
)
from teikit.convert.readers.inline import plain
from teikit.convert.registry import Registry

_RECORDED = re.compile(r"\b(?:recorded|written down|compiled)\s+(?:by\s+)?(?P<name>(?:[A-Za-z]\.\s*)*[^.;]+?)\.?$", re.I)
_INTERPRETER = re.compile(r"\b(?:interpreted|translated)\s+by\s+(?P<name>[^.;]+?)\.?$|^interpreter\s*[:,-]?\s*(?P<name2>[^.;]+)", re.I)


@dataclass
class ClosingLine:
    """One line of the signature block: a name, a role label, an organisation or a recorder."""

    text: str
    kind: str  # "person" | "role" | "org" | "recorder" | "interpreter"
    name: str | None = None
    ref: str | None = None
    role: str | None = None


def closing_lines(doc: Document, reg: Registry, date: str | None) -> list[ClosingLine]:
    """The signature block: short lines after the last paragraph of text, classified."""
    raw: list[str] = []
    for b in reversed(doc.blocks):
        if b.kind in ("archive", "publication", "note", "gap", "editorial"):
            continue
        if b.kind == "courtesy":
            break
        text = clean(plain(b.content) if b.content else b.raw)
        fused = archive.find_archival_ref(text) if b.kind == "p" and not raw else None
        if fused and fused[0] > 0:
            text = clean(text[: fused[0]])
        if b.kind in ("closer-line", "signed"):
            if text:
                raw.append(text)
            continue
        if b.kind == "p" and text and (len(text.split()) <= 8 or _RECORDED.search(text)) and not text.endswith(":"):
            raw.append(text)
            continue
        break
    out = []
    for text in reversed(raw[:5]):
        line = classify_line(text, reg, date)
        if line:
            out.append(line)
    return out


def classify_line(text: str, reg: Registry, date: str | None) -> ClosingLine | None:
    m = _RECORDED.search(text)
    if m and re.search(r"record", text, re.I):
        name = re.sub(r"(?:\s+(?:of|the))+$", "", clean(m.group("name")), flags=re.I)
        found = person_in(name, reg, date)
        if found:
            return ClosingLine(text, "recorder", found[0], found[1])
        hit = reg.match_person(name, date=date)
        return ClosingLine(text, "recorder", name, hit.ref if hit else None)
    m = _INTERPRETER.search(text)
    if m:
        name = clean(m.group("name") or m.group("name2"))
        hit = reg.match_person(name, date=date)
        return ClosingLine(text, "interpreter", name, hit.ref if hit else None)
    org = reg.match_org(text)
    if org and len(text.split()) <= 4:
        return ClosingLine(text, "org", text.strip("() "), org.ref)
    if _NAME_LINE.match(text) and not _ROLE_WORD.search(text) and not reg.match_place(text):
        name = re.sub(r"\s*\.$", "", text)
        hit = reg.match_person(name, date=date)
        first = next((w for w in name.split() if not w.endswith(".")), name)
        if hit is None and (_known_non_name(reg, first) or len(name.split()) == 1 and _known_non_name(reg, name)):
            return None
        return ClosingLine(text, "person", name, hit.ref if hit else None)
    if _ROLE_WORD.search(text) and len(text.split()) <= 12:
        found = person_in(text, reg, date)
        if found and found[1] and found[2].strip():
            return ClosingLine(text, "person", found[0], found[1], role=_role_text(found[2]))
        return ClosingLine(text, "role", role=text)
    return None


def signers(lines: list[ClosingLine]) -> list[Agent]:
    """Persons and organisations who sign, with the role printed above (or before) them."""
    out: list[Agent] = []
    role = None
    for line in lines:
        if line.kind == "role":
            role = line.role
        elif line.kind == "person":
            out.append(Agent(name=line.name, kind="person", ref=line.ref, role=line.role or role))
            role = None
        elif line.kind == "org":
            out.append(Agent(name=line.name, kind="org", ref=line.ref))
    if role and not out:
        out.append(Agent(name="", kind="person", role=role))  # a title only; the name comes from elsewhere
    return out


def _merge_signature(heading_agents: list[Agent], signed: list[Agent]) -> list[Agent]:
    """Heading agents, with a name printed in the signature replacing an inferred one."""
    if not heading_agents:
        return [a for a in signed if a.name]
    out = []
    named = [s for s in signed if s.name]
    for agent in heading_agents:
        hit = next((s for s in named if same_agent(agent, s)), None)
        if hit is not None and agent.inferred:
            agent = Agent(name=hit.name, kind=hit.kind, ref=hit.ref or agent.ref, role=agent.role or hit.role,
                          place=agent.place, place_ref=agent.place_ref)
        elif agent.inferred and len(heading_agents) == 1 and len(named) == 1 and named[0].kind == "person":
            # the heading prints only a role: the one name signed is printed evidence, the
            # office holder by date only a guess
            agent = Agent(name=named[0].name, kind="person", ref=named[0].ref, role=agent.role,
                          place=agent.place, place_ref=agent.place_ref)
        out.append(agent)
    return out
