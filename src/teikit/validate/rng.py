"""RELAX NG (XML syntax): loading, pruning to the elements in use, compiling, messages.

Pruning. libxml2 compiles a grammar the size of tei_all in seconds. Every `<element>`
pattern whose name class is a fixed name (or a choice of fixed names) that none of the
documents being validated uses is replaced by `<notAllowed/>`. For those documents the
verdict cannot change: a valid document never matches such a pattern, and pruning only
removes choices, so an invalid document stays invalid. Wildcards (`anyName`, `nsName`)
are never pruned. A grammar with `include`/`externalRef` is compiled unpruned.

Grammars are read through the `Files` object the caller hands over (their includes too:
rnginclude.py puts them in place, so libxml2 reads no file itself). The pruned grammar
text is kept in the `Cache` the caller hands over (the application layer's is a folder:
`$TEIKIT_CACHE`, else `$XDG_CACHE_HOME/teikit`, else `~/.cache/teikit`), keyed by the
schema's sha256 and the element-name set; compiled grammars are kept in memory for the
run (lxml cannot pickle them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from teikit.core.errors import Issue, UsageError
from teikit.core.files import NoCache
from teikit.core import xmlsafe
from teikit.core.xmlsafe import make_parser
from teikit.validate import rnginclude

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = {"r": RNG_NS}
NameSet = frozenset  # of (namespace, local name)


def read_schema_bytes(path, files) -> bytes:
    """The bytes of a grammar file read through `files`; UsageError when there is none."""
    data, why = xmlsafe.read(path, files)
    if data is None:
        raise UsageError(f"Cannot read schema {str(path)!r}: {why or xmlsafe.NO_SUCH_FILE}")
    return data


def load_grammar(path, files) -> etree._ElementTree:
    """Parse a RELAX NG grammar read through `files` (hardened). Unreadable or not RELAX
    NG -> UsageError."""
    try:
        tree = etree.ElementTree(etree.fromstring(read_schema_bytes(path, files), make_parser(),
                                                  base_url=str(path)))
    except etree.XMLSyntaxError as err:
        raise UsageError(f"Cannot read schema {str(path)!r}: {err}. "
                         "Give a RELAX NG grammar in XML syntax") from None
    if tree.getroot().tag not in (f"{{{RNG_NS}}}grammar", f"{{{RNG_NS}}}element"):
        raise UsageError(f"Schema {str(path)!r} is not a RELAX NG grammar in XML syntax "
                         f"(root is {tree.getroot().tag!r}); the compact syntax (.rnc) "
                         "is not supported, convert it with trang")
    return tree


#: part of the cache key of pruned grammars: a change to prune() must change it
PRUNE_VERSION = "3"
PRUNE_MIN_BYTES = 200_000  # a grammar smaller than this, including nothing, is compiled whole


def worth_pruning(path, files) -> bool:
    """Does pruning `path` to the names in use pay? It costs a walk of every element of the
    run (rng.used_names, ~0.4 us an element) and a pruned copy to compile and keep; it pays
    for tei_all (1.1 MB: 12-16 s whole, well under a second pruned). A grammar under
    PRUNE_MIN_BYTES that includes or references nothing is compiled whole: teikit.rng
    (39 kB) takes 2 ms whole, against 15 ms to collect the bundled corpus's names and compile
    it pruned. The verdicts are the same either way (a pruned grammar accepts what the whole
    one does, for files that use only those names); libxml2's wording of a rejection is
    replaced by teikit's walk of the whole grammar (exact messages) either way."""
    data = read_schema_bytes(path, files)
    return len(data) >= PRUNE_MIN_BYTES or rnginclude.has_reference_bytes(data)


def used_names(trees, alone=()) -> NameSet:
    """(namespace, local name) of every element in the given trees (and of the elements
    `alone`, without their descendants), and ("@" + namespace, local name) of every attribute."""
    tags, attrs = set(), set()
    for tree in trees:
        for el in tree.iter(etree.Element):  # Clark names first: one split per distinct name
            tags.add(el.tag)
            attrs.update(el.keys())
    for el in alone:
        tags.add(el.tag)
        attrs.update(el.keys())

    def split(clark: str) -> tuple[str, str]:
        return tuple(clark[1:].split("}", 1)) if clark.startswith("{") else ("", clark)

    names = {split(tag) for tag in tags}
    names |= {("@" + ns, local) for ns, local in map(split, attrs)}
    return frozenset(names)


