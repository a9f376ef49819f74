"""A corpus project on disk, and the fingerprints that tell whether it must be rebuilt.

    corpus/source/corpus.json   the configuration (names the source file and the registry)
    corpus/source/<source>      the compilation's text
    corpus/overrides.json       the editor's corrections
    corpus/idmap.json           the stable ids
    corpus/tei/                 the TEI written by teikit (and corrected by hand)

Application layer. Imports nothing heavy, so that "nothing changed" is answered in
milliseconds: a fingerprint is a hash of every input of the conversion, including teikit's
own code (its modules, stylesheets and schemas: not its version number, which stays the same
while it is developed).
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from teikit.corpusdir import CorpusDir
from teikit.disk import files_below
from teikit.keys import key  # noqa: F401 (re-exported: the caches' keys)

CONFIG_NAME = "corpus.json"
IDMAP_NAME = "idmap.json"
OVERRIDES_NAME = "overrides.json"
DEFAULT_REGISTRY = "../../data/registry"


@dataclass
class Project(CorpusDir):
    """Where a corpus lives: `corpus/source` (source + config), `corpus/tei` (output). The
    corpus folder's generated files, manifest and hand edits are CorpusDir's."""

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def config_path(self) -> Path:
        return self.source_dir / CONFIG_NAME

    @property
    def idmap_path(self) -> Path:
        return self.root / IDMAP_NAME

    @property
    def overrides_path(self) -> Path:
        return self.root / OVERRIDES_NAME

    def registry_dir(self, config: dict) -> Path:
        """The registry folder: `registry` in the configuration, relative to corpus/source."""
        return (self.source_dir / config.get("registry", DEFAULT_REGISTRY)).resolve()

    def source_path(self, config: dict) -> Path:
        return self.source_dir / config["source"]["file"]


def _digest_files(h, root: Path, pattern: str) -> None:
    """Each file below `root` whose name matches `pattern` (case-sensitive), in the order of
    its path's parts: its relative path and the sha256 of its bytes."""
    names = digested_names(root, pattern)
    if names is None:
        h.update(b"-missing-" + str(root).encode())
        return
    for rel in names:
        h.update(rel.encode() + b"\0")
        h.update(hashlib.sha256((root / rel).read_bytes()).digest())


def digested_names(root: Path, pattern: str) -> list[str] | None:
    """What _digest_files reads below `root`, in its order (None: `root` is no folder)."""
    if not root.is_dir():
        return None
    names = [rel for rel in files_below(str(root), skip_bytecode=True) if fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)]
    return sorted(names, key=lambda r: r.split("/"))


def code_roots() -> list[tuple[Path, str]]:
    """The folders code_digest reads, each with the pattern of the names it reads there."""
    from teikit import resources

    return [(Path(__file__).resolve().parent, "*.py"), (resources.schema_dir(), "*"), (resources.xslt_dir(), "*")]


#: [code_signature() as it was just before code_digest read the files it hashes]
_HASHED_AS: list = [None]


@functools.cache
def code_digest() -> str:
    """Hash of the code that converts: teikit's Python modules, stylesheets and schemas, and
    what runs them (runtime_versions: Python, its Unicode tables, the libraries teikit uses;
    an upgrade of lxml or python-dateutil may change an output). Once per process: the code
    that runs is the code that was there when it started (hashed_signature: the files as
    they were then)."""
    _HASHED_AS[0] = code_signature()
    h = hashlib.sha256()
    for root, pattern in code_roots():
        _digest_files(h, root, pattern)
    h.update("\0".join(runtime_versions()).encode("utf-8"))
    return h.hexdigest()


def hashed_signature() -> str | None:
    """code_signature()'s signature of the files as they were just before this process's
    code_digest read them (None before it did, or when one could not be stat'ed): a memo may
    pair code_digest with the files' signature only when the files still have it (a file
    changed since, e.g. by `git pull` during a build, would be remembered under the old
    code's digest)."""
    signed = _HASHED_AS[0]
    return signed[0] if signed is not None else None


#: where a corpus's validation remembers code_digest (teikit.resultcache.code_digest_memo)
CODE_MEMO = ("cache", "validate", "code-digest.memo")


