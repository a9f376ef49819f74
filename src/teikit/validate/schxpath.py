"""The query languages of Schematron: XPath 1.0 (lxml) and XPath 2/3 (elementpath).

`queryBinding` picks the engine: `xslt`, `xpath` or none -> XPath 1.0, compiled and run by
lxml (libxml2, fast); `xslt2`, `xslt3`, `xpath2`, `xpath3`, `xpath31` -> XPath 3.0 by
elementpath (pure Python; XPath 3.0 is a superset of 2.0 and adds `generate-id()`, which
TEI's rules use). XSLT's `current()` is the rule's context node, bound as a variable.
Rule contexts are selected with lxml whenever the pattern is also XPath 1.0 (nearly all
are), which keeps the XPath 2 layer fast: only the tests of matching nodes run in Python.

An `Expr` evaluates with a context node (an lxml element or an `Attr`) of a `Doc`, and
raises `XPathFailure` when it cannot (unknown function, type error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

XPATH2_BINDINGS = {"xslt2", "xslt3", "xpath2", "xpath3", "xpath31", "xquery", "xquery3"}
CURRENT_VAR = "teikit-current"
_CURRENT = re.compile(r"(?<![\w:.\-$])current\(\s*\)")


_PROBE = etree.fromstring("<probe/>")


class XPathFailure(Exception):
    """An expression that cannot be compiled or evaluated; the message says why."""


@dataclass(frozen=True)
class Attr:
    """An attribute as a context node: owner element and Clark name."""
    owner: etree._Element
    name: str

    @property
    def value(self) -> str:
        return self.owner.get(self.name, "")

    @property
    def sourceline(self):
        return self.owner.sourceline


def is_xpath2(binding: str | None) -> bool:
    return (binding or "").strip().lower() in XPATH2_BINDINGS


class Doc:
    """One document as both engines see it (elementpath's node tree built on first use)."""

    def __init__(self, tree):
        self.tree = tree if hasattr(tree, "getroot") else tree.getroottree()
        self._nodes = None
        self._names = None

    @property
    def names(self) -> set:
        """The Clark names of the document's elements."""
        if self._names is None:
            self._names = {el.tag for el in self.tree.iter() if isinstance(el.tag, str)}
        return self._names

    @property
    def nodes(self):
        if self._nodes is None:
            from elementpath.tree_builders import get_node_tree
            self._nodes = get_node_tree(self.tree)
        return self._nodes

    def node(self, item):
        """The elementpath node of an lxml element, an Attr, or the document."""
        if item is None or isinstance(item, etree._ElementTree):
            return self.nodes
        if isinstance(item, Attr):
            owner = self.nodes.elements[item.owner]
            for attr in owner.attributes:
                if attr.name == item.name:
                    return attr
            raise XPathFailure(f"attribute {item.name} not found")
        return self.nodes.elements[item]


def from_lxml(result) -> list:
    """lxml XPath node-set results as context nodes (elements and Attrs)."""
    out = []
    for item in result if isinstance(result, list) else []:
        if isinstance(item, etree._Element) and isinstance(item.tag, str):
            out.append(item)
        elif isinstance(item, etree._ElementUnicodeResult) and item.is_attribute:
            out.append(Attr(item.getparent(), item.attrname))
    return out


def from_elementpath(result) -> list:
    out = []
    for item in result if isinstance(result, list) else [result]:
        kind = type(item).__name__
        if kind.endswith("ElementNode"):
            out.append(item.value)
        elif kind.endswith("AttributeNode"):
            out.append(Attr(item.parent.value, item.name))
    return out


class Expr:
    """A compiled expression in one engine."""

    def __init__(self, source: str, namespaces: dict, xpath2: bool):
        self.source = source
        self.xpath2 = xpath2
        self._current = False
        self.namespaces = {k: v for k, v in namespaces.items() if k}
        self._fast = None
        if xpath2:
            from elementpath.xpath30 import XPath30Parser
            self._fast = _xpath1_twin(source, self.namespaces)
            text = _CURRENT.sub(f"${CURRENT_VAR}", source)
            try:
                self._token = XPath30Parser(namespaces=self.namespaces).parse(text)
            except Exception as err:  # noqa: BLE001 - elementpath's static errors
                raise XPathFailure(_reason(err)) from None
        else:
            self._current = bool(_CURRENT.search(source))  # XSLT's current(), bound as a variable
            try:
                self._xpath = etree.XPath(_CURRENT.sub(f"${CURRENT_VAR}", source),
                                          namespaces=self.namespaces, smart_strings=True)
            except etree.XPathSyntaxError as err:
                raise XPathFailure(f"not XPath 1.0 ({err})") from None
            try:  # libxml2 looks functions up when it evaluates: probe once
                self._xpath(_PROBE, **({CURRENT_VAR: _PROBE} if self._current else {}))
            except etree.XPathEvalError as err:
                if "nregistered function" in str(err):
                    raise XPathFailure(f"not XPath 1.0 ({err}); declare queryBinding=\"xslt2\" "
                                       "for XPath 2") from None

    def evaluate(self, doc: Doc, item, variables: dict):
        """The value with `item` as context node (None: the document)."""
        if self._fast is not None and isinstance(item, etree._Element):
            try:
                return self._fast(item)
            except etree.XPathError:
                self._fast = None
        if self.xpath2:
            from elementpath import XPathContext
            node = doc.node(item)
            values = dict(variables)
            values[CURRENT_VAR] = node
            try:
                return self._token.evaluate(XPathContext(doc.nodes, item=node, variables=values))
            except Exception as err:  # noqa: BLE001 - dynamic errors of any kind
                raise XPathFailure(_reason(err)) from None
        if self._current:
            variables = {**variables, CURRENT_VAR: item.owner if isinstance(item, Attr)
                         else doc.tree.getroot() if item is None else item}
        try:
            if item is None:
                return self._xpath(doc.tree, **variables)
            if isinstance(item, Attr):
                return self._on_attribute(item, variables)
            return self._xpath(item, **variables)
        except (etree.XPathError, TypeError) as err:
            raise XPathFailure(f"not XPath 1.0 ({err})") from None

    def _on_attribute(self, item: Attr, variables):
        """lxml cannot use an attribute as context node: evaluate through its owner."""
        qname = etree.QName(item.name)
        if qname.namespace == "http://www.w3.org/XML/1998/namespace":
            ns, name = {}, f"xml:{qname.localname}"
        elif qname.namespace:
            ns, name = {"_a": qname.namespace}, f"_a:{qname.localname}"
        else:
            ns, name = {}, qname.localname
        inner = self.source
        if inner.startswith("boolean(") and inner.endswith(")"):
            probe = etree.XPath(f"boolean(@{name}[{inner}])", namespaces={**self.namespaces, **ns})
            return probe(item.owner, **variables)
        if inner.strip() == ".":
            return item.value
        return self._xpath(item.owner, **variables)


_XPATH1_FUNCTIONS = {"not", "true", "false", "boolean", "count", "name", "local-name",
                     "namespace-uri", "normalize-space", "contains", "starts-with", "string",
                     "concat", "translate", "substring-before", "substring-after", "last",
                     "position", "node", "text", "comment", "processing-instruction"}
_UNSAFE = r"[$<>+]|\s-\s|\bdiv\b|\bmod\b|\bcurrent\s*\("  # XPath 2 schemas only: compiled on first use


def _xpath1_twin(source: str, namespaces: dict):
    """The same expression compiled by lxml when it means the same in XPath 1.0 and 2.0:
    only XPath 1.0 syntax, no variables, no relational or arithmetic operators (where
    1.0 converts to numbers and 2.0 compares strings or raises), and only functions whose
    results agree. TEI's common tests are of this kind; lxml runs them 20-100x faster."""
    if re.search(_UNSAFE, source):
        return None
    for name in re.findall(r"([\w.:-]+)\s*\(", source):
        if name.split("::")[-1] not in _XPATH1_FUNCTIONS and name.split("::")[-1] != "boolean":
            return None
    try:
        return etree.XPath(source, namespaces=namespaces)
    except etree.XPathSyntaxError:
        return None


def _reason(err) -> str:
    text = str(err)
    return " ".join(text.split())[:200]


def boolean(value) -> bool:
    if isinstance(value, list):
        if not value:
            return False
        first = value[0]
        if len(value) == 1 and not _is_node(first):
            return boolean(first)
        return True
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, float):
        return value == value and value != 0.0
    return bool(value)


