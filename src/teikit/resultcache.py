"""Results of `teikit validate` kept between runs: a content-addressed cache that never
calls an invalid file valid (application layer).

As ccache's manifest mode does, an entry holds the findings and the list of everything
the run that found them read: every `read` (the sha256 of the bytes, or their absence),
`is_file` and `real` the library asked of its `Files` (a teikit.runreads.Recorder notes them), and the
folder listings of the corpus-members check. An entry is used only when every one of
those still gives the same answer. The key holds the rest of the inputs: teikit's own
code, shipped schemas and stylesheets (`fingerprint`: their contents, not the version
number: teikit.project.code_digest, the build's own), the versions of Python, lxml/libxml2/libxslt,
elementpath and the other libraries teikit calls, the working directory (relative paths, XInclude roots) and every option
that changes results (schema, Schematron files, phase, catalogs with XML_CATALOG_FILES,
strict-schema, embedded-Schematron mode, cross-document mode, engine, pruning, exact
messages; not fail-on, jobs or the split over two CPUs). A run with the jing engine is
never cached (jing reads the grammars itself, where no Recorder sees it).

Two kinds of entry, in one JSON file per key (`Store`):
- **the run**: the whole report of one list of files. It depends on everything the run
  read (all documents included), so it is used as it is: a re-run of unchanged files costs
  start-up, reading and hashing them.
- **a file**: the findings of one file's own layers (RELAX NG and Schematron). It depends on
  the file itself and on everything the run read that is not one of the run's documents
  (grammars, Schematron, catalogs, what the cross-document checks read): the findings of
  a file's own layers depend on no other document. When some files changed, the library
  runs again over all of them (parsing, schema choice, XIncludes and the cross-document
  checks run over the whole set, exactly as without a cache), with the unchanged files'
  own findings put in place (`validate_documents(known_valid={path: findings})`).
  A file whose meaning involves other files is never cached on its own: one that
  XIncludes (its members' findings and the run's file set count), or one whose bytes
  hold `xml:base` or an entity declaration (findings may then be attributed to other
  files). A run with such a `xml:base` or entity file is not kept either.

Stored as JSON, never pickled; a cache file not owned by the user, writable by others, or
not what this module writes is ignored (and replaced). Written through a temporary file
and a rename; at most `MAX_FILES` file entries and `MAX_RUNS` run entries per key,
the least recently used dropped first, and at most `MAX_BUCKETS` keys per folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

from teikit.core.errors import Issue, OutputError
from teikit.disk import read_private, write_private
from teikit.keys import key
from teikit.runreads import Probe, Recorder
from teikit.validate.reports import FileResult, Report

VERSION = 2  # 2: the deps file entries share are kept once ("shared")
MAX_FILES = 10_000  # file entries per key (~1.5 kB each: the file is read whole)
MAX_RUNS = 8  # run entries (whole reports) per key
MAX_BUCKETS = 32  # keys (option sets, working directories, teikit versions) per folder
XINCLUDE_NS = b"http://www.w3.org/2001/XInclude"


# --- where ---------------------------------------------------------------------------------

CORPUS_RESULTS = (".teikit", "cache", "validate")  # in a teikit corpus, beside the build's caches


def folder_for(paths, user_cache: Path) -> Path:
    """Where results are kept: `$TEIKIT_CACHE/results` when TEIKIT_CACHE is set; else a teikit
    corpus's own `.teikit/cache/validate` when the first path is its `tei` folder (or a file
    in it); else the user cache folder's `results` (XDG_CACHE_HOME/teikit)."""
    if not os.environ.get("TEIKIT_CACHE") and paths:
        first = Path(str(paths[0]))
        tei = first if first.is_dir() else first.parent
        corpus = tei.parent
        if tei.name == "tei" and (corpus / "source" / "corpus.json").is_file():
            return corpus.joinpath(*CORPUS_RESULTS)
    return Path(user_cache) / "results"


def _private(folder: Path) -> Path:
    """The cache folder whose new folders down to `folder` are made private (write_private):
    a corpus's .teikit/cache, which holds the build's caches beside validate/ (and is made
    700 whichever writes first), else `folder` itself."""
    folder = Path(folder)
    return folder.parent if folder.parts[-len(CORPUS_RESULTS):] == CORPUS_RESULTS else folder


# --- what teikit is ------------------------------------------------------------------------

_FINGERPRINT: list = []
MEMO_NAME = "code-digest.memo"  # beside the stores (not *.json: not a key's store); teikit.project.CODE_MEMO
SETTLED_NS = 2_000_000_000  # a file changed less than this long ago may change again unseen


