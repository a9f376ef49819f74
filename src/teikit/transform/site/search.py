"""Full-text search with Pagefind (PyPI `pagefind`, binary from `pagefind-bin`).

Each document becomes one Pagefind record: its URL, its text (the plain-text rendering
without the header block), its title, date and type as metadata, and the filters year,
type, person and place. Person and place values are the registry's names of the entries
the document refers to (`pers:` / `place:` @ref), or, for TEI without such references, the
names as written in its header (correspondents, participants, place of writing).

Running Pagefind's indexer on the records (a process) is the application layer's
(teikit.sitedir.write_index): each record becomes the small HTML page of `record_page`, and
the bundle (pagefind.js, pagefind-ui.js/.css, the index fragments) goes to `<site>/pagefind/`.
Pagefind loads its index with fetch(), which browsers refuse on file:// pages: the search
page needs the site served over HTTP (`teikit serve`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath

from lxml import etree

from teikit.core.names import TEI_NS
from teikit.transform.site.corpus import NS, XML_ID, _text

BUNDLE = "pagefind"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFIX_FILTER = {"pers": "person", "place": "place"}
_HEADER_NAMES = ("t:teiHeader/t:profileDesc/t:correspDesc//t:{tag} | t:teiHeader/t:profileDesc/t:particDesc//t:{tag}"
                 " | t:teiHeader/t:profileDesc/t:creation//t:{tag}")
#: the queries of `record` and `language`, compiled once (the same expressions: the same
#: nodes in the same order; @ref as plain strings, which keep no element)
_NAMES_IN_HEADER = {tag: etree.XPath(_HEADER_NAMES.format(tag=tag), namespaces=NS) for tag in ("persName", "placeName")}
_REFS = etree.XPath(".//@ref", smart_strings=False)
_IDENTS = etree.XPath("t:teiHeader/t:profileDesc/t:langUsage/t:language/@ident", namespaces=NS, smart_strings=False)


def language(root, default: str = "en") -> str:
    """ISO 639-1 code of a TEI file's text (Pagefind's stemming), from xml:lang or langUsage."""
    text = root.find(f"{{{TEI_NS}}}text")
    idents = _IDENTS(root)
    for value in (text.get(XML_LANG) if text is not None else None, root.get(XML_LANG), idents[0] if idents else None):
        code = str(value or "").split("-")[0].lower()
        if len(code) in (2, 3) and code.isalpha():
            return code
    return default


def record(tree, url: str, text: str, *, title: str, date: str = "", type_: str = "",
           names: dict[str, str] | None = None, lang: str = "en") -> dict:
    """The Pagefind record of one document (see the module docstring)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    names = names or {}
    filters: dict[str, set[str]] = {"person": set(), "place": set()}
    for ref in {" ".join(r.split()) for r in _REFS(root)}:
        prefix, _, _local = ref.partition(":")
        if prefix in _PREFIX_FILTER and ref in names:
            filters[_PREFIX_FILTER[prefix]].add(names[ref])
    for kind, tag in (("person", "persName"), ("place", "placeName")):
        if not filters[kind]:
            for el in _NAMES_IN_HEADER[tag](root):
                name = _text(el)
                if name:
                    filters[kind].add(name)
    out = {k: sorted(v) for k, v in filters.items() if v}
    if date[:4].isdigit():
        out["year"] = [date[:4]]
    if type_:
        out["type"] = [type_.replace("-", " ")]
    meta = {"title": title}
    if date:
        meta["date"] = date
    if type_:
        meta["type"] = type_.replace("-", " ")
    rec = {"url": url, "content": " ".join(text.split()), "language": language(root, lang),
           "meta": meta, "filters": out}
    if date:
        rec["sort"] = {"date": date}
    return rec


def records_key(records: list[dict]) -> str:
    """Digest of the records: of each, its fields but its text as JSON (sorted keys), then the
    UTF-8 bytes of its text, which JSON would write character by character (most of the
    records' bytes) and hashing takes as they are; each part after its length and a tag."""
    h = hashlib.sha256()
    for rec in records:
        content = rec.get("content")
        if isinstance(content, str):
            rest = {k: v for k, v in rec.items() if k != "content"}
            parts = (b"T", json.dumps(rest, sort_keys=True, ensure_ascii=False).encode("utf-8"), content.encode("utf-8"))
        else:
            parts = (b"J", json.dumps(rec, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        for part in parts:
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
    return h.hexdigest()


def record_page(rec: dict) -> bytes:
    """A record as the small HTML page Pagefind's indexer reads: the text in the indexed
    body, title, date and type as data-pagefind-meta, filters as data-pagefind-filter,
    the date as data-pagefind-sort. Pagefind is given these pages, not the site's own, so
    that what is searched and filtered is exactly the record."""
    html = etree.Element("html", lang=rec["language"])
    etree.SubElement(etree.SubElement(html, "head"), "title").text = rec["meta"]["title"]
    body = etree.SubElement(etree.SubElement(html, "body"), "main", {"data-pagefind-body": ""})
    for k, v in sorted(rec["meta"].items()):
        etree.SubElement(body, "span", {"data-pagefind-meta": f"{k}:{v}"})
    for k, values in sorted(rec["filters"].items()):
        for v in values:
            etree.SubElement(body, "span", {"data-pagefind-filter": f"{k}:{v}"})
    for k, v in sorted(rec.get("sort", {}).items()):
        etree.SubElement(body, "span", {"data-pagefind-sort": f"{k}:{v}"})
    etree.SubElement(body, "p").text = rec["content"]
    return b"<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="utf-8")


def records_for_files(items, text_of) -> list[dict]:
    """Records for foreign TEI: items are (path, tree, url); the text is `text_of(tree)`, the
    title, date and type the site's own reading of the header."""
    from teikit.transform.site.corpus import describe

    out = []
    for path, tree, url in items:
        m = describe(PurePath(path), tree, "")
        out.append(record(tree, url, text_of(tree), title=m.title, date=m.date, type_=m.type))
    return out


def search_page(title: str, count: int, assets_href: str = "assets/") -> bytes:
    """A stand-alone search page for a folder rendered by `teikit html --search`."""
    html = etree.Element("html", lang="en")
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "title").text = title
    for href in (f"{assets_href}teikit.css", f"{BUNDLE}/pagefind-ui.css"):
        etree.SubElement(head, "link", rel="stylesheet", href=href)
    for src in (f"{BUNDLE}/pagefind-ui.js", f"{assets_href}teikit.js"):
        etree.SubElement(head, "script", src=src, defer="defer").text = ""
    body = etree.SubElement(html, "body", {"class": "corpus-page page-search"})
    main = etree.SubElement(body, "main", id="main")
    etree.SubElement(main, "h1").text = title
    etree.SubElement(main, "p", {"class": "lead"}).text = (
        f"Search the full text of the {count} file{'' if count == 1 else 's'} of this folder, "
        f"and narrow the hits by year, type, person and place.")
    etree.SubElement(main, "div", {"id": "search", "class": "pagefind", "data-pagefind-ui": f"{BUNDLE}/"}).text = ""
    off = etree.SubElement(main, "div", {"id": "search-offline", "class": "notice", "hidden": "hidden"})
    p = etree.SubElement(off, "p")
    p.text = ("Search needs the folder to be served over HTTP: browsers do not let Pagefind read its index "
              "from a file:// page. Run ")
    code = etree.SubElement(p, "code")
    code.text = "teikit serve FOLDER"
    code.tail = " (or any static web server) and open the address it prints."
    return b"<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="utf-8") + b"\n"
