"""teikit.transform reads only through the `Files` and writes only into the `Sink` it is
handed (issue 9 §2), and the application layer (teikit.sitedir, teikit.rendering) writes a
new output folder afresh and puts it in place in one step, never half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit import rendering, resources, sitedir
from teikit.cli import main
from teikit.core.errors import InputError, OutputError
from teikit.core.files import MemoryFiles, MemorySink
from teikit.rendering import stylesheets
from teikit.transform import site
from teikit.transform.runner import Stylesheets, TransformError

STYLES = stylesheets()

DOC = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d-1"><teiHeader><fileDesc>
<titleStmt><title type="main">A letter</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><p/></sourceDesc></fileDesc><profileDesc><creation><date when="1921-03-16">16 March 1921</date>
</creation></profileDesc></teiHeader><text><body><p>Dear colleague, the treaty is signed.</p></body></text></TEI>"""
CORPUS = b"""<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
<teiHeader><fileDesc><titleStmt><title>Letters</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><p/></sourceDesc></fileDesc></teiHeader><xi:include href="d-1.xml"/></teiCorpus>"""


def _memory_stylesheets() -> Stylesheets:
    """teikit's stylesheet folder copied into memory: a Stylesheets that never reads a file."""
    folder = STYLES.folder
    return Stylesheets(MemoryFiles({f"/xslt/{n}": (folder / n).read_bytes() for n in STYLES.names}),
                       Path("/xslt"), STYLES.names)


def test_the_site_is_made_from_memory_into_memory():
    styles = _memory_stylesheets()
    files = MemoryFiles({"/tei/corpus.xml": CORPUS, "/tei/d-1.xml": DOC})
    sink = MemorySink()
    result, writer = site.render_site(files, Path("/tei"), styles, sink, MemoryFiles(), None)
    assert {"site/d-1.html", "site/index.html", "site/tei/d-1.xml", "site/tei/corpus.xml", "text/d-1.txt",
            "text/corpus.txt", "site/assets/teikit.css"} <= set(sink.files)
    assert sink.files["site/tei/d-1.xml"] == DOC
    assert "the treaty is signed" in sink.files["text/d-1.txt"].decode("utf-8")
    assert b"A letter" in sink.files["site/d-1.html"]
    assert [r["url"] for r in result.records] == ["d-1.html"]
    # the same pages as the stylesheets read from disk give
    disk_sink = MemorySink()
    site.render_site(files, Path("/tei"), STYLES, disk_sink, MemoryFiles(), None)
    assert disk_sink.files == sink.files
    # a second build handed the first one's outputs and manifest makes nothing again
    again = MemorySink()
    previous = MemoryFiles({name: data for name, data in sink.files.items()})
    result2, _ = site.render_site(files, Path("/tei"), styles, again, previous, writer.manifest())
    assert again.files == {} and result2.transformed == [] and result2.skipped == len(sink.files)


def test_stylesheet_imports_go_through_the_files_and_stay_in_the_folder():
    xsl = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:import href="inner/part.xsl"/><xsl:output method="text"/></xsl:stylesheet>"""
    part = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:template match="/">from memory</xsl:template></xsl:stylesheet>"""
    styles = Stylesheets(MemoryFiles({"/x/main.xsl": xsl, "/x/inner/part.xsl": part}), Path("/x"),
                         ["main.xsl", "inner/part.xsl"])
    assert str(styles.compile("main.xsl")(etree.ElementTree(etree.Element("r")))) == "from memory"
    outside = Stylesheets(MemoryFiles({"/x/main.xsl": xsl.replace(b"inner/part.xsl", b"../y/part.xsl"),
                                       "/y/part.xsl": part}), Path("/x"), ["main.xsl"])
    with pytest.raises(TransformError, match="refused: only files inside /x may be read"):
        outside.compile("main.xsl")


def _tei_folder(tmp_path) -> Path:
    """tmp_path/tei holding the small corpus: corpus.xml and its one document d-1.xml."""
    tei = tmp_path / "tei"
    tei.mkdir()
    (tei / "corpus.xml").write_bytes(CORPUS)
    (tei / "d-1.xml").write_bytes(DOC)
    return tei


