"""The deposit bundle: BagIt 1.0 layout, byte-identical rebuilds, and `teikit package --verify`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit.publish import bagit
from teikit.package import verify, write_bag
from teikit.cli import main

from .conftest import ROOT

CONFIG = {"id_prefix": "x", "version": "1.2.3", "title": "T", "publisher": "P", "doi": None,
          "licence": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "label": "CC BY-SA 4.0", "as_printed": "-"}}


def test_build_bag_is_pure_and_complete():
    payload = {"tei/a.xml": b"<a/>", "README.md": b"hello\n", "dir/b%c.txt": b"x"}
    bag = bagit.build_bag(payload, CONFIG, "2026-01-01")
    assert bag == bagit.build_bag(dict(reversed(list(payload.items()))), CONFIG, "2026-01-01")
    assert sorted(bag) == ["bag-info.txt", "bagit.txt", "data/README.md", "data/dir/b%c.txt", "data/tei/a.xml",
                           "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]
    assert bag["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    sha = lambda d: hashlib.sha256(d).hexdigest()  # noqa: E731
    assert bag["manifest-sha256.txt"].decode() == (
        f"{sha(b'hello' + bytes([10]))}  data/README.md\n{sha(b'x')}  data/dir/b%25c.txt\n{sha(b'<a/>')}  data/tei/a.xml\n")
    assert bag["bag-info.txt"].decode() == (
        "Source-Organization: P\nExternal-Description: T\nExternal-Identifier: x-corpus\nCorpus-Version: 1.2.3\n"
        "Licence: CC BY-SA 4.0 <https://creativecommons.org/licenses/by-sa/4.0/>\nBagging-Date: 2026-01-01\n"
        f"Bag-Software-Agent: teikit {__import__('teikit').__version__}\nBag-Size: 11 B\nPayload-Oxum: 11.3\n")
    tags = bag["tagmanifest-sha512.txt"].decode().splitlines()
    assert [line.split("  ")[1] for line in tags] == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"]


def test_written_bag_verifies(tmp_path):
    write_bag(tmp_path / "bag", bagit.build_bag({"a.txt": b"a", "sub/b.txt": b"bb"}, CONFIG, "2026-01-01"))
    result = verify(tmp_path / "bag")
    assert (result.ok, result.files, result.bytes) == (True, 2, 3)


def test_write_bag_refuses_to_replace_a_folder_that_is_not_a_bag(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(Exception) as err:
        write_bag(tmp_path, {"bagit.txt": b""})
    assert str(err.value) == f"Output {str(tmp_path)!r} exists and is not a bag. Choose a new or empty folder (-o)."
    assert (tmp_path / "keep.txt").read_text() == "x"


# --- the corpus bag --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """corpus/ and data/registry copied, so that concurrent builds of the repository do not disturb the test."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    shutil.copytree(ROOT / "data" / "registry", root / "data" / "registry")
    return root / "corpus"


