"""A teiCorpus whose members the same run validates is checked from its own nodes and stubs
of its members (teikit.validate.containers, stubs, memberlocal): the report is the one of
the fully expanded tree, member findings and fall-backs included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from teikit import resources
from teikit.validate import memberlocal, schematron, stubs
from teikit.validation import validate_paths
from teikit.disk import Disk

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus" / "tei"
T = "http://www.tei-c.org/ns/1.0"
SCH = resources.schema_dir() / "teikit.sch"
RNG = resources.schema_dir() / "teikit.rng"
MEMBERS = ["sfp-front.xml", "sfp-1919-04-21.xml", "sfp-1919-08-28.xml", "sfp-1940-11-19.xml", "places.xml"]


def small_corpus(tmp_path: Path, members=MEMBERS, after="") -> Path:
    """corpus.xml with a few of the bundled members (and `after`: the container's own
    elements after them), beside a copy of schema/."""
    shutil.copytree(resources.schema_dir(), tmp_path / "schema")
    tei = tmp_path / "corpus" / "tei"
    tei.mkdir(parents=True)
    for name in members:
        shutil.copy(BUNDLED / name, tei / name)
    text = (BUNDLED / "corpus.xml").read_text(encoding="utf-8")
    head, _, _ = text.partition("  <xi:include")
    includes = "".join(f'  <xi:include href="{m}"/>\n' for m in members)
    (tei / "corpus.xml").write_text(head + includes + after + "</teiCorpus>\n", encoding="utf-8")
    return tei


def edit(path: Path, old: str, new: str, count: int = 1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def report_of(paths, **options):
    report = validate_paths([str(p) for p in paths], cache=False, **options)
    return [(f.path, f.issues, f.layers, f.schema) for f in report.files], report


def both(monkeypatch, paths, **options):
    """(report with stubs, report of the full expansion as before, how each container's
    Schematron was had: "stubs" or "full")."""
    used = []
    real = stubs.schematron_findings

    def spy(*args, **kw):
        found = real(*args, **kw)
        used.append("stubs" if found is not None else "full")
        return found

    with monkeypatch.context() as m:
        m.setattr(stubs, "schematron_findings", spy)
        shortcut, _ = report_of(paths, **options)
    with monkeypatch.context() as m:
        m.setattr(stubs, "can_stub", lambda root, **_: False)  # every member XIncluded in full, as before
        full, _ = report_of(paths, **options)
    return shortcut, full, used


def corpus_issues(rows, name="corpus.xml"):
    return next(r[1] for r in rows if r[0].endswith(name))


# --- the proof --------------------------------------------------------------------------------

def analysis(sch_text: str | None = None, path=SCH):
    if sch_text is not None:
        path = Path(path)
        path.write_text(sch_text, encoding="utf-8")
    schema = schematron.load(str(path), Disk())
    return schema, memberlocal.analyse(schema, frozenset({(T, "teiCorpus")}), frozenset({(T, "TEI")}),
                                       (T, "teiCorpus"))


def test_teikit_sch_is_proved_with_its_guarded_rules_outside_only():
    schema, proof = analysis()
    assert proof is not None
    ids = {pattern.id: {r for (p, r) in proof.local if p == i} for i, pattern in enumerate(schema.patterns)}
    # id-unique, id-form and the pointer rules are guarded by not(ancestor-or-self::*[@xml:base])
    assert ids["p-ids"] == ids["p-id-form"] == ids["p-refs"] == set()
    assert ids["p-dates"] == {0, 1} and ids["p-doctype"] == {0} and ids["p-date-inference"] == {0}
    # they count ids with //: R keeps every member element's xml:id
    assert proof.demands == {memberlocal.Demand(T, None, frozenset({(memberlocal.XML_NS, "id")}),
                                                frozenset({(memberlocal.XML_NS, "id")}))}


SCH_TEMPLATE = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="p"><rule context="{context}"><assert id="x" test="{test}">no</assert></rule></pattern>
</schema>"""


