"""Abstract evaluation of XPath 1.0 for teikit.validate.memberlocal: which kinds of node a
value may hold when an expression is evaluated on the reduced container R (mode "container":
the container's own nodes, those holding members, the document node, member roots, member
content) or at a node inside a member (mode "member"), and which member content the
container's own expressions demand. Anything it cannot place raises NotLocal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teikit.core.names import XML_NS
from teikit.validate.schxpath import CURRENT_VAR

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
                if cur is None:  # a rule context: the runner binds current() to the root element
                    raise NotLocal("current() in a rule context")
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
            required |= _required(pred, lambda t: cand.ev(t, frozenset({CAND}), cur, env).kind)
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


def _required(pred, kind_of) -> set:
    """Attributes (ns, local) a candidate must carry for the predicate to hold. A comparison
    requires its attribute operand only when the other operand is a string or a node-set
    (`kind_of(token)`): compared with a boolean, a node-set becomes a boolean, and
    `@a = false()` holds exactly when @a is absent."""
    if pred.symbol == "and":
        return _required(pred[0], kind_of) | _required(pred[1], kind_of)
    if pred.symbol in ("=", "!=", "<", "<=", ">", ">="):
        out = set()
        for this, other in ((pred[0], pred[1]), (pred[1], pred[0])):
            if kind_of(other) in ("string", "nodes"):
                out |= _attr_of(this)
        return out
    return _attr_of(pred)


def _attr_of(t) -> set:
    try:
        axis, test = _step_of(t)
    except NotLocal:
        return set()
    if axis == "attribute" and test[1] is not None and test[2] is not None:
        return {(test[1], test[2])}
    return set()
