"""The corpus-level files: `corpus.xml` (teiCorpus) and the front and back matter."""

from __future__ import annotations

import itertools

from lxml import etree

from teikit import __version__
from teikit.convert.header import _encoding_desc, _publication_stmt, responsibility, sub, taxonomy, translation_source
from teikit.core import facts
from teikit.convert.readers.profile import taxonomy_of
from teikit.convert.model import Compilation
from teikit.convert.readers.inline import unanchored
from teikit.convert.readers.paragraphs import bare_text
from teikit.core.names import NSMAP, XI_NS, tei, xml
from teikit.convert.writer import BodyWriter


def _title_stmt(parent, config: dict, title: str) -> None:
    ts = sub(parent, "titleStmt")
    sub(ts, "title", title, type="main")
    responsibility(ts, config)


def _source_desc(parent, config: dict, comp: Compilation) -> None:
    sd = sub(parent, "sourceDesc")
    comp_cfg = config["compilation"]
    bibl = sub(sd, "bibl", type="compilation")
    sub(bibl, "title", comp_cfg["title"], level="m")
    if comp_cfg.get("subtitle"):
        sub(bibl, "title", comp_cfg["subtitle"], type="sub")
    for name in comp_cfg["compilers"]:
        sub(bibl, "editor", name)
    if comp_cfg.get("note"):
        sub(bibl, "note", comp_cfg["note"])
    translation_source(bibl, config, extent=True)
    digital = sub(sd, "bibl", type="digitalSource")
    sub(digital, "title", config["source"]["file"])
    if config["source"].get("format"):
        sub(digital, "note", config["source"]["format"])


def corpus_tree(comp: Compilation, config: dict, date: str, files: list[str],
                extents: list[tuple[int, int]] | None = None) -> etree._Element:
    """teiCorpus with the full corpus header; the documents are XIncluded in source order.

    Everything comes from the configuration (titles, compilers, encoders, version, licence,
    the compilation and the series it was translated from, sampling, language, keywords) and the compilation (extent).
    `extents`: each document's `doc_extent`, when the caller has them.
    """
    root = etree.Element(tei("teiCorpus"), nsmap={**NSMAP, "xi": XI_NS})
    root.set(xml("id"), config["id_prefix"] + "-corpus")
    root.set(xml("lang"), facts.language(config)["ident"])
    header = sub(root, "teiHeader")
    fd = sub(header, "fileDesc")
    _title_stmt(fd, config, config["title"])
    if config.get("short_title"):
        ts = fd.find(tei("titleStmt"))
        ts.insert(1, _el("title", config["short_title"], type="short"))
    sub(sub(fd, "editionStmt"), "edition", f"Version {config['version']}", n=config["version"])
    _extent(sub(fd, "extent"), comp, extents)
    _publication_stmt(sub(fd, "publicationStmt"), config, config["id_prefix"] + "-corpus", date)
    _source_desc(fd, config, comp)
    _encoding_desc(header, config)
    enc = header.find(tei("encodingDesc"))
    sampling = sub(enc, "samplingDecl")
    sub(sampling, "p", facts.sampling(config))
    ed = sub(enc, "editorialDecl")
    for part, text in facts.editorial(config):
        sub(sub(ed, part), "p", text)
    taxonomy(enc, config, taxonomy_of(config))
    prof = sub(header, "profileDesc")
    lang = sub(prof, "langUsage")
    sub(lang, "language", facts.language_label(config), ident=facts.language(config)["ident"])
    if facts.source_language_label(config):
        ident, label = facts.source_language_label(config)
        sub(lang, "language", label, ident=ident)
    if config.get("keywords"):
        kw = sub(sub(prof, "textClass"), "keywords", scheme="#keywords")
        for word in config["keywords"]:
            sub(kw, "term", word)
    rev = sub(header, "revisionDesc")
    sub(rev, "change", f"Corpus version {config['version']} built by teikit {__version__}.", when=date)
    for name in files:
        if name == "corpus.xml":
            continue
        inc = etree.SubElement(root, f"{{{XI_NS}}}include")
        inc.set("href", name)
    return root


def _el(name: str, text: str, **attrs) -> etree._Element:
    el = etree.Element(tei(name), **attrs)
    el.text = text
    return el


def doc_extent(doc) -> tuple[int, int]:
    """(words, paragraphs) of one document's blocks, as the corpus header counts them."""
    return sum(len(b.raw.split()) for b in doc.blocks), sum(1 for b in doc.blocks if b.kind == "p")


def _extent(ext, comp: Compilation, extents: list[tuple[int, int]] | None = None) -> None:
    """Documents, words and paragraphs in all, then documents per type."""
    n = len(comp.documents)
    if extents is None:
        extents = [doc_extent(doc) for doc in comp.documents]
    words = sum(w for w, _p in extents)
    paras = sum(p for _w, p in extents)
    sub(ext, "measure", f"{n} documents", unit="document", quantity=str(n))
    sub(ext, "measure", f"{words} words in the documents", unit="word", quantity=str(words))
    sub(ext, "measure", f"{paras} paragraphs", unit="paragraph", quantity=str(paras))
    counts: dict[str, int] = {}
    for doc in comp.documents:
        counts[doc.doc_type or "other"] = counts.get(doc.doc_type or "other", 0) + 1
    for t in sorted(counts):
        sub(ext, "measure", f"{counts[t]} {t}", unit=t, quantity=str(counts[t]))


