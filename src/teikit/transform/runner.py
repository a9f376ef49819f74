"""XSLT 1.0 runner (lxml/libxslt): TEI to an HTML page and to plain text, hardened.

What is enforced:
- Input XML is parsed with entities, DTD loading and network off (`parse_tei`); duplicate
  xml:ids are tolerated (ids are not collected), so damaged real-world files still render.
- Stylesheets are compiled once per process. While they are compiled, `xsl:import` and
  `xsl:include` may only read files inside the stylesheet folder (a resolver refuses
  anything else, including the network).
- Transformations run under `XSLTAccessControl` with every right denied: no file read
  (`document()` of any file, including the stylesheet itself), no file write
  (`exsl:document`, `xsl:document`), no directory creation, no network read or write.
  The only input a transform sees is the tree it is given.
- Errors of the XML or the XSLT become `TeikitError` subclasses naming the file.

`transform_files` is the one function here that touches the file system: it writes
`<stem>.html` / `<stem>.txt` atomically and copies the shared assets.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
from pathlib import Path

from lxml import etree

from teikit.core import resources, xmlsafe
from teikit.corpusdir import usual_mode
from teikit.core.errors import InputError, OutputError, TeikitError, UsageError
from teikit.core.names import TEI_NS

#: the folder of the stylesheets: <repo>/xslt in a checkout, teikit/_data/xslt in a wheel
XSLT_DIR = resources.xslt_dir()
ASSETS_DIR = XSLT_DIR / "assets"

#: paragraph and line markers written by tei-to-text.xsl (see common.xsl)
PARA = "\ufdd0"
LINE = "\ufdd1"

FORMATS = {"html": ("tei-to-html.xsl", ".html"), "text": ("tei-to-text.xsl", ".txt")}


class TransformError(TeikitError):
    """A stylesheet failed on an input, or refused an access."""


class _StylesheetResolver(etree.Resolver):
    """Resolve imports inside the stylesheet folder only; refuse everything else."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root.resolve()

    def resolve(self, system_url, public_id, context):
        path = Path(system_url[7:] if system_url.startswith("file://") else system_url)
        try:
            resolved = path.resolve()
        except OSError:
            resolved = None
        if resolved is None or self.root not in resolved.parents or not resolved.is_file():
            raise TransformError(
                f"stylesheet import {system_url!r} refused: only files inside {self.root} may be read"
            )
        return self.resolve_filename(str(resolved), context)


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
        entries = [e for e in parser.error_log if e.domain_name == "PARSER"]
        entry = entries[0] if entries else None
        msg = entry.message.strip() if entry is not None else str(err)
        where = f"{name}:{entry.line}:{entry.column}" if entry is not None else name
        raise InputError(f"XML {msg!r} in {where}. Fix the XML so that it is well-formed.") from None
    return root.getroottree()


def compile_stylesheet(source: Path | bytes, base: Path = XSLT_DIR) -> etree.XSLT:
    """Compile a stylesheet (a path or bytes) with imports confined to `base` and the access control."""
    parser = xmlsafe.make_parser(resolver=_StylesheetResolver(base))
    name = str(source) if isinstance(source, Path) else str(base / "<stylesheet>")
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        doc = etree.fromstring(data, parser, base_url=name).getroottree()
        return etree.XSLT(doc, access_control=access_control())
    except (etree.XMLSyntaxError, etree.XSLTParseError) as err:
        raise TransformError(f"stylesheet {name} cannot be compiled: {_log(err)}") from None
    except OSError as err:
        raise TransformError(f"stylesheet {name} cannot be read: {err.strerror}") from None


@functools.lru_cache(maxsize=None)
def _stylesheet(fmt: str) -> etree.XSLT:
    return compile_stylesheet(XSLT_DIR / FORMATS[fmt][0])


