"""Keyed lookups for the Schematron stylesheet (schstyle.py): `//name[@attr = value]`, the
usual way a rule looks an id up (`count(//tei:*[@xml:id = current()/@xml:id]) = 1`), scans
the whole document for every node the rule checks; `key('k', value)/..` with
`<xsl:key name="k" match="name/@attr" use="."/>` finds the same nodes through an index that
libxslt builds once per document (the attributes' owners: indexing the attributes costs
libxslt less than evaluating `@attr` on every `name` element).

The two are the same node-set when:
* `//` begins an absolute path (the document of the context node, which is key()'s);
* the step is a name test on the child axis and its only predicate is `@attr = value` (or
  `value = @attr`), with no predicate after it (a position would count differently);
* `value` does not depend on the node the predicate is tested on: a string literal,
  `current()` or a variable, each with a path after it, an absolute path, or a string
  function of such values;
* `value` is a string or a node-set (`=` then compares strings, as key() does; a number
  or boolean would compare as numbers or booleans).
Anything else is left as it is.
"""

from __future__ import annotations

from teikit.validate import schtypes

_spans = schtypes.spans  # (kind, text, start, end) tokens; None when the lexer cannot read it


def _close(toks, i: int) -> int | None:
    """The index of the bracket closing the one at i."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "op" and toks[j][1] in "([":
            depth += 1
        elif toks[j][0] == "op" and toks[j][1] in ")]":
            depth -= 1
            if depth == 0:
                return j
    return None


_STARTS_OPERAND = {"(", "[", ",", "|", "=", "!=", "<", "<=", ">", ">=", "+", "-", "/", "//"}


def _begins_path(toks, i: int) -> bool:
    if i == 0:
        return True
    kind, text = toks[i - 1][:2]
    return kind == "operator" or (kind == "op" and text in _STARTS_OPERAND - {"/", "//"})


def rewrite(source: str, variables: dict, key_for) -> str:
    """`source` with each qualifying `//name[@attr = value]` replaced by `key(...)`;
    `key_for(name, attr)` gives the key's name (and declares it); `variables` gives the
    kind (schtypes) of each variable by its name in the stylesheet."""
    toks = _spans(source) if "//" in source else None  # no `//` token without the characters
    if not toks:
        return source
    out, last, i = [], 0, 0
    while i < len(toks):
        if (toks[i][:2] == ("op", "//") and _begins_path(toks, i) and i + 2 < len(toks)
                and (toks[i + 1][0] == "name" or toks[i + 1][:2] == ("op", "*"))
                and toks[i + 2][:2] == ("op", "[")):
            end = _close(toks, i + 2)
            if end is not None and not (end + 1 < len(toks) and toks[end + 1][:2] == ("op", "[")):
                found = _equality(toks[i + 3:end], source, variables)
                if found is not None:
                    attr, value = found
                    out.append(source[last:toks[i][2]])
                    out.append(f"key('{key_for(toks[i + 1][1], attr)}', {value})/..")
                    last = toks[end][3]
                    i = end + 1
                    continue
        i += 1
    out.append(source[last:])
    return "".join(out)


def _equality(pred, source: str, variables: dict):
    """(attribute name, value text) of a predicate `@attr = value` / `value = @attr`."""
    top = [j for j in range(len(pred)) if _depth(pred, j) == 0]
    eq = [j for j in top if pred[j][:2] == ("op", "=")]
    if len(eq) != 1 or any(pred[j][0] == "operator" or (pred[j][0] == "op" and pred[j][1] in
                                                        ("!=", "<", "<=", ">", ">=", "+", "-", "|"))
                           for j in top):
        return None
    left, right = pred[:eq[0]], pred[eq[0] + 1:]
    for attr_side, value_side in ((left, right), (right, left)):
        if (len(attr_side) == 2 and attr_side[0][:2] == ("op", "@") and attr_side[1][0] == "name"
                and value_side and _independent(value_side, variables)):
            text = source[value_side[0][2]:value_side[-1][3]]
            return attr_side[1][1], text
    return None


def _depth(toks, j: int) -> int:
    depth = 0
    for k in range(j):
        if toks[k][0] == "op" and toks[k][1] in "([":
            depth += 1
        elif toks[k][0] == "op" and toks[k][1] in ")]":
            depth -= 1
    return depth


def _independent(toks, variables: dict) -> bool:
    """Does the value not depend on the context node, and is it a string or node-set?"""
    if len(toks) == 1 and toks[0][0] == "str":
        return True
    head = None
    if toks[0][:2] == ("op", "$") and len(toks) >= 2:
        head, rest = toks[:2], toks[2:]
        if not rest and variables.get(toks[1][1]) not in (schtypes.STRING, schtypes.ELEMENTS):
            return False
    elif toks[0][:2] == ("name", "current") and len(toks) >= 3 and toks[1][:2] == ("op", "(") \
            and toks[2][:2] == ("op", ")"):
        head, rest = toks[:3], toks[3:]
    elif toks[0][:2] in (("op", "/"), ("op", "//")):
        return True  # an absolute path
    if head is not None:
        return not rest or rest[0][:2] in (("op", "/"), ("op", "//"))
    if toks[0][0] == "name" and toks[0][1] in schtypes.STRING_FUNCTIONS and len(toks) >= 3 \
            and toks[1][:2] == ("op", "(") and _close(toks, 1) == len(toks) - 1:
        args = _split_args(toks[2:-1])
        return bool(args) and all(_argument(a, variables) for a in args)
    return False


def _argument(toks, variables: dict) -> bool:
    if len(toks) == 1 and toks[0][0] in ("str", "num"):
        return True
    if toks and toks[0][:2] == ("op", "$") and len(toks) == 2:
        return True  # any value: the function makes it a string
    return bool(toks) and _independent(toks, variables)


def _split_args(toks) -> list:
    """The non-empty arguments of a call's argument tokens (without its brackets)."""
    return [a for a in schtypes.split_top(toks, ",") if a] if toks else []
