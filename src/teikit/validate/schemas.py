"""Which schema each file is validated against (never the network).

Order (docs/validation.md):

1. `--schema FILE`: that grammar for every file (their own models are not followed;
   `--schematron` adds rules).
2. the file's `<?xml-model?>` (and Oxygen's older `<?oxygen RNGSchema=… SCHSchema=…?>`):
   RELAX NG and Schematron; a relative href is read beside the file;
3. a URL (or a relative path that is missing) is looked up in the XML catalogs: the user's
   (`--catalog FILE`, `XML_CATALOG_FILES`), then teikit's (the TEI release over http and
   https, the TEI build servers, Vault paths with a version warning, TEI customisations as
   tei_all with a warning);
4. a schema that cannot be had: a warning naming it, and tei_all stands in (the report
   marks the file); with `strict`, an error instead, and no RELAX NG verdict;
5. no model at all: tei_all.

Schemas and catalogs are looked for through the `Files` object the caller hands over, and
teikit's shipped grammars are in the `schema_dir` it names (teikit.resources finds it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teikit.core.errors import Issue
from teikit.core.xinclude import has_scheme
from teikit.validate.catalog import Resolver

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = ("http://purl.oclc.org/dsdl/schematron", "http://www.ascc.net/xml/schematron")
TEI_ALL = "tei_all.rng"


def tei_all(schema_dir) -> str:
    """The shipped TEI P5 tei_all grammar."""
    return str(Path(schema_dir) / TEI_ALL)


@dataclass
class Choice:
    """The grammars one file is validated against, and how they were found."""

    rng: str | None  # RELAX NG path; None: no RELAX NG check (strict and unavailable)
    schematrons: list[str] = field(default_factory=list)  # .sch files, or .rng for embedded rules
    source: str = "default"  # "option" | "xml-model" | "catalog" | "stand-in" | "default"
    named: str | None = None  # the href the file gave
    issues: list[Issue] = field(default_factory=list)

    @property
    def stand_in(self) -> bool:
        return self.source == "stand-in"

    def describe(self) -> dict:
        return {"rng": self.rng, "named": self.named, "source": self.source,
                "stand_in": self.stand_in, "schematron": list(self.schematrons)}


_PSEUDO_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _pseudo_attrs(text: str) -> dict:
    """The pseudo-attributes of a processing instruction."""
    return {name: a or b for name, a, b in _PSEUDO_ATTR.findall(text or "")}


def models(tree) -> list[tuple[str, str, int | None]]:
    """(kind, href, line) of the schema instructions before the root, in document order;
    kind is "rng", "sch", "rnc" or "other:<type>"."""
    out = []
    node = tree.getroot().getprevious()
    pis = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target in ("xml-model", "oxygen"):
            pis.insert(0, node)
        node = node.getprevious()
    for pi in pis:
        attrs = _pseudo_attrs(pi.text)
        if pi.target == "oxygen":
            if attrs.get("RNGSchema"):
                kind = "rnc" if attrs.get("type") == "compact" or attrs["RNGSchema"].endswith(".rnc") else "rng"
                out.append((kind, attrs["RNGSchema"], pi.sourceline))
            if attrs.get("SCHSchema"):
                out.append(("sch", attrs["SCHSchema"], pi.sourceline))
            continue
        href = attrs.get("href", "")
        ns = attrs.get("schematypens", "")
        if ns == RNG_NS or (not ns and href.endswith(".rng")):
            out.append(("rnc" if href.endswith(".rnc") else "rng", href, pi.sourceline))
        elif ns in SCH_NS or (not ns and href.endswith(".sch")):
            out.append(("sch", href, pi.sourceline))
        elif href.endswith(".rnc"):
            out.append(("rnc", href, pi.sourceline))
        else:
            out.append((f"other:{ns or attrs.get('type') or 'unknown'}", href, pi.sourceline))
    return out


class Chooser:
    """Resolves schemas for a run: one catalog resolver, results cached per href. `files`
    reads the schemas and catalogs; `schema_dir` is teikit's shipped schema folder;
    `catalogs` are the user's, as absolute paths."""

    def __init__(self, catalogs=(), *, files, schema_dir, strict: bool = False):
        self.files = files
        self.schema_dir = str(schema_dir)
        self.resolver = Resolver(list(catalogs), files=files, schema_dir=schema_dir)
        self.strict = strict
        self._shown: dict = {}
        self._found: dict[tuple[str, str], tuple[str | None, list[str], str]] = {}

    def locate(self, href: str, filename: str) -> tuple[str | None, list[str], str]:
        """(local path or None, notes, how) for an href in a file: beside the file, else the catalogs."""
        key = (href, os.path.dirname(filename) if not has_scheme(href) else "")
        if key not in self._found:
            self._found[key] = self._locate(href, filename)
        return self._found[key]

    def _locate(self, href: str, filename: str):
        if href.startswith("file:"):
            href = re.sub(r"^file://(localhost)?", "", href)
        if not has_scheme(href) or href.startswith("/"):
            local = href if os.path.isabs(href) else os.path.join(os.path.dirname(filename), href)
            if self.files.is_file(local):
                return os.path.normpath(local), [], "xml-model"
        found = self.resolver.resolve(href)
        if found is not None and self.files.is_file(found.path):
            return found.path, found.notes, "catalog"
        return None, [], "unavailable"

    def choose(self, tree, filename: str, option: str | None = None) -> Choice:
        """The grammars for one parsed file (option: a --schema FILE given for all)."""
        choice = Choice(rng=None)
        if option:  # one grammar for every file: the files' own models are not followed
            choice.rng, choice.source = str(option), "option"
            return choice
        found_models = models(tree)
        rng_models = [(k, h, ln) for k, h, ln in found_models if k in ("rng", "rnc")]
        for kind, href, line in found_models:
            if kind == "sch":
                path, notes, _how = self.locate(href, filename)
                if path is None:
                    choice.issues.append(self._issue("warning", "schema:unavailable",
                                                     f"Schematron {href!r} named in <?xml-model?> cannot be had "
                                                     "offline (not beside the file, not in a catalog); its rules "
                                                     "are not checked. Map it with --catalog", filename, line))
                else:
                    choice.schematrons.append(path)
                    choice.issues += [self._issue("warning", code, n, filename, line) for code, n in notes]
            elif kind.startswith("other:"):
                choice.issues.append(self._issue("warning", "schema:unsupported",
                                                 f"Schema {href!r} ({kind[6:]}) is not RELAX NG or Schematron; "
                                                 "not used", filename, line))
        if not rng_models:
            choice.rng, choice.source = tei_all(self.schema_dir), "default"
            return choice
        kind, href, line = rng_models[0]
        choice.named = href
        path, notes, how = (None, [], "rnc") if kind == "rnc" else self.locate(href, filename)
        if path is not None:
            choice.rng, choice.source = path, how
            choice.issues += [self._issue("warning", code, n, filename, line) for code, n in notes]
            return choice
        why = ("is RELAX NG compact syntax, which teikit does not read (convert it with trang)"
               if kind == "rnc" else "cannot be had offline (not beside the file, not in a catalog)")
        if self.strict:
            choice.issues.append(self._issue("error", "schema:unavailable",
                                             f"Schema {href!r} {why}; --strict-schema: not validated against "
                                             "a grammar the file does not name. Map it with --catalog",
                                             filename, line))
            choice.source = "unavailable"
            return choice
        choice.rng, choice.source = tei_all(self.schema_dir), "stand-in"
        choice.issues.append(self._issue("warning", "schema:stand-in",
                                         f"Schema {href!r} {why}; validated against TEI P5 tei_all instead "
                                         "(a stand-in: --strict-schema makes this an error; --catalog maps it)",
                                         filename, line))
        return choice

    @staticmethod
    def _issue(severity, code, message, filename, line) -> Issue:
        return Issue(severity, code, message, filename, line, None, "schema")


    def display(self, path: str | None) -> str:
        """A schema path for reports: teikit's shipped grammars by name."""
        if path is None:
            return "-"
        if path not in self._shown:
            try:
                rel = Path(self.files.real(path)).relative_to(Path(self.files.real(self.schema_dir)))
                self._shown[path] = f"teikit:{rel}"
            except ValueError:
                self._shown[path] = path
        return self._shown[path]