@functools.lru_cache(maxsize=None)
def declared_params() -> tuple[str, ...]:
    """Names of the parameters declared in common.xsl (e.g. 'tei-href')."""
    doc = etree.parse(str(XSLT_DIR / "common.xsl"), hardened_parser())
    xsl = "http://www.w3.org/1999/XSL/Transform"
    return tuple(p.get("name") for p in doc.getroot().iterchildren(f"{{{xsl}}}param"))


def _log(err: Exception) -> str:
    entries = getattr(err, "error_log", None)
    msgs = [f"{e.message} (line {e.line})" if e.line else e.message for e in (entries or [])]
    return "; ".join(dict.fromkeys(m for m in msgs if m)) or str(err)


def _params(params: dict[str, str | None]) -> dict[str, str]:
    known = declared_params()
    out = {}
    for key, value in params.items():
        name = key.replace("_", "-")
        if name not in known:
            raise UsageError(f"stylesheet parameter {name!r} unknown. Known: {', '.join(known)}.")
        out[name] = etree.XSLT.strparam("" if value is None else str(value))
    return out


def run(xslt: etree.XSLT, tree, name: str = "<input>", **params) -> etree._XSLTResultTree:
    """Apply a compiled stylesheet; any failure or refused access is a TransformError."""
    try:
        result = xslt(tree, **_params(params))
    except etree.XSLTApplyError as err:
        raise TransformError(f"transformation of {name} failed: {_log(err)}") from None
    errors = [e for e in xslt.error_log if e.level_name in ("ERROR", "FATAL")]
    if errors or result.getroot() is None and not str(result):
        detail = "; ".join(dict.fromkeys(e.message for e in errors)) or "empty result"
        raise TransformError(f"transformation of {name} failed: {detail}")
    return result


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


def to_html(tree, *, warn=None, aliases: dict[str, str] | None = None, **params) -> str:
    """One HTML5 page for a TEI tree (TEI, teiCorpus or any XML). Params: see common.xsl.

    URLs that are not safe to link are shown as text; `warn`, when given, is called with a
    message naming the file and line of each (see unsafe_links). `aliases` maps old ids
    (retired passage ids) to the id of the element that now holds the passage: each becomes
    an empty `<span class="anchor" id="old">` as that element's first child, so that links
    to `#old` keep landing on the passage (no script)."""
    if warn is not None:
        for message in unsafe_links(tree):
            warn(message)
    result = run(_stylesheet("html"), tree, _tree_name(tree), **params)
    root = result.getroot()
    if aliases:
        add_anchors(root, aliases)
    body = etree.tostring(root, method="html", encoding="unicode")
    return "<!DOCTYPE html>\n" + body + "\n"


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


def to_text(tree, **params) -> str:
    """Plain text for a TEI tree: header block, paragraphs separated by blank lines, notes."""
    result = run(_stylesheet("text"), tree, _tree_name(tree), **params)
    return normalise_text(str(result))


def normalise_text(raw: str) -> str:
    """Whitespace runs to one space; PARA markers to blank lines, LINE markers to newlines."""
    flat = re.sub(r"[ \t\r\n]+", " ", raw)
    paras = []
    for para in flat.split(PARA):
        lines = [line.strip() for line in para.split(LINE)]
        lines = [line for line in lines if line]
        if lines:
            paras.append("\n".join(lines))
    return "\n\n".join(paras) + "\n" if paras else ""


