"""Writing the site: the manifest-keyed writer, the downloads, deterministic zips and texts."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from teikit.transform import runner as transform
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

    Every output of a build goes through `emit` (or is declared by `keep`), so `finish` can
    remove what an earlier build wrote and this one did not: a rebuild equals a clean build."""

    def __init__(self, manifest: Path, result: SiteResult):
        self.manifest = manifest
        self.base = manifest.parent
        self.result = result
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self.old = old.get("outputs", {}) if old.get("version") == MANIFEST_VERSION else {}
        self.new: dict[str, dict] = {}
        self._base = self.base.resolve()
        self._folders: dict[Path, Path] = {}

    def rel(self, target: Path) -> str:
        folder = self._folders.get(target.parent)
        if folder is None:
            folder = self._folders[target.parent] = Path(os.path.relpath(target.parent.resolve(), self._base))
        return (folder / target.name).as_posix()

    def fresh(self, target: Path, key_: str) -> bytes | None:
        """The bytes of target when its key is unchanged and the file intact, else None."""
        entry = self.old.get(self.rel(target))
        if entry and entry.get("key") == key_ and target.is_file():
            data = target.read_bytes()
            if sha(data) == entry.get("sha256"):
                return data
        return None

    def emit(self, target: Path, key_: str, produce, *, transformed: bool = True) -> bytes:
        """Write `produce()` (bytes) to target unless the key and the file are unchanged; return the bytes."""
        rel = self.rel(target)
        data = self.fresh(target, key_)
        if data is not None:
            self.new[rel] = self.old[rel]
            self.result.skipped += 1
            return data
        data = produce()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            transform._write_atomic(target, data)
        if transformed:
            self.result.transformed.append(rel)
        self.new[rel] = {"key": key_, "sha256": sha(data)}
        return data

    def keep(self, target: Path, key_: str, digest: str) -> None:
        """Record an output written by someone else (a folder: digest of its listing)."""
        self.new[self.rel(target)] = {"key": key_, "sha256": digest, "folder": True}

    def old_key(self, target: Path) -> str | None:
        entry = self.old.get(self.rel(target))
        return entry.get("key") if entry else None

    def finish(self) -> None:
        for rel in sorted(set(self.old) - set(self.new)):
            path = self.base / rel
            if self.old[rel].get("folder") and path.is_dir():
                import shutil

                shutil.rmtree(path)
                self.result.removed.append(rel + "/")
            elif path.is_file():
                path.unlink()
                self.result.removed.append(rel)
        body = json.dumps({"version": MANIFEST_VERSION, "outputs": dict(sorted(self.new.items()))},
                          indent=1, sort_keys=True)
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        transform._write_atomic(self.manifest, (body + "\n").encode("utf-8"))


def write_downloads(writer: Writer, site_dir: Path, corpus_bytes: bytes, members: list[Member],
                    extra: list[Path]) -> list[tuple[str, str, int]]:
    """Write the zip of the TEI folder and copy the extra files to site_dir/downloads/;
    return (href, label, bytes) of every download the about page lists."""
    files = sorted([(m.path.name, m) for m in members], key=lambda x: x[0])
    zkey = key("zip", sha(corpus_bytes), [(n, m.digest) for n, m in files])
    data = writer.emit(site_dir / "downloads" / "tei.zip", zkey, lambda: zip_bytes(
        [(f"tei/{CORPUS_FILE}", corpus_bytes)] + [(f"tei/{n}", m.path.read_bytes()) for n, m in files]),
        transformed=False)
    items = [("downloads/tei.zip", f"Every TEI file, {len(files) + 1} files (tei.zip)", len(data)),
             (f"tei/{CORPUS_FILE}", f"The corpus file ({CORPUS_FILE}, a teiCorpus that XIncludes the documents)",
              len(corpus_bytes))]
    for m in sorted((m for m in members if m.registry), key=lambda m: m.path.name):
        items.append((f"tei/{m.path.name}", f"{m.title} ({m.path.name})", m.path.stat().st_size))
    labels = dict(OPTIONAL_DOWNLOADS)
    for path in extra:
        blob = Path(path).read_bytes()
        writer.emit(site_dir / "downloads" / Path(path).name, sha(blob), lambda b=blob: b, transformed=False)
        items.append((f"downloads/{Path(path).name}", labels.get(Path(path).name, Path(path).name), len(blob)))
    return items


def optional_downloads(tei_dir: Path, build_dir: Path) -> list[Path]:
    """The files of OPTIONAL_DOWNLOADS that exist: beside the corpus folder (tei_dir/../..),
    else in the build folder."""
    found = []
    for name, _ in OPTIONAL_DOWNLOADS:
        for folder in (Path(tei_dir).resolve().parent.parent, Path(build_dir).resolve()):
            if (folder / name).is_file():
                found.append(folder / name)
                break
    return found
