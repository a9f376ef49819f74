"""ISO Schematron (XPath 1.0 binding) evaluated in Python with lxml XPath.

Evaluating the rules ourselves, rather than through the XSLT skeleton, gives the source
line of every failing node. Supported: `sch:ns`, `sch:let` (schema, pattern and rule
level, `@value`), `sch:pattern/@id`, `sch:rule/@context` (an XSLT pattern: unions,
absolute and relative paths, attribute contexts), abstract rules with `sch:extends`,
`sch:assert` and `sch:report` with `@test`, `@id` (the finding's code is `sch:<id>`) and
`@role` (severity), `sch:value-of` and `sch:name` in messages. Within a pattern a node is
handled by the first rule whose context matches it, as the standard says. Not supported:
phases (all patterns run), abstract patterns, `sch:include`, XPath 2 (an expression that
lxml cannot compile is reported once as a `sch:unsupported` warning and skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from teikit.core.errors import Issue, UsageError
from teikit.core.xmlsafe import make_parser

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_S = {"s": SCH_NS}
_SEVERITY = {"error": "error", "fatal": "error", "warning": "warning", "warn": "warning",
             "info": "info", "information": "info"}


@dataclass
class Check:
    kind: str  # "assert" | "report"
    test: etree.XPath
    test_source: str
    code: str
    severity: str
    message: list  # strings and ("value-of", XPath) / ("name", XPath|None)
    line: int | None


@dataclass
class Rule:
    context: str
    context_xpath: etree.XPath
    lets: list  # (name, XPath)
    checks: list[Check]


@dataclass
class Pattern:
    id: str | None
    lets: list
    rules: list[Rule]


@dataclass
class Schematron:
    path: str
    namespaces: dict
    lets: list
    patterns: list[Pattern]
    problems: list[Issue] = field(default_factory=list)
    inline: dict = field(default_factory=dict)  # absolute lets, substituted textually


def split_union(pattern: str) -> list[str]:
    """Split an XSLT pattern at top-level `|`."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(pattern):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return [p.strip() for p in parts if p.strip()]


def pattern_to_xpath(pattern: str) -> str:
    """An XSLT match pattern as an XPath selecting every node it matches."""
    out = []
    for part in split_union(pattern):
        if part.startswith("/"):
            out.append(part)
        else:
            out.append("//" + part)
    return " | ".join(out)


def _substitute(expr: str, inline: dict) -> str:
    for name, value in inline.items():
        expr = re.sub(r"\$" + re.escape(name) + r"(?![\w.-])", lambda m: f"({value})", expr)
    return expr


def _xpath(expr: str, namespaces, schema: Schematron, where) -> etree.XPath | None:
    expr = _substitute(expr, schema.inline)
    try:
        compiled = etree.XPath(expr, namespaces=namespaces, smart_strings=True)
        _NS_CACHE[id(compiled)] = namespaces
        return compiled
    except etree.XPathSyntaxError as err:
        schema.problems.append(Issue(
            "warning", "sch:unsupported",
            f"XPath {expr!r} cannot be evaluated by XPath 1.0 ({err}); the check is skipped",
            schema.path, where.sourceline, None, "sch"))
        return None


def _lets(parent, namespaces, schema, absolute: bool = False) -> list:
    """Compiled lets; with `absolute`, lets whose value is an absolute path are inlined
    into later expressions instead (lxml cannot pass attribute node-sets as variables)."""
    lets = []
    for let in parent.findall(f"{{{SCH_NS}}}let"):
        value = let.get("value")
        if value is None:
            value = "string(" + repr("".join(let.itertext())).replace("\\'", "&apos;") + ")"
        compiled = _xpath(value, namespaces, schema, let)
        if compiled is None:
            continue
        if absolute and value.lstrip().startswith("/"):
            schema.inline[let.get("name")] = _substitute(value, schema.inline)
        else:
            lets.append((let.get("name"), compiled))
    return lets


