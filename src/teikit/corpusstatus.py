"""`teikit check` and `teikit status`: corpus/tei as it is now, against the source and against
what teikit generated last (application layer: it reads the corpus folder)."""

from __future__ import annotations

from teikit.corpusdir import CorpusDir
from teikit.project import Project


def check_existing(project: Project, say=print) -> int:
    """Nothing-lost check of corpus/tei as it is now (hand edits included) against the source."""
    from lxml import etree

    from teikit import projectinputs
    from teikit.convert import check as checkmod
    from teikit.core import xmlsafe
    from teikit.core.errors import TeikitError

    config = projectinputs.load_config(project.config_path)
    src = project.source_path(config)
    text = projectinputs.read_source(src)
    lines = text.replace("\r\n", "\n").split("\n")
    parts = []
    parser = xmlsafe.make_parser()
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


STATUS_WORDS = {
    "edited": "edited by hand (kept; your edits are merged into each new conversion)",
    "conflict": "conflict: the new conversion is beside it as .new; resolve, delete the .new, build again",
    "deleted": "deleted by hand (the next build writes teikit's conversion again)",
    "added": "not written by teikit (left alone)",
}


def status(project: Project, say=print) -> int:
    """List the files of corpus/tei that differ from what teikit generated; exit 0."""
    cdir: CorpusDir = project  # the corpus folder: generated files, manifest, stamp
    if cdir.manifest() is None:
        say(f"{cdir.manifest_path} does not exist: run `teikit build` first (it records what teikit writes)")
        return 1
    edits = cdir.hand_edits()
    for name, state in edits:
        say(f"{project.tei_dir / name}: {STATUS_WORDS[state]}")
    say(f"{len(edits)} of {len(cdir.manifest())} files of {project.tei_dir} differ from teikit's conversion")
    return 0
