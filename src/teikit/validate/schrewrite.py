"""Cheaper, equal XPath for the Schematron stylesheet (schstyle.py): the stylesheet says
what the schema says at a lower cost in libxml2. Each rewrite is exact: the same value on
every document, by the reasons given. A predicate is *non-positional* (`non_positional`)
when it is certainly a boolean or a node-set and calls neither position() nor last(): its
value on a node does not depend on the node's position in the set it filters.

* `descendants`: `P//x[p]` (x a name test or `*`, every predicate non-positional) is
  `P/descendant::x[p]`. `//` is `/descendant-or-self::node()/child::`; libxml2 makes
  `//x` one descendant walk, but `//x[p]` one child step (and one predicate set) per node
  of the document. The x children of P's descendants-or-self are P's x descendants; with
  non-positional predicates, which set a node is filtered in makes no difference.
* `context` (rule contexts only, then `descendants`): `//x[@a or @b][q]` is
  `(/descendant::*/@a | /descendant::*/@b)/parent::x[q]`, which walks the attribute
  axis in C and tests q only on the elements carrying one of the attributes, and
  `P//x[@a][q]` is `P/descendant::*/@a/parent::x[q]`: `/descendant::*` are all the
  elements `//x` ranges over (`P/descendant::*` those `P//x` does), and the owners of
  their @a are those of them with @a. The attribute predicate
  moves first and the rest follow `parent::`, so every predicate must be non-positional.
* `translate_sets`, `hoist_absent`, `ancestor_children`, `shared_walk`, `share_scans`,
  `inline_once`: see there.
Anything else is left as it is.
"""

from __future__ import annotations

from teikit.validate import schtypes
from teikit.validate.schkeys import _begins_path, _close, _equality, _spans

_BOOLEAN_OPERATORS = {"and", "or"}
_COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
_BOOLEAN_FUNCTIONS = {"not", "boolean", "true", "false", "contains", "starts-with", "lang"}


def non_positional(toks) -> bool:
    """Is a predicate (its tokens, without the brackets) certainly a boolean or a node-set,
    without position() and last()?"""
    top = schtypes._top_level([t[:2] for t in toks])
    if not toks or top is None:
        return False
    if any(t[:2] in (("name", "position"), ("name", "last")) for t in toks):
        return False
    texts = [toks[i][:2] for i in top]
    if any((k == "operator" and t in _BOOLEAN_OPERATORS) or (k == "op" and t in _COMPARISONS)
           for k, t in texts):
        return True  # or, and and comparisons bind last: the value is a boolean
    if any(k == "operator" or (k == "op" and t in ("+", "-")) for k, t in texts):
        return False  # arithmetic: a number
    if toks[0][:2] == ("op", "(") and _close(toks, 0) == len(toks) - 1:
        return non_positional(toks[1:-1])
    if (toks[0][0] == "name" and toks[0][1] in _BOOLEAN_FUNCTIONS and len(toks) >= 3
            and toks[1][:2] == ("op", "(") and _close(toks, 1) == len(toks) - 1):
        return True
    return (schtypes._kind([t[:2] for t in toks], {}) in (schtypes.ELEMENTS, schtypes.STRING)
            or _attribute_path(toks))


def _attribute_path(toks) -> bool:
    """`@name` or `path/@name` with name tests and `*` only: a node-set."""
    kinds = [t[:2] for t in toks]
    return (len(kinds) >= 2 and kinds[-2] == ("op", "@") and kinds[-1][0] == "name"
            and all(k in ("name", "op") and (k == "name" or t in ("/", "@", "*")) for k, t in kinds))


def _attribute_test(toks) -> list[str] | None:
    """The names in a predicate `@a or @b or ...` (None: it is something else)."""
    names = []
    for j in range(0, len(toks), 3):
        part = toks[j:j + 3]
        if len(part) < 2 or part[0][:2] != ("op", "@") or part[1][0] != "name":
            return None
        if len(part) == 3 and part[2][:2] != ("operator", "or"):
            return None
        names.append(part[1][1])
    return names if len(toks) % 3 == 2 else None


def context(source: str) -> str:
    """A rule context (a select expression), each `|` branch ending in `//x[@a ...][q]`
    selected through the attribute axis, then `descendants`."""
    toks = _spans(source)
    if not toks:
        return source
    return descendants(" | ".join(_branch(b, source) for b in schtypes.split_top(toks, "|")))


