"""What a clean build does when writing corpus/tei beside its site (teikit.besidesite) did not
go as decided: the folder held other files by then (`from_disk`: everything from the disk, as
when corpus/tei is written first), or the write failed (`ready_else_undo`, `undo_unwritten`:
what a build that writes corpus/tei first leaves)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from teikit import besidesite
from teikit.corpusdir import write_atomic


def from_disk(project, cdir, written, say, later: list, validate, site) -> int:
    """What a build does after writing corpus/tei (`written`) when its folder was not as
    teikit.besidesite decided: the hand edits said, validation and the site read from the
    disk (`later`: what the deposit records said meanwhile; the site made from memory was
    discarded before it said anything); `validate(tei)`, `site(tei)`:
    teikit.build's, on corpus/tei's files as they are now (name -> digest)."""
    tei = cdir.tei_digests(written.digests)
    edits = cdir.hand_edits(tei)
    if edits:
        say(f"{len(edits)} files of {project.tei_dir} differ from teikit's conversion "
            f"(edited by hand; `teikit status` lists them)")
    tei_xml = {n: d for n, d in tei.items() if n.endswith(".xml")}
    code = validate(tei_xml)
    for line in later:
        say(line)
    return max(code, site(tei_xml))


def ready_else_undo(beside, project, result, build_dir: Path, made_build: bool, deposit_was: dict) -> None:
    """beside.ready() after the site failed (Differs aside: corpus/tei is written); when
    writing corpus/tei failed (said at once: Beside.went), `undo_unwritten` first, then that error."""
    try:
        beside.ready()
    except besidesite.Differs:
        pass
    except Exception:
        undo_unwritten(project, result, build_dir, made_build, deposit_was)
        raise


def undo_unwritten(project, result, build_dir: Path, made_build: bool, deposit_was: dict) -> None:
    """Writing corpus/tei beside the site failed: what a build that writes it first leaves
    too. The id map as it was (that build fails before it writes it: pipeline's
    result.idmap_was), the deposit records as they were (path -> bytes or None: written
    before the site, which reads CITATION.cff, and never by that build), and no build folder
    where there was none (the site left it empty)."""
    undo = dict(deposit_was)
    if result.idmap_was is not None:
        undo[project.idmap_path] = result.idmap_was[0]
    for path, old in undo.items():
        if old is None:
            with contextlib.suppress(FileNotFoundError):
                Path(path).unlink()
        elif read_bytes(path) != old:
            write_atomic(path, old)
    if made_build:
        with contextlib.suppress(OSError):
            os.rmdir(build_dir)  # only when empty


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
