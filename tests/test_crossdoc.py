"""Cross-document checks: each rule fires on a corpus broken in one way, and not on a good one."""

from __future__ import annotations

from lxml import etree

from teikit.validation import validate_paths


NS = {"t": "http://www.tei-c.org/ns/1.0"}
DOC = "bdl-1945-03-12.xml"


def xdoc(folder) -> list[tuple[str, str]]:
    report = validate_paths([folder])
    return sorted((i.code, f"{i.file.rsplit('/', 1)[-1]}") for f in report.files for i in f.issues if i.layer == "xdoc")


def edit(path, change):
    tree = etree.parse(str(path))
    change(tree.getroot())
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_a_good_corpus_has_no_cross_document_finding(tei):
    assert xdoc(tei) == []


def test_doc_id_must_equal_the_file_name(tei):
    (tei / DOC).rename(tei / "renamed.xml")
    found = xdoc(tei)
    assert ("xdoc:docid-filename", "renamed.xml") in found
    assert ("xdoc:corpus-members", "corpus.xml") in found  # renamed.xml is not included


def test_registry_references_resolve(tei):
    def add_refs(root):
        title = root.find(".//t:titleStmt/t:title", NS)
        for ref in ("pers:knatchbull-hugessen", "pers:nobody", "place:ankara"):
            el = etree.SubElement(title, "{http://www.tei-c.org/ns/1.0}rs")
            el.set("ref", ref)
    edit(tei / DOC, add_refs)
    assert xdoc(tei) == [("xdoc:ref-registry", DOC)]
    (tei / "places.xml").unlink()
    assert xdoc(tei) == [
        ("xdoc:ref-file", "orgs.xml"),  # orgs.xml points to places.xml#great-britain
        ("xdoc:ref-registry", DOC),  # pers:nobody
        ("xdoc:ref-registry", DOC),  # places.xml is missing: one finding for the file
        ("xdoc:ref-registry", "bdl-1945-04-02.xml"),  # its heading names a place (names in headings are tagged)
        ("xdoc:xinclude-missing", "corpus.xml"),
    ]


def test_document_pointers_of_the_contents_resolve(tei):
    def point_wrong(root):
        item = root.find(".//t:div[@type='contents']//t:item", NS)
        ref = etree.SubElement(item, "{http://www.tei-c.org/ns/1.0}ref")
        ref.set("type", "document")
        ref.set("target", "bdl-1999-01-01.xml")
    edit(tei / "bdl-front.xml", point_wrong)
    assert xdoc(tei) == [("xdoc:ref-file", "bdl-front.xml")]


def test_taxonomy_pointers_resolve_in_the_corpus_header(tei):
    edit(tei / DOC, lambda root: root.find(".//t:catRef", NS).set("target", "#dispatch"))
    assert xdoc(tei) == [("xdoc:catref-declared", DOC)]


def test_corpus_counts_and_includes_every_document(tei):
    def drop_include(root):
        inc = root.find("{http://www.w3.org/2001/XInclude}include[@href='%s']" % DOC)
        root.remove(inc)
    edit(tei / "corpus.xml", drop_include)
    assert xdoc(tei) == [("xdoc:corpus-members", "corpus.xml")]
    edit(tei / "corpus.xml", lambda root: root.find(".//t:extent/t:measure[@unit='document']", NS).set("quantity", "7"))
    assert xdoc(tei) == [("xdoc:corpus-members", "corpus.xml"), ("xdoc:corpus-members", "corpus.xml")]
