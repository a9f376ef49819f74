"""ISO Schematron, evaluated in Python: XPath 1.0 by lxml, XPath 2/3 by elementpath.

Evaluating the rules ourselves, rather than through the XSLT skeleton, gives the source
line of every failing node and needs no JVM. `queryBinding` picks the engine
(validate/schxpath.py); the Schematron embedded in a RELAX NG grammar (TEI's tei_all and
every ODD-generated schema: `embedded(rng_path)`) is XPath 2, as in Oxygen and the TEI's
own tools.

Supported: `sch:include` (also inside includes) and `sch:extends/@href`; abstract patterns
(`pattern/@abstract`, `pattern/@is-a` with `sch:param`, substituted in every attribute as
ISO says); phases (`--phase`, else `schema/@defaultPhase`, else all patterns; `#ALL`),
with their `sch:let`s; `sch:ns`; `sch:let` at schema, phase, pattern and rule level;
abstract rules with `sch:extends/@rule`; `sch:assert` and `sch:report` with `@test`, `@id`
(the finding's code is `sch:<id>`, else the rule's or pattern's id), `@role` (severity)
and `@diagnostics`; `sch:value-of` and `sch:name` in messages. Within a pattern a node is
handled by the first rule whose context matches it, as the standard says.

A rule that cannot run (an expression its binding cannot compile, e.g. XSLT's `key()`)
is one `sch:unsupported` warning that names the pattern, the rule and the reason; the
rest of the schema runs. A test that fails at run time is one warning per file.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teikit.core.errors import Issue, UsageError
from teikit.core.xmlsafe import make_parser
from teikit.validate import schxpath
from teikit.validate.schxpath import Attr, Doc, Expr, XPathFailure

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEIX_NS = "http://www.tei-c.org/ns/Examples"
_SEVERITY = {"error": "error", "fatal": "error", "warning": "warning", "warn": "warning",
             "info": "info", "information": "info", "nonfatal": "warning"}


def _s(local: str) -> str:
    return f"{{{SCH_NS}}}{local}"


@dataclass
class Check:
    kind: str  # "assert" | "report"
    test: Expr
    test_source: str
    code: str
    severity: str
    message: list  # strings and ("value-of", Expr) / ("name", Expr | None)
    line: int | None
    rule_label: str = ""


@dataclass
class Rule:
    context: str
    select: Expr | None  # None: the context could not be compiled
    lets: list  # (name, Expr)
    checks: list[Check]
    label: str = ""
    names: object = None  # condition on the element names a match needs (None: unknown)


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
    inline: dict = field(default_factory=dict)  # XPath 1: absolute lets, substituted textually
    xpath2: bool = False
    phase: str | None = None


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


# --- reading: includes, abstract patterns, phases ---------------------------------------

def load(path, phase: str | None = None) -> Schematron:
    """Read and compile an ISO Schematron schema. Unreadable -> UsageError."""
    try:
        tree = etree.parse(str(path), make_parser())
    except (OSError, etree.XMLSyntaxError) as err:
        raise UsageError(f"Cannot read Schematron {str(path)!r}: {err}") from None
    return compile_tree(tree, str(path), phase=phase)


@functools.lru_cache(maxsize=16)
def _embedded_cached(path: str, digest: str) -> Schematron | None:
    try:
        grammar = etree.parse(path, make_parser())
    except (OSError, etree.XMLSyntaxError):
        return None
    return extract_embedded(grammar, path)


def embedded(rng_path) -> Schematron | None:
    """The Schematron embedded in a RELAX NG grammar (None when it has none), compiled
    once per process. Its binding is XPath 2, as the TEI's ODD processors write it."""
    import hashlib
    path = str(rng_path)
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
    return _embedded_cached(path, digest)


def extract_embedded(grammar, path: str) -> Schematron | None:
    root = grammar.getroot() if hasattr(grammar, "getroot") else grammar

    def usable(el):  # not inside a TEI example
        return not any(etree.QName(a).namespace == TEIX_NS for a in el.iterancestors())

    wanted = ("ns", "let", "pattern", "phase", "diagnostics")
    parts = [el for el in root.iter(*[_s(w) for w in wanted]) if usable(el)
             and not any(a.tag in (_s("pattern"), _s("schema"), _s("phase"), _s("diagnostics"))
                         for a in el.iterancestors())]
    if not any(el.tag == _s("pattern") for el in parts):
        return None
    schema = etree.Element(_s("schema"), nsmap={"sch": SCH_NS}, queryBinding="xslt2")
    for el in parts:
        schema.append(_copy_keep_lines(el))
    return compile_tree(etree.ElementTree(schema), path)


