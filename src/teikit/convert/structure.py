"""The structure of a document's text beyond what the reader sees line by line.

Run after the reader (readers/blocks.py) and before the header is extracted. Each rule is
general; the words it needs (courtesy formulas, salutations, article words) are the
registry's vocabulary (data/registry/vocabulary.json):

* the compilers' apparatus: what follows the document's archival or source line
  (footnote continuations, postscripts, the replies they quote) is an editorial note,
  never document text;
* the closer: it starts at the courtesy formula ("Please accept …", "With communist
  greetings") and takes the one or two short lines after it as the signature; without a
  formula, the short name-shaped lines at the end (a trailing comma allowed);
* the salutation ("Mr. Ambassador,") right after the opener;
* numbered points (`1. …`, `2) …`) as list items;
* treaty articles: a subheading that names an article opens div[@type='article'], which
  runs to the next subheading.
"""

from __future__ import annotations

import re

from teikit.convert.model import Block, Compilation, Document
from teikit.convert.readers.blocks import is_closer_line
from teikit.convert.registry.vocabulary import Vocabulary

SOURCE_KINDS = ("archive", "publication")
TEXT_KINDS = ("p", "closer-line", "subheading", "item", "gap")
#: a numbered point: `1. `, `12) `, `a) `, `(3) `
_NUMBERED = re.compile(r"^\W{0,4}?(?P<n>\(?(?:\d{1,2}|[a-z])[.)])\s+\S")
_MAX_SIGNATURE_LINES = 3


def refine_all(comp: Compilation, vocab: Vocabulary) -> None:
    for doc in comp.documents:
        refine(doc, vocab)


def refine(doc: Document, vocab: Vocabulary) -> None:
    apparatus(doc)
    closer(doc, vocab)
    salute(doc, vocab)
    numbered_points(doc)
    articles(doc, vocab)


_MARKS = re.compile(r"[*_\\]")


def _text(b: Block) -> str:
    return " ".join(_MARKS.sub("", b.plain() or b.raw).split())


# ---------------------------------------------------------------- the compilers' apparatus
def apparatus(doc: Document) -> None:
    """Text after the first archival or source line that follows the document's text is the
    compilers' (kind "editorial"); footnotes stay footnotes."""
    blocks = doc.blocks
    first_text = next((i for i, b in enumerate(blocks) if b.kind in TEXT_KINDS), None)
    if first_text is None:
        return
    src = next((i for i in range(first_text + 1, len(blocks)) if blocks[i].kind in SOURCE_KINDS), None)
    if src is None:
        return
    run = 0
    prev = False
    for b in blocks[src + 1:]:
        if b.kind in TEXT_KINDS or b.kind == "signed":
            run += 0 if prev else 1
            b.kind, b.list_id, b.n, prev = "editorial", run, None, True
        else:
            prev = False  # a source line or a footnote between: the next text opens another note


# ---------------------------------------------------------------- closer
def _matches(patterns, text: str) -> bool:
    return any(re.search(p, text, re.I) for p in patterns)


def _end_of_text(blocks: list[Block]) -> int:
    """Index after the last block of the document's own text (before sources, apparatus
    and trailing footnotes)."""
    end = len(blocks)
    while end > 0 and blocks[end - 1].kind in (*SOURCE_KINDS, "note", "editorial", "signed"):
        end -= 1
    return end


def _signature_line(text: str, after_formula: bool = False) -> bool:
    """A short line of a signature: a role or a name; a trailing comma is allowed. After a
    courtesy formula a longer office line is accepted too (`Representative of the people's
    commissariat for foreign affairs of the RSFSR`)."""
    text = text.rstrip(" ,;")
    if not text:
        return False
    if is_closer_line(text):
        return True
    return after_formula and len(text.split()) <= 16 and len(text) <= 140 and \
        not re.search(r"[.!?:]\s+\S", re.sub(r"\b[A-Za-z]{1,2}\.", "", text))


