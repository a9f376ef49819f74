"""model.Document -> TEI tree, and serialisation (deterministic bytes)."""

from __future__ import annotations

from lxml import etree

from teikit.convert.header import build_header, sub
from teikit.convert.model import Document, Inline
from teikit.core import facts
from teikit.core.names import NSMAP, TEI_NS, tei, xml

SCHEMA_PIS = (
    ('href="{rng}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"'),
    ('href="{sch}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"'),
)


def document_tree(doc: Document, config: dict, build_date: str) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(xml("id"), doc.doc_id)
    root.set(xml("lang"), facts.language(config)["ident"])
    root.append(build_header(doc, config, build_date))
    text = sub(root, "text")
    body = sub(text, "body")
    div = sub(body, "div", type="document")
    BodyWriter(doc).write(div)
    return root


class BodyWriter:
    """Writes a document's blocks into div[@type='document'] with deterministic ids."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.counters: dict[str, int] = {}
        self.note_ids: dict[str, list[str]] = {}

    def next_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.doc.doc_id}-{kind}{self.counters[kind]}"

    def write(self, div: etree._Element) -> None:
        blocks = self.doc.blocks
        div.set(xml("id"), f"{self.doc.doc_id}-div1")
        # footnote ids first, so that markers can point to them
        for b in blocks:
            if b.kind == "note":
                nid = self.next_id("n")
                b.note_id = nid  # type: ignore[attr-defined]
                self.note_ids.setdefault(b.n or "", []).append(nid)
        self.note_use: dict[str, int] = {}

        opener = None
        closer = None
        current_list = None
        current_list_id = None
        current_quote = None
        current_quote_id = None
        # the last line of the closer is the signature; the lines before it, roles and titles
        last_closer_line = next((b for b in reversed(blocks) if b.kind == "closer-line"), None)
        for b in blocks:
            if b.kind != "item":
                current_list = None
            if b.quote_id is None:
                current_quote = None
            if b.kind == "divider":
                fw = sub(div, "fw", type="section")
                self.inline(fw, b.content)
            elif b.kind == "head":
                self.inline(sub(div, "head"), b.content)
            elif b.kind in ("dateline", "classification", "distribution", "number"):
                if opener is None:
                    opener = sub(div, "opener")
                if b.kind == "dateline":
                    el = sub(opener, "dateline")
                else:
                    el = sub(opener, "seg", type=b.kind)
                self.inline(el, b.content)
            elif b.kind == "p" and b.quote_id is not None:
                if current_quote is None or current_quote_id != b.quote_id:
                    current_quote = sub(div, "quote", type="embedded")
                    current_quote_id = b.quote_id
                self.inline(sub(current_quote, "p", **{"xml:id": self.next_id("p")}), b.content)
            elif b.kind == "p":
                self.inline(sub(div, "p", **{"xml:id": self.next_id("p")}), b.content)
            elif b.kind == "subheading":
                self.inline(sub(div, "p", rend="subheading", **{"xml:id": self.next_id("p")}), b.content)
            elif b.kind == "gap":
                p = sub(div, "p", **{"xml:id": self.next_id("p")})
                sub(p, "gap", reason="omitted")
            elif b.kind == "item":
                if current_list is None or current_list_id != b.list_id:
                    current_list = sub(div, "list", **{"xml:id": self.next_id("list")})
                    current_list_id = b.list_id
                item = sub(current_list, "item", n=b.n, **{"xml:id": self.next_id("item")})
                self.inline(item, b.content)
            elif b.kind in ("closer-line", "signed"):
                if closer is None:
                    closer = sub(div, "closer")
                el = sub(closer, "signed") if b.kind == "signed" or b is last_closer_line else sub(closer, "seg")
                self.inline(el, b.content)
            elif b.kind == "archive":
                self.inline(sub(div, "note", type="archival-reference", **{"xml:id": self.next_id("n")}), b.content)
            elif b.kind == "publication":
                self.inline(sub(div, "note", type="publication", **{"xml:id": self.next_id("n")}), b.content)
            elif b.kind == "note":
                note = sub(div, "note", place="foot", n=b.n, **{"xml:id": b.note_id})  # type: ignore[attr-defined]
                if b.n:
                    label = sub(note, "label", b.n)
                    label.tail = " "
                self.inline(note, b.content)
            else:  # pragma: no cover - every kind is handled above
                raise ValueError(f"unknown block kind {b.kind!r}")
        self._order_div(div)

    def _order_div(self, div) -> None:
        """Keep TEI's div order: a closer may only be followed by notes and other closers."""
        closer = div.find(tei("closer"))
        if closer is None:
            return
        after = list(closer.itersiblings())
        for el in after:
            if el.tag not in (tei("note"), tei("closer"), tei("fw")):
                # text after the closer (rare): the closer lines were not the end
                div.remove(closer)
                idx = div.index(el)
                for child in list(closer):
                    p = etree.Element(tei("p"))
                    p.set(xml("id"), self.next_id("p"))
                    p.text = child.text
                    for c in child:
                        p.append(c)
                    div.insert(idx, p)
                    idx += 1
                return

    def inline(self, parent: etree._Element, runs: list[Inline]) -> None:
        for run in runs:
            target = parent
            if run.rend and run.kind != "hi":
                target = sub(parent, "hi", rend=run.rend.replace("+", " "))
            if run.kind == "text":
                _append_text(target, run.text)
            elif run.kind == "hi":
                self._hi(target, run)
            elif run.kind == "ref":
                ids = self.note_ids.get(run.n or "", [])
                used = self.note_use.get(run.n or "", 0)
                ref = sub(target, "ref", run.text, type="noteAnchor", n=run.n)
                if used < len(ids):
                    ref.set("target", "#" + ids[used])
                    self.note_use[run.n or ""] = used + 1
            elif run.kind == "gap":
                sub(target, "gap", reason="omitted")
            elif run.kind == "supplied":
                sub(target, "supplied", run.text, reason="editorial-restoration")
            elif run.kind in ("persName", "placeName", "orgName"):
                sub(target, run.kind, run.text, ref=run.ref)
            else:  # pragma: no cover
                raise ValueError(f"unknown inline kind {run.kind!r}")

    def _hi(self, parent, run: Inline) -> None:
        sub(parent, "hi", run.text, rend=run.rend.replace("+", " "))


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def serialize(root: etree._Element, rng_href: str | None, sch_href: str | None) -> bytes:
    """Bytes of a TEI file: declaration, xml-model PIs, the tree; identical for identical input."""
    out = [b'<?xml version="1.0" encoding="UTF-8"?>\n']
    if rng_href:
        out.append(f'<?xml-model {SCHEMA_PIS[0].format(rng=rng_href)}?>\n'.encode())
    if sch_href:
        out.append(f'<?xml-model {SCHEMA_PIS[1].format(sch=sch_href)}?>\n'.encode())
    _indent(root)
    out.append(etree.tostring(root, encoding="UTF-8", xml_declaration=False))
    out.append(b"\n")
    return b"".join(out)


_MIXED = {tei(n) for n in ("p", "head", "item", "note", "dateline", "seg", "signed", "fw", "hi", "ref",
                           "supplied", "title", "persName", "orgName", "placeName", "date", "catDesc",
                           "resp", "name", "editor", "publisher", "licence", "idno", "term", "label",
                           "repository", "biblScope", "pubPlace", "citedRange", "language", "occupation")}


def _indent(el, level: int = 0) -> None:
    """Indent element-only content; mixed content (text is data) is left untouched."""
    if el.tag in _MIXED or not len(el):
        return
    if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        _indent(child, level + 1)
    el[-1].tail = "\n" + "  " * level


__all__ = ["document_tree", "serialize", "TEI_NS"]