def _copy_keep_lines(el):
    clone = copy.deepcopy(el)
    for a, b in zip(el.iter(), clone.iter()):
        b.sourceline = a.sourceline
    return clone


def _resolve_includes(root, base: str, depth: int = 0):
    if depth > 20:
        raise UsageError(f"Schematron includes nested more than 20 deep in {base!r}")
    for inc in list(root.iter(_s("include"), _s("extends"))):
        href = inc.get("href")
        if not href:
            continue
        target = Path(inc.base or base).parent / href.split("#")[0]
        try:
            included = etree.parse(str(target), make_parser()).getroot()
        except (OSError, etree.XMLSyntaxError) as err:
            raise UsageError(f"Schematron {base!r} line {inc.sourceline}: cannot include "
                             f"{href!r}: {err}") from None
        fragment = href.split("#")[1] if "#" in href else None
        if fragment:
            found = included.xpath("//*[@id=$i or @xml:id=$i]", i=fragment)
            if not found:
                raise UsageError(f"Schematron {base!r}: {href!r} names no element with that id")
            included = found[0]
        _resolve_includes(included, str(target), depth + 1)
        parent = inc.getparent()
        index = parent.index(inc)
        if inc.tag == _s("extends"):  # external rule: its content goes in
            replacement = [copy.deepcopy(c) for c in included]
        elif included.tag == _s("schema"):  # a whole schema: its top-level parts
            replacement = [copy.deepcopy(c) for c in included]
        else:
            replacement = [copy.deepcopy(included)]
        parent.remove(inc)
        for offset, item in enumerate(replacement):
            parent.insert(index + offset, item)


def _instantiate_abstract(root, path, problems):
    abstract = {p.get("id"): p for p in root.iter(_s("pattern")) if p.get("abstract") == "true"}
    for pat in list(root.iter(_s("pattern"))):
        base_id = pat.get("is-a")
        if not base_id:
            continue
        base = abstract.get(base_id)
        if base is None:
            problems.append(Issue("warning", "sch:unsupported",
                                  f"Pattern {pat.get('id') or ''} is-a {base_id!r}, which is not "
                                  "an abstract pattern of this schema; pattern skipped",
                                  path, pat.sourceline, None, "sch"))
            pat.getparent().remove(pat)
            continue
        params = {p.get("name"): p.get("value", "") for p in pat.findall(_s("param"))}
        for child in list(pat):
            if child.tag == _s("param"):
                pat.remove(child)
        for child in base:
            clone = copy.deepcopy(child)
            for el in clone.iter():
                for name, value in el.attrib.items():
                    el.set(name, _substitute_params(value, params))
            pat.append(clone)
        del pat.attrib["is-a"]
    for pat in abstract.values():
        pat.getparent().remove(pat)


def _substitute_params(value: str, params: dict) -> str:
    for name in sorted(params, key=len, reverse=True):
        value = re.sub(r"\$" + re.escape(name) + r"(?![\w.\-])", lambda m: params[name], value)
    return value


def _active_patterns(root, phase: str | None, path: str):
    phase = phase or root.get("defaultPhase")
    if not phase or phase == "#ALL":
        return None, []
    for ph in root.iter(_s("phase")):
        if ph.get("id") == phase:
            return {a.get("pattern") for a in ph.findall(_s("active"))}, ph.findall(_s("let"))
    known = sorted(ph.get("id") for ph in root.iter(_s("phase")) if ph.get("id"))
    raise UsageError(f"Schematron {path!r} has no phase {phase!r}; its phases: "
                     f"{', '.join(known) or '(none)'} or #ALL")


# --- compiling ------------------------------------------------------------------------------

