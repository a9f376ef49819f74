"""Hardened parsing: every hostile or odd input becomes a tree or a `wf:` Issue."""

from pathlib import Path

import pytest

from teikit.core.errors import Issue
from teikit.core.xmlsafe import find_doctype, parse_bytes, parse_file
from teikit.disk import Disk

WF = Path(__file__).parent / "data" / "validate" / "wf"
LAUGHS_MESSAGE = ("Entity expansion exceeds the safety limit (an entity that expands to a huge "
                  "text, as in a 'billion laughs' attack); the document was not read. Declare "
                  "smaller entities or write the text out")
XXE_MESSAGE = ("Entity 'xxe' is an external entity ('file:///etc/passwd'); teikit never loads "
               "external entities (they can read any file or the network). Replace &xxe; by its "
               "text, or declare it with a literal value in the internal subset")


def _wf(code, message, name, line=None, col=None):
    return Issue("error", code, message, str(WF / name), line, col, "wf")


@pytest.mark.parametrize("name, issue", [
    ("malformed.xml", ("wf:syntax", "Opening and ending tag mismatch: b line 2 and a", 3, 5)),
    ("billion-laughs.xml", ("wf:entity-expansion", LAUGHS_MESSAGE, 1)),
    ("xxe.xml", ("wf:external-entity", XXE_MESSAGE, 3, 9)),
])
def test_rejected_inputs(name, issue):
    tree, issues = parse_file(WF / name, Disk())
    assert tree is None
    assert [i.code for i in issues] == [issue[0]]
    assert (issues[0].message, issues[0].line) == (issue[1], issue[2])
    if len(issue) > 3:
        assert issues[0].col == issue[3]


def test_internal_subset_entities_are_expanded():
    tree, issues = parse_file(WF / "internal-subset.xml", Disk())
    assert issues == []
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert tree.findtext(".//t:title", namespaces=ns) == "\u00a9 The Editors"
    assert tree.findtext(".//t:body/t:p", namespaces=ns) == "The Editors"


def test_an_external_dtd_is_never_loaded(tmp_path):
    (tmp_path / "tei.dtd").write_text('<!ENTITY foo "from the DTD">')
    doc = tmp_path / "d.xml"
    doc.write_text('<!DOCTYPE TEI SYSTEM "tei.dtd">\n<TEI>&foo;</TEI>')
    tree, issues = parse_file(doc, Disk())
    assert tree is None and [i.code for i in issues] == ["wf:external-dtd"]
    assert "'tei.dtd', which teikit never loads" in issues[0].message and issues[0].line == 2
    doc.write_text('<!DOCTYPE TEI SYSTEM "tei.dtd">\n<TEI>no entity</TEI>')
    tree, issues = parse_file(doc, Disk())
    assert tree is not None and [(i.severity, i.code) for i in issues] == [("warning", "wf:external-dtd")]


def test_external_parameter_entity_is_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    data = f'<!DOCTYPE a [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]><a/>'.encode()
    tree, issues = parse_bytes(data, "pe.xml")
    assert tree is None or b"SECRET" not in __import__("lxml.etree").etree.tostring(tree)


@pytest.mark.parametrize("name, text", [("bom.xml", "bom"), ("utf16.xml", "\u0436"),
                                        ("crlf.xml", "\n")])
def test_encodings_and_line_ends(name, text):
    tree, issues = parse_file(WF / name, Disk())
    assert issues == []
    assert tree.getroot().text == text


def test_crlf_child_text_normalised():
    tree, _ = parse_file(WF / "crlf.xml", Disk())
    assert tree.getroot()[0].tail == "\n"


def test_duplicate_id_is_a_finding_not_a_crash():
    tree, issues = parse_file(WF / "duplicate-id.xml", Disk())
    assert tree is not None
    assert issues == [_wf("wf:duplicate-id", "xml:id 'x' is already defined at line 1; "
                          "xml:id values must be unique in a document", "duplicate-id.xml", 2)]


def test_undefined_entity():
    tree, issues = parse_bytes(b"<a>&foo;</a>", "e.xml")
    assert tree is None and [(i.code, i.line, i.col) for i in issues] == [("wf:undefined-entity", 1, 9)]
    assert issues[0].message.startswith("Entity 'foo' is not defined; declare it in the internal subset")


def test_depth_limit():
    tree, issues = parse_bytes(b"<a>\n" * 300 + b"</a>" * 300, "deep.xml")
    assert tree is None and [i.code for i in issues] == ["wf:limit"]
    assert issues[0].line == 257 and "nested more than 256 levels deep" in issues[0].message
    assert "XML_PARSE_HUGE" not in issues[0].message


def test_size_limit():
    assert parse_bytes(b"<a>0123456789</a>", "big.xml", max_bytes=10) == (None, [Issue(
        "error", "wf:limit", "File is 17 bytes, over the limit of 10 bytes", "big.xml", None, None, "wf")])


def test_unknown_encoding_and_empty_and_unreadable(tmp_path):
    assert parse_bytes(b'<?xml version="1.0" encoding="bogus"?><a/>', "x.xml")[1][0].code == "wf:encoding"
    assert parse_bytes(b"  ", "x.xml") == (None, [Issue("error", "wf:empty", "Document is empty", "x.xml", 1, 1, "wf")])
    missing = tmp_path / "none.xml"
    assert parse_file(missing, Disk())[1][0].code == "wf:unreadable"


