"""The deposit bundle: a BagIt 1.0 bag (RFC 8493) of the corpus, and its verification.

Layout of `teikit package -o DIR`:

    DIR/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
        tagmanifest-sha256.txt, tagmanifest-sha512.txt
    DIR/data/README.md, LICENCE.txt, CITATION.cff, .zenodo.json, datacite.json, cmif.xml
    DIR/data/tei/       corpus/tei: the documents, front and back matter, registries, corpus.xml
    DIR/data/schema/    schema/: RELAX NG, Schematron and JSON Schemas the corpus is checked with
    DIR/data/source/    corpus/source (the source text and corpus.json), idmap.json, overrides.json
    DIR/data/registry/  the JSON registries
    DIR/data/text/, DIR/data/site/   plain text and HTML site, made afresh by the build's
                        site step from corpus/tei (never taken from a stale build/ folder)

The bag is byte-identical when rebuilt from the same inputs: files are sorted, no
timestamps are written but Bagging-Date, which comes from SOURCE_DATE_EPOCH or the
configuration's release date, never the clock. No archive is written: zip or tar the
folder if the repository asks for one (the checksums are of the payload files).

`build_bag()` is pure (file contents in, file contents out) and writes byte-identical bags,
which bagit-python's `make_bag` cannot (it stamps today's date and moves files in place);
`verify()` is bagit-python's validation, so a bag is judged as the Library of Congress's
tool judges it. Gathering the payload and writing the bag is the application layer's
(teikit.package).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import bagit as bagit_python

from teikit import __version__
from teikit.core.errors import Issue, UsageError
from teikit.core.facts import provenance

ALGORITHMS = ("sha256", "sha512")
logging.getLogger("bagit").setLevel(logging.CRITICAL)  # its findings come back as Issues
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


# --- building (pure) -------------------------------------------------------------------------
def _encode_path(path: str) -> str:
    """RFC 8493 2.1.3: percent-encode %, CR and LF in manifest paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def manifest(files: dict[str, bytes], algorithm: str) -> bytes:
    lines = [f"{hashlib.new(algorithm, data).hexdigest()}  {_encode_path(name)}\n" for name, data in sorted(files.items())]
    return "".join(lines).encode("utf-8")


def oxum(payload: dict[str, bytes]) -> str:
    return f"{sum(len(d) for d in payload.values())}.{len(payload)}"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def bag_info(config: dict, payload: dict[str, bytes], date: str) -> bytes:
    total = sum(len(d) for d in payload.values())
    fields = [
        ("Source-Organization", config["publisher"]),
        ("External-Description", config["title"]),
        ("External-Identifier", config.get("doi") or f"{config['id_prefix']}-corpus"),
        ("Corpus-Version", config["version"]),
        ("Licence", f"{config['licence']['label']} <{config['licence']['url']}>"),
        ("Bagging-Date", date),
        ("Bag-Software-Agent", f"teikit {__version__}"),
        ("Bag-Size", _size(total)),
        ("Payload-Oxum", oxum(payload)),
    ]
    return "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in fields).encode("utf-8")


def build_bag(payload: dict[str, bytes], config: dict, date: str) -> dict[str, bytes]:
    """Bag-relative path -> bytes of every file of the bag; payload paths are relative to data/."""
    files = {f"data/{name}": data for name, data in payload.items()}
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": bag_info(config, payload, date)}
    for alg in ALGORITHMS:
        tags[f"manifest-{alg}.txt"] = manifest(files, alg)
    for alg in ALGORITHMS:
        tags[f"tagmanifest-{alg}.txt"] = manifest({k: v for k, v in tags.items() if not k.startswith("tagmanifest-")}, alg)
    return {**files, **tags}


def readme(config: dict, payload_names: list[str], cmif_summary: str | None) -> bytes:
    parts = sorted({n.split("/", 1)[0] + ("/" if "/" in n else "") for n in payload_names})
    chain = provenance(config) + "\n\n" if provenance(config) else ""  # the translation chain
    text = f"""# {config['title']}

Version {config['version']} ({config['release_date']}), published by {config['publisher']}.
{config.get('project_description', '')}

{chain}Licence: {config['licence']['label']} ({config['licence']['url']}); see LICENCE.txt.
How to cite: CITATION.cff; every document's citation: `teikit cite <id>`.

This folder is the payload of a BagIt 1.0 bag (RFC 8493); the manifests one level up
give the SHA-256 and SHA-512 of every file. Check it with `teikit package --verify <bag>`.

Contents: {', '.join(parts)}

- tei/: one TEI P5 file per document (`<id>.xml`), the front and back matter, the
  registries (persons.xml, places.xml, orgs.xml) and corpus.xml (teiCorpus with XIncludes).
- schema/: the RELAX NG, Schematron and JSON Schemas the files are checked with.
- source/: the source text as published and the corpus configuration; idmap.json pins the
  document ids (retired ids are listed there and never reused).
- registry/: the registries as JSON; text/: plain text; site/: the HTML edition. Open
  site/index.html in a browser: every page, and the filters of the document list, work
  from the files (file://). Full-text search (site/search.html, Pagefind) needs the site
  served over HTTP and its index, which this bag leaves out because Pagefind does not
  write it byte for byte the same twice: run `teikit html --search -o OUT tei/` for an
  indexed copy, then `teikit serve OUT` (or `teikit build` and `teikit serve` in a clone
  of teikit), and open the address it prints.
- cmif.xml: the letter index in CMIF{f' ({cmif_summary})' if cmif_summary else ''}.
- CITATION.cff, .zenodo.json, datacite.json: the deposit metadata.
"""
    return text.encode("utf-8")


