"""Names in the text: persons, places and organisations of the registry, tagged where printed.

The words stay as printed; a name the registry knows in one of its variant spellings is
wrapped in `persName` / `placeName` / `orgName` with a prefixed `@ref` (`pers:molotov`), so
that the edition can link and index mentions. Only variants that begin with a capital (or
initials) count, and variants that are also ordinary words ("May" for Maisky) never do
(`Registry.find_names`). Headings, signatures and the compilers' notes are tagged too;
date lines are left alone (the header interprets them).
"""

from __future__ import annotations

from teikit.convert.model import Compilation, Document, Inline
from teikit.convert.registry import Registry

TAG_OF_KIND = {"persons": "persName", "places": "placeName", "orgs": "orgName"}
#: blocks whose running text is tagged
TEXT_BLOCKS = ("head", "p", "item", "note", "subheading", "div-head", "editorial", "salute", "courtesy",
               "closer-line", "signed")


def tag_runs(runs: list[Inline], registry: Registry, date: str | None = None) -> list[Inline]:
    out: list[Inline] = []
    for run in runs:
        if run.kind not in ("text", "hi"):
            out.append(run)
            continue
        pos = 0
        for start, end, entry in registry.find_names(run.text, date):
            if start > pos:
                out.append(Inline(run.kind, run.text[pos:start], rend=run.rend))
            out.append(Inline(TAG_OF_KIND[entry.kind], run.text[start:end], rend=run.rend, ref=entry.ref))
            pos = end
        if pos == 0:
            out.append(run)
        elif pos < len(run.text):
            out.append(Inline(run.kind, run.text[pos:], rend=run.rend))
    return out


def tag_document(doc: Document, registry: Registry) -> None:
    rng = doc.date.range()
    date = rng[0] if rng else None
    for block in doc.blocks:
        if block.kind in TEXT_BLOCKS:
            block.content = tag_runs(block.content, registry, date)


def tag_all(comp: Compilation, registry: Registry) -> None:
    for doc in comp.documents:
        tag_document(doc, registry)


def printed_persons(comp: Compilation) -> set[str]:
    """Keys of every person's name as printed in the documents (tagged in the text, or read
    as a sender, addressee or participant): persons.xml publishes only these variants."""
    from teikit.convert.registry.tei import printed_keys

    names = [run.text for doc in comp.documents for b in doc.blocks for run in b.content
             if run.kind == "persName"]
    names += [a.name for doc in comp.documents for a in (*doc.senders, *doc.addressees, *doc.participants)
              if a.kind == "person" and a.name and not a.inferred]
    return printed_keys(names)
