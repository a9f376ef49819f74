"""XSLT 1.0 runner (lxml/libxslt): TEI to an HTML page and to plain text, hardened.

What is enforced:
- Input XML is parsed with entities, DTD loading and network off (`parse_tei`); duplicate
  xml:ids are tolerated (ids are not collected), so damaged real-world files still render.
- Stylesheets are read through the `Files` a `Stylesheets` is handed (teikit.core.files; the
  application layer passes the file system, tests may pass memory) and compiled once per
  `Stylesheets`. While they are compiled, `xsl:import` and `xsl:include` go through a
  resolver backed by the same `Files` that reads only files inside the stylesheet folder
  (anything else, the network included, is refused).
- Transformations run under `XSLTAccessControl` with every right denied: no file read
  (`document()` of any file, including the stylesheet itself), no file write
  (`exsl:document`, `xsl:document`), no directory creation, no network read or write.
  The only input a transform sees is the tree it is given.
- Errors of the XML or the XSLT become `TeikitError` subclasses naming the file.

Nothing here touches the file system: writing pages is the application layer's
(teikit.rendering for `teikit html`/`text`, teikit.sitedir for the site).
"""

from __future__ import annotations

import re
from pathlib import PurePath, PurePosixPath

from lxml import etree

from teikit.core import xmlsafe
from teikit.core.errors import InputError, TeikitError, UsageError
from teikit.core.names import TEI_NS

#: paragraph and line markers written by tei-to-text.xsl (see common.xsl)
PARA = "\ufdd0"
LINE = "\ufdd1"

FORMATS = {"html": ("tei-to-html.xsl", ".html"), "text": ("tei-to-text.xsl", ".txt")}
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
#: teikit's marks on its own stylesheets' elements (an XSLT processor ignores attributes of
#: another namespace on its elements, XSLT 1.0 section 2.1)
RUN_NS = "urn:teikit:runner"
#: run:needs="NAME" on a template: it can match only in an input that has feature NAME, a
#: test true of every input where the template's pattern matches some node (a superset).
#: break-no: the word-joining text() template of common.xsl matches a text node only beside
#: a tei:lb, tei:pb or tei:cb with @break='no', and the stylesheets make no such element
#: themselves, so an input without an element whose @break is 'no' gives it nothing to match.
#: (the attributes' walk, not a predicate on every element: a third less time)
FEATURES = {"break-no": etree.XPath("boolean(//@break[. = 'no'])")}
#: bytes that every file holding a feature's nodes holds, in an ASCII-compatible encoding, when
#: it has no DOCTYPE: the attribute's name (an attribute name is never written with a character
#: reference, and no DTD outside the file is read; but an internal entity's replacement text has
#: its character references expanded, so a file with a DOCTYPE is walked)
MARKS = {"break-no": b"break"}


def absent_features(tree, data: bytes | None = None) -> frozenset:
    """The features (FEATURES) `tree` does not have; `data`, the bytes it was parsed from:
    a feature whose mark (MARKS) they do not hold is absent without a walk of the tree,
    when they are UTF-8 or ASCII (as the parser found them; no NUL byte, which UTF-16 has)
    and hold no DOCTYPE (no entity can make what the bytes do not show)."""
    ascii_bytes = data is not None and (tree.docinfo.encoding or "").lower() in ("utf-8", "us-ascii", "ascii") \
        and b"\0" not in data and b"<!DOCTYPE" not in data
    return frozenset(f for f, has in FEATURES.items()
                     if (ascii_bytes and MARKS[f] not in data) or not has(tree))


class TransformError(TeikitError):
    """A stylesheet failed on an input, or refused an access."""


class _FilesResolver(etree.Resolver):
    """Resolve xsl:import/xsl:include through `files`, inside the folder `root` only; refuse
    everything else (other folders, URLs). `without`: the features (FEATURES) whose
    templates are left out of every stylesheet read (`without_templates`)."""

    def __init__(self, files, root: PurePath, without: frozenset = frozenset()):
        super().__init__()
        self.files = files
        self.root = files.real(root)
        self.without = without

    def resolve(self, system_url, public_id, context):
        local = system_url[7:] if system_url.startswith("file://") else system_url
        data = None
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", local):  # no other scheme (http:, ftp: ...)
            try:
                inside = self.root in self.files.real(local).parents
            except OSError:
                inside = False
            data = self.files.read(local) if inside else None
        if data is None:
            raise TransformError(
                f"stylesheet import {system_url!r} refused: only files inside {self.root} may be read"
            )
        return self.resolve_string(without_templates(data, self.without), context, base_url=local)


