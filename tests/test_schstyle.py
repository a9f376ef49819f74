"""XPath 1.0 Schematron run as one XSLT stylesheet (validate/schstyle.py) gives exactly the
findings of the Python runner: codes, messages, lines, order, warnings."""

import re

from lxml import etree

from teikit.validate import schematron, schrun, schtypes
from teikit.validate.schcompile import compile_tree

SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="t" uri="urn:t"/>
  <let name="all" value="count(//t:a)"/>
  <pattern id="first-rule-wins">
    <rule context="t:a[@x]"><assert id="x-num" test="number(@x) = number(@x)">@x <value-of select="@x"/> is no number</assert></rule>
    <rule context="t:a"><report id="no-x" test="true()">a without @x (<value-of select="$all"/> a)</report></rule>
  </pattern>
  <pattern id="lets">
    <rule context="t:a">
      <let name="bad" value="(@x | @y)[. = '']"/>
      <let name="n" value="t:b"/>
      <assert id="empty-attr" test="not($bad)">empty @<value-of select="name($bad[1])"/></assert>
      <assert id="has-b" test="$n or @y">no b in <name/></assert>
      <assert id="unique" test="count(//t:a[@id = current()/@id]) &lt;= 1">id <value-of select="@id"/> twice</assert>
    </rule>
  </pattern>
  <pattern id="attrs">
    <rule context="@y"><assert id="y-short" test="string-length(.) &lt; 3">@y too long: <value-of select="."/></assert></rule>
  </pattern>
</schema>"""

DOC = """<r xmlns="urn:t">
  <a x="1" id="p"><b/></a>
  <a x="q" y="" id="p"/>
  <a y="long"/>
  <a x=""><b/></a>
