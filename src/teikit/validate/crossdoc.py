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
from teikit.core.names import TEI_NS, XML_NS
from teikit.validate import xdocfacts
from teikit.validate.owntree import member_content, memo, one_pass, own_with, root_of, teikit_id
from teikit.validate.pointers import FileIds, RealPaths, expand_pointer, file_pointer
from teikit.validate.xdocfacts import Facts, compiled_prefixes

NS = {"t": TEI_NS}
XML_BASE = f"{{{XML_NS}}}base"
TEI, TEI_CORPUS = f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"
SHORTCUTS = True  # False: every file and member checked element by element (tests compare both)


@dataclass(frozen=True)
class Around:
    """What the checks may read beyond their trees: files through `files`, the XML
    files of a folder (`listing(folder)` -> sorted paths in it), and `facts`: {path:
    teikit.validate.xdocfacts.Facts} of trees already looked at elsewhere (a worker process
    that parsed the file), which must be what xdocfacts.facts gives for the tree checked;
    any tree without is looked at here."""

    files: Files = field(default_factory=MemoryFiles)
    listing: Callable[[str], list] = lambda folder: []
    facts: dict = field(default_factory=dict)


def facts_of(path: str, tree, around: Around | None = None) -> Facts:
    """The facts of the run's file `path` (its tree `tree`): handed over, else computed
    (once per tree while an owntree.one_pass() session lasts)."""
    given = around.facts.get(path) if around is not None else None
    return given if given is not None else xdocfacts.facts(tree)


def all_facts(trees: dict, around: Around | None = None) -> dict:
    """{path: facts_of(path, tree)} of a set of trees, made once per set while an
    owntree.one_pass() session lasts."""
    return memo("all-facts", trees, lambda: {p: facts_of(p, t, around) for p, t in trees.items()})


def _file_ids(trees: dict, around: Around) -> FileIds:
    facts = all_facts(trees, around)
    return FileIds(trees, around.files, ids_of=lambda path: facts[path].ids)


def _issue(code: str, message: str, path: str, el, severity: str = "error") -> Issue:
    return Issue(severity, f"xdoc:{code}", message, path, getattr(el, "sourceline", None), None, "xdoc")


def _severity(facts: Facts) -> str:
    """Broken pointers are errors in teikit's own files; in anyone else's TEI they may point
    to files that are simply not part of this run (page images, other volumes): warnings."""
    return "error" if facts.teikit_id is not None else "warning"


def docid_filename(trees: dict, around: Around | None = None) -> list[Issue]:
    out = []
    for path, facts in all_facts(trees, around).items():
        if facts.tag != TEI or facts.teikit_id is None or _named_after(path, facts.xml_id):
            continue
        stem = Path(path).stem
        if facts.xml_id != stem:
            out.append(Issue("error", "xdoc:docid-filename",
                             f"TEI/@xml:id {facts.xml_id!r} differs from the file name {stem!r}; "
                             f"rename the file or correct the id (ids are pinned in corpus/idmap.json)",
                             path, facts.line, None, "xdoc"))
    return out


def _named_after(path: str, xml_id: str | None) -> bool:
    """Is Path(path).stem == xml_id, told without a Path where the name is `<xml_id>.xml`?"""
    return bool(xml_id) and "/" not in xml_id and (path.endswith(f"/{xml_id}.xml") or path == f"{xml_id}.xml")


def _broken(ids, frag: str) -> bool:
    """Does a pointer into a file with these ids (None: no such file) fail?"""
    return ids is None or bool(frag) and frag not in ids


def _all_resolve(values, resolved: set, pointer_of, files: FileIds, base: str) -> bool:
    """Do all these attribute values resolve? (`pointer_of(stripped value)` -> (file,
    fragment) or None for no pointer; `resolved`: values known to resolve, added to)."""
    if not SHORTCUTS:
        return False
    if values <= resolved:
        return True
    for value in values - resolved:
        pointer = pointer_of(value.strip())
        if pointer is not None and _broken(files.ids(base, pointer[0]), pointer[1]):
            return False
        resolved.add(value)
    return True


class _Prefixes:
    """A file's prefix definitions (Facts.prefixes) compiled, with the expansion of each
    pointer value found once."""

    def __init__(self, defs: tuple):
        self.table = compiled_prefixes(defs)
        self.known: dict = {}

    def pointer_of(self, value: str):
        pointer = self.known.get(value, False)
        if pointer is False:
            pointer = self.known[value] = expand_pointer(value, self.table)
        return pointer


