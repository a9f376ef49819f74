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
from teikit.convert.registry import Registry, known

TAG_OF_KIND = {"persons": "persName", "places": "placeName", "orgs": "orgName"}
#: blocks whose running text is tagged
#: (every text-bearing block of the text but the date line, which the header interprets:
#: distribution lines "Sent to …", archival lines naming an archive, publication notes)
TEXT_BLOCKS = ("head", "p", "item", "note", "subheading", "div-head", "editorial", "salute", "courtesy",
               "closer-line", "signed", "distribution", "archive", "publication", "opener-note")


def tag_runs(runs: list[Inline], registry: Registry, date: str | None = None, finder=None) -> list[Inline]:
    """`runs` with the names `finder(text)` finds (default: the registry's scanner) tagged."""
    find = finder or (lambda text: registry.find_names(text, date))
    out: list[Inline] = []
    for run in runs:
        if run.kind == "supplied" and run.ref is None:
            # a restoration that is one whole name ("[Chicherin]"): the name inside it
            hits = find(run.text)
            if len(hits) == 1 and run.text[:hits[0][0]].strip() == "" and run.text[hits[0][1]:].strip() == "":
                run = Inline("supplied", run.text, rend=run.rend, ref=hits[0][2].ref)
        if run.kind not in ("text", "hi"):
            out.append(run)
            continue
        pos = 0
        for start, end, entry in find(run.text):
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
    blocks = [b for b in doc.blocks if b.kind in TEXT_BLOCKS]
    for block in blocks:
        block.content = tag_runs(block.content, registry, date)
    # second pass: short and garbled forms of the persons the document has named
    refs = {run.ref for b in blocks for run in b.content if run.kind in ("persName", "supplied") and run.ref}
    persons = [e for ref, e in registry.person_refs if ref in refs]
    if persons:
        forms = known.KnownForms(registry, persons)  # once for the document
        finder = lambda text: forms.find(text, [])  # noqa: E731
        for block in blocks:
            block.content = tag_runs(block.content, registry, date, finder)


def tag_all(comp: Compilation, registry: Registry) -> None:
    for doc in comp.documents:
        tag_document(doc, registry)


def printed_persons(comp: Compilation, keys: list[set[str]] | None = None) -> set[str]:
    """Keys of every person's name as printed in the documents (tagged in the text, or read
    as a sender, addressee or participant): persons.xml publishes only these variants.
    `keys`: each document's `printed_in`, when the caller has them (the keys of all names
    are those of each name: their union is the same)."""
    return set().union(*(keys if keys is not None else map(printed_in, comp.documents)))


def printed_in(doc) -> set[str]:
    """The keys of the persons' names printed in one document (see printed_persons)."""
    from teikit.convert.registry.tei import printed_keys

    names = [run.text for b in doc.blocks for run in b.content
             if run.kind == "persName" or (run.kind == "supplied" and (run.ref or "").startswith("pers:"))]
    names += [a.name for a in (*doc.senders, *doc.addressees, *doc.participants)
              if a.kind == "person" and a.name and not a.inferred]
    return printed_keys(names)
