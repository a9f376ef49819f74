"""`teikit package -o DIR`: gather the deposit bundle's payload and write it as a BagIt bag.

Application layer: reads the project's files, runs the build's site step into a temporary
folder, and hands the payload (bytes) to teikit.publish.bagit, which makes the bag.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from teikit.core.errors import UsageError
from teikit.corpusdir import corpus_documents
from teikit.pipeline import write_folder
from teikit.publish import bagit


def publish_site(project, build_dir: Path, say) -> None:
    """The build's site step (site and text) into build_dir, whatever was built before."""
    from teikit import build as buildmod
    from teikit.project import conversion_inputs

    tei = {n: d for n, d in project.tei_digests().items() if n.endswith(".xml")}
    buildmod.publish(project, build_dir, tei, conversion_inputs(project), {}, lambda *a: None, say)


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


def write_bag(target: Path, files: dict[str, bytes]) -> None:
    """Write the bag into a new folder beside `target`, then swap it in.

    An existing `target` is replaced only when it is a bag (has bagit.txt) or empty.
    """
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / "bagit.txt").exists())):
        raise UsageError(f"Output {str(target)!r} exists and is not a bag. Choose a new or empty folder (-o).")
    write_folder(target, files, mode=0o755)  # mkdtemp makes it private; a bag is for others to read



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
    from teikit import pipeline
    from teikit.core import resources

    config = pipeline.load_config(project.config_path)
    date = pipeline.build_date(config)
    registry = pipeline.load_registry(project, config)
    cmif_bytes, cov = cmif.export(corpus_documents(project.tei_dir), config, registry, date)
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
        publish_site(project, Path(tmp), say)
        # Pagefind's index is left out: its filter files differ from run to run (Pagefind writes
        # a hash map in no fixed order), and the bag must be byte-identical on rebuild; the
        # bag's README says how to index the site again (teikit html --search, teikit serve)
        shutil.rmtree(Path(tmp) / "site" / "pagefind", ignore_errors=True)
        payload.update(read_tree(Path(tmp) / "site", "site"))
        payload.update(read_tree(Path(tmp) / "text", "text"))
    payload["cmif.xml"] = cmif_bytes
    payload.update(deposit.render_all(config))
    payload["LICENCE.txt"] = bagit.licence_text(config)
    payload["README.md"] = bagit.readme(config, sorted(payload), cov.summary())
    return dict(sorted(payload.items())), config, date, cov.summary()


def package(project, target: Path, say=lambda m: None) -> PackageResult:
    payload, config, date, summary = payload_for(project, say)
    files = bagit.build_bag(payload, config, date)
    write_bag(target, files)
    return PackageResult(len(payload), sum(len(d) for d in payload.values()), summary)
