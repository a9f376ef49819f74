"""The no-text-lost check: its word alignment finds what is missing, and only that."""

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
