"""`teikit html` / `teikit text` on a folder an editor brings: one bad file does not stop the
others, each bad one is reported as file:line:col: error: ... with how to fix it, exit 1;
stylesheet parameters from the command line (--param NAME=VALUE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit import rendering
from teikit.cli import main

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
       '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
       '<text><body><p>{body}</p></body></text></TEI>')


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.xml").write_text(TEI.format(title="Alpha", body="first letter"), encoding="utf-8")
    (src / "b.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>x</body></text></TEI>',
                               encoding="utf-8")
    (src / "c.xml").write_text("<TEI><text><body><p>no namespace</p></body></text></TEI>", encoding="utf-8")
    (src / "d.xml").write_text(TEI.format(title="Delta", body="last letter"), encoding="utf-8")
    (src / "e.xml").write_text("<catalog><item/></catalog>", encoding="utf-8")
    return src


@pytest.mark.parametrize("fmt,ext", [("html", ".html"), ("text", ".txt")])
def test_a_folder_with_bad_files_renders_every_good_one_and_reports_each_bad_one(tmp_path, fmt, ext):
    src = _folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [fmt, str(src), "-o", str(out)])
    assert result.exit_code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"a{ext}", f"d{ext}"] + (["assets"] if fmt == "html" else []))
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert f"{src / 'b.xml'}:2:24: error: not well-formed XML" in err and "Fix the XML" in err
    assert f"{src / 'c.xml'}:1:1: error: " in err and 'Add xmlns="http://www.tei-c.org/ns/1.0"' in err
    assert f"{src / 'e.xml'}:1:1: error: " in err and "not TEI" in err
    assert "3 of 5 inputs could not be rendered" in err
    assert "last letter" in (out / f"d{ext}").read_text(encoding="utf-8")
    # the pages written are listed; nothing half-written, no temporary folder left
    assert str(out / f"d{ext}") in result.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_bad_file_does_not_touch_what_an_earlier_run_wrote(tmp_path):
    src = _folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.txt").write_text("the editor's earlier output", encoding="utf-8")
    result = CliRunner().invoke(main, ["text", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert (out / "b.txt").read_text(encoding="utf-8") == "the editor's earlier output"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "d.txt"]


def test_an_unreadable_file_is_reported_and_the_others_rendered(tmp_path, monkeypatch):
    src = _folder(tmp_path)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "a.xml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    errors: list[str] = []
    with pytest.raises(rendering.RenderErrors) as info:
        rendering.transform_files([src / "a.xml", src / "d.xml"], tmp_path / "out", fmt="text", error=errors.append)
    assert errors == [f"{src / 'a.xml'}:1:1: error: cannot be read: Permission denied. "
                      "Check that the file exists (a link: what it points to) and that you may read it."]
    assert info.value.written == [tmp_path / "out" / "d.txt"]


def test_a_broken_link_and_a_wrong_encoding_are_reported_not_skipped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.xml").write_text(TEI.format(title="Alpha", body="first letter"), encoding="utf-8")
    (src / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    (src / "latin.xml").write_bytes('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                                    '<p>café</p></body></text></TEI>'.encode("latin-1"))
    errors: list[str] = []
    with pytest.raises(rendering.RenderErrors, match="2 of 3 inputs"):
        rendering.transform_files([src], tmp_path / "out", fmt="text", error=errors.append)
    assert errors[0].startswith(f"{src / 'gone.xml'}:1:1: error: cannot be read: No such file or directory.")
    assert errors[1].startswith(f"{src / 'latin.xml'}:2:") and "Save the file as UTF-8" in errors[1]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt"]


def test_all_good_files_exit_zero_and_write_no_error(tmp_path):
    src = _folder(tmp_path)
    result = CliRunner().invoke(main, ["text", str(src / "a.xml"), str(src / "d.xml"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0 and "error" not in result.output


PAGES = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>P</title></titleStmt>'
         '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
         '<text><body><p>one <pb n="2" facs="0002.jpg"/> two</p></body></text></TEI>')


def test_param_sets_a_stylesheet_parameter_for_every_page(tmp_path):
    (tmp_path / "p.xml").write_text(PAGES, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["html", str(tmp_path / "p.xml"), "-o", str(out),
                                       "--param", "facs-base=https://example.org/img/"])
    assert result.exit_code == 0, result.output
    assert 'href="https://example.org/img/0002.jpg"' in (out / "p.html").read_text(encoding="utf-8")
    # without it, the facsimile is relative to the TEI file
    CliRunner().invoke(main, ["html", str(tmp_path / "p.xml"), "-o", str(tmp_path / "plain")])
    assert "example.org" not in (tmp_path / "plain" / "p.html").read_text(encoding="utf-8")


def test_param_values_are_strings_never_xpath(tmp_path):
    (tmp_path / "p.xml").write_text(PAGES, encoding="utf-8")
    value = """it's "quoted" & <b>not</b> concat('x')"""
    result = CliRunner().invoke(main, ["html", str(tmp_path / "p.xml"), "-o", str(tmp_path / "out"),
                                       "--param", f"corpus-title={value}", "--param", "lang=de"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "p.html").read_text(encoding="utf-8")
    assert "it's &quot;quoted&quot; &amp; &lt;b&gt;not&lt;/b&gt; concat('x')" in page or \
           "it's \"quoted\" &amp; &lt;b&gt;not&lt;/b&gt; concat('x')" in page
    assert '<html lang="de"' in page
    result = CliRunner().invoke(main, ["text", str(tmp_path / "p.xml"), "-o", str(tmp_path / "t"), "--param", "lang=de"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_an_unknown_param_is_an_error_listing_the_known_ones_and_writes_nothing(tmp_path, fmt):
    (tmp_path / "p.xml").write_text(PAGES, encoding="utf-8")
    result = CliRunner().invoke(main, [fmt, str(tmp_path / "p.xml"), "-o", str(tmp_path / "out"),
                                       "--param", "facs-bsae=x"])
    assert result.exit_code == 2
    assert "'facs-bsae' unknown" in result.output and "facs-base" in result.output and "link-base" in result.output
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(main, [fmt, str(tmp_path / "p.xml"), "-o", str(tmp_path / "out"), "--param", "facs-base"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output
    assert not (tmp_path / "out").exists()


def test_html_and_text_with_no_options_write_to_a_default_folder_they_name(tmp_path, monkeypatch):
    """`teikit html DIR` / `teikit text DIR` with no option: ./teikit-html and ./teikit-text in
    the current folder, named on stderr (as a new user runs them first)."""
    from click.testing import CliRunner

    from teikit.cli import main

    src = tmp_path / "tei"
    src.mkdir()
    (src / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                               '<title>A</title></titleStmt><publicationStmt><p/></publicationStmt>'
                               '<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
                               '<text><body><p>Hello</p></body></text></TEI>', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for cmd, page in (("html", "teikit-html/a.html"), ("text", "teikit-text/a.txt")):
        result = CliRunner().invoke(main, [cmd, str(src)])
        assert result.exit_code == 0, result.output + result.stderr
        assert (work / page).is_file()
        assert f"./{page.split('/')[0]}/" in result.stderr
    assert "Hello" in (work / "teikit-text" / "a.txt").read_text(encoding="utf-8")