@pytest.mark.parametrize("context, test", [
    ("tei:p", "not(preceding::tei:p)"),  # leaves the member
    ("tei:p", "ancestor::*[1]"),  # teiCorpus is an ancestor
    ("tei:p", "count(//tei:p) &gt; 0"),  # the whole document
    ("tei:p", "not(id('x'))"),
    ("tei:TEI", "not(@xml:base)"),  # what XInclude adds
    ("tei:TEI", "not(@*[2])"),
    ("tei:TEI", "not(preceding-sibling::tei:TEI)"),
    ("tei:teiCorpus/tei:TEI", "true()"),  # the pattern climbs out of the member
    ("tei:p[1]", "true()"),  # a position among the member root's siblings, in the pattern
    ("tei:teiCorpus", "string-length(.) &gt; 0"),  # the string value of a container holding members
    ("tei:teiCorpus", "tei:TEI/tei:teiHeader"),  # into a member root's children
    ("tei:teiCorpus", "count(//tei:p[1]) &gt; 0"),  # a position inside member content
    ("tei:teiCorpus", "//tei:p = 'x'"),  # the string of member content
    ("tei:teiCorpus", "count(//tei:p[string(.) = 'x']) = 0"),
    ("tei:teiCorpus", "lang('en')"),
    ("tei:p[. = current()]", "true()"),  # current() in a context is the root element, not the node
    ("tei:title | tei:TEI[not(ancestor-or-self::*[@xml:base])]", "true()"),  # member-local | outside-only
])
def test_rules_that_reach_outside_a_member_are_not_proved(tmp_path, context, test):
    _schema, proof = analysis(SCH_TEMPLATE.format(binding="xslt", context=context, test=test), tmp_path / "x.sch")
    assert proof is None


@pytest.mark.parametrize("context, test", [
    ("tei:p", "not(ancestor::tei:div[1]/@type = 'x') and count(tei:hi) &lt; 3"),
    ("tei:TEI", "tei:teiHeader/tei:fileDesc and starts-with(@xml:id, 'x')"),
    ("tei:*[not(ancestor-or-self::*[@xml:base])]", "count(//tei:*[@n = current()/@n]) = 1"),
    ("/tei:TEI", "count(//tei:p) &gt; 0"),  # the container's root is not TEI: nowhere in F
    ("tei:teiCorpus", "count(tei:TEI[@xml:id = 'x']) = 0 and name(tei:TEI[1]) = 'TEI'"),
])
def test_member_local_and_outside_only_rules_are_proved(tmp_path, context, test):
    _schema, proof = analysis(SCH_TEMPLATE.format(binding="xslt", context=context, test=test), tmp_path / "x.sch")
    assert proof is not None


def test_xpath2_schemas_are_not_proved(tmp_path):
    _schema, proof = analysis(SCH_TEMPLATE.format(binding="xslt2", context="tei:p", test="true()"), tmp_path / "x.sch")
    assert proof is None


def test_an_outside_only_rule_before_a_member_local_one_is_not_proved(tmp_path):
    text = SCH_TEMPLATE.format(binding="xslt", context="tei:p[not(ancestor-or-self::*[@xml:base])]", test="true()")
    text = text.replace("</rule></pattern>", '</rule><rule context="tei:p"><assert test="false()">q</assert></rule></pattern>')
    _schema, proof = analysis(text, tmp_path / "x.sch")
    assert proof is None


# --- the same report ----------------------------------------------------------------------------

@pytest.mark.parametrize("explicit", [True, False])
def test_bundled_corpus_same_report_with_stubs(monkeypatch, explicit):
    options = {"schema": RNG, "schematrons": [SCH]} if explicit else {}
    shortcut, full, used = both(monkeypatch, [BUNDLED], **options)
    assert shortcut == full
    assert used == (["stubs"] if explicit else [])  # no options: corpus.xml names no Schematron
    if explicit:  # a member's warning is reported inside corpus.xml too, at the member's line
        assert [i.code for i in corpus_issues(shortcut)] == ["sch:corresp-for-letters"]


def test_known_valid_members_with_their_findings(monkeypatch):
    """The build's case: the members' own layers are known (with their warnings), one edited."""
    files = sorted(str(p) for p in BUNDLED.glob("*.xml"))
    first, report = report_of([BUNDLED], schema=RNG, schematrons=[SCH])
    own = {f.path: [i for i in f.issues if i.layer in ("rng", "sch")] for f in report.files}
    known = {p: own[p] for p in files if not p.endswith(("corpus.xml", "sfp-1919-04-21.xml"))}
    shortcut, full, used = both(monkeypatch, [BUNDLED], schema=RNG, schematrons=[SCH], known_valid=known)
    assert shortcut == full == first and used == ["stubs"]