def _branch(toks, source: str) -> str:
    text = source[toks[0][2]:toks[-1][3]] if toks else ""
    # the last step: `//` x [p1]...[pn] up to the end of the branch
    for at in range(len(toks) - 1, -1, -1):
        if toks[at][:2] == ("op", "//") and schtypes._top_level([t[:2] for t in toks[:at + 1]]) is not None \
                and _depth0(toks, at):
            break
    else:
        return text
    predicates = _predicates(toks, at)
    if not predicates or not all(non_positional(p) for p in predicates):
        return text
    for k, pred in enumerate(predicates):
        names = _attribute_test(pred)
        if names is None or (at > 0 and len(names) > 1):
            continue
        rest = "".join(f"[{source[p[0][2]:p[-1][3]]}]" for i, p in enumerate(predicates) if i != k)
        step = toks[at + 1][1]
        if at == 0:
            attrs = " | ".join(f"/descendant::*/@{n}" for n in names)
            return f"({attrs})/parent::{step}{rest}" if len(names) > 1 else f"{attrs}/parent::{step}{rest}"
        head = source[toks[0][2]:toks[at - 1][3]]
        return f"{head}/descendant::*/@{names[0]}/parent::{step}{rest}"
    return text


def _depth0(toks, at: int) -> bool:
    depth = 0
    for t in toks[:at]:
        if t[0] == "op" and t[1] in "([":
            depth += 1
        elif t[0] == "op" and t[1] in ")]":
            depth -= 1
    return depth == 0


def _predicates(toks, at: int):
    """The predicates of the step `//` x at toks[at], when they run to the end of toks
    (None: x is no name test or `*`, or something follows)."""
    if at + 1 >= len(toks) or not (toks[at + 1][0] == "name" or toks[at + 1][:2] == ("op", "*")):
        return None
    if at + 2 < len(toks) and toks[at + 2][:2] == ("op", "::"):
        return None
    predicates, j = [], at + 2
    while j < len(toks):
        if toks[j][:2] != ("op", "["):
            return None
        end = _close(toks, j)
        if end is None:
            return None
        predicates.append(toks[j + 1:end])
        j = end + 1
    return predicates


def descendants(source: str) -> str:
    """`source` with each `//x[p]...` whose predicates are all non-positional written
    `/descendant::x[p]...` (see the module's docstring)."""
    toks = _spans(source) if "//" in source else None  # no `//` token without the characters
    if not toks:
        return source
    edits = []
    for i, t in enumerate(toks):
        if t[:2] != ("op", "//") or i + 2 >= len(toks):
            continue
        step = toks[i + 1]
        if not (step[0] == "name" or step[:2] == ("op", "*")) or toks[i + 2][:2] != ("op", "["):
            continue
        if step[0] == "name" and step[1] in schtypes._NODE_TYPES | {"attribute"}:
            continue  # node(), text(), ... or an axis name: not a name test on the child axis
        j, ok = i + 2, True
        while j < len(toks) and toks[j][:2] == ("op", "["):
            end = _close(toks, j)
            if end is None or not non_positional(toks[j + 1:end]):
                ok = False
                break
            j = end + 1
        if ok:
            edits.append((t[2], t[3], "/descendant::"))
    return _apply(source, edits)


def _set_order(ch: str) -> tuple:
    return (0 if "a" <= ch <= "z" else 1 if "0" <= ch <= "9" else 2 if "A" <= ch <= "Z" else 3)


def translate_sets(source: str) -> str:
    """`translate(s, 'set', '')` with the characters of 'set' lower-case letters first, then
    digits, capitals and the rest, each once. libxml2 looks every character of `s` up in
    'set' from its start; with an empty third argument every character of the set is
    deleted wherever it stands in it, so the order (and a repeat) makes no difference to
    the value, and the usual identifier or name is found after fewer comparisons."""
    toks = _spans(source) if "translate" in source else None
    if not toks:
        return source
    edits = []
    for i, t in enumerate(toks):
        if t[:2] != ("name", "translate") or i + 1 >= len(toks) or toks[i + 1][:2] != ("op", "("):
            continue
        end = _close(toks, i + 1)
        if end is None:
            continue
        args = schtypes.split_top(toks[i + 2:end], ",")
        if (len(args) != 3 or len(args[1]) != 1 or args[1][0][0] != "str"
                or len(args[2]) != 1 or args[2][0][:2] not in (("str", "''"), ("str", '""'))):
            continue
        lit = args[1][0]
        chars = lit[1][1:-1]
        ordered = "".join(sorted(dict.fromkeys(chars), key=_set_order))
        if ordered != chars:
            edits.append((lit[2], lit[3], lit[1][0] + ordered + lit[1][-1]))
    return _apply(source, sorted(edits))


