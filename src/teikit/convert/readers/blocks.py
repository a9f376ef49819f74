"""A document's paragraphs -> typed blocks (head, opener, text, closer, sources, notes).

Zones, from the top: the divider and the heading; the opener (date line, classification,
number, distribution: short paragraphs right after the heading); the text (paragraphs,
lists, in-text headings, footnotes wherever printed); the closer (the last short lines
before the sources: role and signature, "recorded by"); the sources (archival reference
and earlier-publication lines) and the footnotes printed after them.

A paragraph that a page break cut in the middle of a sentence is re-joined with the next.
"""

from __future__ import annotations

import re

from teikit.convert import archive
from teikit.convert.marks import Mark, is_mark_line
from teikit.convert.model import Block
from teikit.convert.model import Inline
from teikit.convert.readers.inline import parse_inline, plain
from teikit.convert.readers.paragraphs import Para
from teikit.convert.readers.profile import ReaderProfile
from teikit.convert.readers.segmenter import looks_like_dateline

_DISTRIBUTION = re.compile(r"^\W*sent\s+(?:out\s+)?to\b", re.I)
_NUMBER_LINE = re.compile(r"^\W*(?:no|n[o°]|№|m)\.?\s*\d[\w/-]*\W*$", re.I)
_NOTE_START = re.compile(
    r"^\s*(?:(?P<stars>(?:\\\*)+)|<sup>\s*(?P<sup>\d{1,3})\s*</sup>|\[(?P<br>\d{1,3})\])\s*"
    r"(?=[\w\"'«(\[])"
)
#: a further note on the same line: a marker after a space, then its text (`… 1938 city of \*\* see doc. 357`)
_NOTE_SPLIT = re.compile(r"\s+(?=(?:\\\*)+\s+\w|\[\d{1,3}\]\s+\w|<sup>\s*\d{1,3}\s*</sup>\s*[\w\"'«(])")
_LIST_ITEM = re.compile(
    r"^\s*(?:-\s+(?P<label1>(?:\d{1,2}|[A-Za-z])\)\.?)?|(?P<label2>(?:\d{1,2}|[A-Ea-e])\)\.?)\s)"
)
#: an in-text section label printed as a short plain paragraph: `Article xii`, `Appendix I`
_SECTION_LABEL = re.compile(
    r"^(?:article|section|appendix|annex|chapter|part|application)\b[\w\s().,§-]{0,30}$", re.I
)
_BULLET = re.compile(r"^\s{0,3}[-+]\s+\S")
_GAP_ONLY = re.compile(r"^\s*(?:\.{3,}|…+|\[\s*\.{2,}\s*\]|\(\s*\.{2,}\s*\]?\))\s*$")
_SENTENCE_END = re.compile(r"""[.!?:;"»”')\]*]\s*$""")
_JOIN_WORDS = frozenset("of the a an and or to in on at by for with from that which as is are was were its their his her".split())


def is_note_para(para: Para) -> bool:
    return bool(_NOTE_START.match(para.raw))


def is_closer_line(text: str) -> bool:
    """A role or a signature: short, no sentence inside, no date line."""
    words = text.split()
    if not words or len(words) > 9 or len(text) > 90:
        return False
    if re.search(r"[.!?]\s+[A-Z]", text) and not re.search(r"\b[A-Za-z]\.\s*[A-Z]", text):
        return False
    if text.rstrip().endswith((":", ";", ",")):
        return False
    if text.count('"') % 2 or text.count("”") + text.count("»") > text.count("“") + text.count("«"):
        return False  # the end of a quotation
    if text.rstrip(" \"”»'").endswith((".", "!", "?")) and len(re.findall(r"\b[a-z]{2,}\b", text)) >= 3:
        return False  # a sentence, not a role or a name
    return not looks_like_dateline_text(text)


def looks_like_dateline_text(text: str) -> bool:
    return looks_like_dateline(Para(0, 0, [text]))


#: block kind of a line the profile names above or below a heading
_LINE_BLOCK = {"file": "file", "number": "number", "editorial": "opener-note",
               "classification": "classification", "distribution": "distribution"}


