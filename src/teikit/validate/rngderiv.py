"""Derivatives of RELAX NG patterns (James Clark's algorithm), memoised, and datatypes.

See "An algorithm for RELAX NG validation" (Clark, 2002). A pattern's derivative with
respect to a start tag, an attribute, text or an end tag is the pattern the rest must
match; notAllowed means the item was not allowed there. Patterns are interned
(rngmodel.Patterns), so every derivative is computed once per (pattern, item) and a
document costs little beyond its first occurrences of each element in each context.

Datatypes: the XML Schema datatypes library through elementpath's XSD types (lexical
space, facets `pattern` with XSD regular expressions, `length`, `minLength`,
`maxLength`, `min/maxInclusive`, `min/maxExclusive`, `enumeration`), and RELAX NG's
built-in `string` and `token`. A type teikit does not know accepts any value.
"""

from __future__ import annotations

import functools
import re

from teikit.validate.rngmodel import (AFTER, ATTRIBUTE, CHOICE, DATA, ELEMENT, GROUP, INTERLEAVE,
                                      LIST, NOT_ALLOWED, ONE_OR_MORE, TEXT, VALUE, XSD_LIB,
                                      Grammar, Pattern, contains)


class Deriv:
    """The derivative functions over one Grammar, with their memo tables."""

    def __init__(self, grammar: Grammar):
        self.g = grammar
        self.p = grammar.p
        self._sto: dict = {}
        self._att: dict = {}
        self._stc: dict = {}
        self._stc_lenient: dict = {}
        self._text: dict = {}
        self._apply: dict = {}
        self._sens: dict = {}  # pattern id -> can a text derivative depend on the text
        self._att_sens: dict = {}  # (pattern id, attribute) -> can it depend on the value
        self._expected: dict = {}  # pattern id -> _Expect (read only by callers)
        self.message_memo: dict = {}  # for rngwalk: per-state parts of its messages

    # start tags ---------------------------------------------------------------------------

    def start_tag_open(self, pat: Pattern, qn) -> Pattern:
        key = (pat.id, qn)
        found = self._sto.get(key)
        if found is None:
            found = self._sto[key] = self._start_tag_open(pat, qn)
        return found

    def _start_tag_open(self, pat, qn):
        p, kind = self.p, pat.kind
        if kind == CHOICE:
            return p.choices(self.start_tag_open(a, qn) for a in pat.a)
        if kind == ELEMENT:
            return p.after(self.g.content(pat), p.empty) if contains(pat.a, qn) else p.not_allowed
        if kind == INTERLEAVE:
            return p.choice(self.apply_after(("il<", pat.b), self.start_tag_open(pat.a, qn)),
                            self.apply_after(("il>", pat.a), self.start_tag_open(pat.b, qn)))
        if kind == ONE_OR_MORE:
            return self.apply_after(("g", p.choice(pat, p.empty)), self.start_tag_open(pat.a, qn))
        if kind == GROUP:
            x = self.apply_after(("g", pat.b), self.start_tag_open(pat.a, qn))
            return p.choice(x, self.start_tag_open(pat.b, qn)) if pat.a.nullable else x
        if kind == AFTER:
            return self.apply_after(("a", pat.b), self.start_tag_open(pat.a, qn))
        return p.not_allowed

    def apply_after(self, op, pat: Pattern) -> Pattern:
        """Apply `op` (kind, other) to the right-hand side of every `after` in `pat`."""
        key = (op[0], op[1].id, pat.id)
        found = self._apply.get(key)
        if found is not None:
            return found
        p = self.p
        if pat.kind == AFTER:
            kind, other = op
            right = pat.b
            rhs = (p.group(right, other) if kind == "g" else p.interleave(right, other)
                   if kind == "il<" else p.interleave(other, right) if kind == "il>"
                   else p.after(right, other))
            found = p.after(pat.a, rhs)
        elif pat.kind == CHOICE:
            found = p.choices(self.apply_after(op, a) for a in pat.a)
        else:
            found = p.not_allowed
        self._apply[key] = found
        return found

    def _text_sensitive(self, pat: Pattern) -> bool:
        """Can the derivative of `pat` by a text depend on the text (a data, value or list
        pattern at its top)? If not, one memo entry serves every text."""
        found = self._sens.get(pat.id)
        if found is None:
            kind = pat.kind
            if kind in (VALUE, DATA, LIST):
                found = True
            elif kind == CHOICE:
                found = any(self._text_sensitive(a) for a in pat.a)
            elif kind in (GROUP, INTERLEAVE):
                found = self._text_sensitive(pat.a) or self._text_sensitive(pat.b)
            elif kind in (AFTER, ONE_OR_MORE):
                found = self._text_sensitive(pat.a)
            else:
                found = False
            self._sens[pat.id] = found
        return found

    def _value_sensitive(self, pat: Pattern, qn) -> bool:
        """Can the derivative of `pat` by attribute `qn` depend on more of its value than
        whether it is blank?"""
        key = (pat.id, qn)
        found = self._att_sens.get(key)
        if found is None:
            kind = pat.kind
            if kind == ATTRIBUTE:
                found = contains(pat.a, qn) and self._text_sensitive(pat.b)
            elif kind == CHOICE:
                found = any(self._value_sensitive(a, qn) for a in pat.a)
            elif kind in (GROUP, INTERLEAVE):
                found = self._value_sensitive(pat.a, qn) or self._value_sensitive(pat.b, qn)
            elif kind in (AFTER, ONE_OR_MORE):
                found = self._value_sensitive(pat.a, qn)
            else:
                found = False
            self._att_sens[key] = found
        return found

    def attribute(self, pat: Pattern, qn, value: str | None) -> Pattern:
        """After attribute `qn` with `value` (None: any value, for recovery)."""
        if value is None or self._value_sensitive(pat, qn):
            key = (pat.id, qn, value)
        else:  # only blank or not matters (value_matches): one entry per class
            key = (pat.id, qn, (not value.strip(),))
        found = self._att.get(key)
        if found is None:
            found = self._att[key] = self._attribute(pat, qn, value)
        return found

    def _attribute(self, pat, qn, value):
        p, kind = self.p, pat.kind
        if kind == AFTER:
            return p.after(self.attribute(pat.a, qn, value), pat.b)
        if kind == CHOICE:
            return p.choices(self.attribute(a, qn, value) for a in pat.a)
        if kind == GROUP:
            return p.choice(p.group(self.attribute(pat.a, qn, value), pat.b),
                            p.group(pat.a, self.attribute(pat.b, qn, value)))
        if kind == INTERLEAVE:
            return p.choice(p.interleave(self.attribute(pat.a, qn, value), pat.b),
                            p.interleave(pat.a, self.attribute(pat.b, qn, value)))
        if kind == ONE_OR_MORE:
            return p.group(self.attribute(pat.a, qn, value), p.choice(pat, p.empty))
        if kind == ATTRIBUTE:
            ok = contains(pat.a, qn) and (value is None or self.value_matches(pat.b, value))
            return p.empty if ok else p.not_allowed
        return p.not_allowed

    def start_tag_close(self, pat: Pattern, lenient: bool = False) -> Pattern:
        """After the last attribute. `lenient`: a missing required attribute is forgiven
        (recovery after it has been reported)."""
        memo = self._stc_lenient if lenient else self._stc
        found = memo.get(pat.id)
        if found is not None:
            return found
        p, kind = self.p, pat.kind
        if kind == AFTER:
            found = p.after(self.start_tag_close(pat.a, lenient), pat.b)
        elif kind == CHOICE:
            found = p.choices(self.start_tag_close(a, lenient) for a in pat.a)
        elif kind in (GROUP, INTERLEAVE):
            make = p.group if kind == GROUP else p.interleave
            found = make(self.start_tag_close(pat.a, lenient), self.start_tag_close(pat.b, lenient))
        elif kind == ONE_OR_MORE:
            found = p.one_or_more(self.start_tag_close(pat.a, lenient))
        elif kind == ATTRIBUTE:
            found = p.empty if lenient else p.not_allowed
        else:
            found = pat
        memo[pat.id] = found
        return found

    # content --------------------------------------------------------------------------------

    def text(self, pat: Pattern, s: str) -> Pattern:
        key = (pat.id, s if self._text_sensitive(pat) else None)
        found = self._text.get(key)
        if found is None:
            found = self._text[key] = self._text_deriv(pat, s)
        return found

    def _text_deriv(self, pat, s):
        p, kind = self.p, pat.kind
        if kind == CHOICE:
            return p.choices(self.text(a, s) for a in pat.a)
        if kind == INTERLEAVE:
            return p.choice(p.interleave(self.text(pat.a, s), pat.b),
                            p.interleave(pat.a, self.text(pat.b, s)))
        if kind == GROUP:
            x = p.group(self.text(pat.a, s), pat.b)
            return p.choice(x, self.text(pat.b, s)) if pat.a.nullable else x
        if kind == AFTER:
            return p.after(self.text(pat.a, s), pat.b)
        if kind == ONE_OR_MORE:
            return p.group(self.text(pat.a, s), p.choice(pat, p.empty))
        if kind == TEXT:
            return pat
        if kind == VALUE:
            lib, dtype = pat.a
            return p.empty if value_equal(lib, dtype, pat.b, s) else p.not_allowed
        if kind == DATA:
            lib, dtype, params = pat.a
            if not data_allows(lib, dtype, params, s):
                return p.not_allowed
            if pat.b is not None and self.text(pat.b, s).nullable:
                return p.not_allowed
            return p.empty
        if kind == LIST:
            q = pat.a
            for token in s.split():
                q = self.text(q, token)
            return p.empty if q.nullable else p.not_allowed
        return p.not_allowed

    def value_matches(self, pat: Pattern, s: str) -> bool:
        return (pat.nullable and not s.strip()) or self.text(pat, s).nullable

    def end_tag(self, pat: Pattern, lenient: bool = False) -> Pattern:
        if pat.kind == CHOICE:
            return self.p.choices(self.end_tag(a, lenient) for a in pat.a)
        if pat.kind == AFTER:
            return pat.b if (lenient or pat.a.nullable) else self.p.not_allowed
        return self.p.not_allowed

    # what a pattern expects (for messages) --------------------------------------------------

    def expected(self, pat: Pattern):
        """(element name classes, attribute name classes, text allowed?, end allowed?,
        value patterns) that may come next in the content of the `after`s of `pat`.
        Remembered per pattern (patterns are interned): a volume with a thousand faults in
        the same place asks the same question a thousand times. Callers must not change it."""
        out = self._expected.get(pat.id)
        if out is None:
            out = _Expect()
            self._first(pat, out, set(), top=True)
            self._expected[pat.id] = out
        return out

    def _first(self, pat, out, seen, top=False):
        if pat.id in seen:
            return
        seen.add(pat.id)
        kind = pat.kind
        if kind == AFTER:
            if pat.a.nullable:
                out.end = True
            self._first(pat.a, out, seen)
        elif kind == CHOICE:
            for a in pat.a:
                self._first(a, out, seen, top)
        elif kind == GROUP:
            self._first(pat.a, out, seen)
            if pat.a.nullable or _only_attributes(pat.a):
                self._first(pat.b, out, seen)
        elif kind == INTERLEAVE:
            self._first(pat.a, out, seen)
            self._first(pat.b, out, seen)
        elif kind == ONE_OR_MORE:
            self._first(pat.a, out, seen)
        elif kind == ELEMENT:
            out.elements.append(pat.a)
        elif kind == ATTRIBUTE:
            out.attributes.append(pat)
        elif kind == TEXT:
            out.text = True
        elif kind in (DATA, VALUE, LIST):
            out.values.append(pat)


