"""The letter index in the Correspondence Metadata Interchange Format (CMIF), for correspSearch.

`cmif_tree()` turns the correspDesc of the corpus documents into one CMIF TEI file: every
document with a correspDesc is one letter; persons, organisations and places carry the
authority URI the registry has for them (GND, VIAF or Wikidata for persons and
organisations; GeoNames or Wikidata for places) and the registry's regular name; dates
keep @when, @from/@to or @notBefore/@notAfter (YYYY, YYYY-MM, YYYY-MM-DD), the forms CMIF
allows. A letter whose receiving end is not known gets `persName` "Unknown" (CMIF needs
both actions); a letter with no date at all is left out (CMIF needs a dated action) and
counted.

correspSearch accepts only CC BY 4.0 or CC0: the export refuses to run until the corpus
configuration states one in `letter_index.licence`. The result is checked by the CMI
RELAX NG (jing, in the tests) and by `schema/cmif.sch`, teikit's own Schematron.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from lxml import etree

from teikit.publish import cite
from teikit.core.errors import ConfigError
from teikit.core.names import NS, NSMAP, XML_NS, tei
from teikit.convert.registry import AUTHORITY_URIS, Registry

ACCEPTED_LICENCES = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/publicdomain/zero/1.0/",
)
#: authority schemes correspSearch reads, in order of preference, per kind of name
PREFERENCE = {
    "persName": ("gnd", "viaf", "wikidata"),
    "orgName": ("gnd", "viaf", "wikidata"),
    "placeName": ("geonames", "wikidata"),
}
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
UNKNOWN = "Unknown"


@dataclass
class Coverage:
    letters: int = 0
    undated_left_out: list[str] = field(default_factory=list)
    unknown_addressee: int = 0
    persons: set = field(default_factory=set)  # distinct persons/orgs named (ref or name)
    persons_with_uri: set = field(default_factory=set)
    places: set = field(default_factory=set)
    places_with_uri: set = field(default_factory=set)

    def summary(self) -> str:
        def share(part: set, whole: set) -> str:
            return f"{len(part)}/{len(whole)} ({len(part) / len(whole):.0%})" if whole else "0/0"

        return (f"{self.letters} letters; persons and organisations with authority URIs: "
                f"{share(self.persons_with_uri, self.persons)}; places: {share(self.places_with_uri, self.places)}; "
                f"{self.unknown_addressee} with unknown addressee; {len(self.undated_left_out)} undated left out")


def require_licence(config: dict) -> dict:
    """The letter index's licence, or a ConfigError saying how to state one."""
    lic = (config.get("letter_index") or {}).get("licence")
    if not lic:
        raise ConfigError(
            "The corpus configuration states no licence for the letter index, and correspSearch accepts only "
            "CC BY 4.0 or CC0. Add \"letter_index\": {\"licence\": {\"url\": "
            "\"https://creativecommons.org/licenses/by/4.0/\", \"label\": \"CC BY 4.0\"}} to corpus/source/corpus.json.")
    if lic["url"] not in ACCEPTED_LICENCES:
        raise ConfigError(f"Letter index licence {lic['url']!r} is not accepted by correspSearch. "
                          f"Use one of: {', '.join(ACCEPTED_LICENCES)}.")
    return lic


def authority_uri(registry: Registry | None, ref: str | None, element: str) -> str | None:
    """The preferred authority URI of a registry reference ("pers:chicherin"), or None."""
    if registry is None or not ref:
        return None
    entry = registry.get(ref.split()[0])
    if entry is None:
        return None
    ids = dict(entry.authority)
    for scheme in PREFERENCE[element]:
        if scheme in ids:
            return AUTHORITY_URIS[scheme][1].format(ids[scheme])
    return None


def bibl_id(config: dict) -> str:
    """A stable UUID for the edition's bibl (an NCName: prefixed with the corpus prefix)."""
    seed = config.get("doi") or config.get("uri_base") or config["title"]
    return f"{config['id_prefix']}-{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def file_url(config: dict) -> str:
    """Where the CMIF file is published: letter_index.url, else <uri_base>/cmif.xml, else cmif.xml."""
    li = config.get("letter_index") or {}
    if li.get("url"):
        return li["url"]
    base = config.get("uri_base")
    return base.rstrip("/") + "/cmif.xml" if base else "cmif.xml"