def _message(check_el, namespaces, schema) -> list:
    parts: list = []
    if check_el.text:
        parts.append(check_el.text)
    for child in check_el:
        if isinstance(child.tag, str) and child.tag == f"{{{SCH_NS}}}value-of":
            compiled = _xpath(child.get("select", "."), namespaces, schema, child)
            parts.append(("value-of", compiled))
        elif isinstance(child.tag, str) and child.tag == f"{{{SCH_NS}}}name":
            path = child.get("path")
            parts.append(("name", _xpath(path, namespaces, schema, child) if path else None))
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        if child.tail:
            parts.append(child.tail)
    return parts


def load(path) -> Schematron:
    """Read and compile an ISO Schematron schema. Unreadable -> UsageError."""
    try:
        tree = etree.parse(str(path), make_parser())
    except (OSError, etree.XMLSyntaxError) as err:
        raise UsageError(f"Cannot read Schematron {str(path)!r}: {err}") from None
    return compile_tree(tree, str(path))


def compile_tree(tree, path: str = "<schematron>") -> Schematron:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if root.tag != f"{{{SCH_NS}}}schema":
        raise UsageError(f"{path!r} is not an ISO Schematron schema (root {root.tag!r}); "
                         f"expected <schema xmlns={SCH_NS!r}>")
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(f"{{{SCH_NS}}}ns")}
    schema = Schematron(path, namespaces, [], [])
    schema.lets = _lets(root, namespaces, schema, absolute=True)
    abstract = {r.get("id"): r for r in root.iter(f"{{{SCH_NS}}}rule")
                if r.get("abstract") == "true" and r.get("id")}
    for pat in root.iter(f"{{{SCH_NS}}}pattern"):
        if pat.get("abstract") == "true" or pat.get("is-a"):
            schema.problems.append(Issue("warning", "sch:unsupported",
                                         "Abstract patterns are not supported; pattern skipped",
                                         path, pat.sourceline, None, "sch"))
            continue
        outer = dict(schema.inline)
        pattern = Pattern(pat.get("id"), _lets(pat, namespaces, schema, absolute=True), [])
        for rule_el in pat.findall(f"{{{SCH_NS}}}rule"):
            if rule_el.get("abstract") == "true":
                continue
            context = rule_el.get("context", "")
            context_xpath = _xpath(pattern_to_xpath(context), namespaces, schema, rule_el)
            if context_xpath is None:
                continue
            sources = [rule_el] + [abstract[e.get("rule")] for e in
                                   rule_el.findall(f"{{{SCH_NS}}}extends")
                                   if e.get("rule") in abstract]
            lets, checks = [], []
            for source in sources:
                lets += _lets(source, namespaces, schema)
                checks += _checks(source, pattern, rule_el, namespaces, schema)
            pattern.rules.append(Rule(context, context_xpath, lets, checks))
        schema.patterns.append(pattern)
        schema.inline = outer
    return schema


def _checks(source, pattern, rule_el, namespaces, schema) -> list[Check]:
    checks = []
    for el in source:
        if not isinstance(el.tag, str) or etree.QName(el).localname not in ("assert", "report"):
            continue
        if etree.QName(el).namespace != SCH_NS:
            continue
        test = el.get("test", "true()")
        compiled = _xpath(f"boolean({test})", namespaces, schema, el)
        if compiled is None:
            continue
        ident = el.get("id") or rule_el.get("id") or pattern.id or etree.QName(el).localname
        severity = _SEVERITY.get((el.get("role") or "error").lower(), "error")
        checks.append(Check(etree.QName(el).localname, compiled, test, f"sch:{ident}",
                            severity, _message(el, namespaces, schema), el.sourceline))
    return checks


def _is_attribute(node) -> bool:
    return isinstance(node, etree._ElementUnicodeResult) and node.is_attribute


