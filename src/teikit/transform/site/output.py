"""Writing the site: the manifest-keyed writer, the downloads, deterministic zips and texts.

Outputs are named by their path relative to the manifest's folder ("site/index.html",
"text/corpus.txt"); the writer reads what an earlier build left through a `Files` and puts
what it makes into a `Sink` (teikit.core.files), both handed over by the application layer
(teikit.sitedir), which also removes the stale outputs and writes the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from teikit.transform.site.corpus import CORPUS_FILE, Member, sha

MANIFEST_VERSION = 2
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: files offered for download when they exist at build time (looked for beside the corpus
#: folder, i.e. the repository root, and in the build folder)
OPTIONAL_DOWNLOADS = (("CITATION.cff", "How to cite the edition (CITATION.cff)"),
                      ("cmif.xml", "Letter index (CMIF, cmif.xml)"))


@dataclass
class SiteResult:
    pages: int = 0
    transformed: list[str] = field(default_factory=list)  # outputs written by a transform this run
    skipped: int = 0  # outputs whose key was unchanged
    removed: list[str] = field(default_factory=list)
    text_files: int = 0
    search: str = ""  # what became of the search index: 'indexed N records', 'unchanged', 'off'
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step ('search' apart)
    records: list[dict] = field(default_factory=list)  # the Pagefind records (see site.search)


def key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def zip_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """A deterministic zip of (name, data) pairs: fixed dates and modes, names in the given order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def downloads_param(items: list[tuple[str, str, int]]) -> str:
    """The stylesheet parameter `downloads`: one line 'href TAB label TAB bytes' per item."""
    return "\n".join(f"{href}\t{label}\t{size}" for href, label, size in items)


def body_text(text: str) -> str:
    """The text rendering without its header block ('Title: ...' lines up to the first blank line)."""
    if text.startswith("Title: ") and "\n\n" in text:
        return text.split("\n\n", 1)[1]
    return text


def corpus_text(texts: list[tuple[Member, str]]) -> str:
    """Every document's text in the given (date) order, each after a separator line with its id."""
    return "\n".join(f"==== {m.doc_id} ====\n\n{t}" for m, t in texts)


class Writer:
    """Writes outputs whose key changed; keeps the manifest of keys and output hashes.

    Every output of a build goes through `emit` (or is declared by `keep`), so `stale` lists
    what an earlier build wrote and this one did not: a rebuild equals a clean build.
    `previous` (a Files) reads the outputs as they are, by name; `sink` (a Sink) takes the
    new ones; `old_manifest` is the manifest's bytes (None: no earlier build)."""

    def __init__(self, sink, previous, old_manifest: bytes | None, result: SiteResult):
        self.sink = sink
        self.previous = previous
        self.result = result
        try:
            old = json.loads(old_manifest) if old_manifest else {}
        except ValueError:
            old = {}
        self.old = old.get("outputs", {}) if isinstance(old, dict) and old.get("version") == MANIFEST_VERSION else {}
        self.new: dict[str, dict] = {}

    def fresh(self, name: str, key_: str) -> bytes | None:
        """The bytes of output `name` when its key is unchanged and the file intact, else None."""
        entry = self.old.get(name)
        if entry and entry.get("key") == key_:
            data = self.previous.read(name)
            if data is not None and sha(data) == entry.get("sha256"):
                return data
        return None

    def emit(self, name: str, key_: str, produce, *, transformed: bool = True) -> bytes:
        """Write `produce()` (bytes) as `name` unless the key and the file are unchanged; return the bytes."""
        data = self.fresh(name, key_)
        if data is not None:
            self.new[name] = self.old[name]
            self.result.skipped += 1
            return data
        data = produce()
        if self.previous.read(name) != data:  # same bytes: left alone (its mtime too)
            self.sink.write(name, data)
        if transformed:
            self.result.transformed.append(name)
        self.new[name] = {"key": key_, "sha256": sha(data)}
        return data

    def keep(self, name: str, key_: str, digest: str) -> None:
        """Record an output written by someone else (a folder: digest of its listing)."""
        self.new[name] = {"key": key_, "sha256": digest, "folder": True}

    def old_key(self, name: str) -> str | None:
        entry = self.old.get(name)
        return entry.get("key") if entry else None

    def stale(self) -> list[tuple[str, bool]]:
        """(name, is a folder) of every output of the earlier build that this one did not make."""
        return [(name, bool(self.old[name].get("folder"))) for name in sorted(set(self.old) - set(self.new))]

    def manifest(self) -> bytes:
        """The new manifest: version, and per output its key and sha256."""
        body = json.dumps({"version": MANIFEST_VERSION, "outputs": dict(sorted(self.new.items()))},
                          indent=1, sort_keys=True)
        return (body + "\n").encode("utf-8")


def write_downloads(writer: Writer, site: str, corpus_bytes: bytes, members: list[Member],
                    extra: list[tuple[str, bytes]]) -> list[tuple[str, str, int]]:
    """Write the zip of the TEI folder and the extra files (name, bytes) to <site>/downloads/;
    return (href, label, bytes) of every download the about page lists."""
    files = sorted([(m.path.name, m) for m in members], key=lambda x: x[0])
    zkey = key("zip", sha(corpus_bytes), [(n, m.digest) for n, m in files])
    data = writer.emit(f"{site}/downloads/tei.zip", zkey, lambda: zip_bytes(
        [(f"tei/{CORPUS_FILE}", corpus_bytes)] + [(f"tei/{n}", m.data) for n, m in files]),
        transformed=False)
    items = [("downloads/tei.zip", f"Every TEI file, {len(files) + 1} files (tei.zip)", len(data)),
             (f"tei/{CORPUS_FILE}", f"The corpus file ({CORPUS_FILE}, a teiCorpus that XIncludes the documents)",
              len(corpus_bytes))]
    for m in sorted((m for m in members if m.registry), key=lambda m: m.path.name):
        items.append((f"tei/{m.path.name}", f"{m.title} ({m.path.name})", len(m.data)))
    labels = dict(OPTIONAL_DOWNLOADS)
    for name, blob in extra:
        writer.emit(f"{site}/downloads/{name}", sha(blob), lambda b=blob: b, transformed=False)
        items.append((f"downloads/{name}", labels.get(name, name), len(blob)))
    return items