def _inherited_ns(el) -> str:
    while el is not None:
        if el.get("ns") is not None:
            return el.get("ns")
        el = el.getparent()
    return ""


def _resolve(qname: str, context, default_ns: str) -> tuple[str, str]:
    qname = qname.strip()
    if ":" in qname:
        prefix, local = qname.split(":", 1)
        if prefix == "xml":  # bound by definition, never declared
            return "http://www.w3.org/XML/1998/namespace", local
        return context.nsmap.get(prefix, f"urn:unbound:{prefix}"), local
    return default_ns, qname


def element_names(el) -> list[tuple[str, str]] | None:
    """The fixed names an `<element>` pattern accepts, or None for a wildcard."""
    if el.get("name") is not None:
        return [_resolve(el.get("name"), el, _inherited_ns(el))]
    first = next((c for c in el if isinstance(c.tag, str)), None)
    return _name_class(first) if first is not None else None


def _name_class(nc) -> list[tuple[str, str]] | None:
    tag = etree.QName(nc).localname if isinstance(nc.tag, str) else ""
    if tag == "name":
        return [_resolve(nc.text or "", nc, _inherited_ns(nc))]
    if tag == "choice":
        names = []
        for child in nc:
            if not isinstance(child.tag, str):
                continue
            sub = _name_class(child)
            if sub is None:
                return None
            names += sub
        return names
    return None  # anyName, nsName: wildcards are kept


def prune(grammar: etree._ElementTree, used: NameSet) -> tuple[etree._ElementTree, int]:
    """A copy of `grammar` with unused fixed-name element patterns made notAllowed.
    Returns (pruned copy, number of patterns pruned)."""
    copy = etree.ElementTree(etree.fromstring(etree.tostring(grammar), make_parser(),
                                              base_url=grammar.docinfo.URL))
    if copy.xpath("//r:include | //r:externalRef", namespaces=_R):
        return copy, 0
    pruned = 0
    for el in copy.xpath("//r:element", namespaces=_R):
        names = element_names(el)
        if names is None or any(name in used for name in names):
            continue
        if el.xpath("ancestor::r:element[not(@name)] | ancestor::r:except", namespaces=_R):
            continue
        _replace(el, "notAllowed")
        pruned += 1
    # an optional attribute that no file carries: dropping the choice changes no verdict
    # for these files (a required one is kept, since its absence is an error)
    for attr in copy.xpath("//r:optional[count(*) = 1]/r:attribute[@name]", namespaces=_R):
        ns, local = _resolve(attr.get("name"), attr, attr.get("ns") or "")
        if ("@" + ns, local) in used:
            continue
        _replace(attr.getparent(), "empty")
        pruned += 1
    return copy, pruned


#: patterns that match nothing when one of their children matches nothing (RELAX NG 4.19;
#: `element` too: its content is an implicit group)
_ABSORBING = frozenset(f"{{{RNG_NS}}}{n}" for n in (
    "group", "interleave", "oneOrMore", "list", "mixed", "attribute", "element"))
#: patterns that match the empty sequence when their content matches nothing
_EMPTYING = frozenset(f"{{{RNG_NS}}}{n}" for n in ("zeroOrMore", "optional"))


