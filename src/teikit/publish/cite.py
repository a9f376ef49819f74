"""Citations of a document or a paragraph: a text string, CSL-JSON and BibTeX.

Everything comes from the document's TEI (id, title, date, page, the release date in
publicationStmt) and the corpus configuration (title, compilers, version, publisher,
`uri_base`, DOI, licence, the Russian series). The HTML edition and `teikit cite` call the
same functions, so they show the same citation.

A document's stable URL is `<uri_base>/<doc-id>` and a paragraph's `<uri_base>/<doc-id>#<xml:id>`
(the ids never change; see docs/identifiers.md). Without `uri_base` the citation names the id.
"""

from __future__ import annotations

import re
import json
from dataclasses import dataclass

from lxml import etree

from teikit.core.errors import InputError
from teikit.core.facts import language, provenance, sentences
from teikit.core.names import NS, XML_NS

_H = "tei:teiHeader/tei:fileDesc/"


@dataclass
class Citation:
    doc_id: str
    url: str | None
    text: str
    bibtex: str
    csl_json: dict  # one CSL-JSON item


# --- reading the TEI ----------------------------------------------------------------------
def _first(tree: etree._Element, path: str) -> etree._Element | None:
    query = _QUERIES.get(path)
    if query is None:  # compiled once per process (tree.xpath compiles the expression on every call)
        query = _QUERIES[path] = etree.XPath(path, namespaces=NS)
    found = query(tree)
    return found[0] if found else None


_QUERIES: dict[str, etree.XPath] = {}


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    value = " ".join("".join(el.itertext()).split())
    return value or None


def _doc_facts(tree: etree._Element, config: dict) -> dict:
    doc_id = tree.get(f"{{{XML_NS}}}id")
    if not doc_id:
        raise InputError("The TEI document has no @xml:id, so it cannot be cited. Rebuild it with `teikit build`.")
    title = _text(_first(tree, _H + "tei:titleStmt/tei:title[@type='main']")) or _text(
        _first(tree, _H + "tei:titleStmt/tei:title")) or doc_id
    date_el = _first(tree, "tei:teiHeader/tei:profileDesc/tei:creation/tei:date")
    released = _first(tree, _H + "tei:publicationStmt/tei:date")
    issued = (released.get("when") if released is not None else None) or config["release_date"]
    page = _text(_first(tree, _H + "tei:sourceDesc/tei:bibl[@type='compilation']/tei:biblScope[@unit='page']"))
    edition = _first(tree, _H + "tei:editionStmt/tei:edition")
    version = (edition.get("n") if edition is not None else None) or config["version"]
    return {
        "doc_id": doc_id,
        "title": title,
        "date_printed": _text(date_el),
        "date_iso": _iso_of(date_el),
        "issued": issued,
        "page": page,
        "version": version,
    }


def _iso_of(date_el: etree._Element | None) -> str | None:
    if date_el is None:
        return None
    for attr in ("when", "from", "notBefore"):
        if date_el.get(attr):
            return date_el.get(attr)
    return None


# --- the parts shared by every format -----------------------------------------------------
def document_url(config: dict, doc_id: str, fragment: str | None = None) -> str | None:
    base = config.get("uri_base")
    if not base:
        return None
    url = base.rstrip("/") + "/" + doc_id
    return url + "#" + fragment if fragment else url


def _compilers(config: dict) -> list[tuple[str, dict | None]]:
    """(name as configured, name parts from `people` or None for an organisation)."""
    people = config.get("people", {})
    return [(name, people.get(name)) for name in config["compilation"]["compilers"]]


def _names_text(config: dict) -> str:
    names = [name for name, _ in _compilers(config)]
    if len(names) <= 2:
        joined = " and ".join(names)
    else:
        joined = ", ".join(names[:-1]) + ", and " + names[-1]
    return joined + (", comps." if len(names) > 1 else ", comp.")


def _csl_names(config: dict) -> list[dict]:
    out = []
    for name, parts in _compilers(config):
        out.append({"family": parts["family"], "given": parts["given"]} if parts else {"literal": name})
    return out


def _csl_date(iso: str) -> dict:
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


# --- building ------------------------------------------------------------------------------
def _build(facts: dict, config: dict, *, xml_id: str | None, label: str | None) -> Citation:
    doc_id = facts["doc_id"]
    url = document_url(config, doc_id, xml_id)
    cited_id = xml_id or doc_id
    year = facts["issued"][:4]
    version = facts["version"]
    doi = config.get("doi")
    title = facts["title"]
    dated = f" ({facts['date_printed']})" if facts["date_printed"] else ""
    where = f", {label}" if label else ""
    page = f", compilation p. {facts['page']}" if facts["page"] else ""
    locator = url or (f"https://doi.org/{doi}" if doi else None)
    text = (f"{_names_text(config)} \u201c{title}\u201d{dated}{where}. In {config['title']}, version {version}, "
            f"{config['publisher']}, {year}, id {cited_id}{page}."
            + (f" {locator}" if locator else "")
            + (f" DOI: {doi}." if doi and url else ""))
    csl: dict = {
        "id": cited_id,
        "type": "document",
        "title": title + (f" ({label})" if label else ""),
        "container-title": config["title"],
        "editor": _csl_names(config),
        "publisher": config["publisher"],
        "version": version,
        "issued": _csl_date(facts["issued"]),
        "language": language(config)["ident"],
        "number": cited_id,
        "note": sentences(provenance(config), f"Licence: {config['licence']['label']}."),
    }
    if facts["date_iso"]:
        csl["original-date"] = _csl_date(facts["date_iso"])
    if facts["page"]:
        csl["page"] = facts["page"]
    if url:
        csl["URL"] = url
    if doi:
        csl["DOI"] = doi
    return Citation(doc_id=doc_id, url=url, text=text, bibtex=_bibtex(cited_id, csl, config, facts), csl_json=csl)


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                **{c: "\\" + c for c in "{}&%$#_"}}
_BIB_TABLE = str.maketrans(_BIB_SPECIAL)