def _is_node(item) -> bool:
    return isinstance(item, etree._Element) or type(item).__name__.endswith("Node")


def string(value) -> str:
    """XSLT value-of: items' string values joined by a space (XPath 1: the first's)."""
    items = value if isinstance(value, list) else [value]
    return " ".join(_item_string(v) for v in items)


def _item_string(item) -> str:
    if item is None:
        return ""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        return str(int(item)) if item.is_integer() else repr(item)
    if isinstance(item, etree._Element):
        return "".join(item.itertext())
    if hasattr(item, "string_value"):
        return str(item.string_value)
    return str(item)


def name_of(item) -> str:
    """The name of a context node or elementpath/lxml result, as `sch:name` shows it."""
    if isinstance(item, list):
        item = item[0] if item else None
    if isinstance(item, Attr):
        return _prefixed(item.owner, item.name)
    if isinstance(item, etree._Element) and isinstance(item.tag, str):
        return _prefixed(item, item.tag, element=True)
    if isinstance(item, etree._ElementUnicodeResult) and item.is_attribute:
        return _prefixed(item.getparent(), item.attrname)
    kind = type(item).__name__
    if kind.endswith("ElementNode") and isinstance(getattr(item, "value", None), etree._Element):
        return name_of(item.value)
    if kind.endswith("AttributeNode"):
        return name_of(Attr(item.parent.value, item.name))
    return ""


def _prefixed(el, clark: str, element: bool = False) -> str:
    q = etree.QName(clark)
    if not q.namespace:
        return q.localname
    if q.namespace == "http://www.w3.org/XML/1998/namespace":
        return f"xml:{q.localname}"
    if element and el.prefix is None and el.nsmap.get(None) == q.namespace:
        return q.localname
    prefix = next((p for p, u in el.nsmap.items() if u == q.namespace and p), None)
    return f"{prefix}:{q.localname}" if prefix else q.localname
