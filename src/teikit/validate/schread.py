"""Reading an ISO Schematron document before it is compiled: `sch:include` and
`sch:extends/@href` (also inside includes), abstract patterns instantiated with their
`sch:param`s, the phase that picks the active patterns, and the Schematron embedded in a
RELAX NG grammar (TEI's tei_all and every ODD-generated schema).

Each works on an lxml tree the caller owns; schcompile.py compiles the result.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lxml import etree

from teikit.core.errors import Issue, UsageError
from teikit.core.xmlsafe import make_parser, not_found
from teikit.validate.schmodel import SCH_NS, TEIX_NS, sch


def embedded_schema(grammar):
    """A Schematron schema element made of the rules embedded in a RELAX NG grammar
    (outside TEI examples), or None when it has no pattern. Its binding is XPath 2, as the
    TEI's ODD processors write it; the copies keep their source lines."""
    root = grammar.getroot() if hasattr(grammar, "getroot") else grammar

    def usable(el):  # not inside a TEI example
        return not any(etree.QName(a).namespace == TEIX_NS for a in el.iterancestors())

    wanted = ("ns", "let", "pattern", "phase", "diagnostics")
    parts = [el for el in root.iter(*[sch(w) for w in wanted]) if usable(el)
             and not any(a.tag in (sch("pattern"), sch("schema"), sch("phase"), sch("diagnostics"))
                         for a in el.iterancestors())]
    if not any(el.tag == sch("pattern") for el in parts):
        return None
    schema = etree.Element(sch("schema"), nsmap={"sch": SCH_NS}, queryBinding="xslt2")
    for el in parts:
        schema.append(copy_keep_lines(el))
    return schema


def copy_keep_lines(el):
    clone = copy.deepcopy(el)
    for a, b in zip(el.iter(), clone.iter()):
        b.sourceline = a.sourceline
    return clone


def resolve_includes(root, base: str, files=None, depth: int = 0):
    """Put `sch:include`d and `sch:extends/@href` parts in place, read through `files`
    (teikit.core.files.Files; without it, an include that is left is a UsageError)."""
    if depth > 20:
        raise UsageError(f"Schematron includes nested more than 20 deep in {base!r}")
    for inc in list(root.iter(sch("include"), sch("extends"))):
        href = inc.get("href")
        if not href:
            continue
        target = Path(inc.base or base).parent / href.split("#")[0]
        try:
            data = files.read(target) if files is not None else None
            if data is None:
                raise OSError(f"Error reading file '{target}': {not_found(target)}")
            included = etree.fromstring(data, make_parser(), base_url=str(target))
        except (OSError, etree.XMLSyntaxError) as err:
            raise UsageError(f"Schematron {base!r} line {inc.sourceline}: cannot include "
                             f"{href!r}: {err}") from None
        fragment = href.split("#")[1] if "#" in href else None
        if fragment:
            found = included.xpath("//*[@id=$i or @xml:id=$i]", i=fragment)
            if not found:
                raise UsageError(f"Schematron {base!r}: {href!r} names no element with that id")
            included = found[0]
        resolve_includes(included, str(target), files, depth + 1)
        parent = inc.getparent()
        index = parent.index(inc)
        if inc.tag == sch("extends"):  # external rule: its content goes in
            replacement = [copy.deepcopy(c) for c in included]
        elif included.tag == sch("schema"):  # a whole schema: its top-level parts
            replacement = [copy.deepcopy(c) for c in included]
        else:
            replacement = [copy.deepcopy(included)]
        parent.remove(inc)
        for offset, item in enumerate(replacement):
            parent.insert(index + offset, item)


def instantiate_abstract(root, path, problems):
    abstract = {p.get("id"): p for p in root.iter(sch("pattern")) if p.get("abstract") == "true"}
    for pat in list(root.iter(sch("pattern"))):
        base_id = pat.get("is-a")
        if not base_id:
            continue
        base = abstract.get(base_id)
        if base is None:
            problems.append(Issue("warning", "sch:unsupported",
                                  f"Pattern {pat.get('id') or ''} is-a {base_id!r}, which is not "
                                  "an abstract pattern of this schema; pattern skipped",
                                  path, pat.sourceline, None, "sch"))
            pat.getparent().remove(pat)
            continue
        params = {p.get("name"): p.get("value", "") for p in pat.findall(sch("param"))}
        for child in list(pat):
            if child.tag == sch("param"):
                pat.remove(child)
        for child in base:
            clone = copy.deepcopy(child)
            for el in clone.iter():
                for name, value in el.attrib.items():
                    el.set(name, _substitute_params(value, params))
            pat.append(clone)
        del pat.attrib["is-a"]
    for pat in abstract.values():
        pat.getparent().remove(pat)


def _substitute_params(value: str, params: dict) -> str:
    for name in sorted(params, key=len, reverse=True):
        value = re.sub(r"\$" + re.escape(name) + r"(?![\w.\-])", lambda m: params[name], value)
    return value


def active_patterns(root, phase: str | None, path: str):
    phase = phase or root.get("defaultPhase")
    if not phase or phase == "#ALL":
        return None, []
    for ph in root.iter(sch("phase")):
        if ph.get("id") == phase:
            return {a.get("pattern") for a in ph.findall(sch("active"))}, ph.findall(sch("let"))
    known = sorted(ph.get("id") for ph in root.iter(sch("phase")) if ph.get("id"))
    raise UsageError(f"Schematron {path!r} has no phase {phase!r}; its phases: "
                     f"{', '.join(known) or '(none)'} or #ALL")


# --- compiling ------------------------------------------------------------------------------
