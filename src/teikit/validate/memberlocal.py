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

Every rule must be one or the other, and in a pattern no outside-only rule may precede a
member-local one (in M it would take nodes that in F go to the later rule). Then, at the
container's own nodes, each rule is evaluated on the reduced container R (members replaced by
stubs); `container` mode proves that each expression evaluated there gives in R what it gives
in F. R keeps the container's own nodes as they are; a stub is the member root with all its
attributes, in its place; below it, a flat copy (tag and some attributes) of every member
element that a *demand* needs. A demand is the one way an expression may reach into member
content: a descendant (or following/preceding) step with an element name test whose
predicates read only the candidate's attributes by name (and values from outside), not its
position, and whose node-set is only counted, tested for being empty or united.
`//tei:*[@xml:id = current()/@xml:id]` is such a demand: R keeps every member element with
an xml:id, with its xml:id.

Anything else (absolute paths inside members, ancestors a container element could match,
sibling, following and preceding axes out of a member, id(), key(), document(), lang(),
generate-id(), string values of container elements that hold members, XPath 2) makes
`analyse` return None: the caller validates the fully expanded tree, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teikit.core.names import XML_NS
from teikit.validate.schcompile import split_union
from teikit.validate.schxpath import _CURRENT, CURRENT_VAR

#: part of the key of proofs kept between runs (teikit.validate.containers): a change to
#: what this module proves must change it
VERSION = "1"

OWN, ANC, DOC, ROOT, DEEP = "own", "anc", "doc", "root", "deep"
OATTR, RATTR, CATTR, OTEXT, CAND = "oattr", "rattr", "cattr", "otext", "cand"
IN, IATTR = "in", "iattr"
STRING_EXACT = {OWN, OATTR, RATTR, CATTR, OTEXT, IN, IATTR}
NAME_EXACT = {OWN, ANC, DOC, ROOT, OATTR, RATTR, OTEXT, IN, IATTR}
AXES = {"child", "descendant", "parent", "ancestor", "self", "attribute", "following", "preceding",
        "following-sibling", "preceding-sibling", "ancestor-or-self", "descendant-or-self", "namespace"}
KINDS = {"node", "text", "comment", "processing-instruction"}
STRING_FNS = {"string", "concat", "substring", "substring-before", "substring-after", "string-length",
              "normalize-space", "translate", "contains", "starts-with", "number", "sum", "floor",
              "ceiling", "round", "format-number"}
NAME_FNS = {"name", "local-name", "namespace-uri"}


class NotLocal(Exception):
    """The expression may read what the reduced container does not hold as the full one does."""


@dataclass(frozen=True)
class Demand:
    """Member elements R must copy: name test (None: any), attributes an element needs to be
    selected at all, attributes the predicates read."""
    ns: str | None
    local: str | None
    required: frozenset
    attrs: frozenset


@dataclass
class Analysis:
    local: set = field(default_factory=set)  # (pattern, rule) indices of member-local rules
    demands: set = field(default_factory=set)


@dataclass(frozen=True)
class Value:
    kind: str  # nodes | string | number | boolean | any
    places: frozenset = frozenset()


SCALAR = {k: Value(k) for k in ("string", "number", "boolean", "any")}


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

    doc_env = _lets(schema.lets, parse, Eval("container", U, V, ns, out), {DOC}, {ANC}, {})
    for p, pattern in enumerate(schema.patterns):
        penv = _lets(pattern.lets, parse, Eval("container", U, V, ns, out), {DOC}, {ANC}, doc_env)
        outside_seen = False
        for r, rule in enumerate(pattern.rules):
            if rule.select is None:
                continue
            alternatives = [_pattern(parse(a)) for a in split_union(rule.context)]
            kinds = {_member_kind(alt, U, V, ns, container_root) for alt in alternatives}
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
    env = dict(env)
    for name, expr in lets:
        try:
            env[name] = ev.let_value(ev.ev(parse(expr.source), frozenset(ctx), frozenset(cur), env))
        except NotLocal:
            env[name] = None  # any use of it is not proved
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


def _step_of(t) -> tuple[str, tuple]:
    """(axis, node test) of a step token."""
    if t.symbol in AXES:
        return t.symbol, _test(t[0], t.symbol == "attribute")
    if t.symbol == "@":
        return "attribute", _test(t[0], True)
    if t.symbol in ("(name)", ":", "*") or t.symbol in KINDS:
        return "child", _test(t, False)
    raise NotLocal(f"not a step: {t.symbol}")