</r>"""


def _schema(text=SCH):
    return compile_tree(etree.ElementTree(etree.fromstring(text)))


def _both(schema, doc=DOC):
    tree = etree.fromstring(doc).getroottree()
    fast = schrun.evaluate(schema, tree, "f.xml")
    slow = schrun.evaluate_in_python(schema, tree, "f.xml")
    return ([(f.issue, schematron.location(f.node) if f.node is not None else None) for f in fast],
            [(f.issue, schematron.location(f.node) if f.node is not None else None) for f in slow])


def test_stylesheet_findings_equal_the_python_runner():
    schema = _schema()
    assert schrun.stylesheet(schema) is not None  # this schema runs as a stylesheet
    fast, slow = _both(schema)
    assert fast == slow
    codes = [i.code for i, _ in fast]
    assert codes.count("sch:no-x") == 1 and "sch:x-num" in codes  # the first rule takes a node
    assert codes.count("sch:unique") == 2 and codes.count("sch:y-short") == 1


def test_a_run_time_failure_falls_back_to_the_python_runner_and_its_warning():
    schema = _schema(SCH.replace('test="$n or @y"', 'test="$n/@z = 1 or count($all) = 1"'))
    fast, slow = _both(schema)
    assert fast == slow
    assert any(i.code == "sch:unsupported" for i, _ in fast)


def test_what_the_stylesheet_cannot_say_stays_with_the_python_runner():
    on_attribute = SCH.replace('<rule context="@y">', '<rule context="@y"><let name="o" value="name()"/>')
    position = SCH.replace('test="$n or @y"', 'test="position() = 1"')  # lxml: no context position
    for text in (on_attribute, position):
        schema = _schema(text)
        assert schrun.stylesheet(schema) is None
        fast, slow = _both(schema)
        assert fast == slow


def test_kinds_of_xpath_values():
    assert schtypes.kind("t:b", {}) == schtypes.ELEMENTS
    assert schtypes.kind("(@x | @y)[. = '']", {}) == schtypes.UNKNOWN
    assert schtypes.kind("count(//a) * 2", {}) == schtypes.ATOMIC
    assert schtypes.kind("concat(@a, 'b')", {}) == schtypes.STRING
    assert schtypes.kind("$v/b | c", {"v": schtypes.ELEMENTS}) == schtypes.ELEMENTS
    assert schtypes.kind("a/text()", {}) == schtypes.UNKNOWN
    assert schtypes.kind("a div b", {}) == schtypes.ATOMIC  # div as an operator
    assert schtypes.kind("div", {}) == schtypes.ELEMENTS  # div as an element name


def test_what_libxslt_has_and_the_runner_has_not_stays_with_the_runner():
    """A function of XSLT (generate-id, key, document...) behind a short-circuit, a document
    let that reads its context, position() in a let: the stylesheet gives what the runner gives
    (found by a review: they differed)."""
    cases = [
        '<pattern><rule context="t:a"><report id="g" test="@id and generate-id(.) != \'\'">g</report></rule></pattern>',
        '<pattern><rule context="t:a"><report id="k" test="@never and key(\'x\', \'y\')">k</report></rule></pattern>',
        '<let name="d" value="name()"/><pattern><rule context="t:a"><report id="d" test="$d = \'r\'">d</report></rule></pattern>',
        '<let name="c" value="count(t:a)"/><pattern><rule context="t:a"><report id="c" test="$c = 4">c</report></rule></pattern>',
        '<pattern><let name="p" value="position()"/><rule context="t:a"><report id="p" test="$p = 1">p</report></rule></pattern>',
    ]
    for body in cases:
        schema = _schema('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
                         f'<ns prefix="t" uri="urn:t"/>{body}</schema>')
        fast, slow = _both(schema)
        assert fast == slow, body


# --- the stylesheet's cheaper rewrites (validate/schrewrite.py, schkeys.py) -------------------

from teikit.validate import schrewrite, schstyle  # noqa: E402

REWRITES = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="t" uri="urn:t"/>
  <let name="two" value="2"/>
  <pattern id="attribute-contexts">
    <rule context="t:a[@x or @y][t:b]"><report id="xy-b" test="true()">a with @x or @y and b</report></rule>
    <rule context="t:r//t:a[@x]"><report id="rel-x" test="true()">a with @x (second rule)</report></rule>
  </pattern>
  <pattern id="positional">
    <rule context="t:a[@x][2]"><report id="second-x" test="true()">second a with @x among its siblings</report></rule>
    <rule context="t:a[$two]"><report id="second" test="true()">second a (a number variable is a position)</report></rule>
    <rule context="t:a[position() = 1][@y]"><report id="first-y" test="true()">first a, with @y</report></rule>
  </pattern>
  <pattern id="outside-base">
    <rule context="t:a[not(ancestor-or-self::*[@base])]">
      <report id="own" test="@x">own a <value-of select="@x"/></report>
    </rule>
    <rule context="t:c[not(ancestor::*[@base = $two])]"><report id="own-c" test="true()">c</report></rule>
  </pattern>
  <pattern id="strings">
    <rule context="t:a[@x]">
      <let name="bad" value="(@x | @y)[. = '' or . = 'q']"/>
      <let name="also" value="(@x | @y)[. = 'q']"/>
      <assert id="only-letters" test="translate(@x, 'ABCDEFabcdef0123', '') = ''">@x <value-of select="@x"/></assert>
      <assert id="mapped" test="translate(@x, 'ba', 'xy') != 'xy'">@x maps to xy</assert>
      <assert id="no-bad" test="not($bad) and string-length($also) &lt; 5">bad <value-of select="name($bad[1])"/></assert>
      <report id="bad-compared" test="$also != 'z'">@x or @y compared: <value-of select="$also"/></report>
      <assert id="unique" test="count(//t:a[@x = current()/@x]) = 1">@x <value-of select="@x"/> twice</assert>
    </rule>
  </pattern>
  <pattern id="attributes">
    <rule context="@y"><report id="y" test=". = ''">empty @y on <value-of select="name(..)"/></report></rule>
  </pattern>
</schema>"""

