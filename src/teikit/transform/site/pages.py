"""The corpus pages (index, browse, registries, about, search, the corpus at a glance): which
pages exist, what each depends on, and rendering any set of them in one XSLT run.

`render_pages` runs xslt/corpus-pages.xsl once over a slim copy of the corpus to which the
list of wanted pages is appended (see the stylesheet's header); the corpus's keys are built
once for all pages, so the cost is one pass over the corpus plus the size of the pages.

`page_inputs` gives, for each page, the digests it is made from: the shell (corpus title,
licence, stylesheets, parameters) and the listings of exactly the documents it lists, so
that editing one document redoes only the pages that list it (its year, its type, the
entities it names, the index and the overviews) and nothing when only its text changed.
"""

from __future__ import annotations

import copy
import json
import re

from lxml import etree

from teikit.core.names import TEI_NS
from teikit.transform import runner as transform
from teikit.transform.site.corpus import CORPUS_FILE, ENTRY, NS, REGISTRIES, Member, sha
from teikit.transform.runner import TransformError

TK_NS = "urn:x-teikit:site"
#: pages listing (or counting) every document
OVERVIEWS = ("index", "years", "types", "persons", "places", "orgs", "timeline", "network", "map")
#: parameters of corpus-pages.xsl that common.xsl does not declare
OWN_PARAMS = ("source-heading",)


def corpus_pages(members: list[Member]) -> list[tuple[str, str, str]]:
    """(file name, page-kind, page-key) of every corpus page.

    Entity pages exist for every registry entry and for every prefixed @ref of a document
    (so that the links of document pages resolve even for names missing from a registry).
    """
    pages = [("index.html", "index", ""), ("about.html", "about", ""), ("search.html", "search", ""),
             ("timeline.html", "timeline", ""), ("network.html", "network", ""), ("map.html", "map", ""),
             ("years.html", "years", ""), ("types.html", "types", ""),
             ("persons.html", "persons", ""), ("places.html", "places", ""), ("orgs.html", "orgs", "")]
    listed = [m for m in members if not m.registry and m.listed]
    pages += [(f"year-{y}.html", "year", y) for y in sorted({m.date[:4] for m in listed if m.date})]
    pages += [(f"type-{t}.html", "type", t) for t in sorted({m.type for m in listed if m.type})]
    keys = entity_keys(members)
    kinds = {prefix: kind for kind, prefix in REGISTRIES.values()}
    for prefix, kind in kinds.items():
        pages += [(f"{prefix}-{k}.html", kind, k) for k in sorted(keys[prefix])]
    return pages


def entity_keys(members: list[Member]) -> dict[str, set[str]]:
    """Ref prefix -> the ids with an entity page: registry entries and prefixed @refs."""
    keys: dict[str, set[str]] = {prefix: set() for _kind, prefix in REGISTRIES.values()}
    for m in members:
        if m.registry:
            root = m.parsed().getroot()
            _kind, prefix = REGISTRIES[m.registry]
            keys[prefix].update(root.xpath(f"t:text/t:body/t:{m.registry}//t:{ENTRY[m.registry]}/@xml:id",
                                           namespaces=NS))
            continue
        for ref in m.refs:
            prefix, _, local = ref.partition(":")
            if prefix in keys and local and " " not in local:
                keys[prefix].add(local)
    return keys


def shell_digest(corpus_tree) -> str:
    """Digest of what every corpus page shows of the teiCorpus header: title and licence."""
    h = corpus_tree.getroot().find(f"{{{TEI_NS}}}teiHeader")
    parts = [] if h is None else h.xpath("t:fileDesc/t:titleStmt/t:title | t:fileDesc/t:publicationStmt/t:availability",
                                         namespaces=NS)
    return sha(b"\0".join(etree.tostring(p) for p in parts))