def classify(paras: list[Para], heading_count: int, divider: Para | None,
             marks: tuple[Mark, ...] = (), profile: ReaderProfile | None = None,
             dividers: int = 0, pre: int = 0) -> list[Block]:
    """Blocks of one document; `paras` start with the divider (if any) or the `dividers`
    (chapter heads), then the `pre` lines printed above the heading, then the heading.
    `marks`: the profile's classification marks (an opener line that is one is typed so)."""
    blocks: list[Block] = []
    idx = 0
    if divider is not None:
        blocks.append(_block("divider", [paras[0]]))
        idx = 1
    for p in paras[idx : idx + dividers]:
        role = profile.level_role(p.heading_level) if profile else None
        blocks.append(_block("divider", [p], n=role or "section"))
    idx += dividers
    for p in paras[idx : idx + pre]:  # file numbers and numbers printed above the heading
        kind = _LINE_BLOCK.get(profile.line_kind(p.bare, "before") or "", "number") if profile else "number"
        blocks.append(_unbold(_block(kind, [p])))
    idx += pre
    head = paras[idx : idx + heading_count]
    blocks.append(_unbold(_block("head", head)))
    rest = paras[idx + heading_count :]

    # opener: short lines right after the heading
    i = 0
    while i < len(rest) and i < 6:
        p = rest[i]
        text = p.text
        if is_note_para(p):
            break
        named = profile.line_kind(p.bare, "after") if profile else None
        if profile is not None and profile.is_running_head(p.bare):
            blocks.append(_page_break(p, profile))
        elif named:
            blocks.append(_block(_LINE_BLOCK[named], [p]))
        elif looks_like_dateline(p, profile):
            blocks.append(_block("dateline", [p]))
        elif is_mark_line(text, marks):
            blocks.append(_block("classification", [p]))
        elif _DISTRIBUTION.match(text):
            blocks.append(_block("distribution", [p]))
        elif _NUMBER_LINE.match(text):
            blocks.append(_block("number", [p]))
        else:
            break
        i += 1
    body = rest[i:]

    # sources and trailing notes, from the end
    end = len(body)
    tail: list[Block] = []
    while end > 0:
        p = body[end - 1]
        if is_note_para(p):
            tail[:0] = _notes(p)
        elif archive.is_source_line(p.text):
            tail[:0] = _sources(p)
        else:
            found = archive.find_archival_ref(p.text, p.start)
            if found and found[0] > 0 and is_closer_line(p.text[: found[0]].strip(" \\,;")):
                # a signature fused with the archival reference: `Surits\ avp rf, f 059 …`
                tail[:0] = [_text_block("signed", p, p.text[: found[0]].rstrip(" \\"))] + _sources(
                    p, p.text[found[0] :]
                )
            else:
                break
        end -= 1
    main = body[:end]

    # closer: up to three short lines at the end of the text
    closer: list[Block] = []
    k = len(main)
    while k > 0 and len(closer) < 3 and len(main) - len(closer) > 1:
        p = main[k - 1]
        if is_note_para(p) or not is_closer_line(p.text) or _LIST_ITEM.match(p.raw) or p.heading_level \
                or _QUOTE_LINE.match(p.lines[0]) or (profile is not None and profile.is_running_head(p.bare)):
            break
        closer.insert(0, _block("closer-line", [p]))
        k -= 1
    main = main[:k]

    blocks.extend(_text_blocks(main, profile))
    blocks.extend(closer)
    blocks.extend(tail)
    return blocks


_PB_MARK = "\x00pb"


def _paragraph(para: Para, breaks: list[Block]) -> Block:
    """A paragraph re-joined over page breaks: pb and fw where the running heads stood."""
    if not breaks:
        return _block("p", [para])
    block = _block("p", [Para(para.start, para.end, [ln for ln in para.lines if not ln.startswith(_PB_MARK)])])
    content = []
    part: list[str] = []
    for ln in para.lines + [_PB_MARK + "end"]:
        if not ln.startswith(_PB_MARK):
            part.append(ln)
            continue
        content.extend(parse_inline("\n".join(part)))
        part = []
        if ln != _PB_MARK + "end":
            brk = breaks[int(ln[len(_PB_MARK):])]
            content.append(Inline("pb", "", n=brk.n))
            content.append(Inline("fw", plain(brk.content)))
    for k, run in enumerate(content):  # a space on each side of the break
        if run.kind in ("text", "hi") and k + 1 < len(content) and content[k + 1].kind == "pb":
            run.text += " "
    block.content = content
    return block


def _page_break(para: Para, profile: ReaderProfile) -> Block:
    """A running head: `pb` with the page number the head prints, and the head as `fw`."""
    m = profile.is_running_head(para.bare)
    page = m.groupdict().get("page") if m else None
    return _block("fw", [para], n=page)


