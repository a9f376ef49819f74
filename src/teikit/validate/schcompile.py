"""Compiling an ISO Schematron schema (as schread.py has prepared it) into the
Schematron of schmodel.py: namespaces, lets at schema, phase, pattern and rule level,
abstract rules, assert/report with their messages and diagnostics, each expression
compiled for the schema's binding. A rule that cannot be compiled becomes one
`sch:unsupported` warning in `Schematron.problems`; the rest of the schema runs.

For an XPath 2 schema, a rule's context also yields a condition on the element names a
document must contain for it to match anything (`holds`), so a run skips what cannot match.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from teikit.core.errors import Issue, UsageError
from teikit.validate import schxpath
from teikit.validate.schmodel import SCH_NS, Check, Pattern, Rule, Schematron, sch
from teikit.validate.schread import active_patterns, instantiate_abstract, resolve_includes
from teikit.validate.schxpath import Expr, XPathFailure

_SEVERITY = {"error": "error", "fatal": "error", "warning": "warning", "warn": "warning",
             "info": "info", "information": "info", "nonfatal": "warning"}


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
    return " | ".join(part if part.startswith("/") else "//" + part for part in split_union(pattern))


def compile_tree(tree, path: str = "<schematron>", phase: str | None = None) -> Schematron:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if root.tag != sch("schema"):
        raise UsageError(f"{path!r} is not an ISO Schematron schema (root {root.tag!r}); "
                         f"expected <schema xmlns={SCH_NS!r}>")
    root = copy.deepcopy(root)
    resolve_includes(root, path)
    problems: list[Issue] = []
    instantiate_abstract(root, path, problems)
    active, phase_lets = active_patterns(root, phase, path)
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(sch("ns"))}
    schema = Schematron(path, namespaces, [], [], problems,
                        xpath2=schxpath.is_xpath2(root.get("queryBinding")), phase=phase)
    diagnostics = {d.get("id"): d for d in root.iter(sch("diagnostic")) if d.get("id")}
    schema.lets = _lets(root.findall(sch("let")) + phase_lets, root, schema, absolute=True)
    abstract = {r.get("id"): r for r in root.iter(sch("rule"))
                if r.get("abstract") == "true" and r.get("id")}
    for pat in root.iter(sch("pattern")):
        if active is not None and pat.get("id") not in active:
            continue
        outer = dict(schema.inline)
        pattern = Pattern(pat.get("id"), _lets(pat.findall(sch("let")), pat, schema, absolute=True), [])
        for rule_el in pat.findall(sch("rule")):
            if rule_el.get("abstract") == "true":
                continue
            pattern.rules.append(_rule(rule_el, pattern, abstract, diagnostics, schema))
        schema.patterns.append(pattern)
        schema.inline = outer
    return schema


def _namespaces(schema: Schematron, el) -> dict:
    """sch:ns first; prefixes declared on the element itself as a fallback (TEI's
    embedded rules rely on the grammar's own declarations)."""
    return {**{k: v for k, v in el.nsmap.items() if k}, **schema.namespaces}


def _substitute(expr: str, inline: dict) -> str:
    for name, value in inline.items():
        expr = re.sub(r"\$" + re.escape(name) + r"(?![\w.-])", lambda m: f"({value})", expr)
    return expr


def _expr(source: str, schema: Schematron, el) -> Expr:
    if not schema.xpath2:
        source = _substitute(source, schema.inline)
    return Expr(source, _namespaces(schema, el), schema.xpath2)


def _lets(lets, el, schema, absolute: bool = False) -> list:
    """Compiled lets. XPath 1: with `absolute`, lets whose value is an absolute path are
    inlined into later expressions instead (lxml cannot pass attribute node-sets)."""
    out = []
    for let in lets:
        value = let.get("value")
        if value is None:
            value = "string(" + repr("".join(let.itertext())).replace("\\'", "&apos;") + ")"
        try:
            compiled = _expr(value, schema, let)
        except XPathFailure as err:
            _problem(schema, let, f"let ${let.get('name')} cannot be evaluated ({err}); "
                     "the expressions that use it are skipped")
            continue
        if absolute and not schema.xpath2 and value.lstrip().startswith("/"):
            schema.inline[let.get("name")] = _substitute(value, schema.inline)
        else:
            out.append((let.get("name"), compiled))
    return out


def _problem(schema: Schematron, where, message: str):
    issue = Issue("warning", "sch:unsupported", message, schema.path,
                  getattr(where, "sourceline", None), None, "sch")
    if issue not in schema.problems:
        schema.problems.append(issue)


def _rule(rule_el, pattern, abstract, diagnostics, schema) -> Rule:
    context = rule_el.get("context", "")
    label = f"rule {context!r} of pattern {pattern.id or '(unnamed)'}"
    failures = []
    select = None
    try:
        select = _context_expr(context, schema, rule_el)
    except XPathFailure as err:
        failures.append(f"context: {err}")
    sources = [rule_el] + [abstract[e.get("rule")] for e in rule_el.findall(sch("extends"))
                           if e.get("rule") in abstract]
    lets, checks = [], []
    for source in sources:
        for let in source.findall(sch("let")):
            try:
                lets.append((let.get("name"), _expr(let.get("value") or "''", schema, let)))
            except XPathFailure as err:
                failures.append(f"let ${let.get('name')}: {err}")
        for el in source:
            if el.tag not in (sch("assert"), sch("report")):
                continue
            test = el.get("test", "true()")
            try:
                compiled = _expr(f"boolean({test})", schema, el)
                message = _message(el, schema) + _diagnostics(el, diagnostics, schema)
            except XPathFailure as err:
                failures.append(f"test {test!r}: {err}")
                continue
            ident = el.get("id") or rule_el.get("id") or pattern.id or etree.QName(el).localname
            severity = _SEVERITY.get((el.get("role") or "error").lower(), "error")
            checks.append(Check(etree.QName(el).localname, compiled, test, f"sch:{ident}",
                                severity, message, el.sourceline, label))
    if failures:
        skipped = "the rule is skipped" if select is None else "those checks are skipped"
        _problem(schema, rule_el, f"Schematron {label} cannot run ({'; '.join(failures)}); {skipped}")
    names = _needed_names(context, _namespaces(schema, rule_el)) if select is not None else None
    return Rule(context, select, lets, checks, label, names)


def _strip_predicates(text: str) -> str:
    out, depth, quote = [], 0, None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
            continue
        if depth and ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def _needed_names(context: str, namespaces: dict):
    """For an XPath 2 context selected in Python: a condition on the element names
    (Clark) a document must contain for the pattern to match anything -- ("or", [...]),
    ("and", [...]) or a name -- or None. Only patterns made of name tests, `/`, `|` and
    parentheses qualify (no wildcard, axis, kind test or function)."""
    steps = _strip_predicates(context)
    if re.search(r"[*@.]|::|[\w)]\s*\(", steps) or not steps.strip():
        return None
    tokens = re.findall(r"//|/|\||\(|\)|[^\s/|()]+", steps)
    try:
        cond, rest = _union(tokens, namespaces)
    except (IndexError, KeyError, ValueError):
        return None
    return cond if not rest else None


def _union(tokens, ns):
    alts = []
    cond, tokens = _path(tokens, ns)
    alts.append(cond)
    while tokens and tokens[0] == "|":
        cond, tokens = _path(tokens[1:], ns)
        alts.append(cond)
    return (("or", alts) if len(alts) > 1 else alts[0]), tokens


def _path(tokens, ns):
    parts = []
    while tokens and tokens[0] in ("/", "//"):
        tokens = tokens[1:]
    while tokens:
        if tokens[0] == "(":
            cond, tokens = _union(tokens[1:], ns)
            if tokens[0] != ")":
                raise ValueError("unbalanced")
            tokens = tokens[1:]
        else:
            prefix, _, local = tokens[0].rpartition(":")
            cond = f"{{{ns[prefix]}}}{local}" if prefix else local
            tokens = tokens[1:]
        parts.append(cond)
        if not tokens or tokens[0] not in ("/", "//"):
            break
        tokens = tokens[1:]
    if not parts:
        raise ValueError("empty step")
    return (("and", parts) if len(parts) > 1 else parts[0]), tokens


def holds(cond, names) -> bool:
    if isinstance(cond, str):
        return cond in names
    if cond[0] == "or":
        return any(holds(c, names) for c in cond[1])
    return all(holds(c, names) for c in cond[1])


def _context_expr(context: str, schema: Schematron, rule_el) -> Expr:
    xpath = pattern_to_xpath(context)
    if schema.xpath2 and "$" not in xpath:
        try:  # the same pattern in XPath 1.0, selected by libxml2: much faster
            return Expr(xpath, _namespaces(schema, rule_el), False)
        except XPathFailure:
            pass
    return _expr(xpath, schema, rule_el)


def _message(check_el, schema) -> list:
    parts: list = []
    if check_el.text:
        parts.append(check_el.text)
    for child in check_el:
        if child.tag == sch("value-of"):
            parts.append(("value-of", _expr(child.get("select", "."), schema, child)))
        elif child.tag == sch("name"):
            path = child.get("path")
            parts.append(("name", _expr(path, schema, child) if path else None))
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        if child.tail:
            parts.append(child.tail)
    return parts


def _diagnostics(check_el, diagnostics, schema) -> list:
    parts = []
    for ident in (check_el.get("diagnostics") or "").split():
        if ident in diagnostics:
            parts += [" ("] + _message(diagnostics[ident], schema) + [")"]
    return parts


# --- running ----------------------------------------------------------------------------------
