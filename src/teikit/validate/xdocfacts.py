"""What the cross-document checks read of one file, as small plain values.

`facts(tree) -> Facts` collects what teikit.validate.crossdoc and the duplicate-id check ask
of a file: its own xml:ids, the values of its own attributes that could be pointers, its
prefix definitions, its root's name, id and line, its teikit id, and what a teiCorpus
including it reads of it (`Deep`: prefixDefs, xi:includes, xml:base, catRef and keywords).
For a file that includes nothing this is two XPath calls and one tag-filtered iteration,
selected in C, with no Python work per element; the values are picklable, so a worker
process that parsed the file may hand them back (crossdoc.Around.facts).

"Own" is teikit.validate.owntree's: the elements of a teiCorpus validated with its
XIncludes expanded that are not inside an included subtree (an element below the root
that carries xml:base). A tree holding such subtrees has its own elements walked, and
what it holds inside them is read from each subtree's content (`owntree.member_content`:
the member's own tree where the subtree stands for it), so that it is what the fully
expanded tree holds, as the checks read it before they were computed from facts.

Exactness: `ids` are exactly the values own_with(root, xml:id) gives. `values` holds every
value of an own `@ref`, `@sameAs`, `@target` or `@corresp` that contains ':' or '.xml' (a
pointer with neither can neither expand by a prefixDef nor name an XML file, so no check
can fail on it): a check over `values` that finds nothing wrong proves the file has no
finding; one that finds a suspect value runs the element-by-element check of that file
(crossdoc), whose findings are the only ones reported. `prefixes` are the prefixDefs
`descendant::t:encodingDesc/t:listPrefixDef/t:prefixDef` selects from the root, in
document order (teikit.validate.pointers.prefixes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from teikit.core import ahead
from teikit.core.names import TEI_NS, XI_NS, XML_NS
from teikit.validate.owntree import member_content, memo, root_of, teikit_id

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_BASE = f"{{{XML_NS}}}base"
PREFIX_DEF, LIST_PREFIX_DEF = f"{{{TEI_NS}}}prefixDef", f"{{{TEI_NS}}}listPrefixDef"
ENCODING_DESC = f"{{{TEI_NS}}}encodingDesc"
CAT_REF, KEYWORDS, TERM = f"{{{TEI_NS}}}catRef", f"{{{TEI_NS}}}keywords", f"{{{TEI_NS}}}term"
XI_INCLUDE = f"{{{XI_NS}}}include"
POINTER_ATTRIBUTES = ("ref", "sameAs", "target", "corresp")  # those crossdoc's checks read


@dataclass(frozen=True)
class Deep:
    """What a subtree holds, for a container that includes it (all of it, included
    subtrees too; the subtree's root `R` itself only where it says so)."""

    prefix_defs: tuple  # (place, ident, matchPattern, replacementPattern), document order; place:
    # "root" (R is the prefixDef), "child" (R is a listPrefixDef, its parent), "grandchild"
    # (R is an encodingDesc, its grandparent), "deep" (parent listPrefixDef, grandparent an
    # encodingDesc below R): whether it counts depends on R's place only for "root" and "child"
    includes: tuple  # href of each xi:include below R
    bases: tuple  # xml:base of each element below R that has one, document order
    cat_refs: tuple  # (target, scheme, line) of each catRef below R
    keywords: tuple  # (scheme, line, ((term text, line), ...)) of each keywords below R
    tokens: frozenset  # the '#'-pointers of those catRef/@target, catRef/@scheme, keywords/@scheme, '#' left out
    classes: frozenset  # 'cls-' + the text of each term of a keywords[@scheme='#classification']


@dataclass(frozen=True)
class Facts:
    """One file's facts for the cross-document checks (see the module's docstring)."""

    tag: str  # the root's Clark name
    xml_id: str | None  # the root's xml:id
    line: int | None  # the root's line
    teikit_id: str | None  # idno[@type='teikit'] (owntree.teikit_id)
    ids: frozenset  # the own elements' xml:ids
    values: frozenset  # own attribute values that may be pointers (a superset: see above)
    prefixes: tuple  # (ident, matchPattern, replacementPattern) of each prefixDef, in order
    bases: tuple  # xml:base of each element below the root that has one, in document order
    includes: tuple  # href of each xi:include below the root (included subtrees too)
    deep: Deep | None  # what a container including this file reads of it (None: see deep_of)


_XML_ATTRIBUTES = etree.XPath("descendant-or-self::*/@xml:*")  # with names (smart strings): ids, bases
_VALUES = etree.XPath("descendant-or-self::*/@*", smart_strings=False)  # every attribute's value
_BASES = etree.XPath("descendant::*/@xml:base", smart_strings=False)


def may_point(value: str) -> bool:
    """Could a check of a pointer fail on this value? (a `prefix:key` or a `file.xml`)"""
    return ":" in value or ".xml" in value


def facts(tree) -> Facts:
    """The facts of a tree (an ElementTree or element), computed once per tree while an
    owntree.one_pass() session lasts (or taken from those computed ahead: facts_ahead)."""
    root = root_of(tree)
    return memo("facts", root, lambda: ahead.facts(root) or _facts(root))


def facts_ahead(tree) -> None:
    """The facts of a tree parsed ahead of the validation (teikit.core.ahead: a process
    with time to spare before its run), computed now and held for the validation's own
    facts() of that very tree. Only for a tree that holds no xi:include element: the
    validator changes no other tree (it expands those that include, teikit.validate.
    validator's `including`; it only reads the others, the members of a teiCorpus too: a stub
    stands for a member without changing it, a copy is a copy), and RELAX NG and XSLT change
    nothing the facts read. So the facts held are those the validation computes."""
    root = root_of(tree)
    if root.find(f".//{XI_INCLUDE}") is None:
        ahead.hold_facts(root, _facts(root))


def _facts(root) -> Facts:
    if root.getparent() is None and not any(child.get(XML_BASE) is not None for child in root):
        xml_attributes = _XML_ATTRIBUTES(root)
        if not any(a.attrname == XML_BASE for a in xml_attributes):  # no included subtree: all is own
            deep, definitions = _deep(root, bases=())
            ids = [str(a) for a in xml_attributes if a.attrname == XML_ID]
            return _make(root, ids, _pointer_values(root, xml_attributes, definitions),
                         tuple(d[1:] for d in deep.prefix_defs if d[0] == "deep"), (), deep.includes, deep)
    return _composed(root)


def _pointer_values(root, xml_attributes, definitions) -> set:
    """The distinct values of the tree's attributes that may point, less those all of whose
    occurrences are in an xml: attribute or a prefixDef's ident, matchPattern or
    replacementPattern (none of which a check reads): a superset of the values of @ref,
    @sameAs, @target and @corresp that may point, from one XPath call."""
    values = [v for v in _VALUES(root) if ":" in v or ".xml" in v]
    distinct = set(values)
    others = [str(a) for a in xml_attributes] + definitions
    for value in distinct.intersection(others):
        if values.count(value) == others.count(value):
            distinct.discard(value)
    return distinct


def _make(root, ids, values, prefixes, bases, includes, deep) -> Facts:
    return Facts(tag=root.tag, xml_id=root.get(XML_ID), line=root.sourceline, teikit_id=teikit_id(root),
                 ids=frozenset(ids), values=frozenset(values), prefixes=prefixes, bases=bases,
                 includes=includes, deep=deep)


def deep_of(el) -> Deep:
    """What the subtree of `el` holds (Deep), read by one tag-filtered iteration (or from
    the facts of the file whose root it is)."""
    if el.getparent() is None:
        found = facts(el).deep
        if found is not None:
            return found
    return memo("deep", el, lambda: _deep(el, bases=None)[0])


def _deep(root, bases) -> tuple[Deep, list]:
    """(Deep of `root`, the ident, matchPattern and replacementPattern values of every
    prefixDef in it)."""
    prefix_defs, includes, cat_refs, keywords, definitions = [], [], [], [], []
    for el in root.iter(PREFIX_DEF, XI_INCLUDE, CAT_REF, KEYWORDS):
        tag = el.tag
        if tag == PREFIX_DEF:
            definition = _definition(el)
            definitions += [v for v in definition if v is not None]
            parent = el.getparent()
            if el is root:
                prefix_defs.append(("root", *definition))
            elif parent is root:
                if root.tag == LIST_PREFIX_DEF:
                    prefix_defs.append(("child", *definition))
            elif parent.tag == LIST_PREFIX_DEF:
                grand = parent.getparent()
                if grand.tag == ENCODING_DESC:
                    prefix_defs.append(("grandchild" if grand is root else "deep", *definition))
        elif el is root:
            continue
        elif tag == XI_INCLUDE:
            includes.append(el.get("href"))
        elif tag == CAT_REF:
            cat_refs.append((el.get("target"), el.get("scheme"), el.sourceline))
        else:
            keywords.append((el.get("scheme"), el.sourceline,
                             tuple((t.text, t.sourceline) for t in el if t.tag == TERM)))
    pointers = [v for target, scheme, _ in cat_refs for v in (target, scheme)] + [k[0] for k in keywords]
    tokens = frozenset(t[1:] for v in pointers if v for t in v.split() if t.startswith("#"))
    classes = frozenset(f"cls-{text}" for scheme, _, terms in keywords if scheme == "#classification"
                        for text, _ in terms)
    return Deep(tuple(prefix_defs), tuple(includes), tuple(_BASES(root)) if bases is None else bases,
                tuple(cat_refs), tuple(keywords), tokens, classes), definitions


def _definition(pd) -> tuple:
    return pd.get("ident"), pd.get("matchPattern"), pd.get("replacementPattern")


def _composed(root) -> Facts:
    """The facts of a tree holding included subtrees: its own elements walked (as
    owntree._own_walk), each included subtree read from its content (Deep) at its place."""
    ids, values, prefixes, bases, includes = [], set(), [], [], []
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent() if el is not root else None
        if el is not root and el.get(XML_BASE) is not None:  # an included subtree
            bases.append(el.get(XML_BASE))
            if el.tag == XI_INCLUDE:
                includes.append(el.get("href"))
            deep = deep_of(member_content(el))
            grand = parent.getparent() if parent is not root else None
            for place, *definition in deep.prefix_defs:
                if place == "root":
                    counts = (el.tag == PREFIX_DEF and parent.tag == LIST_PREFIX_DEF and grand is not None
                              and grand is not root and grand.tag == ENCODING_DESC)
                elif place == "child":
                    counts = el.tag == LIST_PREFIX_DEF and parent is not root and parent.tag == ENCODING_DESC
                else:
                    counts = True
                if counts:
                    prefixes.append(tuple(definition))
            includes += deep.includes
            bases += deep.bases
            continue
        value = el.get(XML_ID)
        if value is not None:
            ids.append(value)
        values.update(v for v in map(el.get, POINTER_ATTRIBUTES) if v is not None and may_point(v))
        if el.tag == XI_INCLUDE and el is not root:
            includes.append(el.get("href"))
        elif el.tag == PREFIX_DEF and parent is not None and parent is not root and parent.tag == LIST_PREFIX_DEF:
            grand = parent.getparent()
            if grand is not root and grand.tag == ENCODING_DESC:
                prefixes.append(_definition(el))
        stack.extend(reversed(el))
    return _make(root, ids, values, tuple(prefixes), tuple(bases), tuple(includes), None)


_COMPILED: dict = {}


def compiled_prefixes(defs: tuple) -> dict:
    """{ident: (compiled matchPattern, replacementPattern)} of prefixDefs as Facts.prefixes
    holds them, as teikit.validate.pointers.prefixes reads them from the tree (a later
    definition of an ident wins; one whose pattern does not compile is left out)."""
    if defs not in _COMPILED:
        out = {}
        for ident, match, replacement in defs:
            try:
                out[ident] = (re.compile(match or "(.*)"), replacement or "")
            except re.error:
                continue
        _COMPILED[defs] = out
    return _COMPILED[defs]
