"""model.Document + corpus configuration -> tei:teiHeader (see docs/encoding.md)."""

from __future__ import annotations

import functools
import re

from lxml import etree

from teikit import __version__
from teikit.convert.model import CORRESPONDENCE_TYPES, DOC_TYPES, Agent, Document
from teikit.core import facts
from teikit.core.names import tei, xml

TAXONOMY_ID = "doctypes"
CLASSIFICATION_SCHEME = "#classification"


def sub(parent, name: str, text: str | None = None, **attrs) -> etree._Element:
    """Append a TEI child element with attributes (None values skipped) and text."""
    el = etree.SubElement(parent, tei(name))
    for key, value in attrs.items():
        if value is None:
            continue
        el.set(_attribute(key), value)
    if text is not None:
        el.text = text
    return el


@functools.lru_cache(maxsize=None)
def _attribute(key: str) -> str:
    """The attribute a keyword names: `type_` -> type, `xml:id` -> the XML namespace's id."""
    key = key.rstrip("_").replace("__", ":")
    if key == "xml:id":
        return xml("id")
    if key == "xml:lang":
        return xml("lang")
    return key


def responsibility(title_stmt, config: dict) -> None:
    """titleStmt/editor[@role='compiler'] for each compiler, respStmt for each encoder."""
    for name in config["compilation"]["compilers"]:
        sub(sub(title_stmt, "editor", role="compiler"), "persName", name)
    for enc in config.get("encoders", []):
        resp = sub(title_stmt, "respStmt")
        sub(resp, "resp", enc["resp"])
        sub(resp, "name", enc["name"])


def build_header(doc: Document, config: dict, build_date: str) -> etree._Element:
    header = etree.Element(tei("teiHeader"))
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", doc.title or doc.heading, type="main")
    sub(title_stmt, "title", doc.heading, type="printed")
    comp = config["compilation"]
    responsibility(title_stmt, config)

    if config.get("version"):
        sub(sub(file_desc, "editionStmt"), "edition", f"Version {config['version']}", n=config["version"])
    _publication_stmt(sub(file_desc, "publicationStmt"), config, doc.doc_id, build_date)

    if doc.date.note:
        notes = sub(file_desc, "notesStmt")
        sub(notes, "note", doc.date.note, type="date-inference", target=f"#{doc.doc_id}-date")
    source_desc = sub(file_desc, "sourceDesc")
    bibl = sub(source_desc, "bibl", type="compilation")
    sub(bibl, "title", comp["title"], level="m")
    for name in comp["compilers"]:
        sub(bibl, "editor", name)
    for unit, head in doc.chapters:
        sub(bibl, "biblScope", head, unit=unit)
    if doc.toc is not None and doc.toc.page:
        sub(bibl, "biblScope", doc.toc.page, unit="page")
    translation_source(bibl, config)

    digital = sub(source_desc, "bibl", type="digitalSource")
    sub(digital, "title", config["source"]["file"])
    sub(digital, "citedRange", unit="line", **{"from": str(doc.start_line), "to": str(doc.end_line)})

    for ref in doc.archive:
        ms = sub(source_desc, "msDesc")
        ident = sub(ms, "msIdentifier")
        if ref.repository:
            sub(ident, "repository", ref.repository)
        else:
            sub(ident, "repository", "unknown", cert="unknown")
        for part in ("fond", "opis", "papka", "delo", "folios"):
            value = getattr(ref, part)
            if value:
                el = sub(ident, "idno", value, type=part)
                if part in ref.uncertain:
                    el.set("cert", "low")
        alt = sub(ident, "altIdentifier", type="as-printed")
        sub(alt, "idno", ref.printed, type="shelfmark")
        if ref.uncertain:
            sub(ms, "p", "Read with doubt (OCR): " + ", ".join(ref.uncertain) + ".")

    for printed in doc.file_numbers:  # a file number printed above the heading (`837.014P/371a: Telegram`)
        ms = sub(source_desc, "msDesc")
        ident = sub(ms, "msIdentifier")
        sub(ident, "repository", "unknown", cert="unknown")
        sub(ident, "idno", re.split(r"\s*:\s*", printed, maxsplit=1)[0], type="file")
        sub(sub(ident, "altIdentifier", type="as-printed"), "idno", printed, type="shelfmark")

    for pub in doc.publications:
        if pub.from_archive:
            _provenance(source_desc, pub)
    for pub in doc.publications:
        if not is_publication(pub):
            continue
        pb = sub(source_desc, "bibl", type="publication")
        sub(pb, "note", pub.printed, type="as-printed")
        if pub.title:
            sub(pb, "title", pub.title)
        if pub.issue:
            sub(pb, "biblScope", pub.issue, unit="issue")
        if pub.pages:
            sub(pb, "biblScope", pub.pages, unit="page")
        if pub.date:
            sub(pb, "date", pub.date, when=pub.date)

    _encoding_desc(header, config)
    _profile_desc(header, doc, config)
    rev = sub(header, "revisionDesc")
    for corr in doc.corrections:
        change = sub(rev, "change", when=corr.when or build_date, type="correction")
        change.text = (
            f"{corr.field}: printed {corr.printed!r}, corrected to {corr.corrected!r}. {corr.reason}"
        )
    sub(rev, "change", f"Converted to TEI by teikit {__version__}.", when=build_date)
    return header