class _Expect:
    def __init__(self):
        self.elements, self.attributes, self.values = [], [], []
        self.text = self.end = False


def _only_attributes(pat) -> bool:
    return pat.kind == ATTRIBUTE or (pat.kind in (GROUP, INTERLEAVE, CHOICE, ONE_OR_MORE)
                                     and all(_only_attributes(c) for c in _subs(pat)))


def _subs(pat):
    if pat.kind == CHOICE:
        return list(pat.a)
    if pat.kind in (GROUP, INTERLEAVE):
        return [pat.a, pat.b]
    return [pat.a]


# --- datatypes ------------------------------------------------------------------------------

_STRINGLIKE = {"string"}
_NORMALIZED = {"normalizedString"}


def _normalise(dtype: str, s: str) -> str:
    if dtype in _STRINGLIKE:
        return s
    if dtype in _NORMALIZED:
        return re.sub(r"[\t\n\r]", " ", s)
    return " ".join(s.split())


@functools.lru_cache(maxsize=None)
def _xsd_type(dtype: str):
    from elementpath.datatypes import builtin_atomic_types, builtin_list_types
    return builtin_atomic_types.get(f"xs:{dtype}") or builtin_list_types.get(f"xs:{dtype}")


@functools.lru_cache(maxsize=None)
def _regex(pattern: str):
    from elementpath.regex import translate_pattern
    try:
        return re.compile(translate_pattern(pattern, anchors=False))
    except (re.error, Exception):  # noqa: BLE001 - a pattern we cannot translate allows all
        return None