def simplify(grammar: etree._ElementTree) -> None:
    """Simplify `grammar` in place as RELAX NG's own simplification does (4.19), for what
    libxml2 gets wrong; the language stays the same, as jing reads it.

    * `notAllowed` is carried up: a group, interleave, oneOrMore, list, mixed, attribute or
      element holding one becomes one; a choice drops it; an optional or zeroOrMore holding
      one becomes empty; a `ref` to a define that is wholly notAllowed becomes notAllowed.
    * `empty` is dropped from sequences, and a repeat of nothing but empty becomes empty.

    libxml2 rejects `(p, empty)+` with two p's (jing accepts it), and some grammars with
    notAllowed inside a content model do not compile; pruning makes both (teikit.rng pruned
    to one corpus file's names rejected 55 of the 189 valid files and failed to compile for
    7). Compiled grammars are simplified whether pruned or not."""
    root = grammar.getroot()
    refs: dict = {}
    for ref in root.iter(f"{{{RNG_NS}}}ref"):
        refs.setdefault(ref.get("name"), []).append(ref)
    single = _single_defines(root)
    work = list(root.iter(f"{{{RNG_NS}}}notAllowed"))
    while work:
        el = work.pop()
        parent = el.getparent()
        if parent is None or not _attached(parent, root):
            continue  # already replaced with an ancestor
        tag = parent.tag
        if tag in _ABSORBING:
            work.append(_replace(parent, "notAllowed"))
        elif tag in _EMPTYING:
            _replace(parent, "empty")
        elif tag == f"{{{RNG_NS}}}choice":
            parent.remove(el)
            if not _content(parent):
                work.append(_replace(parent, "notAllowed"))
        elif tag == f"{{{RNG_NS}}}define" and parent.get("name") in single and len(_content(parent)) == 1:
            work += [_replace(ref, "notAllowed") for ref in refs.get(parent.get("name"), ())
                     if _attached(ref, root)]
        # start, except, a define that is combined, a group or in nested grammars: left as is
    _simplify_empty(root)


#: patterns whose content is a sequence that an `empty` member adds nothing to
_SEQUENCES = frozenset(f"{{{RNG_NS}}}{n}" for n in (
    "group", "interleave", "oneOrMore", "zeroOrMore", "optional", "mixed", "define", "element"))
_REPEATS = frozenset(f"{{{RNG_NS}}}{n}" for n in ("oneOrMore", "zeroOrMore", "optional"))


def _simplify_empty(root) -> None:
    """Drop the `empty`s that pruning left inside sequences (group(p, empty) is p), and make
    a repeat of nothing but empty an `empty` itself (RELAX NG 4.19). Same language; libxml2
    mis-validates some `oneOrMore` groups holding an `empty` (teikit.rng pruned for one
    corpus file rejected it on `(common, empty)+`, where jing accepted)."""
    work = list(root.iter(f"{{{RNG_NS}}}empty"))
    while work:
        el = work.pop()
        parent = el.getparent()
        if parent is None or parent.tag not in _SEQUENCES or not _attached(parent, root):
            continue
        patterns = _content(parent)
        if len(patterns) > 1:
            parent.remove(el)
        elif parent.tag in _REPEATS:
            work.append(_replace(parent, "empty"))


def _content(el) -> list:
    """The pattern children of `el` (its name class, for an element without @name, apart)."""
    children = [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == RNG_NS]
    if el.tag == f"{{{RNG_NS}}}element" and el.get("name") is None:
        children = children[1:]
    return children


def _attached(el, root) -> bool:
    while el is not None and el is not root:
        el = el.getparent()
    return el is root


def _single_defines(root) -> set:
    """Names defined once, without `combine`, in a grammar that nests no other grammar (so a
    `ref` of that name means that define)."""
    if root.tag != f"{{{RNG_NS}}}grammar" or any(True for _ in root.iter(f"{{{RNG_NS}}}grammar", f"{{{RNG_NS}}}parentRef")
                                                  if _ is not root):
        return set()
    counts: dict = {}
    for define in root.iter(f"{{{RNG_NS}}}define"):
        name = define.get("name")
        counts[name] = counts.get(name, 0) + (1 if define.get("combine") is None else 2)
    return {name for name, n in counts.items() if n == 1}


def _replace(el, local: str):
    replacement = etree.Element(f"{{{RNG_NS}}}{local}")
    replacement.tail = el.tail
    el.getparent().replace(el, replacement)
    return replacement


@dataclass
class CompiledSchema:
    """A RELAX NG grammar compiled by libxml2, pruned or whole."""

    path: str
    relaxng: etree.RelaxNG
    pruned: int  # element patterns pruned (0: full grammar)
    names: NameSet | None


