"""Validation of documents held in memory: the library reads a document, its XIncludes, the
RELAX NG grammar its <?xml-model?> names (and what that grammar includes), its Schematron
(and what that includes) and the catalogs only through the `Files` object it is handed, and
keeps pruned grammars only in the `Cache` it is handed. Nothing here exists on disk, and
every Python-level file-system call fails while the validator runs."""

from __future__ import annotations

import builtins
import os
import pathlib

import pytest
from lxml import etree

import teikit
from teikit.core.files import MemoryFiles
from teikit.validate.validator import validate_documents

RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
MODEL = ('<?xml-model href="{href}" type="application/xml" schematypens="' + RNG + '"?>\n'
         '<?xml-model href="book.sch" type="application/xml" schematypens="' + SCH + '"?>\n')

FILES = {
    "books/book.xml": (MODEL.format(href="book.rng") +
                       '<book xmlns:xi="http://www.w3.org/2001/XInclude">\n'
                       '  <xi:include href="ch1.xml"/>\n'
                       '  <xi:include href="ch2.xml"/>\n'
                       '  <xi:include href="../../etc/passwd"><xi:fallback><chapter xml:id="f">'
                       '<title>Fallback</title></chapter></xi:fallback></xi:include>\n'
                       '</book>\n'),
    "books/ch1.xml": '<chapter xml:id="c1"><title>One</title></chapter>\n',
    "books/ch2.xml": '<chapter xml:id="c2">\n  <para>no title</para>\n</chapter>\n',
    "books/other.xml": MODEL.format(href="http://example.org/schemas/book.rng") +
                       '<book>\n  <chapter><title>Two</title></chapter>\n</book>\n',
    "books/book.rng": f'<grammar xmlns="{RNG}"><include href="parts/chapter.rng"/>'
                      '<start><element name="book"><oneOrMore><ref name="chapter"/></oneOrMore>'
                      '</element></start></grammar>',
    "books/parts/chapter.rng": f'<grammar xmlns="{RNG}"><define name="chapter"><element name="chapter">'
                               '<optional><attribute name="xml:id"/></optional>'
                               '<optional><attribute name="xml:base"/></optional>'
                               '<element name="title"><text/></element>'
                               '<zeroOrMore><element name="para"><text/></element></zeroOrMore>'
                               '</element></define></grammar>',
    "books/book.sch": f'<schema xmlns="{SCH}"><pattern><include href="rules/chapter-id.sch"/></pattern></schema>',
    "books/rules/chapter-id.sch": f'<rule xmlns="{SCH}" context="chapter">'
                                  '<assert id="chapter-id" test="@xml:id">A chapter has an xml:id</assert></rule>',
    "teikit-schema/catalog.xml": '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
                                 '<rewriteURI uriStartString="http://example.org/schemas/" '
                                 'rewritePrefix="../books/"/></catalog>',
}


class DictCache:
    def __init__(self):
        self.kept: dict[str, bytes] = {}

    def get(self, key):
        return self.kept.get(key)

    def put(self, key, data):
        self.kept[key] = data


def _forbid_file_system(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the library touched the file system: {args[:1]}")

    for name in ("read_bytes", "read_text", "write_bytes", "write_text", "open", "is_file", "is_dir",
                 "exists", "resolve", "stat", "glob", "rglob", "iterdir", "mkdir", "unlink"):
        monkeypatch.setattr(pathlib.Path, name, refuse)
    for name in ("stat", "listdir", "scandir", "walk", "replace", "rename", "remove", "getcwd"):
        monkeypatch.setattr(os, name, refuse)
    for name in ("isfile", "isdir", "exists", "getsize", "abspath", "realpath"):
        monkeypatch.setattr(os.path, name, refuse)
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "environ", {})


def _run(files, cache):
    return validate_documents(["books/book.xml", "books/other.xml"], files, schema_dir="teikit-schema",
                              cache=cache, embedded_schematron="off")


def _findings(report):
    return sorted((i.file, i.line, i.code) for i in report.all_issues())


