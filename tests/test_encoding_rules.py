"""Regression tests for the encoding rules of issue 14, each on a small invented input."""

from __future__ import annotations

import json

from teikit.convert import metadata, mentions, structure
from teikit.convert.readers.compilation import read
from teikit.convert.registry import Registry
from teikit.convert.writer import document_tree
from teikit.core.names import TEI_NS
from teikit.projectinputs import read_registry

from .conftest import ROOT, bundled_profile

STRUCTURE = True
REGISTRY = read_registry(ROOT / "data" / "registry")
CONFIG = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text(encoding="utf-8"))


def doc_of(text: str):
    comp = read(text, "t.md", bundled_profile())
    structure.refine_all(comp, REGISTRY.vocab) if STRUCTURE else None
    metadata.extract_all(comp, registry=REGISTRY)
    mentions.tag_all(comp, REGISTRY)
    doc = comp.documents[0]
    doc.doc_id = "t-1"
    return doc


def tei_of(text: str):
    return document_tree(doc_of(text), CONFIG, "2026-01-01")


def xp(tree, path: str):
    return tree.xpath(path, namespaces={"t": TEI_NS})


def test_printed_from_the_archive_is_provenance_not_a_publication():
    tree = tei_of("**Letter of the envoy to the commissar**\n\nMay 3, 1921\n\nThe text of the letter.\n\n"
                  "Pgrint. By arch.\n")
    prov = xp(tree, "//t:sourceDesc/t:msDesc/t:history/t:provenance")
    assert [p.get("type") for p in prov] == ["printed-from-archive"]
    assert xp(tree, "//t:sourceDesc/t:bibl[@type='publication']") == []
    assert xp(tree, "//t:body//t:note[@type='provenance']/text()") == ["Pgrint. By arch."]


def test_a_publication_stays_a_publication():
    tree = tei_of("**Letter of the envoy to the commissar**\n\nMay 3, 1921\n\nThe text of the letter.\n\n"
                  "Publ.: international life. - 1991. - no. 8. - p. 104-105.\n")
    assert xp(tree, "//t:msDesc/t:history") == []
    assert len(xp(tree, "//t:sourceDesc/t:bibl[@type='publication']")) == 1


def test_passage_ids_survive_a_paragraph_read_as_something_else():
    from teikit.convert.idmap import PassageIds, passage_key

    first = PassageIds("d")
    keys = [passage_key((i, i), f"paragraph {i}") for i in range(1, 5)]
    ids = [first.assign("p", k) for k in keys]
    assert ids == ["d-p1", "d-p2", "d-p3", "d-p4"]
    # the second paragraph is now a list item: the others keep their ids, its id is retired
    again = PassageIds("d", first.out)
    assert again.assign("p", keys[0]) == "d-p1"
    item = again.assign("item", passage_key((2, 2), "paragraph 2"))
    assert [again.assign("p", k) for k in keys[2:]] == ["d-p3", "d-p4"]
    assert again.assign("p", passage_key((9, 9), "new text")) == "d-p5"  # never a retired number
    assert again.retired() == {"d-p2": item}


def test_a_classification_mark_in_the_date_line_is_its_own_element():
    tree = tei_of("**Telegram of the envoy to the commissar**\n\nApril 16, 1939 top secret\n\nThe text.\n")
    assert xp(tree, "//t:opener/t:dateline/text()") == ["April 16, 1939"]
    assert xp(tree, "//t:opener/t:seg[@type='classification']/text()") == ["top secret"]


def test_an_office_above_the_name_is_the_signatures_role():
    tree = tei_of("**Letter of the envoy to the commissar**\n\nMay 3, 1921\n\nThe text of the letter, which is "
                  "long enough to be a paragraph of its own.\n\nPlenipotentiary representative of the RSFSR\n\n"
                  "Surits\n\nAvp rf, f. 04, op. 39, p. 232, d. 52987, l. 5.\n")
    signed = xp(tree, "//t:closer/t:signed")[0]
    assert ["".join(r.itertext()) for r in xp(signed, "t:roleName")] == ["Plenipotentiary representative of the RSFSR"]
    assert "".join(signed.itertext()).endswith("Surits")


