"""`teikit package -o DIR` and `teikit package --verify DIR`: the deposit bundle as a BagIt bag.

Application layer: reads the project's files, runs the build's site step into a temporary
folder, and hands the payload (bytes) to teikit.publish.bagit, which makes the bag's files
and writes them into a `FolderSink` over a new folder, put in place in one step. A bag is
verified with the Library of Congress's bagit-python, which reads the folder.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import bagit as bagit_python

from teikit.core.errors import Issue, UsageError
from teikit.corpusdir import corpus_documents
from teikit.disk import FolderSink, new_folder
from teikit.publish import bagit

logging.getLogger("bagit").setLevel(logging.CRITICAL)  # its findings come back as Issues


def publish_site(project, build_dir: Path, say) -> None:
    """The build's site step (site and text) into build_dir, whatever was built before."""
    from teikit import build as buildmod
    from teikit.project import conversion_inputs

    tei = {n: d for n, d in project.tei_digests().items() if n.endswith(".xml")}
    # without Pagefind's index: its filter files differ from run to run (Pagefind writes a
    # hash map in no fixed order), and the bag must be byte-identical on rebuild; the bag's
    # README says how to index the site again (teikit html --search, teikit serve)
    buildmod.publish(project, build_dir, tei, conversion_inputs(project), {}, lambda *a: None, say, search=False)


def read_tree(folder: Path, prefix: str) -> dict[str, bytes]:
    """Every file under `folder` (sorted; hidden files and folders, and the `.new` files of
    conflicts, skipped) as prefix/relative path."""
    out: dict[str, bytes] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) and path.suffix != ".new":
            out[f"{prefix}/{rel.as_posix()}"] = path.read_bytes()
    return out


def _check_target(target: Path) -> None:
    """An existing `target` is replaced only when it is a bag (has bagit.txt) or empty."""
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / "bagit.txt").exists())):
        raise UsageError(f"Output {str(target)!r} exists and is not a bag. Choose a new or empty folder (-o).")


def write_bag(target: Path, files: dict[str, bytes]) -> None:
    """Write the files of a bag (bag-relative path -> bytes) into a new folder beside
    `target` (plain writes), then swap it in; see `_check_target`."""
    _check_target(target)
    with new_folder(target, mode=0o755) as tmp:  # a bag is for others to read
        sink = FolderSink(tmp, atomic=False)
        for name, data in sorted(files.items()):
            sink.write(name, data)


# --- `teikit package -o DIR` ------------------------------------------------------------------
@dataclass
class PackageResult:
    files: int
    bytes: int
    cmif_summary: str


def payload_for(project, say=lambda m: None) -> tuple[dict[str, bytes], dict, str, str]:
    """(payload, config, bagging date, CMIF summary) of a project; runs the build's site step."""
    from teikit.publish import cmif
    from teikit.publish import deposit
    from teikit import projectinputs
    from teikit import resources

    config = projectinputs.load_config(project.config_path)
    date = projectinputs.build_date(config)
    registry = projectinputs.load_registry(project, config)
    from teikit.validation import shipped_schematron

    cmif_bytes, cov = cmif.export(corpus_documents(project.tei_dir), config, registry, date,
                                  shipped_schematron("cmif.sch"))
    payload: dict[str, bytes] = {}
    payload.update(read_tree(project.tei_dir, "tei"))
    if not payload:
        from teikit.core.errors import InputError

        raise InputError(f"{str(project.tei_dir)!r} holds no TEI files. Run `teikit build` first.")
    payload.update(read_tree(resources.schema_dir(), "schema"))
    payload.update(read_tree(project.source_dir, "source"))
    for extra in (project.idmap_path, project.overrides_path):
        if extra.is_file():
            payload[f"source/{extra.name}"] = extra.read_bytes()
    payload.update(read_tree(project.registry_dir(config), "registry"))
    with tempfile.TemporaryDirectory(prefix="teikit-package-") as tmp:
        publish_site(project, Path(tmp), say)  # without Pagefind's index (see publish_site)
        payload.update(read_tree(Path(tmp) / "site", "site"))
        payload.update(read_tree(Path(tmp) / "text", "text"))
    payload["cmif.xml"] = cmif_bytes
    payload.update(deposit.render_all(config))
    payload["LICENCE.txt"] = bagit.licence_text(config)
    payload["README.md"] = bagit.readme(config, sorted(payload), cov.summary())
    return dict(sorted(payload.items())), config, date, cov.summary()


def package(project, target: Path, say=lambda m: None) -> PackageResult:
    payload, config, date, summary = payload_for(project, say)
    _check_target(target)
    with new_folder(target, mode=0o755) as tmp:
        bagit.write_bag(FolderSink(tmp, atomic=False), payload, config, date)
    return PackageResult(len(payload), sum(len(d) for d in payload.values()), summary)


# --- `teikit package --verify DIR` -------------------------------------------------------------
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