def test_invalid_members_same_report(tmp_path, monkeypatch):
    tei = small_corpus(tmp_path)
    edit(tei / "sfp-1919-04-21.xml", 'when="1919-04-21"', 'when="1919-02-30"')  # sch:date-real, in the member
    edit(tei / "sfp-front.xml", "<teiHeader>", "<teiHeader><bogus/>")  # rng: an invalid member (not the stand-in)
    text = (tei / "sfp-front.xml").read_text(encoding="utf-8")
    first, second = re.findall(r'<p xml:id="([^"]+)"', text)[:2]
    edit(tei / "sfp-front.xml", f'<p xml:id="{second}"', f'<p xml:id="{first}"')  # a duplicate id
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH])
    assert shortcut == full
    codes = [i.code for i in corpus_issues(shortcut)]
    assert "sch:date-real" in codes and "rng:included-invalid" in codes
    assert "sch:id-unique" not in codes  # outside-only: the member's own file reports it
    assert "sch:id-unique" in [i.code for i in corpus_issues(shortcut, "sfp-front.xml")]
    assert used == ["stubs"]


def test_what_the_bytes_may_hide_is_looked_for_in_the_trees(tmp_path, monkeypatch):
    """The run skips walking a file for xi:include and its members for xml:base when their
    bytes cannot spell them (xmlsafe.literally_absent); where they may not show them (a
    character reference in the XInclude namespace, an xml:base brought by an entity of the
    internal subset), the trees are walked: the report is the one of the full path, and of
    the same files spelt out."""
    walked = []
    real = stubs._HAS_BASE
    monkeypatch.setattr(stubs, "_HAS_BASE", lambda root: walked.append(root) or real(root))
    spelt, hidden = small_corpus(tmp_path / "spelt"), small_corpus(tmp_path / "hidden")
    for tei in (spelt, hidden):
        edit(tei / "sfp-1919-08-28.xml", "<TEI ", "<!DOCTYPE TEI [<!ENTITY b \"<note xml&#58;base='x'>n</note>\">]><TEI ")
        edit(tei / "sfp-1919-08-28.xml", "</p>", "&b;</p>")
    edit(hidden / "corpus.xml", 'xmlns:xi="http://www.w3.org/2001/XInclude"',
         'xmlns:xi="http://www.w3.org/2001/X&#73;nclude"')
    rows, full, _used = both(monkeypatch, [hidden], schema=RNG, schematrons=[SCH])
    assert rows == full
    walked.clear()
    spelt_rows, _report = report_of([spelt], schema=RNG, schematrons=[SCH])
    assert [getattr(r, "tag", None) for r in walked] == [f"{{{T}}}TEI"]  # only the member with a DOCTYPE
    assert str(rows).replace(str(hidden), str(spelt)) == str(spelt_rows)
    assert "xdoc:xinclude" not in str(rows) and any(r[0].endswith("corpus.xml") and r[3] for r in rows)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_container_expanded_beside_the_other_files_gives_the_same_report(tmp_path, monkeypatch, jobs):
    """validator.EXPAND_BESIDE: a container whose grammar is compiled whole is expanded (and
    the cross-document layer run) once the other files' own layers are shared out; its
    findings (XInclude ones among them, in their place), and everyone's, are those of
    expanding it first."""
    from teikit.validate import validator

    tei = small_corpus(tmp_path, after='  <xi:include href="gone.xml"><xi:fallback><p>none</p></xi:fallback></xi:include>\n'
                                        '  <xi:include href="../../outside.xml"/>\n')
    edit(tei / "sfp-1919-04-21.xml", 'when="1919-04-21"', 'when="1919-02-30"')
    edit(tei / "sfp-front.xml", "<teiHeader>", "<teiHeader><bogus/>")
    edit(tei / "corpus.xml", "<teiCorpus", '<?xml-model href="gone.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n<teiCorpus')
    for paths, options in (([tei], {"schema": RNG, "schematrons": [SCH]}), ([tei], {}), ([BUNDLED], {})):
        beside, _ = report_of(paths, jobs=jobs, **options)
        with monkeypatch.context() as m:
            m.setattr(validator, "EXPAND_BESIDE", False)
            first, _ = report_of(paths, jobs=jobs, **options)
        assert beside == first
    small, _ = report_of([tei], jobs=jobs)  # XInclude's own findings are among corpus.xml's, in place
    codes = [i.code for i in corpus_issues(small)]
    assert codes.index("xdoc:xinclude-missing") < codes.index("schema:unavailable")  # where expanding first puts them
    assert {"xdoc:xinclude-not-followed", "rng:included-invalid"} <= set(codes)


