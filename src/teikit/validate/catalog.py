"""OASIS XML Catalogs (1.1): remote schema URLs mapped to local files, never fetched.

Read: `uri`, `system`, `rewriteURI`, `rewriteSystem`, `uriSuffix`, `systemSuffix`, `group`,
`nextCatalog` and `xml:base`, as in the OASIS standard: an exact entry wins, then the
longest matching rewrite prefix, then the longest suffix; the catalogs are tried in order
(the user's first, teikit's own last). Two elements in teikit's namespace carry what a
catalog cannot say, and other resolvers ignore them:

* `<t:versioned match="REGEX" uri="TEMPLATE" release="4.12.0" source="..."/>`: a URL of a
  versioned copy (the TEI Vault) is read as the current release's URL; a version other
  than the shipped one gives a warning naming both.
* `<t:subset names="tei_lite.rng ..." uri="tei_all.rng" release-name="tei_all"/>`: a
  catalog target that teikit does not ship, but whose grammar is a subset of another, is
  validated against that one, with a warning.

Catalog files (and the targets' existence) are read through the `Files` object the caller
hands over; the caller gives the catalogs as absolute paths (the application layer makes a
relative `--catalog` absolute and reads XML_CATALOG_FILES: `from_environment_value`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from lxml import etree

from teikit.core import xmlsafe
from teikit.core.errors import UsageError
from teikit.core.names import XML_NS

CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
TEIKIT_NS = "urn:teikit:catalog"
SHIPPED = "catalog.xml"


@dataclass
class Resolved:
    """Where a catalog maps a reference, with the warnings a stand-in brings."""

    path: str  # a local file (it may not exist: the caller checks)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, warning): a version or subset stand-in


@dataclass
class Catalog:
    """One OASIS XML catalog file, read."""

    source: str
    exact: dict = field(default_factory=dict)  # uri/system -> target
    rewrites: list = field(default_factory=list)  # (prefix, target prefix)
    suffixes: list = field(default_factory=list)  # (suffix, target)
    versioned: list = field(default_factory=list)  # (regex, template, release)
    subsets: dict = field(default_factory=dict)  # file name -> (target path, release name)
    next: list = field(default_factory=list)  # further catalog files


def _to_path(ref: str) -> str:
    """A catalog target (a file: URI or a path) as a local path."""
    if ref.startswith("file:"):
        return unquote(urlparse(ref).path)
    return ref


def _join(base: str, ref: str) -> str:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", ref) and not ref.startswith("file:"):
        return ref
    ref = _to_path(ref)
    return ref if os.path.isabs(ref) else os.path.normpath(os.path.join(base, ref))


def load(path, files) -> Catalog:
    """Read one catalog file through `files` (hardened parser). Unreadable -> UsageError
    naming it. Relative entries resolve against the catalog's folder (`path` as given)."""
    path = _to_path(str(path))
    tree, issues = xmlsafe.parse_file(path, files)
    if tree is None:
        raise UsageError(f"Cannot read XML catalog {path!r}: {issues[0].message}")
    root = tree.getroot()
    if root.tag != f"{{{CATALOG_NS}}}catalog":
        raise UsageError(f"{path!r} is not an OASIS XML catalog (root {root.tag!r}); expected "
                         f"<catalog xmlns=\"{CATALOG_NS}\">")
    catalog = Catalog(path)
    _read(root, os.path.dirname(os.path.normpath(path)), catalog)
    return catalog


