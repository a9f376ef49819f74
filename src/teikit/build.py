"""`teikit build`: convert, check, validate, and write the HTML site and the text files."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teikit.convert import check as checkmod
from teikit import pipeline
from teikit.core.errors import TeikitError


def build(project: pipeline.Project, build_dir: Path, *, site: bool = True, progress=None, say=print) -> int:
    """Run the main job; return the exit code (0 done, 1 findings)."""
    result = pipeline.convert_project(project, progress=progress)
    comp = result.compilation
    say(f"converted {len(comp.documents)} documents from {comp.source_name} into {project.tei_dir}")
    say(f"nothing lost: {result.check.matched_words}/{result.check.source_words} words of the source "
        f"in corpus/tei ({result.check.recall:.4%})")
    for note in result.notes:
        say(f"  {note}")
    warnings = [i for i in comp.issues if i.severity in ("warning", "error")]
    if warnings:
        say(f"{len(warnings)} warnings for the editor (see `teikit segment SOURCE --report`)")
    code = 0
    code = max(code, _validate(project, say))
    _deposit_metadata(project, say)
    if site:
        code = max(code, _publish(project, build_dir, say))
    return code


def _validate(project: pipeline.Project, say) -> int:
    from teikit.core import resources
    from teikit.validate.validator import validate_paths

    rng = resources.schema_dir() / "teikit.rng"
    sch = resources.schema_dir() / "teikit.sch"
    report = validate_paths(
        [project.tei_dir],
        schema=rng if rng.exists() else None,
        schematrons=[sch] if sch.exists() else [],
    )
    errors = [i for f in report.files for i in f.issues if i.severity == "error"]
    say(f"validated {len(report.files)} files against {'schema/teikit.rng' if rng.exists() else 'well-formedness only'}"
        f"{' + schema/teikit.sch' if sch.exists() else ''}: {len(errors)} errors")
    for issue in errors[:20]:
        say("  " + issue.format())
    return 1 if errors else 0


def _deposit_metadata(project: pipeline.Project, say) -> None:
    """CITATION.cff, .zenodo.json, datacite.json beside the corpus folder (the repository root).

    Written when the configuration names the licence's SPDX id (they need it); from the
    configuration only, so a rebuild from the same configuration gives the same bytes."""
    from teikit.publish import deposit

    config = pipeline.load_config(project.config_path)
    if not config["licence"].get("spdx"):
        say("deposit metadata not written: set licence.spdx in corpus.json to write CITATION.cff, .zenodo.json, datacite.json")
        return
    root = project.root.resolve().parent
    for name, data in deposit.render_all(config).items():
        path = root / name
        if not path.exists() or path.read_bytes() != data:
            pipeline.write_file_atomic(path, data)
    say(f"wrote CITATION.cff, .zenodo.json and datacite.json to {root}")


def _publish(project: pipeline.Project, build_dir: Path, say) -> int:
    """The edition site in build/site and the text files in build/text (incremental, see teikit.site)."""
    from teikit.transform.site import build_site

    config = pipeline.load_config(project.config_path)
    result = build_site(project.tei_dir, build_dir / "site", build_dir / "text", build_dir / "manifest.json",
                        config=config)
    from teikit.publish.redirects import write_redirects

    redirects = write_redirects(project.idmap_path, build_dir / "site")
    say(f"wrote the site to {build_dir / 'site'} ({result.pages} pages, index.html at its root) and "
        f"{result.text_files} text files + corpus.txt to {build_dir / 'text'}: "
        f"{len(result.transformed)} outputs transformed, {result.skipped} unchanged"
        + (f", {len(result.removed)} stale removed" if result.removed else "")
        + (f"; {len(redirects)} redirect pages for retired ids" if redirects else ""))
    return 0


def check_existing(project: pipeline.Project, say=print) -> int:
    """Nothing-lost check of the committed corpus/tei against the source."""
    config = pipeline.load_config(project.config_path)
    src = project.source_dir / config["source"]["file"]
    text = pipeline.read_source(src)
    lines = text.replace("\r\n", "\n").split("\n")
    parts = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for path in sorted(project.tei_dir.glob("*.xml")):
        try:
            tree = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError as err:
            raise TeikitError(f"{path}:{err.lineno}: not well-formed XML: {err.msg}. Rebuild with `teikit build`.") from None
        rng = tree.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type='digitalSource']/t:citedRange", ns)
        if rng is None:
            continue
        parts.append((path.name, int(rng.get("from")), int(rng.get("to")), tree))
    result = checkmod.check(lines, parts)
    say(f"{result.matched_words}/{result.source_words} words of {src.name} found in {len(parts)} files "
        f"({result.recall:.4%})")
    for lost in result.lost:
        say(f"{src}:{lost.line}: error: [check:lost] not found in {lost.file}: {lost.words}")
    for err in result.span_errors:
        say(f"{src}: error: [check:span] {err}")
    return 0 if result.ok else 1
