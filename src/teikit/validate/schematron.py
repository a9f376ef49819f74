"""ISO Schematron, evaluated in Python: XPath 1.0 by lxml, XPath 2/3 by elementpath.

Evaluating the rules ourselves, rather than through the XSLT skeleton, gives the source
line of every failing node and needs no JVM. `queryBinding` picks the engine
(validate/schxpath.py); the Schematron embedded in a RELAX NG grammar (TEI's tei_all and
every ODD-generated schema: `embedded(rng_path)`) is XPath 2, as in Oxygen and the TEI's
own tools.

Supported: `sch:include` (also inside includes) and `sch:extends/@href`; abstract patterns
(`pattern/@abstract`, `pattern/@is-a` with `sch:param`, substituted in every attribute as
ISO says); phases (`--phase`, else `schema/@defaultPhase`, else all patterns; `#ALL`),
with their `sch:let`s; `sch:ns`; `sch:let` at schema, phase, pattern and rule level;
abstract rules with `sch:extends/@rule`; `sch:assert` and `sch:report` with `@test`, `@id`
(the finding's code is `sch:<id>`, else the rule's or pattern's id), `@role` (severity)
and `@diagnostics`; `sch:value-of` and `sch:name` in messages. Within a pattern a node is
handled by the first rule whose context matches it, as the standard says.

A rule that cannot run (an expression its binding cannot compile, e.g. XSLT's `key()`)
is one `sch:unsupported` warning that names the pattern, the rule and the reason; the
rest of the schema runs. A test that fails at run time is one warning per file.

This module is the entry point; the work is done by schread.py (includes, abstract
patterns, phases, embedded rules), schcompile.py (rules and expressions), schrun.py
(running them on a document) over the compiled form of schmodel.py. The schema, what it
includes and the documents' sources (for columns) are read through the `Files` object
the caller hands over (teikit.core.files); this module opens no file itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from lxml import etree

from teikit.core import ahead
from teikit.core.errors import Issue, UsageError
from teikit.core.xmlsafe import make_parser, not_found, read
from teikit.validate.locator import Locator
from teikit.validate.schcompile import compile_tree, pattern_to_xpath  # noqa: F401
from teikit.validate.schmodel import Schematron
from teikit.validate.schread import embedded_schema, resolve_includes
from teikit.validate.schrun import evaluate, stylesheet
from teikit.validate.schxpath import Attr


def _read(path: str, files, what: str) -> etree._ElementTree:
    """A schema file read through `files` and parsed (hardened); UsageError when it cannot be."""
    data, why = read(path, files)
    if data is None:  # a missing file: as libxml2 said it when it read the file itself
        why = why or f"Error reading file '{path}': {not_found(path)}"
        raise UsageError(f"Cannot read {what} {path!r}: {why}")
    try:
        return etree.ElementTree(etree.fromstring(data, make_parser(), base_url=path))
    except etree.XMLSyntaxError as err:
        raise UsageError(f"Cannot read {what} {path!r}: {err}") from None


def load(path, files, phase: str | None = None) -> Schematron:
    """Read (through `files`, with its includes) and compile an ISO Schematron schema.
    Unreadable -> UsageError. An XPath 1.0 schema's stylesheet (schstyle.py) is compiled
    here too, in the process that reads the schema: worker processes forked after it share
    the compiled stylesheet instead of each compiling its own on its first document."""
    held = ahead.loaded("schematron", (str(path), phase), files)  # load_ahead's, when it read the same
    if held is not None:
        return held
    tree = _read(str(path), files, "Schematron")
    resolve_includes(tree.getroot(), str(path), files)
    schema = compile_tree(tree, str(path), phase=phase)
    stylesheet(schema)
    return schema


def load_ahead(path, files, phase: str | None = None) -> None:
    """load(path, files, phase) now, held for the first later load of the same path and
    phase whose `files` answer every question this one asked as it was answered
    (teikit.core.ahead: the same answers give the same schema; the questions are asked
    again, so a recording `files` notes what a load notes). A schema that cannot be
    loaded is not held (the later load says why)."""
    noting = ahead.Noting(files)
    try:
        schema = load(path, noting, phase=phase)
    except UsageError:
        return
    ahead.hold_loaded("schematron", (str(path), phase), noting.notes, schema)


_EMBEDDED: dict = {}  # (path, sha256) -> compiled embedded rules (or None), newest last
_EMBEDDED_KEPT = 16


def embedded(rng_path, files) -> Schematron | None:
    """The Schematron embedded in a RELAX NG grammar read through `files` (None when it has
    none or cannot be read), compiled once per process. Its binding is XPath 2, as the
    TEI's ODD processors write it."""
    path = str(rng_path)
    data, _why = read(path, files)
    if data is None:
        return None
    key = (path, hashlib.sha256(data).hexdigest())
    if key not in _EMBEDDED:
        try:
            grammar = etree.ElementTree(etree.fromstring(data, make_parser(), base_url=path))
            _EMBEDDED[key] = extract_embedded(grammar, path)
        except etree.XMLSyntaxError:
            _EMBEDDED[key] = None
        while len(_EMBEDDED) > _EMBEDDED_KEPT:
            _EMBEDDED.pop(next(iter(_EMBEDDED)))
    return _EMBEDDED[key]


def extract_embedded(grammar, path: str) -> Schematron | None:
    """The Schematron embedded in a parsed RELAX NG grammar, compiled (None: it has none)."""
    schema = embedded_schema(grammar)
    return None if schema is None else compile_tree(etree.ElementTree(schema), path)


def validate_tree(schema: Schematron, tree, filename: str | None, files=None) -> list[Issue]:
    """Schematron findings for one document, in document order per pattern, with the
    line and column of the node's start tag (or of the attribute) when `files` can read
    the file's source; XIncluded nodes keep the line libxml2 gives."""
    findings = evaluate(schema, tree, filename)
    if not filename or not any(f.node is not None for f in findings):
        return [f.issue for f in findings]
    return placed(findings, Locator(filename, tree if hasattr(tree, "getroot") else tree.getroottree(), files))


def placed(findings, locator) -> list[Issue]:
    """The findings' issues with the line and column `locator` gives their nodes."""
    out = []
    for f in findings:
        issue = f.issue
        if f.node is not None:
            owner, attr = (f.node.owner, f.node.name) if isinstance(f.node, Attr) else (f.node, None)
            pos = locator.position(owner, attr)
            if pos is not None:
                issue = replace(issue, line=pos[0], col=pos[1])
        out.append(issue)
    return out


def location(node) -> str:
    """The node's path as SVRL writes it (`/Q{ns}name[n]/…/@Q{ns}name`), for comparing
    findings with an XSLT implementation."""
    attr = None
    if isinstance(node, Attr):
        node, attr = node.owner, node.name
    steps = []
    el = node
    while el is not None:
        q = etree.QName(el)
        position = 1 + sum(1 for s in el.itersiblings(preceding=True) if s.tag == el.tag)
        steps.append(f"Q{{{q.namespace or ''}}}{q.localname}[{position}]")
        el = el.getparent()
    path = "/" + "/".join(reversed(steps))
    if attr is not None:
        q = etree.QName(attr)
        path += f"/@Q{{{q.namespace or ''}}}{q.localname}"
    return path


def comparable(schema: Schematron, tree) -> list:
    """Findings as (kind, location, test, message) tuples, as bench/schref.py reads SVRL."""
    return [(f.check.kind, location(f.node), " ".join(f.check.test_source.split()), f.issue.message)
            for f in evaluate(schema, tree) if f.node is not None]
