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

from teikit.convert.model import Agent, Document
from teikit.convert.parties.heading import CONVERSATIONS, NO_CORRESPONDENTS, HeadingParties, heading_parties
from teikit.convert.parties.phrases import (
    _add, _date_of, _with_role, agent_from_phrase, agents_from_phrase, clean, person_in, same_agent,
    strip_dates,
)
from teikit.convert.parties.presence import (
    embedded_addressees, present_in_text, speakers_in_text, treaty_signatories,
)
from teikit.convert.parties.signatures import (
    ClosingLine, _merge_signature, classify_line, closing_lines, signers,
)
from teikit.convert.readers.inline import unanchored
from teikit.convert.registry import Registry

__all__ = [
    "CONVERSATIONS", "NO_CORRESPONDENTS", "ClosingLine", "HeadingParties", "agent_from_phrase",
    "agents_from_phrase", "classify_line", "clean", "closing_lines", "embedded_addressees",
    "extract_parties", "heading_parties", "person_in", "present_in_text", "same_agent", "signers",
    "speakers_in_text", "strip_dates", "treaty_signatories",
]


def extract_parties(doc: Document, reg: Registry) -> None:
    """Fill doc.senders, doc.addressees, doc.participants (and doc.place when a heading or
    the signature says where the document was sent from)."""
    date = _date_of(doc)
    head = next((b for b in doc.blocks if b.kind == "head"), None)
    heading = unanchored(head.content) if head else doc.heading
    # the built-in heading phrases only where the profile switches them on (`heading_phrases`)
    hp = heading_parties(heading, doc.doc_type or "other", reg, date) if doc.heading_phrases else HeadingParties([], [], [])
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
