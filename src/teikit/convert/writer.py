"""model.Document -> TEI tree, and serialisation (deterministic bytes)."""

from __future__ import annotations

import re

from lxml import etree

from teikit.convert import archive
from teikit.convert import marks as marksmod
from teikit.convert.marks import Mark
from teikit.convert.header import build_header, is_publication, sub
from teikit.convert.idmap import PassageIds, passage_key
from teikit.convert.model import Block, Document, Inline
from teikit.core import facts
from teikit.core.names import NSMAP, TEI_NS, tei, xml

#: a name restored by the compilers (`supplied` with a registry ref) is written inside it
_NAME_OF_PREFIX = {"pers": "persName", "place": "placeName", "org": "orgName"}

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
    BodyWriter(doc, marksmod.from_config(config)).write(div)
    return root


class BodyWriter:
    """Writes a document's blocks into div[@type='document'] with stable ids.

    Passage ids come from `doc.passage_ids` (idmap.PassageIds, pinned in the identifier
    map), else are counted afresh."""

    def __init__(self, doc: Document, marks: tuple[Mark, ...] = ()):
        self.doc = doc
        self.marks = marks  # the profile's classification marks
        base = getattr(doc, "passage_ids", None)
        # a fresh assignment from the pinned ids each time: writing twice gives the same ids
        self.ids = PassageIds(doc.doc_id, base.pinned if base is not None else None)
        if hasattr(doc, "passage_ids"):
            doc.passage_ids = self.ids
        self.note_ids: dict[str, list[tuple[int, str]]] = {}
        self.at = 0  # index of the block being written
        self.counters: dict[str, int] = {}

    def next_id(self, kind: str) -> str:
        """The next counted id of a kind (front and back matter, which are not pinned)."""
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.doc.doc_id}-{kind}{self.counters[kind]}"

    def keep_id(self, el: etree._Element, b: Block) -> etree._Element:
        """An element that was a paragraph before (salute, signature line, a division's
        head) keeps the paragraph's pinned id."""
        pid = self.ids.keep("p", passage_key(b.lines, b.raw))
        if pid:
            el.set(xml("id"), pid)
        return el

    def id_for(self, prefix: str, b: Block, kind: str = "") -> str:
        return self.ids.assign(prefix, passage_key(b.lines, b.raw, kind))

    def write(self, div: etree._Element) -> None:
        blocks = self.doc.blocks
        div.set(xml("id"), f"{self.doc.doc_id}-div1")
        # footnote ids first, so that markers can point to them
        for k, b in enumerate(blocks):
            if b.kind == "note":
                nid = self.id_for("n", b, "n")
                b.note_id = nid  # type: ignore[attr-defined]
                self.note_ids.setdefault(b.n or "", []).append((k, nid))

        opener = None
        closer = None
        current_list = None
        current_list_id = None
        current_quote = None
        current_quote_id = None
        current_note = None
        current_note_id = None
        container = div
        current_div = None
        # the last line of the closer is the signature; the lines before it, roles and titles
        closer_lines = [b for b in blocks if b.kind in ("closer-line", "courtesy")]
        last_closer_line = next((b for b in reversed(blocks) if b.kind == "closer-line"), None)
        role_lines = _role_lines(closer_lines, last_closer_line)
        for k, b in enumerate(blocks):
            self.at = k
            if b.kind != "item":
                current_list = None
            if b.quote_id is None:
                current_quote = None
            if b.kind != "editorial":
                current_note = None
            if b.div is not None and b.div != current_div:
                current_div = b.div
                container = sub(div, "div", type=b.n if b.kind == "div-head" and b.n else "section",
                                **{"xml:id": self.id_for("div", b, "div")})
                current_list = current_quote = None
            elif b.div is None and current_div is not None:
                current_div, container = None, div
            if b.kind == "divider":
                fw = sub(div, "fw", type=b.n or "section")
                self.inline(fw, b.content)
            elif b.kind == "fw":  # a running head at a page break
                sub(div, "pb", n=b.n)
                self.inline(sub(div, "fw", type="header"), b.content)
            elif b.kind == "head":
                self.inline(sub(div, "head"), b.content)
                opener = None  # lines printed above the heading have an opener of their own
            elif b.kind == "div-head":
                self.inline(self.keep_id(sub(container, "head"), b), b.content)
            elif b.kind in ("dateline", "classification", "distribution", "number", "file", "opener-note"):
                if opener is None:
                    opener = sub(div, "opener")
                if b.kind == "dateline":
                    self._dateline(opener, b)
                elif b.kind == "file":
                    self.inline(sub(opener, "idno", type="file"), b.content)
                elif b.kind == "opener-note":
                    self.inline(sub(opener, "note", type="editorial"), b.content)
                else:
                    self.inline(sub(opener, "seg", type=b.kind), b.content)
            elif b.kind == "salute":
                self.inline(self.keep_id(sub(div, "salute"), b), b.content)
            elif b.kind == "p" and b.quote_id is not None:
                if current_quote is None or current_quote_id != b.quote_id:
                    current_quote = sub(container, "quote", type="embedded")
                    current_quote_id = b.quote_id
                self.inline(sub(current_quote, "p", **{"xml:id": self.id_for("p", b)}), b.content)
            elif b.kind == "p":
                self.inline(sub(container, "p", **{"xml:id": self.id_for("p", b)}), b.content)
            elif b.kind == "subheading":
                self.inline(sub(container, "p", rend="subheading", **{"xml:id": self.id_for("p", b)}), b.content)
            elif b.kind == "gap":
                p = sub(container, "p", **{"xml:id": self.id_for("p", b)})
                sub(p, "gap", reason="omitted")
            elif b.kind == "item":
                if current_list is None or current_list_id != b.list_id:
                    current_list = sub(container, "list", **{"xml:id": self.id_for("list", b, "list")})
                    current_list_id = b.list_id
                item = sub(current_list, "item", n=b.n, **{"xml:id": self.id_for("item", b)})
                self.inline(item, b.content)
            elif b.kind == "editorial":
                if current_note is None or current_note_id != b.list_id:
                    current_note = sub(div, "note", type="editorial", **{"xml:id": self.id_for("n", b, "n")})
                    current_note_id = b.list_id
                    current_quote = None
                parent = current_note
                if b.quote_id is not None:
                    if current_quote is None or current_quote_id != b.quote_id:
                        current_quote = sub(current_note, "quote")
                        current_quote_id = b.quote_id
                    parent = current_quote
                self.inline(sub(parent, "p", **{"xml:id": self.id_for("p", b)}), b.content)
            elif b.kind in ("closer-line", "signed", "courtesy"):
                if closer is None:
                    closer = sub(div, "closer")
                if b.kind == "courtesy":
                    self.inline(self.keep_id(sub(closer, "salute"), b), b.content)
                elif b in role_lines:
                    continue  # written inside the signature below
                elif b.kind == "signed" or b is last_closer_line:
                    signed = self.keep_id(sub(closer, "signed"), b)
                    for r in role_lines:
                        self.inline(self.keep_id(sub(signed, "roleName"), r), r.content)
                        sub(signed, "lb")
                    self.inline(signed, b.content)
                else:
                    self.inline(self.keep_id(sub(closer, "seg"), b), b.content)
            elif b.kind == "archive":
                self.inline(sub(div, "note", type="archival-reference", **{"xml:id": self.id_for("n", b, "n")}), b.content)
            elif b.kind == "publication":
                kind = "publication" if _is_publication(b) else "provenance"
                self.inline(sub(div, "note", type=kind, **{"xml:id": self.id_for("n", b, "n")}), b.content)
            elif b.kind == "note":
                note = sub(container, "note", place="foot", n=b.n, **{"xml:id": b.note_id})  # type: ignore[attr-defined]
                if b.n:
                    label = sub(note, "label", b.n)
                    label.tail = " "
                self.inline(note, b.content)
            else:  # pragma: no cover - every kind is handled above
                raise ValueError(f"unknown block kind {b.kind!r}")
        self._order_div(div)

    def _dateline(self, opener, b: Block) -> None:
        """The date line; a classification mark printed at its end (or start) is its own
        seg[@type='classification'] beside it, outside the dateline."""
        text = "".join(r.text for r in b.content)
        cut = classification_span(text, self.marks)
        if cut is None:
            self.inline(sub(opener, "dateline"), b.content)
            return
        s, e = cut
        while s < e and text[s].isspace():
            s += 1
        before, mark, after = _split_runs(b.content, s, e)
        if before and before[-1].kind == "text":
            before[-1].text = before[-1].text.rstrip()
        if s > 0:
            self.inline(sub(opener, "dateline"), before)
            self.inline(sub(opener, "seg", type="classification"), mark)
        else:
            self.inline(sub(opener, "seg", type="classification"), mark)
            self.inline(sub(opener, "dateline"), after)

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
                    p.set(xml("id"), self.ids.assign("p", passage_key((0, 0), "".join(child.itertext()), "closer")))
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
                ref = sub(target, "ref", run.text, type="noteAnchor", n=run.n)
                notes = self.note_ids.get(run.n or "", [])
                # the nearest note with this marker printed after the anchor, else before it
                found = next((nid for k, nid in notes if k > self.at), None) or (notes[-1][1] if notes else None)
                if found:
                    ref.set("target", "#" + found)
            elif run.kind == "gap":
                sub(target, "gap", reason="omitted")
            elif run.kind == "supplied":
                if run.ref:  # a restored name: the name inside the restoration
                    kind = _NAME_OF_PREFIX[run.ref.partition(":")[0]]
                    sub(sub(target, "supplied", reason="editorial-restoration"), kind, run.text, ref=run.ref)
                else:
                    sub(target, "supplied", run.text, reason="editorial-restoration")
            elif run.kind in ("persName", "placeName", "orgName"):
                sub(target, run.kind, run.text, ref=run.ref)
            elif run.kind == "pb":  # a page break inside a paragraph
                sub(target, "pb", n=run.n)
            elif run.kind == "fw":  # the running head printed at it
                sub(target, "fw", run.text, type="header")
            else:  # pragma: no cover
                raise ValueError(f"unknown inline kind {run.kind!r}")

    def _hi(self, parent, run: Inline) -> None:
        sub(parent, "hi", run.text, rend=run.rend.replace("+", " "))