def _read(parent, base: str, catalog: Catalog) -> None:
    for el in parent:
        if not isinstance(el.tag, str):
            continue
        here = _join(base, el.get(f"{{{XML_NS}}}base")) if el.get(f"{{{XML_NS}}}base") else base
        ns, tag = etree.QName(el).namespace, etree.QName(el).localname
        if ns == CATALOG_NS:
            if tag in ("uri", "system"):
                key = el.get("name") if tag == "uri" else el.get("systemId")
                target = el.get("uri")
                if key and target:
                    catalog.exact.setdefault(key, _join(here, target))
            elif tag in ("rewriteURI", "rewriteSystem"):
                start = el.get("uriStartString") or el.get("systemIdStartString")
                if start and el.get("rewritePrefix"):
                    catalog.rewrites.append((start, _join(here, el.get("rewritePrefix"))))
            elif tag in ("uriSuffix", "systemSuffix"):
                suffix = el.get("uriSuffix") or el.get("systemIdSuffix")
                if suffix and el.get("uri"):
                    catalog.suffixes.append((suffix, _join(here, el.get("uri"))))
            elif tag == "group":
                _read(el, here, catalog)
            elif tag == "nextCatalog" and el.get("catalog"):
                catalog.next.append(_join(here, el.get("catalog")))
        elif ns == TEIKIT_NS:
            if tag == "versioned":
                catalog.versioned.append((re.compile(el.get("match")), el.get("uri"), el.get("release")))
            elif tag == "subset":
                for name in (el.get("names") or "").split():
                    catalog.subsets[name] = (_join(here, el.get("uri")), el.get("release-name") or el.get("uri"))


def _lookup(catalog: Catalog, uri: str) -> str | None:
    if uri in catalog.exact:
        return catalog.exact[uri]
    prefixes = [(start, target) for start, target in catalog.rewrites if uri.startswith(start)]
    if prefixes:
        start, target = max(prefixes, key=lambda p: len(p[0]))
        return _join(target if target.endswith(("/", os.sep)) else target + "/", uri[len(start):]) \
            if "://" not in target else target + uri[len(start):]
    suffixes = [(suffix, target) for suffix, target in catalog.suffixes if uri.endswith(suffix)]
    if suffixes:
        return max(suffixes, key=lambda s: len(s[0]))[1]
    return None


class Resolver:
    """The user's catalogs (in order, absolute paths), then teikit's shipped catalog (in
    `schema_dir`), read through `files`."""

    def __init__(self, user_catalogs=(), *, files, schema_dir):
        self.files = files
        self.catalogs: list[Catalog] = []
        seen: set[str] = set()
        pending = [str(c) for c in user_catalogs] + [os.path.join(str(schema_dir), SHIPPED)]
        while pending:
            path = os.path.normpath(_to_path(pending.pop(0)))
            if path in seen:
                continue
            seen.add(path)
            catalog = load(path, files)
            self.catalogs.append(catalog)
            pending[0:0] = catalog.next

    def resolve(self, uri: str) -> Resolved | None:
        """The local file for a schema URI, or None when no catalog maps it."""
        notes = []
        for catalog in self.catalogs:
            for regex, template, release in catalog.versioned:
                match = regex.match(uri)
                if match:
                    version = match.groupdict().get("version")
                    if version and version not in (release, "current"):
                        notes.append(("schema:version", f"{uri} names TEI P5 {version}; validated "
                                      f"against the release teikit ships, TEI P5 {release}"))
                    uri = template.format(**match.groupdict())
                    break
        for catalog in self.catalogs:
            target = _lookup(catalog, uri)
            if target is None:
                continue
            if not self.files.is_file(target):
                for cat in self.catalogs:
                    if os.path.basename(target) in cat.subsets:
                        stand_in, name = cat.subsets[os.path.basename(target)]
                        notes.append(("schema:subset", f"{os.path.basename(target)} is a TEI customisation "
                                      f"that teikit does not ship; validated against {name}, of which it is "
                                      "a subset (what it forbids beyond tei_all is not checked)"))
                        return Resolved(stand_in, notes)
            return Resolved(target, notes)
        return None


def from_environment_value(value: str) -> list[str]:
    """The catalogs named by the value of XML_CATALOG_FILES (space-separated files or file:
    URIs); the application layer reads the variable."""
    return [_to_path(part) for part in (value or "").split() if part]


def to_path(ref: str) -> str:
    """A catalog named as a file: URI or a path, as a path."""
    return _to_path(str(ref))
