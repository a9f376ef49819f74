"""Which rules of an XPath 1.0 Schematron schema can check a teiCorpus from its own nodes and
stubs of its members (teikit.validate.stubs), proved from the rules' expressions.

The container F is the teiCorpus with every member XIncluded (each member root marked with
xml:base); M is a member's own file. A rule is

* *member-local* ("L") when, at any node inside a member, its context match, lets, tests and
  messages read only that member's subtree, never its xml:base (the one thing XInclude adds),
  and no ancestor outside the member: in F it fires inside the member exactly where, and with
  the message with which, it fires in M. Its findings inside members are the members' own.
* *outside-only* ("G") when no node inside a member can match its context in F: a step that
  lies inside the member carries `not(ancestor-or-self::*[@xml:base])`, or the pattern is
  anchored at a root element the container's is not.

Every rule must be one or the other (a union context: every alternative of one kind; in M an
outside-only alternative would match too), and in a pattern no outside-only rule may precede a
member-local one (in M it would take nodes that in F go to the later rule). Then, at the
container's own nodes, each rule is evaluated on the reduced container R (members replaced by
stubs); `container` mode proves that each expression evaluated there gives in R what it gives
in F. R keeps the container's own nodes as they are; a stub is the member root with all its
attributes, in its place; below it, a flat copy (tag and some attributes) of every member
element that a *demand* needs. A demand is the one way an expression may reach into member
content: a descendant (or following/preceding) step with an element name test whose
predicates read only the candidate's attributes by name (and values from outside), not its
position, and whose node-set is only counted, tested for being empty or united. A copy
carries only the attributes a comparison with a string or a node-set needs (`@a = false()`
holds without @a: every such element is copied).
`//tei:*[@xml:id = current()/@xml:id]` is such a demand: R keeps every member element with
an xml:id, with its xml:id.

Anything else (absolute paths inside members, ancestors a container element could match,
sibling, following and preceding axes out of a member, id(), key(), document(), lang(),
generate-id(), string values of container elements that hold members, current() in a rule
context (the runner binds it to the root element), any document, phase or pattern let not
proved (the runner evaluates every let, on the root element, and its type may depend on the
data), XPath 2) makes `analyse` return None: the caller validates the fully expanded tree, as before. The
abstract evaluation of expressions is teikit.validate.xpathreach; this module reads the
patterns and rules. The proof covers XPath 1.0 schemas (lxml and libxslt evaluate them
the same way); an XPath 2 schema is not proved.
"""

from __future__ import annotations

from dataclasses import dataclass

from teikit.core.names import XML_NS
from teikit.validate.schcompile import split_union
from teikit.validate.schxpath import _CURRENT, CURRENT_VAR
from teikit.validate.xpathreach import (ANC, DOC, IN, OWN, Analysis, Demand, Eval, NotLocal, Value,  # noqa: F401
                                        _can_match, _step_of)

#: part of the key of proofs kept between runs (teikit.validate.containers): a change to
#: what this module or xpathreach proves must change it
VERSION = "2"


def key_parts(schema) -> list:
    """What a proof of `schema` depends on besides the container's names: every expression
    the analysis reads, where it stands."""
    def exprs(lets):
        return [[name, expr.source] for name, expr in lets]
    return [VERSION, schema.xpath2, sorted(schema.namespaces.items(), key=str), exprs(schema.lets),
            [[exprs(p.lets), [[r.context, r.select is not None, exprs(r.lets),
                               [[c.test.source, [part if isinstance(part, str) else
                                                 [part[0], None if part[1] is None else part[1].source]
                                                 for part in c.message]] for c in r.checks]]
                              for r in p.rules]] for p in schema.patterns]]


def to_json(proof: Analysis | None):
    if proof is None:
        return None
    return {"local": sorted([p, r] for p, r in proof.local),
            "demands": sorted([d.ns, d.local, sorted(d.required), sorted(d.attrs)] for d in proof.demands)}


def from_json(data) -> Analysis | None:
    if data is None:
        return None
    return Analysis({(p, r) for p, r in data["local"]},
                    {Demand(ns, local, frozenset(map(tuple, req)), frozenset(map(tuple, attrs)))
                     for ns, local, req, attrs in data["demands"]})


def analyse(schema, own_ancestors: frozenset, member_roots: frozenset, container_root) -> Analysis | None:
    """The proof for a schema and a container whose own elements above members have the
    (namespace, local) names `own_ancestors`, whose stubbed member roots have the names
    `member_roots`, and whose root element has the name `container_root`; None: not proved."""
    if schema.xpath2:
        return None
    try:
        return _analyse(schema, own_ancestors, member_roots, container_root)
    except (NotLocal, Exception):  # noqa: BLE001 - anything not understood is not proved
        return None


