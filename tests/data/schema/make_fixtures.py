"""Regenerate the derived schema fixtures: `python3 tests/data/schema/make_fixtures.py`.

Hand-written: valid/fx-letter.xml (the base document), valid/fx-matter.xml,
valid/fx-corpus.xml and the registry fixtures valid/fx-{persons,places,orgs}.xml.
Everything else in valid/ and invalid/ is derived here from fx-letter.xml by one named
change, so each fixture differs from a valid document in exactly what its name says.

Names: invalid/sch-<rule-id>[--<variant>].<n>.xml breaks Schematron rule <rule-id>
exactly <n> times (and no other error rule); invalid/rng-<what>.xml is rejected by
teikit.rng. Each file's doc id is its file stem, so that no two fixtures share an
@xml:id (jing is run on all of them in one call).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def load(doc_id: str, base: str = "fx-letter") -> etree._Element:
    text = (HERE / "valid" / f"{base}.xml").read_text(encoding="utf-8")
    return etree.fromstring(text.replace(base, doc_id).encode("utf-8"))


def one(root, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, (path, len(found))
    return found[0]


def drop(root, path: str) -> None:
    for el in root.xpath(path, namespaces=NS):
        el.getparent().remove(el)


def frag(xml: str) -> etree._Element:
    return etree.fromstring(f'<wrap xmlns="{TEI_NS}">{xml}</wrap>')[0]


def set_date(el, **attrs) -> None:
    """Replace the date attributes (from_ stands for from); @cert, @evidence, @xml:id stay."""
    for name in ("when", "from", "to", "notBefore", "notAfter"):
        el.attrib.pop(name, None)
    for name, value in attrs.items():
        el.set(name.rstrip("_"), value)


def plain_date(el) -> None:
    """A date read as printed: no @cert, @evidence or @xml:id (no date-inference note)."""
    for name in ("cert", "evidence", XML_ID):
        el.attrib.pop(name, None)


def write(folder: str, name: str, root) -> None:
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
    (HERE / folder / f"{name}.xml").write_bytes(data)


CREATION_DATE = "t:teiHeader/t:profileDesc/t:creation/t:date"
DATELINE_DATE = "t:text/t:body/t:div/t:opener/t:dateline/t:date"
CATREF = "t:teiHeader/t:profileDesc/t:textClass/t:catRef"


def telegram(doc_id: str):
    """Dated from the dateline (29 Feb of a leap year), only an addressee, one correction."""
    r = load(doc_id)
    one(r, CATREF).set("target", "#telegram")
    drop(r, "t:teiHeader/t:fileDesc/t:notesStmt")
    drop(r, "t:teiHeader/t:profileDesc/t:textClass/t:keywords")
    plain_date(one(r, CREATION_DATE))
    set_date(one(r, CREATION_DATE), when="1940-02-29")
    set_date(one(r, DATELINE_DATE), when="1940-02-29")
    drop(r, "t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction[@type='sent']")
    rev = one(r, "t:teiHeader/t:revisionDesc")
    change = frag('<change when="2000-02-29" type="correction">date: printed "1940", corrected.</change>')
    rev.insert(0, change)
    return r


def conversation(doc_id: str):
    """A record of conversation: a date range, participants, a month-precision dateline."""
    r = load(doc_id)
    one(r, CATREF).set("target", "#record-of-conversation")
    drop(r, "t:teiHeader/t:fileDesc/t:notesStmt")
    plain_date(one(r, CREATION_DATE))
    set_date(one(r, CREATION_DATE), from_="1940-11-01", to="1940-11-05")
    set_date(one(r, DATELINE_DATE), when="1940-11")
    drop(r, "t:teiHeader/t:profileDesc/t:correspDesc")
    one(r, "t:teiHeader/t:profileDesc").append(frag(
        '<particDesc><listPerson>'
        '<person role="foreign-minister" sameAs="pers:molotov"><persName ref="pers:molotov">Molotov</persName>'
        '<occupation>People\'s Commissar for Foreign Affairs</occupation></person>'
        '<person><persName>the ambassador</persName></person>'
        '</listPerson></particDesc>'))
    return r


def undated(doc_id: str):
    """Type other, a bounded date (notBefore/notAfter) and no dateline date."""
    r = load(doc_id)
    one(r, CATREF).set("target", "#other")
    drop(r, "t:teiHeader/t:fileDesc/t:notesStmt")
    drop(r, "t:teiHeader/t:fileDesc/t:sourceDesc/t:msDesc")
    drop(r, "t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type='publication']")
    drop(r, "t:teiHeader/t:profileDesc/t:correspDesc")
    plain_date(one(r, CREATION_DATE))
    set_date(one(r, CREATION_DATE), notBefore="1939", notAfter="1940-06")
    drop(r, DATELINE_DATE)
    return r


VALID = {"fx-telegram": telegram, "fx-conversation": conversation, "fx-undated": undated}


def _registry_occupation(doc_id: str, **attrs):
    r = load(doc_id, base="fx-persons")
    occ = one(r, "t:text/t:body/t:listPerson/t:person[1]/t:occupation[1]")
    set_date(occ, **attrs)
    return r


def _tweak(path: str, **attrs):
    def make(doc_id: str):
        r = load(doc_id)
        el = one(r, path)
        for k, v in attrs.items():
            if v is None:
                el.attrib.pop(k, None)
            else:
                el.set(k, v)
        return r
    return make


def _both(make_base, change):
    def make(doc_id: str):
        r = make_base(doc_id)
        change(r)
        return r
    return make


def _dup_ids(doc_id: str):
    r = load(doc_id)
    one(r, "t:text/t:body/t:div/t:p[2]").set(XML_ID, f"{doc_id}-p1")
    return r


def _empty_title(doc_id: str):
    r = load(doc_id)
    one(r, "t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='main']").text = " "
    return r


def _no_notes(doc_id: str):
    r = load(doc_id)
    drop(r, "t:teiHeader/t:fileDesc/t:notesStmt")
    return r


def _no_corresp(doc_id: str):
    r = load(doc_id)
    drop(r, "t:teiHeader/t:profileDesc/t:correspDesc")
    return r


def _bad_refs(doc_id: str):
    r = load(doc_id)
    one(r, "//t:p[1]/t:persName").set("ref", "pers:ali(fuad)")
    one(r, "//t:p[1]/t:ref").set("target", "xx:n1")
    return r


INVALID = {
    # Schematron: sch-<rule>[--variant].<count>
    "sch-lines-order.1": _tweak("//t:citedRange", **{"from": "42", "to": "10"}),
    "sch-date-real.2": _both(lambda i: load(i), lambda r: (
        set_date(one(r, CREATION_DATE), when="1900-02-29"),
        set_date(one(r, "//t:bibl[@type='publication']/t:date"), when="1921-04-31"))),
    "sch-date-pair.1": lambda i: _registry_occupation(i, from_="1920"),
    "sch-date-exclusive.1": lambda i: _registry_occupation(i, when="1921", notBefore="1920"),
    "sch-date-order.1": _both(conversation, lambda r: (
        set_date(one(r, CREATION_DATE), from_="1940-12", to="1940-11-30"), drop(r, DATELINE_DATE))),
    "sch-date-order--bounds.1": _both(undated, lambda r: set_date(
        one(r, CREATION_DATE), notBefore="1941", notAfter="1940-12-31")),
    "sch-date-dateline.1": _both(telegram, lambda r: set_date(one(r, DATELINE_DATE), when="1940-03-01")),
    "sch-date-inference.1": _no_notes,
    "sch-id-unique.2": _dup_ids,
    "sch-id-form.1": _tweak("t:text/t:body/t:div/t:list", **{XML_ID: "list-1"}),
    "sch-docid-idno.1": lambda i: _both(load, lambda r: setattr(
        one(r, "//t:publicationStmt/t:idno[@type='teikit']"), "text", "fx-other"))(i),
    "sch-ref-resolves.2": _bad_refs,
    "sch-target-local.1": _tweak("//t:p[1]/t:ref", target="#nowhere"),
    "sch-ref-kind.1": _tweak("//t:correspAction[@type='sent']/t:orgName", ref="pers:nkid"),
    "sch-licence.1": _tweak("//t:licence", target="CC-BY-SA-4.0"),
    "sch-title-main.1": _empty_title,
    "sch-corresp-for-letters.1": _no_corresp,
    "sch-partic-for-conversations.1": _both(conversation, lambda r: drop(r, "t:teiHeader/t:profileDesc/t:particDesc")),
    # RELAX NG: teiKit's own mistakes that the grammar must catch
    "rng-doctype": _tweak(f"{CATREF}", target="mail"),  # not a pointer to a category; "#mail" is for xdoc:catref-declared
    "rng-classification": _tweak("//t:keywords/t:term[1]", **{}),  # text changed below
    "rng-idno-type": _tweak("//t:msIdentifier/t:idno[@type='opis']", type="box"),
    "rng-corresp-type": _tweak("//t:correspAction[@type='received']", type="forwarded"),
    "rng-corresp-empty": lambda i: _both(load, lambda r: [
        c.getparent().remove(c) for c in r.xpath("//t:correspAction[@type='received']/*", namespaces=NS)])(i),
    "rng-date-format": _tweak(CREATION_DATE, when="6.4.1921"),
    "rng-date-forms": _tweak(CREATION_DATE, **{"from": "1921-04-01"}),
    "rng-no-licence": lambda i: _both(load, lambda r: drop(r, "//t:licence"))(i),
    "sch-doc-parts.1": lambda i: _both(load, lambda r: (
        drop(r, "//t:citedRange"), drop(r, "t:teiHeader/t:revisionDesc")))(i),
    "sch-doc-parts--matter.1": lambda i: _both(lambda j: load(j, base="fx-matter"), lambda r: drop(
        r, "t:teiHeader/t:encodingDesc"))(i),
    "rng-no-version": _tweak("//t:application", version=None),
    "rng-no-build-change": lambda i: _both(load, lambda r: drop(r, "//t:revisionDesc/t:change"))(i),
    "rng-xml-id": _tweak("t:text/t:body/t:div/t:p[1]", **{XML_ID: "1p"}),
    "rng-p-without-id": _tweak("t:text/t:body/t:div/t:p[1]", **{XML_ID: None}),
    "rng-closer-order": lambda i: _both(load, lambda r: one(r, "t:text/t:body/t:div").append(
        one(r, "t:text/t:body/t:div/t:p[2]")))(i),
    "rng-no-main-title": _tweak("//t:titleStmt/t:title[@type='main']", type="sub"),
}


def main() -> None:
    for name, make in VALID.items():
        write("valid", name, make(name))
    for name, make in INVALID.items():
        root = make(name)
        if name == "rng-classification":
            one(root, "//t:keywords/t:term[1]").text = "confidential"
        write("invalid", name, root)
    # outside the TEI namespace: hand-made from the base text
    text = (HERE / "valid" / "fx-letter.xml").read_text(encoding="utf-8")
    text = text.replace("fx-letter", "rng-no-namespace").replace(f' xmlns="{TEI_NS}"', "", 1)
    (HERE / "invalid" / "rng-no-namespace.xml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