def test_a_clean_site_is_put_in_place_whole(tmp_path):
    tei = _tei_folder(tmp_path)
    out = tmp_path / "build"
    result = sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json", extra_downloads=[],
                                search_index=False)
    assert (out / "site" / "d-1.html").is_file() and (out / "text" / "corpus.txt").is_file()
    # no temporary folder left (the memo is the next build's: teikit.sitedir.MEMO)
    assert sorted(p.name for p in out.iterdir()) == [sitedir.MEMO, "manifest.json", "site", "text"]
    assert len(result.transformed) > 5
    # a build that fails half-way leaves no site folder, and no temporary one
    (tei / "d-1.xml").write_bytes(DOC.replace(b"</TEI>", b""))
    fresh = tmp_path / "other"
    with pytest.raises(InputError):
        sitedir.build_site(tei, fresh / "site", fresh / "text", fresh / "manifest.json", extra_downloads=[],
                           search_index=False)
    assert not (fresh / "site").exists() and not (fresh / "text").exists()
    assert not [p for p in fresh.iterdir() if p.name.startswith(".")] if fresh.exists() else True
    # the existing site is left as it was
    before = {p: p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()}
    with pytest.raises(InputError):
        sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json", extra_downloads=[],
                           search_index=False)
    assert {p: p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()} == before


def test_teikit_html_into_a_new_folder_keeps_the_pages_made_before_a_bad_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.xml").write_bytes(DOC)
    (src / "b.xml").write_bytes(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["html", str(src / "a.xml"), str(src / "b.xml"), "-o", str(out)])
    assert result.exit_code == 1 and "b.xml:1:" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "assets"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    result = CliRunner().invoke(main, ["html", str(src / "a.xml"), "-o", str(tmp_path / "new" / "deep")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "new" / "deep").iterdir()) == ["a.html", "assets"]


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "in.xml").write_bytes(DOC)
    blocker = tmp_path / "out"
    blocker.write_text("mine")
    with pytest.raises(OutputError, match="output folder .* cannot be created: File exists"):
        rendering.transform_files([tmp_path / "in.xml"], blocker, fmt="text")
    assert blocker.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xml", "out"]


def test_registry_loads_through_the_files_it_is_given(tmp_path):
    from teikit.convert.registry import Registry
    from teikit.projectinputs import read_registry

    data = Path(__file__).resolve().parents[1] / "data" / "registry"
    files = MemoryFiles({f"/reg/{p.name}": p.read_bytes() for p in data.glob("*.json")}
                        | {f"/schema/{p.name}": p.read_bytes() for p in resources.schema_dir().glob("*.json")})
    reg = Registry.load(Path("/reg"), Path("/schema/registry.schema.json"), files=files)
    assert reg.persons and reg.get("pers:chicherin") is not None
    assert reg.persons.keys() == read_registry(data).persons.keys()


def test_site_and_text_in_one_folder(tmp_path):
    tei = _tei_folder(tmp_path)
    out = tmp_path / "out"
    sitedir.build_site(tei, out / "both", out / "both", out / "manifest.json", extra_downloads=[], search_index=False)
    assert (out / "both" / "d-1.html").is_file() and (out / "both" / "d-1.txt").is_file()
    assert (out / "both" / "text" / "d-1.txt").is_file()


def test_a_killed_runs_half_written_folder_is_removed_by_the_next_run(tmp_path):
    """A run killed while it filled a fresh folder leaves `.site-new-<pid>-…` behind; the next
    run removes it (its process is gone), and leaves a live process's folder alone."""
    import os
    import subprocess
    import sys

    from teikit.disk import new_folder

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".site-new-{dead}-abc123"
    (stale / "doc").mkdir(parents=True)
    (stale / "doc" / "a.html").write_text("half", encoding="utf-8")
    old = tmp_path / f".site-old-{dead}"
    old.mkdir()
    live = tmp_path / f".site-new-{os.getppid()}-zzz"
    live.mkdir()
    with new_folder(tmp_path / "site") as fresh:
        (fresh / "index.html").write_text("ok", encoding="utf-8")
    assert not stale.exists() and not old.exists()
    assert live.exists()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "ok"


def test_an_output_folder_given_as_a_link_is_filled_through_it(tmp_path):
    """`-o LINK`, a link to the real output folder: the folder it names is replaced and the
    link kept (not turned into a folder of its own beside a stale copy)."""
    from teikit.disk import new_folder

    real = tmp_path / "real" / "out"
    real.mkdir(parents=True)
    (real / "old.html").write_text("old", encoding="utf-8")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "out"
    link.symlink_to(real)
    with new_folder(link) as fresh:
        (fresh / "new.html").write_text("new", encoding="utf-8")
    assert link.is_symlink() and (link / "new.html").is_file() and not (real / "old.html").exists()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out"]


def test_a_link_to_nothing_in_a_folder_is_reported_by_validate_not_left_out(tmp_path):
    from click.testing import CliRunner

    from teikit.cli import main

    (tmp_path / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', encoding="utf-8")
    (tmp_path / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    result = CliRunner().invoke(main, ["validate", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1 and "gone.xml" in result.output and "wf:unreadable" in result.output