REWRITE_DOCS = [
    """<r xmlns="urn:t"><a x="ab"><b/></a><a x="q"/><a y=""><b/></a><a x="ab" y="q"/><c/>
         <d><a y="1"/><a x="Z9"/><c/></d></r>""",
    """<r xmlns="urn:t" base="elsewhere"><a x="a"/><a x="b"/><c/></r>""",  # nothing is own
    """<r xmlns="urn:t"><d base="2"><a x="1"/><c/></d><a x="1"/><a x="ba"/><c/></r>""",  # part is own
]


def test_the_rewritten_stylesheet_gives_the_python_runners_findings():
    """Every rewrite, on documents where it applies and where it must not (positions, a
    variable, an @base subtree that does or does not exist, a let compared as a node-set)."""
    schema = _schema(REWRITES)
    assert schrun.stylesheet(schema) is not None
    for doc in REWRITE_DOCS:
        fast, slow = _both(schema, doc)
        assert fast == slow, doc
    codes = [i.code for i, _ in _both(schema, REWRITE_DOCS[0])[0]]
    assert {"sch:xy-b", "sch:rel-x", "sch:second-x", "sch:second", "sch:first-y", "sch:own",
            "sch:own-c", "sch:only-letters", "sch:no-bad", "sch:bad-compared", "sch:unique", "sch:y"} <= set(codes)
    assert "sch:own" not in [i.code for i, _ in _both(schema, REWRITE_DOCS[1])[0]]


def test_what_the_stylesheet_says_for_each_rewrite():
    root, _slots = schstyle._Writer(_schema(REWRITES)).write()
    text = etree.tostring(root).decode()
    assert "($w/@x | $w/@y)/parent::t:a[t:b]" in text  # attribute context, the walk shared
    assert 'name="w" select="/descendant::*"' in text and text.count("/descendant::*\"") == 1
    assert "//t:r/descendant::*/@x/parent::t:a" in text  # after a path: one attribute only
    assert "//t:a[@x][2]" in text and "//t:a[$v1]" in text and "//t:a[position() = 1][@y]" in text
    assert "not($w/@base/parent::*)" in text  # the per-document absence test
    assert "not(ancestor::*[@base = $v1])" in text and "or not(ancestor::*[@base = $v1]" not in text
    assert "'abcdef0123ABCDEF'" in text and "'ba', 'xy'" in text  # only an empty replacement
    assert "string((@x | @y)[. = '' or . = 'q'])" in text  # only tested: no callback
    assert "teikit-fn:let((@x | @y)[. = 'q'])" in text  # compared as a node-set: the runner's value
    assert 'match="t:a/@x" use="."' in text and "key('k1', current()/@x)/.." in text


def test_rewrites_leave_what_they_cannot_prove_alone():
    assert schrewrite.descendants("//a[@x]") == "/descendant::a[@x]"
    for kept in ("//a[1]", "//a[last()]", "//a[@x][1]", "//a[$n]", "//a[count(b)]", "//text()[. = 'x']",
                 "//@a[. = 'x']", "//child::a[@x]", "//a"):
        assert schrewrite.descendants(kept) == kept, kept
    assert schrewrite.context("//a[@x][b]") == "/descendant::*/@x/parent::a[b]"
    assert schrewrite.context("//a[@x or @y]") == "(/descendant::*/@x | /descendant::*/@y)/parent::a"
    assert schrewrite.context("//p//a[@x or @y]") == "//p/descendant::a[@x or @y]"  # two attributes after a path
    assert schrewrite.context("//a[@x][2]") == "//a[@x][2]"
    assert schrewrite.translate_sets("translate(., 'BAba', '')") == "translate(., 'baBA', '')"
    assert schrewrite.translate_sets("translate(., 'BAba', 'x')") == "translate(., 'BAba', 'x')"
    declared = []
    hoisted = schrewrite.hoist_absent("not(ancestor::*[@b])", lambda s: declared.append(s) or "h1")
    assert hoisted == "($h1 or not(ancestor::*[@b]))" and declared == ["/descendant::*/@b/parent::*"]
    walk = lambda: "w"  # noqa: E731
    assert schrewrite.shared_walk("(/descendant::*/@x | /descendant::*/@y)/parent::a", walk) == "($w/@x | $w/@y)/parent::a"
    assert schrewrite.shared_walk("a[/descendant::*/@x = 1]", walk) == "a[$w/@x = 1]"
    for kept in ("b/descendant::*/@x", "//descendant::*/@x", "/descendant::a/@x", "/descendant::*[1]/@x",
                 "$v/descendant::*/@x", "/descendant::*", "'/descendant::*/@x'"):
        assert schrewrite.shared_walk(kept, walk) == kept, kept
    for kept in ("not(ancestor::*[@b = $v])", "not(ancestor::*[1])", "not(ancestor::*[@b]/c)",
                 "not(ancestor::*[@b = current()/@b])", "not(ancestor::*)"):
        assert schrewrite.hoist_absent(kept, lambda s: "h1") == kept, kept