def page_inputs(pages: list[tuple[str, str, str]], members: list[Member], corpus_tree, corpus_bytes: bytes,
                ) -> dict[str, str]:
    """File name -> digest of the inputs of that page (see the module docstring)."""
    docs = [m for m in members if not m.registry]
    by_id = sorted(docs, key=lambda m: m.doc_id)
    registries = sha("\0".join(sorted(m.digest for m in members if m.registry)).encode())
    base = [shell_digest(corpus_tree), registries, sha("\0".join(m.doc_id for m in by_id).encode())]
    every = sha("\0".join(m.listing for m in by_id).encode())
    by_year: dict[str, list[str]] = {}
    by_type: dict[str, list[str]] = {}
    by_ref: dict[str, list[str]] = {}
    for m in by_id:
        if m.listed and m.date:
            by_year.setdefault(m.date[:4], []).append(m.listing)
        if m.listed and m.type:
            by_type.setdefault(m.type, []).append(m.listing)
        for ref in m.refs:
            by_ref.setdefault(ref, []).append(m.listing)
    prefix_of = {kind: prefix for kind, prefix in REGISTRIES.values()}
    out = {}
    for name, kind, key in pages:
        if kind in OVERVIEWS:
            deps = [every]
        elif kind == "about":
            deps = [every, sha(corpus_bytes)]
        elif kind == "year":
            deps = by_year.get(key, [])
        elif kind == "type":
            deps = by_type.get(key, [])
        elif kind in prefix_of:
            deps = by_ref.get(f"{prefix_of[kind]}:{key}", [])
        else:  # search: the shell only
            deps = []
        out[name] = sha(json.dumps([base, kind, key, deps]).encode())
    return out


STYLESHEET = "corpus-pages.xsl"


def _params(styles, params: dict[str, str]) -> dict[str, str]:
    own = {p: params.pop(p.replace("-", "_"), None) for p in OWN_PARAMS}
    out = styles.params(params)
    out.update({k: etree.XSLT.strparam(v) for k, v in own.items() if v is not None})
    return out


def render_pages(styles, slim, pages: list[tuple[str, str, str]], rows: dict | None = None,
                 **params) -> dict[str, etree._Element]:
    """Render `pages` ((name, kind, key), any subset of `corpus_pages`) in one run of
    corpus-pages.xsl (of `styles`, a teikit.transform.runner.Stylesheets) over the slim
    corpus; return name -> the page's html element.

    `rows`, a dict: the pages hold a reference to each document row they list (`ROW`) instead
    of a copy of it, and `rows` is given each row (its element, its HTML) by its reference's key, made once
    (a document is listed on many pages: rows are two thirds of the pages' bytes); `serialise`
    with the same `rows` gives the bytes of the page with its rows."""
    if not pages:
        return {}
    root = slim.getroot()
    listing = etree.SubElement(root, f"{{{TK_NS}}}pages")
    if rows is not None:
        listing.set("rows", "refs")
    documents = list(root.iter(f"{{{TEI_NS}}}TEI"))
    listing.set("dates", "keyed")
    for doc in documents:  # the string the stylesheet sorts the document rows by, evaluated once here
        doc.set(DATE_KEY, _DATE_KEY(doc))
    for name, kind, key in pages:
        etree.SubElement(listing, f"{{{TK_NS}}}page", href=name, kind=kind, key=key)
    xslt = styles.compile_for(STYLESHEET, slim)
    try:
        result = xslt(slim, **_params(styles, dict(params)))
    except etree.XSLTApplyError as err:
        raise TransformError(f"transformation of {CORPUS_FILE} failed: {transform._log(err)}") from None
    finally:
        root.remove(listing)
        for doc in documents:
            del doc.attrib[DATE_KEY]
    errors = [e for e in xslt.error_log if e.level_name in ("ERROR", "FATAL")]
    if errors or result.getroot() is None:
        detail = "; ".join(dict.fromkeys(e.message for e in errors)) or "empty result"
        raise TransformError(f"transformation of {CORPUS_FILE} failed: {detail}")
    out = {}
    for page in result.getroot().iterchildren("site-page"):
        html = page[0]
        out[page.get("href")] = html
    if rows is not None:  # each row's element and its HTML (serialised once)
        for made in result.getroot().iterchildren("site-rows"):
            for row in made.iterchildren("row"):
                rows[row.get("k")] = (row, _row_html(row))
    return out