def closer(doc: Document, vocab: Vocabulary) -> None:
    blocks = doc.blocks
    end = _end_of_text(blocks)
    text_idx = [i for i in range(end) if blocks[i].kind in ("p", "closer-line")]
    if not text_idx:
        return
    # the courtesy formula among the last lines of the text
    for i in reversed(text_idx[-(_MAX_SIGNATURE_LINES + 2):]):
        if blocks[i].quote_id is None and _matches(vocab.courtesy_formulas, _text(blocks[i])):
            after = [k for k in range(i + 1, end) if blocks[k].kind in ("p", "closer-line")]
            if len(after) <= _MAX_SIGNATURE_LINES and all(
                    blocks[k].quote_id is None and _signature_line(_text(blocks[k]), True) for k in after):
                if len(_text(blocks[i]).split()) <= 25:
                    blocks[i].kind = "courtesy"
                for k in after:
                    blocks[k].kind = "closer-line"
                return
            break
    # no formula: up to three short signature-shaped lines at the end (a trailing comma
    # allowed), below at least one line of text
    k = end
    while (k > 0 and end - k < _MAX_SIGNATURE_LINES and blocks[k - 1].kind in ("p", "closer-line")
           and blocks[k - 1].quote_id is None and k - 1 > text_idx[0]
           and _signature_line(_text(blocks[k - 1]))):
        k -= 1
    if any(blocks[j].kind != "p" for j in range(k, end)) or k == end:
        return  # nothing new (the reader's closer stands), or nothing found
    for j in range(k, end):
        blocks[j].kind = "closer-line"


# ---------------------------------------------------------------- salutation
def salute(doc: Document, vocab: Vocabulary) -> None:
    """The first text line, when short and a salutation ("Mr. Chairman,", "Dear comrade!")."""
    for b in doc.blocks:
        if b.kind in ("head", "divider", "dateline", "classification", "distribution", "number"):
            continue
        text = _text(b)
        if b.kind == "p" and len(text.split()) <= 8 and _matches(vocab.salutations, text):
            b.kind = "salute"
        return


# ---------------------------------------------------------------- numbered points
def _label(b: Block) -> str | None:
    if b.kind != "p" or b.quote_id is not None:
        return None
    m = _NUMBERED.match(re.sub(r"^[*_]+", "", b.raw))
    return m.group("n") if m else None


def numbered_points(doc: Document) -> None:
    """Runs of two or more numbered paragraphs (perhaps with unnumbered ones between, which
    end the list) are list items."""
    blocks = doc.blocks
    labels = [_label(b) for b in blocks]
    lists = [b.list_id or 0 for b in blocks]
    next_id = max(lists, default=0) + 1
    i = 0
    while i < len(blocks):
        if labels[i] is None:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and labels[j + 1] is not None:
            j += 1
        near = any(labels[k] is not None for k in range(max(0, i - 3), i)) or any(
            labels[k] is not None for k in range(j + 2, min(len(blocks), j + 4)))
        if j > i or near:
            for k in range(i, j + 1):
                blocks[k].kind, blocks[k].n, blocks[k].list_id = "item", labels[k], next_id
            next_id += 1
        i = j + 1


# ---------------------------------------------------------------- articles
def articles(doc: Document, vocab: Vocabulary) -> None:
    """A subheading that names an article (`Article 5.`, `Article xii`) opens an article
    division; once articles have begun, every subheading opens a division (an annex, a
    section), which runs to the next one. The division number is in list_id."""
    words = vocab.article_words
    if not words:
        return
    # the word and a number, perhaps with a stray word between (`Article the v .`)
    rx = re.compile(rf"^\W*(?:{'|'.join(words)})(?:\s*[\w.-]{{1,8}}){{0,2}}\W*$", re.I)
    started = False
    div = 0
    end = _end_of_text(doc.blocks)
    while end > 0 and doc.blocks[end - 1].kind in ("closer-line", "courtesy"):
        end -= 1
    for b in doc.blocks[:end]:
        if b.kind == "subheading" and rx.match(_text(b)):
            started = True
            div += 1
            b.kind, b.n = "div-head", "article"
        elif started and b.kind == "subheading":
            div += 1
            b.kind, b.n = "div-head", "section"
        if started:
            b.div = div