def _evaluate(xpath: etree.XPath, node, variables):
    """Evaluate with `node` as context; attribute nodes are evaluated through their
    owner element (lxml cannot use an attribute as context node)."""
    if _is_attribute(node):
        owner = node.getparent()
        qname = etree.QName(node.attrname)
        if qname.namespace == "http://www.w3.org/XML/1998/namespace":
            ns, name = {}, f"xml:{qname.localname}"
        elif qname.namespace:
            ns, name = {"_a": qname.namespace}, f"_a:{qname.localname}"
        else:
            ns, name = {}, qname.localname
        inner = xpath.path
        if inner.startswith("boolean(") and inner.endswith(")"):
            probe = etree.XPath(f"boolean(@{name}[{inner}])",
                                namespaces={**_namespaces(xpath), **ns})
            return probe(owner, **variables)
        if inner.strip() == ".":
            return str(node)
        return etree.XPath(inner, namespaces=_namespaces(xpath))(owner, **variables)
    return xpath(node, **variables)


_NS_CACHE: dict[int, dict] = {}


def _namespaces(xpath) -> dict:
    return _NS_CACHE.get(id(xpath), {})


def _string(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
        if isinstance(value, etree._Element):
            return "".join(value.itertext())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _node_name(node) -> str:
    if _is_attribute(node):
        q = etree.QName(node.attrname)
        return q.localname if not q.namespace else f"{{{q.namespace}}}{q.localname}"
    if isinstance(node, etree._Element) and isinstance(node.tag, str):
        return etree.QName(node).localname
    return ""


def _render(parts, node, variables) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part[1] is None:
            out.append(_node_name(node))
        elif part[0] == "name":
            value = _safe(part[1], node, variables)
            out.append(_node_name(value[0]) if isinstance(value, list) and value else "")
        else:
            try:
                out.append(_string(_evaluate(part[1], node, variables)))
            except (etree.XPathError, TypeError):
                out.append("")
    return " ".join("".join(out).split())


def _line(node) -> int | None:
    if _is_attribute(node):
        node = node.getparent()
    return getattr(node, "sourceline", None)


def validate_tree(schema: Schematron, tree, filename: str | None) -> list[Issue]:
    """Schematron findings for one document, in document order per pattern."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    issues: list[Issue] = []
    doc_vars = {}
    for name, xpath in schema.lets:
        doc_vars[name] = _variable(_safe(xpath, root, doc_vars))
    for pattern in schema.patterns:
        pattern_vars = dict(doc_vars)
        for name, xpath in pattern.lets:
            pattern_vars[name] = _variable(_safe(xpath, root, pattern_vars))
        done: set = set()
        for rule in pattern.rules:
            for node in _safe(rule.context_xpath, root, pattern_vars) or []:
                key = (id(node.getparent()), node.attrname) if _is_attribute(node) else node
                if not isinstance(node, etree._Element) and not _is_attribute(node):
                    continue
                if key in done:
                    continue
                done.add(key)
                rule_vars = dict(pattern_vars)
                for name, xpath in rule.lets:
                    rule_vars[name] = _variable(_safe(xpath, node, rule_vars))
                for check in rule.checks:
                    try:
                        fired = bool(_evaluate(check.test, node, rule_vars))
                    except (etree.XPathError, TypeError) as err:
                        _unsupported(schema, check, err)
                        continue
                    if fired == (check.kind == "report"):
                        issues.append(Issue(check.severity, check.code,
                                            _render(check.message, node, rule_vars),
                                            filename, _line(node), None, "sch"))
    return issues


def _unsupported(schema: Schematron, check: Check, err) -> None:
    message = (f"Test {check.test_source!r} cannot be evaluated by XPath 1.0 ({err}); "
               "the check is skipped")
    issue = Issue("warning", "sch:unsupported", message, schema.path, check.line, None, "sch")
    if issue not in schema.problems:
        schema.problems.append(issue)


def _variable(value):
    """A let's value as lxml accepts it: node-sets of attributes or text become the
    string value of their first node (XPath 1.0 string())."""
    if isinstance(value, list) and any(not isinstance(v, etree._Element) for v in value):
        return str(value[0]) if value else ""
    return "" if value is None else value


def _safe(xpath, node, variables):
    try:
        return _evaluate(xpath, node, variables)
    except (etree.XPathError, TypeError):
        return None