def without_templates(data: bytes, without: frozenset) -> bytes:
    """Stylesheet bytes without the templates marked run:needs with one of the features
    `without` (the bytes as they are when there is none: nothing parsed)."""
    if not without or RUN_NS.encode() not in data:
        return data
    root = etree.fromstring(data, hardened_parser())
    needs = f"{{{RUN_NS}}}needs"
    for template in root.iterchildren(f"{{{XSL_NS}}}template"):
        if template.get(needs) in without:
            root.remove(template)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


class Stylesheets:
    """teikit's stylesheet folder (xslt/), read through a `Files`: the stylesheets, what they
    import, and the folder's other files (assets, the base map). `names` lists every file
    of the folder (relative POSIX paths), as the application layer found them; compiled
    stylesheets and the declared parameters are kept for the life of the object."""

    def __init__(self, files, folder: PurePath, names=()):
        self.files = files
        self.folder = folder if isinstance(folder, PurePath) else PurePath(folder)
        self.names = tuple(sorted(names, key=PurePosixPath))
        self._compiled: dict[tuple[str, frozenset], etree.XSLT] = {}
        self._declared: tuple[str, ...] | None = None

    def read(self, name: str) -> bytes:
        """A file of the folder; TransformError when it cannot be read."""
        data = self.files.read(self.folder / name)
        if data is None:
            raise TransformError(f"stylesheet file {str(self.folder / name)!r} cannot be read")
        return data

    def compile(self, name: str, without: frozenset = frozenset()) -> etree.XSLT:
        """The compiled stylesheet `name` of the folder (compiled once), without the
        templates of the features `without` (see FEATURES)."""
        if (name, without) not in self._compiled:
            self._compiled[name, without] = self.compile_source(self.read(name), name, without)
        return self._compiled[name, without]

    def compile_for(self, name: str, tree, absent: frozenset | None = None) -> etree.XSLT:
        """The compiled stylesheet `name` for transforming `tree`: without the templates that
        need a feature (FEATURES) the tree does not have, which could match none of its
        nodes, so the output is the one of the whole stylesheet; their patterns are then not
        tried on every node (the word-joining text() pattern is tried on every text node:
        ~15 % of an HTML page's transform). `absent`: absent_features(tree), when the caller
        has it (else it is found here)."""
        return self.compile(name, absent_features(tree) if absent is None else absent)

    def compile_source(self, data: bytes, name: str = "<stylesheet>", without: frozenset = frozenset()) -> etree.XSLT:
        """Compile stylesheet bytes as if they were the folder's file `name`: imports confined
        to the folder, the access control of every transform; `without`: see compile."""
        parser = xmlsafe.make_parser(resolver=_FilesResolver(self.files, self.folder, without))
        url = str(self.folder / name)
        try:
            doc = etree.fromstring(without_templates(data, without), parser, base_url=url).getroottree()
            return etree.XSLT(doc, access_control=access_control())
        except (etree.XMLSyntaxError, etree.XSLTParseError) as err:
            raise TransformError(f"stylesheet {url} cannot be compiled: {_log(err)}") from None

    def declared_params(self) -> tuple[str, ...]:
        """Names of the parameters declared in common.xsl (e.g. 'tei-href')."""
        if self._declared is None:
            root = etree.fromstring(self.read("common.xsl"), hardened_parser())
            self._declared = tuple(p.get("name") for p in root.iterchildren(f"{{{XSL_NS}}}param"))
        return self._declared

    def params(self, params: dict[str, str | None]) -> dict[str, str]:
        """Keyword parameters (tei_href=...) as XSLT string parameters; UsageError for one
        that common.xsl does not declare."""
        known = self.declared_params()
        out = {}
        for key, value in params.items():
            name = key.replace("_", "-")
            if name not in known:
                raise UsageError(f"stylesheet parameter {name!r} unknown. Known: {', '.join(known)}.")
            out[name] = etree.XSLT.strparam("" if value is None else str(value))
        return out

    def run(self, xslt: etree.XSLT, tree, name: str = "<input>", **params) -> etree._XSLTResultTree:
        """Apply a compiled stylesheet; any failure or refused access is a TransformError."""
        try:
            result = xslt(tree, **self.params(params))
        except etree.XSLTApplyError as err:
            raise TransformError(f"transformation of {name} failed: {_log(err)}") from None
        errors = [e for e in xslt.error_log if e.level_name in ("ERROR", "FATAL")]
        if errors or result.getroot() is None and not str(result):
            detail = "; ".join(dict.fromkeys(e.message for e in errors)) or "empty result"
            raise TransformError(f"transformation of {name} failed: {detail}")
        return result

    def html(self, tree, *, warn=None, aliases: dict[str, str] | None = None, absent: frozenset | None = None,
             **params) -> str:
        """One HTML5 page for a TEI tree (TEI, teiCorpus or any XML). Params: see common.xsl.

        URLs that are not safe to link are shown as text; `warn`, when given, is called with a
        message naming the file and line of each (see unsafe_links). `aliases` maps old ids
        (retired passage ids) to the id of the element that now holds the passage: each becomes
        an empty `<span class="anchor" id="old">` as that element's first child, so that links
        to `#old` keep landing on the passage (no script). `absent`: compile_for's."""
        return self.html_bytes(tree, warn=warn, aliases=aliases, absent=absent, **params).decode("utf-8")

    def html_bytes(self, tree, *, warn=None, aliases: dict[str, str] | None = None, absent: frozenset | None = None,
                   **params) -> bytes:
        """`html`'s page as UTF-8 bytes, serialised to them directly (the same bytes as
        html(...).encode("utf-8"): UTF-8 can write every character, so the serialiser
        escapes the same ones either way; without the copies through a str)."""
        if warn is not None:
            for message in unsafe_links(tree):
                warn(message)
        result = self.run(self.compile_for(FORMATS["html"][0], tree, absent), tree, _tree_name(tree), **params)
        root = result.getroot()
        if aliases:
            add_anchors(root, aliases)
        return b"<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="UTF-8") + b"\n"

    def text(self, tree, *, absent: frozenset | None = None, **params) -> str:
        """Plain text for a TEI tree: header block, paragraphs separated by blank lines, notes.
        `absent`: compile_for's."""
        result = self.run(self.compile_for(FORMATS["text"][0], tree, absent), tree, _tree_name(tree), **params)
        return normalise_text(str(result))

    def render(self, tree, fmt: str, **params) -> str:
        """`html` or `text` by name (UsageError for another format)."""
        if fmt not in FORMATS:
            raise UsageError(f"format {fmt!r} unknown. Use one of: {', '.join(FORMATS)}.")
        return self.html(tree, **params) if fmt == "html" else self.text(tree, **params)


