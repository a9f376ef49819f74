"""Running a compiled Schematron schema on one document: within a pattern a node is
handled by the first rule whose context matches it, as the standard says; lets are
evaluated per document, pattern and node; a check that fires is a Finding with its node.
A test that fails at run time is one `sch:unsupported` warning per file.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from teikit.core.errors import Issue
from teikit.validate import schstyle, schxpath
from teikit.validate.schcompile import holds
from teikit.validate.schmodel import Check, Rule, Schematron
from teikit.validate.schxpath import Doc, Expr, XPathFailure


@dataclass
class Finding:
    """A check that fired on a node (node None: a run-time warning)."""

    node: object  # lxml element or schxpath.Attr
    check: Check
    issue: Issue



def evaluate(schema: Schematron, tree, filename: str | None = None, skip=None) -> list:
    """Findings (with their nodes) and run-time warnings (Finding with node None).
    An XPath 1.0 schema runs as one XSLT stylesheet (schstyle.py) whose firings are worded
    here; the Python loop below runs the rest, and any document the stylesheet fails on.
    `skip(element)`: elements whose findings are not wanted (a firing on them, or on an
    attribute of theirs, is left out before it is worded; the others are as without it)."""
    if not schema.xpath2:
        sheet = stylesheet(schema)
        hits = sheet.hits(tree) if sheet is not None else None
        if hits is not None:
            if skip is not None:
                hits = [h for h in hits if not skip(h[1] if isinstance(h[1], etree._Element) else h[1].getparent())]
            return _from_hits(schema, Doc(tree), filename, hits)
    found = evaluate_in_python(schema, tree, filename)
    if skip is None:
        return found
    return [f for f in found if f.node is None
            or not skip(f.node.owner if isinstance(f.node, schxpath.Attr) else f.node)]


def stylesheet(schema: Schematron):
    """The schema's stylesheet (schstyle.Stylesheet; None: the Python runner runs it),
    compiled on the first call and kept with the schema."""
    sheet = schema.__dict__.get("_stylesheet", False)
    if sheet is False:
        sheet = schema.__dict__["_stylesheet"] = schstyle.compile_stylesheet(schema, _lxml_variable)
    return sheet


def _from_hits(schema: Schematron, doc: Doc, filename, hits) -> list:
    """The findings of the stylesheet's firings, worded as the Python loop words them; a
    node an earlier rule of its pattern selects is that rule's, and is dropped here."""
    run = _Run(schema, doc, filename)
    doc_vars = None
    pattern_vars: dict = {}
    taken: dict = {}
    rule_vars: dict = {}
    for (p, r, c), item in hits:
        node = item if isinstance(item, etree._Element) else schxpath.Attr(item.getparent(), item.attrname)
        pattern = schema.patterns[p]
        rule = pattern.rules[r]
        if doc_vars is None:
            doc_vars = run.lets(schema.lets, None, {})
        if p not in pattern_vars:
            pattern_vars[p] = run.lets(pattern.lets, None, doc_vars)
        if r and (p, r) not in taken:
            taken[p, r] = {n for earlier in pattern.rules[:r] if earlier.select is not None
                           for n in run.select(earlier, pattern_vars[p])}
        if r and node in taken[p, r]:
            continue
        if (p, r, node) not in rule_vars:
            rule_vars[p, r, node] = run.lets(rule.lets, node, pattern_vars[p])
        run.fire(rule.checks[c], node, rule_vars[p, r, node])
    return run.findings


def evaluate_in_python(schema: Schematron, tree, filename: str | None = None) -> list:
    """evaluate(), every expression run by its engine from Python."""
    doc = Doc(tree)
    run = _Run(schema, doc, filename)
    doc_vars = run.lets(schema.lets, None, {})
    for pattern in schema.patterns:
        pattern_vars = run.lets(pattern.lets, None, doc_vars)
        done: set = set()
        for rule in pattern.rules:
            if rule.select is None or (rule.names is not None and not holds(rule.names, doc.names)):
                continue
            for node in run.select(rule, pattern_vars):
                if node in done:
                    continue
                done.add(node)
                rule_vars = run.lets(rule.lets, node, pattern_vars)
                for check in rule.checks:
                    run.check(check, node, rule_vars)
    return run.findings


class _Run:
    def __init__(self, schema, doc, filename):
        self.schema, self.doc, self.filename = schema, doc, filename
        self.findings: list[Finding] = []
        self._failed: set = set()

    def _fail(self, what: str, line, err):
        if what in self._failed:
            return
        self._failed.add(what)
        self.findings.append(Finding(None, None, Issue(
            "warning", "sch:unsupported", f"Schematron {what} failed at run time ({err}); "
            "skipped in this file", self.filename, line, None, "sch")))

    def lets(self, lets, node, variables) -> dict:
        out = dict(variables)
        for name, expr in lets:
            try:
                value = expr.evaluate(self.doc, node, out)
            except XPathFailure as err:
                self._fail(f"let ${name}", getattr(node, "sourceline", None), err)
                value = [] if self.schema.xpath2 else ""
            out[name] = value if self.schema.xpath2 else _lxml_variable(value)
        return out

    def select(self, rule: Rule, variables) -> list:
        expr = rule.select
        try:
            result = expr.evaluate(self.doc, None, {} if not expr.xpath2 and self.schema.xpath2
                                   else variables)
        except XPathFailure as err:
            if not expr.xpath2 and self.schema.xpath2:  # not XPath 1 after all: XPath 2
                try:
                    rule.select = Expr(expr.source, expr.namespaces, True)
                    return self.select(rule, variables)
                except XPathFailure:
                    pass
            self._fail(rule.label, None, err)
            return []
        return schxpath.from_elementpath(result) if expr.xpath2 else schxpath.from_lxml(result)

    def check(self, check: Check, node, variables):
        try:
            fired = schxpath.boolean(check.test.evaluate(self.doc, node, variables))
        except XPathFailure as err:
            self._fail(f"test {check.test_source!r} of {check.rule_label}", node.sourceline, err)
            return
        if fired == (check.kind == "report"):
            self.fire(check, node, variables)

    def fire(self, check: Check, node, variables):
        """The finding of a check that fires on `node`."""
        issue = Issue(check.severity, check.code, self.render(check.message, node, variables),
                      self.filename, node.sourceline, None, "sch")
        self.findings.append(Finding(node, check, issue))

    def render(self, parts, node, variables) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part[1] is None:
                out.append(schxpath.name_of(node))
            else:
                try:
                    value = part[1].evaluate(self.doc, node, variables)
                except XPathFailure:
                    value = ""
                out.append(schxpath.name_of(value) if part[0] == "name" else schxpath.string(
                    value if self.schema.xpath2 or not isinstance(value, list) else value[:1]))
        return " ".join("".join(out).split())


def _lxml_variable(value):
    """A let's value as lxml accepts it: node-sets of attributes or text become the
    string value of their first node (XPath 1.0 string())."""
    if isinstance(value, list) and any(not isinstance(v, etree._Element) for v in value):
        if not value:
            return ""
        first = value[0]  # in document order; an element's (or comment's) string value is
        return first.xpath("string()") if isinstance(first, etree._Element) else str(first)
    return "" if value is None else value