def translation_source(bibl, config: dict, *, extent: bool = False) -> None:
    """bibl/relatedItem[@type='translatedFrom'] for the series the documents were translated
    from (`translated_from` in the configuration); nothing when they are not translations."""
    series = facts.translated_from(config)
    if series is None:
        return
    rb = sub(sub(bibl, "relatedItem", type="translatedFrom"), "bibl")
    sub(rb, "title", series["title"], level="s", **{"xml:lang": series["language"]})
    if series.get("title_translated"):
        sub(rb, "title", series["title_translated"], type="translated",
            **{"xml:lang": facts.language(config)["ident"]})
    if extent and series.get("volumes"):
        sub(rb, "extent", series["volumes"] + " volumes")
    for part, key in (("pubPlace", "place"), ("publisher", "publisher"), ("date", "date")):
        if series.get(key):
            sub(rb, part, series[key])


def is_publication(pub) -> bool:
    """A publication (a periodical, a book, a brochure), not only a note that the compilers
    printed the text from the archive."""
    return not pub.from_archive or bool(pub.title or pub.issue or pub.pages)


def _provenance(source_desc, pub) -> None:
    """msDesc/history/provenance: the compilers printed the text from the archive (Russian
    «Печат. по арх.» and its OCR forms); the line as printed is kept beside it."""
    ms = source_desc.find(tei("msDesc"))
    if ms is None or ms.find(tei("p")) is not None:
        ms = sub(source_desc, "msDesc")
        sub(sub(ms, "msIdentifier"), "repository", "unknown", cert="unknown")
    history = ms.find(tei("history"))
    if history is None:
        history = sub(ms, "history")
    prov = sub(history, "provenance", "Printed from the archive.", type="printed-from-archive")
    sub(prov, "note", pub.printed, type="as-printed")


def _publication_stmt(pub, config: dict, doc_id: str | None, build_date: str) -> None:
    sub(pub, "publisher", config["publisher"])
    sub(pub, "date", build_date, when=build_date)
    if doc_id:
        sub(pub, "idno", doc_id, type="teikit")
    if config.get("uri_base") and doc_id:
        sub(pub, "idno", config["uri_base"].rstrip("/") + "/" + doc_id, type="URI")
    if config.get("doi"):
        sub(pub, "idno", config["doi"], type="DOI")
    avail = sub(pub, "availability", status="free")
    sub(avail, "licence", config["licence"]["label"], target=config["licence"]["url"])
    sub(avail, "p", "As printed in the compilation: " + config["licence"]["as_printed"])


def _encoding_desc(header, config: dict) -> None:
    enc = sub(header, "encodingDesc")
    app_info = sub(enc, "appInfo")
    app = sub(app_info, "application", ident="teikit", version=__version__)
    sub(app, "label", "teikit")
    sub(sub(enc, "projectDesc"), "p", config.get("project_description", "Converted from the compilation by teikit; the text is kept as printed, interpretations are in markup."))
    prefixes = sub(enc, "listPrefixDef")
    for prefix, target in (("pers", "persons.xml"), ("place", "places.xml"), ("org", "orgs.xml")):
        pd = sub(prefixes, "prefixDef", ident=prefix, matchPattern="([A-Za-z0-9_.-]+)", replacementPattern=f"{target}#$1")
        sub(pd, "p", f"Private URIs with the prefix '{prefix}' point to entries of {target}.")


