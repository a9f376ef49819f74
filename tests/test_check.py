"""The no-text-lost check: its word alignment finds what is missing, and only that."""

import pytest
from lxml import etree

from teikit.convert import check

TEI = "http://www.tei-c.org/ns/1.0"


def _tree(text: str):
    return etree.fromstring(f'<TEI xmlns="{TEI}"><text><body><p>{text}</p></body></text></TEI>')


def test_every_word_in_order_is_found_even_among_added_words():
    src = "the envoy of the republic to the commissar".split()
    out = "label the envoy note 1 of the republic to the the commissar".split()
    assert check.align(src, out) == []


def test_a_dropped_word_is_lost_and_its_neighbours_are_not():
    src = "one two three four five six seven eight nine ten".split()
    out = "one two three five six seven eight nine ten".split()
    assert check.align(src, out) == [3]


def test_a_dropped_passage_of_common_words_is_reported_where_it_was():
    src = ("the treaty of the year " + "and the of the " * 3 + "signed at moscow by the parties").split()
    out = "the treaty of the year signed at moscow by the parties".split()
    lost = check.align(src, out)
    assert lost and all(5 <= i < 17 for i in lost)


def test_words_out_of_order_are_lost():
    assert check.align(["a", "b"], ["b"]) == [0]
    assert check.align(["x", "y", "z"], ["z", "y", "x"]) != []


def test_check_reports_the_source_line_of_a_lost_word():
    lines = ["Heading", "", "The envoy was received in Moscow.", "", "He left on Monday."]
    tree = _tree("Heading The envoy was received in Moscow. He left.")
    result = check.check(lines, [("a.xml", 1, 5, tree)])
    assert not result.ok
    assert [(lost.file, lost.line, lost.words) for lost in result.lost] == [("a.xml", 5, "on monday")]
    assert result.matched_words == result.source_words - 2


def test_ascii_words_are_the_words_the_pattern_finds():
    """check._ascii_words (str.translate and str.split) gives the words _WORD finds, lowered,
    and idmap.passage_key the words \\W+ separates, on every ASCII line of the bundled source
    and on random ASCII text (every character, runs of spaces and punctuation)."""
    import random
    import re
    from pathlib import Path

    from teikit.convert import check, idmap

    root = Path(__file__).resolve().parents[1]
    lines = [ln for path in sorted((root / "corpus" / "source").glob("*.md"))
             for ln in path.read_text(encoding="utf-8").split("\n") if ln.isascii()]
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)] + list("aZ9_ -.,") * 8
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(3000)]
    assert len(lines) > 5000
    for text in lines:
        assert check._ascii_words(text) == [w.lower() for w in check._WORD.findall(text)], text
        words = re.sub(r"\W+", " ", text.lower()).strip()
        assert idmap.passage_key((1, 2), text) == f"1-2:{idmap.hashlib.sha1(words.encode()).hexdigest()[:10]}", text


def _text_of(el, parts: list[str]) -> None:
    """The text check.tei_words reads, as a walk of the tree: a space at every element
    boundary but those of the inline names; a comment or processing instruction a boundary
    whose text is not read."""
    inline = {f"{{http://www.tei-c.org/ns/1.0}}{n}" for n in ("persName", "placeName", "orgName")}
    if el.text:
        parts.append(el.text)
    for child in el:
        glue = "" if child.tag in inline else " "
        parts.append(glue)
        if isinstance(child.tag, str):
            _text_of(child, parts)
        parts.append(glue)
        if child.tail:
            parts.append(child.tail)


def test_the_text_read_has_the_words_of_a_walk_of_the_tree():
    """check._spaced_text (libxslt) separates words where the walk of the tree does: on every
    TEI file a conversion of the bundled corpus writes (text and header), and on a tree with
    names inside words, comments, processing instructions, tails and non-ASCII text."""
    from pathlib import Path

    from lxml import etree

    from teikit.convert import check
    from teikit.pipeline import convert_text, render
    from teikit.projectinputs import load_config, read_registry
    from teikit.project import Project

    root = Path(__file__).resolve().parents[1]
    config = load_config(root / "corpus" / "source" / "corpus.json")
    source = root / "corpus" / "source" / config["source"]["file"]
    registry = read_registry(Project(root / "corpus").registry_dir(config))
    comp, _, _ = convert_text(source.read_text(encoding="utf-8"), source.name, config, {}, registry=registry)
    trees = [tree for _data, tree, _a, _b in render(comp, config, "2024-01-01").values() if tree is not None]
    trees.append(etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p>the <placeName>black sea</placeName>ports'
        '<!-- a note -->next<?pi x?>word <hi>bold<persName>Mo<hi>lo</hi>tov</persName></hi>’s'
        ' Ørsted<orgName>x</orgName>y<lb/>z <supplied>a<placeName>b</placeName></supplied>c</p></text></TEI>'))
    # a file edited by hand (`teikit check` reads corpus/tei as it is) with an internal entity
    # holding markup: the parser expands it, so no entity reference node reaches tei_words;
    # an entity it does not expand is an error, never a node
    from teikit.core import xmlsafe

    doctype = '<!DOCTYPE TEI [<!ENTITY int "in<hi>ter</hi>nal"><!ENTITY ext SYSTEM "e.xml">]>'
    trees.append(etree.fromstring(f'{doctype}<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p>ab &int;ly'
                                  f'<placeName>x</placeName>&int;</p></text></TEI>'.encode(), xmlsafe.make_parser()))
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(f'{doctype}<TEI><text><p>ab&ext;cd</p></text></TEI>'.encode(), xmlsafe.make_parser())
    assert len(trees) > 180
    for tree in trees:
        for el in (e for e in (tree, tree.find(f"{{{check.TEI_NS}}}text")) if e is not None):
            parts: list[str] = []
            _text_of(el, parts)
            assert str(check._spaced_text()(el)).split() == "".join(parts).split()
    assert check.tei_words(trees[-1]) == ["ab", "in", "ter", "nallyxin", "ter", "nal"]
    assert check.tei_words(trees[-2]) == ["the", "black", "seaports", "next", "word", "boldmo", "lo", "tov", "s",
                                          "ørstedxy", "z", "ab", "c"]