def test_lexing_a_source_again_gives_the_same_fresh_tokens():
    source = "count(//t:a[@id = current()/@id]) * 2 and $n or 'x y'"
    first = schtypes.spans(source)
    assert [t[:2] for t in first] == schtypes.tokens(source)
    assert [source[s:e] for _k, _t, s, e in first] == [t for _k, t, _s, _e in first]
    assert ("operator", "*") in schtypes.tokens(source) and ("operator", "and") in schtypes.tokens(source)
    first.clear()  # a caller's list is its own: the kept lexing is not changed through it
    assert schtypes.spans(source) and schtypes.spans(source) == schtypes.spans(source)
    for unreadable in ("a # b", "a ~", "{x}"):
        assert schtypes.spans(unreadable) is None and schtypes.tokens(unreadable) is None


def test_load_compiles_the_stylesheet_that_a_forked_worker_then_uses(tmp_path):
    import multiprocessing

    from teikit.disk import Disk
    path = tmp_path / "s.sch"
    path.write_text(SCH, encoding="utf-8")
    schema = schematron.load(path, Disk())
    sheet = schema.__dict__.get("_stylesheet")
    assert sheet is not None and sheet is schrun.stylesheet(schema)  # compiled by load(), kept
    here = _both(schema)
    _KEPT["schema"] = schema  # a forked child has it (and its compiled stylesheet) as it is here
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            there = pool.apply(_both_of_kept)
    finally:
        _KEPT.clear()
    assert here == there and here[0] == here[1]


_KEPT: dict = {}


def _both_of_kept():
    return _both(_KEPT["schema"])


ANCESTORS = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="t" uri="urn:t"/>
  <pattern id="declared">
    <rule context="t:*[@p]">
      <let name="p" value="string(@p)"/>
      <let name="b" value="@p = 'x'"/>
      <assert id="declared" test="ancestor::*/t:h/t:d[@i = $p] and true()">@p <value-of select="$p"/> undeclared</assert>
      <assert id="literal" test="not(ancestor::*/t:h/t:d[@i = 'x'])">an x above <name/></assert>
      <report id="any-header" test="ancestor::*/t:h or false()">a header above <name/></report>
      <report id="two-headers" test="count(ancestor::*/t:h) = 2">two headers above <name/></report>
      <report id="first-d" test="string(ancestor::*/t:h/t:d/@i) = $p">first d is <value-of select="$p"/></report>
      <report id="positional" test="ancestor::*/t:h/t:d[2] or false()">a second d above <name/></report>
      <report id="boolean" test="ancestor::*/t:h/t:d[@i = $b] and true()">a d with @i = boolean</report>
    </rule>
  </pattern>
  <pattern id="on-attributes">
    <rule context="@p"><report id="attr-x" test="ancestor::*/t:h/t:d[@i = 'x']">x above @p of <value-of select="name(..)"/></report></rule>
  </pattern>
