"""A teiCorpus validated with stubs in place of the members that are validated on their own.

A stub is what XInclude would have put there with the member's content left out: the
member's root element (same tag, namespace declarations, attributes, and the xml:base
XInclude adds), in the place and with the tail the full copy would have. Below it, only
flat copies of the member elements the container's Schematron rules count
(teikit.validate.memberlocal's demands). `full_copy` gives what XInclude gives; `expand`
turns every stub of a tree back into it.

`schematron_findings` gives the container's Schematron findings as the fully expanded
tree F gives them, from the reduced tree R and the members' own findings, given the proof
of memberlocal.analyse: the findings at the container's own nodes are R's; inside a member,
the member-local rules fire as in the member's own file (the members with findings are
evaluated again, to have their nodes); outside-only rules fire nowhere inside members.
They are put in the runner's order (pattern, rule, node in F's document order, check) and
placed by `StubLocator`, which pairs nodes with start tags exactly as teikit.validate.
locator.Locator does on F, walking the members' own trees where F holds their copies.
"""

from __future__ import annotations

import copy

from lxml import etree

from teikit.core.names import XML_NS
from teikit.validate.locator import Locator
from teikit.validate.schematron import placed
from teikit.validate.schrun import evaluate
from teikit.validate.schxpath import Attr

XML_BASE = f"{{{XML_NS}}}base"
_HAS_BASE = etree.XPath("boolean(descendant::*/@xml:base)")
_POSITION = etree.XPath("count(preceding::*) + count(ancestor::*)")


def bare(root) -> etree._Element:
    """The member root without its content (what a stub starts as)."""
    stub = etree.Element(root.tag, nsmap=root.nsmap)
    for key, value in root.attrib.items():
        stub.set(key, value)
    return stub


def can_stub(root, base_free: bool = False) -> bool:
    """A member whose copy a stub may stand for: no xml:base below its root (XIncluded
    subtrees of its own; `base_free`: known to hold none, not looked for), one prefix for
    its root's namespace and for the namespace of each of its root's attributes (`bare`
    re-sets them: lxml picks the first prefix bound to the namespace, which with two would
    change `name()` of the attribute)."""
    names = {etree.QName(root).namespace} | {etree.QName(key).namespace for key in root.attrib.keys()}
    names.discard(None)
    names.discard(XML_NS)  # bound to "xml" only
    uris = list(root.nsmap.values())
    return all(uris.count(ns) <= 1 for ns in names) and (base_free or not _HAS_BASE(root))


def full_copy(stub, member_root) -> etree._Element:
    """What XInclude puts where `stub` is: the member's root copied, marked with xml:base."""
    full = copy.deepcopy(member_root)
    full.set(XML_BASE, stub.get(XML_BASE))
    full.tail = stub.tail
    return full


def expand(stubs: dict) -> None:
    """Put the full copy in place of every stub ({stub: member root}); `stubs` is emptied."""
    for stub, member_root in list(stubs.items()):
        parent = stub.getparent()
        if parent is not None:
            parent.replace(stub, full_copy(stub, member_root))
    stubs.clear()


def fill(stubs: dict, demands) -> None:
    """Below each stub, a flat copy of every member element a demand needs (with the
    attributes any demand reads)."""
    demands = list(demands)
    if not demands:
        return
    prefixes: dict = {}

    def prefix(ns):
        return prefixes.setdefault(ns, f"n{len(prefixes)}")

    paths = []  # one location path per demand, united (document order, each element once)
    for d in demands:
        if d.ns and d.local is not None:
            step, preds = f"{prefix(d.ns)}:{d.local}", []
        elif d.ns:
            step, preds = f"{prefix(d.ns)}:*", []
        else:
            step = d.local if d.ns == "" and d.local is not None else "*"
            preds = ["namespace-uri() = ''"] if d.ns == "" and d.local is None else []
            preds += [f"local-name() = {_literal(d.local)}"] if d.ns is None and d.local is not None else []
        preds += [f"@{prefix(ns)}:{local}" if ns else f"@{local}" for ns, local in sorted(d.required)]
        paths.append(f"descendant::{step}" + "".join(f"[{p}]" for p in preds))
    select = etree.XPath(" | ".join(paths), namespaces={p: ns for ns, p in prefixes.items()})
    read = sorted({a for d in demands for a in d.attrs})
    clark = [f"{{{ns}}}{local}" if ns else local for ns, local in read]
    sub = etree.SubElement
    for stub, member_root in stubs.items():
        for el in select(member_root):
            copy = sub(stub, el.tag)  # its attributes set in `clark`'s order, as an attrib dict would
            for name in clark:
                value = el.get(name)
                if value is not None:
                    copy.set(name, value)