def fingerprint(memo_folder: Path | None = None) -> str:
    """What teikit is: teikit.project.code_digest (the sha256 of teikit's own code, shipped
    schemas and stylesheets, not a version number: an installed copy's modification times
    are those of its installation, which CI repeats on every run; Python's version and the
    installed versions of the libraries teikit calls, elementpath among them), and the
    libxml2 and libxslt lxml runs with (a system lxml may be linked to a newer libxml2);
    once per process. `memo_folder`: where code_digest is remembered (code_digest_memo)."""
    if _FINGERPRINT:
        return _FINGERPRINT[0]
    from lxml import etree

    h = hashlib.sha256()
    h.update(repr((VERSION, code_digest_memo(memo_folder), etree.LXML_VERSION, etree.LIBXML_VERSION,
                   etree.LIBXSLT_VERSION)).encode())
    _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def code_digest_memo(folder: Path | None) -> str:
    """teikit.project.code_digest, remembered in `folder` by what the files it reads are
    on disk: each one's inode, size, modification and change times (with the libraries'
    versions, which code_digest hashes as they are named). Exact as git's index is: a
    file's bytes cannot change without its change time (ctime) moving to the present, which
    no program can set back; a file replaced is another inode or another ctime. A memo is
    written only when every file is older than SETTLED_NS, so that a change within the
    clock's resolution of the memo's own time cannot go unseen, and only when the digest was
    made from the files as they are signed now (project.hashed_signature: this process's
    digest is of the files as it started; they may have changed since). Costs a stat per file
    (about 1 ms for teikit's ~140 files) instead of reading and hashing 2.7 MB."""
    from teikit import project

    if folder is None:
        return project.code_digest()
    signed = project.code_signature()
    if signed is None:
        return project.code_digest()
    signature, newest = signed
    path = Path(folder) / MEMO_NAME
    remembered = project.remembered_digest(path, signature)
    if remembered is not None:
        return remembered
    digest = project.code_digest()
    if newest < time.time_ns() - SETTLED_NS and project.hashed_signature() == signature:
        # (the digest is of these files as signed: not of files that changed since it was made)
        try:
            write_private(path, json.dumps({"signature": signature, "digest": digest}).encode("ascii"), _private(folder))
        except OutputError:
            pass
    return digest


#: the namespaces of what a grammar, a Schematron file or a catalog can pull in (RELAX NG
#: include/externalRef, sch:include, nextCatalog, XSD include, XSLT import)
SCHEMA_NAMESPACES = (b"http://relaxng.org/ns/structure/1.0", b"http://purl.oclc.org/dsdl/schematron",
                     b"http://www.ascc.net/xml/schematron", b"urn:oasis:names:tc:entity:xmlns:xml:catalog",
                     b"http://www.w3.org/2001/XMLSchema", b"http://www.w3.org/1999/XSL/Transform")


def schema_like(data: bytes | None) -> bool:
    """Whether a validated document may also be part of a grammar, Schematron or catalog of
    the run (it names one of their namespaces): such a document counts for every file, as the
    grammar a file names does, since another file's verdict may depend on it. Only a namespace
    declaration counts (a `<?xml-model?>` naming RELAX NG's namespace does not)."""
    return data is not None and (not_ascii_based(data) or _SCHEMA_NS_DECLARED.search(data) is not None)


_SCHEMA_NS_DECLARED = re.compile(rb"xmlns(?::[^\s=]+)?\s*=\s*[\"'](?:"
                                 + b"|".join(re.escape(ns) for ns in SCHEMA_NAMESPACES) + rb")[\"']")


def entangled(data: bytes | None) -> bool:
    """Can a file's findings be attributed to other files: does its tree carry xml:base
    (rngwalk then asks whether the file it names exists, possibly in a forked worker where
    no Recorder sees it)? An attribute name is never written with a character reference,
    so it is there literally, or made by an entity (which needs a literal declaration)."""
    return data is not None and (not_ascii_based(data) or b"xml:base" in data
                                 or (b"<!ENTITY" in data and b"<!DOCTYPE" in data))


def not_ascii_based(data: bytes) -> bool:
    """A file in UTF-16 or UTF-32 (a byte order mark, or NUL bytes where `<?xml` begins): the
    byte scans of this module would not see its markup, so it counts as entangled and as
    possibly part of a grammar (never cached on its own; it counts for every file)."""
    head = data[:4]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head


