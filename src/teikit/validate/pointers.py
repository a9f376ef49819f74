"""Where the cross-document checks' pointers lead: the run's files by real path, the
xml:ids of a file pointed to (from the run's trees, else read through a `Files`), a
`prefix:key` pointer expanded by its prefixDef, and `file.xml#id` pointers.
"""

from __future__ import annotations

import hashlib
import os
import re

from lxml import etree

from teikit.core import xmlsafe
from teikit.core.files import Files
from teikit.core.names import TEI_NS, XML_NS
from teikit.validate.owntree import has_stand_ins, included_roots, member_content, memo, own_elements, own_with, root_of

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"


class RealPaths:
    """The run's files by real path (`Files.real`: on disk, Path.resolve()), each path
    made real once."""

    def __init__(self, trees: dict, files: Files):
        self.trees = trees
        self.files = files
        self._by_real: dict | None = None
        self._real: dict[str, str] = memo("real", files, dict)  # shared while a session lasts

    def real(self, path: str) -> str:
        """The real path of `path` (symbolic links resolved), asked of `files` once."""
        if path not in self._real:
            self._real[path] = str(self.files.real(path))
        return self._real[path]

    @property
    def by_real(self) -> dict:
        if self._by_real is None:  # as {str(Path(p).resolve()): p}: the last of equal paths
            self._by_real = {self.real(p): p for p in self.trees}
        return self._by_real

    def find(self, base: str, relative: str) -> tuple[str, str | None]:
        """(resolved path, the run's path for it or None) of `relative` beside `base`."""
        real = self.real(os.path.join(base, relative))
        return real, self.by_real.get(real)


class FileIds:
    """xml:ids of files referred to, read once (from the trees given, else through `files`);
    `ids_of(path)`: the own ids of the run's file `path` (default: its tree's)."""

    def __init__(self, trees: dict, files: Files, paths: RealPaths | None = None, ids_of=None):
        self.trees = trees
        self.files = files
        self.ids_of = ids_of or (lambda path: {el.get(XML_ID) for el in own_with(root_of(trees[path]), XML_ID)})
        self.paths = paths or RealPaths(trees, files)
        self.cache: dict[str, set[str] | None] = {}
        self.found: dict[tuple[str, str], set[str] | None] = {}

    def ids(self, base: str, relative: str) -> set[str] | None:
        """The ids of the file `relative` names beside the folder `base`."""
        if (base, relative) in self.found:
            return self.found[base, relative]
        key, path = self.paths.find(base, relative)
        if key not in self.cache:
            if path is not None:
                self.cache[key] = self.ids_of(path)
            else:
                self.cache[key] = file_ids(key, self.files)
        self.found[base, relative] = self.cache[key]
        return self.cache[key]


_FILE_IDS: dict[str, tuple[str, set[str] | None]] = {}  # real path -> (sha1 of its bytes, ids)


def file_ids(path: str, files: Files) -> set[str] | None:
    """The xml:ids of a file outside the run (a registry beside many documents), read
    through `files` once per run and parsed again only when its bytes change; None when
    there is no such XML file."""
    data, _why = xmlsafe.read(path, files)
    if data is None:
        return None
    stamp = hashlib.sha1(data).hexdigest()
    cached = _FILE_IDS.get(path)
    if cached is None or cached[0] != stamp:
        tree, _issues = xmlsafe.parse_bytes(data, path)
        root = root_of(tree) if tree is not None else None
        ids = None if root is None else {el.get(XML_ID) for el in own_elements(root) if el.get(XML_ID)}
        cached = _FILE_IDS[path] = (stamp, ids)
    return cached[1]


_PREFIX_DEFS = etree.XPath("descendant::t:encodingDesc/t:listPrefixDef/t:prefixDef", namespaces=NS)


_PREFIX_DEFS_IN = etree.XPath("descendant-or-self::t:encodingDesc/t:listPrefixDef/t:prefixDef", namespaces=NS)
_LIST_PREFIX_DEF = f"{{{TEI_NS}}}listPrefixDef"


def prefix_defs(root) -> list:
    """`descendant::encodingDesc/listPrefixDef/prefixDef` of the tree as XInclude gives it, in
    document order: where a stub stands for a member (teikit.validate.stubs), the member's
    own part is read from its own tree (owntree.member_content)."""
    found = _PREFIX_DEFS(root)
    stand_ins = [el for el in included_roots(root) if member_content(el) is not el] \
        if has_stand_ins() and root.getparent() is None else []
    if not stand_ins:
        return found
    inside = set(stand_ins)
    order = {el: i for i, el in enumerate(root.iter())}
    keyed = [((order[pd], 0), pd) for pd in found if pd.getparent() not in inside]
    for el in stand_ins:
        content = member_content(el)
        part = _PREFIX_DEFS_IN(content)
        parent = el.getparent()
        if el.tag == _LIST_PREFIX_DEF and parent is not None and parent.tag == f"{{{TEI_NS}}}encodingDesc":
            part = content.findall(f"{{{TEI_NS}}}prefixDef") + part
        keyed += [((order[el], k + 1), pd) for k, pd in enumerate(part)]
    return [pd for _key, pd in sorted(keyed, key=lambda item: item[0])]


def prefixes(root) -> dict[str, tuple[re.Pattern, str]]:
    out = {}
    for pd in prefix_defs(root):
        try:
            out[pd.get("ident")] = (re.compile(pd.get("matchPattern") or "(.*)"), pd.get("replacementPattern") or "")
        except re.error:
            continue
    return out


def expand_pointer(value: str, prefixes: dict) -> tuple[str, str] | None:
    """(file, fragment) a `prefix:key` pointer stands for, by its prefixDef; None if none."""
    prefix, _, key = value.partition(":")
    if not key or prefix not in prefixes:
        return None
    rx, replacement = prefixes[prefix]
    m = rx.fullmatch(key)
    if not m:
        return None
    file_part, _, frag = _expand(m, replacement.replace("$", "\\")).partition("#")
    return file_part, frag


_TEMPLATES: dict = {}


def _expand(match, template: str) -> str:
    """match.expand(template), the template parsed once per pattern (Match.expand parses it
    on every call in Python 3.11)."""
    parse = getattr(re, "_parser", None)
    if parse is None or not hasattr(parse, "parse_template") or not hasattr(parse, "expand_template"):
        return match.expand(template)
    key = (match.re, template)
    if key not in _TEMPLATES:
        try:
            _TEMPLATES[key] = parse.parse_template(template, match.re)
        except (TypeError, AttributeError):
            return match.expand(template)
    return parse.expand_template(_TEMPLATES[key], match)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def file_pointer(value: str, known: dict) -> tuple[str, str] | None:
    """(file, fragment) of a pointer to another XML file (`file.xml#id`), else None."""
    if value not in known:
        pointer = None
        if value and " " not in value and not _SCHEME.match(value) and not value.startswith("#"):
            file_part, _, frag = value.partition("#")
            if file_part.endswith(".xml"):
                pointer = (file_part, frag)
        known[value] = pointer
    return known[value]
