"""Writing the site: the manifest-keyed writer, the downloads, deterministic zips and texts.

Outputs are named by their path relative to the manifest's folder ("site/index.html",
"text/corpus.txt"); the writer reads what an earlier build left through a `Files` and puts
what it makes into a `Sink` (teikit.core.files), both handed over by the application layer
(teikit.sitedir), which also removes the stale outputs and writes the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
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
    memo: object = None  # the teikit.transform.site.memo.Memo of this build (for the next one)


def key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def zip_bytes(files: list[tuple[str, bytes]], deflated: list[tuple[int, bytes]] | None = None) -> bytes:
    """A deterministic zip of (name, data) pairs: fixed dates and modes, names in the given order.

    `deflated`, when given, holds for each file (CRC-32, raw deflate stream) as `deflate`
    makes them (kept from an earlier build for files that did not change), so that only new
    files are compressed. The bytes are those zipfile writes for the same files
    (`_zipfile_bytes`, which is used whenever a name is not ASCII or a size needs ZIP64):
    zipfile compresses each file with one `compress` and one `flush` of such a compressor
    and lays out the records as below (tests/test_site_memo.py compares both ways)."""
    if any(not name.isascii() for name, _ in files) or \
            sum(len(d) for _, d in files) * 1.05 + 1024 * (len(files) + 1) > zipfile.ZIP64_LIMIT:
        return _zipfile_bytes(files)
    dosdate = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
    dostime = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | (ZIP_DATE[5] // 2)
    out, central = [], []
    offset = 0
    for i, (name, data) in enumerate(files):
        crc, comp = deflated[i] if deflated is not None else deflate(data)
        fname = name.encode("ascii")
        head = struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, 0, zipfile.ZIP_DEFLATED, dostime, dosdate,
                           crc, len(comp), len(data), len(fname), 0)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 3, 20, 0, 0, zipfile.ZIP_DEFLATED,
                                   dostime, dosdate, crc, len(comp), len(data), len(fname), 0, 0, 0, 0,
                                   0o644 << 16, offset) + fname)
        out += [head, fname, comp]
        offset += len(head) + len(fname) + len(comp)
    cd = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(files), len(files), len(cd), offset, 0)
    return b"".join(out) + cd + end


def deflate(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of `data`, as zipfile makes them for ZIP_DEFLATED."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def _zipfile_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """zip_bytes by zipfile itself."""
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


def shown_sizes(items: list[tuple[str, str, int]]) -> str:
    """What the about page shows of `items` (downloads_param's): each href and label and its
    size as corpus-pages.xsl's download-items rounds it (MB to a tenth, kB to a unit, else
    bytes), worked out exactly from the integer; where the rounding could go either way (a
    value exactly halfway: 1.25 MB, 1.5 kB) or the size is no integer, the size itself. Two
    lists the page shows differently give different strings (a key of the page without its
    raw sizes; tests/test_about_sizes.py compares it with the stylesheet's rounding)."""
    out = []
    for href, label, size in items:
        if type(size) is not int or size < 0:
            shown = f"={size!r}"
        elif size >= 1048576:  # format-number(size div 1048576, '0.0'): tenths, halfway left to its rule
            shown = f"={size}" if 20 * size % 2097152 == 1048576 else f"MB{(20 * size + 1048576) // 2097152}"
        elif size >= 1024:  # format-number(size div 1024, '0'): units, halfway (512) left to its rule
            shown = f"={size}" if size % 1024 == 512 else f"kB{(2 * size + 1024) // 2048}"
        else:
            shown = f"B{size}"
        out.append(f"{href}\t{label}\t{shown}")
    return "\n".join(out)


def body_text(text: str) -> str:
    """The text rendering without its header block ('Title: ...' lines up to the first blank line)."""
    if text.startswith("Title: ") and "\n\n" in text:
        return text.split("\n\n", 1)[1]
    return text


def corpus_text(texts: list[tuple[Member, str]]) -> str:
    """Every document's text in the given (date) order, each after a separator line with its id."""
    return "\n".join(f"==== {m.doc_id} ====\n\n{t}" for m, t in texts)


class Writer:
    """Writes outputs whose key changed; keeps the manifest of keys, output hashes and sizes.

    Every output of a build goes through `emit` (or is declared by `keep`), so `stale` lists
    what an earlier build wrote and this one did not: a rebuild equals a clean build.
    `previous` (a Files) reads the outputs as they are, by name; `sink` (a Sink) takes the
    new ones; `old_manifest` is the manifest's bytes (None: no earlier build).

    An output whose key is unchanged is kept when its file is intact. `previous` may vouch
    for that without the file being read: `previous.unchanged(name)` True means the file is
    byte for byte what the earlier build recorded in its manifest (teikit.sitedir: its size
    and modification time are those it had when that manifest was written); otherwise the
    file is read and its sha256 compared with the manifest's."""

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
        self._vouch = getattr(previous, "unchanged", None)
        self._data: dict[str, bytes] = {}  # outputs read or made this run, by name
        self._fresh: dict[tuple[str, str], bool] = {}
        self._written: set[str] = set()  # outputs this build wrote into the sink

    def _intact(self, name: str, entry: dict) -> bool | bytes:
        """True (not read) or the bytes (read) when the output is what `entry` records; else False."""
        if self._vouch is not None and "size" in entry and self._vouch(name):
            return True
        data = self.previous.read(name)
        return data if data is not None and sha(data) == entry.get("sha256") else False

    def fresh(self, name: str, key_: str, *, keep: bool = False) -> bool:
        """True when output `name`'s key is unchanged and its file intact (it is then kept);
        asked once per name and key (the answer is remembered)."""
        asked = self._fresh.get((name, key_))
        if asked is not None:
            return asked
        entry = self.old.get(name)
        found = False
        if entry and entry.get("key") == key_ and not entry.get("folder"):
            found = self._intact(name, entry)
        if found is not False and found is not True and keep:
            self._data[name] = found
        self._fresh[(name, key_)] = found is not False
        return found is not False

    def emit(self, name: str, key_: str, produce, *, transformed: bool = True, keep: bool = False,
             same_as: str | None = None) -> None:
        """Write `produce()` (bytes) as `name` unless the key and the file are unchanged.
        keep: hold the bytes for `data` (else `data` reads the file again). same_as: an output
        that holds the same bytes; when this build has written it, a sink with `link`
        (teikit.sitedir) may store `name` as a second name of that file."""
        if self.fresh(name, key_, keep=keep):
            self.new[name] = self.old[name]
            self.result.skipped += 1
            return
        data = produce()
        self.record(name, key_, self.put(name, data, same_as), transformed=transformed, data=data if keep else None)

    def put(self, name: str, data: bytes, same_as: str | None = None) -> tuple[str, bool, int]:
        """Store `data` as output `name` in the sink unless its file already holds these bytes
        (it is then left alone, its mtime too); return (its sha256, whether it was written, its
        size), for `record`, which enters it in the manifest: `emit` is put then record. put
        reads only the earlier manifest and outputs and writes only `name`, so a second
        process may put outputs this one does not write meanwhile (into a sink whose
        `forked_writes` is true: files), recorded here afterwards."""
        digest = sha(data)
        entry = self.old.get(name)
        if entry is None or entry.get("folder"):
            same = self.previous.read(name) == data
        else:  # the manifest says what the file holds
            same = entry.get("sha256") == digest and self._intact(name, entry) is not False
        if not same:  # same bytes: left alone (its mtime too)
            if same_as in self._written and hasattr(self.sink, "link"):
                self.sink.link(same_as, name, data)
            else:
                self.sink.write(name, data)
        return digest, not same, len(data)

    def record(self, name: str, key_: str, stored: tuple[str, bool, int], *, transformed: bool = True,
               data: bytes | None = None) -> None:
        """Enter output `name`, made under `key_` and `stored` by `put`, in the manifest (and in
        result.transformed); data: its bytes, held for `data`."""
        digest, written, size = stored
        if written:
            self._written.add(name)
        if transformed:
            self.result.transformed.append(name)
        if data is not None:
            self._data[name] = data
        self.new[name] = {"key": key_, "sha256": digest, "size": size}

    def _entry(self, name: str) -> dict:
        entry = self.new.get(name)
        if entry is None:  # found fresh, not emitted yet
            entry = self.old[name]
        return entry

    def data(self, name: str) -> bytes:
        """The bytes of output `name` as this build leaves it (emitted or found fresh before):
        held, or read again from the earlier build's file (its sha256 checked)."""
        if name not in self._data:
            data = self.previous.read(name)
            if data is None or sha(data) != self._entry(name)["sha256"]:
                raise OSError(f"output {name} changed while the site was being built")
            self._data[name] = data
        return self._data[name]

    def size(self, name: str) -> int:
        """The size in bytes of output `name` (emitted or found fresh before)."""
        entry = self._entry(name)
        return entry["size"] if "size" in entry else len(self.data(name))

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
        """The new manifest: version, and per output its key, sha256 and size."""
        return (manifest_text({"version": MANIFEST_VERSION, "outputs": self.new}) + "\n").encode("utf-8")


def manifest_text(doc: dict) -> str:
    """json.dumps(doc, indent=1, sort_keys=True), the same characters, for a manifest whose
    entries hold strings, integers and booleans only (else json.dumps itself): with an indent,
    json encodes in Python, value by value (some 65,000 calls for 1,260 outputs); here each
    string goes through json's C encoder and the layout is joined around them."""
    outputs = doc.get("outputs")
    flat = (str, int, bool)
    if set(doc) != {"version", "outputs"} or not isinstance(outputs, dict) or not isinstance(doc["version"], int) or \
            not all(isinstance(e, dict) and all(isinstance(v, flat) and (isinstance(v, str) or v is not None)
                                                for v in e.values()) for e in outputs.values()):
        return json.dumps(doc, indent=1, sort_keys=True)
    enc = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str (ensure_ascii)

    def value(v) -> str:
        if isinstance(v, str):
            return enc(v)
        if v is True or v is False:
            return "true" if v else "false"
        return int.__repr__(v)

    blocks = []
    for name in sorted(outputs):
        entry = outputs[name]
        if entry:
            inner = ",\n".join(f"   {enc(k)}: {value(entry[k])}" for k in sorted(entry))
            blocks.append(f"  {enc(name)}: {{\n{inner}\n  }}")
        else:
            blocks.append(f"  {enc(name)}: {{}}")
    body = "{\n" + ",\n".join(blocks) + "\n }" if blocks else "{}"
    return f'{{\n "outputs": {body},\n "version": {int.__repr__(doc["version"])}\n}}'


def write_downloads(writer: Writer, site: str, corpus_bytes: bytes, members: list[Member],
                    extra: list[tuple[str, bytes]], memo=None, deflated=None) -> list[tuple[str, str, int]]:
    """Write the zip of the TEI folder and the extra files (name, bytes) to <site>/downloads/;
    return (href, label, bytes) of every download the about page lists. `memo`
    (teikit.transform.site.memo): each file's deflated bytes are kept under its sha256 and
    zlib's version, so that a zip made again compresses only the files that changed.
    `deflated`: a callable giving {sha256: what `deflate` gives for those bytes} of files
    deflated meanwhile by the caller, asked only when a file must be compressed here."""
    files = sorted([(m.path.name, m) for m in members], key=lambda x: x[0])
    zkey = key("zip", sha(corpus_bytes), [(n, m.digest) for n, m in files])

    def make() -> bytes:
        entries = [(f"tei/{CORPUS_FILE}", corpus_bytes, sha(corpus_bytes))] + \
            [(f"tei/{n}", m.data, m.digest) for n, m in files]
        if memo is None:
            return zip_bytes([(name, data) for name, data, _ in entries])
        ready: list[dict] = []

        def made(data: bytes, digest: str) -> tuple[int, bytes]:
            if deflated is not None and not ready:
                ready.append(deflated() or {})
            found = ready[0].get(digest) if ready else None
            return found if found is not None else deflate(data)

        streams = [memo.get(("deflate", digest, zlib.ZLIB_RUNTIME_VERSION), lambda d=data, h=digest: made(d, h))
                   for _, data, digest in entries]
        return zip_bytes([(name, data) for name, data, _ in entries], streams)

    writer.emit(f"{site}/downloads/tei.zip", zkey, make, transformed=False)
    items = [("downloads/tei.zip", f"Every TEI file, {len(files) + 1} files (tei.zip)",
              writer.size(f"{site}/downloads/tei.zip")),
             (f"tei/{CORPUS_FILE}", f"The corpus file ({CORPUS_FILE}, a teiCorpus that XIncludes the documents)",
              len(corpus_bytes))]
    for m in sorted((m for m in members if m.registry), key=lambda m: m.path.name):
        items.append((f"tei/{m.path.name}", f"{m.title} ({m.path.name})", len(m.data)))
    labels = dict(OPTIONAL_DOWNLOADS)
    for name, blob in extra:
        writer.emit(f"{site}/downloads/{name}", sha(blob), lambda b=blob: b, transformed=False)
        items.append((f"downloads/{name}", labels.get(name, name), len(blob)))
    return items
