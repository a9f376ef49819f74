"""Render chapters of a FRUS volume's TEI the way a PDF-to-markdown conversion prints them,
and write the gold answers (boundaries, dates, sender, addressee, type) from that TEI.

    python3 bench/frus_render.py STYLE VOLUME.xml OUT_DIR CHAPTER_ID...

STYLE is `tables` (numbered bold headings, file-number lines, italic datelines, a list of
papers as pipe tables per chapter, running heads at page breaks) or `leaders` (headings
"Mr. X to Mr. Y." with the number on a bold line of its own, "No. 253.]" before the place
of the dateline, a list of papers as leader lines with "Same to same" and repeated pages
left out). The TEI comes from HistoryAtState/frus (public domain, U.S. Department of
State); it is not shipped with teikit: the renderings in tests/data/sources are.

OUT_DIR receives source/<name>.md, source/corpus.json (a profile-less configuration) and
gold.json: one entry a document with
  start_line    first line that belongs to the document (its file-number or number line)
  heading_line  first line of its heading
  date          ISO date of the dateline (or of the document when the dateline has none)
  sender, addressee   the names FRUS marks as from/to in the heading (lists)
  type          the type the heading, the file-number line or a bracketed line names, or null
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from lxml import etree

T = "http://www.tei-c.org/ns/1.0"
NS = {"t": T}


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


class Renderer:
    def __init__(self, style: str):
        self.style = style
        self.notes: list[tuple[str, str]] = []  # footnotes of the current document
        self.running_chapter = ""

    # -- inline ------------------------------------------------------------------------------
    def inline(self, el, upper: bool = False, in_italic: bool = False) -> str:
        out = [self.text(el.text, upper)]
        for ch in el:
            name = local(ch)
            if name == "hi":
                rend = ch.get("rend") or ""
                inner = self.inline(ch, upper or rend == "smallcaps", in_italic or rend == "italic")
                if rend == "italic" and not in_italic and inner.strip():
                    lead = inner[: len(inner) - len(inner.lstrip())]
                    trail = inner[len(inner.rstrip()):]
                    inner = f"{lead}*{inner.strip()}*{trail}"
                elif rend == "superscript" or rend == "sup":
                    inner = f"<sup>{inner.strip()}</sup>"
                elif rend in ("strong", "bold"):
                    inner = f"**{inner.strip()}**"
                out.append(inner)
            elif name == "note":
                n = ch.get("n") or str(len(self.notes) + 1)
                self.notes.append((n, norm(self.inline(ch))))
                out.append(f"<sup>{n}</sup>")
            elif name == "pb":
                out.append(f"\x00PB{ch.get('n') or ''}\x00")
            elif name == "lb":
                out.append(" ")
            elif name == "list":
                out.append("\x00PARA\x00" + self.list_text(ch) + "\x00PARA\x00")
            elif name in ("gap",):
                out.append("[…]")
            else:
                out.append(self.inline(ch, upper, in_italic))
            out.append(self.text(ch.tail, upper))
        return "".join(out)

    @staticmethod
    def text(s: str | None, upper: bool) -> str:
        if not s:
            return ""
        s = re.sub(r"\s+", " ", s)
        s = s.replace("*", "\\*")
        return s.upper() if upper else s

    def list_text(self, el) -> str:
        items = []
        label = None
        for ch in el:
            if local(ch) == "label":
                label = norm(self.inline(ch))
            elif local(ch) == "item":
                body = norm(self.inline(ch))
                items.append(f"{label} {body}" if label else f"- {body}")
                label = None
        return "\x00PARA\x00".join(items)

    # -- blocks --------------------------------------------------------------------------------
    def paras(self, s: str, prefix: str = "") -> list[str]:
        """A rendered block -> printed paragraphs; a page break inside cuts it and prints
        the running head."""
        out = []
        for part in s.split("\x00PARA\x00"):
            pieces = re.split(r"\x00PB([^\x00]*)\x00", part)
            for k, piece in enumerate(pieces):
                if k % 2 == 1:
                    out.extend(self.running_head(piece))
                    continue
                piece = norm(piece)
                if piece:
                    out.append(prefix + piece)
        return out

    def running_head(self, n: str) -> list[str]:
        if not n.isdigit():
            return []
        page = int(n)
        if self.style == "tables":
            head = f"{page} FOREIGN RELATIONS, 1925, VOLUME II" if page % 2 == 0 else f"{self.running_chapter} {page}"
        else:
            head = f"{page} PAPERS RELATING TO FOREIGN AFFAIRS." if page % 2 == 0 else f"{self.running_chapter} {page}"
        return ["\x00FW" + head]

    def block(self, el) -> list[str]:
        name = local(el)
        if name == "p":
            return self.paras(self.inline(el))
        if name in ("quote",):
            if any(local(c) == "p" for c in el):
                out = []
                for c in el:
                    out.extend(self.paras(self.inline(c), "> ") if local(c) == "p" else self.block(c))
                return out
            return self.paras(self.inline(el), "> ")
        if name == "list":
            return self.paras(self.list_text(el))
        if name == "closer" or name == "postscript" or name == "opener":
            out = []
            for c in el:
                if local(c) in ("p", "dateline", "salute", "signed", "list"):
                    out.extend(self.block(c))
                elif local(c) == "pb":
                    out.extend(self.running_head(c.get("n") or ""))
            if not out:
                out = self.paras(self.inline(el))
            return out
        if name in ("dateline", "salute", "signed"):
            return self.paras(self.inline(el))
        if name == "pb":
            return self.running_head(el.get("n") or "")
        if name == "table":
            rows = []
            for r in el.findall("t:row", NS):
                cells = [norm(re.sub(r"\x00[^\x00]*\x00", " ", self.inline(c))) for c in r.findall("t:cell", NS)]
                rows.append("| " + " | ".join(cells) + " |")
            if rows:
                rows.insert(1, "|" + "---|" * rows[0].count(" | ") + "---|")
            return ["\n".join(rows)] if rows else []
        if name == "head":
            return ["**" + norm(self.inline(el, in_italic=True)) + "**"]
        if name in ("div", "attachment"):
            out = []
            for c in el:
                if local(c) == "head":
                    out.append("*" + norm(self.inline(c, in_italic=True)) + "*")
                elif local(c) == "note" and c.get("type") == "source":
                    out.append(norm(self.inline(c)))
                else:
                    out.extend(self.block(c))
            return out
        if name == "note":
            return self.paras(self.inline(el))
        return self.paras(self.inline(el))


def htext(el) -> str:
    """The text of a head without its footnotes."""
    parts = [el.text or ""]
    for ch in el:
        if local(ch) != "note":
            parts.append(htext(ch))
        parts.append(ch.tail or "")
    return norm("".join(parts))


def person_names(head, kind: str) -> list[str]:
    return [norm("".join(e.itertext())) for e in head.iter(f"{{{T}}}persName", f"{{{T}}}gloss", f"{{{T}}}orgName")
            if e.get("type") == kind]


TYPE_WORDS = (
    (r"^memorandum\b", "memorandum"), (r"^(?:the\s+)?treaty\b", "treaty"), (r"^(?:the\s+)?convention\b", "agreement"),
    (r"^(?:the\s+)?agreement\b", "agreement"), (r"^(?:the\s+)?protocol\b", "agreement"), (r"^press release\b", "press-release"),
    (r"^aide-m[ée]moire\b", "aide-memoire"), (r"^(?:the\s+)?(?:senate\s+)?resolution\b", "resolution"),
    (r"^(?:the\s+)?(?:joint\s+)?declaration\b", "declaration"), (r"^(?:the\s+)?(?:exchange of\s+)?notes?\b", "note"),
    (r"^(?:the\s+)?(?:proclamation)\b", "proclamation"), (r"^(?:the\s+)?circular\b", "circular"),
    (r"^(?:the\s+)?(?:executive\s+)?order\b", "order"), (r"^(?:the\s+)?statement\b", "statement"),
)


def gold_type(heading: str, notes: list[str]) -> str | None:
    for n in notes:
        if re.search(r"\btelegram\b", n, re.I):
            return "telegram"
    for rx, t in TYPE_WORDS:
        if re.search(rx, heading, re.I):
            return t
    return None


_MONTH_NAMES = "january february march april may june july august september october november december".split()


def doc_date(doc) -> str | None:
    """The date the dateline prints (month day, year; a year corrected in brackets), else its
    @when. (Where the two disagree, as for several documents of the 1870 volume, the print is
    what a reader sees.)"""
    for d in doc.iter(f"{{{T}}}dateline"):
        m = re.search(r"\b(" + "|".join(_MONTH_NAMES) + r")\s+(\d{1,2}),?\s+(\d{4})(?:\s*\[(\d{4})\])?",
                      norm("".join(d.itertext())), re.I)
        if m:  # a year corrected in brackets (`October 22, 1924 [1925]`) is the editors' reading
            return f"{m.group(4) or m.group(3)}-{_MONTH_NAMES.index(m.group(1).lower()) + 1:02d}-{int(m.group(2)):02d}"
        for dt in d.iter(f"{{{T}}}date"):
            w = dt.get("when") or dt.get("from") or dt.get("notBefore")
            if w:
                return w[:10]
    return None


def render(style: str, volume: Path, out: Path, chapters: list[str]) -> None:
    tree = etree.parse(str(volume))
    r = Renderer(style)
    lines: list[str] = []
    gold: list[dict] = []

    def emit(paragraphs: list[str]) -> None:
        for p in paragraphs:
            if p.startswith("\x00FW"):
                p = p[3:]
            if lines:
                lines.append("")
            lines.extend(p.split("\n"))

    chs = [tree.xpath(f"//t:div[@xml:id='{c}']", namespaces=NS)[0] for c in chapters]
    title = norm("".join(tree.xpath("//t:titleStmt/t:title[@type='complete']", namespaces=NS)[0].itertext()))
    emit([f"# {title.upper()}", "DEPARTMENT OF STATE", "UNITED STATES GOVERNMENT PRINTING OFFICE"])
    emit(["*Selected chapters, rendered for teikit's tests from the TEI of the Office of the Historian "
          "(HistoryAtState/frus, public domain).*"])

    # contents: the chapter list with pages (leader lines)
    def first_page(ch) -> str:
        pb = ch.xpath("preceding::t:pb[1]", namespaces=NS)
        return pb[0].get("n") if pb else ""

    emit(["## CONTENTS"])
    comp_seen = None
    for ch in chs:
        comp = ch.getparent()
        if local(comp) == "div" and comp.get("type") == "compilation" and comp is not comp_seen:
            comp_seen = comp
            emit([htext(comp.find("t:head", NS)).rstrip(":").upper()])
        head = htext(ch.find("t:head", NS)) if ch.find("t:head", NS) is not None else ""
        emit([f"{head} {'.' * 12} {first_page(ch)}"])

    docs_of = {c.get(f"{{http://www.w3.org/XML/1998/namespace}}id"): c.xpath(".//t:div[@type='document']", namespaces=NS) for c in chs}
    docs_of = {k: [d for d in v if "Untitled" not in "".join(d.find("t:head", NS).itertext())] for k, v in docs_of.items()}
    emit(["## LIST OF PAPERS"])
    if style == "tables":
        papers = tree.xpath("//t:front/t:div[@xml:id='papers']", namespaces=NS)[0]
        countries = {htext(c.getparent().find("t:head", NS)).rstrip(":").upper() for c in chs}
        all_countries = {htext(c.find("t:head", NS)).rstrip(":").upper()
                         for c in tree.xpath("//t:body//t:div[@type='compilation']", namespaces=NS)}
        keep = False
        for el in papers:
            if local(el) == "p" and el.get("rend") == "center":
                name = norm("".join(el.itertext())).upper()
                if name in all_countries:
                    keep = name in countries
                if keep:
                    emit([name])
            elif keep and local(el) in ("p", "table"):
                emit(r.block(el) if local(el) == "table" else [norm(r.inline(el))])
        r.notes = []
    else:
        prev_pair = prev_page = None
        for ch in chs:
            emit([htext(ch.find("t:head", NS)).upper()])
            for d in docs_of[ch.get(f"{{http://www.w3.org/XML/1998/namespace}}id")]:
                head = d.find("t:head", NS)
                pair = norm("".join(head.itertext())).rstrip(".")
                date = doc_date(d) or (d.get("{http://history.state.gov/frus/ns/1.0}doc-dateTime-min") or "")[:10]
                pb = d.xpath("preceding::t:pb[1]", namespaces=NS)
                page = pb[0].get("n") if pb else ""
                printed_date = _short_date(date)
                who = "Same to same" if pair == prev_pair else pair
                entry = f"{who}. {printed_date}"
                entry += f" {'.' * 10} {page}" if page != prev_page else ""
                emit([entry])
                prev_pair, prev_page = pair, page

    comp_seen = None
    for ch in chs:
        comp = ch.getparent()
        if local(comp) == "div" and comp.get("type") == "compilation" and comp is not comp_seen:
            comp_seen = comp
            emit(["## " + htext(comp.find("t:head", NS)).rstrip(":").upper()])
        chead = htext(ch.find("t:head", NS))
        r.running_chapter = htext(comp.find("t:head", NS)).rstrip(":.").upper() if style == "tables" else chead.rstrip(".").upper()
        emit(["### " + chead])
        for d in docs_of[ch.get(f"{{http://www.w3.org/XML/1998/namespace}}id")]:
            r.notes = []
            start = len(lines) + 2
            head = d.find("t:head", NS)
            pre, post, type_notes = [], [], []
            seen_head = False
            body = []
            for c in d:
                if c is head:
                    seen_head = True
                    continue
                if local(c) == "note" and c.get("type") == "source" and not body:
                    txt = norm(r.inline(c))
                    type_notes.append(txt)
                    (post if seen_head else pre).append(txt)
                else:
                    body.append(c)
            heading_text = norm(r.inline(head, in_italic=True))
            number_line = None
            if style == "tables":
                heading = [f"**{d.get('n')}. {heading_text}**"]
                if len(heading_text) > 90 and int(d.get("n")) % 2 == 0:
                    cut = heading_text.rfind(" ", 0, 60)
                    heading = [f"**{d.get('n')}. {heading_text[:cut]}**", f"**{heading_text[cut + 1:]}**"]
            else:
                nums = [p for p in pre if re.fullmatch(r"No\. \d+\.", p)]
                pre = [p for p in pre if p not in nums]
                heading = [f"**{heading_text}**"]
                if nums:
                    number_line = nums[0]
                post = pre + post  # "No. 253.]" and "[Translation.]" stand below the heading
                pre = []
            if number_line:
                emit([f"**{number_line}**"])
            emit(pre)
            heading_line = len(lines) + 2 if lines else 1
            if style == "tables" and len(heading) == 2 and int(d.get("n")) % 4 == 0:
                emit(["\n".join(heading)])
            else:
                emit(heading)
            dispatch_no = [p for p in post if p.endswith("]") and p.startswith("No.")]
            rest = [p for p in post if p not in dispatch_no]
            emit(rest)
            first = True
            for c in body:
                paras = r.block(c)
                if style == "leaders" and first and dispatch_no and local(c) in ("opener", "dateline") and paras:
                    paras[0] = dispatch_no[0] + " " + paras[0]
                    dispatch_no = []
                first = False
                emit(paras)
            emit(dispatch_no)
            emit([f"<sup>{n}</sup> {t}" for n, t in r.notes])
            gold.append({
                "n": d.get("n"),
                "start_line": start if (pre or number_line) else heading_line,
                "heading_line": heading_line,
                "end_line": len(lines),
                "heading": norm("".join(head.itertext())),
                "date": doc_date(d) or (d.get("{http://history.state.gov/frus/ns/1.0}doc-dateTime-min") or "")[:10] or None,
                "sender": person_names(head, "from"),
                "addressee": person_names(head, "to"),
                "type": gold_type(norm("".join(t for t in head.itertext())), type_notes),
            })
    emit(["# END OF SELECTED CHAPTERS"])
    name = out.name
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "source" / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "gold.json").write_text(json.dumps({"source": f"source/{name}.md", "volume": volume.name,
                                                "chapters": chapters, "documents": gold},
                                               indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()


def _short_date(iso: str) -> str:
    if len(iso) < 10:
        return iso
    return f"{MONTHS[int(iso[5:7]) - 1]} {int(iso[8:10])}, {iso[:4]}"


if __name__ == "__main__":
    style, volume, out, *chapters = sys.argv[1:]
    render(style, Path(volume), Path(out), chapters)