def licence_text(config: dict) -> bytes:
    lines = [
        f"{config['title']}, version {config['version']}",
        "",
        f"Licence: {config['licence']['label']}",
        f"Legal code: {config['licence']['url']}legalcode",
        f"As printed in the source compilation: {config['licence']['as_printed']}",
    ]
    li = (config.get("letter_index") or {}).get("licence")
    if li:
        lines += ["", f"The letter index (cmif.xml) is licensed {li['label']} ({li['url']})."]
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class VerifyResult:
    files: int
    bytes: int
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        return not self.issues


def _detail_issue(bag: Path, detail) -> Issue:
    """A bagit-python finding (ChecksumMismatch, FileMissing, UnexpectedFile) as an Issue."""
    name = str(detail.path)
    if isinstance(detail, bagit_python.ChecksumMismatch):
        where = bag / (f"manifest-{detail.algorithm}.txt" if name.startswith("data/")
                       else f"tagmanifest-{detail.algorithm}.txt")
        return Issue("error", "bag:checksum", f"{name}: {detail.algorithm} is {detail.found}, "
                     f"manifest says {detail.expected}", str(where))
    if isinstance(detail, bagit_python.FileMissing):
        return Issue("error", "bag:missing", f"{name} is listed but missing", str(bag / name))
    if isinstance(detail, bagit_python.UnexpectedFile):
        return Issue("error", "bag:unlisted", f"{name} is in the payload but in no manifest", str(bag / name))
    return Issue("error", "bag:invalid", str(detail), str(bag))


def _tag_manifest_gaps(bag: Path, b) -> list[Issue]:
    """Each tag manifest must list bagit.txt, bag-info.txt, fetch.txt and every payload manifest."""
    issues = []
    needed = {p.name for p in bag.iterdir() if p.is_file() and (
        p.name in ("bagit.txt", "bag-info.txt", "fetch.txt") or p.name.startswith("manifest-"))}
    for tag_manifest in sorted(bag.glob("tagmanifest-*.txt")):
        alg = tag_manifest.name[len("tagmanifest-"):-len(".txt")]
        listed = {name for name, sums in b.entries.items() if alg in sums and not name.startswith("data/")}
        for name in sorted(needed - listed):
            issues.append(Issue("error", "bag:tagmanifest-incomplete",
                                f"{name} is a tag file but {tag_manifest.name} does not list it",
                                str(tag_manifest)))
    return issues


def verify(bag: Path, processes: int = 1) -> VerifyResult:
    """Check a bag with the Library of Congress's bagit-python (bagit.txt, bag-info.txt with
    continuation lines, fetch.txt, Payload-Oxum, completeness, every checksum, tag manifests),
    plus teikit's rule that each tag manifest lists every tag file."""
    if not bag.is_dir():
        raise UsageError(f"Bag {str(bag)!r} is not a folder. Give the folder written by `teikit package -o`.")
    if not (bag / "bagit.txt").is_file():
        return VerifyResult(0, 0, [Issue("error", "bag:bagit-txt", "bagit.txt is missing: not a bag",
                                         str(bag / "bagit.txt"))])
    try:
        b = bagit_python.Bag(str(bag))
    except bagit_python.BagError as err:
        return VerifyResult(0, 0, [Issue("error", "bag:structure", str(err), str(bag))])
    payload = [bag / name for name in b.payload_files()]
    total = sum(p.stat().st_size for p in payload)
    issues: list[Issue] = []
    try:
        b.validate(processes=processes)
    except bagit_python.BagValidationError as err:
        if err.details:
            issues += [_detail_issue(bag, d) for d in err.details]
        elif "Payload-Oxum" in err.message:
            issues.append(Issue("error", "bag:oxum", err.message, str(bag / "bag-info.txt")))
            # bagit-python stops at the Oxum; list what makes the payload differ as well
            missing, unlisted = b.compare_manifests_with_fs()
            issues += [_detail_issue(bag, bagit_python.FileMissing(n)) for n in sorted(missing)]
            issues += [_detail_issue(bag, bagit_python.UnexpectedFile(n)) for n in sorted(unlisted)]
        else:
            issues.append(Issue("error", "bag:invalid", str(err), str(bag)))
    except bagit_python.BagError as err:  # fetch.txt and structure problems
        issues.append(Issue("error", "bag:invalid", str(err), str(bag)))
    unfetched = sorted(b.compare_fetch_with_fs())
    issues += [Issue("error", "bag:fetch", f"{name} is listed in fetch.txt but not fetched: the bag is "
                     "incomplete", str(bag / "fetch.txt")) for name in unfetched]
    issues += _tag_manifest_gaps(bag, b)
    return VerifyResult(len(payload), total, sorted(issues, key=lambda i: (i.file, i.code, i.message)))
