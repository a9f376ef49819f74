"""Batches of files: cross-document checks only where files form one set, shards, combining reports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from teikit.cli import main
from teikit.core.errors import UsageError
from teikit.validation import in_shard, parse_shard, validate_paths

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
       '</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>'
       '</fileDesc></teiHeader><text><body>{body}</body></text></TEI>')


def write(folder, name, body='<p xml:id="p1-l1">x</p>'):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TEI.format(body=body), encoding="utf-8")
    return path


def xdoc(report):
    return sorted((i.severity, i.code, i.file.rsplit("/", 1)[-1]) for f in report.files
                  for i in f.issues if i.layer == "xdoc")


def test_ids_are_per_file_in_a_plain_batch(tmp_path):
    write(tmp_path, "a.xml")
    write(tmp_path, "b.xml")
    report = validate_paths([tmp_path])
    assert xdoc(report) == [] and all(f.valid for f in report.files)
    assert all(f.layers["cross-document"] is True for f in report.files)
    forced = validate_paths([tmp_path], cross_document=True)
    assert xdoc(forced) == [("error", "xdoc:duplicate-id", "b.xml")]
    assert validate_paths([tmp_path], cross_document=False).files[0].layers["cross-document"] is None


def test_a_pointer_to_a_missing_file_in_foreign_tei_is_one_warning(tmp_path):
    write(tmp_path, "a.xml", '<p><ref target="other.xml#x">1</ref><ref target="other.xml#y">2</ref></p>')
    report = validate_paths([tmp_path])
    assert xdoc(report) == [("warning", "xdoc:ref-file", "a.xml")]
    assert "2 pointers to it" in report.files[0].issues[0].message and report.files[0].valid


def test_a_tei_corpus_and_the_files_it_includes_are_one_set(tmp_path):
    write(tmp_path, "m1.xml")
    write(tmp_path, "m2.xml")
    write(tmp_path, "loose.xml")
    (tmp_path / "corpus.xml").write_text(
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<teiHeader><fileDesc><titleStmt><title>c</title></titleStmt><publicationStmt><p>p</p>'
        '</publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'
        '<xi:include href="m1.xml"/><xi:include href="m2.xml"/></teiCorpus>', encoding="utf-8")
    found = xdoc(validate_paths([tmp_path]))
    assert ("error", "xdoc:duplicate-id", "m2.xml") in found or ("error", "xdoc:duplicate-id", "m1.xml") in found
    assert not any(name == "loose.xml" for _s, _c, name in found)


def test_shards_are_a_deterministic_partition():
    paths = [f"tei/doc-{i:04d}.xml" for i in range(300)]
    parts = [[p for p in paths if in_shard(p, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == paths
    assert all(60 < len(part) < 140 for part in parts)
    assert parts[0] == [p for p in paths if in_shard(p, (1, 3))]
    more = paths + ["tei/new.xml"]
    assert [p for p in more if in_shard(p, (2, 3)) and p != "tei/new.xml"] == parts[1]


@pytest.mark.parametrize("value", ["0/3", "4/3", "a/b", "3"])
def test_a_bad_shard_is_a_usage_error(value):
    with pytest.raises(UsageError):
        parse_shard(value)


def test_shard_reports_combine_into_the_whole_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for i in range(12):
        write(tmp_path / "tei", f"d{i:02d}.xml", "<para/>" if i % 5 == 0 else "<p>x</p>")
    runner = CliRunner()
    whole = runner.invoke(main, ["validate", "tei", "--format", "json", "-o", "all.json"])
    assert whole.exit_code == 1
    for k in (1, 2, 3):
        runner.invoke(main, ["validate", "tei", "--shard", f"{k}/3", "--format", "json", "-o", f"s{k}.json"])
    combined = runner.invoke(main, ["validate", "--combine", "s1.json", "s2.json", "s3.json", "--format", "json"])
    assert combined.exit_code == 1
    assert json.loads(combined.output) == json.loads((tmp_path / "all.json").read_text())
    junit = runner.invoke(main, ["validate", "--combine", "s1.json", "s2.json", "s3.json", "--format", "junit"])
    assert 'tests="12" failures="3"' in junit.output
