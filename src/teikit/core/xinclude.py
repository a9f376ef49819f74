"""The one XInclude expander of teikit (validation, the site, the corpus file), with the path check.

`xi:include` with `parse="xml"` (or `"text"`) and no `xpointer` is replaced by the file its
relative `href` names, parsed with the hardened parser (core.xmlsafe); when that file is
missing, by the include's `xi:fallback`, as jing and xmllint do. Only files inside `root`
are read: a remote URL, an absolute path, or a relative path that climbs out of `root`
(`../../etc/passwd`) is never followed, and is a finding. The included root element is
marked with `xml:base` (the href), as the XInclude spec says, so that later checks know
which elements came from another file. Targets are read, and the path check is made (on
`Files.real`: symbolic links resolved), through the `Files` object the caller hands over
(teikit.core.files): this module never opens a file itself.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Callable

from teikit.core import xmlsafe
from teikit.core.errors import Issue
from teikit.core.names import XI_NS, XML_NS

XML_BASE = f"{{{XML_NS}}}base"
INCLUDE = f"{{{XI_NS}}}include"
FALLBACK = f"{{{XI_NS}}}fallback"

#: load(href, path) -> (element or None, issues), or None when there is no such file:
#: how an allowed target is read
Loader = Callable[[str, Path], tuple[object, list]]


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def has_scheme(href: str) -> bool:
    """A URL with a scheme (http:, file:, C:) or an absolute path."""
    return _SCHEME.match(href) is not None or href.startswith(("/", "\\"))


def locate(href: str, including_file, root, files, *, top=None) -> tuple[Path | None, str | None]:
    """(path, None) for an href teikit may read, else (None, why not); `files.real` gives
    the real paths the check compares (`top`: the real path of `root`, when known)."""
    if not href:
        return None, "it has no href"
    if has_scheme(href):
        return None, "only relative paths are followed, never URLs or absolute paths"
    path = Path(including_file).parent / href
    top = top if top is not None else files.real(root)
    resolved = files.real(path)
    if not within(resolved, top):
        return None, f"it points outside {top}"
    return path, None


def within(path, top) -> bool:
    """`path` is `top` or below it (`path == top or top in path.parents`): for POSIX paths of
    one class and the same root, `top`'s parts are the first of `path`'s (what pathlib's
    equality of a parent compares: the parts, case-sensitive), without making every parent;
    else as pathlib's own."""
    if type(path) is type(top) and isinstance(path, PurePosixPath) and path.root == top.root:
        return path.parts[:len(top.parts)] == top.parts
    return path == top or top in path.parents


def parse_target(href: str, path: Path, files):
    """The default loader: the hardened parse of the target read through `files`, None
    when it is missing."""
    if not files.is_file(path):
        return None
    tree, issues = xmlsafe.parse_file(path, files)
    return (tree.getroot() if tree is not None else None), issues


def expand(tree, filename: str, *, files, root=None, load: Loader | None = None,
           mark_base: bool = True) -> list[Issue]:
    """Expand the includes of `tree` (an ElementTree or element) in place; findings
    (`xdoc:xinclude-*` warnings, the target's own `wf:` errors) are returned. `files`
    (teikit.core.files.Files) reads the targets and gives the real paths of the path
    check. `root`: the folder targets must lie in (default: the including file's folder).
    `load(href, path)` reads a target (default: the hardened parser, through `files`);
    `mark_base=False` leaves out xml:base."""
    top = tree.getroot() if hasattr(tree, "getroot") else tree
    root = root if root is not None else Path(filename).parent
    load = load or (lambda href, path: parse_target(href, path, files))
    issues: list[Issue] = []
    real_root = None
    for inc in list(top.iter(INCLUDE)):
        if inc.getparent() is None:
            continue
        href, line = inc.get("href", ""), inc.sourceline
        fallback = inc.find(FALLBACK)
        if inc.get("xpointer"):
            path, why = None, "xpointer is not supported"
        else:
            if real_root is None and href and not has_scheme(href):
                real_root = files.real(root)
            path, why = locate(href, filename, root, files, top=real_root)
        replacement: list = []
        loaded = None
        if path is not None:
            if inc.get("parse") == "text":
                data = files.read(path)
                loaded = None if data is None else \
                    ([_decode(data, inc.get("encoding") or "utf-8")], [])
            else:
                loaded = load(href, path)
                if loaded is not None:
                    element, sub_issues = loaded
                    if element is not None and mark_base:
                        element.set(XML_BASE, href)
                    loaded = ([element] if element is not None else [], sub_issues)
        if loaded is not None:
            replacement, sub_issues = loaded
            issues += sub_issues
        else:
            issues.append(Issue("warning", "xdoc:xinclude-missing" if why is None else "xdoc:xinclude-not-followed",
                                f"XInclude {href!r}: " + ("file not found" if why is None else f"not followed: {why}")
                                + ("; using the fallback" if fallback is not None else ""),
                                filename, line, None, "xdoc"))
            if fallback is not None:
                replacement = ([fallback.text] if fallback.text else []) + list(fallback)
        _splice(inc, replacement)
    return issues


def _decode(data: bytes, encoding: str) -> str:
    """The text of a `parse="text"` include, as Path.read_text decodes it (universal newlines)."""
    text = data.decode(encoding, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _splice(inc, replacement) -> None:
    """Put `replacement` (leading text, then elements) where `inc` was; its tail follows them."""
    parent = inc.getparent()
    index = parent.index(inc)
    lead = "".join(item for item in replacement if isinstance(item, str))
    elements = [item for item in replacement if not isinstance(item, str)]
    tail = inc.tail or ""
    parent.remove(inc)
    for offset, element in enumerate(elements):
        parent.insert(index + offset, element)
    if elements:
        last = elements[-1]
        last.tail = (last.tail or "") + tail
        before = lead
    else:
        before = lead + tail
    if before:
        if index == 0:
            parent.text = (parent.text or "") + before
        else:
            prior = parent[index - 1]
            prior.tail = (prior.tail or "") + before
