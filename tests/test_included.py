"""A teiCorpus is validated with its members reduced to one stand-in: same verdicts as the
whole expanded tree, each member's errors reported in the member's own file."""

from __future__ import annotations

import pytest
from lxml import etree

from teikit.validate import included
from teikit import resources
from teikit.validation import validate_paths
from teikit.disk import Disk

from .conftest import TEI_ALL, need_shared

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def verdicts(folder, schema, monkeypatch=None, reduce=True):
    if not reduce:
        monkeypatch.setattr(included, "plan_reductions", lambda trees, schema_of, containers=None, **kw: {})
    report = validate_paths([folder], schema=schema, cross_document=False)
    return {f.path.rsplit("/", 1)[-1]: sorted({i.code for i in f.issues if i.severity == "error"}) for f in report.files}


def break_member(path):
    tree = etree.parse(str(path))
    head = tree.find(".//t:text//t:head", NS)
    head.getparent().remove(head)
    body_div = tree.find(".//t:text/t:body/t:div", NS)
    etree.SubElement(body_div, "{http://www.tei-c.org/ns/1.0}bogus")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_single_definition_of_the_member_element():
    schema = str(resources.schema_dir() / "teikit.rng")
    assert included.single_definition(schema, "http://www.tei-c.org/ns/1.0", "TEI", Disk())
    assert not included.single_definition(schema, "http://www.tei-c.org/ns/1.0", "no-such-element", Disk())


@pytest.mark.parametrize("schema_name", ["teikit", "tei_all"])
def test_reduced_and_full_checks_agree(tei, monkeypatch, schema_name):
    schema = resources.schema_dir() / "teikit.rng" if schema_name == "teikit" else need_shared() and TEI_ALL
    good = verdicts(tei, schema)
    assert good["corpus.xml"] == []
    break_member(tei / "bdl-1945-03-14.xml")
    reduced = verdicts(tei, schema)
    assert reduced["corpus.xml"] == ["rng:included-invalid"]
    assert reduced["bdl-1945-03-14.xml"] != []
    full = verdicts(tei, schema, monkeypatch, reduce=False)
    assert (full["corpus.xml"] != []) and (reduced["corpus.xml"] != [])  # the same verdict: invalid
    assert {k: v for k, v in full.items() if k != "corpus.xml"} == {k: v for k, v in reduced.items() if k != "corpus.xml"}


def test_an_invalid_stand_in_falls_back_to_the_whole_tree(tei):
    schema = resources.schema_dir() / "teikit.rng"
    trees = {}
    from teikit.core import xmlsafe
    from teikit.core import xinclude

    for p in sorted(tei.glob("*.xml")):
        tree, _ = xmlsafe.parse_file(str(p), Disk())
        xinclude.expand(tree, str(p), files=Disk())
        trees[str(p)] = tree
    plan = included.plan_reductions(trees, {p: str(schema) for p in trees}, files=Disk())
    (_tree, stub, replaced) = plan[str(tei / "corpus.xml")]
    assert len(replaced) == 8 and stub in replaced
    tree = etree.parse(stub)
    tree.find(".//t:title", NS).tag = "{http://www.tei-c.org/ns/1.0}bogus"  # same size: still the stand-in
    tree.write(stub, xml_declaration=True, encoding="UTF-8")
    result = verdicts(tei, schema)
    assert result["corpus.xml"] != [] and "rng:included-invalid" not in result["corpus.xml"]


def test_the_stand_in_is_the_member_with_fewest_elements_path_breaking_ties():
    """included._smallest counts a member only as far as the smallest so far: the same choice as
    min(found, key=(count(descendant-or-self::*), path)), comments and PIs not counted."""
    from lxml import etree as et

    def el(xml):
        return et.fromstring(xml)

    cases = [
        [(el("<a><b/><c/></a>"), "x.xml"), (el("<a><b/></a>"), "y.xml"), (el("<a><!--1--><?p?><b/></a>"), "w.xml")],
        [(el("<a><b/></a>"), "z.xml"), (el("<a><c/></a>"), "m.xml"), (el("<a><b><c/></b></a>"), "a.xml")],
        [(el("<a/>"), "b.xml"), (el("<a/>"), "b.xml")],
    ]
    for found in cases:
        expected = min(found, key=lambda f: (int(f[0].xpath("count(descendant-or-self::*)")), f[1]))
        chosen = included._smallest(found, {})
        assert chosen[1] == expected[1] and chosen[0] is expected[0]
    stub, member = el("<a/>"), el("<a><b/><b/><b/></a>")  # a stub counts as its member's content
    assert included._smallest([(stub, "s.xml"), (el("<a><b/></a>"), "t.xml")], {stub: member})[1] == "t.xml"