def test_doctype_after_comment_found_utf16():
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!-- c -->\n<!DOCTYPE a>\n<a/>'.encode("utf-16")
    doctype = find_doctype(data)
    assert (doctype.line, doctype.col, doctype.external_dtd) == (3, 1, None)


# --- what the bytes say a tree cannot hold (xmlsafe.literally_absent) --------------------

XI = b"http://www.w3.org/2001/XInclude"


def _absent(data: bytes, *needles):
    from teikit.core.xmlsafe import literally_absent

    tree, issues = parse_bytes(data, "x.xml")
    assert tree is not None, issues
    return tree, literally_absent(data, tree, needles)


def test_a_needle_the_bytes_of_a_plain_utf8_file_lack_is_absent():
    _tree, absent = _absent(b'<?xml version="1.0" encoding="UTF-8"?><TEI xmlns="t"><p>base</p></TEI>', XI, b":base")
    assert absent == {XI, b":base"}
    _tree, absent = _absent(b'<TEI xmlns:xi="http://www.w3.org/2001/XInclude"><p xml:base="a"/></TEI>', XI, b":base")
    assert absent == frozenset()


@pytest.mark.parametrize("data, holds", [
    # a character reference spells the namespace: the tree has an xi:include the bytes do not show
    (b'<TEI xmlns:xi="http://www.w3.org/2001/X&#73;nclude"><xi:include href="a.xml"/></TEI>',
     lambda t: t.getroot().find("{http://www.w3.org/2001/XInclude}include") is not None),
    # an entity of the internal subset brings in markup (its value spelt with a reference)
    (b'<!DOCTYPE TEI [<!ENTITY m "<div xml&#58;base=\'a.xml\'/>">]><TEI>&m;</TEI>',
     lambda t: t.getroot()[0].get("{http://www.w3.org/XML/1998/namespace}base") == "a.xml"),
    # another encoding: the bytes do not hold the ASCII spelling
    ('<?xml version="1.0" encoding="UTF-16"?><TEI xmlns:xi="http://www.w3.org/2001/XInclude">'
     '<xi:include href="a.xml"/></TEI>'.encode("utf-16"),
     lambda t: t.getroot().find("{http://www.w3.org/2001/XInclude}include") is not None),
])
def test_nothing_is_absent_where_the_tree_may_hold_what_the_bytes_do_not_spell(data, holds):
    tree, absent = _absent(data, XI, b":base", b"never-there")
    assert holds(tree)
    assert absent == frozenset()


def test_only_a_document_with_a_doctype_can_keep_an_entity_reference():
    """_post_checks looks for unexpanded entity references only in a tree with a DOCTYPE:
    without one, libxml2 refuses any reference but the predefined five by itself."""
    for data in (b"<a>&e;</a>", b"<a><b>&e;</b></a>", b'<?xml version="1.0" standalone="no"?><a>&e;</a>'):
        tree, issues = parse_bytes(data, "x.xml")
        assert tree is None and [i.code for i in issues] == ["wf:undefined-entity"]
    tree, issues = parse_bytes(b"<a>&amp;&lt;&gt;&quot;&apos;&#65;</a>", "x.xml")
    assert tree is not None and tree.docinfo.internalDTD is None and tree.getroot().text == "&<>\"'A"
    tree, issues = parse_bytes(b'<!DOCTYPE a SYSTEM "a.dtd"><a>&e;</a>', "x.xml")
    assert tree is None and [i.code for i in issues] == ["wf:external-dtd"]
    assert parse_bytes(b" \t\r\n\x0b\x0c", "x.xml")[1][0].code == "wf:empty"  # data.isspace(): as strip() did


def test_documents_parsed_one_after_another_are_as_if_each_had_a_fresh_parser(monkeypatch):
    """parse_bytes reads every document of a thread with one parser: each result (tree,
    findings with lines and columns, the duplicate-id recovery) is the one a parser made for
    that document alone gives, whatever was parsed before it."""
    import threading

    from lxml import etree

    from teikit.core import xmlsafe

    docs = [b"<a><b></a>", b"<a xml:id='x'><b xml:id='x'/></a>", b"<a/>", b"<a>&foo;</a>",
            b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", b"", b"<a/><b/>", b"<a>", b"<r><c/></r>",
            b"<?xml version='1.0' encoding='nope'?><a/>", b"<a xml:id='y'/>"]

    def outcome(results):
        return [(etree.tostring(t) if t is not None else None, issues) for t, issues in results]

    shared = outcome([parse_bytes(d, f"f{i}.xml") for i, d in enumerate(docs * 2)])
    monkeypatch.setattr(xmlsafe, "_documents_parser", lambda: xmlsafe.make_parser())
    fresh = outcome([parse_bytes(d, f"f{i}.xml") for i, d in enumerate(docs * 2)])
    assert shared == fresh
    assert any(issues for _t, issues in shared) and any(t is not None for t, _i in shared)
    # one parser per thread: another thread does not use this one's
    monkeypatch.undo()
    mine, theirs = xmlsafe._documents_parser(), []
    worker = threading.Thread(target=lambda: theirs.append(xmlsafe._documents_parser()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine and xmlsafe._documents_parser() is mine
