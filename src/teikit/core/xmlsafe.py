"""Hardened XML parsing: the one parser factory of teikit, and bytes in, a tree or `wf:`
findings out.

`make_parser()` is the only place an lxml XMLParser is built (validation, transforms, the
build, grammars, stylesheets). It never touches the network and never loads an external
DTD or external entity; an internal DTD subset is read and its internal entities are
expanded within libxml2's amplification limits (so billion-laughs fails safely), with
libxml2's default size and depth limits (`huge_tree=False`: 10 MB text nodes, depth 256)
plus a byte limit of our own. A reference to an entity that only an external DTD or an
external entity declaration could supply is a clear `wf:external-dtd` /
`wf:external-entity` error. Duplicate `@xml:id`, which libxml2 raises as an error,
becomes a `wf:duplicate-id` finding on a usable tree. Nothing here raises: every problem
is an Issue.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from lxml import etree

from teikit.core import ahead
from teikit.core.errors import Issue
from teikit.core.names import XML_NS

MAX_BYTES = 200 * 1024 * 1024
LIBXML_MAX_DEPTH = 256
PROLOG_SCAN_BYTES = 65536

PARSER_OPTIONS = dict(
    resolve_entities="internal",  # internal-subset entities only; never SYSTEM/PUBLIC ones
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    dtd_validation=False,
    attribute_defaults=False,
    remove_comments=False,
)

_ID_REDEFINED = 513  # libxml2 XML_DTD_ID_REDEFINED
_CODES = {
    "ERR_UNDECLARED_ENTITY": "wf:undefined-entity",
    "WAR_UNDECLARED_ENTITY": "wf:undefined-entity",
    "ERR_UNKNOWN_ENCODING": "wf:encoding",
    "ERR_UNSUPPORTED_ENCODING": "wf:encoding",
    "ERR_INVALID_CHAR": "wf:encoding",
    "ERR_INVALID_ENCODING": "wf:encoding",
    "ERR_DOCUMENT_EMPTY": "wf:empty",
    "ERR_ENTITY_LOOP": "wf:entity-expansion",
    "ERR_RESOURCE_LIMIT": "wf:limit",
    "ERR_USER_STOP": "wf:limit",
}


def make_parser(*, recover: bool = False, collect_ids: bool = True,
                resolver: etree.Resolver | None = None) -> etree.XMLParser:
    """A fresh hardened parser (parsers are not shared between threads). `collect_ids=False`
    tolerates repeated xml:ids; `resolver` is consulted for imports (stylesheets), never
    for entities or DTDs, which are not loaded."""
    parser = etree.XMLParser(recover=recover, collect_ids=collect_ids, **PARSER_OPTIONS)
    if resolver is not None:
        parser.resolvers.add(resolver)
    return parser


_THREAD = threading.local()  # this thread's parser for parse_bytes (see _documents_parser)


def _documents_parser() -> etree.XMLParser:
    """The parser parse_bytes reads documents with: one make_parser() per thread, used for
    one document after another (lxml sets a parser up afresh for each parse, and its
    error_log holds only the last parse's errors), never for two at once: parse_bytes runs
    no callback while it parses (no resolver, no target). Creating a parser per document
    cost about 30 us each (libxml2's parser context and its tables), 6 ms for a
    corpus's 190 files."""
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = make_parser()
    return parser


def _sniff_encoding(data: bytes) -> str:
    """The encoding to decode the prolog with: BOM, then the 4-byte pattern, then the
    XML declaration, else UTF-8 (XML 1.0 appendix F)."""
    boms = [
        (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ]
    for bom, name in boms:
        if data.startswith(bom):
            return name
    if data[:4] == b"<\x00?\x00":
        return "utf-16-le"
    if data[:4] == b"\x00<\x00?":
        return "utf-16-be"
    match = re.match(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", data[:200])
    if match:
        name = match.group(1).decode("ascii")
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            return "utf-8"
    return "utf-8"


#: find_doctype's patterns (compiled on first use, through re's cache: most documents have none)
_PROLOG_SKIP = (r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_EXTERNAL_ID = (r"""<!DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM\s+(["'])(?P<sys>.*?)\1|PUBLIC\s+(["'])(?P<pub>.*?)\3(?:\s+(["'])(?P<sys2>.*?)\5)?)""", re.S)
_EXTERNAL_ENTITY = (r"""<!ENTITY\s+(%\s+)?(?P<name>[^\s%>]+)\s+(?:SYSTEM|PUBLIC)\s+(["'])(?P<id>.*?)\3""", re.S)


@dataclass(frozen=True)
class Doctype:
    """A document's DOCTYPE declaration, as find_doctype reads it."""

    line: int
    col: int
    external_dtd: str | None  # the system (else public) identifier of an external DTD
    external_entities: dict  # name -> system identifier, declared in the internal subset


def find_doctype(data: bytes) -> Doctype | None:
    """The DOCTYPE declaration of the prolog, else None: where it is, the external DTD it
    names and the external entities its internal subset declares (none of them is ever
    loaded). Only the prolog is decoded and looked at."""
    head = data[:PROLOG_SCAN_BYTES]
    text = head.decode(_sniff_encoding(head), errors="replace").lstrip("\ufeff")
    pos = 0
    while True:
        match = re.compile(*_PROLOG_SKIP).match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    if not text.startswith("<!DOCTYPE", pos):
        return None
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    ext = re.compile(*_EXTERNAL_ID).match(text, pos)
    dtd = (ext["sys"] or ext["sys2"] or ext["pub"]) if ext else None
    entities = {m["name"]: m["id"] for m in re.compile(*_EXTERNAL_ENTITY).finditer(text, pos)}
    return Doctype(line, col, dtd, entities)


def _issue(code: str, message: str, filename: str | None, line=None, col=None) -> Issue:
    return Issue("error", code, message, filename, line, col, "wf")


def _code_for(entry) -> str:
    if "Excessive depth" in entry.message or "Maximum" in entry.message:
        return "wf:limit"
    if "Detected an entity reference loop" in entry.message or "amplification" in entry.message:
        return "wf:entity-expansion"
    return _CODES.get(entry.type_name, "wf:syntax")


def _clean(message: str) -> str:
    message = message.strip()
    message = re.sub(r", line \d+, column \d+$", "", message)
    return message[:1].upper() + message[1:] if message else message


def duplicate_ids(tree, filename: str | None) -> list[Issue]:
    """`wf:duplicate-id` for each repeated `@xml:id`, naming the first occurrence."""
    seen: dict[str, int | None] = {}
    issues = []
    attr = f"{{{XML_NS}}}id"
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        value = el.get(attr)
        if value is None:
            continue
        if value in seen:
            issues.append(_issue(
                "wf:duplicate-id",
                f"xml:id {value!r} is already defined at line {seen[value]}; "
                "xml:id values must be unique in a document",
                filename, el.sourceline))
        else:
            seen[value] = el.sourceline
    return issues


def parse_bytes(data: bytes, filename: str | None = None,
                *, max_bytes: int = MAX_BYTES) -> tuple[etree._ElementTree | None, list[Issue]]:
    """Parse `data` safely. Returns (tree or None, issues); tree is None when the document
    is not usable (not well-formed, needs an external DTD or entity, over a limit)."""
    held = ahead.parsed(data, filename, max_bytes)  # parse_ahead's, of equal bytes
    if held is not None:
        return held
    if len(data) > max_bytes:
        return None, [_issue("wf:limit", f"File is {len(data)} bytes, over the limit of "
                             f"{max_bytes} bytes", filename)]
    if not data or data.isspace():  # what data.strip() would leave empty, without a copy
        return None, [_issue("wf:empty", "Document is empty", filename, 1, 1)]
    parser = _documents_parser()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser, base_url=filename))
        return _post_checks(tree, data, filename)
    except etree.XMLSyntaxError as err:
        entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")]
        if entries and all(e.type == _ID_REDEFINED for e in entries):
            try:
                root = etree.fromstring(data, make_parser(recover=True), base_url=filename)
            except etree.XMLSyntaxError:
                root = None
            if root is not None:
                tree = etree.ElementTree(root)
                tree_out, issues = _post_checks(tree, data, filename)
                return tree_out, duplicate_ids(tree, filename) + issues
        entries = entries or [e for e in parser.error_log if e.type_name == "WAR_UNDECLARED_ENTITY"]
        first = entries[0] if entries else None
        if first is None:
            return None, [_issue("wf:syntax", _clean(str(err)), filename,
                                 getattr(err, "lineno", None), None)]
        code, message = _explain(first, data)
        return None, [_issue(code, message, filename, first.line or None, first.column or None)]
    except (ValueError, LookupError) as err:
        return None, [_issue("wf:encoding", _clean(str(err)), filename)]


def parse_ahead(data: bytes, filename: str | None = None, *, max_bytes: int = MAX_BYTES):
    """parse_bytes(data, filename) now, held for the first later parse_bytes of equal bytes
    under the same name and limit (teikit.core.ahead: a parse is a function of those), and
    returned (the tree held: what the caller does with it, the later parse gets)."""
    result = parse_bytes(data, filename, max_bytes=max_bytes)
    ahead.hold_parsed(data, filename, max_bytes, result)
    return result


_ENTITY_NAME = r"Entity '([^']+)' not defined"  # compiled on first use (an error's message)


def _explain(entry, data: bytes) -> tuple[str, str]:
    """(code, message) for libxml2's first error, in terms a person can act on."""
    code, message = _code_for(entry), _clean(entry.message)
    if message.startswith("Excessive depth in document"):
        return code, (f"Elements are nested more than {LIBXML_MAX_DEPTH} levels deep here; "
                      "teikit stops there to guard against hostile input. Such depth is almost "
                      "always a run of unclosed tags: check that the elements opened before this "
                      "line are closed")
    if code == "wf:entity-expansion" or "amplification" in message:
        return "wf:entity-expansion", ("Entity expansion exceeds the safety limit (an entity "
                                       "that expands to a huge text, as in a 'billion laughs' "
                                       "attack); the document was not read. Declare smaller "
                                       "entities or write the text out")
    match = re.search(_ENTITY_NAME, message)
    if match and code == "wf:undefined-entity":
        name, doctype = match[1], find_doctype(data)
        if doctype and name in doctype.external_entities:
            return "wf:external-entity", (
                f"Entity '{name}' is an external entity ({doctype.external_entities[name]!r}); "
                "teikit never loads external entities (they can read any file or the network). "
                f"Replace &{name}; by its text, or declare it with a literal value in the "
                "internal subset")
        if doctype and doctype.external_dtd:
            return "wf:external-dtd", (
                f"Entity '{name}' is not defined in the document; it would come from the "
                f"external DTD {doctype.external_dtd!r}, which teikit never loads. Declare it in "
                f"the internal subset (<!DOCTYPE ... [<!ENTITY {name} \"...\">]>) or replace "
                f"&{name}; by its text")
        return code, (f"Entity '{name}' is not defined; declare it in the internal subset "
                      f"(<!DOCTYPE ... [<!ENTITY {name} \"...\">]>) or replace &{name}; by its "
                      "text (&amp; for a literal ampersand)")
    return code, message


def _post_checks(tree, data: bytes, filename) -> tuple[etree._ElementTree | None, list[Issue]]:
    """Refuse unexpanded entity references (an entity libxml2 kept unresolved); note an
    external DTD that was not loaded. Only a document with a DOCTYPE can hold an entity
    reference libxml2 left in place (without one, a reference to any entity but the five
    predefined ones is a fatal error), so only such a tree is walked for them."""
    info = tree.docinfo
    for ent in tree.getroot().iter(etree.Entity) if info.internalDTD is not None else ():
        doctype = find_doctype(data)
        what = (f"; it would come from {doctype.external_dtd!r}, which teikit never loads"
                if doctype and doctype.external_dtd else "")
        return None, [_issue("wf:undefined-entity", f"Entity reference {ent.text} cannot be "
                             f"expanded{what}. Replace it by its text", filename, ent.sourceline)]
    if info.system_url or info.public_id:
        doctype = find_doctype(data)
        dtd = info.system_url or info.public_id
        return tree, [Issue("warning", "wf:external-dtd",
                            f"The external DTD {dtd!r} is not loaded (teikit never loads "
                            "external DTDs): default attributes it may declare are not applied",
                            filename, doctype.line if doctype else 1,
                            doctype.col if doctype else None, "wf")]
    return tree, []


def not_found(path) -> str:
    """What libxml2 says of a file it cannot find (the messages teikit gave when libxml2
    read schema files itself): `failed to load "PATH": No such file or directory`."""
    return f'failed to load "{path}": No such file or directory'


NO_SUCH_FILE = "No such file or directory"


def read(path, files) -> tuple[bytes | None, str | None]:
    """(bytes, None) of a file read through `files` (teikit.core.files.Files), else (None,
    why): the system's reason it cannot be read, or None when there is no such file."""
    try:
        data = files.read(path)
    except OSError as err:
        return None, err.strerror or str(err)
    return data, None


def parse_file(path, files, *, max_bytes: int = MAX_BYTES) -> tuple[etree._ElementTree | None, list[Issue]]:
    """Read one file through `files` (teikit.core.files.Files) and parse it; a missing or
    unreadable file is a `wf:unreadable` finding."""
    tree, issues, _absent = read_and_parse(path, files, max_bytes=max_bytes)
    return tree, issues


def read_and_parse(path, files, needles=(), *, max_bytes: int = MAX_BYTES):
    """(tree, issues) as parse_file gives them, and the frozenset of the `needles` the tree
    cannot hold (literally_absent)."""
    return parse_read(path, read(path, files), needles, max_bytes=max_bytes)


def parse_read(path, read_result: tuple, needles=(), *, max_bytes: int = MAX_BYTES):
    """read_and_parse of what `read(path, files)` gave (read_result: (bytes, why))."""
    name = str(path)
    data, why = read_result
    if data is None:
        return None, [_issue("wf:unreadable", f"Cannot read file: {why or NO_SUCH_FILE}", name)], frozenset()
    tree, issues = parse_bytes(data, name, max_bytes=max_bytes)
    return tree, issues, literally_absent(data, tree, needles) if tree is not None and needles else frozenset()


_ASCII_BASED = ("UTF-8", "US-ASCII", "ASCII")


def literally_absent(data: bytes, tree, needles) -> frozenset:
    """Those of `needles` (ASCII bytes: a name with its prefix, a namespace URI, without any
    of & < > " ') that no element or attribute name and no namespace of `tree`, parsed from
    `data`, can hold because `data` does not hold them as they are spelt. Markup reaches the
    tree only as it is written when the document is UTF-8 (or ASCII) and has no DOCTYPE (no
    entity brings in markup or text) and no character reference (none can spell a
    namespace URI in an attribute value; no reference may stand in a name). Any other
    document: frozenset() (nothing is known absent)."""
    info = tree.docinfo
    if info.internalDTD is not None or (info.encoding or "").upper() not in _ASCII_BASED \
            or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4] \
            or (b"&" in data and b"&#" in data):  # one byte is found far faster than two
        return frozenset()
    return frozenset(n for n in needles if n not in data)