def test_an_invalid_stand_in_expands_the_container(tmp_path, monkeypatch):
    tei = small_corpus(tmp_path, members=MEMBERS[:3])
    edit(tei / "sfp-1919-04-21.xml", "<teiHeader>", "<teiHeader><bogus/>")  # the smallest member
    edit(tei / "sfp-1919-08-28.xml", 'when="1919-08-28"', 'when="1919-02-30"')
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH], exact_messages=False)
    assert shortcut == full and used == []
    assert "sch:date-real" in [i.code for i in corpus_issues(shortcut)]


def test_container_nodes_after_members_and_shared_tag_lines(tmp_path, monkeypatch):
    """Own nodes after the members (a TEI written inline in corpus.xml), and a member element
    on the line and with the name of a start tag of corpus.xml left after it: in F the
    locator pairs that member element with corpus.xml's tag (the pairing is simulated)."""
    inline = (BUNDLED / "sfp-1940-11-19.xml").read_text(encoding="utf-8")
    inline = inline[inline.index("<TEI "):].replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
    tei = small_corpus(tmp_path, after=inline)
    container = (tei / "corpus.xml").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(container, 1) if line.startswith("<TEI "))
    date_line = next(n for n, line in enumerate(container, 1) if n > start and "<date " in line)
    member = tei / "sfp-1919-04-21.xml"
    lines = member.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines, 1) if '<date when="' in line)
    assert first < date_line
    lines[first - 1] = re.sub(r'when="[^"]*"', 'when="1919-02-30"', lines[first - 1], count=1)
    lines.insert(first - 1, "\n" * (date_line - first))
    member.write_text("".join(lines), encoding="utf-8")
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH])
    assert shortcut == full
    assert used == ["stubs"]
    issues = corpus_issues(shortcut)
    real = [i for i in issues if i.code == "sch:date-real"]
    assert real and real[0].line == date_line and real[0].col is not None  # paired with corpus.xml's tag
    assert "sch:corresp-for-letters" in [i.code for i in issues]  # the inline TEI's own warning


def test_a_rule_that_reaches_outside_a_member_takes_the_full_path(tmp_path, monkeypatch):
    tei = small_corpus(tmp_path)
    outside = tmp_path / "outside.sch"
    outside.write_text(SCH_TEMPLATE.format(binding="xslt", context="tei:TEI",
                                           test="not(preceding-sibling::tei:TEI[@xml:id = current()/@xml:id])"),
                       encoding="utf-8")
    edit(tei / "sfp-1919-08-28.xml", 'xml:id="sfp-1919-08-28"', 'xml:id="sfp-1919-04-21"')
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH, outside])
    assert shortcut == full and used == []
    assert "sch:x" in [i.code for i in corpus_issues(shortcut)]


def test_a_member_validated_against_another_schema_is_included_in_full(tmp_path, monkeypatch):
    tei = small_corpus(tmp_path)
    edit(tei / "corpus.xml", "<teiCorpus ", '<?xml-model href="../../schema/teikit.sch" type="application/xml"'
         ' schematypens="http://purl.oclc.org/dsdl/schematron"?>\n<teiCorpus ')
    no_sch = tei / "sfp-1919-04-21.xml"  # not checked with teikit.sch on its own
    edit(no_sch, '<?xml-model href="../../schema/teikit.sch"', '<?xml-model href="../../schema/cmif.sch"')
    edit(no_sch, '<persName ref="pers:', '<persName ref="org:')  # sch:ref-kind
    other_rng = tei / "sfp-1919-08-28.xml"  # another grammar
    edit(other_rng, '<?xml-model href="../../schema/teikit.rng"', '<?xml-model href="../../schema/tei_all.rng"')
    edit(other_rng, '<persName ref="pers:', '<persName ref="org:')
    shortcut, full, used = both(monkeypatch, [tei])
    assert shortcut == full
    assert used == ["stubs"]
    assert [i.code for i in corpus_issues(shortcut)].count("sch:ref-kind") == 2
    assert "sch:ref-kind" not in [i.code for i in corpus_issues(shortcut, "sfp-1919-04-21.xml")]


def test_corpus_xml_alone_stays_exact(monkeypatch):
    shortcut, full, used = both(monkeypatch, [BUNDLED / "corpus.xml"], schema=RNG, schematrons=[SCH])
    assert shortcut == full and used == []
    assert [i.code for i in corpus_issues(shortcut)] == ["sch:corresp-for-letters"]


