"""Validating a file that XIncludes others (a teiCorpus) without validating its members twice.

With its members included, `corpus.xml` is as large as the whole corpus, and its RELAX NG
check repeats every member's. When

* a member (the root of an included subtree, marked with xml:base) is itself one of the
  files validated in the same run, against the same schema, and
* the schema defines that member's element with a single element pattern (no other
  pattern, named or wildcard, can match it),

the member validates inside the container exactly as it does on its own: RELAX NG matches
an element by its pattern, not by where it stands. So the container is checked with every
such member replaced by one of them (the smallest), and the container is invalid exactly
when that reduced tree is, or a replaced member is invalid on its own. The verdict is the
one of validating the whole expanded tree (and jing's); the members' own findings are
reported in their own files.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from lxml import etree

from teikit.core.names import XML_NS
from teikit.validate.owntree import included_roots
from teikit.validate.rng import _inherited_ns

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_BASE = f"{{{XML_NS}}}base"


@lru_cache(maxsize=32)
def _element_patterns(schema_path: str, files) -> tuple[tuple[str, str], tuple[etree._Element, ...]]:
    """(named element patterns as (ns, local)), (wildcard name classes) of a grammar read
    through `files`."""
    from teikit.validate.rng import load_grammar

    grammar = load_grammar(schema_path, files)
    named = []
    wild = []
    for el in grammar.iter(f"{{{RNG_NS}}}element"):
        name = el.get("name")
        if name is not None:
            prefix, _, local = name.rpartition(":")
            ns = el.nsmap.get(prefix) if prefix else _inherited_ns(el)
            named.append((ns or "", local))
        else:
            wild.append(el[0])
    return tuple(named), tuple(wild)


def _wildcard_matches(name_class, ns: str, local: str) -> bool:
    """Could a name class (anyName / nsName / choice / name) match {ns}local? Conservative."""
    tag = etree.QName(name_class).localname
    if tag == "name":
        prefix, _, nm = (name_class.text or "").strip().rpartition(":")
        nns = name_class.nsmap.get(prefix) if prefix else (name_class.get("ns") or _inherited_ns(name_class))
        return nm == local and (nns or "") == ns
    if tag == "choice":
        return any(_wildcard_matches(c, ns, local) for c in name_class if isinstance(c.tag, str))
    if tag in ("anyName", "nsName"):
        if tag == "nsName" and (name_class.get("ns") if name_class.get("ns") is not None else _inherited_ns(name_class)) != ns:
            return False
        exc = name_class.find(f"{{{RNG_NS}}}except")
        if exc is not None and any(_wildcard_matches(c, ns, local) for c in exc if isinstance(c.tag, str)):
            return False
        return True
    return True  # unknown construct: assume it may match


def single_definition(schema_path: str, ns: str, local: str, files) -> bool:
    """Does exactly one element pattern of the grammar match {ns}local?"""
    named, wild = _element_patterns(str(schema_path), files)
    count = sum(1 for n in named if n == (ns, local))
    count += sum(1 for w in wild if _wildcard_matches(w, ns, local))
    return count == 1


def members(tree, container: str, files: set[str]) -> list[tuple[etree._Element, str]]:
    """Included roots of `tree` whose file is in `files`: (element, file path)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    base = Path(container).parent
    out = []
    for el in included_roots(root):  # in C: most files have none
        if el.get(XML_BASE) is not None:
            path = str(base / el.get(XML_BASE))
            if path in files:
                out.append((el, path))
    return out


_WITH_ID = etree.XPath("descendant-or-self::*[@xml:id]")


def reduced_tree(tree, replace: list[etree._Element], stub: etree._Element):
    """A copy of `tree` with every element of `replace` swapped for a copy of `stub`."""
    targets = {id(el) for el in replace}
    xml_id = f"{{{XML_NS}}}id"
    counter = [0]
    # the stub's elements with an xml:id, found once: each as its path of child indices from
    # the stub (a deep copy has the same children at the same indices) and its id
    ided = [(_child_path(stub, node), node.get(xml_id)) for node in _WITH_ID(stub)]

    def copy_el(el):
        if id(el) in targets:
            counter[0] += 1
            new = copy.deepcopy(stub)
            new.tail = el.tail
            for path, value in ided:  # ids stay unique (xsd:ID) in the reduced tree
                node = new
                for i in path:
                    node = node[i]
                node.set(xml_id, f"{value}-{counter[0]}")
            return new
        if not isinstance(el.tag, str):
            return copy.copy(el)
        new = etree.Element(el.tag, dict(el.attrib), nsmap=el.nsmap)
        new.text, new.tail = el.text, el.tail
        for child in el:
            new.append(copy_el(child))
        return new

    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return etree.ElementTree(copy_el(root))


def _child_path(root, node) -> list[int]:
    """The indices (as `parent[i]` counts children: elements, comments and processing
    instructions) that lead from `root` down to `node`."""
    path = []
    while node is not root:
        parent = node.getparent()
        path.append(parent.index(node))
        node = parent
    return path[::-1]


def replaced_group(tree, path: str, schema_of: dict, in_run: set, *, files) -> list:
    """The members of a container that can be replaced by a stand-in: [(element, file)] of
    the largest group with one tag (at least two), else []."""
    schema = schema_of.get(path)
    if not schema:
        return []
    single: dict = {}  # tag -> single_definition: once per tag

    def defined_once(tag) -> bool:
        if tag not in single:
            q = etree.QName(tag)
            single[tag] = single_definition(schema, q.namespace or "", q.localname, files)
        return single[tag]

    found = [(el, p) for el, p in members(tree, path, in_run) if schema_of.get(p) == schema and defined_once(el.tag)]
    by_tag: dict[str, list] = {}
    for el, p in found:
        by_tag.setdefault(el.tag, []).append((el, p))
    found = max(by_tag.values(), key=len) if by_tag else []
    return found if len(found) >= 2 else []


def plan_reductions(trees: dict, schema_of: dict, containers=None, *,
                    files, content=None) -> dict[str, tuple[object, str, list[str]]]:
    """For each container that can be checked reduced: (reduced tree, stub's file, replaced files).
    `containers`: the paths that XInclude anything (default: look at every tree); `files`
    reads the grammars. `content`: {element: member root} of the members that a stub
    (teikit.validate.stubs) stands for in a container: their content is the member's own."""
    from teikit.validate import stubs as stubmod

    in_run = set(trees)
    content = content or {}
    out = {}
    for path, tree in trees.items():
        if containers is not None and path not in containers:
            continue
        found = replaced_group(tree, path, schema_of, in_run, files=files)
        if not found:
            continue
        stub_el, stub_path = _smallest(found, content)
        if stub_el in content:
            stub_el = stubmod.full_copy(stub_el, content[stub_el])
        out[path] = (reduced_tree(tree, [el for el, _ in found], stub_el), stub_path, [p for _, p in found])
    return out


def _smallest(found: list, content: dict) -> tuple:
    """The (element, file) of `found` with the fewest elements (its own or, for a stub, its
    member's: `content`), the file's path breaking ties: min(found, key=(element count,
    path)). A member is counted only as far as the smallest so far: one with more elements
    cannot be the smallest (188 members of ~170 elements each are not all counted)."""
    best = None  # (count, path, element)
    for el, path in found:
        limit = None if best is None else best[0]
        count = 0
        for _node in content.get(el, el).iter(etree.Element):  # the elements: descendant-or-self::*
            count += 1
            if limit is not None and count > limit:
                break
        if best is None or (count, path) < best[:2]:
            best = (count, path, el)
    return best[2], best[1]
