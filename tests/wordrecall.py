"""Word recall of teikit's text output against the words of tei:text as a reader sees them.

The reader's words are read here from the TEI with lxml, independently of the stylesheets:
- every outermost tei:text of the file (teiHeader is not text);
- a word broken by lb, pb or cb with @break='no' is one word (whitespace beside the break
  is dropped); without @break they, like u, seg, pause, incident, vocal, kinesic, w, space,
  caesura, gap, note and every block (p, ab, l, item, cell, head, div, ...), separate words;
- choice counts with one reading (corr, reg, expan, seg, else the first child), app with its
  lem (else the first rdg), inside the word it stands in (wind<app><lem>ow</lem>...</app>s is
  "windows"); a deletion (del) is not read, and the whitespace that only lays
  out a subst is no word break (t<subst> <del>e</del> <add>urum</add></subst> is "turum");
  notes count (they are printed at the end);
- any other element (hi, supplied, ex, unclear, persName, ...) is inside the running text:
  it neither joins nor separates words.
Words are \\w+ runs. Recall of a file = words of the output (as a multiset) that match the
reader's words / the reader's words; extra words in the output (the header block, the other
readings of choice in brackets) do not count against it.
"""

from __future__ import annotations

import collections
import re

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
WORD = re.compile(r"\w+")
SEPARATORS = set("""u seg pause incident vocal kinesic w space caesura gap note
    p ab div div1 div2 div3 div4 div5 div6 div7 lg l list item label listBibl bibl listPerson person
    listPlace place listOrg org listEvent event table row cell head sp speaker spGrp stage floatingText
    opener closer dateline salute signed postscript figure figDesc titlePage docTitle titlePart
    docImprint docAuthor docDate byline front body back group text epigraph argument trailer castList
    castItem role roleDesc cit quote egXML eg msDesc fw byline address addrLine""".split())
BREAKS = {"lb", "pb", "cb"}
CHOICE_ORDER = ("corr", "reg", "expan", "seg")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _is_tei(el) -> bool:
    return isinstance(el.tag, str) and etree.QName(el).namespace == TEI


def _reading(el):
    """The child of choice/app a reader reads."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if _local(el) == "choice":
        for name in CHOICE_ORDER:
            for c in kids:
                if _is_tei(c) and _local(c) == name:
                    return c
    else:
        for name in ("lem", "rdg"):
            for c in kids:
                if _is_tei(c) and _local(c) == name:
                    return c
    return kids[0] if kids else None


JOIN = "\x00"  # a break inside a word: the whitespace on both sides goes


def _walk(el, out: list[str], tail: bool = True) -> None:
    name = _local(el) if _is_tei(el) else ""
    if name in BREAKS:
        out.append(JOIN if el.get("break") == "no" else " ")
    elif name in ("choice", "app"):
        reading = _reading(el)
        if reading is not None:
            _walk_children(reading, out)
    elif name == "del":
        pass
    elif name == "subst":
        if el.text and el.text.strip():
            out.append(el.text)
        for child in el:
            _walk(child, out, tail=bool(child.tail and child.tail.strip()))
    elif isinstance(el.tag, str):
        sep = " " if name in SEPARATORS else ""
        out.append(sep)
        _walk_children(el, out)
        out.append(sep)
    if tail and el.tail:
        out.append(el.tail)


def _walk_children(el, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)


def reader_text(tree) -> str:
    """The text of every outermost tei:text as a reader reads it (see the module docstring)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    parts: list[str] = []
    for text in root.iter(f"{{{TEI}}}text"):
        if any(_is_tei(a) and _local(a) == "text" for a in text.iterancestors()):
            continue
        out: list[str] = [" "]
        _walk_children(text, out)
        parts.append(re.sub(r"\s*\x00\s*", "", "".join(out)))
    return " ".join(parts)


def reader_words(tree) -> collections.Counter:
    return collections.Counter(WORD.findall(reader_text(tree)))


def recall(tree, output: str) -> tuple[float, int, collections.Counter]:
    """(recall, number of reader's words, missing words) of an output text."""
    ref = reader_words(tree)
    got = collections.Counter(WORD.findall(output))
    missing = ref - got
    total = sum(ref.values())
    return (1.0 if total == 0 else 1 - sum(missing.values()) / total), total, missing


HTML_BLOCKS = set("""p div section article nav aside header footer main details summary h1 h2 h3 h4 h5 h6
    ul ol li dl dt dd table caption thead tbody tr td th blockquote pre figure figcaption br hr""".split())


def html_text(doc) -> str:
    """The text of an HTML page as a browser lays it out (like innerText): a line break at
    every block element and <br>, inline elements joined as they stand; the alternative
    readings teikit-text.css hides until asked for (span.alt) and deletions (del, struck
    through) are left out."""
    out: list[str] = []

    def walk(el):
        if isinstance(el.tag, str) and ("alt" in (el.get("class") or "").split() or el.tag == "del"):
            if el.tail:
                out.append(el.tail)
            return
        block = isinstance(el.tag, str) and el.tag in HTML_BLOCKS
        if block:
            out.append("\n")
        if isinstance(el.tag, str) and el.text:
            out.append(el.text)
        for child in el:
            walk(child)
        if block:
            out.append("\n")
        if el.tail:
            out.append(el.tail)

    walk(doc)
    return "".join(out)