def code_signature() -> tuple[str, int] | None:
    """(signature, newest time in ns) of the files code_digest reads as they are on disk:
    each one's inode, size, modification and change times, and the libraries' versions
    (teikit.resultcache.code_digest_memo remembers the digest under it); None when one
    cannot be stat'ed."""
    sig = hashlib.sha256(b"code-digest-memo 1\0")
    newest = 0
    try:
        for root, pattern in code_roots():
            names = digested_names(root, pattern)
            sig.update(f"{root}\0{names is None}\n".encode())
            base = os.path.join(str(root), "")  # (a string join per file, not a Path)
            for rel in names or ():
                info = os.stat(base + rel)
                sig.update(f"{rel}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n".encode())
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        return None
    sig.update("\0".join(runtime_versions()).encode("utf-8"))
    return sig.hexdigest(), newest


def remembered_digest(path: Path, signature: str) -> str | None:
    """The code digest a memo file (teikit.resultcache.code_digest_memo's) holds under
    `signature`, else None."""
    from teikit.disk import read_private

    try:
        memo = json.loads(read_private(path) or b"null")
    except ValueError:
        memo = None
    if isinstance(memo, dict) and memo.get("signature") == signature and isinstance(memo.get("digest"), str):
        return memo["digest"]
    return None


def project_code_digest(project: "Project") -> str:
    """code_digest, as the corpus's validation remembered it (corpus/.teikit/CODE_MEMO, read
    only: written by teikit.resultcache.code_digest_memo, exact as that is), else computed:
    a stat per file instead of reading and hashing teikit's ~2.9 MB of code."""
    signed = code_signature() if (project.state_dir.joinpath(*CODE_MEMO)).is_file() else None
    found = remembered_digest(project.state_dir.joinpath(*CODE_MEMO), signed[0]) if signed else None
    return found if found is not None else code_digest()


#: the distributions teikit's code calls (pyproject.toml's dependencies), and those that
#: change what jsonschema checks (its format checkers' optional packages, its references)
LIBRARIES = ("lxml", "python_dateutil", "rapidfuzz", "jsonschema", "elementpath", "merge3", "pyyaml",
             "bagit", "click", "pagefind", "pagefind_bin",
             "jsonschema_specifications", "referencing", "fqdn", "idna", "isoduration", "jsonpointer",
             "rfc3339_validator", "rfc3986_validator", "rfc3987", "rfc3987_syntax", "uri_template", "webcolors")


def runtime_versions() -> list[str]:
    """Python's version, its Unicode database's, and the installed versions of LIBRARIES (the
    names of their *.dist-info or *.egg-info folders on sys.path, which hold the version: no
    import, no metadata parsing)."""
    import sys
    import unicodedata

    wanted = set(LIBRARIES)
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")) and \
                    name.split("-", 1)[0].lower().replace(".", "_") in wanted:
                found.append(name.lower())
    return [sys.version, unicodedata.unidata_version, *sorted(set(found))]


def file_digest(path: Path) -> str:
    """sha256 of a file, "-" when it cannot be read."""
    return _file_digest(path)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"


def conversion_inputs(project: Project, source: Path | None = None) -> dict[str, str]:
    """Hash of every input of the conversion, by kind (configuration, source, registry,
    overrides, id map, teikit's code, SOURCE_DATE_EPOCH)."""
    config_bytes = project.config_path.read_bytes() if project.config_path.is_file() else b""
    try:
        config = json.loads(config_bytes)
        src = source or project.source_path(config)
        registry = project.registry_dir(config)
    except (ValueError, KeyError, TypeError, AttributeError):  # the build's own check of it says what is wrong
        src, registry = None, None
    reg = hashlib.sha256()
    if registry is not None:
        _digest_files(reg, registry, "*.json")
    return {
        "config": hashlib.sha256(config_bytes).hexdigest(),
        "source": _file_digest(Path(src)) if src is not None else "-",
        "registry": reg.hexdigest(),
        "overrides": _file_digest(project.overrides_path),
        "idmap": _file_digest(project.idmap_path),
        "code": project_code_digest(project),
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