def _profile_desc(header, doc: Document, config: dict) -> None:
    prof = sub(header, "profileDesc")
    creation = sub(prof, "creation")
    d = doc.date
    if not d.is_empty or d.printed:
        date = _copy_date(creation, d)
        if d.cert:
            date.set("cert", d.cert)
        if d.note:
            date.set("evidence", "internal" if d.source in ("override", "dateline-corrected") else "conjecture")
            date.set(xml("id"), f"{doc.doc_id}-date")
    if doc.place:
        sub(creation, "placeName", doc.place, ref=doc.place_ref)
    lang = sub(prof, "langUsage")
    sub(lang, "language", facts.language_label(config), ident=facts.language(config)["ident"])

    text_class = sub(prof, "textClass")
    sub(text_class, "catRef", scheme="#" + TAXONOMY_ID, target="#" + (doc.doc_type or "other"))
    if doc.classification:
        kw = sub(text_class, "keywords", scheme=CLASSIFICATION_SCHEME)
        for c in doc.classification:
            sub(kw, "term", c)

    # letter-like types, and any document whose heading names who sent it to whom (a report
    # "to the VIII Congress of Soviets", a memorandum "X to Y")
    if (doc.doc_type in CORRESPONDENCE_TYPES and (doc.senders or doc.addressees)) or (doc.senders and doc.addressees):
        cd = sub(prof, "correspDesc")
        for kind, agents in (("sent", doc.senders), ("received", doc.addressees)):
            agents = [a for a in agents if a.name]
            if kind == "received" and not agents:
                continue  # nothing known of the receiving end: an empty correspAction is invalid
            action = sub(cd, "correspAction", type=kind)
            for agent in agents:
                _agent_name(action, agent)
            placed = next((a for a in agents if a.place), None)
            place, place_ref = (placed.place, placed.place_ref) if placed else (None, None)
            if kind == "sent" and place is None:
                place, place_ref = doc.place, doc.place_ref
            if place:
                sub(action, "placeName", place, ref=place_ref)
            if kind == "sent" and not d.is_empty:
                _copy_date(action, d)
            _inference_notes(action, agents, (d.range() or (None,))[0])
    if doc.participants:
        pd = sub(prof, "particDesc")
        lp = sub(pd, "listPerson")
        for agent in doc.participants:
            person = sub(lp, "person", role=agent.office)
            sub(person, "persName", agent.name, ref=agent.ref)
            if agent.role:
                sub(person, "occupation", agent.role)


def _agent_name(parent, agent: Agent) -> None:
    """The agent's name (@role: the office of the controlled list), then the role as printed
    (roleName); a name inferred from a role and the date says so (@cert, and a note)."""
    name = "orgName" if agent.kind == "org" else "persName"
    el = sub(parent, name, agent.name, ref=agent.ref)
    if agent.inferred:
        el.set("cert", "medium")
        el.set("evidence", "conjecture")
    if agent.office:
        el.set("role", agent.office)
    if agent.role:
        sub(parent, "roleName", agent.role)


def _inference_notes(parent, agents: list[Agent], date: str | None) -> None:
    for agent in agents:
        if agent.inferred:
            when = f" on {date}" if date else ""
            sub(parent, "note", f"{agent.name}: not printed; inferred from the role "
                f"\u201c{agent.role}\u201d and the registry's holder of that office{when}.", type="inference")


def _copy_date(parent, d) -> etree._Element:
    """A date element: the date as printed, its reading in @when, @from/@to or @notBefore/@notAfter."""
    el = sub(parent, "date", d.printed or "")
    if d.when:
        el.set("when", d.when)
    elif d.from_:
        el.set("from", d.from_)
        el.set("to", d.to or d.from_)
    elif d.not_before:
        el.set("notBefore", d.not_before)
        el.set("notAfter", d.not_after or d.not_before)
    return el


def taxonomy(parent, config: dict, types: tuple[str, ...] = DOC_TYPES) -> etree._Element:
    """encodingDesc/classDecl with the document-type taxonomy (`types`: the corpus's) and,
    when the reader profile names classification marks, their taxonomy (for the corpus header)."""
    decl = sub(parent, "classDecl")
    tax = sub(decl, "taxonomy", **{"xml:id": TAXONOMY_ID})
    sub(sub(tax, "bibl"), "title", "teikit document types")
    for t in types:
        cat = sub(tax, "category", **{"xml:id": t})
        sub(cat, "catDesc", t.replace("-", " "))
    terms = [m for m in config.get("reader", {}).get("classification", []) if m.get("term", True)]
    if terms:
        cls = sub(decl, "taxonomy", **{"xml:id": "classification"})
        sub(sub(cls, "bibl"), "title", "Classification and priority marks as printed")
        for mark in terms:
            cat = sub(cls, "category", **{"xml:id": "cls-" + mark["id"]})
            sub(cat, "catDesc", mark.get("label", mark["id"].replace("-", " ")))
    return decl