#: the attribute of each tei:TEI that corpus-pages.xsl's doc-table sorts by (with <tk:pages dates="keyed">):
#: the string of the XPath it sorts by otherwise, the same libxml2 evaluating it
DATE_KEY = f"{{{TK_NS}}}date"
_DATE_KEY = etree.XPath("string((t:teiHeader/t:profileDesc/t:creation/t:date/@when | t:teiHeader/t:profileDesc/t:creation/"
                        "t:date/@from | t:teiHeader/t:profileDesc/t:creation/t:date/@notBefore | t:teiHeader/"
                        "t:profileDesc/t:correspDesc/t:correspAction[@type='sent']/t:date/@when)[1])", namespaces=NS)

#: a page's reference to a document row (corpus-pages.xsl doc-row), as the HTML serialiser writes it
ROW = "tk-row"
_ROW_REF = re.compile(b'<tk-row k="([^"<>&]*)"></tk-row>')


def serialise(html, rows: dict | None = None) -> bytes:
    """One page as HTML5 bytes; `rows`: render_pages' (the rows its references name).

    A row's HTML is its elements serialised on their own: the HTML serialiser writes an
    element and what it holds the same wherever the element stands (nothing of its
    ancestors: no indentation, the escaping of its own text and attributes), so a page with
    its references replaced by them is the page that held copies of the rows. Where the
    page's text shows a reference too (in a script or a comment, which are not escaped), the
    references are replaced in the tree instead: the count of references written must be
    the count of reference elements. The page and the rows are serialised to UTF-8 bytes
    directly (the bytes of their str encoded: UTF-8 writes every character, so the same
    ones are escaped either way)."""
    refs = [] if rows is None else list(html.iter(ROW))
    text = etree.tostring(html, method="html", encoding="UTF-8")
    if refs:
        parts = _ROW_REF.split(text)
        keys = [k.decode("utf-8") for k in parts[1::2]]  # whole characters: the pattern's ends are ASCII
        if len(parts) == 2 * len(refs) + 1 and all(rows.get(k, (None, None))[1] is not None for k in keys):
            parts[1::2] = [rows[k][1] for k in keys]
            text = b"".join(parts)
        else:
            for ref in refs:
                _put_row(ref, rows[ref.get("k")][0])
            text = etree.tostring(html, method="html", encoding="UTF-8")
    return b"<!DOCTYPE html>\n" + text + b"\n"


def _row_html(row) -> bytes | None:
    """The HTML of a row's content (what the page holds in place of its reference): its
    elements, each with the text after it; None for a row that begins with text (the
    stylesheet makes none: such a row is put in the tree, and serialised with the page)."""
    if row.text:
        return None
    return b"".join(etree.tostring(child, method="html", encoding="UTF-8", with_tail=True) for child in row)


def _put_row(ref, row) -> None:
    """A copy of the row's content in place of its reference `ref` (what the stylesheet's copy gives)."""
    parent = ref.getparent()
    at = parent.index(ref)
    copies = [copy.deepcopy(child) for child in row]
    tail = ref.tail
    parent.remove(ref)
    if row.text:
        if at == 0:
            parent.text = (parent.text or "") + row.text
        else:
            prev = parent[at - 1]
            prev.tail = (prev.tail or "") + row.text
    for i, child in enumerate(copies):
        parent.insert(at + i, child)
    if tail:
        if copies:
            copies[-1].tail = (copies[-1].tail or "") + tail
        elif at == 0:
            parent.text = (parent.text or "") + tail
        else:
            parent[at - 1].tail = (parent[at - 1].tail or "") + tail