def ref_registry(trees: dict, around: Around | None = None) -> list[Issue]:
    """`prefix:key` pointers (@ref, @sameAs) name an entry of the registry the prefixDef
    points to. A file all of whose attribute values that may be pointers resolve
    (xdocfacts: a superset of its pointers, checked once per distinct value and folder)
    has no finding; any other file is checked element by element (`_ref_registry_file`)."""
    around = around or Around()
    files = _file_ids(trees, around)
    out = []
    tables: dict = {}  # prefix definitions -> _Prefixes (the same definitions, the same expansions)
    resolved: dict = {}  # (prefix definitions, folder) -> values that resolve
    for path, facts in all_facts(trees, around).items():
        if not facts.prefixes:
            continue
        table = tables.get(facts.prefixes)
        if table is None:
            table = tables[facts.prefixes] = _Prefixes(facts.prefixes)
        if not table.table:
            continue
        base = os.path.dirname(path)
        done = resolved.get((facts.prefixes, base))
        if done is None:
            done = resolved[facts.prefixes, base] = set()
        if not _all_resolve(facts.values, done, table.pointer_of, files, base):
            out += _ref_registry_file(path, root_of(trees[path]), _severity(facts), table.pointer_of, files)
    return out


def _pointers(root, attrs: tuple, pointer_of, files: FileIds, base: str):
    """(element, attribute, value, file part, fragment, the ids of that file or None when it
    does not exist) of every pointer in `attrs` of the file's own elements, in document order."""
    for el in own_with(root, *attrs):
        for attr in attrs:
            value = (el.get(attr) or "").strip()
            pointer = pointer_of(value)
            if pointer is not None:
                file_part, frag = pointer
                yield el, attr, value, file_part, frag, files.ids(base, file_part)


def _ref_registry_file(path: str, root, severity: str, pointer_of, files: FileIds) -> list[Issue]:
    base = os.path.dirname(path)
    out = []
    missing_reported: set[str] = set()
    for el, attr, value, file_part, frag, ids in _pointers(root, ("ref", "sameAs"), pointer_of, files, base):
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
    """`file.xml#id` pointers (@target, @ref, @corresp) resolve; a file whose possible
    pointers all resolve has no finding (as ref_registry), any other is checked element by
    element (`_ref_file_file`)."""
    around = around or Around()
    files = _file_ids(trees, around)
    out = []
    known: dict = {}
    resolved: dict = {}  # folder -> values that resolve

    def pointer_of(value):
        return file_pointer(value, known)

    for path, facts in all_facts(trees, around).items():
        base = os.path.dirname(path)
        done = resolved.get(base)
        if done is None:
            done = resolved[base] = set()
        if not _all_resolve(facts.values, done, pointer_of, files, base):
            out += _ref_file_file(path, root_of(trees[path]), _severity(facts), pointer_of, files)
    return out


def _ref_file_file(path: str, root, severity: str, pointer_of, files: FileIds) -> list[Issue]:
    base = os.path.dirname(path)
    out = []
    missing: dict[str, list] = {}  # a missing file: one finding, with its count
    for el, attr, value, file_part, frag, ids in _pointers(root, ("target", "ref", "corresp"), pointer_of, files, base):
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


_KINDS = etree.XPath("number(boolean(t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange))"
                     " + 2 * number(boolean(t:text/t:body/t:div[@type='document']))", namespaces=NS)


def _corpora(trees: dict, around: Around | None):
    for path, tree in trees.items():
        if facts_of(path, tree, around).tag == TEI_CORPUS:
            yield path, root_of(tree)


def catref_declared(trees: dict, around: Around | None = None) -> list[Issue]:
    """catRef/@target, catRef/@scheme and keywords/@scheme in a teiCorpus's members point
    to categories its own header declares; classification terms are categories of its
    classification taxonomy. A member's catRefs and keywords are read from its content
    (xdocfacts.deep_of: the member's own tree where the copy stands for it)."""
    out = []
    for cpath, corpus in _corpora(trees, around):
        declared = {i for i in facts_of(cpath, corpus, around).ids if i}
        name = Path(cpath).name
        members = [m for m in corpus if isinstance(m.tag, str) and m.get(XML_BASE)]
        for member in members:
            deep = xdocfacts.deep_of(member_content(member))
            if SHORTCUTS and deep.tokens <= declared and ("classification" not in declared or deep.classes <= declared):
                continue  # nothing undeclared (Deep.tokens, Deep.classes)
            mpath = str(Path(cpath).parent / member.get(XML_BASE))
            checks = [("catRef", "target", value, line) for value, _, line in deep.cat_refs]
            checks += [("catRef", "scheme", value, line) for _, value, line in deep.cat_refs]
            checks += [("keywords", "scheme", value, line) for value, line, _ in deep.keywords]
            for element, attr, value, line in checks:
                for token in (value or "").split():
                    if token.startswith("#") and token[1:] not in declared:
                        out.append(Issue("error", "xdoc:catref-declared",
                                         f"{element}/@{attr}=\"{token}\" is declared nowhere in "
                                         f"{name}'s header (encodingDesc/classDecl)", mpath, line, None, "xdoc"))
            # a classification term is a category of the corpus's classification taxonomy
            if "classification" not in declared:
                continue
            for text, line in (term for scheme, _, terms in deep.keywords if scheme == "#classification" for term in terms):
                if f"cls-{text}" not in declared:
                    out.append(Issue("error", "xdoc:catref-declared",
                                     f"classification term {text!r} is not a category of the classification "
                                     f"taxonomy in {name}'s header (add it to reader.classification "
                                     f"in corpus.json)", mpath, line, None, "xdoc"))
    return out