def hoist_absent(source: str, declare) -> str:
    """`not(ancestor::x[p])` / `not(ancestor-or-self::x[p])` as `($h or not(...))`, where
    `declare("//x[p]")` names a variable the stylesheet sets once per document to
    `not(//x[p])`. The ancestors are among the document's x elements, so when no x
    satisfies p the test is true without walking them; else it is evaluated as written.
    p must say the same on a node wherever it is tested from: non-positional predicates
    without variables or current(). (An error p raises on some x now stops the stylesheet,
    and the Python runner runs the document; no error can be hidden, since the document
    scan tests p on every node the walk would.)"""
    toks = _spans(source) if "ancestor" in source else None
    if not toks:
        return source
    edits = []
    for i in range(len(toks) - 5):
        if (toks[i][:2] != ("name", "not") or toks[i + 1][:2] != ("op", "(")
                or toks[i + 2][:2] not in (("name", "ancestor"), ("name", "ancestor-or-self"))
                or toks[i + 3][:2] != ("op", "::")
                or not (toks[i + 4][0] == "name" or toks[i + 4][:2] == ("op", "*"))):
            continue
        close = _close(toks, i + 1)
        if close is None or toks[i + 4][1] in schtypes._NODE_TYPES:
            continue
        predicates, j = [], i + 5
        while j < close and toks[j][:2] == ("op", "["):
            end = _close(toks, j)
            if end is None or end >= close:
                break
            predicates.append(toks[j + 1:end])
            j = end + 1
        if j != close or not predicates or not all(
                non_positional(p) and not any(t[:2] in (("op", "$"), ("name", "current")) for t in p)
                for p in predicates):
            continue
        preds = "".join(f"[{source[p[0][2]:p[-1][3]]}]" for p in predicates)
        name = declare(context(f"//{toks[i + 4][1]}{preds}"))
        text = source[toks[i][2]:toks[close][3]]
        edits.append((toks[i][2], toks[close][3], f"(${name} or {text})"))
    return _apply(source, edits)


_WALK = [("op", "/"), ("name", "descendant"), ("op", "::"), ("op", "*"), ("op", "/"), ("op", "@")]


def shared_walk(source: str, declare) -> str:
    """Each absolute path `/descendant::*/@a...` as `$w/@a...`, where `declare()` names a
    variable the stylesheet sets once per document to `/descendant::*`. That variable holds
    the very node-set the path's first two steps select (the elements of the context node's
    document: the one document a run has), so the steps after it select the same nodes; the
    stylesheet's attribute contexts (`context`) and absence tests (`hoist_absent`) then walk
    the document once between them, not once each."""
    toks = _spans(source) if "descendant" in source else None
    if not toks:
        return source
    edits = []
    for i in range(len(toks) - len(_WALK) + 1):
        if toks[i + 1][1] == "descendant" and [t[:2] for t in toks[i:i + len(_WALK)]] == _WALK \
                and _begins_path(toks, i):
            edits.append((toks[i][2], toks[i + 3][3], f"${declare()}"))
    return _apply(source, edits)