def _role_lines(closer_lines: list[Block], last: Block | None) -> list[Block]:
    """Lines of the closer printed above the name that are an office (`People's Commissar
    for Foreign Affairs` over `Chicherin`): they go into the signature as roleName. Only
    when the name line is short and the lines above hold no figures (a date, a number)."""
    if last is None or len(last.plain().split()) > 5:
        return []
    above = []
    for b in closer_lines:
        if b is last:
            break
        if b.kind == "closer-line":
            above.append(b)
    if not above or len(above) > 2 or any(re.search(r"\d", b.plain()) for b in above):
        return []
    if any(_RECORDER.search(b.plain()) for b in (*above, last)):
        return []
    return above


def classification_span(text: str, marks: tuple[Mark, ...]) -> tuple[int, int] | None:
    """(start, end) of classification marks printed at the end or the start of a date
    line, when the rest still holds the date."""
    terms = tuple(mark for mark in marks if mark.term)
    spans = [(m.start(), m.end()) for mark in terms for m in mark.pattern.finditer(text)]
    if not spans:
        return None
    s, e = min(a for a, _ in spans), max(b for _, b in spans)
    rest_after = text[e:]
    if re.fullmatch(r"[\W_]*", rest_after) and re.search(r"\d", text[:s]):
        # everything from the first mark to the end is marks and punctuation
        middle = marksmod.strip(text[s:e], terms, " ")
        if re.fullmatch(r"[\W_]*", middle):
            return (s, len(text))
    if s == 0 or re.fullmatch(r"[\W_]*", text[:s]):
        head = marksmod.strip(text[:e], terms, " ")
        if re.fullmatch(r"[\W_]*", head) and re.search(r"\d", text[e:]):
            while e < len(text) and text[e] in " ,;.":
                e += 1
            return (0, e)
    return None


