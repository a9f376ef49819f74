"""What an XPath 1.0 expression yields, as far as its syntax tells: used by schstyle.py to
decide which Schematron lets can be handed to libxslt as they are.

The Python runner (schrun.py) stores a let's value as lxml returns it, except that a
node-set holding any non-element node (an attribute, a text node) becomes the string value
of its first node (`schrun._lxml_variable`). A stylesheet keeps an XPath value as it is, so
a let can be written as a plain `xsl:variable` only when its value is certainly not such a
node-set: an atomic value (string, number, boolean) or a node-set of elements. `kind()`
says ATOMIC, ELEMENTS or UNKNOWN (anything else: attributes, text, `node()`, `.`, an
unknown function); UNKNOWN lets go through the runner's own conversion.

Also: variable references outside string literals (`rename_variables`) and a few textual
properties of an expression (`uses`).
"""

from __future__ import annotations

import re

ATOMIC, STRING, ELEMENTS, UNKNOWN = "atomic", "string", "elements", "unknown"
PLAIN = {ATOMIC, STRING, ELEMENTS}  # values a stylesheet variable holds as the runner does

_TOKEN = re.compile(r"""\s*(?:(?P<str>"[^"]*"|'[^']*')|(?P<num>\d+(?:\.\d*)?|\.\d+)
    |(?P<name>[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?)
    |(?P<op>//|::|\.\.|!=|<=|>=|[/|+=<>()\[\],@.$*-]))""", re.X)

STRING_FUNCTIONS = {"string", "concat", "normalize-space", "translate", "substring", "substring-before",
                    "substring-after", "name", "local-name", "namespace-uri"}
_ATOMIC_FUNCTIONS = STRING_FUNCTIONS | {
    "contains", "starts-with", "string-length", "boolean", "not", "true", "false", "lang",
    "number", "count", "sum", "floor", "ceiling", "round", "position", "last"}
_ELEMENT_AXES = {"child", "descendant", "descendant-or-self", "self", "parent", "ancestor",
                 "ancestor-or-self", "following", "following-sibling", "preceding",
                 "preceding-sibling"}
_NODE_TYPES = {"node", "text", "comment", "processing-instruction"}
_OPERATOR_NAMES = {"and", "or", "div", "mod"}
_BINARY = {"=", "!=", "<", "<=", ">", ">=", "+", "-"}
_AFTER_OPERATOR = {"@", "::", "(", "[", ",", "$", "/", "//", "|"} | _BINARY  # no operand ends here


