"""The compilation reader: inline markup, headings in their printed forms, text blocks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pathlib import Path

from teikit.convert.registry import Registry
from teikit.convert import check
from teikit.convert import metadata
from teikit.convert.idmap import assign_ids
from teikit.convert.model import Inline
from teikit.convert.readers.compilation import read
from teikit.convert.readers.inline import parse_inline
from teikit.convert.writer import document_tree
from teikit.projectinputs import read_registry

from .conftest import bundled_profile

CONFIG = {
    "id_prefix": "t",
    "publisher": "tests",
    "licence": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "label": "CC BY-SA 4.0", "as_printed": "CC BY-SA"},
    "compilation": {"title": "A test compilation", "compilers": ["Editor"]},
    "source": {"file": "test.md"},
}


def runs(text):
    return [(r.kind, r.text, r.rend, r.n) for r in parse_inline(text)]


def test_inline_markup_becomes_runs_and_keeps_every_word():
    assert runs("**Saracoglu** - when I *saw* it") == [
        ("hi", "Saracoglu", "bold", None), ("text", " - when I ", None, None),
        ("hi", "saw", "italic", None), ("text", " it", None, None)]
    assert runs("tour [etskoy] government [...] and (...) x<sup>1</sup>.") == [
        ("text", "tour ", None, None), ("supplied", "etskoy", None, None), ("text", " government ", None, None),
        ("gap", "[...]", None, None), ("text", " and ", None, None), ("gap", "(...)", None, None),
        ("text", " x", None, None), ("ref", "1", None, "1"), ("text", ".", None, None)]
    assert runs("Inonu [1], having \\*\\* learned") == [
        ("text", "Inonu ", None, None), ("ref", "[1]", None, "1"), ("text", ", having ", None, None),
        ("ref", "**", None, "**"), ("text", " learned", None, None)]
    assert runs("a \\_b\\$ c &amp; d") == [("text", "a _b$ c & d", None, None)]


SOURCE = """\
## CONTENTS

March 3, 1921, telegram of the commissar to the ambassador – **P10**

March 5, 1921, note of the commissar to the ambassador – **P11**

March 9, 1921, from: conversation of the commissar with the ambassador – **P12**

April 1921, record of the talks – **P13**

May 2, 1921, from letter of the envoy to the commissar

**Telegram of the commissar  
to the ambassador**

March 3, 1921 No. 15

The commissar writes to the ambassador about the border, which

was drawn last year.

**Article I.** This bold run-in phrase opens no document.

**I. GENERAL PROVISION**

- 1) first point;
- 2) second point.

Commissar

Chicherin

Print. By architect.

\\* a footnote printed after the source line.

March 5, 1921, from **note of the commissar to the ambassador**

Secret

"Mr. Ambassador,

I have the honour to write.

Accept my assurances."

**From: conversation of the commissar with the ambassador**

**Sent to comrade Molotov**

March 9, 1921

**Commissar** - we met. **Ambassador** - indeed.

**1921**

**Some] dir [ekti] for the talks**

[April 1921]

The talks went on.

From letter of the envoy to the commissar

May 2, 1921 secret

The envoy writes.

Envoy Avp rf, f. 059, on. 1, p. 293, d. 2027, l. 77-79.

# Selected From: the end

Licence statement.
"""


REGISTRY = read_registry(Path(__file__).resolve().parents[1] / "data" / "registry")


def convert(text=SOURCE):
    comp = read(text, "test.md", bundled_profile())
    metadata.extract_all(comp, registry=REGISTRY, marks=bundled_profile().classification)
    assign_ids(comp.documents, {}, "t")
    return comp


def test_headings_in_their_printed_forms_and_nothing_else():
    comp = convert()
    assert [(d.start_line, d.end_line) for d in comp.documents] == [(13, 35), (37, 45), (47, 53), (55, 61), (63, 69)]
    reasons = [d.segment_reason for d in comp.documents]
    assert reasons == ["heading word", "date and heading word", "heading word",
                       "followed by a date line", "unbolded heading before a date line"]
    assert [len(comp.toc), comp.toc[0].page, comp.toc[-1].page] == [5, "10", None]
    assert comp.back[0].raw == "# Selected From: the end"


def test_blocks_of_a_document():
    doc = convert().documents[0]
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["head", "dateline", "p", "p", "subheading", "item", "item", "closer-line", "closer-line",
                     "publication", "note"]
    joined = doc.blocks[2]
    assert joined.lines == (18, 20)  # cut by a page break, joined
    assert "".join(r.text for r in joined.content) == (
        "The commissar writes to the ambassador about the border, which was drawn last year.")
    assert [b.n for b in doc.blocks if b.kind == "item"] == ["1)", "2)"]


def test_a_quoted_letter_is_one_quotation():
    doc = convert().documents[1]
    quoted = [b for b in doc.blocks if b.quote_id is not None]
    assert [b.lines[0] for b in quoted] == [41, 43, 45]
    assert doc.classification == ["secret"]


def test_a_signature_fused_with_the_archival_line_is_split():
    doc = convert().documents[4]
    assert [(b.kind, b.raw) for b in doc.blocks[-2:]] == [
        ("signed", "Envoy"), ("archive", "Avp rf, f. 059, on. 1, p. 293, d. 2027, l. 77-79.")]
    assert (doc.archive[0].fond, doc.archive[0].delo) == ("059", "2027")


def test_a_year_divider_goes_with_the_next_document():
    doc = convert().documents[3]
    assert doc.blocks[0].kind == "divider"
    assert doc.start_line == 55


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßабв0123456789", min_size=1, max_size=8)
MARKS = st.sampled_from(["", "**", "*", "\\*", "<sup>3</sup>", "[...]", "[x]", "(...)", "\\_", "&amp;", "«", "\""])


@st.composite
def paragraph(draw):
    words = draw(st.lists(st.tuples(WORDS, MARKS), min_size=1, max_size=30))
    return " ".join(w + m for w, m in words)


@settings(max_examples=60, deadline=None)
@given(st.lists(paragraph(), min_size=1, max_size=12))
def test_no_word_is_ever_lost(paras):
    """Whatever the paragraphs hold, every word of the source is in the TEI text."""
    text = "**Telegram of the envoy to the commissar**\n\nMay 2, 1921\n\n" + "\n\n".join(paras) + "\n"
    comp = convert(text)
    lines = text.split("\n")
    parts = [(d.doc_id, d.start_line, d.end_line, document_tree(d, CONFIG, "2026-01-01")) for d in comp.documents]
    result = check.check(lines, parts)
    assert result.lost == [] and result.span_errors == []


def test_the_tei_of_a_document_is_serialised_deterministically():
    doc = convert().documents[0]
    a = etree.tostring(document_tree(doc, CONFIG, "2026-01-01"))
    b = etree.tostring(document_tree(doc, CONFIG, "2026-01-01"))
    assert a == b
    assert Inline("text", "x") == Inline("text", "x")
