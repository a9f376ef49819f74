"""A RELAX NG grammar (XML syntax) as hash-consed patterns, for teikit's own matcher.

`Grammar(tree)` reads the grammar libxml2 also compiles (rng.load_grammar) into the
patterns of the RELAX NG simplification: choice, group, interleave, oneOrMore, element,
attribute, data, value, list, text, empty, notAllowed (optional, zeroOrMore, mixed and
the rest are rewritten into them as they are read). Element content is read only when the
matcher first enters such an element, so a grammar the size of tei_all costs only the
parts a document uses. Patterns are interned: two equal patterns are the same object with
one `id`, which is what makes the derivatives in rngderiv memoisable.

Supported: nested `grammar`, `parentRef`, `define/@combine`, `div`, `include` (with
overriding defines and start) and `externalRef` of local files, `ns` and
`datatypeLibrary` inheritance, name classes (`name`, `anyName`, `nsName`, `choice`,
`except`). Foreign elements (annotations, embedded Schematron) are ignored. Included and
referenced files are read through the `Files` object the grammar is given.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teikit.core import xmlsafe

from teikit.core.xmlsafe import make_parser

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSD_LIB = "http://www.w3.org/2001/XMLSchema-datatypes"

EMPTY, NOT_ALLOWED, TEXT = "empty", "notAllowed", "text"
CHOICE, GROUP, INTERLEAVE, ONE_OR_MORE, AFTER = "choice", "group", "interleave", "oneOrMore", "after"
ELEMENT, ATTRIBUTE, DATA, VALUE, LIST = "element", "attribute", "data", "value", "list"


class Pattern:
    """One interned pattern. `a`, `b`: sub-patterns or data, by kind:
    choice: a = frozenset of alternatives; group/interleave/after: a, b;
    oneOrMore, list: a; element: a = name class, b = _Lazy content;
    attribute: a = name class, b = value pattern; data: a = (library, type, params),
    b = except pattern or None; value: a = (library, type), b = the value."""

    __slots__ = ("kind", "a", "b", "id", "nullable")

    def __init__(self, kind, a, b, ident, nullable):
        self.kind, self.a, self.b, self.id, self.nullable = kind, a, b, ident, nullable

    def __repr__(self):
        return f"<{self.kind}#{self.id}>"


class Patterns:
    """The intern table and the smart constructors (they simplify as Clark's do)."""

    def __init__(self):
        self._table: dict = {}
        self.empty = self._make(EMPTY, None, None, True)
        self.not_allowed = self._make(NOT_ALLOWED, None, None, False)
        self.text = self._make(TEXT, None, None, True)

    def _make(self, kind, a, b, nullable, key=None):
        key = key if key is not None else (kind, a, b)
        found = self._table.get(key)
        if found is None:
            found = Pattern(kind, a, b, len(self._table), nullable)
            self._table[key] = found
        return found

    def choice(self, p, q):
        na = self.not_allowed
        if p is na:
            return q
        if q is na or p is q:
            return p
        alts = (p.a if p.kind == CHOICE else frozenset((p,))) | (q.a if q.kind == CHOICE else frozenset((q,)))
        return self.choice_of(alts)

    def choice_of(self, alts):
        alts = frozenset(a for a in alts if a is not self.not_allowed)
        if not alts:
            return self.not_allowed
        if len(alts) == 1:
            return next(iter(alts))
        return self._make(CHOICE, alts, None, any(a.nullable for a in alts),
                          key=(CHOICE, alts))

    def choices(self, items):
        alts = set()
        for p in items:
            if p.kind == CHOICE:
                alts |= p.a
            elif p is not self.not_allowed:
                alts.add(p)
        return self.choice_of(alts)

    def _pair(self, kind, p, q):
        if p is self.not_allowed or q is self.not_allowed:
            return self.not_allowed
        if p is self.empty:
            return q
        if q is self.empty:
            return p
        return self._make(kind, p, q, p.nullable and q.nullable)

    def group(self, p, q):
        return self._pair(GROUP, p, q)

    def interleave(self, p, q):
        return self._pair(INTERLEAVE, p, q)

    def after(self, p, q):
        if p is self.not_allowed or q is self.not_allowed:
            return self.not_allowed
        return self._make(AFTER, p, q, False)

    def one_or_more(self, p):
        if p is self.not_allowed or p is self.empty:
            return p
        return self._make(ONE_OR_MORE, p, None, p.nullable)

    def element(self, nc, lazy):
        return self._make(ELEMENT, nc, lazy, False, key=(ELEMENT, nc, id(lazy.node)))

    def attribute(self, nc, p):
        if p is self.not_allowed:
            return p
        return self._make(ATTRIBUTE, nc, p, False)

    def data(self, lib, dtype, params, except_):
        return self._make(DATA, (lib, dtype, params), except_, False)

    def value(self, lib, dtype, value):
        return self._make(VALUE, (lib, dtype), value, False)

    def list_(self, p):
        return self._make(LIST, p, None, False)


class _Lazy:
    """An element's content, read on first use."""

    __slots__ = ("node", "scope", "pattern")

    def __init__(self, node, scope):
        self.node, self.scope, self.pattern = node, scope, None


# --- name classes: ("name", ns, local) | ("any", except) | ("ns", uri, except) | ("or", a, b)

def contains(nc, qn) -> bool:
    kind = nc[0]
    if kind == "name":
        return nc[1] == qn[0] and nc[2] == qn[1]
    if kind == "any":
        return nc[1] is None or not contains(nc[1], qn)
    if kind == "ns":
        return nc[1] == qn[0] and (nc[2] is None or not contains(nc[2], qn))
    return contains(nc[1], qn) or contains(nc[2], qn)


def fixed_names(nc) -> list | None:
    """The names a name class lists, or None when it is a wildcard."""
    if nc[0] == "name":
        return [(nc[1], nc[2])]
    if nc[0] == "or":
        a, b = fixed_names(nc[1]), fixed_names(nc[2])
        return None if a is None or b is None else a + b
    return None


def _local(el) -> str:
    return etree.QName(el).localname


def _children(el):
    return [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == RNG_NS]


def _inherited(el, attr, default=""):
    while el is not None:
        if el.get(attr) is not None:
            return el.get(attr)
        el = el.getparent()
    return default


def data_type(el) -> tuple:
    """(library, type, params) of a `data` element: its pattern's `a`."""
    params = tuple((prm.get("name"), prm.text or "") for prm in _children(el) if _local(prm) == "param")
    return _inherited(el, "datatypeLibrary"), el.get("type", "").strip(), params


def value_of(el) -> tuple:
    """(library, type, value) of a `value` element: its pattern's `a` (the first two) and `b`."""
    lib = _inherited(el, "datatypeLibrary") if el.get("type") else ""
    return lib, (el.get("type") or "token").strip(), el.text or ""


class _Scope:
    """The defines and start of one `grammar` element (with its includes)."""

    def __init__(self, parent):
        self.parent = parent
        self.defines: dict[str, list] = {}  # name -> [(combine, define element)]
        self.start: list = []
        self.compiled: dict[str, Pattern] = {}
        self.busy: set[str] = set()


class Grammar:
    """A RELAX NG grammar ready for the derivative matcher."""

    def __init__(self, tree, path: str | None = None, files=None):
        self.p = Patterns()
        self.files = files  # reads includes and external references (None: none are read)
        self.path = path or tree.docinfo.URL
        self._elements_by_name: dict | None = None
        self._all_element_nodes: list = []
        self._loaded: dict[str, etree._ElementTree] = {}
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        self.root = root
        self.order: dict | None = None  # teikit.validate.rngorder's, made when first asked
        self.start = self._top(root, None)

    # -- reading ----------------------------------------------------------------------

    def _top(self, el, parent_scope):
        if _local(el) == "grammar":
            scope = _Scope(parent_scope)
            self._collect(el, scope, override=set())
            return self._start_of(scope)
        return self.pattern(el, parent_scope)

    def _collect(self, grammar_el, scope, override: set):
        for child in _children(grammar_el):
            name = _local(child)
            if name == "define":
                if child.get("name") not in override:
                    scope.defines.setdefault(child.get("name"), []).append(child)
            elif name == "start":
                if "#start" not in override:
                    scope.start.append(child)
            elif name == "div":
                self._collect(child, scope, override)
            elif name == "include":
                inner = {d.get("name") for d in child.iter(f"{{{RNG_NS}}}define")}
                if child.find(f".//{{{RNG_NS}}}start") is not None:
                    inner.add("#start")
                self._collect(child, scope, override)  # the include's own defines win
                included = self._load(child)
                if included is not None:
                    self._collect(included, scope, override | inner)

    def _load(self, el):
        href = el.get("href", "")
        base = el.base or self.path or ""
        target = str(Path(base).parent / href) if base else href
        if target not in self._loaded:
            data = xmlsafe.read(target, self.files)[0] if self.files is not None else None  # unreadable: as missing
            try:
                self._loaded[target] = None if data is None else \
                    etree.fromstring(data, make_parser(), base_url=target)
            except etree.XMLSyntaxError:
                self._loaded[target] = None
        return self._loaded[target]

    def _start_of(self, scope):
        pats = [self._group(s, scope) for s in scope.start]
        return self._combine(scope.start, pats) if pats else self.p.not_allowed

    def _combine(self, els, pats):
        how = next((e.get("combine") for e in els if e.get("combine")), "choice")
        out = pats[0]
        for q in pats[1:]:
            out = self.p.interleave(out, q) if how == "interleave" else self.p.choice(out, q)
        return out

    def ref(self, name, scope):
        if name in scope.compiled:
            return scope.compiled[name]
        els = scope.defines.get(name)
        if not els:
            return self.p.not_allowed
        if name in scope.busy:  # recursion not through an element: not RELAX NG
            return self.p.not_allowed
        scope.busy.add(name)
        result = self._combine(els, [self._group(e, scope) for e in els])
        scope.busy.discard(name)
        scope.compiled[name] = result
        return result

    def _group(self, el, scope):
        out = self.p.empty
        for child in _children(el):
            out = self.p.group(out, self.pattern(child, scope))
        return out

    def _fold(self, el, scope, how):
        pats = [self.pattern(c, scope) for c in _children(el)]
        if not pats:
            return self.p.empty
        out = pats[0]
        for q in pats[1:]:
            out = how(out, q)
        return out

    def pattern(self, el, scope) -> Pattern:
        p = self.p
        kind = _local(el)
        if kind == "element":
            children = _children(el)
            if el.get("name") is not None:
                nc = self._name(el.get("name"), el, _inherited(el, "ns"))
            else:
                nc = self.name_class(children[0])
            self._all_element_nodes.append(el)
            return p.element(nc, _Lazy(el, scope))
        if kind == "attribute":
            children = _children(el)
            if el.get("name") is not None:
                nc = self._name(el.get("name"), el, el.get("ns") or "")
                body = children
            else:
                nc, body = self.name_class(children[0]), children[1:]
            value = p.empty
            for c in body:
                value = p.group(value, self.pattern(c, scope))
            return p.attribute(nc, p.text if not body else value)
        if kind in ("group", "define", "start"):
            return self._group(el, scope)
        if kind == "choice":
            return self._fold(el, scope, p.choice)
        if kind == "interleave":
            return self._fold(el, scope, p.interleave)
        if kind == "optional":
            return p.choice(self._group(el, scope), p.empty)
        if kind == "zeroOrMore":
            return p.choice(p.one_or_more(self._group(el, scope)), p.empty)
        if kind == "oneOrMore":
            return p.one_or_more(self._group(el, scope))
        if kind == "mixed":
            return p.interleave(self._group(el, scope), p.text)
        if kind == "list":
            return p.list_(self._group(el, scope))
        if kind == "empty":
            return p.empty
        if kind == "text":
            return p.text
        if kind == "notAllowed":
            return p.not_allowed
        if kind == "ref":
            return self.ref(el.get("name", "").strip(), scope)
        if kind == "parentRef":
            return self.ref(el.get("name", "").strip(), scope.parent) if scope.parent else p.not_allowed
        if kind == "grammar":
            return self._top(el, scope)
        if kind == "externalRef":
            loaded = self._load(el)
            return self._top(loaded, None) if loaded is not None else p.not_allowed
        if kind == "data":
            exc = next((c for c in _children(el) if _local(c) == "except"), None)
            return p.data(*data_type(el), self._fold(exc, scope, p.choice) if exc is not None else None)
        if kind == "value":
            return p.value(*value_of(el))
        return p.empty  # unknown RELAX NG element: ignored

    def _name(self, qname, context, default_ns):
        qname = qname.strip()
        if ":" in qname:
            prefix, local = qname.split(":", 1)
            ns = XML_NS if prefix == "xml" else context.nsmap.get(prefix, f"urn:unbound:{prefix}")
            return ("name", ns, local)
        return ("name", default_ns, qname)

    def name_class(self, el):
        kind = _local(el)
        if kind == "name":
            return self._name(el.text or "", el, _inherited(el, "ns"))
        exc = next((c for c in _children(el) if _local(c) == "except"), None)
        exc_nc = self._nc_choice(_children(exc)) if exc is not None else None
        if kind == "anyName":
            return ("any", exc_nc)
        if kind == "nsName":
            return ("ns", _inherited(el, "ns"), exc_nc)
        if kind == "choice":
            return self._nc_choice(_children(el))
        return ("any", None)

    def _nc_choice(self, els):
        ncs = [self.name_class(e) for e in els]
        out = ncs[0]
        for nc in ncs[1:]:
            out = ("or", out, nc)
        return out

    # -- use -----------------------------------------------------------------------------

    def content(self, element: Pattern) -> Pattern:
        lazy = element.b
        if lazy.pattern is None:
            body = _children(lazy.node)
            if lazy.node.get("name") is None:
                body = body[1:]
            out = self.p.empty
            for c in body:
                out = self.p.group(out, self.pattern(c, lazy.scope))
            lazy.pattern = out
        return lazy.pattern

    def elements_named(self, qn) -> list[Pattern]:
        """Every element pattern of the grammar that accepts the name `qn` (recovery
        after an element is found where it is not allowed)."""
        if self._elements_by_name is None:
            self._index_elements()
        found = list(self._elements_by_name.get(qn, []))
        found += [e for e in self._wildcards if contains(e.a, qn)]
        return found

    def known_names(self) -> set:
        """Every fixed element name of the grammar (for "did you mean")."""
        if self._elements_by_name is None:
            self._index_elements()
        return set(self._elements_by_name)

    def _index_elements(self):
        """Read every element pattern once (it is what the index is for)."""
        seen, queue = set(), [self.start]
        by_name: dict = {}
        wild: list = []
        while queue:
            pat = queue.pop()
            if pat.id in seen:
                continue
            seen.add(pat.id)
            if pat.kind == ELEMENT:
                names = fixed_names(pat.a)
                if names is None:
                    wild.append(pat)
                for qn in names or ():
                    by_name.setdefault(qn, []).append(pat)
                queue.append(self.content(pat))
            elif pat.kind == CHOICE:
                queue.extend(pat.a)
            elif pat.kind in (GROUP, INTERLEAVE, AFTER):
                queue += [pat.a, pat.b]
            elif pat.kind in (ONE_OR_MORE, LIST):
                queue.append(pat.a)
            elif pat.kind == ATTRIBUTE:
                queue.append(pat.b)
        self._elements_by_name, self._wildcards = by_name, wild
