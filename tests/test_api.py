"""The public API, as a Python user calls it: text in, TEI out; trees validated,
transformed and cited, with nothing read or written behind the caller's back."""

from __future__ import annotations

import json

import teikit

from .conftest import OTHER


def _inputs():
    config = json.loads((OTHER / "source" / "corpus.json").read_text(encoding="utf-8"))
    text = (OTHER / "source" / config["source"]["file"]).read_text(encoding="utf-8")
    project = teikit.Project(OTHER)
    return text, config, teikit.load_registry(project, teikit.load_config(project.config_path))


def test_convert_text_returns_tei_bytes_and_trees_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text, config, registry = _inputs()
    conv = teikit.convert_text(text, config, source_name="dispatches.md", registry=registry, date="2026-01-01")
    assert conv.check.ok and conv.check.matched_words == conv.check.source_words
    ids = [d.doc_id for d in conv.documents]
    assert ids and all(f"{i}.xml" in conv.files for i in ids) and "corpus.xml" in conv.files
    assert all(data.startswith(b"<?xml") for data in conv.files.values())
    assert set(conv.idmap["documents"].values().__iter__().__next__()) >= {"id"}
    assert list(tmp_path.iterdir()) == []
    # the same text converted again gives the same bytes
    again = teikit.convert_text(text, config, source_name="dispatches.md", registry=registry, date="2026-01-01")
    assert again.files == conv.files


def test_trees_are_validated_transformed_and_cited():
    text, config, registry = _inputs()
    conv = teikit.convert_text(text, config, source_name="dispatches.md", registry=registry, date="2026-01-01")
    doc_id = conv.documents[0].doc_id
    tree = conv.trees[f"{doc_id}.xml"]
    # with the registries its names point to (its correspDesc names the ambassador by @ref)
    trees = {name: conv.trees[name] for name in (f"{doc_id}.xml", "persons.xml", "places.xml", "orgs.xml") if name in conv.trees}
    report = teikit.validate_trees(trees, schema=teikit.project_schema())
    assert [r.path for r in report.files][0] == f"{doc_id}.xml" and not report.fails("error")
    html = teikit.transform_tree(tree, "html")
    assert "<html" in html and conv.documents[0].title.split()[0] in html
    assert conv.documents[0].title.split()[0] in teikit.transform_tree(tree, "text")
    citation = teikit.cite(tree, config)
    assert config["title"] in citation.text or config.get("short_title", "") in citation.text


def test_an_invalid_tree_is_reported_under_its_given_name():
    from lxml import etree

    bad = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>')
    report = teikit.validate_trees({"mine.xml": bad}, schema=teikit.project_schema())
    assert report.fails("error")
    assert {i.file for i in report.all_issues() if i.severity == "error"} == {"mine.xml"}


def test_the_cli_reaches_teikit_only_through_the_public_api():
    """cli.py imports nothing of teikit but `teikit.api` (and the version) and the program's
    entry (teikit.entry), which imports nothing of teikit but `teikit.api`: the public API is
    what the command line uses, so it is complete (docs/api.md)."""
    import ast
    from pathlib import Path

    from teikit import cli, entry

    for module, allowed in ((cli, {"teikit", "teikit.api", "teikit.entry"}), (entry, {"teikit", "teikit.api", "teikit.cli"})):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        teikit_modules = {m for m in imported if m == "teikit" or m.startswith("teikit.")}
        assert teikit_modules <= allowed, (module.__name__, teikit_modules)


def test_importing_teikit_leaves_the_garbage_collector_as_it_was():
    """teikit's imports run without collections (teikit._no_collections) and give the collector
    back as they found it: enabled stays enabled, disabled stays disabled, also when the
    block raises; a fresh `teikit validate`-like import leaves it enabled."""
    import gc
    import subprocess
    import sys

    assert gc.isenabled()
    with teikit._no_collections():
        assert not gc.isenabled()
        with teikit._no_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with teikit._no_collections():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with teikit._no_collections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    code = ("import gc; seen = []; gc.callbacks.append(lambda phase, info: seen.append(phase)); "
            "import teikit.cli; during = len(seen) // 2; garbage = [[] for _ in range(20_000)]; "
            "print(gc.isenabled(), during, len(seen) // 2 > during)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    enabled, during, after = done.stdout.split()
    # collections go on as usual after the imports (how many ran during them depends on
    # whether the modules' bytecode had to be compiled first: bench/ measures it, not a test)
    assert (enabled, after) == ("True", "True"), (enabled, during, after)