def expand_paths(paths) -> list[Path]:
    """Files as given; folders expand to their *.xml files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.glob("*.xml") if q.is_file())
            if not found:
                raise InputError(_no_xml_message(p))
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"input {str(p)!r} not found. Give TEI files or folders of *.xml files.")
    return out


def _no_xml_message(folder: Path) -> str:
    """Why a folder gives no input, and what to pass instead (its subfolders that hold XML)."""
    subs = sorted({q.parent for q in folder.rglob("*.xml") if q.is_file()})
    if not subs:
        return f"folder {str(folder)!r} holds no *.xml files. Give TEI files or folders of *.xml files."
    shown = " ".join(repr(str(s)) for s in subs[:5]) + (f" (and {len(subs) - 5} more)" if len(subs) > 5 else "")
    return (f"folder {str(folder)!r} holds no *.xml files directly (subfolders are not searched). "
            f"Give the subfolders that hold them: {shown}.")


def root_warning(tree, name: str) -> str | None:
    """A warning when the root is not TEI: no TEI namespace (a common slip) or other XML."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if is_tei(root):
        return None
    qname = etree.QName(root)
    where = f"{name}:{root.sourceline}: warning: root element <{root.tag if not qname.namespace else qname.localname}>"
    if qname.namespace is None and qname.localname in ("TEI", "teiCorpus"):
        return (f"{where} has no namespace, so nothing is rendered as TEI. "
                f'Add xmlns="{TEI_NS}" to it.')
    ns = f" in namespace {qname.namespace}" if qname.namespace else " in no namespace"
    return f"{where}{ns} is not TEI ({TEI_NS}); it is rendered as generic XML."


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # the usual mode under the umask (mkstemp's 600 would keep a web server from the pages)
        os.chmod(tmp, usual_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_assets(out_dir: Path) -> list[Path]:
    """Copy the shared CSS/JS into out_dir/assets/ (atomically, file by file)."""
    dest = out_dir / "assets"
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(ASSETS_DIR.iterdir()):
        if src.is_file():
            _write_atomic(dest / src.name, src.read_bytes())
            written.append(dest / src.name)
    return written


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def transform_files(paths, out_dir, fmt: str = "html", params: dict | None = None, warn=_stderr) -> list[Path]:
    """Render each TEI file to out_dir/<stem>.html or .txt; return the written paths.

    For HTML, `tei-href` defaults to the relative path from out_dir to the input and the
    assets are copied into out_dir/assets/. `params` are stylesheet parameters for all files.
    Warnings (links shown as text) go to `warn`, standard error by default.
    """
    if fmt not in FORMATS:
        raise UsageError(f"format {fmt!r} unknown. Use one of: {', '.join(FORMATS)}.")
    out_dir = Path(out_dir)
    files = expand_paths(paths)
    stems: dict[str, Path] = {}
    for f in files:
        if f.stem in stems and stems[f.stem].resolve() != f.resolve():
            raise UsageError(f"inputs {str(stems[f.stem])!r} and {str(f)!r} would both write {f.stem}{FORMATS[fmt][1]}. Rename one.")
        stems[f.stem] = f
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"output folder {str(out_dir)!r} cannot be created: {err.strerror}.") from None
    written = []
    for f in stems.values():
        try:
            data = f.read_bytes()
        except OSError as err:
            raise InputError(f"input {str(f)!r} cannot be read: {err.strerror}.") from None
        tree = parse_tei(data, str(f))
        warning = root_warning(tree, str(f))
        if warning and warn is not None:
            warn(warning)
        target = out_dir / (f.stem + FORMATS[fmt][1])
        if fmt == "html":
            # relative URLs of the TEI are relative to its folder: the page links them through it
            folder = Path(os.path.relpath(f.resolve().parent, out_dir.resolve())).as_posix()
            p = {"tei_href": Path(os.path.relpath(f.resolve(), out_dir.resolve())).as_posix(),
                 "link_base": "" if folder == "." else folder + "/"}
            p.update(params or {})
            out = to_html(tree, warn=warn, **p)
        else:
            out = to_text(tree, **(params or {}))
        try:
            _write_atomic(target, out.encode("utf-8"))
        except OSError as err:
            raise OutputError(f"output {str(target)!r} cannot be written: {err.strerror}.") from None
        written.append(target)
    if fmt == "html" and written:
        copy_assets(out_dir)
    return written


def is_tei(tree) -> bool:
    """True when the root element is in the TEI namespace."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return etree.QName(root).namespace == TEI_NS