_BIB_ANY = re.compile("[" + re.escape("".join(_BIB_SPECIAL)) + "]")


def _bib_escape(value: str) -> str:
    """Escape BibTeX's special characters, each character on its own (one pass: an escape's
    own backslash and braces are not escaped again); a value without one is returned as it
    is (str.translate looks up every character of it in the table)."""
    return value.translate(_BIB_TABLE) if _BIB_ANY.search(value) else value


def _bibtex(key: str, csl: dict, config: dict, facts: dict) -> str:
    editors = " and ".join(
        f"{_bib_escape(n['family'])}, {_bib_escape(n['given'])}" if "family" in n else "{" + _bib_escape(n["literal"]) + "}"
        for n in csl["editor"])
    fields = [
        ("title", "{" + _bib_escape(csl["title"]) + "}"),
        ("editor", editors),
        ("booktitle", _bib_escape(csl["container-title"])),
        ("publisher", _bib_escape(csl["publisher"])),
        ("year", facts["issued"][:4]),
        ("version", _bib_escape(csl["version"])),
        ("number", _bib_escape(key)),
        ("pages", _bib_escape(csl["page"]) if "page" in csl else None),
        ("date", facts["date_iso"]),
        ("url", csl.get("URL")),
        ("doi", csl.get("DOI")),
        ("langid", "english"),
        ("note", _bib_escape(csl["note"])),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@incollection{{{key},\n{body}\n}}\n"


# --- public API ------------------------------------------------------------------------------
def csl_json_text(citation: Citation) -> str:
    """The CSL-JSON of a citation as printed by `teikit cite` and shown on the site: an array
    of one item (what reference managers import): json.dumps(..., ensure_ascii=False,
    indent=2), the same characters (`indented`)."""
    return indented([citation.csl_json])


class _NotPlain(Exception):
    """A value `indented` leaves to json.dumps."""


def indented(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), the same characters, for a value made of
    dicts with str keys, lists, str, int, bool and None (else json.dumps itself): with an
    indent, json encodes in Python, value by value through generators; here each string
    goes through json's C encoder and the layout is joined around them."""
    try:
        return _indented(value, "\n")
    except (_NotPlain, RecursionError):  # (json.dumps: a circular value's error)
        return json.dumps(value, ensure_ascii=False, indent=2)


_STR = json.encoder.encode_basestring  # what json.dumps writes for a str (ensure_ascii=False)


def _indented(value, newline: str) -> str:
    if isinstance(value, str):
        return _STR(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = newline + "  "
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(v, inner) for v in value) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(k, str) for k in value):
            raise _NotPlain()
        return "{" + inner + ("," + inner).join(_STR(k) + ": " + _indented(v, inner)
                                                for k, v in value.items()) + newline + "}"
    raise _NotPlain()


def for_document(tree: etree._Element, config: dict) -> Citation:
    """The citation of a document (tree = its TEI root)."""
    return _build(_doc_facts(tree, config), config, xml_id=None, label=None)


def for_paragraph(tree: etree._Element, config: dict, xml_id: str,
                  retired: dict[str, str] | None = None) -> Citation:
    """The citation of a passage (a p, item, note or div of the text) by its @xml:id.

    `retired` (corpus/idmap.json's `retired_passages`: old id -> the id now holding the
    passage) lets an id that had to go still be cited: it resolves to the passage that holds
    it now, and the citation names that passage (the old id stays an anchor on the site)."""
    facts = _doc_facts(tree, config)
    found = tree.xpath("tei:text//*[@xml:id=$id]", namespaces=NS, id=xml_id)
    if not found and retired and xml_id in retired:
        xml_id = retired[xml_id]
        found = tree.xpath("tei:text//*[@xml:id=$id]", namespaces=NS, id=xml_id)
    if not found:
        raise InputError(f"No passage with xml:id {xml_id!r} in document {facts['doc_id']!r}. "
                         f"Give the @xml:id of a p, item, note or div of its text (e.g. {facts['doc_id']}-p1).")
    return _build(facts, config, xml_id=xml_id, label=passage_label(found[0]))


def passage_label(el: etree._Element) -> str:
    """How a passage is named in a citation: "paragraph 3", "note 1", "item 2", "division 1"."""
    local = etree.QName(el).localname
    word = {"p": "paragraph", "item": "item", "note": "note", "div": "division"}.get(local, local)
    xml_id = el.get(f"{{{XML_NS}}}id") or ""
    m = re.search(r"(\d+)$", xml_id)
    return f"{word} {m.group(1)}" if m else word
