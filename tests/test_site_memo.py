"""The site's memo (teikit.transform.site.memo, kept by teikit.sitedir between builds) and the
outputs it lets a rebuild keep without reading them: every shortcut gives the bytes of the
full path, and is not taken where its inputs changed."""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
import zlib
from pathlib import Path

from lxml import etree

from teikit import projectinputs, sitedir
from teikit.disk import Disk
from teikit.transform import site
from teikit.transform.site import output
from teikit.transform.site.memo import Memo

from .conftest import ROOT

TEI_DIR = ROOT / "corpus" / "tei"
CONFIG = ROOT / "corpus" / "source" / "corpus.json"


def _build(tei: Path, out: Path, config: dict | None = None):
    return sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json",
                              config=projectinputs.load_config(CONFIG) if config is None else config,
                              extra_downloads=[], search_index=False)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_as_clean(tei: Path, work: Path, tmp: Path, config: dict | None = None) -> None:
    clean = tmp / f"clean-{random.random()}"
    _build(tei, clean, config)
    assert _snapshot(work / "site") == _snapshot(clean / "site")
    assert _snapshot(work / "text") == _snapshot(clean / "text")


def test_zip_bytes_are_zipfile_s_bytes_with_and_without_kept_deflated_files():
    files = [(f"tei/{p.name}", p.read_bytes()) for p in sorted(TEI_DIR.glob("*.xml"))]
    assert output.zip_bytes(files) == output._zipfile_bytes(files)
    kept = [output.deflate(data) for _, data in files]
    assert output.zip_bytes(files, kept) == output._zipfile_bytes(files)
    rnd = random.Random(7)
    for _ in range(40):
        some = [(f"d/{i}.xml", rnd.randbytes(rnd.randint(0, 4000)) if i % 2 else b"<p>a</p>" * rnd.randint(0, 900))
                for i in range(rnd.randint(0, 6))]
        assert output.zip_bytes(some) == output._zipfile_bytes(some)
    # a name zipfile flags as UTF-8 is left to zipfile
    assert output.zip_bytes([("tei/ü.xml", b"x")]) == output._zipfile_bytes([("tei/ü.xml", b"x")])


def test_the_slim_copies_and_facts_from_the_memo_are_those_made_from_the_files():
    memo = Memo()
    _, tree, fresh = site.read_corpus(Disk(), TEI_DIR, memo)
    first = etree.tostring(site.slim_corpus(tree, fresh, memo))
    assert memo.misses and not memo.hits
    again = Memo(memo.kept)
    _, tree, kept = site.read_corpus(Disk(), TEI_DIR, again)
    docs = [m for m in kept.values() if not m.registry]
    assert all(m.tree is None for m in docs)  # not parsed: their facts came from the memo
    assert etree.tostring(site.slim_corpus(tree, kept, again)) == first
    assert again.hits and not again.misses
    assert all(m.tree is None for m in docs)
    _, tree, plain = site.read_corpus(Disk(), TEI_DIR)
    assert etree.tostring(site.slim_corpus(tree, plain)) == first
    for href, m in plain.items():
        assert {k: getattr(m, k) for k in site.corpus.FACTS} == {k: getattr(kept[href], k) for k in site.corpus.FACTS}


