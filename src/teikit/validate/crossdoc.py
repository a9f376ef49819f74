"""Cross-document checks: what no single-file schema can see.

Each check takes {path: parsed tree} (corpus.xml with its XIncludes expanded, the included
roots marked with xml:base) and returns findings with stable `xdoc:` codes:

* `xdoc:docid-filename`  a teikit document's `TEI/@xml:id` equals its file name
* `xdoc:ref-registry`    a `pers:`/`place:`/`org:` pointer names an entry of the registry file
                         its prefix definition points to (a missing registry file is one
                         finding per file and registry)
* `xdoc:ref-file`        `ref[@type='document']/@target` and `file.xml#id` pointers resolve
* `xdoc:catref-declared` `catRef/@target`, `keywords/@scheme` and classification terms resolve in the taxonomy of the
                         teiCorpus that includes the document
* `xdoc:corpus-members`  every teikit document beside a corpus.xml is included exactly once,
                         and the corpus header's document count is right

They apply to teikit's own corpus (files with `idno[@type='teikit']`) and to pointers that
follow the same conventions in anyone's TEI; a file outside those conventions gets none.
A file pointed to that is not among the trees is read through the `Files` object of the
`Around` each check is handed, which also lists a folder's XML files (teikit.core.files;
the application layer hands over the file system's).

A tree's own elements and the per-pass memo: teikit.validate.owntree; where pointers lead
(real paths, the ids of a file pointed to, prefixDef expansion): teikit.validate.pointers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from lxml import etree

from teikit.core.files import Files, MemoryFiles
from teikit.core import xmlsafe
from teikit.core.errors import Issue
from teikit.core.names import TEI_NS, XI_NS, XML_NS
from teikit.validate.owntree import included_roots, member_content, own_elements, own_with, root_of, teikit_id
from teikit.validate.pointers import FileIds, RealPaths, expand_pointer, file_pointer
from teikit.validate.pointers import prefixes as pointer_prefixes

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_BASE = f"{{{XML_NS}}}base"


@dataclass(frozen=True)
class Around:
    """What the checks may read beyond their trees: files through `files`, and the XML
    files of a folder (`listing(folder)` -> sorted paths in it)."""

    files: Files = field(default_factory=MemoryFiles)
    listing: Callable[[str], list] = lambda folder: []


def _issue(code: str, message: str, path: str, el, severity: str = "error") -> Issue:
    return Issue(severity, f"xdoc:{code}", message, path, getattr(el, "sourceline", None), None, "xdoc")


def _severity(root) -> str:
    """Broken pointers are errors in teikit's own files; in anyone else's TEI they may point
    to files that are simply not part of this run (page images, other volumes): warnings."""
    return "error" if teikit_id(root) is not None else "warning"


def docid_filename(trees: dict, around: Around | None = None) -> list[Issue]:
    out = []
    for path, tree in trees.items():
        root = root_of(tree)
        if root.tag != f"{{{TEI_NS}}}TEI" or teikit_id(root) is None:
            continue
        stem = Path(path).stem
        if root.get(XML_ID) != stem:
            out.append(_issue("docid-filename",
                              f"TEI/@xml:id {root.get(XML_ID)!r} differs from the file name {stem!r}; "
                              f"rename the file or correct the id (ids are pinned in corpus/idmap.json)", path, root))
    return out


def ref_registry(trees: dict, around: Around | None = None) -> list[Issue]:
    files = FileIds(trees, (around or Around()).files)
    out = []
    expanded: dict = {}  # prefix definitions -> {pointer: (file, fragment) or None}: once each
    for path, tree in trees.items():
        root = root_of(tree)
        prefixes = pointer_prefixes(root)
        if not prefixes:
            continue
        signature = tuple((k, rx.pattern, rep) for k, (rx, rep) in prefixes.items())
        base = os.path.dirname(path)
        severity = _severity(root)
        missing_reported: set[str] = set()
        known = expanded.setdefault(signature, {})
        for el in own_with(root, "ref", "sameAs"):
            for attr in ("ref", "sameAs"):
                value = (el.get(attr) or "").strip()
                pointer = known.get(value, False)
                if pointer is False:
                    pointer = known[value] = expand_pointer(value, prefixes)
                if pointer is None:
                    continue
                file_part, frag = pointer
                ids = files.ids(base, file_part)
                if ids is None:
                    if file_part not in missing_reported:
                        missing_reported.add(file_part)
                        out.append(_issue("ref-registry", f"registry file {file_part!r} (for @{attr}=\"{value}\") does not exist "
                                          f"beside {Path(path).name}; write it with `teikit build`", path, el, severity))
                elif frag and frag not in ids:
                    out.append(_issue("ref-registry", f"@{attr}=\"{value}\" names no entry of {file_part}: no xml:id {frag!r}; "
                                      f"add it to the registry (data/registry) or correct the reference", path, el, severity))
    return out


def ref_file(trees: dict, around: Around | None = None) -> list[Issue]:
    files = FileIds(trees, (around or Around()).files)
    out = []
    known: dict = {}
    for path, tree in trees.items():
        root = root_of(tree)
        base = os.path.dirname(path)
        severity = _severity(root)
        missing: dict[str, list] = {}  # a missing file: one finding, with its count
        for el in own_with(root, "target", "ref", "corresp"):
            for attr in ("target", "ref", "corresp"):
                value = (el.get(attr) or "").strip()
                pointer = file_pointer(value, known)
                if pointer is None:
                    continue
                file_part, frag = pointer
                ids = files.ids(base, file_part)
                if ids is None:
                    if file_part in missing:
                        missing[file_part][1] += 1
                        continue
                    missing[file_part] = [len(out), 1]
                    out.append(_issue("ref-file", f"@{attr}=\"{value}\": file {file_part!r} does not exist", path, el, severity))
                elif frag and frag not in ids:
                    out.append(_issue("ref-file", f"@{attr}=\"{value}\": {file_part} has no xml:id {frag!r}", path, el, severity))
        for index, count in missing.values():
            if count > 1:
                first = out[index]
                out[index] = Issue(first.severity, first.code, f"{first.message} ({count} pointers to it in this file; "
                                   "the first is here)", first.file, first.line, first.col, first.layer)
    return out


def _corpora(trees: dict):
    for path, tree in trees.items():
        root = root_of(tree)
        if root.tag == f"{{{TEI_NS}}}teiCorpus":
            yield path, root


def catref_declared(trees: dict, around: Around | None = None) -> list[Issue]:
    out = []
    for cpath, corpus in _corpora(trees):
        declared = {el.get(XML_ID) for el in own_elements(corpus) if el.get(XML_ID)}
        members = [m for m in corpus if isinstance(m.tag, str) and m.get(XML_BASE)]
        for member in members:
            mpath = str(Path(cpath).parent / member.get(XML_BASE))
            member = member_content(member)  # its own tree where a stub stands for it
            checks = [(el, "target") for el in member.iterfind(".//t:catRef", NS)]
            checks += [(el, "scheme") for el in member.iterfind(".//t:catRef", NS)]
            checks += [(el, "scheme") for el in member.iterfind(".//t:keywords", NS)]
            for el, attr in checks:
                value = el.get(attr) or ""
                for token in value.split():
                    if token.startswith("#") and token[1:] not in declared:
                        out.append(_issue("catref-declared",
                                          f"{etree.QName(el).localname}/@{attr}=\"{token}\" is declared nowhere in "
                                          f"{Path(cpath).name}'s header (encodingDesc/classDecl)", mpath, el))
            # a classification term is a category of the corpus's classification taxonomy
            for term in member.iterfind(".//t:keywords[@scheme='#classification']/t:term", NS):
                if "classification" in declared and f"cls-{term.text}" not in declared:
                    out.append(_issue("catref-declared",
                                      f"classification term {term.text!r} is not a category of the classification "
                                      f"taxonomy in {Path(cpath).name}'s header (add it to reader.classification "
                                      f"in corpus.json)", mpath, term))
    return out


def corpus_members(trees: dict, around: Around | None = None) -> list[Issue]:
    around = around or Around()
    out = []
    for cpath, corpus in _corpora(trees):
        folder = Path(cpath).parent
        hrefs = [inc.get("href") for inc in corpus.iter(f"{{{XI_NS}}}include")]
        hrefs += [m.get(XML_BASE) for m in corpus if isinstance(m.tag, str) and m.get(XML_BASE)]
        counts: dict[str, int] = {}
        for h in hrefs:
            counts[h] = counts.get(h, 0) + 1
        for h, n in sorted(counts.items()):
            if n > 1:
                out.append(_issue("corpus-members", f"{h} is included {n} times; include each document once", cpath, corpus))
        docs = 0
        for p in map(Path, around.listing(str(folder))):
            if p.name == Path(cpath).name:
                continue
            tree = trees.get(str(p))
            root = root_of(tree) if tree is not None else None
            if root is None:
                parsed, _ = xmlsafe.parse_file(str(p), around.files)
                root = root_of(parsed) if parsed is not None else None
            if root is None or root.tag != f"{{{TEI_NS}}}TEI" or teikit_id(root) is None:
                continue
            if root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange", NS) is None:
                continue
            has_doc = root.find("t:text/t:body/t:div[@type='document']", NS) is not None
            docs += has_doc
            if p.name not in counts:
                out.append(_issue("corpus-members", f"{p.name} is not included in {Path(cpath).name}; rebuild with `teikit build`",
                                  cpath, corpus))
        measure = corpus.find("t:teiHeader/t:fileDesc/t:extent/t:measure[@unit='document']", NS)
        if measure is not None and measure.get("quantity") not in (None, str(docs)):
            out.append(_issue("corpus-members", f"the corpus header counts {measure.get('quantity')} documents, "
                              f"the folder holds {docs}", cpath, measure))
    return out


def _teikit_corpus_folder(folder: str, known: dict, files: Files) -> str | None:
    """The (resolved) folder of a file, if it holds a teikit corpus's TEI files
    (`<corpus>/tei` beside `<corpus>/source/corpus.json`); each folder looked at once."""
    if folder not in known:
        config = os.path.join(os.path.dirname(folder), "source", "corpus.json")
        known[folder] = folder if files.is_file(config) else None
    return known[folder]


def groups(trees: dict, mode: bool | None, files: Files | None = None) -> list[list[str]]:
    """The sets of files checked together. `mode` True: all files one set; False: none;
    None: files form a set only where they belong together: a teiCorpus and the files it
    includes, the files of one teikit corpus folder; every other file is a set of its own
    (its ids are its own, and pointers to other files are checked against the disk).
    `files` gives the real paths and tells a teikit corpus folder."""
    files = files if files is not None else MemoryFiles()
    paths = list(trees)
    if mode is False or not paths:
        return []
    if mode is True:
        return [paths]
    parent = {p: p for p in paths}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def union(a, b):
        parent[find(a)] = find(b)

    resolved = RealPaths(trees, files)
    folders: dict[str, str] = {}
    known: dict = {}
    for path in paths:
        folder = _teikit_corpus_folder(os.path.dirname(resolved.real(path)), known, files)
        if folder is not None:
            union(path, folders.setdefault(folder, path))
        root = root_of(trees[path])
        if root.tag == f"{{{TEI_NS}}}teiCorpus":
            base = os.path.dirname(path)
            for el in included_roots(root):
                if el.get(XML_BASE):
                    member = resolved.find(base, el.get(XML_BASE))[1]
                    if member is not None:
                        union(member, path)
    out: dict[str, list[str]] = {}
    for path in paths:
        out.setdefault(find(path), []).append(path)
    return list(out.values())


CHECKS = [docid_filename, ref_registry, ref_file, catref_declared, corpus_members]