def corpus_members(trees: dict, around: Around | None = None) -> list[Issue]:
    around = around or Around()
    out = []
    for cpath, corpus in _corpora(trees, around):
        folder = Path(cpath).parent
        hrefs = list(facts_of(cpath, corpus, around).includes)  # the xi:includes left, anywhere
        hrefs += [m.get(XML_BASE) for m in corpus if isinstance(m.tag, str) and m.get(XML_BASE)]
        counts: dict[str, int] = {}
        for h in hrefs:
            counts[h] = counts.get(h, 0) + 1
        for h, n in sorted(counts.items()):
            if n > 1:
                out.append(_issue("corpus-members", f"{h} is included {n} times; include each document once", cpath, corpus))
        docs = 0
        name = Path(cpath).name
        for p in map(Path, around.listing(str(folder))):
            if p.name == name:
                continue
            tree = trees.get(str(p))
            if tree is not None:
                facts = facts_of(str(p), tree, around)
                tag, teikit = facts.tag, facts.teikit_id
            else:  # not in the run: read here
                parsed, _ = xmlsafe.parse_file(str(p), around.files)
                tree = root_of(parsed) if parsed is not None else None
                tag, teikit = (tree.tag, teikit_id(tree)) if tree is not None else (None, None)
            if tag != TEI or teikit is None:
                continue
            kinds = int(_KINDS(root_of(tree)))
            if not kinds & 1:  # no citedRange of a digital source
                continue
            docs += bool(kinds & 2)  # a div[@type='document']
            if p.name not in counts:
                out.append(_issue("corpus-members", f"{p.name} is not included in {name}; rebuild with `teikit build`",
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


def groups(trees: dict, mode: bool | None, files: Files | None = None,
           around: Around | None = None) -> list[list[str]]:
    """The sets of files checked together. `mode` True: all files one set; False: none;
    None: files form a set only where they belong together: a teiCorpus and the files it
    includes, the files of one teikit corpus folder; every other file is a set of its own
    (its ids are its own, and pointers to other files are checked against the disk).
    `files` gives the real paths and tells a teikit corpus folder; `around.facts` the
    facts of trees already looked at (crossdoc.facts_of)."""
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
        facts = facts_of(path, trees[path], around)
        if facts.tag == TEI_CORPUS:
            base = os.path.dirname(path)
            for href in facts.bases:  # the roots of included subtrees
                if href:
                    member = resolved.find(base, href)[1]
                    if member is not None:
                        union(member, path)
    out: dict[str, list[str]] = {}
    for path in paths:
        out.setdefault(find(path), []).append(path)
    return list(out.values())


CHECKS = [docid_filename, ref_registry, ref_file, catref_declared, corpus_members]


# --- all the checks (the validator runs them over each set of files) -----------------------------

def duplicate_ids_across(trees: dict, around: Around | None = None) -> list[Issue]:
    """`xdoc:duplicate-id`: an `@xml:id` used in more than one file. A file none of whose
    own ids (teikit.validate.xdocfacts) an earlier file defines has no finding; only the
    files that share one are walked element by element, and the line of an id's first
    definition is looked up when a later file repeats it."""
    first: dict[str, str] = {}  # id -> the first file defining it
    issues = []
    for path, facts in all_facts(trees, around).items():
        ids = facts.ids
        if SHORTCUTS and first.keys().isdisjoint(ids):
            first.update(dict.fromkeys(ids, path))
            continue
        attr = f"{{{XML_NS}}}id"
        local = set()
        for el in own_with(root_of(trees[path]), attr):
            value = el.get(attr)
            if value in local:
                continue
            local.add(value)
            if value in first:
                where = first[value]
                issues.append(Issue("error", "xdoc:duplicate-id",
                                    f"xml:id {value!r} is also defined in {where}:{_first_line(trees[where], value)}",
                                    path, el.sourceline, None, "xdoc"))
            else:
                first[value] = path
    return issues


def _first_line(tree, value: str):
    """The line of the first of a tree's own elements with this xml:id."""
    attr = f"{{{XML_NS}}}id"
    return next(el.sourceline for el in own_with(root_of(tree), attr) if el.get(attr) == value)


#: each check(trees, around) -> Issues; others may append
CROSS_DOCUMENT_CHECKS: list[Callable[[dict, Around], list[Issue]]] = [duplicate_ids_across, *CHECKS]


def cross_document_checks(trees: dict, around: Around | None = None) -> list[Issue]:
    """Run every check in CROSS_DOCUMENT_CHECKS over {path: tree}; files pointed to that
    are not among the trees are read through `around` (default: none can be read)."""
    around = around if around is not None else Around()
    issues = []
    with one_pass():  # the trees do not change meanwhile: per-tree facts computed once
        for check in CROSS_DOCUMENT_CHECKS:
            issues += check(trees, around)
    return issues
