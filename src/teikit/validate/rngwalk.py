"""RELAX NG messages from teikit's own walk of the full grammar.

libxml2 gives the verdict (fast, on a pruned grammar: see rng.py); for a file it rejects,
`check(grammar, tree, filename)` walks the document with the derivative matcher of
rngderiv over the *full* grammar and says, at each fault, what the grammar expected there:

- an element not allowed: the elements allowed at that point (and whether the parent
  may end there), "did you mean" the closest of them, and a namespace hint when the
  local name is right but the namespace is not;
- an element incomplete: the required element(s) missing;
- an attribute: its name, and either the attributes allowed or, when the name is
  allowed but the value is not, the value quoted and the datatype(s) it failed;
- a required attribute missing; text where none is allowed.

It recovers as jing does (a bad attribute or child is reported and skipped; an element
not allowed here is still checked against its own definition), so each fault gives one
finding. Every finding has file:line:col (the column of the start tag or attribute,
found by scanning the source line libxml2 records).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from pathlib import Path

from lxml import etree

from teikit.core.errors import Issue
from teikit.validate import rng
from teikit.validate.rngderiv import Deriv
from teikit.validate.rngmodel import (ATTRIBUTE, CHOICE, DATA, EMPTY, GROUP, INTERLEAVE, LIST,
                                      ONE_OR_MORE, AFTER, TEXT, VALUE, XML_NS, Grammar,
                                      contains, fixed_names)

MAX_LISTED = 200  # jing lists them all too
XML_BASE = f"{{{XML_NS}}}base"

_MATCHERS: dict = {}


def matcher_for(schema_path: str) -> Deriv:
    """The matcher for a RELAX NG file, read once per process (per content)."""
    key = rng._sha256(schema_path)
    if key not in _MATCHERS:
        _MATCHERS[key] = Deriv(Grammar(rng.load_grammar(schema_path), str(schema_path)))
    return _MATCHERS[key]


def check_file(schema_path: str, tree, filename: str | None) -> list[Issue]:
    return check(matcher_for(schema_path), tree, filename)


def replace_messages(schema_path: str, tree, filename: str, issues: list[Issue],
                     parse_issues: list[Issue] = (), checked: set = frozenset()) -> list[Issue]:
    """The findings of a file libxml2 rejected, with its RELAX NG ones replaced by this
    walk's. Findings in XIncluded files that are checked on their own (`checked`) are
    left to them; `rng:included-invalid` is kept. If the walk finds nothing, libxml2's
    findings stay (a validator never calls an invalid file valid), unless the fault is a
    duplicate xml:id the parser already reported (one finding per fault)."""
    rng_issues = [i for i in issues if i.layer == "rng"]
    others = [i for i in issues if i.layer != "rng"]
    kept = [i for i in rng_issues if i.code == "rng:included-invalid"]
    walked = [i for i in check_file(schema_path, tree, filename)
              if i.file == filename or i.file not in checked]
    if walked:
        return walked + kept + others
    if kept:
        return kept + others
    if any(i.code == "wf:duplicate-id" for i in parse_issues):
        return others
    return rng_issues + others


def check(matcher: Deriv, tree, filename: str | None) -> list[Issue]:
    """Findings of the full grammar on one parsed document (empty when it is valid)."""
    walk = _Walk(matcher, filename)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    after = walk.element(root, matcher.g.start)
    if after is matcher.p.not_allowed:  # cannot happen after recovery; kept for safety
        pass
    return walk.issues


def _qn(tag: str) -> tuple[str, str]:
    if tag[0] == "{":
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return "", tag


def _is_ws(s: str) -> bool:
    return not s.strip()


class _Walk:
    def __init__(self, matcher: Deriv, filename):
        self.d, self.p, self.g = matcher, matcher.p, matcher.g
        self.filename = filename
        self.issues: list[Issue] = []
        self._locators: dict = {}
        self.rejected = 0  # elements reported as not allowed where they are

    # -- the walk ----------------------------------------------------------------------------

    def element(self, el, pat):
        """The pattern after `el`, given the pattern `pat` before it."""
        qn = _qn(el.tag)
        p1 = self.d.start_tag_open(pat, qn)
        if p1 is self.p.not_allowed:
            resumed = self._unexpected(el, qn, pat)
            if resumed is not None:  # reported as missing before it: go on as if given
                return self._inside(el, self.d.start_tag_open(resumed, qn))
            candidates = self.g.elements_named(qn)
            if candidates:
                self._inside(el, self.p.choices(self.d.start_tag_open(c, qn) for c in candidates))
            return pat
        return self._inside(el, p1)

    def _inside(self, el, p1):
        d, na = self.d, self.p.not_allowed
        for name, value in el.attrib.items():
            aq = _qn(name)
            p2 = d.attribute(p1, aq, value)
            if p2 is na:
                self._bad_attribute(el, name, aq, value, p1)
                p2 = d.attribute(p1, aq, None)  # a bad value still counts as given
                if p2 is na:
                    continue
            p1 = p2
        p3 = d.start_tag_close(p1)
        if p3 is na:
            self._missing_attributes(el, p1)
            p3 = d.start_tag_close(p1, lenient=True)
        children = [c for c in el if isinstance(c.tag, str)]
        pat = p3
        rejected_child = False
        if not children:
            text = "".join(_texts(el))
            after = d.text(pat, text)
            if _is_ws(text):
                after = self.p.choice(pat, after)
            if after is na:
                self._bad_text(el, text, pat)
            else:
                pat = after
        else:
            for item in _items(el):
                if isinstance(item, str):
                    if _is_ws(item):
                        continue
                    after = d.text(pat, item)
                    if after is na:
                        self._bad_text(el, item, pat)
                    else:
                        pat = after
                else:
                    before = self.rejected
                    pat = self.element(item, pat)
                    rejected_child |= self.rejected != before
        end = d.end_tag(pat)
        if end is na:
            if not rejected_child:  # the rejected child was probably meant to fill it
                self._incomplete(el, pat)
            end = d.end_tag(pat, lenient=True)
        return end

    # -- findings ----------------------------------------------------------------------------

    def _add(self, code, message, node, attr=None, text=None):
        file, line, col = self._where(node, attr, text)
        self.issues.append(Issue("error", code, message, file, line, col, "rng"))

    def _unexpected(self, el, qn, pat):
        """Report `el` where it is not allowed. Returns the pattern to go on with when
        the fault is a required element missing before it, else None."""
        exp = self.d.expected(pat)
        parent = el.getparent()
        where = f" in {_show(parent)}" if parent is not None else " as the root element"
        names = _names(exp.elements)
        same_local = sorted({ns for ns, local in names if local == qn[1] and ns != qn[0]})
        if same_local:
            ns_now = f"namespace {qn[0]}" if qn[0] else "no namespace"
            self._add("rng:namespace",
                      f"Element {_show(el)} is in {ns_now}; the schema expects it{where} in "
                      f"namespace {same_local[0]} (declare xmlns=\"{same_local[0]}\")", el)
            return
        missing = self._missing_before(qn, pat, exp)
        if missing:
            self._add("rng:missing-element",
                      f"Element {_show(el)} is not allowed yet{where}: missing required element "
                      f"{_listing([_show_name(n, el) for n, _ in missing], 'or')} before it", el)
            return missing[0][1]
        self.rejected += 1
        known = "" if self.g.elements_named(qn) else " (the schema defines no such element)"
        hint = _did_you_mean(qn[1], [local for _, local in names]
                             or [local for _, local in self.g.known_names()])
        self._add("rng:unexpected-element",
                  f"Element {_show(el)} is not allowed here{where}{known}{hint or '.'} "
                  f"Expected: {_expected_text(exp, names, parent)}", el)

    def _missing_before(self, qn, pat, exp, limit=60):
        """The expected elements after one of which `qn` would be allowed (skipped when the
        parent may end here: then `qn` is simply out of place)."""
        if exp.end:
            return []
        d, na = self.d, self.p.not_allowed
        found = []
        for cand in _sorted(_names(exp.elements))[:limit]:
            opened = d.start_tag_open(pat, cand)
            after = d.end_tag(d.start_tag_close(opened, lenient=True), lenient=True)
            if after is not na and d.start_tag_open(after, qn) is not na:
                found.append((cand, after))
        return found

    def _bad_attribute(self, el, name, aq, value, p1):
        allowed = _attributes(p1)
        matching = [a for a in allowed if contains(a.a, aq)]
        shown = _show_attr(name, el)
        if matching:
            types = _describe_choice([a.b for a in matching])
            self._add("rng:datatype",
                      f"Value {value!r} of attribute {shown} on {_show(el)} is invalid; "
                      f"it must be {types}", el, name)
            return
        names = sorted({_attr_label(n) for a in allowed for n in (fixed_names(a.a) or [])},
                       key=str.lower)
        hint = _did_you_mean(_attr_label(aq).lstrip("@"), [n.lstrip("@") for n in names], "@")
        listed = _listing(names) if names else "no attributes"
        self._add("rng:attribute",
                  f"Attribute {shown} is not allowed on {_show(el)}{hint or '.'} Allowed: {listed}",
                  el, name)

    def _missing_attributes(self, el, p1):
        required = _required_attributes(self.d, p1)
        if not required:
            required = ["(an attribute the schema requires)"]
        what = " or ".join(required)
        plural = "attribute" if len(required) == 1 else "one of the attributes"
        self._add("rng:missing-attribute",
                  f"Element {_show(el)} is missing required {plural} {what}", el)

    def _bad_text(self, el, text, pat):
        exp = self.d.expected(pat)
        shown = " ".join(text.split())
        quoted = repr(shown if len(shown) <= 40 else shown[:37] + "...")
        if exp.values and not exp.elements:
            self._add("rng:datatype",
                      f"Content {quoted} of {_show(el)} is invalid; it must be "
                      f"{_describe_choice(exp.values)}", el, text=text)
            return
        self._add("rng:unexpected-text",
                  f"Text {quoted} is not allowed here in {_show(el)}; expected "
                  f"{_expected_text(exp, _names(exp.elements), el)}", el, text=text)

    def _incomplete(self, el, pat):
        exp = self.d.expected(pat)
        names = _names(exp.elements)
        if exp.values and not names:
            self._add("rng:datatype",
                      f"Content of {_show(el)} is empty; it must be {_describe_choice(exp.values)}", el)
            return
        shown = [_show_name(n, el) for n in _sorted(names)]
        if exp.elements and not names:
            shown = ["an element"]
        self._add("rng:missing-element",
                  f"Element {_show(el)} is incomplete: missing required element "
                  f"{_listing(shown, 'or') if shown else '(content)'}", el)

    # -- where -------------------------------------------------------------------------------

    def _where(self, node, attr=None, text=None):
        file = self._origin(node)
        line = node.sourceline
        locator = self._locators.get(file)
        if locator is None:
            locator = self._locators[file] = Locator(file, node.getroottree())
        pos = locator.position(node, attr, text)
        if pos is None:
            return file, line, None
        return file, pos[0], pos[1]

    def _origin(self, node):
        """The file an element was read from: XIncluded content carries xml:base."""
        el = node
        while el is not None:
            base = el.get(XML_BASE)
            if base is not None and self.filename:
                candidate = Path(self.filename).parent / base
                if candidate.is_file() and el.getparent() is not None:
                    return str(candidate)
                break
            el = el.getparent()
        return self.filename


# --- columns -----------------------------------------------------------------------------

_TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
                    r"|<([^\s/>!?]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)


class Locator:
    """Line and column of start tags and attributes, by scanning the source text."""

    def __init__(self, file, tree):
        self.tags = []  # (qname, start offset, end offset)
        self.text = ""
        self.by_el: dict = {}
        try:
            data = Path(file).read_bytes() if file else b""
            enc = tree.docinfo.encoding or "utf-8"
            self.text = data.decode(enc, errors="replace")
        except (OSError, LookupError):
            return
        self.lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.tags = [(m[1], m.start(), m.end()) for m in _TOKEN.finditer(self.text) if m[1]]
        self._cursor = 0

    def _line_col(self, offset):
        i = bisect.bisect_right(self.lines, offset) - 1
        return i + 1, offset - self.lines[i] + 1

    def _tag_of(self, el):
        if not self.tags:
            return None
        if el in self.by_el:
            return self.by_el[el]
        # walk the document in order once, pairing elements with start tags
        for node in el.getroottree().iter():
            if not isinstance(node.tag, str) or node in self.by_el:
                continue
            name = (f"{node.prefix}:" if node.prefix else "") + etree.QName(node).localname
            j = self._cursor
            while j < len(self.tags):
                tag_name, start, end = self.tags[j]
                if tag_name == name and self._line_col(end - 1)[0] == node.sourceline:
                    self.by_el[node] = self.tags[j]
                    self._cursor = j + 1
                    break
                j += 1
            else:
                self.by_el[node] = None
        return self.by_el.get(el)

    def position(self, el, attr=None, text=None):
        tag = self._tag_of(el)
        if tag is None:
            return None
        _, start, end = tag
        if attr is not None:
            q = etree.QName(attr)
            prefix = None
            if q.namespace == XML_NS:
                prefix = "xml"
            elif q.namespace:
                prefix = next((p for p, u in el.nsmap.items() if u == q.namespace and p), None)
            name = f"{prefix}:{q.localname}" if prefix else q.localname
            m = re.compile(r"\s(" + re.escape(name) + r")\s*=").search(self.text, start, end)
            if m:
                return self._line_col(m.start(1))
        if text is not None:
            probe = re.split(r"[&<]", text.strip(), maxsplit=1)[0][:20]
            found = self.text.find(probe, end) if probe else -1
            if found >= 0:
                return self._line_col(found)
        return self._line_col(start)


# --- wording -----------------------------------------------------------------------------

def _texts(el):
    if el.text:
        yield el.text
    for child in el:
        if child.tail:
            yield child.tail


def _items(el):
    """Text runs (merged across comments and PIs) and child elements, in order."""
    buf = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            if "".join(buf):
                yield "".join(buf)
            buf = []
            yield child
        buf.append(child.tail or "")
    if "".join(buf):
        yield "".join(buf)


def _show(el) -> str:
    return f"<{el.prefix + ':' if el.prefix else ''}{etree.QName(el).localname}>"


def _show_name(qn, context) -> str:
    ns, local = qn
    if context is None:  # the document's root: no parent to take prefixes from
        return f"<{local}> (namespace {ns})" if ns else f"<{local}> (no namespace)"
    if ns == (context.nsmap.get(None) or "") or ns == etree.QName(context).namespace:
        return f"<{local}>"
    prefix = next((p for p, u in context.nsmap.items() if u == ns and p), None)
    if prefix:
        return f"<{prefix}:{local}>"
    return f"<{local}> (namespace {ns})" if ns else f"<{local}> (no namespace)"


def _show_attr(name, el) -> str:
    return _attr_label(_qn(name), el)


def _attr_label(aq, el=None) -> str:
    ns, local = aq
    if not ns:
        return f"@{local}"
    if ns == XML_NS:
        return f"@xml:{local}"
    prefix = next((p for p, u in (el.nsmap if el is not None else {}).items() if u == ns and p), None)
    return f"@{prefix}:{local}" if prefix else f"@{{{ns}}}{local}"


def _names(name_classes) -> set:
    out = set()
    for nc in name_classes:
        out |= set(fixed_names(nc) or [])
    return out


def _sorted(names):
    return sorted(names, key=lambda n: (n[1].lower(), n[0]))


def _listing(items, last="or") -> str:
    items = list(items)
    if len(items) > MAX_LISTED:
        rest = len(items) - MAX_LISTED
        return ", ".join(items[:MAX_LISTED]) + f" and {rest} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


_EXPECTED: dict = {}  # the wording depends only on these, and a big file repeats them


def _expected_text(exp, names, context) -> str:
    try:
        key = (frozenset(names), tuple(exp.elements), bool(exp.text), bool(exp.end),
               None if context is None else (context.tag, context.prefix, frozenset(context.nsmap.items())))
        hash(key)
    except TypeError:  # an unhashable name class: word it afresh
        return _expected_text_uncached(exp, names, context)
    if key not in _EXPECTED:
        if len(_EXPECTED) > 4096:
            _EXPECTED.clear()
        _EXPECTED[key] = _expected_text_uncached(exp, names, context)
    return _EXPECTED[key]


def _expected_text_uncached(exp, names, context) -> str:
    parts = [_show_name(n, context) for n in _sorted(names)]
    for nc in exp.elements:
        if fixed_names(nc) is None:
            text = _describe_wildcard(nc)
            if text not in parts:
                parts.append(text)
    if exp.text:
        parts.append("text")
    if exp.end and context is not None:
        parts.insert(0, f"the end of {_show(context)}")
    if not parts:
        return "nothing here (the element must be empty at this point)"
    return _listing(parts)


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def did_you_mean(word: str, candidates) -> str | None:
    """The candidate a misspelling most likely meant: same name in another case, else the
    nearest by edit distance (at most a third of the word, at least one edit), ties going
    to the same first letter, then the closer length."""
    return _did_you_mean_cached(word, frozenset(candidates))


@functools.lru_cache(maxsize=4096)
def _did_you_mean_cached(word: str, candidates: frozenset) -> str | None:
    candidates = sorted(candidates)
    if not candidates or word in candidates:
        return None
    for c in candidates:
        if c.lower() == word.lower():
            return c
    limit = max(1, len(word) // 3)
    # the edit distance is at least the difference in length: farther names cannot win
    near = [c for c in candidates if abs(len(c) - len(word)) <= limit]
    if not near:
        return None
    scored = [(_distance(word.lower(), c.lower()), c[:1].lower() != word[:1].lower(),
               not (_subsequence(c.lower(), word.lower()) or _subsequence(word.lower(), c.lower())),
               abs(len(c) - len(word)), c) for c in near]
    best = min(scored)
    return best[-1] if best[0] <= limit else None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _describe_wildcard(nc) -> str:
    """A name class with a wildcard, in words ("any element outside namespace X")."""
    def names(n):
        if n is None:
            return []
        if n[0] == "name":
            return [f"<{n[2]}>"]
        if n[0] == "ns":
            return [f"namespace {n[1] or '(none)'}"]
        if n[0] == "or":
            return names(n[1]) + names(n[2])
        return ["any name"]
    if nc[0] == "any":
        exc = names(nc[1])
        return "any element" + (f" outside {_listing(exc, 'and')}" if exc else "")
    if nc[0] == "ns":
        exc = names(nc[2])
        return f"any element in namespace {nc[1]}" + (f" except {_listing(exc, 'and')}" if exc else "")
    return "an element of " + _listing(names(nc))


def _did_you_mean(word, candidates, sigil="") -> str:
    best = did_you_mean(word, candidates)
    if best is None:
        return ""
    return f"; did you mean {sigil}{best}?" if sigil else f"; did you mean <{best}>?"


def _attributes(pat) -> list:
    """The attribute patterns reachable before any content."""
    out, seen, stack = [], set(), [pat]
    while stack:
        q = stack.pop()
        if q.id in seen:
            continue
        seen.add(q.id)
        if q.kind == ATTRIBUTE:
            out.append(q)
        elif q.kind == CHOICE:
            stack.extend(q.a)
        elif q.kind in (GROUP, INTERLEAVE):
            stack += [q.a, q.b]
        elif q.kind == ONE_OR_MORE:
            stack.append(q.a)
        elif q.kind == AFTER:
            stack.append(q.a)
    return out


def _required_attributes(d: Deriv, pat) -> list[str]:
    """Names of the attributes whose absence makes the start tag incomplete."""
    out: list[str] = []
    _required(d, pat, out)
    return out


def _required(d: Deriv, pat, out):
    kind = pat.kind
    if kind == ATTRIBUTE:
        for qn in fixed_names(pat.a) or []:
            if _attr_label(qn) not in out:
                out.append(_attr_label(qn))
    elif kind in (GROUP, INTERLEAVE):
        _required(d, pat.a, out)
        _required(d, pat.b, out)
    elif kind == CHOICE:
        if all(d.start_tag_close(a) is d.p.not_allowed for a in pat.a):
            for a in pat.a:
                _required(d, a, out)
    elif kind in (ONE_OR_MORE, AFTER):
        _required(d, pat.a, out)


def _leaves(pat):
    if pat.kind == CHOICE:
        for a in pat.a:
            yield from _leaves(a)
    else:
        yield pat


_DATE_TYPES = {"date", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay", "time", "dateTime"}


def _describe(pat) -> list[str]:
    kind = pat.kind
    if kind == CHOICE:
        out = []
        for a in sorted(pat.a, key=lambda q: q.id):
            for part in _describe(a):
                if part not in out:
                    out.append(part)
        return out
    if kind == DATA:
        lib, dtype, params = pat.a
        text = f"an XML Schema {dtype}" if lib else dtype
        facets = [f"{n} {v!r}" for n, v in params]
        return [text + (f" ({', '.join(facets)})" if facets else "")]
    if kind == VALUE:
        return [repr(pat.b)]
    if kind == LIST:
        return ["a space-separated list of " + " or ".join(_describe(pat.a))]
    if kind == ONE_OR_MORE:
        return _describe(pat.a)
    if kind == TEXT:
        return ["any text"]
    if kind == EMPTY:
        return ["empty"]
    if kind == GROUP:
        return [" followed by ".join(_describe(pat.a) + _describe(pat.b))]
    return ["(a value the schema describes)"]


def _describe_choice(pats) -> str:
    parts = []
    for pat in pats:
        for part in _describe(pat):
            if part not in parts:
                parts.append(part)
    dates = [p for p in parts if p.startswith("an XML Schema ") and p.split()[-1] in _DATE_TYPES]
    if len(dates) >= 3:
        rest = [p for p in parts if p not in dates]
        kinds = ", ".join(p.split()[-1] for p in dates)
        parts = rest + [f"a W3C date or time ({kinds}; e.g. 1920, 1920-03, 1920-03-14)"]
    values = [p for p in parts if p.startswith("'") or p.startswith('"')]
    if len(values) == len(parts) and len(values) > 1:
        return "one of " + _listing(values)
    return _listing(parts)