def matter_tree(comp: Compilation, config: dict, date: str, file_id: str, which: str) -> etree._Element:
    """The compilation's front matter (title page, contents) or back matter as a TEI file."""
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(xml("id"), file_id)
    root.set(xml("lang"), facts.language(config)["ident"])
    header = sub(root, "teiHeader")
    fd = sub(header, "fileDesc")
    label = "Front matter (title page and contents)" if which == "front" else "Back matter (licence statement)"
    _title_stmt(fd, config, f"{config['compilation']['title']}: {label}")
    _publication_stmt(sub(fd, "publicationStmt"), config, file_id, date)
    _source_desc(fd, config, comp)
    digital = fd.find(f"{tei('sourceDesc')}/{tei('bibl')}[@type='digitalSource']")
    blocks = comp.front if which == "front" else comp.back
    sub(digital, "citedRange", unit="line", **{"from": str(blocks[0].lines[0]), "to": str(blocks[-1].lines[1])})
    _encoding_desc(header, config)
    text = sub(root, "text")
    body = sub(text, "body")

    class _Doc:  # the minimum BodyWriter needs for ids and inline content
        doc_id = file_id
        blocks: list = []

    writer = BodyWriter(_Doc())  # type: ignore[arg-type]
    writer.note_use = {}
    if which == "front":
        title_page = sub(body, "div", type="titlePage", **{"xml:id": f"{file_id}-div1"})
        toc_div = None
        toc_list = None
        toc_by_line = {e.line: e for e in comp.toc}
        for b in blocks:
            if b.kind == "toc-entry":
                if toc_div is None:
                    toc_div = sub(body, "div", type="contents", **{"xml:id": f"{file_id}-div2"})
                    sub(toc_div, "head", "Contents (as printed)")
                    toc_list = sub(toc_div, "list", **{"xml:id": writer.next_id("list")})
                item = sub(toc_list, "item", **{"xml:id": writer.next_id("item")})
                entry = toc_by_line.get(b.lines[0])
                writer.inline(item, b.content)
                if entry is not None and entry.doc_id:
                    sub(item, "ref", target=f"{entry.doc_id}.xml", type="document")
            else:
                if toc_div is not None:  # a heading of the contents ("CONTENTS") printed later
                    writer.inline(sub(toc_div, "p", **{"xml:id": writer.next_id("p")}), b.content)
                else:
                    writer.inline(sub(title_page, "p", **{"xml:id": writer.next_id("p")}), b.content)
        chapter_tree(body, comp, f"{file_id}-div{len(body) + 1}", writer)
    else:
        div = sub(body, "div", type="backMatter", **{"xml:id": f"{file_id}-div1"})
        for b in blocks:
            writer.inline(sub(div, "p", **{"xml:id": writer.next_id("p")}), b.content)
    return root


def chapter_tree(body, comp: Compilation, div_id: str, writer: BodyWriter) -> None:
    """The compilation's part, chapter and subchapter heads as printed, as nested
    `div[@type='part'|'chapter'|'subchapter']` in a `div[@type='chapters']`; under each head, a
    `list` of the documents printed under it (before any lower head), in source order, each
    an `item` with `ref[@type='document']` to its file. Nothing when no head is printed."""
    if not any(doc.chapters for doc in comp.documents):
        return
    top = sub(body, "div", type="chapters", **{"xml:id": div_id})
    sub(top, "head", "Chapters (as printed)")
    stack: list[tuple[tuple[str, str], etree._Element]] = []  # the heads open, outermost first
    count = itertools.count(1)
    for doc in comp.documents:
        path = list(doc.chapters)
        depth = 0
        while depth < min(len(path), len(stack)) and stack[depth][0] == path[depth]:
            depth += 1
        if depth == len(path) and len(stack) > depth > 0:
            depth -= 1  # the same head printed again over a lower one: a new division
        del stack[depth:]
        for head in path[depth:]:
            parent = stack[-1][1] if stack else top
            div = sub(parent, "div", type=head[0], **{"xml:id": f"{div_id}-{next(count)}"})
            sub(div, "head", head[1])
            stack.append((head, div))
        parent = stack[-1][1] if stack else top
        last = parent[-1] if len(parent) else None
        if last is None or last.tag != tei("list"):  # never after a lower division: the heads
            last = sub(parent, "list", **{"xml:id": writer.next_id("list")})  # stay in force
        item = sub(last, "item", **{"xml:id": writer.next_id("item")})
        head = next((b for b in doc.blocks if b.kind == "head"), None)
        label = bare_text(unanchored(head.content)) if head is not None else doc.heading
        sub(item, "ref", label, target=f"{doc.doc_id}.xml", type="document")