def _sub(parent, name: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, tei(name), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def cmif_tree(documents: list[etree._Element], config: dict, registry: Registry | None,
              date: str) -> tuple[etree._Element, Coverage]:
    """The CMIF file for the documents (TEI roots, in corpus order) and its coverage figures."""
    lic = require_licence(config)
    cov = Coverage()
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    header = _sub(root, "teiHeader")
    fd = _sub(header, "fileDesc")
    ts = _sub(fd, "titleStmt")
    _sub(ts, "title", f"Letter index (CMIF) of {config['title']}, version {config['version']}")
    editor = (config.get("letter_index") or {}).get("editor") or {"name": config["publisher"]}
    ed = _sub(ts, "editor", editor["name"])
    if editor.get("email"):
        _sub(ed, "email", editor["email"])
    ps = _sub(fd, "publicationStmt")
    _sub(ps, "publisher", config["publisher"])
    _sub(ps, "idno", file_url(config), type="url")
    _sub(ps, "date", when=date)
    _sub(_sub(ps, "availability"), "licence", lic["label"], target=lic["url"])
    sd = _sub(fd, "sourceDesc")
    bid = bibl_id(config)
    bibl = _sub(sd, "bibl", type="online")
    bibl.set(f"{{{XML_NS}}}id", bid)
    bibl.text = (f"{config['title']}, version {config['version']}, {config['publisher']}, {date[:4]}. "
                 f"{cite.provenance(config)}")
    if config.get("uri_base"):
        _sub(bibl, "ref", config["uri_base"], target=config["uri_base"])
    prof = _sub(header, "profileDesc")
    for doc in documents:
        _letter(prof, doc, config, registry, bid, cov)
    _sub(_sub(_sub(root, "text"), "body"), "p")
    return root, cov


def _letter(prof, doc: etree._Element, config: dict, registry, bid: str, cov: Coverage) -> None:
    corresp = doc.find("tei:teiHeader/tei:profileDesc/tei:correspDesc", NS)
    if corresp is None:
        return
    doc_id = doc.get(f"{{{XML_NS}}}id")
    creation_date = doc.find("tei:teiHeader/tei:profileDesc/tei:creation/tei:date", NS)
    actions = {a.get("type"): a for a in corresp.findall("tei:correspAction", NS)}
    sent_date = _dated(actions.get("sent"))
    if sent_date is None and creation_date is not None and _has_date(creation_date):
        sent_date = creation_date
    if sent_date is None:
        cov.undated_left_out.append(doc_id)
        return
    cov.letters += 1
    cd = _sub(prof, "correspDesc", key=doc_id, source="#" + bid,
              ref=cite.document_url(config, doc_id) if config.get("uri_base") else None)
    for kind in ("sent", "received"):
        action = _sub(cd, "correspAction", type=kind)
        src = actions.get(kind)
        names = [] if src is None else [el for el in src if etree.QName(el).localname in ("persName", "orgName")]
        if not names and kind == "received":
            cov.unknown_addressee += 1
            _sub(action, "persName", UNKNOWN)
        for el in names:
            _name(action, el, registry, cov)
        place = src.find("tei:placeName", NS) if src is not None else None
        if place is not None:
            _name(action, place, registry, cov)
        if kind == "sent":
            _copy_date(action, sent_date)


def _name(action, el: etree._Element, registry, cov: Coverage) -> None:
    local = etree.QName(el).localname
    ref = el.get("ref")
    entry = registry.get(ref.split()[0]) if (registry is not None and ref) else None
    text = entry.name if entry is not None else " ".join("".join(el.itertext()).split())
    uri = authority_uri(registry, ref, local)
    _sub(action, local, text, ref=uri)
    key = ref or text
    if local == "placeName":
        cov.places.add(key)
        if uri:
            cov.places_with_uri.add(key)
    else:
        cov.persons.add(key)
        if uri:
            cov.persons_with_uri.add(key)


def _has_date(el: etree._Element) -> bool:
    return any(el.get(a) for a in DATE_ATTRS)


def _dated(action: etree._Element | None) -> etree._Element | None:
    if action is None:
        return None
    date = action.find("tei:date", NS)
    return date if date is not None and _has_date(date) else None


def _copy_date(action, date: etree._Element) -> None:
    attrs = {a: date.get(a) for a in DATE_ATTRS if date.get(a)}
    _sub(action, "date", **attrs)


def check(tree: etree._Element, rules) -> list:
    """Findings of the CMIF rules (schema/cmif.sch, compiled by teikit.validate.schematron.load:
    the application layer reads it) on a CMIF tree (teikit's own Schematron engine)."""
    from teikit.validate import schematron

    return schematron.validate_tree(rules, tree.getroottree(), "cmif.xml")


# --- `teikit export cmif` (the application layer reads the trees: teikit.corpusdir) -------------------
def serialize(tree: etree._Element) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export(documents: list, config: dict, registry: Registry | None, date: str, rules) -> tuple[bytes, Coverage]:
    """The CMIF file of the corpus documents (TEI roots in corpus order; see
    teikit.corpusdir.corpus_documents), checked by `rules`, the compiled schema/cmif.sch
    (teikit.validation.shipped_schematron("cmif.sch")): InputError on findings."""
    from teikit.core.errors import InputError

    require_licence(config)
    tree, cov = cmif_tree(documents, config, registry, date)
    findings = [i for i in check(tree, rules) if i.severity == "error"]
    if findings:
        raise InputError(f"The CMIF export breaks a CMIF rule: {findings[0].format()} "
                         f"({len(findings)} findings). Fix the correspondence metadata of the document named.")
    return serialize(tree), cov
