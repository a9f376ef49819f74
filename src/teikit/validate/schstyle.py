"""An XPath 1.0 Schematron schema (queryBinding xslt, xpath or none) run as one XSLT 1.0
stylesheet by libxslt, as the ISO skeleton runs it, instead of one lxml call per rule,
node and check (schrun.py's loop).

The stylesheet decides only *which* checks fire on *which* nodes, in the runner's order:
pattern by pattern, rule by rule, the rule's nodes in document order, the rule's checks in
order. Each firing is handed back to Python by an extension function with the input tree's
own node; schrun.py then drops a node an earlier rule of the same pattern has taken (the
first rule whose context matches handles a node), and words the finding with the same
code that words it in the pure Python run (lets, `value-of`, `name`, line, severity). So a
finding is the same in both runs, by construction; only the tests and lets run in libxslt.

The two engines are the same XPath implementation (libxml2), and what the runner does
beyond XPath is written out: a let's value is stored as the runner stores it (a node-set
with attributes or text becomes the string of its first node: schtypes.py decides when a
plain `xsl:variable` is that already, else the value passes through the runner's own
conversion), variables are
renamed so that XSLT's scoping rules never bind a name differently, and `current()` is the
rule's node. What cannot be written out this way (`current()` where the runner binds it to
something else, lets on attribute contexts, `position()` and `last()`, which lxml cannot
evaluate outside a predicate, a prefix the stylesheet needs) leaves the
schema to the Python runner (`compile_stylesheet` returns None). A document the
stylesheet fails on (a run-time XPath error, which the runner reports as a warning) is run
by the Python runner too, so its warnings stay the runner's.
"""

from __future__ import annotations

import itertools
import re

from lxml import etree

from teikit.validate import schkeys, schrewrite, schtypes
from teikit.validate.schmodel import Schematron

XSL = "http://www.w3.org/1999/XSL/Transform"
FN = "urn:x-teikit:schematron-stylesheet"
_XSL, _FN = "teikit-xsl", "teikit-fn"
_NODE = "self::* or count(. | ../@*) = count(../@*)"  # what the runner takes as a context node


class Unsupported(Exception):
    """The schema needs the Python runner (the message says why)."""


class Stylesheet:
    """A compiled schema: `hits(tree)` -> [((pattern, rule, check) indices, node)] or None."""

    def __init__(self, root, slots: list, convert):
        self.slots = slots
        self._hits: list = []
        self._convert = convert
        extensions = {(FN, "hit"): self._hit, (FN, "let"): self._let}
        self.xslt = etree.XSLT(root, extensions=extensions, access_control=etree.XSLTAccessControl.DENY_ALL)

    def _hit(self, _context, slot, nodes):
        self._hits.append((self.slots[int(slot)], nodes[0]))
        return ""

    def _let(self, _context, value):
        return self._convert(value)

    def hits(self, tree) -> list | None:
        """The firings in the runner's order; None when the stylesheet failed on the tree."""
        doc = tree if hasattr(tree, "getroot") else tree.getroottree()
        self._hits = []
        try:
            self.xslt(doc)
        except etree.XSLTError:
            return None
        if len(self.xslt.error_log):
            return None
        hits, self._hits = self._hits, []
        return hits


def compile_stylesheet(schema: Schematron, convert) -> Stylesheet | None:
    """The stylesheet for an XPath 1.0 schema (None: XPath 2, or it needs the Python runner).
    `convert` is the runner's conversion of a let's value."""
    if schema.xpath2:
        return None
    try:
        root, slots = _Writer(schema).write()
        return Stylesheet(root, slots, convert)
    except (Unsupported, etree.XSLTParseError, ValueError):
        return None