def _test(t, attribute: bool) -> tuple:
    kind = "attr" if attribute else "elem"
    if t.symbol == "*" and len(t) == 0:
        return (kind, None, None)
    if t.symbol == "(name)":
        return (kind, "", t.value)
    if t.symbol == ":" and len(t) == 2:
        prefix = t[0].value
        uri = XML_NS if prefix == "xml" else t.parser.namespaces.get(prefix)
        if uri is None:
            raise NotLocal(f"unknown prefix {prefix}")
        return (kind, uri, None if t[1].symbol == "*" else t[1].value)
    if t.symbol in KINDS and len(t) == 0:
        return ("node",) if t.symbol == "node" else ("text",)
    raise NotLocal(f"node test {t.symbol}")


def _can_match(test: tuple, names) -> bool:
    """Could an element test match an element named one of `names` ((ns, local) pairs)?"""
    if test[0] == "node":
        return bool(names)
    if test[0] != "elem":
        return False
    return any((test[1] is None or test[1] == n) and (test[2] is None or test[2] == l) for n, l in names)


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
            ev.predicate(pred, frozenset({IN}), frozenset({IN}), {}, positional=False)
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
            ev.predicate(pred, frozenset(here), frozenset(here), {}, positional=True)
        if j == len(steps) - 1:
            places = here
    return places


# --- expressions ------------------------------------------------------------------------------

