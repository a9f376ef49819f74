"""RELAX NG `include` and `externalRef`, read through a `Files` object.

libxml2 reads the files a grammar includes by itself, from the disk, when it compiles the
grammar. So that it need not, `inline(tree, path, files)` puts every included grammar and
every referenced pattern into one tree first, as the simplification of RELAX NG does
(§4.5–4.7): an `include` becomes a `div` holding the included grammar (as a `div`, less
the `define`s and the `start` the include overrides) and then the include's own content;
an `externalRef` is replaced by the element it refers to. Each file keeps what it meant on
its own: each `data` of it names its datatype library (§4.3 applies to each file alone),
while a missing `ns` comes from the include or externalRef, else from the grammar
around it (§4.9 applies after inclusion), as libxml2 reads the separate files. Relative
hrefs resolve against the file that holds them.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from pathlib import Path

from lxml import etree

from teikit.core import xmlsafe

from teikit.core.errors import UsageError
from teikit.core.xmlsafe import make_parser, not_found

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_INCLUDE, _EXTERNAL = f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef"
_GRAMMAR, _DIV = f"{{{RNG_NS}}}grammar", f"{{{RNG_NS}}}div"
_DEFINE, _START = f"{{{RNG_NS}}}define", f"{{{RNG_NS}}}start"
MAX_DEPTH = 50


_REFERENCE_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:include|externalRef)[\s/>]")


def closure_sha256(path, files, data: bytes) -> str:
    """sha256 of a grammar (`data`, read from `path`) and of every file its includes and
    external references name, recursively, read through `files`: the key of what is kept in
    memory per grammar (a compiled grammar, a matcher), so that an edited included file is
    read and seen (and a caller's recording Files learns that the grammar depends on it)."""
    h = hashlib.sha256()
    seen: set[str] = set()

    def add(target: str, content: bytes) -> None:
        h.update(target.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(content).digest())
        if not _REFERENCE_TAG.search(content):
            return
        try:
            root = etree.fromstring(content, make_parser(), base_url=target)
        except etree.XMLSyntaxError:
            return
        for el in root.iter(_INCLUDE, _EXTERNAL):
            href = el.get("href", "").strip()
            ref = str(Path(el.base or target).parent / href) if href else target
            if ref in seen or len(seen) > 1000:
                continue
            seen.add(ref)
            found, why = xmlsafe.read(ref, files)
            if found is None:
                h.update(b"missing " + ref.encode("utf-8", "surrogateescape"))
            else:
                add(ref, found)

    seen.add(str(path))
    add(str(path), data)
    return h.hexdigest()


def has_reference_bytes(data: bytes) -> bool:
    """May a grammar's text include or reference another file (an include or externalRef
    element, under any prefix)?"""
    return _REFERENCE_TAG.search(data) is not None


def has_references(tree) -> bool:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return next(root.iter(_INCLUDE, _EXTERNAL), None) is not None


def inline(tree, path: str, files) -> etree._ElementTree:
    """A copy of the grammar `tree` (read from `path`) with its includes and external
    references read through `files` and put in place. UsageError naming the file when one
    cannot be read or is not RELAX NG, or when the references loop (the message libxml2
    gives when it reads the files itself)."""
    root = copy.deepcopy(tree.getroot() if hasattr(tree, "getroot") else tree)
    _expand(root, str(path), files, (str(path),))
    out = etree.ElementTree(root)
    return out


def _expand(root, path: str, files, stack: tuple) -> None:
    for el in list(root.iter(_INCLUDE, _EXTERNAL)):
        if el.getparent() is None and el is not root:
            continue
        target = str(Path(el.base or path).parent / el.get("href", "").strip()) \
            if el.get("href", "").strip() else ""
        referenced = _load(target, el, path, files, stack)
        if el.tag == _EXTERNAL:
            _own_context(referenced, el)
            _replace(el, [referenced])
        else:
            overrides = {d.get("name") for d in _own_components(el, _DEFINE)}
            has_start = next(_own_components(el, _START), None) is not None
            for component in list(_own_components(referenced, _DEFINE, _START)):
                if (component.tag == _START and has_start) or \
                        (component.tag == _DEFINE and component.get("name") in overrides):
                    component.getparent().remove(component)
            _own_context(referenced, el)
            referenced.tag = _DIV
            body = etree.Element(_DIV, dict(el.attrib))
            del body.attrib["href"]
            body.text = el.text
            body.append(referenced)
            for child in list(el):
                body.append(child)
            _replace(el, [body])


def _load(target: str, el, path: str, files, stack: tuple):
    """The top element of the file an include or externalRef names, its own references put
    in place. The errors are worded as libxml2 words them when it reads the file itself."""
    def fail(message):
        return UsageError(f"Cannot compile schema {stack[0]!r}: {message}")

    target = target or path  # an empty href names the file itself
    if os.path.normpath(target) in {os.path.normpath(p) for p in stack} or len(stack) > MAX_DEPTH:
        kind = "Include" if el.tag == _INCLUDE else "externalRef"
        raise fail(f"Detected an {kind} recursion for {target}")
    data, why = xmlsafe.read(target, files)
    if data is None:
        raise fail(not_found(target) if why is None else f"Cannot read {target}: {why}")
    parser = make_parser()
    try:
        root = etree.fromstring(data, parser, base_url=target)
    except etree.XMLSyntaxError as err:
        entries = [e.message for e in parser.error_log if e.level_name in ("ERROR", "FATAL")]
        raise fail(entries[0] if entries else str(err)) from None
    if etree.QName(root).namespace != RNG_NS:
        raise fail(f"xmlRelaxNG: included document is empty {target}" if el.tag == _INCLUDE
                   else f"xmlRelaxNGParse: {stack[0]} is empty")
    if el.tag == _INCLUDE and root.tag != _GRAMMAR:
        raise fail(f"xmlRelaxNG: included document {target} root is not a grammar")
    _own_datatypes(root)
    _expand(root, target, files, stack + (target,))
    return root


def _own_components(grammar, *tags):
    """The define / start children of a grammar or include, also inside its divs (not
    inside nested grammars)."""
    for child in grammar:
        if child.tag in tags:
            yield child
        elif child.tag == _DIV:
            yield from _own_components(child, *tags)


def _own_datatypes(root) -> None:
    """§4.3 within one file, before it is included: every `data` (and typed `value`)
    names its datatype library, so that it inherits none from the including grammar
    (libxml2 ignores datatypeLibrary on a div, so the top element cannot carry it)."""
    for el in root.iter(f"{{{RNG_NS}}}data", f"{{{RNG_NS}}}value"):
        if el.get("datatypeLibrary") is not None or (el.tag.endswith("}value") and el.get("type") is None):
            continue
        lib = next((a.get("datatypeLibrary") for a in el.iterancestors()
                    if a.get("datatypeLibrary") is not None), "")
        el.set("datatypeLibrary", lib)


def _own_context(root, ref) -> None:
    """The ns the referenced file's top element inherits: its own, else the include's or
    externalRef's, else the including grammar's (§4.9 comes after inclusion)."""
    if root.get("ns") is None and ref.get("ns") is not None:
        root.set("ns", ref.get("ns"))


def _replace(el, replacement: list) -> None:
    parent = el.getparent()
    if parent is None:
        raise UsageError("an include or externalRef cannot be a grammar's top element")
    index = parent.index(el)
    for item in replacement:
        item.tail = el.tail
    parent.remove(el)
    for offset, item in enumerate(replacement):
        parent.insert(index + offset, item)