class _Writer:
    def __init__(self, schema: Schematron):
        self.schema = schema
        self.names = (f"v{i}" for i in itertools.count(1))
        self.slots: list = []
        self.keys: dict = {}
        self.absents: dict = {}
        self.walked = False
        self.root = etree.Element(f"{{{XSL}}}stylesheet", version="1.0", nsmap={_XSL: XSL, _FN: FN})
        etree.SubElement(self.root, f"{{{XSL}}}output", method="text")
        # the document's and patterns' lets are evaluated on the root element, as the Python
        # runner evaluates them (lxml's XPath on a tree has the root element as its context)
        template = etree.SubElement(self.root, f"{{{XSL}}}template", match="/")
        self.template = etree.SubElement(template, f"{{{XSL}}}for-each", select="*")

    def write(self):
        scope: dict = {}  # Schematron name -> (stylesheet name, kind)
        for name, expr in self.schema.lets:
            self.let(self.template, name, expr, scope, on_document=True)
        for p, pattern in enumerate(self.schema.patterns):
            pattern_scope = dict(scope)
            for name, expr in pattern.lets:
                self.let(self.template, name, expr, pattern_scope, on_document=True)
            for r, rule in enumerate(pattern.rules):
                if rule.select is not None:
                    self.rule(p, r, rule, pattern_scope)
        self.share_scans()
        if self.walked:  # before the per-document variables that use it
            self.template.insert(0, etree.Element(f"{{{XSL}}}variable", name=self.walk(), select="/descendant::*"))
        return self.root, self.slots

    def share_scans(self) -> None:
        """A scan `/descendant::name` (schrewrite.absolute_scans) that begins two or more of
        the expressions evaluated once per document (the rule contexts, the document's and
        patterns' lets, the per-document variables) read from one variable set once per
        document to that scan, declared first (schrewrite.share_scans)."""
        once = [el for el in self.template if el.get("select") is not None]
        counts: dict = {}
        for el in once:
            for _start, _end, name in schrewrite.absolute_scans(el.get("select")):
                ident = _scan_ident(el, name)
                counts[ident] = counts.get(ident, 0) + 1
        names: dict = {}
        for el in once:
            def name_of(name, el=el):
                ident = _scan_ident(el, name)
                if counts.get(ident, 0) < 2:
                    return None
                if ident not in names:
                    names[ident] = f"d{len(names) + 1}"
                    prefix = name.partition(":")[0] if ":" in name else None
                    variable = etree.SubElement(self.template, f"{{{XSL}}}variable", name=names[ident],
                                                select=f"/descendant::{name}",
                                                nsmap={prefix: ident[0]} if prefix else None)
                    self.template.insert(0, variable)
                return names[ident]
            el.set("select", schrewrite.share_scans(el.get("select"), name_of))

    def element(self, parent, local: str, expr, **attrib):
        namespaces = expr.namespaces
        for prefix in (_XSL, _FN):
            if prefix in namespaces:
                raise Unsupported(f"the schema binds the prefix {prefix}")
        return etree.SubElement(parent, f"{{{XSL}}}{local}", attrib, nsmap=namespaces)

    def source(self, expr, scope, text: str | None = None) -> str:
        """`expr` (or `text`, an equal expression in its namespaces) as the stylesheet says it."""
        text = expr.source if text is None else text
        outside = _functions_outside_xpath1(text)
        if outside:  # libxslt has them, the runner's XPath 1.0 has not: the runner decides
            raise Unsupported(f"{', '.join(sorted(outside))}() is XSLT's, not XPath 1.0's")
        renamed = schtypes.rename_variables(text, {k: v[0] for k, v in scope.items()})
        if renamed is None:
            raise Unsupported(f"an unbound variable in {text!r}")
        kinds = {name: kind for name, kind in scope.values()}
        renamed = schrewrite.translate_sets(renamed)
        keyed = schkeys.rewrite(renamed, kinds, lambda step, attr: self.key(step, attr, expr))
        hoisted = schrewrite.hoist_absent(keyed, lambda absent: self.absent(absent, expr))
        hoisted = schrewrite.ancestor_children(hoisted, kinds, lambda select: self.document_variable(select, expr))
        return schrewrite.shared_walk(schrewrite.descendants(hoisted), self.walk)

    def walk(self) -> str:
        """The name of the per-document variable holding `/descendant::*` (schrewrite.shared_walk)."""
        self.walked = True
        return "w"

    def absent(self, select: str, expr) -> str:
        """The name of a per-document variable: is `select` empty? (declared once)"""
        return self.document_variable(f"not({select})", expr)

    def document_variable(self, select: str, expr) -> str:
        """The name of a variable set to `select` once per document, at the top of the
        template (declared once; `select` is absolute, so its value is the same anywhere)."""
        ident = (select, tuple(sorted(expr.namespaces.items())))
        if ident not in self.absents:
            self.absents[ident] = name = f"h{len(self.absents) + 1}"
            select = schrewrite.shared_walk(select, self.walk)
            variable = self.element(self.template, "variable", expr, name=name, select=select)
            self.template.remove(variable)
            self.template.insert(0, variable)
        return self.absents[ident]

    def key(self, step: str, attr: str, expr) -> str:
        """The name of the key indexing the `@attr` attributes of `step` elements by their
        value (declared once; schkeys takes their owners)."""
        ident = (step, attr, tuple(sorted(expr.namespaces.items())))
        if ident not in self.keys:
            self.keys[ident] = name = f"k{len(self.keys) + 1}"
            key = self.element(self.root, "key", expr, name=name, match=f"{step}/@{attr}", use=".")
            self.root.remove(key)
            self.root.insert(1, key)
        return self.keys[ident]

    def let(self, parent, name, expr, scope, on_document: bool, uses=None):
        if on_document and schtypes.uses(expr.source, "current"):
            raise Unsupported("current() in a let outside a rule")  # the runner binds the root element
        if schtypes.uses(expr.source, "position", "last"):
            raise Unsupported("position() or last() in a let")  # lxml has no context position there
        kind = schtypes.kind(expr.source, {k: v[1] for k, v in scope.items()})
        source = self.source(expr, scope)
        if kind not in schtypes.PLAIN and uses is not None and schtypes.attributes_only(expr.source) \
                and schtypes.only_tested(uses, name):
            # the runner keeps the string of the first attribute (or an empty node-set), which
            # says what string() says wherever the value is only tested or read as a string
            source, kind = f"string({source})", schtypes.STRING
        elif kind not in schtypes.PLAIN:
            source = f"{_FN}:let({source})"
        variable = next(self.names)
        self.element(parent, "variable", expr, name=variable, select=source)
        scope[name] = (variable, kind)

    def rule(self, p: int, r: int, rule, scope):
        select = rule.select
        if schtypes.uses(select.source, "current"):
            raise Unsupported("current() in a rule context")  # the runner binds the root element
        sources = [e.source for _n, e in rule.lets] + [c.test.source for c in rule.checks]
        if rule.lets or any(schtypes.uses(s, "current") for s in sources):
            if _may_select_attributes(select.source):
                raise Unsupported("lets or current() on attribute contexts")  # evaluated on the owner
        selected = self.source(select, scope, schrewrite.context(select.source))
        loop = self.element(self.template, "for-each", select, select=selected)
        if any(schtypes.uses(s, "position", "last") for s in sources):
            raise Unsupported("position() or last()")  # lxml has no context position there
        if schtypes.kind(select.source, {k: v[1] for k, v in scope.items()}) == schtypes.ELEMENTS:
            body = loop  # elements only: each is a context node for the runner too
        else:
            body = etree.SubElement(loop, f"{{{XSL}}}if", test=_NODE)
        rule_scope = dict(scope)
        names = [n for n, _e in rule.lets]
        for i, (name, expr) in enumerate(rule.lets):
            uses = [(e.source, False) for _n, e in rule.lets[i + 1:]] + [(c.test.source, True) for c in rule.checks]
            self.let(body, name, expr, rule_scope, on_document=False,
                     uses=uses if names.count(name) == 1 else None)
        for c, check in enumerate(rule.checks):
            test = self.source(check.test, rule_scope)
            fires = f"not({test})" if check.kind == "assert" else test
            branch = self.element(body, "if", check.test, test=fires)
            etree.SubElement(branch, f"{{{XSL}}}value-of", select=f"{_FN}:hit({len(self.slots)}, .)")
            self.slots.append((p, r, c))
        _inline_lets(body)