# --- JSON forms ----------------------------------------------------------------------------

def _issue_out(i: Issue) -> list:
    return [i.severity, i.code, i.message, i.file, i.line, i.col, i.layer]


def _issue_in(v) -> Issue:
    severity, code, message, file, line, col, layer = v
    for text in (severity, code, message):
        if not isinstance(text, str):
            raise TypeError("not an issue")
    return Issue(severity, code, message, file, line, col, layer)


def report_out(report: Report) -> dict:
    return {"files": [[f.path, [_issue_out(i) for i in f.issues], f.schema, f.layers] for f in report.files],
            "issues": [_issue_out(i) for i in report.issues]}


def report_in(data: dict) -> Report:
    files = [FileResult(path, [_issue_in(i) for i in issues], schema, layers)
             for path, issues, schema, layers in data["files"]]
    return Report(files, [_issue_in(i) for i in data["issues"]])


def _schemas_used(report: Report, options: dict) -> set[str]:
    """The real paths of the grammars, Schematron files and catalogs a run used (not
    teikit's shipped ones)."""
    named = [*options.get("catalogs", ()), *options.get("schematrons", ())]
    if isinstance(options.get("schema"), str) and options["schema"] not in ("auto", "none"):
        named.append(options["schema"])
    for result in report.files:
        info = result.schema or {}
        named += [info.get("rng"), *(info.get("schematron") or [])]
    return {os.path.realpath(p) for p in named
            if isinstance(p, str) and p != "-" and not p.startswith("teikit:")}


# --- the store -----------------------------------------------------------------------------

class Store:
    """One JSON file per key in `folder`: {"version", "files": {path: entry}, "runs": {hash:
    entry}, "shared": {hash: deps}}, each entry with its "deps" and when it was last "used".
    A file entry's deps are those of the "shared" list it names (what the run read that is
    no document: the same for every file of a run, so kept once, not once per file) followed
    by its own: `get` gives them joined, as they were put (`put_file`)."""

    def __init__(self, folder: Path, key: str):
        self.folder = Path(folder)
        self.path = self.folder / f"{key[:40]}.json"
        self.data = self._load()
        self.changed = False

    def _load(self) -> dict:
        empty = {"version": VERSION, "files": {}, "runs": {}, "shared": {}}
        raw = read_private(self.path)  # not ours alone: never trusted
        try:
            data = json.loads(raw) if raw is not None else None
        except ValueError:
            return empty
        if not (isinstance(data, dict) and data.get("version") == VERSION
                and isinstance(data.get("files"), dict) and isinstance(data.get("runs"), dict)
                and isinstance(data.get("shared"), dict)):
            return empty
        return data

    def get(self, kind: str, name: str):
        entry = self.data[kind].get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("deps"), list):
            return None
        if kind == "files":
            shared = entry.get("shared")
            shared = self.data["shared"].get(shared) if isinstance(shared, str) else None
            if not isinstance(shared, list):
                return None
            return {**entry, "deps": shared + entry["deps"]}
        return entry

    def share(self, deps: list) -> str:
        """The name of `deps` kept once for the file entries that name it (`put_file`)."""
        name = key(deps)
        self.data["shared"].setdefault(name, deps)
        return name

    def put_file(self, name: str, shared: str, deps: list, own: list) -> None:
        """A file's entry: its findings `own`, valid while the deps of `shared` (a name
        `share` gave) and then `deps` hold."""
        self.put("files", name, {"shared": shared, "deps": deps, "own": own})

    def put(self, kind: str, name: str, entry: dict) -> None:
        entry["used"] = time.time()
        self.data[kind][name] = entry
        self.changed = True

    def touch(self, kind: str, name: str) -> None:
        self.data[kind][name]["used"] = time.time()

    def save(self) -> None:
        """Write the file atomically (a cache that cannot be written is only slower)."""
        if not self.changed:
            return
        for kind, limit in (("files", MAX_FILES), ("runs", MAX_RUNS)):
            entries = self.data[kind]
            if len(entries) > limit:
                keep = sorted(entries, key=lambda k: -_used(entries[k]))[:limit]
                self.data[kind] = {k: entries[k] for k in keep}
        named = {e.get("shared") for e in self.data["files"].values()
                 if isinstance(e, dict) and isinstance(e.get("shared"), str)}
        self.data["shared"] = {k: v for k, v in self.data["shared"].items() if k in named}
        try:
            write_private(self.path, json.dumps(self.data, separators=(",", ":")).encode("ascii"), _private(self.folder))
            self._evict_buckets()
        except (OSError, OutputError):
            pass

    def _evict_buckets(self) -> None:
        try:
            buckets = [p for p in self.folder.glob("*.json") if p.is_file()]
            if len(buckets) <= MAX_BUCKETS:
                return
            buckets.sort(key=lambda p: p.stat().st_mtime)
            for old in buckets[:len(buckets) - MAX_BUCKETS]:
                if old != self.path:
                    old.unlink()
        except OSError:
            pass