class Eval:
    """Abstract evaluation of an XPath 1.0 expression: which kinds of node a value may hold,
    in R (mode "container") or inside a member (mode "member")."""

    def __init__(self, mode, U, V, namespaces, out: Analysis):
        self.mode, self.U, self.V, self.ns, self.out = mode, U, V, namespaces, out
        self.no_position = 0
        self.read: set = set()  # attributes of member content read (a demand's predicates)

    # uses
    def use(self, value: Value, how: str) -> None:
        if value.kind != "nodes":
            return
        if how in ("boolean", "count"):
            return
        allowed = NAME_EXACT if how == "name" else STRING_EXACT
        if self.mode == "member":
            allowed = {IN, IATTR}
        if not value.places <= allowed:
            raise NotLocal(f"{how} of {sorted(value.places)}")

    def let_value(self, value: Value) -> Value:
        """A let's value as the runner keeps it (a node-set with attributes or text: the
        string of its first node)."""
        if value.kind == "nodes" and value.places & {OATTR, RATTR, CATTR, OTEXT, IATTR}:
            self.use(value, "string")
            return SCALAR["string"]
        return value

    def ev(self, t, ctx, cur, env) -> Value:
        s = t.symbol
        if s in ("(string)",):
            return SCALAR["string"]
        if s in ("(integer)", "(decimal)", "(float)", "(double)"):
            return SCALAR["number"]
        if s == "$":
            if t.value == CURRENT_VAR:
                return Value("nodes", cur)
            value = env.get(t.value)
            if value is None:
                raise NotLocal(f"${t.value}")
            return value
        if s == ".":
            return Value("nodes", ctx)
        if s == "..":
            return self.step(ctx, "parent", ("node",), [], cur, env)
        if s == "(" and len(t) == 1:
            return self.ev(t[0], ctx, cur, env)
        if s in AXES or s in ("@", "(name)", ":") or (s == "*" and len(t) == 0) or (s in KINDS and len(t) == 0):
            axis, test = _step_of(t)
            return self.step(ctx, axis, test, [], cur, env)
        if s == "[":
            preds, base = [], t
            while base.symbol == "[":
                preds.insert(0, base[1])
                base = base[0]
            try:
                axis, test = _step_of(base)
            except NotLocal:
                value = self.ev(base, ctx, cur, env)
                return self.filter(value, preds, cur, env)
            return self.step(ctx, axis, test, preds, cur, env)
        if s in ("/", "//"):
            return self.path(t, ctx, cur, env)
        if s == "|":
            a, b = self.ev(t[0], ctx, cur, env), self.ev(t[1], ctx, cur, env)
            if a.kind != "nodes" or b.kind != "nodes":
                raise NotLocal("union of non-nodes")
            return Value("nodes", a.places | b.places)
        if s in ("and", "or"):
            for c in t:
                self.use(self.ev(c, ctx, cur, env), "boolean")
            return SCALAR["boolean"]
        if s in ("=", "!=", "<", "<=", ">", ">="):
            a, b = self.ev(t[0], ctx, cur, env), self.ev(t[1], ctx, cur, env)
            for x, y in ((a, b), (b, a)):
                self.use(x, "boolean" if y.kind == "boolean" else "string")
            return SCALAR["boolean"]
        if s in ("+", "-", "*", "div", "mod"):
            for c in t:
                self.use(self.ev(c, ctx, cur, env), "string")
            return SCALAR["number"]
        return self.function(t, ctx, cur, env)

    def function(self, t, ctx, cur, env) -> Value:
        s = t.symbol
        args = [self.ev(c, ctx, cur, env) for c in t]
        if s in ("position", "last"):
            if self.no_position:
                raise NotLocal(f"{s}() where positions differ")
            return SCALAR["number"]
        if s in ("true", "false"):
            return SCALAR["boolean"]
        if s in ("not", "boolean"):
            self.use(args[0], "boolean")
            return SCALAR["boolean"]
        if s == "count":
            if args[0].kind != "nodes":
                raise NotLocal("count of a non-node-set")
            return SCALAR["number"]
        if s in NAME_FNS:
            self.use(args[0] if args else Value("nodes", ctx), "name")
            return SCALAR["string"]
        if s in STRING_FNS:
            if not args and s in ("string", "string-length", "normalize-space", "number"):
                args = [Value("nodes", ctx)]
            for a in args:
                self.use(a, "string")
            return SCALAR["number" if s in ("string-length", "number", "sum", "floor", "ceiling", "round")
                          else "boolean" if s in ("contains", "starts-with") else "string"]
        raise NotLocal(f"function {s}()")

    def path(self, t, ctx, cur, env) -> Value:
        if len(t) == 0:  # "/": the document node
            return self.root_node()
        if len(t) == 1:  # "/x" or "//x": from the document node
            left, right = self.root_node(), t[0]
        else:
            left, right = self.ev(t[0], ctx, cur, env), t[1]
        if left.kind != "nodes":  # an error at run time, in R as in F
            return SCALAR["any"]
        if t.symbol == "//":  # descendant-or-self::node()/child::x is descendant::x
            preds, base = [], right
            while base.symbol == "[":
                preds.insert(0, base[1])
                base = base[0]
            axis, test = _step_of(base)
            if axis != "child":
                raise NotLocal(f"// followed by {axis}")
            return self.step(left.places, "descendant", test, preds, cur, env)
        return self.relative(right, left, cur, env)

    def root_node(self) -> Value:
        if self.mode != "container":
            raise NotLocal("an absolute path inside a member")
        return Value("nodes", frozenset({DOC}))

    def relative(self, t, left: Value, cur, env) -> Value:
        if left.kind != "nodes":  # an error at run time, in R as in F
            return SCALAR["any"]
        return self.ev(t, left.places, cur, env)

    def filter(self, value: Value, preds, cur, env) -> Value:
        if value.kind != "nodes":  # an error at run time, in R as in F
            return SCALAR["any"]
        if DEEP in value.places:
            raise NotLocal("a predicate on member content")
        for pred in preds:
            self.predicate(pred, value.places, cur, env, positional=True)
        return value

    def predicate(self, pred, ctx, cur, env, positional: bool) -> None:
        if not positional:
            self.no_position += 1
        try:
            value = self.ev(pred, frozenset(ctx), cur, env)
        finally:
            if not positional:
                self.no_position -= 1
        if not positional and value.kind in ("number", "any"):
            raise NotLocal("a positional predicate")
        self.use(value, "boolean")

    def step(self, ctx, axis, test, preds, cur, env) -> Value:
        if self.mode == "member":
            places = set()
            for place in ctx:
                places |= self._member_step(place, axis, test)
            for pred in preds:
                self.predicate(pred, frozenset(places), cur, env, positional=True)
            return Value("nodes", frozenset(places))
        places = set()
        for place in ctx:
            places |= self._container_step(place, axis, test)
        if DEEP not in places:
            for pred in preds:
                self.predicate(pred, frozenset(places), cur, env, positional=True)
            return Value("nodes", frozenset(places))
        return self.demand(places, axis, test, preds, cur, env)

    def demand(self, places, axis, test, preds, cur, env) -> Value:
        if axis not in ("descendant", "descendant-or-self", "following", "preceding") or test[0] != "elem":
            raise NotLocal(f"{axis} into member content")
        outside = frozenset(places - {DEEP})
        required, read = set(), set()
        for pred in preds:
            if outside:
                self.predicate(pred, outside, cur, env, positional=False)
            cand = Eval(self.mode, self.U, self.V, self.ns, self.out)
            cand.read = read
            cand.predicate(pred, frozenset({CAND}), cur, env, positional=False)
            required |= _required(pred)
        if (XML_NS, "base") in read:
            raise NotLocal("member content's xml:base")
        self.out.demands.add(Demand(test[1], test[2], frozenset(required), frozenset(read)))
        return Value("nodes", frozenset(places))

    def _member_step(self, place, axis, test) -> set:
        if place == IATTR:
            if axis == "parent":
                return {IN}
            if axis == "self":
                return {IATTR}
            raise NotLocal(f"{axis} from an attribute")
        if axis in ("child", "descendant", "self", "descendant-or-self"):
            return {IN} if test[0] != "attr" else set()
        if axis == "attribute":
            if test[1] is None or test[1] == XML_NS and test[2] in (None, "base"):
                raise NotLocal("an attribute test that matches xml:base")
            return {IATTR}
        if axis in ("parent", "ancestor", "ancestor-or-self"):
            if test[0] == "elem" and not _can_match(test, self.U):
                return {IN}
            raise NotLocal(f"{axis} may leave the member")
        raise NotLocal(f"{axis} leaves the member")

    def _container_step(self, place, axis, test) -> set:
        U, V = self.U, self.V
        kind = test[0]
        elem_u = {ANC} if _can_match(test, U) else set()
        elem_v = {ROOT} if _can_match(test, V) else set()
        text = {OTEXT} if kind in ("node", "text") else set()
        if place == CAND:
            if axis == "attribute" and kind == "attr" and test[1] is not None and test[2] is not None:
                self.read.add((test[1], test[2]))
                return {CATTR}
            if axis == "self" and kind == "elem":
                return {CAND}
            raise NotLocal(f"{axis} from member content")
        if place in (OATTR, RATTR, CATTR, OTEXT):
            if axis == "self":
                return {place}
            if axis == "parent" and place != CATTR:
                return {ROOT} if place == RATTR else {OWN, ANC}
            raise NotLocal(f"{axis} from an attribute or text")
        if place == DEEP:
            raise NotLocal("a step from member content")
        if axis == "attribute":
            return {RATTR} if place == ROOT else {OATTR} if place in (OWN, ANC) else set()
        if axis == "self":
            return {place} if kind != "attr" else set()
        own = {OWN} if kind in ("elem", "node") else set()
        if axis in ("parent", "ancestor", "ancestor-or-self"):
            up = ({OWN} if place in (OWN, ROOT) else set()) | elem_u | ({DOC} if kind == "node" else set())
            up &= {OWN, ANC, DOC} if kind in ("elem", "node") else set()
            return up | ({place} if axis == "ancestor-or-self" else set())
        if axis in ("following-sibling", "preceding-sibling"):
            return (own | elem_u | elem_v | text) if place in (OWN, ANC, ROOT) else set()
        if axis in ("following", "preceding"):
            return own | elem_u | elem_v | text | {DEEP}
        if axis == "child":
            if place == OWN:
                return own | text
            if place == ANC:
                return own | elem_u | elem_v | text
            if place == DOC:
                return elem_u | text
            raise NotLocal("child of a member root")
        if axis in ("descendant", "descendant-or-self"):
            me = {place} if axis == "descendant-or-self" else set()
            if place == OWN:
                return own | text | me
            return own | elem_u | elem_v | text | {DEEP} | me
        raise NotLocal(f"{axis} axis")


def _required(pred) -> set:
    """Attributes (ns, local) a candidate must carry for the predicate to hold."""
    if pred.symbol == "and":
        return _required(pred[0]) | _required(pred[1])
    if pred.symbol in ("=", "!=", "<", "<=", ">", ">="):
        return _attr_of(pred[0]) | _attr_of(pred[1])
    return _attr_of(pred)


def _attr_of(t) -> set:
    try:
        axis, test = _step_of(t)
    except NotLocal:
        return set()
    if axis == "attribute" and test[1] is not None and test[2] is not None:
        return {(test[1], test[2])}
    return set()