def _split_bullets(paras: list[Para]) -> list[Para]:
    """Markdown bullets printed without blank lines between them: one paragraph each."""
    out: list[Para] = []
    for p in paras:
        if sum(1 for ln in p.lines if _BULLET.match(ln)) < 2:
            out.append(p)
            continue
        cur: list[str] = []
        start = p.start
        for k, ln in enumerate(p.lines):
            if _BULLET.match(ln) and cur:
                out.append(Para(start, p.start + k - 1, cur))
                cur, start = [], p.start + k
            cur.append(ln)
        out.append(Para(start, p.end, cur))
    return out


_QUOTE_LINE = re.compile(r"^\s{0,3}>\s?")


def _text_blocks(paras: list[Para], profile: ReaderProfile | None = None) -> list[Block]:
    paras = _split_bullets(paras)
    out: list[Block] = []
    list_id = 0
    prev_item = False
    pending: Para | None = None
    breaks: list[Block] = []  # running heads after the pending paragraph (it may go on after them)
    quote_ids: dict[int, int] = {}  # index in out -> quotation number, for `> ` paragraphs
    pending_breaks: list[Block] = []  # running heads inside the pending paragraph
    for p in paras:
        if profile is not None and profile.is_running_head(p.bare):
            brk = _page_break(p, profile)
            if pending is not None:
                breaks.append(brk)
            else:
                out.append(brk)
            continue
        if all(_QUOTE_LINE.match(ln) for ln in p.lines):
            if pending is not None:
                out.append(_paragraph(pending, pending_breaks))
                out.extend(breaks)
                pending, breaks, pending_breaks = None, [], []
            prev_q = len(out) - 1
            blk = _block("p", [Para(p.start, p.end, [_QUOTE_LINE.sub("", ln) for ln in p.lines])])
            blk.raw = p.raw
            quote_ids[len(out)] = quote_ids[prev_q] if prev_q in quote_ids else max(quote_ids.values(), default=0) + 1
            out.append(blk)
            prev_item = False
            continue
        if pending is not None and _continues(pending, p):
            cut = [f"{_PB_MARK}{k}" for k in range(len(pending_breaks), len(pending_breaks) + len(breaks))]
            pending_breaks.extend(breaks)
            pending = Para(pending.start, p.end, pending.lines + [""] + cut + [""] + p.lines if cut else pending.lines + [""] + p.lines)
            breaks = []
            continue
        if pending is not None:
            out.append(_paragraph(pending, pending_breaks))
            out.extend(breaks)
            pending, breaks, pending_breaks = None, [], []
        if is_note_para(p):
            out.extend(_notes(p))
            prev_item = False
            continue
        m = _LIST_ITEM.match(p.raw)
        if m:
            if not prev_item:
                list_id += 1
            label = m.group("label1") or m.group("label2")
            raw = p.raw[m.end():] if m.group(0).lstrip().startswith("-") else p.raw
            if label and m.group(0).lstrip().startswith("-"):
                raw = p.raw[m.end():]
                raw = label + " " + raw
            blk = Block("item", (p.start, p.end), parse_inline(raw), n=label, list_id=list_id, raw=p.raw)
            out.append(blk)
            prev_item = True
            continue
        prev_item = False
        if archive.is_source_line(p.text):
            out.extend(_sources(p))
        elif _GAP_ONLY.match(p.raw):
            out.append(_block("gap", [p]))
        elif ((p.heading_level or p.bold_share >= 0.9) and len(p.text) < 200) or _SECTION_LABEL.match(p.text):
            out.append(_block("subheading", [p]))
        else:
            pending = p
    if pending is not None:
        out.append(_paragraph(pending, pending_breaks))
        out.extend(breaks)
    _mark_quotations(out, quote_ids)
    return out


_OPEN_QUOTE = re.compile(r'^\s*["“«„]')
_CLOSE_QUOTE = re.compile(r'["”»“]\W{0,3}$')


def _quote_balance(text: str) -> tuple[int, int]:
    """(straight double quotes, open curly/guillemet quotes minus closed ones) in a text."""
    return text.count('"'), sum(text.count(c) for c in "“«„") - sum(text.count(c) for c in "”»")


