"""corpus/tei against expectations written by hand from the source (tests/data/expected/).

The golden-corpus test (test_corpus.py) proves that corpus/tei is what teikit generates;
this one proves that what it generates is right, field by field, for a dozen documents of
different types, so that regenerating the corpus cannot hide a regression."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from teikit.core.names import TEI_NS

NS = {"t": TEI_NS}

from .conftest import ROOT

EXPECTED = json.loads((ROOT / "tests/data/expected/hand-checked.json").read_text(encoding="utf-8"))["documents"]
H = "t:teiHeader/"


def _doc(doc_id: str) -> etree._Element:
    return etree.parse(str(ROOT / "corpus" / "tei" / f"{doc_id}.xml")).getroot()


def _party(el: etree._Element) -> str:
    return el.get("ref") or " ".join("".join(el.itertext()).split())


def _parties(root, action: str) -> list[str]:
    path = H + f"t:profileDesc/t:correspDesc/t:correspAction[@type='{action}']/*"
    return sorted(_party(el) for el in root.iterfind(path, NS) if el.tag.endswith(("persName", "orgName")))


_INLINE = {"hi", "persName", "placeName", "orgName", "roleName", "rs", "name", "date", "num", "choice",
           "sic", "corr", "reg", "orig", "abbr", "expan", "supplied", "unclear", "ref", "ptr",
           "seg", "foreign", "term", "idno", "add", "del", "gap"}


def _words(root) -> list[str]:
    """The words of <text> as a reader sees them: block elements and line or page breaks
    (without @break='no') separate words, inline elements do not."""
    parts: list[str] = []

    def walk(el):
        name = etree.QName(el).localname
        if name in ("lb", "pb", "cb"):
            parts.append("" if el.get("break") == "no" else " ")
        block = name not in _INLINE
        parts.append(" " if block else "")
        parts.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        parts.append(" " if block else "")

    walk(root.find("t:text", NS))
    return "".join(parts).split()


@pytest.mark.parametrize("exp", EXPECTED, ids=lambda e: e["id"])
def test_header_fields(exp):
    root = _doc(exp["id"])
    cited = root.find(H + "t:fileDesc/t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange", NS)
    assert [int(cited.get("from")), int(cited.get("to"))] == exp["lines"]
    assert root.find(H + "t:profileDesc/t:textClass/t:catRef", NS).get("target") == "#" + exp["type"]
    date = root.find(H + "t:profileDesc/t:creation/t:date", NS)
    assert {k: date.get(k) for k in exp["date"]} == exp["date"]
    terms = root.iterfind(H + "t:profileDesc/t:textClass/t:keywords[@scheme='#classification']/t:term", NS)
    assert sorted(t.text for t in terms) == sorted(exp["classification"])
    if "senders" in exp:
        assert _parties(root, "sent") == sorted(exp["senders"])
    if "addressees" in exp:
        assert _parties(root, "received") == sorted(exp["addressees"])
    if "participants" in exp:
        present = {el.get("ref") for el in root.iterfind(H + "t:profileDesc/t:particDesc//*[@ref]", NS)}
        assert set(exp["participants"]) <= present


@pytest.mark.parametrize("exp", EXPECTED, ids=lambda e: e["id"])
def test_text_starts_and_ends_as_printed(exp):
    words = _words(_doc(exp["id"]))
    first, last = exp["first_words"].split(), exp["last_words"].split()
    assert words[: len(first)] == first
    assert words[-len(last):] == last
