"""Hardened parsing: every hostile or odd input becomes a tree or a `wf:` Issue."""

from pathlib import Path

import pytest

from teikit.core.errors import Issue
from teikit.core.xmlsafe import find_doctype, parse_bytes, parse_file

WF = Path(__file__).parent / "data" / "validate" / "wf"
DTD_MESSAGE = ("Document declares a DTD; DTDs and entities are not loaded and the document "
               "was not read. Remove the DOCTYPE")
EXT_MESSAGE = ("Document declares an external DTD or entity; DTDs and entities are not loaded "
               "and the document was not read. Remove the DOCTYPE")


def _wf(code, message, name, line=None, col=None):
    return Issue("error", code, message, str(WF / name), line, col, "wf")


@pytest.mark.parametrize("name, issue", [
    ("malformed.xml", ("wf:syntax", "Opening and ending tag mismatch: b line 2 and a", 3, 5)),
    ("billion-laughs.xml", ("wf:doctype", DTD_MESSAGE, 2, 1)),
    ("xxe.xml", ("wf:external-entity", EXT_MESSAGE, 2, 1)),
    ("dtd.xml", ("wf:external-entity", EXT_MESSAGE, 2, 1)),
])
def test_rejected_inputs(name, issue):
    tree, issues = parse_file(WF / name)
    assert tree is None
    assert issues == [_wf(issue[0], issue[1], name, issue[2], issue[3])]


@pytest.mark.parametrize("name, text", [("bom.xml", "bom"), ("utf16.xml", "\u0436"),
                                        ("crlf.xml", "\n")])
def test_encodings_and_line_ends(name, text):
    tree, issues = parse_file(WF / name)
    assert issues == []
    assert tree.getroot().text == text


def test_crlf_child_text_normalised():
    tree, _ = parse_file(WF / "crlf.xml")
    assert tree.getroot()[0].tail == "\n"


def test_duplicate_id_is_a_finding_not_a_crash():
    tree, issues = parse_file(WF / "duplicate-id.xml")
    assert tree is not None
    assert issues == [_wf("wf:duplicate-id", "xml:id 'x' is already defined at line 1; "
                          "xml:id values must be unique in a document", "duplicate-id.xml", 2)]


def test_undefined_entity():
    assert parse_bytes(b"<a>&foo;</a>", "e.xml") == (
        None, [Issue("error", "wf:undefined-entity", "Entity 'foo' not defined", "e.xml", 1, 9, "wf")])


def test_depth_limit():
    tree, issues = parse_bytes(b"<a>" * 300 + b"</a>" * 300, "deep.xml")
    assert tree is None and [i.code for i in issues] == ["wf:limit"]


def test_size_limit():
    assert parse_bytes(b"<a>0123456789</a>", "big.xml", max_bytes=10) == (None, [Issue(
        "error", "wf:limit", "File is 17 bytes, over the limit of 10 bytes", "big.xml", None, None, "wf")])


def test_unknown_encoding_and_empty_and_unreadable(tmp_path):
    assert parse_bytes(b'<?xml version="1.0" encoding="bogus"?><a/>', "x.xml")[1][0].code == "wf:encoding"
    assert parse_bytes(b"  ", "x.xml") == (None, [Issue("error", "wf:empty", "Document is empty", "x.xml", 1, 1, "wf")])
    missing = tmp_path / "none.xml"
    assert parse_file(missing)[1][0].code == "wf:unreadable"


def test_doctype_after_comment_found_utf16():
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!-- c -->\n<!DOCTYPE a>\n<a/>'.encode("utf-16")
    assert find_doctype(data) == ("wf:doctype", 3, 1)
