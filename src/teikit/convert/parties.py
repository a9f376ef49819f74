"""Senders, addressees and participants of a document, read from its heading and text.

Sources, in order of trust: names printed in the heading (`Telegram of the plenipotentiary
representative of the USSR in Turkey A. V. Terentyev to the people's commissariat …`), the
signature lines at the end, lines of the text that say who was present ("The reception
was attended by …", "The conversation was recorded by …"), and last the registry: an
office printed without a name ("the deputy people's commissar for foreign affairs of the
USSR") is resolved to its holder on the document's date and flagged `inferred`.

Conventions (those of the gold set): for records of conversation and diaries the sender is
the author who signs the record (a signature labelled with a role, or one of the parties
named in the heading); a recorder is a participant, never the sender; an unlabelled name
of someone else at the end is a signatory only. Treaties and agreements have no sender;
their participants are the plenipotentiaries who sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teikit.convert import archive
from teikit.convert import dates
from teikit.convert.model import Agent, Document
from teikit.convert.readers.inline import plain
from teikit.convert.registry import Registry, norm

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
_AND = re.compile(r"\s*,?\s+and\s+(?=(?:the|a|an)\s|[A-Z]|comrade\b|mr\b)", re.I)
_FROM_PLACE = re.compile(r",?\s+from\s+(?P<place>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)")
_AUDIENCE = re.compile(
    r"\s+(?:at|before|to)\s+(?:a|an|the)\s+(?:(?:[\w\-]+\s+){0,2}?(?:meeting|session|plenum)\s+of\s+(?:the\s+)?"
    r"(?P<org>.+)|(?P<body>(?:[\w\-]+\s+){0,2}?congress\s+of\s+.+))$", re.I)
_TAIL = re.compile(r"\s+(?:at|in|on|during)\s+(?:a|the)\s+(?:[\w\-\"]+\s+){0,2}?(?:meeting|session|conference|congress|kremlin|reception)\b.*$", re.I)
_LEAD_NAME = re.compile(
    r"^(?P<who>[A-Z][\w.\- ]{1,40}?)(?:'s)?\s+(?:report|speech|statement|address|interview|appeal)\b(?P<rest>.*)$")
_ADDRESS_LINE = re.compile(r"^(?:(?:[Tt]o|[Ff]or)\s+)?(?:[Cc]omrade\s+)?(?P<to>[A-Z][\w.\- ]{1,30}?)\s+from\s+(?:comrade\s+)?[A-Z]?\w+$")
_SUBJECT = re.compile(r"\s+(?:on|about|concerning|regarding|of\s+respect\s+for|in\s+connection\s+with|for\s+\d{4})\b.*$|\s+for$", re.I)
_IN_PLACE_END = re.compile(r"\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w\-]+)$")

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
_RECORDED = re.compile(r"\b(?:recorded|written down|compiled)\s+(?:by\s+)?(?P<name>(?:[A-Za-z]\.\s*)*[^.;]+?)\.?$", re.I)
_INTERPRETER = re.compile(r"\b(?:interpreted|translated)\s+by\s+(?P<name>[^.;]+?)\.?$|^interpreter\s*[:,-]?\s*(?P<name2>[^.;]+)", re.I)
_PRESENT = re.compile(
    r"(?:\b(?:reception|conversation|talk|meeting)\s+(?:was\s+)?attended\s+by|^(?:[\w\s,]*?\b)?(?:arriv\w+|came|come|appeared|visited\s+\w+)\s+accompanied\s+by"
    r"|^accompanied\s+by|\bin\s+the\s+presence\s+of|^present\s*(?:were|was)?\s*[:,]|\b(?:was|were)\s+(?:also\s+)?present\s*[:,])"
    r"\s*(?P<who>(?:[^.;]|(?<=\bMr)\.|(?<=\bDr)\.|(?<=\bMrs)\.|(?<=\bSir)\.|(?<=\b[A-Z])\.)+)", re.I | re.M)


_WAS_PRESENT = re.compile(
    r"(?:^|[.;]\s+)(?:comrades?\s+|mr\.?\s+)?(?P<who>[A-Z][\w.\- ]{1,40}?)\s+(?:was|were)\s+(?:also\s+)?present\s+(?:at|during)\b", re.I)


@dataclass
class ClosingLine:
    """One line of the signature block: a name, a role label, an organisation or a recorder."""

    text: str
    kind: str  # "person" | "role" | "org" | "recorder" | "interpreter"
    name: str | None = None
    ref: str | None = None
    role: str | None = None


def clean(text: str) -> str:
    """Heading or line text without markup, note markers and surrounding punctuation."""
    text = re.sub(r"<sup>.*?</sup>|<[^>]+>|\\\*|\\|\*|_", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:-–—")


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
    from teikit.convert.registry import _COMMON

    key = norm(word)
    return (key in _COMMON or reg.match_place(word) is not None or reg.match_org(word) is not None
            or any(key == w for w, _ in reg._country_words))


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
    org = reg.match_org(phrase) or reg.match_org(re.sub(r"^(?:the|a)\s+", "", phrase, flags=re.I))
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


# --- heading -----------------------------------------------------------------------------
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


# --- signatures --------------------------------------------------------------------------
def closing_lines(doc: Document, reg: Registry, date: str | None) -> list[ClosingLine]:
    """The signature block: short lines after the last paragraph of text, classified."""
    raw: list[str] = []
    for b in reversed(doc.blocks):
        if b.kind in ("archive", "publication", "note", "gap"):
            continue
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


def _with_role(agent: Agent, role: str | None) -> Agent:
    return Agent(agent.name, agent.kind, agent.ref, agent.role or role, agent.inferred, agent.place, agent.place_ref)


def same_agent(a: Agent, b: Agent) -> bool:
    if a.ref and b.ref:
        return a.ref == b.ref
    sa, sb = norm(a.name).split()[-1:], norm(b.name).split()[-1:]
    return bool(sa) and sa == sb


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


# --- text --------------------------------------------------------------------------------
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


def present_in_text(doc: Document, reg: Registry, date: str | None) -> list[Agent]:
    """Persons the text says were present: "attended by …", "accompanied by …", "Present: …"."""
    out = []
    for b in doc.blocks:
        if b.kind not in ("p", "opener-line", "closer-line", "item"):
            continue
        text = clean(plain(b.content))
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


def _add(agents: list[Agent], new: Agent) -> None:
    if new.name and not any(same_agent(a, new) for a in agents):
        agents.append(new)


def extract_parties(doc: Document, reg: Registry) -> None:
    """Fill doc.senders, doc.addressees, doc.participants (and doc.place when a heading or
    the signature says where the document was sent from)."""
    date = _date_of(doc)
    head = next((b for b in doc.blocks if b.kind == "head"), None)
    heading = plain(head.content) if head else doc.heading
    hp = heading_parties(heading, doc.doc_type or "other", reg, date)
    lines = closing_lines(doc, reg, date)
    signed = signers(lines)
    if hp.place:
        place = reg.match_place(hp.place)
        doc.place = doc.place or hp.place
        doc.place_ref = doc.place_ref or (place.ref if place else None)
    if doc.doc_type in NO_CORRESPONDENTS:
        for agent in treaty_signatories(doc, reg, date):
            _add(doc.participants, agent)
        return
    if doc.doc_type == "press-report":
        doc.senders = [a for a in signed if a.kind == "org"][:1]
        return
    if doc.doc_type in CONVERSATIONS:
        parties = hp.parties
        named = [s for s in signed if s.name]
        for s in signed:
            labelled = bool(s.role)
            in_heading = any(same_agent(p, s) for p in parties) or any(same_agent(p, s) for p in hp.senders)
            if s.kind == "person" and s.name and (labelled or in_heading):
                doc.senders.append(s)
        parties = _merge_signature(parties, named)
        if doc.doc_type == "diary":
            doc.senders = _merge_signature(hp.senders, named) if hp.senders else doc.senders
            # the diarist and whom the entry records speaking with or present
            for p in doc.senders + speakers_in_text(doc, reg) + present_in_text(doc, reg, date):
                if p.kind == "person":
                    _add(doc.participants, p)
            return
        # the signer keeps the name as signed and takes the role the heading prints
        doc.senders = [_with_role(s, next((p.role for p in parties if same_agent(p, s)), None)) for s in doc.senders]
        # a first party inferred from its office, and one labelled signer who is nobody else:
        # the record's author signs it, so the signature names the first party
        strangers = [s for s in doc.senders if not any(same_agent(p, s) for p in parties)]
        if parties and parties[0].inferred and len(strangers) == 1 and strangers[0].role:
            parties[0] = _with_role(strangers[0], parties[0].role)
        for p in parties:
            _add(doc.participants, p)
        for p in present_in_text(doc, reg, date):
            _add(doc.participants, p)
        for line in lines:
            if line.kind in ("recorder", "interpreter") and line.name:
                _add(doc.participants, Agent(name=line.name, ref=line.ref, role="recorder" if line.kind == "recorder" else "interpreter"))
        return
    senders = _merge_signature(hp.senders, signed)
    role_only = next((s.role for s in signed if not s.name and s.role), None)
    if role_only:
        senders = [a if a.role else Agent(a.name, a.kind, a.ref, role_only, a.inferred) for a in senders]
    doc.senders = senders
    doc.addressees = hp.addressees
    for agent in embedded_addressees(doc, reg, date):
        _add(doc.addressees, agent)
    for a in doc.senders:
        if hp.place and a.place is None:
            a.place, a.place_ref = doc.place, doc.place_ref


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