def compile_tree(tree, path: str = "<schematron>", phase: str | None = None) -> Schematron:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if root.tag != _s("schema"):
        raise UsageError(f"{path!r} is not an ISO Schematron schema (root {root.tag!r}); "
                         f"expected <schema xmlns={SCH_NS!r}>")
    root = copy.deepcopy(root)
    _resolve_includes(root, path)
    problems: list[Issue] = []
    _instantiate_abstract(root, path, problems)
    active, phase_lets = _active_patterns(root, phase, path)
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(_s("ns"))}
    schema = Schematron(path, namespaces, [], [], problems,
                        xpath2=schxpath.is_xpath2(root.get("queryBinding")), phase=phase)
    diagnostics = {d.get("id"): d for d in root.iter(_s("diagnostic")) if d.get("id")}
    schema.lets = _lets(root.findall(_s("let")) + phase_lets, root, schema, absolute=True)
    abstract = {r.get("id"): r for r in root.iter(_s("rule"))
                if r.get("abstract") == "true" and r.get("id")}
    for pat in root.iter(_s("pattern")):
        if active is not None and pat.get("id") not in active:
            continue
        outer = dict(schema.inline)
        pattern = Pattern(pat.get("id"), _lets(pat.findall(_s("let")), pat, schema, absolute=True), [])
        for rule_el in pat.findall(_s("rule")):
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
    sources = [rule_el] + [abstract[e.get("rule")] for e in rule_el.findall(_s("extends"))
                           if e.get("rule") in abstract]
    lets, checks = [], []
    for source in sources:
        for let in source.findall(_s("let")):
            try:
                lets.append((let.get("name"), _expr(let.get("value") or "''", schema, let)))
            except XPathFailure as err:
                failures.append(f"let ${let.get('name')}: {err}")
        for el in source:
            if el.tag not in (_s("assert"), _s("report")):
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


def _holds(cond, names) -> bool:
    if isinstance(cond, str):
        return cond in names
    if cond[0] == "or":
        return any(_holds(c, names) for c in cond[1])
    return all(_holds(c, names) for c in cond[1])


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
        if child.tag == _s("value-of"):
            parts.append(("value-of", _expr(child.get("select", "."), schema, child)))
        elif child.tag == _s("name"):
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

@dataclass
class Finding:
    node: object  # lxml element or schxpath.Attr
    check: Check
    issue: Issue


def validate_tree(schema: Schematron, tree, filename: str | None) -> list[Issue]:
    """Schematron findings for one document, in document order per pattern, with the
    line and column of the node's start tag (or of the attribute) when the file can be
    read; XIncluded nodes keep the line libxml2 gives."""
    findings = evaluate(schema, tree, filename)
    if not filename or not any(f.node is not None for f in findings):
        return [f.issue for f in findings]
    from dataclasses import replace
    from teikit.validate.rngwalk import Locator
    locator = Locator(filename, tree if hasattr(tree, "getroot") else tree.getroottree())
    out = []
    for f in findings:
        issue = f.issue
        if f.node is not None:
            owner, attr = (f.node.owner, f.node.name) if isinstance(f.node, Attr) else (f.node, None)
            pos = locator.position(owner, attr)
            if pos is not None:
                issue = replace(issue, line=pos[0], col=pos[1])
        out.append(issue)
    return out


def evaluate(schema: Schematron, tree, filename: str | None = None) -> list:
    """Findings (with their nodes) and run-time warnings (Finding with node None)."""
    doc = Doc(tree)
    run = _Run(schema, doc, filename)
    doc_vars = run.lets(schema.lets, None, {})
    for pattern in schema.patterns:
        pattern_vars = run.lets(pattern.lets, None, doc_vars)
        done: set = set()
        for rule in pattern.rules:
            if rule.select is None or (rule.names is not None and not _holds(rule.names, doc.names)):
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
        if fired != (check.kind == "report"):
            return
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
        return str(value[0]) if value else ""
    return "" if value is None else value


def location(node) -> str:
    """The node's path as SVRL writes it (`/Q{ns}name[n]/…/@Q{ns}name`), for comparing
    findings with an XSLT implementation."""
    attr = None
    if isinstance(node, Attr):
        node, attr = node.owner, node.name
    steps = []
    el = node
    while el is not None:
        q = etree.QName(el)
        position = 1 + sum(1 for s in el.itersiblings(preceding=True) if s.tag == el.tag)
        steps.append(f"Q{{{q.namespace or ''}}}{q.localname}[{position}]")
        el = el.getparent()
    path = "/" + "/".join(reversed(steps))
    if attr is not None:
        q = etree.QName(attr)
        path += f"/@Q{{{q.namespace or ''}}}{q.localname}"
    return path


def comparable(schema: Schematron, tree) -> list:
    """Findings as (kind, location, test, message) tuples, as bench/schref.py reads SVRL."""
    return [(f.check.kind, location(f.node), " ".join(f.check.test_source.split()), f.issue.message)
            for f in evaluate(schema, tree) if f.node is not None]
