"""The parts of a parsed tree that are the file's own, and facts about a tree computed once
per set of checks.

A teiCorpus validated with its XIncludes expanded holds its members' elements; the roots of
the included subtrees carry xml:base. `own_elements` and `own_with` give the elements of the
file itself; `included_roots` the included subtrees' roots. Inside `one_pass()` (the trees
unchanged) what these compute for a tree is computed once (`memo`). Used by the
cross-document checks (teikit.validate.crossdoc, pointers), the validator and
teikit.validate.included.
"""

from __future__ import annotations

import contextlib

from lxml import etree

from teikit.core.names import TEI_NS, XML_NS

NS = {"t": TEI_NS}
XML_BASE = f"{{{XML_NS}}}base"


def root_of(tree):
    """The root element of a tree or element."""
    return tree.getroot() if hasattr(tree, "getroot") else tree


def own_elements(root):
    """Elements of the file itself (not XIncluded from another file), in document order."""
    if root.getparent() is None and not _has_included(root):
        return root.iter(etree.Element)
    return _own_walk(root)


_SESSION: list[dict] = []


@contextlib.contextmanager
def one_pass():
    """While the checks of one set of trees run (the trees unchanged): what the checks
    compute per tree (its own elements, prefix definitions, real paths...) is computed once.
    Inside a session already open, that session goes on."""
    if _SESSION:
        yield
        return
    _SESSION.append({})
    try:
        yield
    finally:
        _SESSION.pop()


def memo(kind, root, compute):
    """compute(), kept for `root` (as `kind`) while one_pass() lasts; outside it, not kept."""
    if not _SESSION:
        return compute()
    store = _SESSION[-1]
    key = (kind, id(root))
    hit = store.get(key)
    if hit is None or hit[0] is not root:
        hit = store[key] = (root, compute())
    return hit[1]


def _has_included(root) -> bool:
    """Does the tree hold XIncluded subtrees (elements below the root with xml:base)?
    A teiCorpus marks its direct children: looked at first, without a full scan."""
    return memo("included", root, lambda: any(child.get(XML_BASE) is not None for child in root)
                 or bool(_HAS_BASE(root)))


_HAS_BASE = etree.XPath("boolean(descendant::*/@xml:base)")

_CONTENT: dict = {}  # stub -> member root, while a run that uses stubs lasts


@contextlib.contextmanager
def stand_ins(mapping: dict):
    """While it lasts, member_content(stub) is the member root a stub stands for
    (teikit.validate.stubs: a teiCorpus member that is validated on its own)."""
    _CONTENT.update(mapping)
    try:
        yield
    finally:
        for stub in mapping:
            _CONTENT.pop(stub, None)


def has_stand_ins() -> bool:
    """Does any tree of the run hold a stub (member_content differs from the element)?"""
    return bool(_CONTENT)


def member_content(el):
    """An included subtree's root with its content: the member's own root where a stub
    stands for it (same elements and lines as the copy XInclude gives), else `el`."""
    return _CONTENT.get(el, el) if _CONTENT else el


_BASES = etree.XPath("descendant::*/@xml:base")


def included_roots(root) -> list:
    """The elements below `root` that carry xml:base (the roots of XIncluded subtrees), in
    document order; found through the attribute axis, twice as fast as a predicate."""
    return memo("bases", root, lambda: [attr.getparent() for attr in _BASES(root)])


def own_with(root, *attributes: str) -> list:
    """The file's own elements (as own_elements) that carry one of these attributes (Clark
    names), in document order; selected in C where nothing is included."""
    return memo(attributes, root, lambda: _own_with(root, attributes))


def _own_with(root, attributes) -> list:
    if root.getparent() is None and not _has_included(root):
        return _xpath(" or ".join(_attribute_test(a) for a in attributes))(root)
    return [el for el in _own_walk(root) if any(el.get(a) is not None for a in attributes)]


def _attribute_test(clark: str) -> str:
    if clark.startswith("{"):
        if clark.startswith(f"{{{XML_NS}}}"):
            return f"@xml:{clark.split('}', 1)[1]}"
        raise ValueError(f"own_with: no prefix for {clark}")
    return f"@{clark}"


_XPATHS: dict = {}


def _xpath(condition: str):
    if condition not in _XPATHS:
        _XPATHS[condition] = etree.XPath(f"descendant-or-self::*[{condition}]")
    return _XPATHS[condition]


def _own_walk(root):
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el is not root and el.get(XML_BASE) is not None:
            continue
        yield el
        stack.extend(reversed(el))


_IDNO = etree.XPath("t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[@type='teikit'][1]", namespaces=NS)


def teikit_id(root) -> str | None:
    """The teikit id of a TEI document (its `idno[@type='teikit']`), None for anyone else's."""
    found = memo("idno", root, lambda: _IDNO(root))
    return None if not found else (found[0].text or "")