def _mark_quotations(blocks: list[Block], marked: dict[int, int] | None = None) -> None:
    """Paragraphs printed inside quotation marks (a quoted letter, note or statement, which
    may run over several paragraphs) share a quote_id, so the writer wraps them in one quote.
    `marked` holds the block quotes printed with `> ` (block index -> quotation number)."""
    qid = 0
    for k, q in (marked or {}).items():
        blocks[k].quote_id = q
        qid = max(qid, q)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind != "p" or b.quote_id is not None or not _OPEN_QUOTE.match(b.raw):
            i += 1
            continue
        straight = curly = 0
        end = None
        for j in range(i, min(i + 30, len(blocks))):
            if blocks[j].kind != "p" or blocks[j].quote_id is not None:
                break
            s, c = _quote_balance(blocks[j].raw)
            straight += s
            curly += c
            if straight % 2 == 0 and curly <= 0 and _CLOSE_QUOTE.search(blocks[j].raw.rstrip()):
                end = j
                break
        if end is None:
            i += 1
            continue
        qid += 1
        for k in range(i, end + 1):
            blocks[k].quote_id = qid
        i = end + 1


def _continues(prev: Para, nxt: Para) -> bool:
    """Was `prev` cut by a page break, `nxt` being the rest of its sentence?"""
    if nxt.heading_level or is_note_para(nxt) or _LIST_ITEM.match(nxt.raw) or _GAP_ONLY.match(nxt.raw):
        return False
    last = prev.lines[-1].rstrip()
    if _SENTENCE_END.search(last):
        return False
    first = nxt.lines[0].lstrip()
    if not first:
        return False
    last_word = re.findall(r"[A-Za-z]+$", last)
    if first[0].islower() or (bool(last_word) and last_word[0].lower() in _JOIN_WORDS):
        return True
    # a sentence cut after a comma: the next part may begin with a capital (a name, "I");
    # a short line ending in a comma is a salutation or a signature, not a cut sentence
    return last.endswith(",") and len(prev.text.split()) >= 12 and not _LIST_ITEM.match(prev.raw)


def _unbold(block: Block) -> Block:
    """A heading set wholly in bold: the bold is the heading's style, not an emphasis."""
    for run in block.content:
        if run.rend == "bold":
            run.rend = None
            if run.kind == "hi":
                run.kind = "text"
        elif run.rend and "bold" in run.rend.split("+"):
            run.rend = "+".join(r for r in run.rend.split("+") if r != "bold")
    merged: list = []
    for run in block.content:
        if merged and run.kind == "text" and merged[-1].kind == "text":
            merged[-1].text += run.text
        else:
            merged.append(run)
    block.content = merged
    return block


def _block(kind: str, paras: list[Para], n: str | None = None) -> Block:
    raw = "\n".join(ln for p in paras for ln in p.lines)
    raw = re.sub(r"(?m)^\s{0,3}#{1,6}\s+", "", raw)
    return Block(kind, (paras[0].start, paras[-1].end), parse_inline(raw), n=n, raw=raw)


def _text_block(kind: str, para: Para, raw: str) -> Block:
    return Block(kind, (para.start, para.end), parse_inline(raw), raw=raw)


def _notes(para: Para) -> list[Block]:
    """Footnote texts; one paragraph may hold several (`\\* see doc. 49. \\*\\* means …`)."""
    parts = _NOTE_SPLIT.split(para.raw.strip())
    out = []
    for part in parts:
        m = _NOTE_START.match(part)
        n = None
        body = part
        if m:
            n = m.group("sup") or m.group("br") or "*" * (len(m.group("stars") or "") // 2)
            body = part[m.end():]
        out.append(Block("note", (para.start, para.end), parse_inline(body), n=n, raw=part))
    return out


def _sources(para: Para, raw: str | None = None) -> list[Block]:
    """Archival and publication lines; one line may hold both (`… l. 5-6. Publ. : …`)."""
    raw = para.text if raw is None else raw
    found_pub = archive.find_publication(raw, para.start)
    found_arch = archive.find_archival_ref(raw, para.start)
    if found_arch and found_pub and found_pub[0] > found_arch[0]:
        cut = found_pub[0]
        return [
            _text_block("archive", para, raw[:cut].strip()),
            _text_block("publication", para, raw[cut:].strip()),
        ]
    kind = "archive" if found_arch and (not found_pub or found_arch[0] <= found_pub[0]) else "publication"
    return [_text_block(kind, para, raw)]