</schema>"""

ANCESTOR_DOCS = [  # the headers: children of the root (the fast path), deeper, or the root itself
    """<r xmlns="urn:t" p="x"><h><d i="x"/><d i="z"/></h><e p="x"/><g><e p="y"/><e p="z"><f p="x"/></e></g></r>""",
    """<r xmlns="urn:t" p="x"><h><d i="x"/></h><g><h><d i="y"/><d/></h><e p="y"/><e p="x"/></g><e p="y"/></r>""",
    """<h xmlns="urn:t" p="x"><d i="x"/><h><d i="y"/></h><e p="x"/><e p="y"/></h>""",
    """<r xmlns="urn:t" p="x"><e p="x"/><!-- no header --></r>""",
]


def test_ancestor_children_rewrite_gives_the_python_runners_findings():
    """`ancestor::*/h/...` as a truth value reads the document element's h children when
    every h is one (the first and last documents), and runs as written otherwise."""
    schema = _schema(ANCESTORS)
    root, _slots = schstyle._Writer(schema).write()
    text = etree.tostring(root).decode()
    assert "and parent::* and $h" in text and 'select="/*/t:h/t:d/@i"' in text  # the attributes compared, once
    assert re.search(r"parent::\* and \$h\d+ = \$v1\)", text) and re.search(r"parent::\* and \$h\d+ = 'x'\)", text)
    assert "count(ancestor::*/t:h)" in text and "string(ancestor::*/t:h/t:d/@i)" in text  # values: as written
    assert "(ancestor::*/t:h/t:d[2] or" in text and "ancestor::*/t:h/t:d[@i = $v2] and" in text
    seen = set()
    for doc in ANCESTOR_DOCS:
        fast, slow = _both(schema, doc)
        assert fast == slow, doc
        seen |= {i.code for i, _ in fast}
    assert {"sch:declared", "sch:literal", "sch:any-header", "sch:two-headers", "sch:first-d",
            "sch:positional", "sch:attr-x", "sch:boolean"} <= seen


def test_ancestor_children_leaves_alone_what_it_cannot_prove():
    declared = []
    declare = lambda select: declared.append(select) or f"h{len(declared)}"  # noqa: E731
    out = schrewrite.ancestor_children("not(ancestor::*/a/b[@i = $s])", {"s": schtypes.STRING}, declare)
    assert out == "not((($h1 and parent::* and $h2 = $s) or (not($h1) and ancestor::*/a/b[@i = $s])))"
    assert declared == ["not(/descendant::a[not(parent::*) or ../parent::*])", "/*/a/b/@i"]
    assert schrewrite.ancestor_children("ancestor::*/a/b or x", {}, declare) == \
        "(($h3 and parent::* and $h4) or (not($h3) and ancestor::*/a/b)) or x"
    assert declared[2:] == ["not(/descendant::a[not(parent::*) or ../parent::*])", "/*/a/b"]
    for kept in ("count(ancestor::*/a)", "ancestor::*/a", "string(ancestor::*/a/b) and x", "ancestor::*/a/@b and x",
                 "ancestor::*/a[1] and x", "ancestor::*/a[@i = $n] and x", "ancestor::*/a[@i = .] and x",
                 "ancestor::*/*/b and x", "x/ancestor::*/a and y", "ancestor::*[1]/a and x",
                 "ancestor::*/a/b = 'q' and x", "ancestor::*/a[@i = $s][2] and x", "ancestor::*/text() and x"):
        assert schrewrite.ancestor_children(kept, {"s": schtypes.STRING, "n": schtypes.ATOMIC}, declare) == kept, kept


INLINED = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="t" uri="urn:t"/>
  <pattern id="once">
    <rule context="t:a">
      <let name="x" value="string(@x)"/>
      <let name="first" value="concat('|', $x, '|')"/>
      <let name="chained" value="contains('|1|2|', $first)"/>
      <let name="later" value="substring-before(concat(local-name(), ':'), ':')"/>
      <let name="path" value="t:b/@y"/>
      <let name="twice" value="string-length($x)"/>
      <let name="inside" value="string(@x)"/>
      <let name="fails" value="count($x)"/>
      <assert id="listed" test="$chained">@x <value-of select="$x"/> not listed</assert>
      <report id="safe-late" test="$x = 'q' or $later = 'b'">safe let after or</report>
      <report id="unsafe-late" test="$x = 'never' or $path = '1'">path let after or</report>
      <report id="two" test="$twice &gt; 1 and $twice &lt; 3">two characters</report>
      <report id="in-predicate" test="t:b[@y = $inside]">a b with @y = @x</report>
      <report id="failing" test="$x = 'z' and $fails = 1">fails when read</report>
    </rule>
  </pattern>
</schema>"""