def test_a_document_and_what_it_names_validate_from_memory_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty folder: none of these names is a file here
    files = MemoryFiles({name: text.encode() for name, text in FILES.items()})
    warm_cache = DictCache()
    warm = _run(files, warm_cache)  # imports done before the file system is refused
    cache = DictCache()
    with monkeypatch.context() as m:
        _forbid_file_system(m)
        report = _run(files, cache)
    assert _findings(report) == _findings(warm)
    by_file = {r.path: r for r in report.files}
    book, other = by_file["books/book.xml"], by_file["books/other.xml"]
    # the grammar the document names (with its include) and its Schematron (with its include)
    assert book.schema["rng"] == "books/book.rng" and book.schema["source"] == "xml-model"
    assert book.schema["schematron"] == ["books/book.sch"]
    # the other document names a URL: the catalog in the schema folder maps it
    assert other.schema["rng"] == "books/book.rng" and other.schema["source"] == "catalog"
    found = _findings(report)
    # ch2 is included and lacks its title: a RELAX NG error placed in ch2.xml
    assert [f for f in found if f[2].startswith("rng:")] == [("books/ch2.xml", 2, "rng:missing-element")]
    # the include that climbs out of the folder is not followed: its fallback is used
    assert ("books/book.xml", 6, "xdoc:xinclude-not-followed") in found
    # the other document's chapter has no xml:id: the included Schematron rule fires
    assert ("books/other.xml", 4, "sch:chapter-id") in found
    assert not book.layers["wf"] is False and book.layers["rng"] is False
    assert warm_cache.kept, "the pruned grammar is kept in the cache handed over"
    assert list(tmp_path.iterdir()) == []


def test_the_same_documents_on_disk_give_the_same_findings(tmp_path, monkeypatch):
    """The disk and memory give one verdict: the library reads only through Files."""
    from teikit.disk import Disk

    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    memory = _run(MemoryFiles({name: text.encode() for name, text in FILES.items()}), DictCache())
    disk = _run(Disk(), DictCache())
    assert _findings(disk) == _findings(memory)
    here = str(tmp_path.resolve())  # a path check names the real folder: /memory/books in memory
    assert [(i.code, i.message.replace(here, ""), i.col) for i in disk.all_issues()] == \
        [(i.code, i.message.replace("/memory", ""), i.col) for i in memory.all_issues()]


def test_the_api_validates_trees_with_their_targets_in_memory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    documents = {name: etree.fromstring(FILES[name].encode()).getroottree()
                 for name in ("books/book.xml", "books/other.xml")}
    targets = MemoryFiles({name: text.encode() for name, text in FILES.items()
                           if not name.startswith("teikit-schema/")})
    report = teikit.validate_trees(documents, files=targets, embedded_schematron="off")
    by_file = {r.path: r for r in report.files}
    assert by_file["books/book.xml"].schema["rng"] == "books/book.rng"
    found = _findings(report)
    assert ("books/ch2.xml", 2, "rng:missing-element") in found
    # the URL is not mapped by teikit's own catalog: tei_all stands in, as on disk
    assert by_file["books/other.xml"].schema["source"] == "stand-in"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("files", [None, {}])
def test_without_targets_an_xinclude_is_missing_not_read_from_the_working_folder(tmp_path, monkeypatch, files):
    (tmp_path / "ch1.xml").write_text("<chapter/>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = etree.fromstring(b'<book xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="ch1.xml"/></book>')
    report = teikit.validate_trees({"book.xml": doc}, files=files, schema="none")
    assert [i.code for i in report.all_issues()] == ["xdoc:xinclude-missing"]


def test_documents_given_as_bytes_are_validated_under_their_names():
    data = FILES["books/book.xml"].encode()
    targets = {name: text.encode() for name, text in FILES.items() if name.startswith("books/")}
    report = teikit.validate_trees({"books/book.xml": data}, files=targets, embedded_schematron="off")
    assert [r.path for r in report.files] == ["books/book.xml"]
    assert ("books/ch2.xml", 2, "rng:missing-element") in _findings(report)


def test_an_xinclude_that_climbs_out_of_memory_is_refused():
    """`../secret.xml` from a document held in memory is outside its root, as it would be on disk."""
    from teikit.core import xinclude
    from teikit.core.files import MemoryFiles

    files = MemoryFiles({"doc.xml": b"<a/>", "../secret.xml": b"<s/>"})
    path, why = xinclude.locate("../secret.xml", "doc.xml", ".", files)
    assert path is None and why