_LIST_TYPES = {"IDREFS", "NMTOKENS", "ENTITIES"}
_ITEM = {"IDREFS": "IDREF", "NMTOKENS": "NMTOKEN", "ENTITIES": "ENTITY"}


def _typed(dtype: str, s: str):
    """The value of `s` as XSD `dtype`; raises ValueError when it is not one."""
    if dtype in ("string", "normalizedString", "token"):
        return s
    if dtype in _LIST_TYPES:
        items = s.split()
        if not items:
            raise ValueError("empty list")
        return tuple(_typed(_ITEM[dtype], item) for item in items)
    cls = _xsd_type(dtype)
    if cls is None:
        return s
    try:
        return cls.make(s)
    except (ValueError, TypeError, ArithmeticError) as err:
        raise ValueError(str(err)) from None
    except Exception as err:  # noqa: BLE001 - elementpath raises its own error classes
        raise ValueError(str(err)) from None


@functools.lru_cache(maxsize=65536)
def data_allows(lib: str, dtype: str, params: tuple, s: str) -> bool:
    if lib not in (XSD_LIB, ""):
        return True  # a library teikit does not know: not judged
    if lib == "" and dtype not in ("string", "token"):
        return True
    value_text = _normalise(dtype, s)
    try:
        value = _typed(dtype, value_text)
    except ValueError:
        return False
    for name, arg in params:
        if name == "pattern":
            rx = _regex(arg)
            if rx is not None and not rx.fullmatch(value_text):
                return False
        elif name in ("length", "minLength", "maxLength"):
            size = len(value) if isinstance(value, (str, tuple)) else len(value_text)
            n = int(arg)
            if (name == "length" and size != n) or (name == "minLength" and size < n) \
                    or (name == "maxLength" and size > n):
                return False
        elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            try:
                bound = _typed(dtype, " ".join(arg.split()))
                ok = {"minInclusive": value >= bound, "maxInclusive": value <= bound,
                      "minExclusive": value > bound, "maxExclusive": value < bound}[name]
            except (ValueError, TypeError):
                continue
            if not ok:
                return False
    return True


def value_equal(lib: str, dtype: str, expected: str, s: str) -> bool:
    if lib == "" or dtype in ("string", "token", "normalizedString"):
        return _normalise(dtype, expected) == _normalise(dtype, s)
    try:
        return _typed(dtype, _normalise(dtype, expected)) == _typed(dtype, _normalise(dtype, s))
    except ValueError:
        return False