def access_control() -> etree.XSLTAccessControl:
    """The access control of every transform: no file, directory or network access."""
    return etree.XSLTAccessControl(
        read_file=False, write_file=False, create_dir=False, read_network=False, write_network=False
    )


def hardened_parser() -> etree.XMLParser:
    """teikit's hardened parser (core.xmlsafe), tolerant of duplicate ids."""
    return xmlsafe.make_parser(collect_ids=False)


def parse_tei(data: bytes, name: str = "<input>") -> etree._ElementTree:
    """Parse bytes with the hardened parser; InputError names the file and line."""
    parser = hardened_parser()
    try:
        root = etree.fromstring(data, parser, base_url=name)
    except etree.XMLSyntaxError as err:
        # the parser's first error; else the first of any domain (a wrong byte is an IO error)
        entries = [e for e in parser.error_log if e.domain_name == "PARSER"] or [e for e in parser.error_log if e.line]
        entry = entries[0] if entries else None
        msg = entry.message.strip() if entry is not None else str(err)
        line, column = (entry.line, entry.column) if entry is not None else (err.position or (None, None))
        where = f"{name}:{line}:{column}" if line else name
        error = InputError(f"XML {msg!r} in {where}. Fix the XML so that it is well-formed.")
        # where and what, for reports that list many files (teikit html/text on a folder)
        error.line, error.column, error.detail = line or 1, column or 1, msg
        raise error from None
    return root.getroottree()


def _log(err: Exception) -> str:
    entries = getattr(err, "error_log", None)
    msgs = [f"{e.message} (line {e.line})" if e.line else e.message for e in (entries or [])]
    return "; ".join(dict.fromkeys(m for m in msgs if m)) or str(err)


def _tree_name(tree) -> str:
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    return tree.docinfo.URL or "<input>"