def tokens(source: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of an XPath 1.0 expression; kind is str, num, name, op, and the
    lexical rule of XPath 1.0 §3.7 turns `*` and and/or/div/mod into `operator` where they
    are operators. None: a character the lexer does not know."""
    lexed = spans(source)
    return None if lexed is None else [t[:2] for t in lexed]


_LEXED: dict = {}  # source -> its spans (a tuple) or None; see spans()
_LEXED_KEPT = 4096


def spans(source: str) -> list[tuple[str, str, int, int]] | None:
    """The tokens of `tokens` with where each stands in `source`: (kind, text, start, end),
    start at the token itself, end after it. Writing a schema's stylesheet reads each of its
    expressions several times (its kind, its variables, each rewrite), so the lexing of a
    source is kept for the process: the same string lexes the same, so a kept result is the
    result (a fresh list each call: callers may change theirs)."""
    lexed = _LEXED.get(source, False)
    if lexed is False:
        lexed = _lex(source)
        if len(_LEXED) >= _LEXED_KEPT:
            _LEXED.clear()
        _LEXED[source] = lexed
    return None if lexed is None else list(lexed)


def _lex(source: str) -> tuple | None:
    out: list[tuple[str, str, int, int]] = []
    pos, end = 0, len(source.rstrip())
    prev_kind, prev_text = None, None
    for m in _TOKEN.finditer(source, 0, end):
        if m.start() != pos or m.end() == pos:
            return None  # a character no token begins with
        kind = m.lastgroup
        start, pos = m.start(kind), m.end()
        text = source[start:pos]
        if (kind == "op" and text == "*") or (kind == "name" and text in _OPERATOR_NAMES):
            after_operand = prev_kind is not None and not (
                prev_kind == "op" and prev_text in _AFTER_OPERATOR or prev_kind == "operator")
            if after_operand:
                kind = "operator"
        out.append((kind, text, start, pos))
        prev_kind, prev_text = kind, text
    return tuple(out) if pos >= end else None


def kind(source: str, variables: dict) -> str:
    """ATOMIC, ELEMENTS or UNKNOWN (see the module's docstring); `variables` gives the kind
    of each variable in scope."""
    toks = tokens(source)
    if not toks:
        return UNKNOWN
    return _kind(toks, variables)


def _top_level(toks):
    """Indices of the tokens at bracket depth 0 (None: unbalanced)."""
    depth, out = 0, []
    for i, (k, t) in enumerate(toks):
        if k == "op" and t in "([":
            if depth == 0:
                out.append(i)
            depth += 1
        elif k == "op" and t in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            out.append(i)
    return out if depth == 0 else None


def _kind(toks, variables) -> str:
    top = _top_level(toks)
    if top is None:
        return UNKNOWN
    for i in top:
        k, t = toks[i]
        if k == "operator" or (k == "op" and t in _BINARY):
            return ATOMIC  # an operator other than | and / at the top: boolean or number
    branches = split_top(toks, "|")
    kinds = {_path_kind(b, variables) for b in branches}
    if len(branches) > 1:
        return ELEMENTS if kinds == {ELEMENTS} else UNKNOWN
    return kinds.pop()


def _strip_predicates(toks):
    """The step without its trailing predicates `[...]`."""
    while toks and toks[-1] == ("op", "]"):
        depth = 0
        for i in range(len(toks) - 1, -1, -1):
            if toks[i] == ("op", "]"):
                depth += 1
            elif toks[i] == ("op", "["):
                depth -= 1
                if depth == 0:
                    toks = toks[:i]
                    break
        else:
            return []
    return toks


def _path_kind(toks, variables) -> str:
    if not toks:
        return UNKNOWN
    top = _top_level(toks)
    slashes = [i for i in top if toks[i][0] == "op" and toks[i][1] in ("/", "//")]
    if slashes:
        last = toks[slashes[-1] + 1:]
        return _step_kind(_strip_predicates(last)) if last else UNKNOWN  # `/` alone: the root
    return _primary_kind(_strip_predicates(toks), variables)


def _step_kind(step) -> str:
    if not step:
        return UNKNOWN
    if step[0] == ("op", "@"):
        return UNKNOWN
    if len(step) >= 3 and step[1] == ("op", "::"):
        if step[0][1] not in _ELEMENT_AXES:
            return UNKNOWN
        step = step[2:]
    if len(step) == 1 and (step[0][0] == "name" or step[0] == ("op", "*")):
        return ELEMENTS  # a name test or * on an element axis
    return UNKNOWN  # node(), text(), ., .., a kind test


def _primary_kind(toks, variables) -> str:
    if not toks:
        return UNKNOWN
    if toks[0][0] in ("str", "num") and len(toks) == 1:
        return STRING if toks[0][0] == "str" else ATOMIC
    if toks[0] == ("op", "$") and len(toks) == 2:
        return variables.get(toks[1][1], UNKNOWN)
    if toks[0] == ("op", "(") and toks[-1] == ("op", ")"):
        return _kind(toks[1:-1], variables)
    if toks[0][0] == "name" and len(toks) >= 3 and toks[1] == ("op", "(") and toks[-1] == ("op", ")"):
        if _top_level(toks) != [0, 1]:
            return UNKNOWN  # f(...)(...) or the like
        name = toks[0][1]
        if name in _NODE_TYPES:
            return UNKNOWN
        if name in STRING_FUNCTIONS:
            return STRING
        if name in _ATOMIC_FUNCTIONS:
            return ATOMIC
        return ELEMENTS if name == "id" else UNKNOWN
    return _step_kind(toks)


_VARIABLE = re.compile(r"""("[^"]*"|'[^']*')|\$([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)""")


def rename_variables(source: str, names: dict) -> str | None:
    """The expression with each `$name` (outside string literals) renamed by `names`;
    None when it refers to a variable `names` does not hold."""
    missing = False

    def sub(m):
        nonlocal missing
        if m[1]:
            return m[1]
        if m[2] not in names:
            missing = True
            return m[0]
        return "$" + names[m[2]]

    out = _VARIABLE.sub(sub, source)
    return None if missing else out


def uses(source: str, *functions: str) -> bool:
    """Does the expression call one of these functions (outside string literals)?"""
    toks = tokens(source) or []
    names = {t for (k, t), nxt in zip(toks, toks[1:] + [("", "")]) if k == "name" and nxt == ("op", "(")}
    return bool(names & set(functions)) or not toks


def attributes_only(source: str) -> bool:
    """Is the value certainly a node-set of attributes (`@a | @b`, `(@a | p/@b)[pred]`)?"""
    toks = tokens(source)
    return bool(toks) and _attributes(toks)


def _attributes(toks) -> bool:
    top = _top_level(toks)
    if top is None or any(toks[i][0] == "operator" or (toks[i][0] == "op" and toks[i][1] in _BINARY)
                          for i in top):
        return False
    for branch in split_top(toks, "|"):
        step = _strip_predicates(branch)
        if step and step[0] == ("op", "(") and step[-1] == ("op", ")") and _top_level(step) == [0]:
            if not _attributes(step[1:-1]):
                return False
            continue
        top = _top_level(step)
        slashes = [i for i in (top or []) if step[i][0] == "op" and step[i][1] in ("/", "//")]
        last = step[slashes[-1] + 1:] if slashes else step
        if not (len(last) == 2 and last[0] == ("op", "@") and (last[1][0] == "name" or last[1] == ("op", "*"))):
            return False  # any path whose last step is @a gives attributes only
    return True


_TESTED = {"not", "boolean"}
_STRINGS = STRING_FUNCTIONS - {"name", "local-name", "namespace-uri"} | {"contains", "starts-with", "string-length"}


def only_tested(sources: list[tuple[str, bool]], name: str) -> bool:
    """Is `$name` used, in every (source, is_test) given, only as a truth value or as a string
    (an operand of and/or, the whole test, the argument of not() or boolean(), an argument
    of a string function)? There an empty node-set and '' say the same, and a node-set of
    attributes and the string of its first node do. False when it cannot tell."""
    for source, is_test in sources:
        toks = tokens(source)
        if toks is None:
            return False
        for j, tok in enumerate(toks):
            if tok != ("op", "$") or j + 1 >= len(toks) or toks[j + 1][1] != name:
                continue
            if not _tested_at(toks, j, is_test):
                return False
    return True


def _tested_at(toks, j: int, is_test: bool) -> bool:
    depth, open_at = 0, None
    for k in range(j - 1, -1, -1):
        if toks[k][0] == "op" and toks[k][1] in ")]":
            depth += 1
        elif toks[k][0] == "op" and toks[k][1] in "([":
            if depth == 0:
                open_at = k
                break
            depth -= 1
    prev = toks[j - 1] if j > 0 else None
    nxt = toks[j + 2] if j + 2 < len(toks) else None
    junction = {("operator", "and"), ("operator", "or")}
    function = toks[open_at - 1] if open_at is not None and open_at > 0 else None
    if open_at is None:
        return is_test and (prev is None or prev in junction) and (nxt is None or nxt in junction)
    if toks[open_at] != ("op", "(") or function is None or function[0] != "name":
        return False
    if function[1] in _TESTED:
        return (prev == ("op", "(") or prev in junction) and (nxt == ("op", ")") or nxt in junction)
    if function[1] in _STRINGS:
        return prev in (("op", "("), ("op", ",")) and nxt in (("op", ")"), ("op", ","))
    return False


def split_top(toks, sep: str) -> list:
    """The token lists between the `sep` operators (`|`, `,`) at bracket depth 0 of `toks`
    (tokens as `tokens` or schkeys' spans give them: kind and text first)."""
    out, start, depth = [], 0, 0
    for j, tok in enumerate(toks):
        kind, text = tok[0], tok[1]
        if kind == "op" and text in "([":
            depth += 1
        elif kind == "op" and text in ")]":
            depth -= 1
        elif depth == 0 and kind == "op" and text == sep:
            out.append(toks[start:j])
            start = j + 1
    out.append(toks[start:])
    return out
