"""Hardened XML parsing: bytes in, a tree or `wf:` findings out.

No network, no DTD, no entity expansion, libxml2's default size and depth limits
(`huge_tree=False`: 10 MB text nodes, depth 256) plus a byte limit of our own. A document
that declares a DTD is reported (`wf:doctype`, or `wf:external-entity` when it declares an
external entity or DTD) and its content is never parsed. Duplicate `@xml:id`, which
libxml2 raises as an error, becomes a `wf:duplicate-id` finding on a usable tree.
Nothing here raises: every problem is an Issue.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from teikit.core.errors import Issue
from teikit.core.names import XML_NS

MAX_BYTES = 200 * 1024 * 1024
LIBXML_MAX_DEPTH = 256
PROLOG_SCAN_BYTES = 65536

PARSER_OPTIONS = dict(
    resolve_entities=False,
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


def make_parser(*, recover: bool = False) -> etree.XMLParser:
    """A fresh hardened parser (parsers are not shared between threads)."""
    return etree.XMLParser(recover=recover, **PARSER_OPTIONS)


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


_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_EXTERNAL = re.compile(r"\b(SYSTEM|PUBLIC)\b")


def find_doctype(data: bytes) -> tuple[str, int, int] | None:
    """(code, line, col) of a DOCTYPE declaration in the prolog, else None. Only the
    prolog is decoded and looked at; the document is not parsed."""
    head = data[:PROLOG_SCAN_BYTES]
    text = head.decode(_sniff_encoding(head), errors="replace").lstrip("\ufeff")
    pos = 0
    while True:
        match = _PROLOG_SKIP.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    if not text.startswith("<!DOCTYPE", pos):
        return None
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    code = "wf:external-entity" if _EXTERNAL.search(text, pos) else "wf:doctype"
    return code, line, col


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
    is not usable (not well-formed, DTD declared, over a limit)."""
    if len(data) > max_bytes:
        return None, [_issue("wf:limit", f"File is {len(data)} bytes, over the limit of "
                             f"{max_bytes} bytes", filename)]
    if not data.strip():
        return None, [_issue("wf:empty", "Document is empty", filename, 1, 1)]
    doctype = find_doctype(data)
    if doctype:
        code, line, col = doctype
        what = ("declares an external DTD or entity" if code == "wf:external-entity"
                else "declares a DTD")
        return None, [_issue(code, f"Document {what}; DTDs and entities are not loaded and "
                             "the document was not read. Remove the DOCTYPE", filename, line, col)]
    parser = make_parser()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser, base_url=filename))
        return _post_checks(tree, filename)
    except etree.XMLSyntaxError as err:
        entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")]
        if entries and all(e.type == _ID_REDEFINED for e in entries):
            try:
                root = etree.fromstring(data, make_parser(recover=True), base_url=filename)
            except etree.XMLSyntaxError:
                root = None
            if root is not None:
                tree = etree.ElementTree(root)
                tree_out, issues = _post_checks(tree, filename)
                return tree_out, duplicate_ids(tree, filename) + issues
        first = entries[0] if entries else None
        if first is None:
            return None, [_issue("wf:syntax", _clean(str(err)), filename,
                                 getattr(err, "lineno", None), None)]
        return None, [_issue(_code_for(first), _clean(first.message), filename,
                             first.line or None, first.column or None)]
    except (ValueError, LookupError) as err:
        return None, [_issue("wf:encoding", _clean(str(err)), filename)]


def _post_checks(tree, filename) -> tuple[etree._ElementTree | None, list[Issue]]:
    """Refuse a DTD the prolog scan missed (exotic encodings) and unexpanded entities."""
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        code = "wf:external-entity" if tree.docinfo.system_url else "wf:doctype"
        return None, [_issue(code, "Document declares a DTD; DTDs and entities are not "
                             "loaded and the document was not read. Remove the DOCTYPE",
                             filename, 1, 1)]
    for ent in tree.getroot().iter(etree.Entity):
        return None, [_issue("wf:undefined-entity", f"Entity reference {ent.text} is not "
                             "allowed (no DTD is loaded)", filename, ent.sourceline)]
    return tree, []


def parse_file(path, *, max_bytes: int = MAX_BYTES) -> tuple[etree._ElementTree | None, list[Issue]]:
    """Read and parse one file; an unreadable file is a `wf:unreadable` finding."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        return None, [_issue("wf:unreadable", f"Cannot read file: {err.strerror or err}", name)]
    return parse_bytes(data, name, max_bytes=max_bytes)