def test_rebuilds_with_the_memo_equal_clean_builds_when_the_configuration_or_a_registry_changes(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    # the configuration: every citation changes (the memo keeps them by configuration)
    config = projectinputs.load_config(CONFIG)
    config["title"] = config.get("title", "") + " (second edition)"
    config["short_title"] = (config.get("short_title") or "Edition") + " II"
    redone = _build(tei, work, config).transformed
    assert "site/sfp-1920-06-03.html" in redone
    _same_as_clean(tei, work, tmp_path, config)
    # a registry entry's name: the pages naming it and the search records change
    persons = tei / "persons.xml"
    data = persons.read_bytes()
    assert b">Georgy Chicherin<" in data
    persons.write_bytes(data.replace(b">Georgy Chicherin<", b">Georgii Chicherin<"))
    _build(tei, work, config)
    _same_as_clean(tei, work, tmp_path, config)
    assert b"Georgii Chicherin" in (work / "site" / "pers-chicherin.html").read_bytes()


def test_an_output_changed_since_the_last_build_is_made_again_even_at_its_old_size(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    page = work / "site" / "sfp-1920-06-03.html"
    text = work / "text" / "corpus.txt"
    good_page, good_text = page.read_bytes(), text.read_bytes()
    page.write_bytes(good_page.replace(b"<title>", b"<TITLE>", 1))  # same size, another mtime
    text.write_bytes(good_text[:-1])
    redone = _build(tei, work)
    assert page.read_bytes() == good_page and text.read_bytes() == good_text
    assert "site/sfp-1920-06-03.html" in redone.transformed
    # unchanged outputs were vouched for by their size and time, not read
    assert _build(tei, work).skipped > 1000


def test_a_memo_of_other_code_or_a_damaged_one_is_not_used(tmp_path, monkeypatch):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    memo_file = work / sitedir.MEMO
    assert memo_file.is_file()
    assert memo_file.stat().st_mode & 0o077 == 0  # the user's alone, as every cache file
    loaded, stats = sitedir._load_memo(memo_file, sitedir.code_digest())
    assert loaded and len(stats) > 1000
    assert sitedir._load_memo(memo_file, "other code") == ({}, {})
    memo_file.chmod(0o666)  # another user could have written it: a pickle runs code, so not loaded
    assert sitedir._load_memo(memo_file, sitedir.code_digest()) == ({}, {})
    memo_file.chmod(0o600)
    memo_file.write_bytes(b"not a pickle")
    assert sitedir._load_memo(memo_file, sitedir.code_digest()) == ({}, {})
    path = tei / "sfp-1920-06-03.xml"
    path.write_bytes(path.read_bytes().replace(b"These principles are as follows:", b"These principles are:"))
    _build(tei, work)  # with the damaged memo: every file described afresh
    _same_as_clean(tei, work, tmp_path)
    # and the memo written by it serves the next build
    assert sitedir._load_memo(memo_file, sitedir.code_digest())[0]


def test_the_memo_keeps_what_a_build_did_not_ask_for_while_its_file_is_unchanged():
    memo = Memo({("slim", "a.xml", "d1"): b"<a/>", ("slim", "b.xml", "d2"): b"<b/>",
                 ("cite", "a.xml", "d1", "config-1"): "old", ("member", "gone.xml", "d9"): {}})
    memo.get(("cite", "a.xml", "d1", "config-2"), lambda: "new")
    memo.carry({"d1", "d2"})
    assert memo.kept == {("cite", "a.xml", "d1", "config-2"): "new", ("slim", "a.xml", "d1"): b"<a/>",
                         ("slim", "b.xml", "d2"): b"<b/>"}


def test_the_manifest_records_sizes_and_an_old_manifest_without_them_still_works(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    manifest = work / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entry = data["outputs"]["site/downloads/tei.zip"]
    assert entry["size"] == (work / "site" / "downloads" / "tei.zip").stat().st_size
    for e in data["outputs"].values():
        e.pop("size", None)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    os.remove(work / sitedir.MEMO)
    assert _build(tei, work).transformed == []
    _same_as_clean(tei, work, tmp_path)


def _render(split, sink=None):
    from teikit.core.files import MemoryFiles, MemorySink
    from teikit.rendering import stylesheets

    sink = sink if sink is not None else MemorySink()
    result, writer = site.render_site(Disk(stable_folders=True), TEI_DIR, stylesheets(), sink, MemoryFiles(), None,
                                      config=projectinputs.load_config(CONFIG), split=split)
    return sink, result, writer


def test_the_document_pages_made_in_a_second_process_are_those_made_in_one():
    calls = []

    def split(fn, items, first):
        calls.append(1)
        return sitedir.share(fn, items, first)

    one_sink, one, one_writer = _render(None)
    two_sink, two, two_writer = _render(split)
    assert calls  # the bundled corpus is large enough to be split
    assert two_sink.files == one_sink.files
    assert two.transformed == one.transformed and two.records == one.records
    assert two_writer.manifest() == one_writer.manifest()


def test_a_second_process_that_fails_leaves_its_pages_to_this_one():
    parent = os.getpid()
    taken = []
    out, into = os.pipe()

    def split(fn, items, first):
        def only_here(item):
            if os.getpid() != parent:
                os.write(into, b"x")  # it took an item
                raise RuntimeError("the child breaks")
            return fn(item)

        def first_after_the_child_took_one():
            taken.append(_readable_soon(out))
            return first()

        return sitedir.share(only_here, items, first_after_the_child_took_one)

    one_sink, one, _ = _render(None)
    sink, result, _ = _render(split)
    os.close(out)
    os.close(into)
    assert taken == [True]
    assert sink.files == one_sink.files and result.transformed == one.transformed


def _readable_soon(fd) -> bool:
    import select

    return bool(select.select([fd], [], [], 60)[0])


def test_an_output_changed_with_its_size_and_mtime_put_back_is_made_again(tmp_path):
    # `touch -d` restores the mtime but not the change time: the output is read, found
    # changed and made again, and the rebuild neither fails nor keeps the changed bytes
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    text = work / "text" / "sfp-1919-04-21.txt"  # not the document edited below
    page = work / "site" / "sfp-1919-04-21.html"
    for path in (text, page):
        st = path.stat()
        data = path.read_bytes()
        path.write_bytes(data.replace(b"e", b"x", 1))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    edited = tei / "sfp-1920-06-03.xml"
    edited.write_bytes(edited.read_bytes().replace(b"These principles are as follows:", b"These principles are:"))
    _build(tei, work)
    _same_as_clean(tei, work, tmp_path)


def test_a_pagefind_folder_a_killed_build_left_in_the_site_is_removed(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    dead = work / "site" / f".{sitedir.BUNDLE}-new-999999999-abc"  # no such process
    alive = work / "site" / f".{sitedir.BUNDLE}-new-{os.getpid()}-abc"  # this one runs
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "pagefind.js").write_text("half written")
    _build(tei, work)
    assert not dead.exists() and alive.exists()


def test_a_text_copied_into_the_site_is_a_second_name_of_its_file_and_an_edit_of_either_is_undone(tmp_path,
                                                                                                 monkeypatch):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    work = tmp_path / "work"
    _build(tei, work)
    names = ["corpus.txt", "sfp-1920-06-03.txt"]
    for name in names:  # fresh folders: one file, two names (one file made instead of two)
        assert os.path.samefile(work / "text" / name, work / "site" / "text" / name)
    good = {name: (work / "text" / name).read_bytes() for name in names}
    # an edit in place (the same file under both names) is undone under both names
    with open(work / "site" / "text" / names[1], "r+b") as fh:
        fh.write(b"EDITED")
    assert (work / "text" / names[1]).read_bytes().startswith(b"EDITED")
    _build(tei, work)
    for name in names:
        assert (work / "text" / name).read_bytes() == good[name]
        assert (work / "site" / "text" / name).read_bytes() == good[name]
    # where the file system refuses links, the same bytes are written as two files
    def refuse(*_args, **_kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    apart = tmp_path / "apart"
    _build(tei, apart)
    assert not os.path.samefile(apart / "text" / names[0], apart / "site" / "text" / names[0])
    assert _snapshot(apart / "site") == _snapshot(work / "site")
    assert _snapshot(apart / "text") == _snapshot(work / "text")


def test_a_second_process_that_stores_its_own_pages_gives_the_files_and_manifest_of_one(tmp_path, monkeypatch):
    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    builds = {}
    for label, split in (("one", None), ("two", sitedir.share)):
        calls = []

        def counted(fn, items, first, split=split):
            calls.append(os.getpid())
            return split(fn, items, first)

        monkeypatch.setattr(sitedir, "_split", lambda split=split: counted if split else None)
        out = tmp_path / label
        result = _build(tei, out)
        assert bool(calls) == (split is not None)  # the corpus is large enough to be split
        builds[label] = (_snapshot(out / "site"), _snapshot(out / "text"), result.transformed,
                         json.loads((out / "manifest.json").read_bytes())["outputs"])
    assert builds["two"] == builds["one"]
    # and again into the existing folders after an edit of every document (each file replaced)
    for path in sorted(tei.glob("sfp-19*.xml")):
        path.write_bytes(path.read_bytes().replace(b"<body>", b"<body>\n", 1))
    for label in ("one", "two"):
        monkeypatch.setattr(sitedir, "_split", (lambda: sitedir.share) if label == "two" else (lambda: None))
        result = _build(tei, tmp_path / label)
        builds[label] = (_snapshot(tmp_path / label / "site"), _snapshot(tmp_path / label / "text"),
                         result.transformed, json.loads((tmp_path / label / "manifest.json").read_bytes())["outputs"])
    assert builds["two"] == builds["one"]


def test_the_manifest_is_json_dumps_text_with_an_indent_of_one(tmp_path):
    from teikit.transform.site.output import manifest_text

    tei = tmp_path / "tei"
    shutil.copytree(TEI_DIR, tei)
    _build(tei, tmp_path / "out")
    built = json.loads((tmp_path / "out" / "manifest.json").read_bytes())
    docs = [built, {"version": 2, "outputs": {}}, {"version": 2, "outputs": {"a": {}}},
            {"version": 2, "outputs": {"é/ü\"\\x\u2028": {"key": "ü\n", "size": 0, "folder": True, "z": False}}},
            # what the fast layout does not take goes to json.dumps itself
            {"version": 2, "outputs": {"a": {"x": 1.5}}}, {"version": 2, "outputs": {"a": {"x": None}}},
            {"version": 2, "outputs": {"a": {"x": [1, {"y": 2}]}}}, {"version": 3, "outputs": {}, "extra": 1}]
    for doc in docs:
        assert manifest_text(doc) == json.dumps(doc, indent=1, sort_keys=True)


def test_the_tei_files_deflated_by_a_thread_are_what_deflate_gives_and_the_site_the_same(tmp_path):
    files = {p.name: p.read_bytes() for p in TEI_DIR.iterdir() if p.is_file()}
    known = {("deflate", site.corpus.sha(files["corpus.xml"]), zlib.ZLIB_RUNTIME_VERSION): (0, b"")}
    made = sitedir._Deflating(files, known).made()
    xml = {site.corpus.sha(d): d for n, d in files.items() if n.endswith(".xml") and n != "corpus.xml"}
    assert made == {digest: output.deflate(data) for digest, data in xml.items()}  # the memo's not again
    assert threading.active_count() == 1
    config = projectinputs.load_config(ROOT / "corpus" / "source" / "corpus.json")
    for name, given in (("disk", None), ("held", files)):
        sitedir.build_site(TEI_DIR, tmp_path / name / "site", tmp_path / name / "text", tmp_path / name / "m.json",
                           config=config, extra_downloads=[], search_index=False, tei_files=given)
        assert threading.active_count() == 1  # the thread ended with the site
    for sub in ("site", "text"):
        one, two = tmp_path / "disk" / sub, tmp_path / "held" / sub
        names = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
        assert names == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
        assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)
