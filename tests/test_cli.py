"""The command line as a user meets it: exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit import __version__
from teikit.cli import main


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"teikit, version {__version__}\n"


def test_build_writes_one_file_per_document_and_the_id_map(corpus):
    names = sorted(p.name for p in (corpus / "tei").glob("*.xml"))
    assert names == ["bdl-1945-03-12.xml", "bdl-1945-03-14.xml", "bdl-1945-04-02.xml",
                     "bdl-back.xml", "bdl-front.xml", "corpus.xml", "orgs.xml", "persons.xml", "places.xml"]
    idmap = json.loads((corpus / "idmap.json").read_text(encoding="utf-8"))
    assert sorted(e["id"] + ".xml" for e in idmap["documents"].values()) == names[:3]


def test_rebuild_is_byte_identical(corpus):
    before = snapshot(corpus / "tei")
    result = run("build", "--corpus", str(corpus), "--no-site", "--quiet")
    assert result.exit_code == 0
    assert snapshot(corpus / "tei") == before


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "does not exist. Give the path of the compilation's text file."),
        (b"", "is empty. Give a text file with the compilation's documents."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is binary, not text. Convert it to UTF-8 text (markdown) first."),
        ("Caf\u00e9 heading\n".encode("cp1252"), "is not UTF-8 (byte 0xe9 at line 1). Convert it, e.g. `iconv -f cp1252 -t utf-8`."),
        (b"Just some prose.\n\nNo headings here at all.\n", "No document heading found in dispatches.md"),
    ],
    ids=["missing", "empty", "binary", "not-utf8", "no-document"],
)
def test_bad_source_gives_one_line_error_and_keeps_the_corpus(corpus, content, message):
    source = corpus / "source" / "dispatches.md"
    before = snapshot(corpus / "tei")
    if content is None:
        source.unlink()
    else:
        source.write_bytes(content)
    result = run("build", "--corpus", str(corpus), "--no-site", "--quiet")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert str(source) in result.output or "dispatches.md" in result.output
    assert result.output.count("\n") == 1
    assert snapshot(corpus / "tei") == before


@pytest.mark.parametrize("char", ["\x00", "\x0c", "\x1b", "\ufffe"], ids=["nul", "form-feed", "escape", "fffe"])
def test_a_character_xml_cannot_hold_in_the_source_is_an_input_error(corpus, char):
    """Past the first 4096 bytes (where a NUL says "binary"): an input error naming the file,
    the line and the fix, not lxml's internal error (the reviewer's P3)."""
    source = corpus / "source" / "dispatches.md"
    before = snapshot(corpus / "tei")
    text = source.read_text(encoding="utf-8")
    text += f"\nSome words{' of padding' * 400}.\n"
    assert len(text.encode("utf-8")) > 4096
    source.write_text(text + f"A line with{char}in it.\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = run("build", "--corpus", str(corpus), "--no-site", "--quiet")
    assert result.exit_code == 1
    assert result.output == (f"Error: Source file {str(source)!r} holds a character XML cannot hold "
                             f"(U+{ord(char):04X} at line {line}). Remove it or replace it with a space, "
                             f"then convert again.\n")
    assert snapshot(corpus / "tei") == before


@pytest.mark.parametrize("content, message", [
    (b"[1\n", "is not valid JSON at line 2, column 1: Expecting ',' delimiter. Fix the JSON syntax."),
    (b"[1]\n", "is not a JSON object. Fix the file, or remove it to start a new map."),
    (b'{"version": 1, "x": "\xe9"}\n', "is not UTF-8 (byte 0xe9 at line 1). Fix the file, or remove it to start a new map."),
], ids=["syntax", "not-object", "not-utf8"])
def test_a_broken_id_map_is_an_input_error(corpus, content, message):
    """corpus/idmap.json that cannot be read: a one-line error naming it (the reviewer's P4)."""
    (corpus / "idmap.json").write_bytes(content)
    before = snapshot(corpus / "tei")
    result = run("build", "--corpus", str(corpus), "--no-site", "--quiet")
    assert result.exit_code == 1
    assert result.output == f"Error: Identifier map {str(corpus / 'idmap.json')!r} {message}\n"
    assert snapshot(corpus / "tei") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_unwritable_output_folder(corpus, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run("convert", str(corpus / "source" / "dispatches.md"), "--corpus", str(corpus),
                     "-o", str(locked / "tei"))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: Cannot write to {str(locked)!r}")


def test_output_path_that_is_a_file(corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("convert", str(corpus / "source" / "dispatches.md"), "--corpus", str(corpus),
                 "-o", str(blocker / "tei"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot write to ")
    assert "Choose a writable output folder (-o)." in result.output


def test_invalid_configuration_names_the_field(corpus):
    config = corpus / "source" / "corpus.json"
    data = json.loads(config.read_text(encoding="utf-8"))
    data["id_prefix"] = "1 bad prefix"
    config.write_text(json.dumps(data), encoding="utf-8")
    result = run("build", "--corpus", str(corpus), "--no-site", "--quiet")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Corpus configuration {str(config)!r} is invalid at $.id_prefix (line 1, column 15): "
        "'1 bad prefix' does not match "
        "'^[A-Za-z_][A-Za-z0-9_.-]*$'. Fix the value (schema: schema/corpus.schema.json).\n"
    )


def test_segment_report_text_and_json(corpus):
    source = corpus / "source" / "dispatches.md"
    text = run("segment", str(source), "--report", "--corpus", str(corpus))
    assert text.exit_code == 0
    assert "dispatches.md: 3 documents" in text.output
    assert "Table of contents: 3 entries, 3 matched to a document." in text.output
    js = run("segment", str(source), "--report", "--format", "json", "--corpus", str(corpus))
    data = json.loads(js.output)
    assert [d["lines"] for d in data["documents"]] == [[13, 27], [29, 37], [39, 45]]
    assert [d["toc"]["page"] for d in data["documents"]] == ["3", "5", "6"]


def test_check_command_reports_full_recall(corpus):
    result = run("check", "--corpus", str(corpus))
    assert result.exit_code == 0
    assert result.output.startswith("192/192 words of dispatches.md found in 5 files (100.0000%)")


def test_ids_stay_when_a_date_line_is_read_differently(corpus):
    source = corpus / "source" / "dispatches.md"
    source.write_text(source.read_text(encoding="utf-8").replace("12 March 1945, Confidential", "12 March 1945, Secret"),
                      encoding="utf-8")
    result = run("build", "--corpus", str(corpus), "--no-site")
    assert result.exit_code == 0, result.output
    assert "document 1 (line 13) keeps id bdl-1945-03-12: its heading or date line is read differently now" in result.output
    idmap = json.loads((corpus / "idmap.json").read_text(encoding="utf-8"))
    assert idmap["retired"] == {}
    assert sorted(e["id"] for e in idmap["documents"].values()) == ["bdl-1945-03-12", "bdl-1945-03-14", "bdl-1945-04-02"]


def test_a_removed_document_retires_its_id_for_good(corpus):
    source = corpus / "source" / "dispatches.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("### Minute by the Head of the Southern Department", "Minute by the Head:"),
                      encoding="utf-8")
    assert run("build", "--corpus", str(corpus), "--no-site", "-q").exit_code == 0
    idmap = json.loads((corpus / "idmap.json").read_text(encoding="utf-8"))
    assert list(idmap["retired"]) == ["bdl-1945-03-14"]
    source.write_text(text, encoding="utf-8")  # the document comes back: it gets a new id, never the retired one
    assert run("build", "--corpus", str(corpus), "--no-site", "-q").exit_code == 0
    idmap = json.loads((corpus / "idmap.json").read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in idmap["documents"].values()) == ["bdl-1945-03-12", "bdl-1945-03-14-2", "bdl-1945-04-02"]


def test_the_build_program_ends_at_once_with_every_message_and_its_exit_code(corpus, tmp_path):
    """`teikit build` run as the program ends by os._exit (its objects are not torn down,
    tens of milliseconds): it says what a run that ends by an ordinary exit says, every
    line flushed into a file (block-buffered), with the same exit code, on a first build
    and after an invalid hand edit (exit 1)."""
    import shutil
    import subprocess
    import sys

    as_program = ["-m", "teikit"]  # sys.argv[0] is teikit/__main__.py: os._exit
    as_caller = ["-c", "import sys; from teikit.cli import main; sys.argv[0] = 'caller'; main()"]  # sys.exit
    copies = {}
    for name in ("program", "caller"):
        copies[name] = tmp_path / name / corpus.parent.name / corpus.name
        shutil.copytree(corpus.parent, copies[name].parent, ignore=shutil.ignore_patterns("tei", ".teikit", "build"))

    hook = tmp_path / "hook"  # an atexit handler in every Python started below: it runs at teardown only
    hook.mkdir()
    (hook / "sitecustomize.py").write_text("import atexit, os\natexit.register(lambda: open(os.environ["
                                           "'TEIKIT_TORN_DOWN'], 'w').close())\n", encoding="utf-8")

    def build(name):
        torn = tmp_path / f"{name}.torn-down"
        torn.unlink(missing_ok=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])]),
                   TEIKIT_TORN_DOWN=str(torn))
        with open(tmp_path / f"{name}.txt", "wb") as out:
            rc = subprocess.run([sys.executable, *(as_program if name == "program" else as_caller), "build",
                                 "--corpus", str(copies[name]), "--no-site"],
                                stdout=out, stderr=subprocess.STDOUT, cwd=copies[name].parent, env=env).returncode
        assert torn.exists() == (name == "caller")  # the program skips the teardown, a caller gets it
        said = (tmp_path / f"{name}.txt").read_text(encoding="utf-8")
        return rc, said.replace(str(tmp_path / name), "ROOT")

    first = {name: build(name) for name in copies}
    assert first["program"] == first["caller"] and first["program"][0] == 0 and "validated " in first["program"][1]
    for name, c in copies.items():
        tei = c / "tei" / "bdl-1945-03-12.xml"
        tei.write_text(tei.read_text(encoding="utf-8").replace("<p ", "<madeUp/><p ", 1), encoding="utf-8")
    second = {name: build(name) for name in copies}
    assert second["program"] == second["caller"] and second["program"][0] == 1 and "madeUp" in second["program"][1]


def test_an_in_process_run_exits_normally_not_by_os_exit():
    """Only the `teikit` program itself ends with os._exit (skipping teardown): a caller in
    the same process (a test runner, a notebook) gets an ordinary SystemExit."""
    import pytest

    from teikit import entry

    with pytest.raises(SystemExit) as exc:
        entry.finish(3)
    assert exc.value.code == 3