def _inline_lets(body):
    """The rule's variables used once written into their use (schrewrite.inline_once),
    the last first, so that one inlined into a variable goes on with it."""
    steps = [el for el in body if el.tag in (f"{{{XSL}}}variable", f"{{{XSL}}}if")]
    for n in range(len(steps) - 1, -1, -1):
        variable = steps[n]
        if variable.tag != f"{{{XSL}}}variable":
            continue
        later = [el for el in steps[n + 1:] if el.getparent() is not None]
        attrs = ["select" if el.tag == f"{{{XSL}}}variable" else "test" for el in later]
        done = schrewrite.inline_once(variable.get("name"), variable.get("select"),
                                      [el.get(a) for el, a in zip(later, attrs)])
        if done is not None:
            i, text = done
            later[i].set(attrs[i], text)
            body.remove(variable)


def _scan_ident(el, name: str) -> tuple:
    """(namespace, local part) of a name test as written in `el`'s select (XPath 1.0: no
    prefix, no namespace)."""
    prefix, _, local = name.rpartition(":")
    return (el.nsmap.get(prefix) if prefix else None), local


#: the functions of XPath 1.0 (and the node tests written like calls), plus current(), which
#: the runner binds itself; libxslt adds key(), document(), generate-id() and others, which
#: the runner's XPath 1.0 (lxml) has not, so a schema using them stays with the runner
XPATH1_FUNCTIONS = frozenset("""
    last position count id local-name namespace-uri name string concat starts-with contains
    substring-before substring-after substring string-length normalize-space translate boolean
    not true false lang number sum floor ceiling round node text comment processing-instruction
    current""".split())
_CALL = re.compile(r"(?<![\w.\-:$@])([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*\(")
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")


def _functions_outside_xpath1(source: str) -> set[str]:
    """The names called in `source` that XPath 1.0 does not define (prefixed names too: an
    extension function is for the runner to judge)."""
    bare = _LITERAL.sub("''", source)
    return {m.group(1) for m in _CALL.finditer(bare) if m.group(1) not in XPATH1_FUNCTIONS
            and m.group(1) not in _OPERATORS}


_OPERATORS = frozenset({"and", "or", "div", "mod"})  # `a and (b)` is no call


def _may_select_attributes(source: str) -> bool:
    toks = schtypes.tokens(source)
    if toks is None:
        return True
    depth = 0
    for kind, text in toks:
        if kind == "op" and text == "[":
            depth += 1
        elif kind == "op" and text == "]":
            depth -= 1
        elif depth == 0 and ((kind == "op" and text == "@") or (kind == "name" and text in ("attribute", "node"))):
            return True
    return False