def test_lets_used_once_are_written_into_their_use_where_that_is_exact():
    schema = _schema(INLINED)
    docs = ['<r xmlns="urn:t"><a x="1"><b y="1"/></a><a x="qq"/><a/><a x="z"><b y="1"/></a></r>',
            '<r xmlns="urn:t"><a x="2"/><a x="12"><b y="12"/></a></r>',
            '<r xmlns="urn:t"><a x="1"/></r>']  # nothing fires: a let that fails unread must still fail
    for doc in docs:
        fast, slow = _both(schema, doc)
        assert fast == slow, doc
    root, _slots = schstyle._Writer(schema).write()
    text = etree.tostring(root).decode()
    names = [v.get("name") for v in root.iter(f"{{{schstyle.XSL}}}variable")]
    # first into chained, chained into its test; later (cannot fail) after an or
    assert "contains('|1|2|', (concat('|', $v1, '|')))" in text and "$v3" not in text and "$v4" not in text
    assert "v2" not in names and "v3" not in names and "v4" not in names
    # kept: a path read after an or, a let read twice, one read in a predicate, one that fails
    assert {"v1", "v5", "v6", "v7", "v8"} <= set(names)
    codes = [i.code for i, _ in _both(schema, docs[0])[0]]
    assert "sch:unsupported" in codes  # count() of a string: the runner's warning, as before
    assert {"sch:listed", "sch:two", "sch:in-predicate"} <= set(_codes(schema, docs[1]))
    assert _codes(schema, docs[2]) == ["sch:unsupported"]


def _codes(schema, doc):
    return [i.code for i, _ in _both(schema, doc)[0]]


def test_inline_once_leaves_alone_what_it_cannot_prove():
    assert schrewrite.inline_once("v", "string(@a)", ["$v = 'x'"]) == (0, "(string(@a)) = 'x'")
    assert schrewrite.inline_once("v", "a/@b", ["x or $v"]) is None  # read after an or: may not run
    assert schrewrite.inline_once("v", "string(@a)", ["x or $v"]) == (0, "x or (string(@a))")
    assert schrewrite.inline_once("v", "string(@a)", ["f(x or y, $v)"]) == (0, "f(x or y, (string(@a)))")
    for texts in (["$v = 1", "$v"], ["b[@c = $v]"], ["$v1 = 1"], ["$w"], ["'$v'"]):
        assert schrewrite.inline_once("v", "string(@a)", texts) is None, texts
    assert schrewrite.cannot_fail("concat(substring(@a, 1, 2), local-name(), $v) != 'x' and not(.)")
    for failing in ("count($v)", "$v/a", "@a | @b", "a[1]", "concat(@a)", "contains(@a)", "name(..)",
                    "substring(@a)", "key('k', 1)", "teikit-fn:let(@a)", "text()"):
        assert not schrewrite.cannot_fail(failing), failing