def _holds_stores(folder: Path) -> bool:
    """Whether `folder` holds any key's store (Store's *.json): if not, no lookup can find
    anything, and the key is needed only to write."""
    try:
        return any(name.endswith(".json") for name in os.listdir(folder))
    except OSError:
        return False


def _used(entry) -> float:
    used = entry.get("used") if isinstance(entry, dict) else None
    return used if isinstance(used, (int, float)) else 0.0


# --- a cached run --------------------------------------------------------------------------

def run(files: list[str], options: dict, folder: Path, validate, disk, listing, run_also=(),
        known_valid=frozenset()) -> Report:
    """The report of `validate(files_obj, listing, known)` over `files`, from the cache
    when everything it read is unchanged; `validate` is called (with a `Recorder`, a
    recording listing and the own-layer findings of the files whose entries hold) otherwise,
    and what it found is kept. `options`: everything else the findings depend on;
    `run_also`: what else the whole run's report depends on (not one file's own findings).
    `known_valid`: files whose own layers the caller says passed (an incremental build):
    they are neither looked up nor kept, and the run is not kept whole."""
    from teikit.workers import Side

    probe = Probe(disk, listing, files)
    # with no store in the folder (a first run) nothing can be looked up: teikit's digest, for
    # the key, is made beside the run's per-file work, with what the key's files are
    store = Store(folder, key(VERSION, fingerprint(folder), os.getcwd(), options)) if _holds_stores(folder) else None
    side = Side(lambda: (fingerprint(folder) if store is None else None, probe.digests(),
                         {p: (schema_like(probe.bytes(p)), entangled(probe.bytes(p))) for p in files}))
    run_name = key(files, list(run_also))
    entry = None if known_valid or store is None else store.get("runs", run_name)
    if entry is not None and probe.holds(entry["deps"]):
        try:
            report = report_in(entry["report"])
            report.own = None
            return report
        except (KeyError, TypeError, ValueError):
            pass
    known, used_deps = {p: list(known_valid[p]) if isinstance(known_valid, dict) else () for p in known_valid}, []
    for path in files:  # an entry is kept only for a file that XIncluded nothing, as these bytes
        entry = None if path in known or store is None else store.get("files", path)
        if entry is not None and probe.holds(entry["deps"]):
            try:
                known[path] = [_issue_in(i) for i in entry["own"]]
            except (KeyError, TypeError, ValueError):
                continue
            used_deps += entry["deps"]
            store.touch("files", path)
    recorder = Recorder(probe)
    report = validate(recorder, recorder.listing, known, side=side)
    digest, digests, scans = side.value()
    probe.settle(digests)
    if store is None:
        store = Store(folder, key(VERSION, digest, os.getcwd(), options))
    # a document that is also a grammar, Schematron or catalog of the run counts as shared
    used = _schemas_used(report, options)
    real = {p: probe.answers.get(("real", p)) or os.path.realpath(p) for p in files}  # Disk.real is realpath
    documents = {p for p in files if real[p] not in used and not scans[p][0]}  # scans: schema_like, entangled
    tangled = {p for p in files if scans[p][1]}
    shared, by_document, every = [], {}, recorder.deps()
    for dep in every:
        if dep[1] in documents:
            by_document.setdefault(dep[1], []).append(dep)
        elif dep[0] != "list":  # listings serve the cross-document checks only
            shared.append(dep)
    own = getattr(report, "own", None) or {}
    kept = [p for p in files if p in own and p not in known and p not in tangled]
    shared_name = store.share(shared) if kept else None
    for path in kept:
        store.put_file(path, shared_name, by_document.get(path, []), [_issue_out(i) for i in own[path]])
    if not known_valid and not tangled:
        deps = every + [d for d in used_deps if tuple(d[:2]) not in recorder.asked]
        store.put("runs", run_name, {"deps": deps, "report": report_out(report)})
    elif known:
        store.changed = True  # the files used were touched
    store.save()
    probe.data.clear()  # the bytes of the run: not kept by whatever keeps the Files
    return report