def test_an_anchor_points_to_the_nearest_following_note_with_its_marker():
    tree = tei_of("**Letter of the envoy to the commissar**\n\nMay 3, 1921\n\nFirst mention \\*.\n\n"
                  "\\* the first note.\n\nThe second mention of it is here, in a sentence of its own \\*.\n\nAnd a last paragraph of text that ends the letter.\n\n\\* the second note.\n")
    targets = xp(tree, "//t:p/t:ref[@type='noteAnchor']/@target")
    notes = xp(tree, "//t:note[@place='foot']/@xml:id")
    assert targets == ["#" + n for n in notes] and len(set(notes)) == 2


LETTER = ("**Letter of the envoy to the commissar**\n\nMay 3, 1921\n\n{body}\n\n"
          "Avp rf, f. 04, op. 39, p. 232, d. 52987, l. 5.\n{after}")


def test_text_after_the_source_line_is_the_compilers_editorial_note():
    tree = tei_of(LETTER.format(body="The text of the letter, long enough to be a paragraph of its own here.",
                                after="\nThe following reply was received to this letter on May 5, 1921:\n\n"
                                      "\"Mr. Envoy,\n\nI thank you for your letter and its kind words.\"\n"))
    note = xp(tree, "//t:div[@type='document']/t:note[@type='editorial']")
    assert len(note) == 1
    assert xp(note[0], "t:p[1]/text()")[0].startswith("The following reply")
    assert len(xp(note[0], "t:quote/t:p")) == 2
    assert not any("following reply" in "".join(p.itertext()) for p in xp(tree, "//t:div[@type='document']/t:p"))


def test_a_closer_starts_at_the_courtesy_formula_and_takes_the_signature():
    tree = tei_of(LETTER.format(body="The text of the letter, long enough to be a paragraph of its own here.\n\n"
                                     "Please accept, Mr. Commissar, the assurances of my highest consideration.\n\n"
                                     "Plenipotentiary representative of the RSFSR in the Turkish republic,\n\n"
                                     "Aralov,", after=""))
    closer = xp(tree, "//t:closer")[0]
    assert xp(closer, "t:salute/text()")[0].startswith("Please accept")
    assert "".join(xp(closer, "t:signed")[0].itertext()).endswith("Aralov,")


def test_a_salutation_is_salute():
    tree = tei_of(LETTER.format(body="Mr. Ambassador,\n\nThe text of the letter, long enough to be a paragraph.",
                                after=""))
    assert xp(tree, "//t:div[@type='document']/t:salute/text()") == ["Mr. Ambassador,"]


def test_numbered_points_are_a_list():
    tree = tei_of(LETTER.format(body="We propose the following.\n\n1. The first point of the proposal here.\n\n"
                                     "2. The second point of the proposal here.\n\nThat is all we propose.",
                                after=""))
    assert xp(tree, "//t:list/t:item/@n") == ["1.", "2."]


def test_treaty_articles_are_divisions_with_a_head():
    text = ("**Treaty between the first state and the second state**\n\nMarch 16, 1921\n\n"
            "The contracting parties have agreed as follows.\n\nArticle I.\n\nThe first article says this much.\n\n"
            "Article II.\n\nThe second article says that.\n\nDone in two copies, in Moscow, with signatures.\n")
    tree = tei_of(text)
    divs = xp(tree, "//t:div[@type='article']")
    assert [xp(d, "string(t:head)") for d in divs] == ["Article I.", "Article II."]
    assert xp(divs[0], "t:p/text()") == ["The first article says this much."]


def test_a_page_break_after_a_comma_joins_the_sentence():
    tree = tei_of(LETTER.format(body="The government of the republic has decided, after long deliberation and consultation,\n\n"
                                     "Turkey being informed, to accept the proposal in full.", after=""))
    ps = ["".join(p.itertext()) for p in xp(tree, "//t:div[@type='document']/t:p")]
    assert any("consultation," in p and "to accept the proposal" in p for p in ps)


def test_the_main_title_names_persons_as_the_registry_does_and_drops_a_leading_date():
    d = doc_of("**November 6, 1920, telegram of the plenipotentiary representative of the RSFSR in Turkey "
               "A. Tereityeva to the commissar**\n\nNovember 6, 1920\n\nThe text of the telegram, long enough.\n")
    assert d.title.startswith("Telegram of the plenipotentiary")
    assert "Tereityeva" not in d.title and d.title.endswith(REGISTRY.persons["terentyev"].name + " to the commissar")
    tree = document_tree(d, CONFIG, "2026-01-01")
    assert "Tereityeva" in xp(tree, "string(//t:titleStmt/t:title[@type='printed'])")