@pytest.fixture(scope="module")
def bag(project_copy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "bag"
    result = CliRunner().invoke(main, ["package", "-o", str(out), "--corpus", str(project_copy)])
    assert result.exit_code == 0, result.output
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_bag_holds_everything_the_deposit_needs(bag, project_copy):
    names = set(snapshot(bag))
    tei = {f"data/tei/{p.name}" for p in (project_copy / "tei").glob("*.xml")}
    assert tei <= names and "data/tei/corpus.xml" in names and "data/tei/persons.xml" in names
    for name in ("data/cmif.xml", "data/CITATION.cff", "data/.zenodo.json", "data/datacite.json", "data/README.md",
                 "data/LICENCE.txt", "data/schema/teikit.rng", "data/schema/teikit.sch", "data/schema/cmif.sch",
                 "data/source/corpus.json", "data/source/idmap.json", "data/registry/persons.json"):
        assert name in names, name
    assert any(n.startswith("data/site/") and n.endswith(".html") for n in names)
    assert any(n.startswith("data/text/") and n.endswith(".txt") for n in names)
    version = json.loads((project_copy / "source" / "corpus.json").read_text(encoding="utf-8"))["version"]
    assert f"\nCorpus-Version: {version}\n" in (bag / "bag-info.txt").read_text()
    assert (bag / "data" / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()


def test_rebuilt_bag_is_byte_identical(bag, project_copy, tmp_path):
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["package", "-o", str(again), "--corpus", str(project_copy)]).exit_code == 0
    assert snapshot(again) == snapshot(bag)


def test_verify_cli_accepts_the_bag(bag):
    result = CliRunner().invoke(main, ["package", "--verify", str(bag)])
    files = sum(1 for p in (bag / "data").rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (bag / "data").rglob("*") if p.is_file())
    assert (result.exit_code, result.stdout) == (0, f"{bag}: valid BagIt 1.0 bag, {files} payload files, {size} bytes\n")


@pytest.fixture()
def damaged(bag, tmp_path) -> Path:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    return copy


def test_verify_reports_a_changed_file(damaged):
    path = damaged / "data" / "README.md"
    path.write_bytes(path.read_bytes().replace(b"#", b"!", 1))
    result = CliRunner().invoke(main, ["package", "--verify", str(damaged)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    assert lines[0].startswith(f"{damaged}/manifest-sha256.txt: error: [bag:checksum] data/README.md: sha256 is {sha256}, manifest says ")
    assert [ln.split("[")[1].split("]")[0] for ln in lines[:-1]] == ["bag:checksum", "bag:checksum"]
    assert lines[-1] == f"Error: {damaged}: bag is invalid (2 problems)."


def test_verify_reports_missing_unlisted_and_oxum(damaged):
    (damaged / "data" / "LICENCE.txt").unlink()
    (damaged / "data" / "extra.txt").write_text("x")
    result = verify(damaged)
    codes = sorted(i.code for i in result.issues)
    assert codes == ["bag:missing", "bag:oxum", "bag:unlisted"]
    assert [i.format() for i in result.issues if i.code == "bag:unlisted"][0] == (
        f"{damaged}/data/extra.txt: error: [bag:unlisted] data/extra.txt is in the payload but in no manifest")


def _rehash_tags(bag: Path) -> None:
    """Rewrite the tag manifests after a test changed a tag file, as a bagging tool would."""
    for alg in bagit.ALGORITHMS:
        tags = {p.name: p.read_bytes() for p in bag.iterdir()
                if p.is_file() and not p.name.startswith("tagmanifest-")}
        (bag / f"tagmanifest-{alg}.txt").write_bytes(bagit.manifest(tags, alg))


def test_verify_reads_continued_bag_info_lines(damaged):
    info = damaged / "bag-info.txt"
    info.write_text(info.read_text().replace("External-Description: ", "External-Description: a long\n  description, "))
    _rehash_tags(damaged)
    assert verify(damaged).issues == []


def test_verify_reports_files_still_to_be_fetched(damaged):
    (damaged / "fetch.txt").write_text("https://example.org/big.bin 3 data/big.bin\n")
    _rehash_tags(damaged)
    issues = verify(damaged).issues
    assert [(i.code, i.message) for i in issues] == [
        ("bag:fetch", "data/big.bin is listed in fetch.txt but not fetched: the bag is incomplete")]


def test_verify_reports_a_tag_manifest_that_leaves_out_a_tag_file(damaged):
    for alg in bagit.ALGORITHMS:
        path = damaged / f"tagmanifest-{alg}.txt"
        path.write_text("".join(ln for ln in path.read_text().splitlines(True) if "manifest-sha512.txt" not in ln))
    issues = verify(damaged).issues
    assert [(i.code, Path(i.file).name) for i in issues] == [
        ("bag:tagmanifest-incomplete", "tagmanifest-sha256.txt"),
        ("bag:tagmanifest-incomplete", "tagmanifest-sha512.txt")]
    assert issues[0].message == "manifest-sha512.txt is a tag file but tagmanifest-sha256.txt does not list it"


def test_verify_a_folder_that_is_not_a_bag(tmp_path):
    result = CliRunner().invoke(main, ["package", "--verify", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path}/bagit.txt: error: [bag:bagit-txt] bagit.txt is missing: not a bag\n"
                             f"Error: {tmp_path}: bag is invalid (1 problem).\n")


def test_package_needs_exactly_one_mode():
    result = CliRunner().invoke(main, ["package"])
    assert (result.exit_code, result.stderr) == (2, "Error: Give either -o DIR (write a bag) or --verify DIR (check a bag).\n")