def _analyse(schema, U, V, container_root) -> Analysis:
    from elementpath import XPath1Parser

    ns = dict(schema.namespaces)
    parser = XPath1Parser(namespaces={k: v for k, v in ns.items() if k})
    out = Analysis()

    parsed: dict = {}

    def parse(source: str):
        if source not in parsed:
            parsed[source] = parser.parse(_CURRENT.sub(f"${CURRENT_VAR}", source))
        return parsed[source]

    # document, phase and pattern lets are evaluated on the root element (the runner, and the
    # stylesheet's for-each over "*"), which in R is the container's root: it holds the stubs
    doc_env = _lets(schema.lets, parse, Eval("container", U, V, ns, out), {ANC}, {ANC}, {})
    for p, pattern in enumerate(schema.patterns):
        penv = _lets(pattern.lets, parse, Eval("container", U, V, ns, out), {ANC}, {ANC}, doc_env)
        outside_seen = False
        for r, rule in enumerate(pattern.rules):
            if rule.select is None:
                continue
            alternatives = [_pattern(parse(a)) for a in split_union(rule.context)]
            kinds = {_member_kind(alt, U, V, ns, container_root) for alt in alternatives}
            if len(kinds) != 1:  # in M the outside-only alternatives would match too
                raise NotLocal("a union of member-local and outside-only alternatives")
            if kinds == {"G"}:
                outside_seen = True
            else:
                if outside_seen:
                    raise NotLocal("an outside-only rule precedes a member-local one")
                _rule_exprs(rule, parse, Eval("member", U, V, ns, out), {IN}, {})
                out.local.add((p, r))
            places = set()
            for alt in alternatives:
                places |= _container_match(alt, Eval("container", U, V, ns, out))
            if places:
                _rule_exprs(rule, parse, Eval("container", U, V, ns, out), places, penv)
    return out


def _lets(lets, parse, ev, ctx, cur, env) -> dict:
    """The lets' values; one not proved makes the schema not proved (NotLocal), since the
    runner evaluates every let and its type may depend on the data (a node-set holding
    attributes becomes a string), so even an unused let may fail in F only."""
    env = dict(env)
    for name, expr in lets:
        env[name] = ev.let_value(ev.ev(parse(expr.source), frozenset(ctx), frozenset(cur), env))
    return env


def _rule_exprs(rule, parse, ev, places, env):
    ctx = frozenset(places)
    env = dict(env)
    if ev.mode == "member":  # document and pattern lets are the member's, not the container's
        env = {}
    for name, expr in rule.lets:
        env[name] = ev.let_value(ev.ev(parse(expr.source), ctx, ctx, env))
    for check in rule.checks:
        ev.use(ev.ev(parse(check.test.source), ctx, ctx, env), "boolean")
        for part in check.message:
            if isinstance(part, str):
                continue
            if part[1] is None:
                ev.use(Value("nodes", ctx), "name")
            else:
                value = ev.ev(parse(part[1].source), ctx, ctx, env)
                ev.use(value, "name" if part[0] == "name" else "string")


# --- patterns ---------------------------------------------------------------------------------

@dataclass
class Step:
    sep: str  # "/" or "//": how it hangs below the step before it
    axis: str
    test: tuple
    preds: list


def _pattern(tok) -> tuple[str | None, list[Step]]:
    """(anchor "/" or None, steps from the first to the matched one) of a match pattern."""
    def step(t, sep) -> Step:
        preds = []
        while t.symbol == "[":
            preds.insert(0, t[1])
            t = t[0]
        axis, test = _step_of(t)
        return Step(sep, axis, test, preds)

    def walk(t):
        if t.symbol in ("/", "//") and len(t) == 2:
            anchor, steps = walk(t[0])
            return anchor, steps + [step(t[1], t.symbol)]
        if t.symbol in ("/", "//") and len(t) == 1:
            return ("/" if t.symbol == "/" else None), [step(t[0], t.symbol)]
        return None, [step(t, "//")]

    anchor, steps = walk(tok)
    if any(s.axis != "child" for s in steps):
        raise NotLocal("pattern step on another axis")
    if steps[-1].test[0] != "elem":
        raise NotLocal("the context is not an element")
    return anchor, steps


def _is_guard(pred) -> bool:
    """`not(ancestor-or-self::*[@xml:base])` (or node()), alone or as a conjunct."""
    if pred.symbol == "and":
        return _is_guard(pred[0]) or _is_guard(pred[1])
    if pred.symbol != "not" or len(pred) != 1 or pred[0].symbol != "[":
        return False
    step, inner = pred[0][0], pred[0][1]
    try:
        axis, test = _step_of(step)
        attr_axis, attr = _step_of(inner)
    except NotLocal:
        return False
    return (axis == "ancestor-or-self" and (test == ("node",) or test == ("elem", None, None))
            and attr_axis == "attribute" and attr == ("attr", XML_NS, "base"))


def _member_kind(alt, U, V, ns, container_root) -> str:
    """"G" when no node inside a member can match the pattern in F, "L" when it matches
    there as in the member's own file (NotLocal otherwise)."""
    anchor, steps = alt
    if anchor == "/":  # the first step is the document's root element: the container's
        return "G" if not _can_match(steps[0].test, {container_root}) else _raise("anchored at the container")
    inside = True  # is the node of this step inside the member when the matched one is?
    for j in range(len(steps) - 1, -1, -1):
        if j < len(steps) - 1:
            inside = inside and steps[j].test[0] == "elem" and not _can_match(steps[j].test, U)
        if inside and any(_is_guard(p) for p in steps[j].preds):
            return "G"
    if not inside:
        raise NotLocal("a pattern step may match a container element")
    ev = Eval("member", U, V, ns, Analysis())
    for step in steps:
        for pred in step.preds:
            ev.predicate(pred, frozenset({IN}), None, {}, positional=False)  # None: no current()
    return "L"


def _raise(why):
    raise NotLocal(why)


def _container_match(alt, ev) -> set:
    """The places in R of the container's own nodes the pattern can match (their predicates
    proved on the way)."""
    anchor, steps = alt
    places = set()
    for j, step in enumerate(steps):
        here = {OWN} | ({ANC} if _can_match(step.test, ev.U) else set())
        for pred in step.preds:
            ev.predicate(pred, frozenset(here), None, {}, positional=True)  # None: no current()
        if j == len(steps) - 1:
            places = here
    return places