def test_prefix_definitions_of_members_count_for_the_container(tmp_path, monkeypatch):
    """The cross-document layer reads corpus.xml's prefix table over the whole expansion
    (later definitions win): a member's redefinition is read from its own tree."""
    tei = small_corpus(tmp_path)
    edit(tei / "corpus.xml", "<persName>Svitlana M</persName>", '<persName ref="pers:chicherin">Svitlana M</persName>')
    for name in MEMBERS:
        text = (tei / name).read_text(encoding="utf-8")
        (tei / name).write_text(text.replace('"persons.xml#$1"', '"nowhere.xml#$1"'), encoding="utf-8")
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH], exact_messages=False)
    assert shortcut == full and used == ["stubs"]
    assert any("'nowhere.xml'" in i.message for i in corpus_issues(shortcut) if i.code == "xdoc:ref-registry")


def test_a_member_included_twice(tmp_path, monkeypatch):
    tei = small_corpus(tmp_path, members=MEMBERS + ["sfp-1940-11-19.xml"])
    shortcut, full, used = both(monkeypatch, [tei], schema=RNG, schematrons=[SCH], exact_messages=False)
    assert shortcut == full and used == ["stubs"]
    assert [i.code for i in corpus_issues(shortcut)].count("sch:corresp-for-letters") == 2


# --- blind review 1: six unsound cases, each must agree with the full expansion ---------------

REVIEW_MEMBERS = {
    "corpus.xml": """<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
  <teiHeader><fileDesc><titleStmt><title>C</title></titleStmt></fileDesc></teiHeader>
  <xi:include href="m1.xml"/>
  <xi:include href="m2.xml"/>
  <p xml:id="own1">own</p>
</teiCorpus>
""",
    "m1.xml": """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:a="urn:x" xmlns:b="urn:x" b:foo="1" xml:id="m1" n="one">
  <teiHeader><fileDesc><titleStmt><title>M1</title></titleStmt></fileDesc></teiHeader>
  <text><body><p xml:id="a" n="1">alpha</p><p n="one">beta</p></body></text>
</TEI>
""",
    "m2.xml": """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="m2">
  <teiHeader><fileDesc><titleStmt><title>M2</title></titleStmt></fileDesc></teiHeader>
  <text><body><p xml:id="b">gamma</p></body></text>
</TEI>
""",
}
GUARDED = "tei:teiCorpus[not(ancestor-or-self::*[@xml:base])]"


def review_schema(body: str, lets: str = "") -> str:
    return ('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">\n'
            f'  <ns prefix="tei" uri="{T}"/>\n  {lets}\n  <pattern id="p">{body}</pattern>\n</schema>\n')


REVIEW_CASES = {
    # 1. compared with a boolean, a node-set is a boolean: [@n = false()] holds when @n is absent
    "false": (review_schema(f'<rule context="{GUARDED}"><assert id="nonum" test="count(//tei:p[@n = false()])'
                            ' = 1">expected exactly one p without @n</assert></rule>'), ["stubs"], "sch:nonum"),
    # 2. document and pattern lets are evaluated on the root element, not the document node
    "doclet": (review_schema(f'<rule context="{GUARDED}"><assert id="doclet" test="$t != \'\'">no text</assert>'
                             '</rule>', '<let name="t" value="string(tei:TEI)"/>'), [], None),
    "patlet": (review_schema(f'<let name="t" value="count(tei:TEI/tei:text)"/><rule context="{GUARDED}">'
                             '<assert id="patlet" test="$t = 2">members without text: <value-of select="$t"/>'
                             '</assert></rule>'), [], None),
    # 3. a let not proved (here one whose type depends on the data) makes the schema not proved
    "letfail": (review_schema(f'<rule context="{GUARDED}"><assert id="ok" test="tei:teiHeader">no header</assert>'
                              '</rule>', '<let name="v" value="descendant::tei:p[ancestor::tei:teiCorpus]/@n"/>'
                              '<let name="w" value="count($v)"/>'), [], "sch:unsupported"),
    # 4. two prefixes for the namespace of a root attribute: m1 is included in full, m2 stubbed
    "attrname": (review_schema(f'<rule context="{GUARDED}"><report id="an" test="tei:TEI/@*[local-name() = \'foo\']">'
                               'attr name: <value-of select="name(tei:TEI/@*[local-name() = \'foo\'])"/></report>'
                               '</rule>'), ["stubs"], "sch:an"),
    # 5. current() in a rule context is the document's root element
    "curpat": (review_schema('<rule context="tei:p[@n = current()/@n]"><report id="cur" test="true()">same @n'
                             '</report></rule>'), [], None),
    "curpat2": (review_schema('<rule context="tei:teiHeader[not(ancestor-or-self::*[@xml:base])]'
                              '[contains(current(), \'alpha\')]"><report id="cur2" test="true()">alpha</report>'
                              '</rule>'), [], "sch:cur2"),
    # 6. a union of a member-local and an outside-only alternative
    "union": (review_schema('<rule context="tei:title | /tei:TEI"><report id="u" test="true()">matched <name/>'
                            '</report></rule>'), [], "sch:u"),
}