def absolute_scans(source: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the first step of each absolute path in `source` that begins
    `/descendant::name` or `//name` with no predicate after it (name a name test)."""
    toks = _spans(source) if "/" in source else None
    out = []
    for i, t in enumerate(toks or ()):
        if t[0] != "op" or t[1] not in ("/", "//") or not _begins_path(toks, i):
            continue
        if t[1] == "/" and [x[:2] for x in toks[i + 1:i + 3]] == [("name", "descendant"), ("op", "::")]:
            k = i + 3
        elif t[1] == "//" and not (i + 2 < len(toks) and toks[i + 2][:2] == ("op", "[")):
            k = i + 1
        else:
            continue
        if _name_test(toks, k):
            out.append((t[2], toks[k][3], toks[k][1]))
    return out


def share_scans(source: str, name_of) -> str:
    """`source` with each first step `absolute_scans` finds as `$v`, v = name_of(name) (None:
    left as it is), a variable the stylesheet sets once per document to `/descendant::name`.
    `//name` is `/descendant-or-self::node()/child::name`, the name children of the document
    node and of its descendants: its name descendants. The variable holds that node-set of
    the context node's document (the one document a run has) in document order, so the
    steps after it select the same nodes, and a predicate after it counts the positions the
    step's own predicate counted (the descendant axis, forward, from the one root node):
    several rule contexts that begin with the same scan walk the document once."""
    edits = []
    for start, end, name in absolute_scans(source):
        variable = name_of(name)
        if variable is not None:
            edits.append((start, end, f"${variable}"))
    return _apply(source, edits)


_ANCESTORS = [("name", "ancestor"), ("op", "::"), ("op", "*"), ("op", "/")]
_JUNCTIONS = {("operator", "and"), ("operator", "or")}
_OPENS, _CLOSES = {("op", "("), ("op", "["), ("op", ",")}, {("op", ")"), ("op", "]"), ("op", ",")}


def _tested(toks, i: int, j: int) -> bool:
    """Is toks[i:j] a whole operand whose value is only taken as a truth value: an operand
    of and/or, the whole of a predicate, or the whole argument of not() or boolean()?"""
    prev = toks[i - 1][:2] if i > 0 else None
    nxt = toks[j][:2] if j < len(toks) else None
    if prev in _JUNCTIONS or nxt in _JUNCTIONS:
        return (prev is None or prev in _JUNCTIONS or prev in _OPENS) and \
            (nxt is None or nxt in _JUNCTIONS or nxt in _CLOSES)
    if prev == ("op", "[") and nxt == ("op", "]"):
        return True  # a location path as a predicate: a node-set, taken as non-empty
    return (prev == ("op", "(") and nxt == ("op", ")") and i >= 2 and toks[i - 2][0] == "name"
            and toks[i - 2][1] in ("not", "boolean") and _close(toks, i - 1) == j)


def _name_test(toks, k: int) -> bool:
    """A name test on the child axis at toks[k] (not an axis, a node type or a call)."""
    return (k < len(toks) and toks[k][0] == "name" and toks[k][1] not in schtypes._NODE_TYPES
            and not (k + 1 < len(toks) and toks[k + 1][:2] in (("op", "::"), ("op", "("))))


def ancestor_children(source: str, variables: dict, declare) -> str:
    """A truth value `ancestor::*/n/s.../t` or `ancestor::*/n/s.../t[@a = v]` (child steps of
    name tests, v a string or node-set that does not depend on the node it is tested on, as
    schkeys takes it) as `(($one and parent::* and $p...) or (not($one) and <as written>))`.
    `declare(select)` names a variable set once per document: $one to `not(/descendant::n[
    not(parent::*) or ../parent::*])`, every n element a child of the document element, and
    $p to `/*/n/s.../t` (with `[@a = v]`: $p to `/*/n/s.../t/@a`, the attributes compared).
    Where $one holds, the n children of the context node's ancestors are those of the
    document element when it is among them, which it is exactly when the context node has
    an element parent (an element's or text's parent element, an attribute's owner: the
    document element is the topmost ancestor of every node under it), and none otherwise;
    so the path selects `/*/n/s.../t`, or nothing. The steps after it are child steps from
    the same nodes; `t[@a = v]` is non-empty exactly when some @a of some t equals v, which
    `$p = v` says, $p being those @a (v a string or node-set: `=` compares strings both ways). Where $one
    does not hold, the path runs as written. The document element's n children are usually
    its header, which the ancestor walk otherwise looks for under every ancestor."""
    toks = _spans(source) if "ancestor" in source else None
    if not toks:
        return source
    edits = []
    for i in range(len(toks) - 4):
        if (toks[i][1] != "ancestor" or [t[:2] for t in toks[i:i + 4]] != _ANCESTORS
                or not _name_test(toks, i + 4)):
            continue
        j, steps = i + 5, [toks[i + 4][1]]
        while j + 1 < len(toks) and toks[j][:2] == ("op", "/") and _name_test(toks, j + 1):
            steps.append(toks[j + 1][1])
            j += 2
        compare = None
        if j < len(toks) and toks[j][:2] == ("op", "["):
            end = _close(toks, j)
            found = _equality(toks[j + 1:end], source, variables) if end is not None else None
            if found is None:
                continue
            compare, j = found, end + 1
        if not _tested(toks, i, j):
            continue
        one = declare(f"not(/descendant::{steps[0]}[not(parent::*) or ../parent::*])")
        path = "/*/" + "/".join(steps)
        fast = f"${declare(path)}" if compare is None else f"${declare(f'{path}/@{compare[0]}')} = {compare[1]}"
        text = source[toks[i][2]:toks[j - 1][3]]
        edits.append((toks[i][2], toks[j - 1][3], f"((${one} and parent::* and {fast}) or (not(${one}) and {text}))"))
    return _apply(source, edits)


#: functions that cannot fail on arguments that cannot (XPath 1.0 converts any value to the
#: string, number or boolean they take), by their numbers of arguments; the node-set
#: functions only without one (on the context node)
_SAFE_ARITY = {"concat": (2, None), "contains": (2, 2), "starts-with": (2, 2), "substring-before": (2, 2),
               "substring-after": (2, 2), "substring": (2, 3), "string": (0, 1), "normalize-space": (0, 1),
               "string-length": (0, 1), "translate": (3, 3), "not": (1, 1), "boolean": (1, 1),
               "true": (0, 0), "false": (0, 0), "number": (0, 1), "floor": (1, 1), "ceiling": (1, 1),
               "round": (1, 1), "local-name": (0, 0), "name": (0, 0), "namespace-uri": (0, 0), "lang": (1, 1)}


def cannot_fail(source: str) -> bool:
    """Can evaluating `source` raise no error at run time, whatever the document? Literals,
    variables, operators and one-step paths from the context node (`@a`, `a`, `.`), with
    calls of `_SAFE_ARITY`'s functions with as many arguments as they take: no path after a
    value, no predicate, no union (which fail on values that are no node-sets)."""
    toks = _spans(source)
    if not toks:
        return False
    for k, (kind, text, _start, _end) in enumerate(toks):
        if kind == "op" and text in ("/", "//", "|", "[", "]", "::"):
            return False
        if kind == "name" and k + 1 < len(toks) and toks[k + 1][:2] == ("op", "("):
            arity, end = _SAFE_ARITY.get(text), _close(toks, k + 1)
            if arity is None or end is None:
                return False
            n = len(schtypes.split_top(toks[k + 2:end], ",")) if end > k + 2 else 0
            if n < arity[0] or (arity[1] is not None and n > arity[1]):
                return False
    return True


def _always_evaluated(toks, k: int, safe: bool) -> bool:
    """Is the token at k evaluated with the expression's own context node whenever the
    expression is (not in a predicate), and, unless `safe`, always (not after an and/or of
    its own group or an enclosing one: libxml2 evaluates every argument of a call and both
    sides of the other operators)?"""
    stack: list = [False]  # per open group: an and/or of its own before k; "[": a predicate
    for tok in toks[:k]:
        kind, text = tok[:2]
        if kind == "op" and text in ("(", "["):
            stack.append(False if text == "(" else "[")
        elif kind == "op" and text in (")", "]"):
            stack.pop()
        elif kind == "op" and text == "," and stack[-1] != "[":
            stack[-1] = False  # the next argument of a call: evaluated whatever the last held
        elif kind == "operator" and text in ("and", "or") and stack[-1] != "[":
            stack[-1] = True
    return "[" not in stack and (safe or not any(stack))


def inline_once(name: str, select: str, texts: list[str]):
    """(i, text): texts[i] with its one reference to `$name` replaced by `(select)`, the
    variable's own expression; None unless `$name` occurs exactly once in `texts`, outside
    any predicate (where the context node is the same as the variable's) and, unless
    `select` cannot fail (`cannot_fail`), where it is always evaluated. The variable's value
    is its expression's on the same context node with the same variables in scope, and an
    expression that is evaluated as often as the variable was (or that cannot fail) fails
    where the variable would have: so the stylesheet gives the same values and fails on the
    same documents, and saves the variable's binding and copy."""
    found = []
    for i, text in enumerate(texts):
        toks = _spans(text) if f"${name}" in text else None
        for k in range(len(toks or ()) - 1):
            if toks[k][:2] == ("op", "$") and toks[k + 1][:2] == ("name", name):
                found.append((i, toks, k))
    if len(found) != 1:
        return None
    i, toks, k = found[0]
    if not _always_evaluated(toks, k, cannot_fail(select)):
        return None
    return i, texts[i][:toks[k][2]] + f"({select})" + texts[i][toks[k + 1][3]:]


def _apply(source: str, edits) -> str:
    """`source` with each (start, end, text) of `edits`, in ascending order, put in place of
    source[start:end]; an edit that begins inside an earlier one is left out (its text is
    within that one's)."""
    out, last = [], 0
    for start, end, text in edits:
        if start < last:
            continue
        out += [source[last:start], text]
        last = end
    out.append(source[last:])
    return "".join(out)