#: attributes the HTML stylesheet makes into links: (element, attribute, first token only)
LINK_ATTRIBUTES = (("ref", "target", True), ("ptr", "target", True), ("licence", "target", False),
                   ("graphic", "url", False), ("pb", "facs", True))
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def url_is_safe(url: str) -> bool:
    """The rule of common.xsl's safe-url: relative, a fragment, http:, https: or mailto:.

    Tabs, newlines and spaces are dropped first, as browsers drop them; a colon before any
    '/', '?' or '#' makes what precedes it a scheme, and only three schemes are linked."""
    bare = re.sub(r"[\t\n\r ]", "", url).translate(_ASCII_LOWER)
    scheme, colon, _ = bare.partition(":")
    if not colon or any(c in scheme for c in "/?#"):
        return True
    return scheme in ("http", "https", "mailto")


def unsafe_links(tree, name: str | None = None) -> list[str]:
    """Warnings, with file and line, for every URL of the TEI that the HTML shows as text
    instead of a link (javascript:, data:, vbscript:, file: and any other scheme)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    name = name or _tree_name(root)
    out = []
    tags = {f"{{{TEI_NS}}}{local}": (local, attr, first) for local, attr, first in LINK_ATTRIBUTES}
    for el in root.iter(*tags):
        local, attr, first = tags[el.tag]
        value = el.get(attr)
        if value is None:
            continue
        url = (value.split() or [""])[0] if first else value
        if not url_is_safe(url):
            shown = value if len(value) <= 80 else value[:77] + "..."
            out.append(f"{name}:{el.sourceline}: warning: <{local} {attr}={shown!r}> is not a safe link "
                       "(only relative URLs, #fragments, http:, https: and mailto: are linked); "
                       "it is shown as text.")
    return out


def add_anchors(root, aliases: dict[str, str]) -> list[str]:
    """Put an empty anchor span for each old id of `aliases` (old -> current id) as the first
    child of the element whose id is the current one; return the old ids placed. An old id
    whose target is missing from the page, or that the page already uses, is left out."""
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    placed = []
    for old, new in sorted(aliases.items(), reverse=True):  # inserted at 0: ends up in id order
        target = by_id.get(new)
        if target is None or old in by_id:
            continue
        span = etree.Element("span", {"class": "anchor", "id": old})
        span.tail, target.text = target.text, None
        target.insert(0, span)
        placed.append(old)
    return sorted(placed)


#: two spaces or more (after tabs and line breaks became spaces: normalise_text)
_SPACES = re.compile("  +")


def normalise_text(raw: str) -> str:
    """Whitespace runs to one space; PARA markers to blank lines, LINE markers to newlines.

    A run of [ \t\r\n] becomes one space: tabs and line breaks are made spaces first (str.replace,
    character for character), then each run of two spaces or more is made one (a run of
    one already is): exactly re.sub(r"[ \t\r\n]+", " ", raw), in a fraction of its time."""
    flat = _SPACES.sub(" ", raw.replace("\n", " ").replace("\t", " ").replace("\r", " "))
    paras = []
    for para in flat.split(PARA):
        lines = [line.strip() for line in para.split(LINE)]
        lines = [line for line in lines if line]
        if lines:
            paras.append("\n".join(lines))
    return "\n\n".join(paras) + "\n" if paras else ""


def root_error(tree, name: str, data: bytes = b"") -> str | None:
    """`file:line:col: error: ...` when the root is not TEI (None when it is): `teikit html`
    and `text` do not render such a file. `data`, the file's bytes, gives the column."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if is_tei(root):
        return None
    qname = etree.QName(root)
    line = root.sourceline or 1
    text = data.split(b"\n")[line - 1] if data.count(b"\n") >= line - 1 and data else b""
    column = text.find(b"<" + (root.prefix or qname.localname).encode()) + 1 or 1
    where = f"{name}:{line}:{column}: error: root element <{qname.localname}>"
    if qname.namespace is None and qname.localname in ("TEI", "teiCorpus"):
        return (f"{where} has no namespace, so it is not TEI; not rendered. "
                f'Add xmlns="{TEI_NS}" to it.')
    ns = f" is in namespace {qname.namespace}" if qname.namespace else " is in no namespace"
    return (f"{where}{ns}, not TEI ({TEI_NS}); not rendered. "
            f"Give TEI files only (root <TEI> or <teiCorpus> in the TEI namespace).")


def is_tei(tree) -> bool:
    """True when the root element is in the TEI namespace."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return etree.QName(root).namespace == TEI_NS
