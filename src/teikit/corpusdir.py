"""The corpus folder on disk: what teikit generated last, and what an editor changed by hand.

    corpus/manifest.json            {"version": 1, "files": {name: sha256 of what teikit generated}}
    corpus/.teikit/base/<name>      the last generated version of each file: the merge base
    corpus/.teikit/pending/<name>   the conversion a conflict was reported against, until resolved
    corpus/.teikit/stamp.json       fingerprints of the last conversion's inputs (not committed)

manifest.json and the base copies are committed with corpus/tei (git stores a base copy
that equals its file once, so they cost nothing). A file of corpus/tei whose hash is not the
manifest's was changed by hand. `write_generated` never overwrites such a file: it replays
the editor's changes onto the new conversion by a three-way merge (teikit.core.merge), and
writes the merge only when it is clean and valid; else it keeps the editor's file, writes the
new conversion beside it as `<name>.new` and reports the conflict. See docs/editing.md.

Application layer: this module reads and writes files; the merge itself takes bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from teikit.core.errors import InputError, OutputError

MANIFEST_NAME = "manifest.json"
STATE_DIR = ".teikit"
MANIFEST_VERSION = 1
NEW_SUFFIX = ".new"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def usual_mode(directory: bool = False) -> int:
    """The mode a file (0o666) or folder (0o777) gets under the user's umask: what `open`
    and `mkdir` give, not the 600/700 of a temporary file."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder (never half-written);
    the file gets the usual mode (mkstemp's is 600). The temporary file,
    `.<name>-<pid>-<8 of mkstemp's characters>`, is removed whatever stops the write (an
    error, Ctrl-C); one left by a killed process is swept by `sweep` once <pid> is gone."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-{os.getpid()}-", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, usual_mode())
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise OutputError(f"Cannot write {str(path)!r}: {err.strerror}. Choose a writable location.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def sweep(folder: Path, names, *, below: bool = False, running: list | None = None) -> list[str]:
    """Remove from `folder` the temporary files write_atomic left for any of `names` (a process
    killed while it wrote: nothing can remove its file then); return their names. Only
    `.<name>-<pid>-<8 of mkstemp's characters>` for a name teikit writes there, of a process
    that is gone (never a running build's: two builds at once), and the same without a pid
    (as they were named before: no teikit writes those any more) are touched. `names` None:
    any name, with a pid only (a folder of outputs, where teikit writes pages of any name);
    `below`: in every folder below too (not through a link), their names then relative to
    `folder`; `running`: given a list, the names of those left for a process that runs."""
    from teikit.disk import stale_temporaries

    gone = []
    for entry, rel in stale_temporaries(folder, names, unnumbered_age=None if names is None else 0, below=below,
                                        running=running):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
        gone.append(rel)
    return sorted(gone)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


@dataclass
class Report:
    """What `write_generated` did, file by file."""

    written: list[str] = field(default_factory=list)  # new or changed conversions written
    unchanged: int = 0
    merged: list[str] = field(default_factory=list)  # hand edits replayed onto the new conversion
    kept: list[str] = field(default_factory=list)  # hand-edited files the conversion did not change
    conflicts: list[str] = field(default_factory=list)  # messages: file:line, what, how to resolve
    removed: list[str] = field(default_factory=list)  # files teikit no longer generates
    # name -> sha256 of the bytes now in tei/, for the files written or found as written
    # (what `tei_digests(known=...)` need not read again)
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.conflicts


@dataclass
class CorpusDir:
    root: Path  # the corpus folder (holds tei/, idmap.json, manifest.json)

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def base_path(self, name: str) -> Path:
        return self.state_dir / "base" / name

    def pending_path(self, name: str) -> Path:
        return self.state_dir / "pending" / name

    def stamp_path(self) -> Path:
        return self.state_dir / "stamp.json"

    # --- the manifest ---------------------------------------------------------------------
    def manifest(self) -> dict[str, str] | None:
        """name -> sha256 of what teikit generated last; None when there is no manifest."""
        data = _read(self.manifest_path)
        if data is None:
            return None
        try:
            content = json.loads(data)
            files = content["files"]
        except (ValueError, KeyError, TypeError):
            raise OutputError(f"{self.manifest_path}: not a teikit manifest (expected {{\"files\": {{name: sha256}}}}). "
                              f"Restore it from version control, or run `teikit build --force` to discard hand edits.") from None
        return dict(files)

    def save_manifest(self, files: dict[str, str]) -> None:
        body = json.dumps({"version": MANIFEST_VERSION, "files": dict(sorted(files.items()))}, indent=1)
        data = (body + "\n").encode("utf-8")
        if _read(self.manifest_path) != data:
            write_atomic(self.manifest_path, data)

    # --- hand edits -------------------------------------------------------------------------
    def hand_edits(self, digests: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """(name, state) of every file changed by hand: 'edited', 'deleted', 'added' (an .xml
        teikit did not write), 'conflict' (a `.new` beside it waits to be resolved).
        `digests`: tei_digests() of the folder as it is now, when the caller has them."""
        recorded = self.manifest() or {}
        out = []
        for name, digest in sorted(recorded.items()):
            if digests is not None:
                now = digests.get(name)
            else:
                data = _read(self.tei_dir / name)
                now = sha(data) if data is not None else None
            if now is None:
                out.append((name, "deleted"))
            elif (self.tei_dir / (name + NEW_SUFFIX)).exists():
                out.append((name, "conflict"))
            elif now != digest:
                out.append((name, "edited"))
        if self.tei_dir.is_dir():
            for path in sorted(self.tei_dir.glob("*.xml")):
                if path.name not in recorded:
                    out.append((path.name, "added"))
        return out

    # --- writing a conversion ---------------------------------------------------------------
    def write_generated(self, files: dict[str, bytes], *, force: bool = False,
                        validate: Callable[[str, bytes], list[str]] | None = None,
                        check: Callable[[], None] | None = None) -> Report:
        """Write a new conversion (name -> bytes) into tei/, keeping every hand edit.

        `validate(name, data)` returns the errors of a merged file (a merge that does not
        validate is a conflict). `force` discards hand edits: every file becomes teikit's.
        `check()` is called before each file and before the manifest (teikit.build's child
        ends there when the build that started it has ended)."""
        report = Report()
        recorded = self.manifest()
        written = set(files) | set(recorded or {})
        sweep(self.tei_dir, written | {name + NEW_SUFFIX for name in written})
        for folder in (self.base_path(""), self.pending_path("")):
            sweep(folder, written)
        sweep(self.root, {MANIFEST_NAME})
        new_manifest: dict[str, str] = {}
        for name, new in files.items():
            if check is not None:
                check()
            new_manifest[name] = self._write_one(name, new, recorded, force, validate, report)
        for name in sorted(set(recorded or {}) - set(files)):
            path = self.tei_dir / name
            data = _read(path)
            if data is None or force or sha(data) == recorded[name]:
                _remove(path)
                _remove(self.base_path(name))
                _remove(self.pending_path(name))
                _remove(self.tei_dir / (name + NEW_SUFFIX))
                report.removed.append(name)
            else:
                new_manifest[name] = recorded[name]
                report.conflicts.append(
                    f"{path}:1: teikit no longer generates this file (its document was renamed, merged or "
                    f"removed; see idmap.json), but it was edited by hand: kept. Move your changes into the "
                    f"file that replaces it, then delete {path.name}.")
        if check is not None:
            check()
        self.save_manifest(new_manifest)
        return report

    def _record(self, name: str, new: bytes) -> str:
        """Make `new` the base of `name` (what teikit generated last); return its hash."""
        if _read(self.base_path(name)) != new:
            write_atomic(self.base_path(name), new)
        _remove(self.pending_path(name))
        _remove(self.tei_dir / (name + NEW_SUFFIX))
        return sha(new)

    def _write_one(self, name: str, new: bytes, recorded: dict | None, force: bool, validate, report: Report) -> str:
        path = self.tei_dir / name
        current = _read(path)
        if current == new:
            report.unchanged += 1
            report.digests[name] = digest = self._record(name, new)
            return digest
        legacy = recorded is None and current is not None  # written before teikit kept a manifest
        generated = current is None or force or (recorded is not None and sha(current) == recorded.get(name))
        if generated:
            write_atomic(path, new)
            report.written.append(name)
            report.digests[name] = digest = self._record(name, new)
            return digest
        # changed by hand (or, without a manifest, not known to be teikit's)
        base, resolved = self._base_of(name, recorded)
        if legacy or base is None:
            why = ("there is no manifest.json to tell teikit's files from edited ones" if legacy else
                   "it is not the file teikit generated last, and its base copy is missing")
            return self._conflict(name, new, report, recorded.get(name) if recorded else None,
                                  f"{path}:1: conflict: {why}. Your file is kept; the new conversion is in "
                                  f"{path.name}{NEW_SUFFIX}. Copy what you want from it into {path.name} and delete "
                                  f"{path.name}{NEW_SUFFIX}, or run `teikit build --force` if these files are teikit's own.")
        if base == new:  # the conversion of this file did not change: nothing to replay
            report.kept.append(name)
            return self._record(name, new) if resolved else recorded[name]
        from teikit.core.merge import merge

        merged = merge(base, current, new)
        errors = validate(name, merged.data) if merged.clean and validate else []
        if merged.clean and not errors:
            write_atomic(path, merged.data)
            report.merged.append(name)
            return self._record(name, new)
        if resolved:  # the editor settled the last conflict against the pending conversion
            write_atomic(self.base_path(name), base)
        if not merged.clean:
            c = merged.conflicts[0]
            more = f" (and {len(merged.conflicts) - 1} more)" if len(merged.conflicts) > 1 else ""
            what = (f"{path}:{c.line}: conflict: your edit of lines {c.line}-{c.line + max(c.lines, 1) - 1} and the new "
                    f"conversion (lines {c.new_line}-{c.new_line + max(c.new_lines, 1) - 1} of {path.name}{NEW_SUFFIX}) "
                    f"change the same lines{more}.")
        else:
            found = re.match(r"line (\d+): ", errors[0])  # where the merge is invalid (about there in your file)
            what = (f"{path}:{found.group(1) if found else 1}: conflict: the merge of your edits with the new "
                    f"conversion is not valid: {errors[0]} (of the merged text).")
        return self._conflict(name, new, report, sha(base), what + (
            f" Your file is kept; the new conversion is {path.name}{NEW_SUFFIX}. Resolve: bring the changes you "
            f"want from {path.name}{NEW_SUFFIX} into {path.name}, delete {path.name}{NEW_SUFFIX}, and build again "
            f"(or delete {path.name} to take the new conversion, or `teikit build --force` to discard every hand edit)."))

    def _base_of(self, name: str, recorded: dict | None) -> tuple[bytes | None, bool]:
        """The merge base of an edited file, and whether it is the conversion of a conflict
        the editor has since resolved (they deleted the `.new` file)."""
        pending = _read(self.pending_path(name))
        if pending is not None and not (self.tei_dir / (name + NEW_SUFFIX)).exists():
            return pending, True
        base = _read(self.base_path(name))
        if base is None or recorded is None or sha(base) != recorded.get(name):
            return None, False
        return base, False

    def _conflict(self, name: str, new: bytes, report: Report, base_digest: str | None, message: str) -> str:
        write_atomic(self.tei_dir / (name + NEW_SUFFIX), new)
        write_atomic(self.pending_path(name), new)
        report.conflicts.append(message)
        return base_digest or ""

    # --- the stamp of the last conversion (for "nothing changed") --------------------------
    def stamp(self) -> dict:
        data = _read(self.stamp_path())
        try:
            return json.loads(data) if data else {}
        except ValueError:
            return {}

    def clear_stamp(self) -> None:
        """Forget the last conversion's stamp (before corpus/tei is written again: a build
        stopped in between must not leave a stamp that describes other files)."""
        _remove(self.stamp_path())

    def save_stamp(self, stamp: dict) -> None:
        write_atomic(self.stamp_path(), (json.dumps(stamp, indent=1, sort_keys=True) + "\n").encode("utf-8"))

    def tei_digests(self, known: dict[str, str] | None = None) -> dict[str, str]:
        """name -> sha256 of every file of tei/ as it is now (the `.new` files included).
        `known`: the hashes of files the caller has just written or read (Report.digests of a
        write_generated a moment before): those files are not read again."""
        if not self.tei_dir.is_dir():
            return {}
        known = known or {}
        return {p.name: known.get(p.name) or sha(p.read_bytes()) for p in sorted(self.tei_dir.iterdir()) if p.is_file()}


# --- reading the corpus for the publishing steps (the libraries take the trees) -------------
def load_document(project, doc_id: str):
    """The TEI root of corpus/tei/<doc_id>.xml; a retired or unknown id is an InputError naming the fix."""
    import difflib
    import json

    from teikit.core.xmlsafe import parse_file
    from teikit.disk import Disk

    path = project.tei_dir / f"{doc_id}.xml"
    if not re.fullmatch(r"[A-Za-z_][\w.-]*", doc_id) or not path.is_file():
        retired = {}
        if project.idmap_path.is_file():
            retired = json.loads(project.idmap_path.read_text(encoding="utf-8")).get("retired", {})
        if doc_id in retired:
            raise InputError(f"Document id {doc_id!r} was retired ({retired[doc_id].get('reason', 'no reason given')}); "
                             f"see corpus/idmap.json for the document that replaced it.")
        known = sorted(p.stem for p in project.tei_dir.glob("*.xml"))
        near = difflib.get_close_matches(doc_id, known, n=3)
        hint = f" Did you mean {', '.join(near)}?" if near else " List the ids with `ls corpus/tei`."
        raise InputError(f"No document {doc_id!r} in {str(project.tei_dir)!r}.{hint}")
    tree, issues = parse_file(str(path), Disk())
    if tree is None:
        raise InputError(f"{issues[0].format()}. Rebuild with `teikit build`.")
    return tree.getroot() if hasattr(tree, "getroot") else tree


def corpus_documents(tei_dir) -> list:
    """The document trees of corpus/tei in corpus order (the XIncludes of corpus.xml)."""
    from lxml import etree

    from teikit.core import xinclude
    from teikit.core.errors import InputError
    from teikit.core.xinclude import parse_target
    from teikit.core.xmlsafe import parse_file
    from teikit.disk import Disk

    disk = Disk()
    tei_dir = Path(tei_dir)
    corpus = tei_dir / "corpus.xml"
    if not corpus.is_file():
        raise InputError(f"{str(corpus)!r} does not exist. Run `teikit build` first.")
    tree, issues = parse_file(str(corpus), disk)
    if tree is None:
        raise InputError(f"{issues[0].format()}. Rebuild with `teikit build`.")
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    members = []

    def member(href, path):
        found = parse_target(href, path, disk)
        if found is not None and found[0] is not None:
            members.append(found[0])
        return found

    problems = xinclude.expand(root, str(corpus), files=disk, root=tei_dir, load=member)
    if problems:
        raise InputError(f"{problems[0].format()}. Rebuild with `teikit build`.")
    return [doc_root for doc_root in members
            if etree.QName(doc_root).localname == "TEI"
            and doc_root.find("tei:text/tei:body/tei:div[@type='document']", {"tei": "http://www.tei-c.org/ns/1.0"}) is not None]


_UNREAD = object()  # (retired_passages, write_redirects: the map not read by the caller)


def read_idmap(idmap_path: Path) -> dict | None:
    """corpus/idmap.json's data (None without a map): what retired_passages and
    write_redirects read, for a caller that asks both (teikit.build: one parse)."""
    if not idmap_path.is_file():
        return None
    return json.loads(idmap_path.read_text(encoding="utf-8"))


def retired_passages(idmap_path: Path, idmap=_UNREAD) -> dict[str, str]:
    """corpus/idmap.json's `retired_passages`: retired passage id -> the id now holding the
    passage ({} without a map). `idmap`: read_idmap(idmap_path), when the caller has it."""
    idmap = read_idmap(idmap_path) if idmap is _UNREAD else idmap
    return {} if idmap is None else dict(idmap.get("retired_passages", {}))


def write_redirects(idmap_path: Path, site_dir: Path, idmap=_UNREAD) -> list[Path]:
    """Write the redirect pages of `idmap_path` into `site_dir`; return the paths written.
    `idmap`: read_idmap(idmap_path), when the caller has it. Each page is written whole
    (write_atomic) while the folder is marked as written in place (disk.writing_in_place):
    a kill leaves no half-written page, and the next build removes its temporary file."""
    from teikit.disk import writing_in_place
    from teikit.publish.redirects import redirect_pages

    if not site_dir.is_dir():
        return []
    idmap = read_idmap(idmap_path) if idmap is _UNREAD else idmap
    if idmap is None:
        return []
    current = {e["id"] for e in idmap.get("documents", {}).values()}
    written = []
    pages = redirect_pages(idmap, current)
    if not pages:
        return written
    with writing_in_place(site_dir):
        for name, data in pages.items():
            path = site_dir / name
            write_atomic(path, data)
            written.append(path)
    return written