@pytest.mark.parametrize("case", sorted(REVIEW_CASES))
def test_review_cases_same_report_as_the_full_expansion(tmp_path, monkeypatch, case):
    sch_text, path_taken, code = REVIEW_CASES[case]
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))  # no proof kept by another version of the code
    tei = tmp_path / "tei"
    tei.mkdir()
    for name, text in REVIEW_MEMBERS.items():
        (tei / name).write_text(text, encoding="utf-8")
    sch = tmp_path / f"{case}.sch"
    sch.write_text(sch_text, encoding="utf-8")
    shortcut, full, used = both(monkeypatch, [tei], schema="none", schematrons=[sch])
    assert shortcut == full
    assert used == path_taken  # ["stubs"]: still proved; []: not proved, the full path
    codes = [i.code for i in corpus_issues(full)]
    assert (code in codes) if code else codes == []
    if case == "attrname":
        assert [i.message for i in corpus_issues(full)] == ["attr name: b:foo"]


@pytest.mark.parametrize("pred, required", [
    ("@n = false()", set()),  # a node-set compared with a boolean is a boolean: holds without @n
    ("@n != true()", set()),
    ("not(@m) = @n", set()),
    ("@n = 'x'", {("", "n")}),
    ("@n = current()/@n", {("", "n")}),
])
def test_a_demand_requires_an_attribute_only_against_a_string_or_node_set(tmp_path, pred, required):
    test = f"count(//tei:p[{pred}]) = 1"
    _schema, proof = analysis(SCH_TEMPLATE.format(binding="xslt", context=GUARDED, test=test), tmp_path / "x.sch")
    assert [set(d.required) for d in proof.demands] == [required]


def test_document_and_pattern_lets_are_proved_from_the_root_element(tmp_path):
    text = SCH_TEMPLATE.format(binding="xslt", context=GUARDED, test="$h = 1 and $k = 0")
    text = text.replace('<pattern id="p">', '<let name="h" value="count(tei:teiHeader)"/><pattern id="p">'
                        '<let name="k" value="count(tei:teiCorpus)"/>')
    _schema, proof = analysis(text, tmp_path / "x.sch")
    assert proof is not None  # teiHeader and teiCorpus: children of the root, the container's own


def test_the_stub_locator_takes_from_a_member_what_a_name_test_takes():
    """StubLocator pairs, inside a member, the elements whose name() (prefix:local as in the
    member's tree) is the name of a start tag left after its cursor: selected in C by local
    name in any namespace, then by the whole name, in document order, as the XPath
    `descendant-or-self::*[name() = ...]` selects them (another prefix, none, another
    namespace with the same prefix: none of these is taken for another's name)."""
    from lxml import etree

    member = etree.fromstring(
        '<TEI xmlns="urn:t" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:y="urn:y">'
        '<include/><xi:include href="a"/><y:include/><p><xi:include href="b"/>'
        '<include xmlns:xi="urn:other"><xi:include/></include></p><date/><y:date/><TEI/></TEI>')
    source = '<teiCorpus>\n<xi:include href="a"/><date/><TEI/><include/>\n</teiCorpus>'

    class Files:
        def read(self, _path):
            return source.encode()

    container = etree.ElementTree(etree.fromstring(source.replace("<teiCorpus>", '<teiCorpus xmlns:xi="u">')))
    for cursor in range(5):
        locator = stubs.StubLocator("c.xml", container, Files(), {})
        locator._cursor = cursor
        names = {name for (name, _line), at in locator._at.items() if at[-1] >= cursor}
        test = " or ".join(f"name() = '{n}'" for n in sorted(names))
        expected = member.xpath(f"descendant-or-self::*[{test}]") if names else []
        taken = []
        locator._pair = taken.append
        locator._member(member)
        assert taken == expected
        assert [n.tag for n in taken].count("{http://www.w3.org/2001/XInclude}include") == (2 if "xi:include" in names else 0)