_MEMORY: dict[tuple, CompiledSchema] = {}


def sha256(path, files) -> str:
    """The sha256 of a grammar file read through `files` (UsageError when there is none)."""
    return hashlib.sha256(read_schema_bytes(path, files)).hexdigest()


def compile_schema(path, used: NameSet | None = None, *, files, cache=None,
                   use_cache: bool = True) -> CompiledSchema:
    """Compile `path` (read through `files`), pruned to `used` element names when given
    (None: full grammar). Compiled once per process per (schema, names); the pruned text
    is kept in `cache` (teikit.core.files.Cache; none: not kept)."""
    path = str(path)
    cache = cache if cache is not None and use_cache else NoCache()
    data = read_schema_bytes(path, files)
    digest = rnginclude.closure_sha256(path, files, data)  # the grammar and all it includes
    key = (digest, used)  # included files edited: compiled again, and pruned again on disk
    if key in _MEMORY:
        return _MEMORY[key]
    pruned_count = 0
    if used is None:
        tree = load_grammar(path, files)
    else:
        names_digest = hashlib.sha256(
            (PRUNE_VERSION + "\n" + "\n".join(sorted(f"{{{ns}}}{local}" for ns, local in used))).encode()
        ).hexdigest()
        cache_key = f"pruned-rng/{digest[:32]}-{names_digest[:32]}.rng"
        tree = None
        kept = cache.get(cache_key)
        if kept is not None:
            try:
                tree = etree.ElementTree(etree.fromstring(kept, make_parser(), base_url=path))
                note = tree.getroot()[0] if len(tree.getroot()) else None
                match = re.match(r"teikit-pruned (\d+)", getattr(note, "text", "") or "")
                pruned_count = int(match[1]) if match else 0
            except etree.XMLSyntaxError:
                tree = None
        if tree is None:
            tree, pruned_count = prune(load_grammar(path, files), used)
            tree.getroot().insert(0, etree.Comment(f"teikit-pruned {pruned_count}"))
            cache.put(cache_key, etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    try:
        # libxml2 would read included files itself: they are put in place first
        grammar = rnginclude.inline(tree, path, files) if rnginclude.has_references(tree) else tree
        simplify(grammar)
        relaxng = etree.RelaxNG(etree=grammar)
    except etree.RelaxNGParseError as err:
        if used is None:
            raise UsageError(f"Cannot compile schema {path!r}: {_first_error(err)}") from None
        compiled = compile_schema(path, None, files=files)  # pruning emptied the grammar: full one
        _MEMORY[key] = compiled
        return compiled
    compiled = CompiledSchema(path, relaxng, pruned_count, used)
    _MEMORY[key] = compiled
    return compiled


def _first_error(err) -> str:
    log = list(err.error_log)
    return log[0].message if log else str(err)


# --- messages -------------------------------------------------------------------------

def _display(name: str) -> str:
    return f"<{name}>"


#: libxml2's messages -> (code, wording); compiled on first use (only a rejected file has any)
_MESSAGES = [
    (r"^Did not expect element (\S+) there$", "rng:unexpected-element",
     lambda m, ctx: f"Element {_display(m[1])} is not allowed here"
                    + (f" in {_display(ctx)}" if ctx else "")),
    (r"^Expecting element (\S+), got (\S+)$", "rng:wrong-element",
     lambda m, ctx: f"Expected element {_display(m[1])}, found {_display(m[2])}"),
    (r"^Expecting an element (\S+), got nothing$", "rng:missing-element",
     lambda m, ctx: f"Element {_display(ctx) if ctx else ''} is incomplete: expected "
                    f"element {_display(m[1])}".replace("Element  is", "Content is")),
    (r"^Element (\S+) failed to validate content$", "rng:invalid-content",
     lambda m, ctx: f"Content of element {_display(m[1])} does not match the schema"),
    (r"^Element (\S+) has extra content: (\S+)$", "rng:unexpected-element",
     lambda m, ctx: f"Element {_display(m[2])} is not allowed here in {_display(m[1])}"),
    (r"^Invalid attribute (\S+) for element (\S+)$", "rng:attribute",
     lambda m, ctx: f"Attribute @{m[1]} is not allowed on element {_display(m[2])}, "
                    "or its value is invalid"),
    (r"^Element (\S+) failed to validate attributes$", "rng:invalid-attributes",
     lambda m, ctx: f"Attributes of element {_display(m[1])} do not match the schema"),
    (r"(?s)^Type (\S+) doesn't allow value '(.*)'$", "rng:datatype",
     lambda m, ctx: f"Value {m[2]!r} is not a valid {m[1]}"),
    (r"^Did not expect text in element (\S+) content$", "rng:unexpected-text",
     lambda m, ctx: f"Text is not allowed in element {_display(m[1])}"),
    (r"^Expecting a namespace for element (\S+)$", "rng:namespace",
     lambda m, ctx: f"Element {_display(m[1])} must be in a namespace"),
    (r"^Expecting no namespace for element (\S+)$", "rng:namespace",
     lambda m, ctx: f"Element {_display(m[1])} must not be in a namespace"),
    (r"^Element (\S+) has wrong namespace: expecting (\S+)$", "rng:namespace",
     lambda m, ctx: f"Element {_display(m[1])} must be in namespace {m[2]}"),
    (r"^Expecting element (\S+) to be empty$", "rng:not-empty",
     lambda m, ctx: f"Element {_display(m[1])} must be empty"),
    (r"^Error validating value\s*(.*)$", "rng:value",
     lambda m, ctx: f"Invalid value {m[1]}".strip()),
    (r"^Element (\S+) has child elements$", "rng:datatype",
     lambda m, ctx: f"Element {_display(m[1])} must hold data, not child elements"),
]


def clean_message(message: str, context: str | None = None) -> tuple[str, str]:
    """(code, message) for one libxml2 RELAX NG message, in the schema's terms.
    `context` is the parent element's name, when known."""
    message = " ".join(message.split())
    for pattern, code, render in _MESSAGES:
        match = re.match(pattern, message)  # re's own cache keeps each compiled
        if match:
            return code, render(match, context)
    return "rng:invalid", message


_SUPERSEDED = {"rng:invalid-content", "rng:invalid-attributes"}


def _parent_name(tree, line: int | None, name: str | None) -> str | None:
    if tree is None or line is None or not name:
        return None
    for el in tree.iter():
        if isinstance(el.tag, str) and el.sourceline == line and etree.QName(el).localname == name:
            parent = el.getparent()
            return etree.QName(parent).localname if parent is not None else None
    return None


def validate_tree(compiled: CompiledSchema, tree, filename: str | None) -> list[Issue]:
    """RELAX NG findings for one parsed document."""
    if compiled.relaxng.validate(tree):
        return []
    issues: list[Issue] = []
    seen = set()
    for entry in compiled.relaxng.error_log:
        line = entry.line or None
        match = re.match(r"^Did not expect element (\S+) there$", entry.message.strip())
        context = _parent_name(tree, line, match[1]) if match else None
        if entry.message.strip().startswith("Expecting an element"):
            context = _element_at(tree, line)
        code, text = clean_message(entry.message, context)
        key = (line, code, text.split(" in <")[0] if code == "rng:unexpected-element" else text)
        if key in seen:
            continue
        seen.add(key)
        issues.append(Issue("error", code, text, filename, line, None, "rng"))
    if not issues:  # libxml2 rejects some documents without a message (a root in the
        # wrong namespace against a pruned grammar): still invalid
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        issues.append(Issue("error", "rng:invalid", f"Element {_display(etree.QName(root).localname)} "
                            "does not match the schema", filename, root.sourceline, None, "rng"))
    specific_lines = {i.line for i in issues if i.code not in _SUPERSEDED}
    issues = [i for i in issues if i.code not in _SUPERSEDED or i.line not in specific_lines]
    return issues


def _element_at(tree, line):
    if tree is None or line is None:
        return None
    for el in tree.iter():
        if isinstance(el.tag, str) and el.sourceline == line:
            return etree.QName(el).localname
    return None
