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
found by scanning the source line libxml2 records: locator.py). The wording of every
message is rngwording.py's.
"""

from __future__ import annotations

from pathlib import Path

from teikit.core.errors import Issue
from teikit.validate import rng, rnginclude, rngorder
from teikit.validate.locator import Locator
from teikit.validate.rngderiv import Deriv
from teikit.validate.rngmodel import (ATTRIBUTE, CHOICE, GROUP, INTERLEAVE, ONE_OR_MORE, AFTER,
                                      XML_NS, Grammar, contains, fixed_names)
from teikit.validate.rngwording import (attr_label, describe_choice, did_you_mean_hint,
                                        expected_text, listing, names_of, show, show_name,
                                        sorted_names)

XML_BASE = f"{{{XML_NS}}}base"

_MATCHERS: dict = {}


def matcher_for(schema_path: str, files) -> Deriv:
    """The matcher for a RELAX NG file read through `files`, read once per process (per
    content)."""
    key = rnginclude.closure_sha256(schema_path, files, rng.read_schema_bytes(schema_path, files))
    if key not in _MATCHERS:
        _MATCHERS[key] = Deriv(Grammar(rng.load_grammar(schema_path, files), str(schema_path), files))
    return _MATCHERS[key]


def check_file(schema_path: str, tree, filename: str | None, files) -> list[Issue]:
    return check(matcher_for(schema_path, files), tree, filename, files)


def replace_messages(schema_path: str, tree, filename: str, issues: list[Issue],
                     parse_issues: list[Issue] = (), checked: set = frozenset(), *,
                     files) -> list[Issue]:
    """The findings of a file libxml2 rejected, with its RELAX NG ones replaced by this
    walk's. Findings in XIncluded files that are checked on their own (`checked`) are
    left to them; `rng:included-invalid` is kept. If the walk finds nothing, libxml2's
    findings stay (a validator never calls an invalid file valid), unless the fault is a
    duplicate xml:id the parser already reported (one finding per fault)."""
    rng_issues = [i for i in issues if i.layer == "rng"]
    others = [i for i in issues if i.layer != "rng"]
    kept = [i for i in rng_issues if i.code == "rng:included-invalid"]
    walked = [i for i in check_file(schema_path, tree, filename, files)
              if i.file == filename or i.file not in checked]
    if walked:
        return walked + kept + others
    if kept:
        return kept + others
    if any(i.code == "wf:duplicate-id" for i in parse_issues):
        return others
    return rng_issues + others


def check(matcher: Deriv, tree, filename: str | None, files=None) -> list[Issue]:
    """Findings of the full grammar on one parsed document (empty when it is valid);
    `files` reads the document's source (and its XIncluded files') for the columns."""
    walk = _Walk(matcher, filename, files)
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
    def __init__(self, matcher: Deriv, filename, files=None):
        self.d, self.p, self.g = matcher, matcher.p, matcher.g
        self.filename = filename
        self.files = files
        self.issues: list[Issue] = []
        self._locators: dict = {}
        self.rejected = 0  # elements reported as not allowed where they are
        # the same state gives the same expected names, missing elements and hint: kept
        # with the matcher, across files
        memo = matcher.message_memo
        self._missing = memo.setdefault("missing", {})
        self._hints = memo.setdefault("hints", {})
        self._names = memo.setdefault("names", {})

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
        where = f" in {show(parent)}" if parent is not None else " as the root element"
        names = self._names_of(pat.id, exp)
        same_local = sorted({ns for ns, local in names if local == qn[1] and ns != qn[0]})
        if same_local:
            ns_now = f"namespace {qn[0]}" if qn[0] else "no namespace"
            self._add("rng:namespace",
                      f"Element {show(el)} is in {ns_now}; the schema expects it{where} in "
                      f"namespace {same_local[0]} (declare xmlns=\"{same_local[0]}\")", el)
            return
        key = (pat.id, qn)
        missing = self._missing.get(key)
        if missing is None:
            missing = self._missing[key] = self._missing_before(qn, pat, exp)
        if missing:
            self._add("rng:missing-element",
                      f"Element {show(el)} is not allowed yet{where}: missing required element "
                      f"{listing([show_name(n, el) for n, _ in missing], 'or')} before it", el)
            return missing[0][1]
        self.rejected += 1
        known = "" if self.g.elements_named(qn) else " (the schema defines no such element)"
        hint = self._hints.get(key)
        if hint is None:
            hint = self._hints[key] = did_you_mean_hint(
                qn[1], [local for _, local in names] or [local for _, local in self.g.known_names()])
        self._add("rng:unexpected-element",
                  f"Element {show(el)} is not allowed here{where}{known}{hint or '.'} "
                  f"Expected: {expected_text(exp, names, parent)}", el)

    def _names_of(self, pat_id, exp):
        names = self._names.get(pat_id)
        if names is None:
            names = self._names[pat_id] = names_of(exp.elements)
        return names

    def _missing_before(self, qn, pat, exp, limit=60):
        """The expected elements after one of which `qn` would be allowed (skipped when the
        parent may end here: then `qn` is simply out of place)."""
        if exp.end:
            return []
        d, na = self.d, self.p.not_allowed
        found = []
        for cand in sorted_names(names_of(exp.elements))[:limit]:
            opened = d.start_tag_open(pat, cand)
            after = d.end_tag(d.start_tag_close(opened, lenient=True), lenient=True)
            if after is not na and d.start_tag_open(after, qn) is not na:
                found.append((cand, after))
        return found

    def rank(self, pat) -> int:
        """Where a value or data type comes in the lists of messages (rngorder.rank)."""
        return rngorder.rank(self.g, pat)

    def _bad_attribute(self, el, name, aq, value, p1):
        allowed = _attributes(p1)
        matching = [a for a in allowed if contains(a.a, aq)]
        shown = attr_label(aq, el)
        if matching:
            types = describe_choice([a.b for a in matching], self.rank)
            self._add("rng:datatype",
                      f"Value {value!r} of attribute {shown} on {show(el)} is invalid; "
                      f"it must be {types}", el, name)
            return
        names = sorted({attr_label(n) for a in allowed for n in (fixed_names(a.a) or [])},
                       key=str.lower)
        hint = did_you_mean_hint(attr_label(aq).lstrip("@"), [n.lstrip("@") for n in names], "@")
        listed = listing(names) if names else "no attributes"
        self._add("rng:attribute",
                  f"Attribute {shown} is not allowed on {show(el)}{hint or '.'} Allowed: {listed}",
                  el, name)

    def _missing_attributes(self, el, p1):
        required = _required_attributes(self.d, p1)
        if not required:
            required = ["(an attribute the schema requires)"]
        what = " or ".join(required)
        plural = "attribute" if len(required) == 1 else "one of the attributes"
        self._add("rng:missing-attribute",
                  f"Element {show(el)} is missing required {plural} {what}", el)

    def _bad_text(self, el, text, pat):
        exp = self.d.expected(pat)
        shown = " ".join(text.split())
        quoted = repr(shown if len(shown) <= 40 else shown[:37] + "...")
        if exp.values and not exp.elements:
            self._add("rng:datatype",
                      f"Content {quoted} of {show(el)} is invalid; it must be "
                      f"{describe_choice(exp.values, self.rank)}", el, text=text)
            return
        self._add("rng:unexpected-text",
                  f"Text {quoted} is not allowed here in {show(el)}; expected "
                  f"{expected_text(exp, names_of(exp.elements), el)}", el, text=text)

    def _incomplete(self, el, pat):
        exp = self.d.expected(pat)
        names = names_of(exp.elements)
        if exp.values and not names:
            self._add("rng:datatype",
                      f"Content of {show(el)} is empty; it must be {describe_choice(exp.values, self.rank)}", el)
            return
        shown = [show_name(n, el) for n in sorted_names(names)]
        if exp.elements and not names:
            shown = ["an element"]
        self._add("rng:missing-element",
                  f"Element {show(el)} is incomplete: missing required element "
                  f"{listing(shown, 'or') if shown else '(content)'}", el)

    # -- where -------------------------------------------------------------------------------

    def _where(self, node, attr=None, text=None):
        file = self._origin(node)
        line = node.sourceline
        locator = self._locators.get(file)
        if locator is None:
            locator = self._locators[file] = Locator(file, node.getroottree(), self.files)
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
                if self.files is not None and self.files.is_file(candidate) and el.getparent() is not None:
                    return str(candidate)
                break
            el = el.getparent()
        return self.filename


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
            if attr_label(qn) not in out:
                out.append(attr_label(qn))
    elif kind in (GROUP, INTERLEAVE):
        _required(d, pat.a, out)
        _required(d, pat.b, out)
    elif kind == CHOICE:
        if all(d.start_tag_close(a) is d.p.not_allowed for a in pat.a):
            # each alternative's names, the alternatives in the order of their names: not
            # the frozenset's, which follows the patterns' addresses (another in each run)
            each = []
            for a in pat.a:
                each.append([])
                _required(d, a, each[-1])
            for names in sorted(each, key=lambda names: ([n.lower() for n in names], names)):
                out.extend(n for n in names if n not in out)
    elif kind in (ONE_OR_MORE, AFTER):
        _required(d, pat.a, out)