def test_a_rewrite_skips_its_token_scan_only_where_the_source_cannot_hold_its_construct(monkeypatch):
    """translate_sets, descendants, hoist_absent and schkeys.rewrite lex a source only when it
    spells what they rewrite ("translate", "//", "ancestor"): without those characters the
    source comes back as it is, as the scan would give it; with them (even inside a literal
    only) the scan runs and decides."""
    from teikit.validate import schkeys

    scanned = []
    real = schkeys._spans
    monkeypatch.setattr(schrewrite, "_spans", lambda s: scanned.append(s) or real(s))
    monkeypatch.setattr(schkeys, "_spans", lambda s: scanned.append(s) or real(s))
    plain = "@a = 'x' and count(b/c) > 1"
    rewrites = [schrewrite.translate_sets, schrewrite.descendants,
                lambda s: schrewrite.hoist_absent(s, lambda select: "h"),
                lambda s: schkeys.rewrite(s, {}, lambda step, attr: "k")]
    assert [f(plain) for f in rewrites] == [plain] * 4 and scanned == []
    in_literal = "@a = 'translate // ancestor'"
    assert [f(in_literal) for f in rewrites] == [in_literal] * 4 and len(scanned) == 4
    assert schrewrite.translate_sets("translate(., 'BAb', '')") == "translate(., 'bBA', '')"
    assert schrewrite.descendants("//x[@a]") == "/descendant::x[@a]"
    assert schrewrite.hoist_absent("not(ancestor::x[@b])", lambda select: "h") == "($h or not(ancestor::x[@b]))"
    assert schkeys.rewrite("count(//x[@id = 'v'])", {}, lambda step, attr: "k") == "count(key('k', 'v')/..)"


SHARED_SCANS = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="t" uri="urn:t"/>
  <let name="n" value="count(//t:a)"/>
  <pattern id="scans">
    <rule context="t:a[t:b]"><report id="ab" test="true()">a with b, of <value-of select="$n"/></report></rule>
    <rule context="t:c"><report id="c" test="count(//t:a) &gt; 1">c among several a</report></rule>
  </pattern>
  <pattern id="positions">
    <rule context="t:d"><report id="second-a" test="(//t:a)[2]/@x = 'q'">the second a has x=q</report></rule>
  </pattern>
</schema>"""


def test_a_scan_that_begins_several_once_per_document_expressions_is_made_once():
    root, _slots = schstyle._Writer(_schema(SHARED_SCANS)).write()
    text = etree.tostring(root).decode()
    assert text.count('select="/descendant::t:a"') == 1 and 'name="d1"' in text
    assert 'select="count($d1)"' in text and 'select="$d1[t:b]"' in text
    assert "count(//t:a) &gt; 1" in text and "(//t:a)[2]" in text  # tests run per node: left as they are
    schema = _schema(SHARED_SCANS)
    for doc in REWRITE_DOCS:
        fast, slow = _both(schema, doc)
        assert fast == slow, doc
    assert {"sch:ab", "sch:c", "sch:second-a"} <= {i.code for i, _ in _both(schema, REWRITE_DOCS[0])[0]} | {
        i.code for doc in REWRITE_DOCS for i, _ in _both(schema, doc)[0]}


def test_absolute_scans_are_the_first_steps_that_walk_the_document_for_one_name():
    assert schrewrite.absolute_scans("/descendant::a[1]") == [(0, 14, "a")]
    assert schrewrite.absolute_scans("(//t:a | /descendant::t:*)/c") == [(1, 6, "t:a"), (9, 25, "t:*")]
    for none in ("//a[1]", "b//a", "$v/descendant::a", "/descendant::*", "/descendant::node()", "'//a'",
                 "/descendant-or-self::a", "/a", "//@a", "//child::a"):
        assert schrewrite.absolute_scans(none) == [], none
    assert schrewrite.share_scans("(//a)[2] | /descendant::b[1]/c", {"a": "d1", "b": "d2"}.get) == "($d1)[2] | $d2[1]/c"
    assert schrewrite.share_scans("//a | //b", {"a": "d1"}.get) == "$d1 | //b"
