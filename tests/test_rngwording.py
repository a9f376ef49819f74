"""The words of an rng:datatype finding do not depend on the order its patterns were found in
(the reviewer's P1: 'it must be one of ...' listed the values in another order from run to
run: its patterns are collected from frozensets, whose order is that of their addresses): they
are taken in the order of their ids, the order this process compiled them in."""

from __future__ import annotations

import itertools

from teikit.validate.rngmodel import XSD_LIB, Patterns
from teikit.validate.rngwording import describe_choice


def _values(patterns: Patterns, words):
    return [patterns.value(XSD_LIB, "token", w) for w in words]


def test_the_values_allowed_are_listed_in_the_order_compiled_however_given():
    words = ["document", "titlePage", "contents", "backMatter", "chapters"]
    patterns = Patterns()
    made = _values(patterns, words)
    said = {describe_choice(list(order)) for order in itertools.permutations(made)}
    assert said == {"one of 'document', 'titlePage', 'contents', 'backMatter' or 'chapters'"}


def test_two_attribute_choices_are_listed_in_the_order_compiled_however_given():
    """Two patterns of one attribute (the finding's `matching`), each a choice of values, and
    a value beside a data type: given in either order, the same words."""
    patterns = Patterns()
    a = patterns.choices(_values(patterns, ["part", "chapter"]))
    b = patterns.choices(_values(patterns, ["article", "section"]))
    assert describe_choice([b, a]) == describe_choice([a, b]) == "one of 'part', 'chapter', 'article' or 'section'"
    date, unknown = patterns.data(XSD_LIB, "date", (), None), patterns.value(XSD_LIB, "token", "unknown")
    assert describe_choice([unknown, date]) == describe_choice([date, unknown]) == "an XML Schema date or 'unknown'"