def _literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


class StubLocator(Locator):
    """Locator's pairing of elements with start tags on F, computed on R: a stub stands for
    its member's own elements, of which only those whose name has a start tag left in the
    container's source can be paired (the others get nothing and move nothing)."""

    def __init__(self, file, tree, files, stubs: dict):
        super().__init__(file, tree, files)
        self.tree, self.stubs, self._walked = tree, stubs, False
        self._names_at: dict = {}  # cursor -> the names left from it (_left)

    def _tag_of(self, el):
        if not self.tags:
            return None
        if not self._walked:
            self._walked = True
            self._walk(self.tree.getroot() if hasattr(self.tree, "getroot") else self.tree)
        return self.by_el.get(el)

    def _walk(self, root):
        stack = [root]
        while stack:
            node = stack.pop()
            if node in self.stubs:
                self._member(self.stubs[node])
                continue
            if not isinstance(node.tag, str):
                continue
            self._pair(node)
            stack.extend(reversed(node))

    def _member(self, member_root):
        left = self._left(self._cursor)
        if left is None:
            return
        tags, names = left
        for node in member_root.iter(*tags):  # descendant-or-self, in document order
            if (f"{node.prefix}:" if node.prefix else "") + etree.QName(node).localname in names:
                self._pair(node)

    def _left(self, cursor: int):
        """(iter tags, names) of the member elements that may pair with a start tag from
        `cursor` on: those whose name (`name()`: prefix:local as in the tree) has one left;
        None: no tag is left. `{*}local` selects, in C, every element with a name's local
        part (in any namespace or none), of which those with the name itself are taken: the
        elements `descendant-or-self::*[name() = ...]` gives, in the same order. It depends on
        the cursor only (the tags do not change), so it is made once per cursor: a member
        whose walk pairs nothing leaves the cursor where the next member finds it."""
        if cursor not in self._names_at:
            names = {name for (name, _line), at in self._at.items() if at[-1] >= cursor}
            tags = sorted({"{*}" + name.rpartition(":")[2] for name in names})
            self._names_at[cursor] = (tags, names) if names else None
        return self._names_at[cursor]


def schematron_findings(schema, analysis, tree, path, files, stubs: dict, members: dict, with_findings):
    """The container's findings for `schema` as validate_tree gives them on F, or None when
    they cannot be had this way (a warning of a rule failing at run time). `stubs`: {stub:
    member root}; `members`: {stub: member path}; `with_findings(path)`: does that member
    have findings of its own (then it is evaluated again, for its nodes)."""
    slots = {id(check): (p, r, c) for p, pattern in enumerate(schema.patterns)
             for r, rule in enumerate(pattern.rules) for c, check in enumerate(rule.checks)}
    inside = _inside(tree, stubs)
    found = []  # (key, finding)
    order = None
    for f in evaluate(schema, tree, path, skip=inside):
        if f.node is None:
            return None
        owner = f.node.owner if isinstance(f.node, Attr) else f.node
        order = order or _order(tree)
        found.append(((*slots[id(f.check)][:2], order[owner], 0, slots[id(f.check)][2]), f))
    for stub, member_root in stubs.items():
        if not with_findings(members[stub]):
            continue
        for f in evaluate(schema, member_root.getroottree(), path):
            if f.node is None:
                return None
            p, r, c = slots[id(f.check)]
            if (p, r) not in analysis.local:
                continue  # an outside-only rule: in F it does not fire inside members
            if isinstance(f.node, Attr):
                return None
            order = order or _order(tree)
            found.append(((p, r, order[stub], 1 + int(_POSITION(f.node)), c), f))
    found.sort(key=lambda item: item[0])
    if not found:
        return []
    return placed([f for _key, f in found], StubLocator(path, tree, files, stubs))


def _order(tree) -> dict:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return {el: i for i, el in enumerate(root.iter())}


def _inside(tree, stubs):
    """node -> is it a stub or below one?"""
    def inside(node):
        while node is not None:
            if node in stubs:
                return True
            node = node.getparent()
        return False
    return inside
