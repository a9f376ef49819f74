"""The registry as TEI: listPerson, listPlace and listOrg documents."""

from __future__ import annotations

from lxml import etree

from teikit.convert.registry.entries import AUTHORITY_URIS, PREFIXES, Entry, norm
from teikit.core.names import NSMAP, tei, xml


def _tei_document(title: str, list_el: etree._Element, file_id: str, about: dict) -> etree._Element:
    """`about`: publisher, licence and source note (teikit.core.facts.registry_about)."""
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(xml("id"), file_id)
    header = etree.SubElement(root, tei("teiHeader"))
    fd = etree.SubElement(header, tei("fileDesc"))
    ts = etree.SubElement(fd, tei("titleStmt"))
    etree.SubElement(ts, tei("title"), type="main").text = title
    ps = etree.SubElement(fd, tei("publicationStmt"))
    etree.SubElement(ps, tei("publisher")).text = about["publisher"]
    etree.SubElement(ps, tei("idno"), type="file").text = file_id
    avail = etree.SubElement(ps, tei("availability"))
    lic = etree.SubElement(avail, tei("licence"), target=about["licence"]["url"])
    lic.text = about["licence"]["label"]
    sd = etree.SubElement(fd, tei("sourceDesc"))
    etree.SubElement(sd, tei("p")).text = about["source_note"]
    text = etree.SubElement(root, tei("text"))
    body = etree.SubElement(text, tei("body"))
    if len(list_el):
        body.append(list_el)
    else:  # TEI's lists need one entry: an empty registry says so in a paragraph
        etree.SubElement(body, tei("p")).text = f"{title}: no entries."
    return root


def _idnos(parent: etree._Element, entry: Entry) -> None:
    for scheme, value in entry.authority:
        label, pattern = AUTHORITY_URIS[scheme]
        etree.SubElement(parent, tei("idno"), type=label).text = pattern.format(value)


def _location(place: etree._Element, geo: dict) -> None:
    """location/geo ("lat long", WGS 84, TEI's default) with its source: the GeoNames record
    as @source when the coordinates come from one, and the source as a note."""
    loc = etree.SubElement(place, tei("location"))
    if geo.get("geonames"):
        loc.set("source", AUTHORITY_URIS["geonames"][1].format(geo["geonames"]))
    etree.SubElement(loc, tei("geo")).text = f"{geo['lat']} {geo['lon']}"
    etree.SubElement(loc, tei("note")).text = geo["source"] + (f"; matched by {geo['by']}" if geo.get("by") else "")


def _dates(el: etree._Element, start: str | None, end: str | None) -> None:
    if start:
        el.set("from" if end else "notBefore", start)
    if end:
        el.set("to" if start else "notAfter", end)


def _seen(variant: str, printed: set[str]) -> bool:
    """Was the variant printed as a name (alone, or after initials or a title)?"""
    key = norm(variant)
    return key in printed


def printed_keys(names) -> set[str]:
    """Normalised keys of printed names and of every word-final part of them, so that
    `A. V. Terentyev` also attests `V. Terentyev` and `Terentyev`."""
    out: set[str] = set()
    for name in names:
        words = norm(name).split()
        out.update(" ".join(words[i:]) for i in range(len(words)))
    return out


def _name_variants(parent, tag: str, entry: Entry, seen_in_text=None) -> None:
    etree.SubElement(parent, tei(tag), type="reg").text = entry.name
    seen = {entry.name}
    for v in (*entry.variants, *entry.ambiguous):
        if v not in seen and (seen_in_text is None or _seen(v, seen_in_text)):
            seen.add(v)
            etree.SubElement(parent, tei(tag), type="variant").text = v


def _sorted_entries(registry, kind: str) -> list[Entry]:
    return sorted(registry.entries(kind), key=lambda e: e.id)


def _entry_element(lst, tag: str, name_tag: str, entry: Entry, seen_in_text=None,
                   **attrs) -> etree._Element:
    """An entry's element in its list: the given attributes, then xml:id, then its names."""
    el = etree.SubElement(lst, tei(tag), **attrs)
    el.set(xml("id"), entry.id)
    _name_variants(el, name_tag, entry, seen_in_text)
    return el


def _note(el, entry: Entry) -> None:
    if entry.note:
        etree.SubElement(el, tei("note")).text = entry.note


def to_tei_list_person(registry, about: dict, seen_in_text=None) -> etree._Element:
    """The person registry as a TEI document with body/listPerson. With `seen_in_text` (a
    set of printed forms), only the variants printed in the documents are published."""
    lst = etree.Element(tei("listPerson"))
    for e in _sorted_entries(registry, "persons"):
        person = _entry_element(lst, "person", "persName", e, seen_in_text)
        _idnos(person, e)
        if e.birth:
            etree.SubElement(person, tei("birth"), when=e.birth)
        if e.death:
            etree.SubElement(person, tei("death"), when=e.death)
        for r in e.roles:
            occ = etree.SubElement(person, tei("occupation"), type=r.office)
            _dates(occ, r.from_, r.to)
            if r.note:
                occ.set("cert", "medium")
            occ.text = r.role
        _note(person, e)
    return _tei_document("Registry of persons", lst, "persons", about)


def to_tei_list_place(registry, about: dict) -> etree._Element:
    """The place registry as a TEI document with body/listPlace."""
    lst = etree.Element(tei("listPlace"))
    for e in _sorted_entries(registry, "places"):
        place = _entry_element(lst, "place", "placeName", e, type=e.type or "settlement")
        if e.country:
            country = registry.places.get(e.country)
            etree.SubElement(place, tei("country"), ref=f"#{e.country}").text = (
                country.name if country else e.country)
        if e.geo:
            _location(place, e.geo)
        _idnos(place, e)
        _note(place, e)
    return _tei_document("Registry of places", lst, "places", about)


def to_tei_list_org(registry, about: dict) -> etree._Element:
    """The organisation registry as a TEI document with body/listOrg."""
    lst = etree.Element(tei("listOrg"))
    for e in _sorted_entries(registry, "orgs"):
        org = _entry_element(lst, "org", "orgName", e, type=e.type or "organisation")
        _idnos(org, e)
        if e.from_ or e.to:
            state = etree.SubElement(org, tei("state"), type="existence")
            _dates(state, e.from_, e.to)
            etree.SubElement(state, tei("p")).text = "Period of existence."
        if e.country:
            place = registry.places.get(e.country)
            etree.SubElement(org, tei("location")).append(_place_name(e.country, place))
        _note(org, e)
    return _tei_document("Registry of organisations", lst, "orgs", about)


def _place_name(pid: str, place: Entry | None) -> etree._Element:
    el = etree.Element(tei("placeName"), ref=PREFIXES["place"] + pid)
    el.text = place.name if place else pid
    return el
