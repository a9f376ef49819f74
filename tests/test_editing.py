"""Hand edits of corpus/tei survive a rebuild (issue 13): merged, or kept and reported."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from teikit.cli import main
from teikit.core.merge import merge

DOC = "bdl-1945-03-14"
PARA = "The Ambassador's report deserves a wide circulation."


def _build(corpus, *extra):
    return CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", *extra])


def _override_title(corpus, title: str) -> None:
    (corpus / "overrides.json").write_text(json.dumps({"documents": {DOC: {"title": {
        "value": title, "reason": "The printed heading names the department, not the minute's subject."}}}}),
        encoding="utf-8")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_hand_edit_and_an_override_of_the_same_documents_header_are_both_kept(corpus):
    path = corpus / "tei" / f"{DOC}.xml"
    _edit(path, PARA, "The Ambassador's report deserves a <hi rend=\"italic\">wide</hi> circulation.")
    _override_title(corpus, "Minute on the Ambassador's report")
    result = _build(corpus)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert '<hi rend="italic">wide</hi> circulation.' in text  # the editor's paragraph
    assert "<title type=\"main\">Minute on the Ambassador's report</title>" in text  # the override's header
    assert "your hand edits were merged" in result.output
    assert not (corpus / "tei" / f"{DOC}.xml.new").exists()
    status = CliRunner().invoke(main, ["status", "--corpus", str(corpus)])
    assert status.exit_code == 0 and f"{DOC}.xml: edited by hand" in status.output
    # and again: nothing changed, nothing rewritten, the edit still there
    again = _build(corpus)
    assert again.exit_code == 0 and "up to date" in again.output
    assert path.read_text(encoding="utf-8") == text


def test_a_conflicting_edit_is_kept_reported_at_its_line_and_can_be_resolved(corpus):
    path = corpus / "tei" / f"{DOC}.xml"
    _edit(path, '<title type="main">Minute by the Head of the Southern Department</title>',
          '<title type="main">Minute of the Southern Department on the report</title>')
    edited = path.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "on the report</title>" in text)
    _override_title(corpus, "Minute on the Ambassador's report")
    result = _build(corpus)
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == edited  # the editor's file is untouched
    new = corpus / "tei" / f"{DOC}.xml.new"
    assert "Minute on the Ambassador's report" in new.read_text(encoding="utf-8")
    assert f"{path}:{line}: conflict" in result.output
    assert "delete" in result.output and "--force" in result.output  # how to resolve
    status = CliRunner().invoke(main, ["status", "--corpus", str(corpus)])
    assert f"{DOC}.xml: conflict" in status.output
    # the editor keeps their title: deleting the .new file says the conflict is resolved
    new.unlink()
    resolved = _build(corpus)
    assert resolved.exit_code == 0, resolved.output
    assert path.read_text(encoding="utf-8") == edited
    # --force discards the hand edit
    forced = _build(corpus, "--force")
    assert forced.exit_code == 0, forced.output
    assert "Minute on the Ambassador's report" in path.read_text(encoding="utf-8")
    assert "on the report</title>" not in path.read_text(encoding="utf-8")


def test_a_clean_merge_that_does_not_validate_is_a_conflict(corpus):
    path = corpus / "tei" / f"{DOC}.xml"
    _edit(path, PARA, "The Ambassador's report <madeUp>deserves</madeUp> a wide circulation.")
    edited = path.read_text(encoding="utf-8")
    _override_title(corpus, "Minute on the Ambassador's report")
    result = _build(corpus)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "<madeUp>" in text)
    assert re.search(rf"{re.escape(str(path))}:(\d+): conflict: the merge of your edits with the new conversion "
                     rf"is not valid", result.output)
    reported = int(re.search(rf"{re.escape(str(path))}:(\d+): conflict", result.output).group(1))
    assert abs(reported - line) <= 1  # the line of the invalid element (the merge shifts nothing here)
    assert path.read_text(encoding="utf-8") == edited
    assert (corpus / "tei" / f"{DOC}.xml.new").exists()


def test_an_edited_corpus_file_is_listed_and_kept(corpus):
    path = corpus / "tei" / "corpus.xml"
    _edit(path, "</teiHeader>", "<!-- checked by the editor --></teiHeader>")
    (corpus / "tei" / "notes.xml").write_text("<notes/>", encoding="utf-8")
    status = CliRunner().invoke(main, ["status", "--corpus", str(corpus)])
    assert "corpus.xml: edited by hand" in status.output
    assert "notes.xml: not written by teikit" in status.output
    _override_title(corpus, "Minute on the Ambassador's report")
    result = _build(corpus)
    assert "<!-- checked by the editor -->" in path.read_text(encoding="utf-8")
    assert (corpus / "tei" / "notes.xml").exists()


def test_nothing_changed_rewrites_nothing(corpus):
    before = {p.name: p.stat().st_mtime_ns for p in (corpus / "tei").iterdir()}
    result = _build(corpus)
    assert result.exit_code == 0 and "up to date" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in (corpus / "tei").iterdir()} == before


def test_the_manifest_and_base_copies_record_what_teikit_wrote(corpus):
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]
    names = sorted(p.name for p in (corpus / "tei").glob("*.xml"))
    assert sorted(manifest) == names
    for name in names:
        assert (corpus / ".teikit" / "base" / name).read_bytes() == (corpus / "tei" / name).read_bytes()
        assert re.fullmatch(r"[0-9a-f]{64}", manifest[name])


def test_merge_replays_edits_and_reports_conflicts_at_their_lines():
    base = b"<a>\n<b>one</b>\n<c>two</c>\n<d>three</d>\n</a>\n"
    edited = base.replace(b"one", b"ONE")
    new = base.replace(b"three", b"3")
    m = merge(base, edited, new)
    assert m.clean and m.data == b"<a>\n<b>ONE</b>\n<c>two</c>\n<d>3</d>\n</a>\n"
    clash = merge(base, edited, base.replace(b"one", b"1"))
    assert not clash.clean and clash.conflicts[0].line == 2 and clash.data == edited


def test_the_hashes_a_conversion_gives_are_those_of_the_files_it_leaves(corpus):
    """write_generated's Report.digests (which the build hands tei_digests, so as not to read
    what it has just written) hold only files whose bytes are the conversion's, and equal
    what reading corpus/tei gives; a merged hand edit, a kept one and a conflict are read."""
    from teikit import pipeline
    from teikit.project import Project

    project = Project(corpus)
    path = corpus / "tei" / f"{DOC}.xml"
    _edit(path, PARA, "The Ambassador's report deserves a <hi rend=\"italic\">wide</hi> circulation.")
    _override_title(corpus, "Minute on the Ambassador's report")
    result = pipeline.convert_project(project, validate=lambda name, data: [])
    report = result.written
    assert report.merged == [f"{DOC}.xml"] and f"{DOC}.xml" not in report.digests
    assert report.digests and set(report.digests) <= set(project.manifest())
    assert project.tei_digests(report.digests) == project.tei_digests()
    other = next(n for n in report.digests if n != "corpus.xml")
    (corpus / "tei" / other).write_bytes(b"<changed/>")  # not given: read
    assert project.tei_digests({n: d for n, d in report.digests.items() if n != other}) == project.tei_digests()
