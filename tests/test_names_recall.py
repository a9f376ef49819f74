"""Names the scanner finds beyond exact variants (issue 14 §4, recall follow-up): folded
diacritics, lower-case names of several words and their compounds, every text-bearing block,
restorations, and short or garbled forms of a person the same document has named. Small
invented inputs only."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from teikit.convert import check, mentions
from teikit.convert.model import Block, Document, Inline
from teikit.convert.registry import Registry, known
from teikit.projectinputs import read_registry


def _registry(tmp_path: Path, vocab: dict) -> Registry:
    persons = [
        {"id": "kemal", "name": "Mustafa Kemal Ataturk", "surname": "Ataturk", "variants": ["Mustafa Kemal", "Ataturk"]},
        {"id": "yusuf", "name": "Yusuf Kemal", "surname": "Tengirsenk", "variants": []},
        {"id": "kaya", "name": "Sukru Kaya", "surname": "Kaya", "variants": ["Shukru Kaya"]},
        {"id": "majid", "name": "Abdul Majid", "surname": "Majid", "variants": []},
        {"id": "ivanov", "name": "Pavel Ivanov", "surname": "Ivanov", "variants": ["Ivanov"]},
        {"id": "george", "name": "David Lloyd George", "surname": "Lloyd George", "variants": ["Lloyd George"]},
    ]
    places = [{"id": "black-sea", "name": "Black Sea", "type": "region", "variants": ["the Black Sea"]},
              {"id": "union", "name": "Soviet Union", "type": "country", "variants": ["the Union"]},
              {"id": "rome", "name": "Rome", "type": "settlement", "variants": []}]
    orgs = [{"id": "league", "name": "League of Nations", "type": "international", "variants": []},
            {"id": "archive", "name": "Foreign Policy Archive", "type": "archive", "variants": ["FPA"]}]
    folder = tmp_path / "reg"
    folder.mkdir(parents=True)
    for kind, entries in (("persons", persons), ("places", places), ("orgs", orgs)):
        (folder / f"{kind}.json").write_text(json.dumps({"kind": kind, "entries": entries}), "utf-8")
    base = {"stopWords": ["the", "black", "sea", "union", "of", "said", "then", "was"], "titles": ["the"]}
    (folder / "vocabulary.json").write_text(json.dumps({**base, **vocab}), "utf-8")
    return read_registry(folder)


def _tags(reg: Registry, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], e_.id) for s, e, e_ in reg.find_names(text)]


def _doc(*blocks: tuple[str, list[Inline]]) -> Document:
    return Document(1, 1, 9, "heading", blocks=[Block(k, (i + 1, i + 1), content) for i, (k, content) in enumerate(blocks)])


def _names(doc: Document) -> list[tuple[str, str, str]]:
    return [(b.kind, r.text, r.ref) for b in doc.blocks for r in b.content if r.ref]


def test_diacritics_are_folded_in_the_text_as_in_the_registry(tmp_path):
    reg = _registry(tmp_path, {})
    assert _tags(reg, "Then Atatürk said so.") == [("Atatürk", "kemal")]  # the registry has only "Ataturk"


def test_a_lower_case_name_of_several_words_is_a_name_even_of_common_words(tmp_path):
    reg = _registry(tmp_path, {})
    text = "ships of the black sea and the league of nations"
    assert _tags(reg, text) == [("the black sea", "black-sea"), ("league of nations", "league")]
    # a leading article is not a word: "the union" is one common word in lower case
    assert _tags(reg, "the union project and the Union") == [("the Union", "union")]


def test_a_name_of_several_words_run_into_a_compound(tmp_path):
    reg = _registry(tmp_path, {"compoundTails": ["ports"]})
    assert _tags(reg, "ships left the black seaports") == [("the black sea", "black-sea")]
    assert _tags(reg, "ships left Romeports") == []  # one word is never the first part of a compound
    assert _tags(_registry(tmp_path / "b", {}), "ships left the black seaports") == []


def test_a_name_as_a_compound_loses_no_word(tmp_path):
    tree = etree.fromstring('<text xmlns="http://www.tei-c.org/ns/1.0"><p>the <placeName>black sea</placeName>ports'
                            '</p><p>next</p></text>')
    assert check.tei_words(tree.getroottree().getroot(), with_header=True) == ["the", "black", "seaports", "next"]


def test_every_text_bearing_block_is_scanned(tmp_path):
    reg = _registry(tmp_path, {})
    doc = _doc(("distribution", [Inline("text", "Sent to comrade Ivanov")]),
               ("archive", [Inline("text", "FPA, f. 5, op. 2")]),
               ("publication", [Inline("text", "Printed in the League of Nations bulletin")]))
    mentions.tag_document(doc, reg)
    assert _names(doc) == [("distribution", "Ivanov", "pers:ivanov"), ("archive", "FPA", "org:archive"),
                           ("publication", "League of Nations", "org:league")]


def test_a_restoration_that_is_a_whole_name_holds_the_name(tmp_path):
    reg = _registry(tmp_path, {})
    doc = _doc(("signed", [Inline("supplied", "Ivanov")]), ("p", [Inline("supplied", "Ivanov and others")]))
    mentions.tag_document(doc, reg)
    assert _names(doc) == [("signed", "Ivanov", "pers:ivanov")]
    assert doc.blocks[0].content[0].kind == "supplied"


def test_the_short_form_of_a_person_named_in_full_in_the_same_document(tmp_path):
    reg = _registry(tmp_path, {})
    named = _doc(("p", [Inline("text", "Mustafa Kemal arrived.")]),
                 ("p", [Inline("text", "Then Kemal said so, and the Jolly Kemal sailed.")]))
    mentions.tag_document(named, reg)
    assert [t for _, t, _ in _names(named)] == ["Mustafa Kemal", "Kemal"]  # not the one beside a capital
    unnamed = _doc(("p", [Inline("text", "Then Kemal said so.")]))
    mentions.tag_document(unnamed, reg)
    assert _names(unnamed) == []
    both = _doc(("p", [Inline("text", "Mustafa Kemal and Yusuf Kemal met.")]), ("p", [Inline("text", "Kemal said so.")]))
    mentions.tag_document(both, reg)
    assert [t for _, t, _ in _names(both)] == ["Mustafa Kemal", "Yusuf Kemal"]  # two persons share it: none


def test_a_garbled_form_only_above_the_threshold_and_only_of_a_person_already_named(tmp_path):
    reg = _registry(tmp_path, {"documentFuzzyThreshold": 85})
    doc = _doc(("p", [Inline("text", "Shukru Kaya came.")]), ("p", [Inline("text", "Then Shukru kai said.")]))
    mentions.tag_document(doc, reg)
    assert [(t, r) for _, t, r in _names(doc)] == [("Shukru Kaya", "pers:kaya"), ("Shukru kai", "pers:kaya")]
    alone = _doc(("p", [Inline("text", "Then Shukru kai said.")]))
    mentions.tag_document(alone, reg)
    assert _names(alone) == []
    persons = [reg.persons["majid"], reg.persons["ivanov"]]
    # a second word with another first letter is not the surname garbled; far forms are not slips
    text = "Abdul said; Ivannov came; Ivanskaya left."
    assert [(text[s:e], p.id) for s, e, p in known.find_known(reg, text, persons, [])] == [("Ivannov", "ivanov")]
    assert known.find_known(_registry(tmp_path / "b", {}), "Ivannov came.", persons, []) == []


def test_a_common_word_names_an_entry_only_where_the_registry_says_and_in_its_period(tmp_path):
    folder = tmp_path / "lc"
    folder.mkdir()
    persons = [{"id": "shah", "name": "Reza Shah", "surname": "Shah", "variants": ["Reza Shah"],
                "lowerCaseNames": [{"form": "the shah", "from": "1925-12", "to": "1941-09"}]}]
    places = [{"id": "straits", "name": "Turkish Straits", "type": "region", "variants": ["Straits"],
               "lowerCaseNames": [{"form": "the straits"}]}]
    for kind, entries in (("persons", persons), ("places", places), ("orgs", [])):
        (folder / f"{kind}.json").write_text(json.dumps({"kind": kind, "entries": entries}), "utf-8")
    (folder / "vocabulary.json").write_text(json.dumps({"stopWords": ["the", "straits", "shah"]}), "utf-8")
    reg = read_registry(folder)
    text = "the shah spoke of the straits, and of dire straits"

    def tags(date):
        return [(text[s:e], e_.id) for s, e, e_ in reg.find_names(text, date)]

    assert tags("1936-05-01") == [("the shah", "shah"), ("the straits", "straits")]
    assert tags("1921-05-01") == [("the straits", "straits")]  # another shah reigned then
    assert tags(None) == []  # an undated text: no period to check