def _split_runs(runs: list[Inline], s: int, e: int) -> tuple[list[Inline], list[Inline], list[Inline]]:
    """Runs cut at character offsets s and e: (before, between, after)."""
    out: tuple[list, list, list] = ([], [], [])
    pos = 0
    for run in runs:
        a, b = pos, pos + len(run.text)
        pos = b
        for part, (lo, hi) in enumerate(((0, s), (s, e), (e, 10**9))):
            x, y = max(a, lo), min(b, hi)
            if x < y or (not run.text and lo <= a < hi):
                piece = Inline(run.kind, run.text[x - a:y - a], rend=run.rend, n=run.n, ref=run.ref)
                out[part].append(piece)
    return out


def _is_publication(block) -> bool:
    found = archive.find_publication(block.raw, block.lines[0])
    return found is None or is_publication(found[1])


_RECORDER = re.compile(r"\b(?:recorded|written down|compiled|interpreted|translated)\b", re.I)


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
                           "salute", "roleName", "provenance",
                           "supplied", "title", "persName", "orgName", "placeName", "date", "catDesc",
                           "resp", "name", "editor", "publisher", "licence", "idno", "term", "label",
                           "repository", "biblScope", "pubPlace", "citedRange", "language", "occupation")}


def _indent(el, level: int = 0) -> None:
    """Indent element-only content; mixed content (text is data) is left untouched."""
    if el.tag in _MIXED:
        return
    children = list(el)  # (each child's proxy made once, for both loops)
    if not children:
        return
    if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in children):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        child.tail = pad
        if len(child) and child.tag not in _MIXED:  # (_indent(child) returns at once otherwise)
            _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


__all__ = ["document_tree", "serialize", "TEI_NS"]
