"""The result cache of `teikit validate` (teikit.resultcache): a cached run gives the same
report, byte for byte in every format, as a run without it, and every change to what a
file's findings depend on (the file, what it XIncludes, the grammar it names, a catalog,
a grammar that appears) is seen. A cache file that is damaged or not the user's own is
never trusted."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from teikit import resultcache, runreads, validation
from teikit.api import render_report
from teikit.cli import main
from teikit.validation import validate_paths

from .conftest import ROOT, SHARED, keyword_calls

FORMATS = ("text", "json", "junit", "github")
TEI = "http://www.tei-c.org/ns/1.0"


@pytest.fixture()
def cachedir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEIKIT_CACHE", str(folder))
    return folder


@pytest.fixture()
def runs(monkeypatch):
    """What each run handed the library as known findings (None: the library did not run)."""
    return keyword_calls(monkeypatch, validation, "validate_documents", "known_valid")


def rendered(report):
    return tuple(render_report(report, fmt) for fmt in FORMATS)


def same_as_uncached(paths, **options):
    """The cached report, checked against a run without the cache; returns it rendered."""
    cached = rendered(validate_paths(paths, cache=True, **options))
    assert cached == rendered(validate_paths(paths, **options))
    return cached


@pytest.fixture()
def corpus_copy(tmp_path):
    """The bundled corpus's tei folder and corpus.json (a teikit corpus: cross-document)."""
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "tei", target / "tei")
    (target / "source").mkdir()
    shutil.copy(ROOT / "corpus" / "source" / "corpus.json", target / "source")
    return target


def test_corpus_cold_warm_and_one_edited_as_uncached(corpus_copy, cachedir, runs):
    tei = str(corpus_copy / "tei")
    first = same_as_uncached([tei])
    runs.clear()
    assert same_as_uncached([tei]) == first
    assert runs == [frozenset()]  # the cached run did not call the library; the plain one did
    # one document edited, still valid: only it (and corpus.xml, which includes it) run again
    doc = corpus_copy / "tei" / "sfp-1939-05-09.xml"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("</p>", " Edited.</p>", 1), encoding="utf-8")
    runs.clear()
    edited = same_as_uncached([tei])
    assert len(runs[0]) == 187  # 189 files less the edited one and the teiCorpus
    # the same document made invalid: an invalid file is never called valid
    doc.write_text(text.replace("</p>", "<bogus/></p>", 1), encoding="utf-8")
    broken = same_as_uncached([tei])
    assert "rng:" in broken[0] and broken != first and edited == first  # the edit changed no finding
    assert "2 invalid" in broken[0]
    doc.write_text(text, encoding="utf-8")  # back as it was: the first run's report again
    assert same_as_uncached([tei]) == first


def test_what_worker_processes_read_is_kept_as_one_process_keeps_it(corpus_copy, tmp_path, monkeypatch):
    """The cross-document checks and files' own layers may run in forked workers: what they
    read comes back to the run's Recorder, so the entries are the same for any --jobs."""
    kept = []
    for jobs in (1, 2):
        folder = tmp_path / f"cache{jobs}"
        monkeypatch.setenv("TEIKIT_CACHE", str(folder))
        validate_paths([str(corpus_copy / "tei")], cache=True, jobs=jobs)
        (store,) = (folder / "results").glob("*.json")
        data = json.loads(store.read_text(encoding="utf-8"))
        kept.append({"runs": {name: entry["deps"] for name, entry in data["runs"].items()},
                     "files": {name: data["shared"][entry["shared"]] + entry["deps"]
                               for name, entry in data["files"].items()}})
    assert kept[0] == kept[1]
    assert kept[0]["runs"] and kept[0]["files"]


def test_corpus_cache_is_kept_in_the_corpus(corpus_copy, monkeypatch):
    monkeypatch.delenv("TEIKIT_CACHE", raising=False)
    validate_paths([str(corpus_copy / "tei")], cache=True)
    kept = list((corpus_copy / ".teikit" / "cache" / "validate").glob("*.json"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0


@pytest.mark.needs_shared
def test_samples_as_uncached(cachedir, runs, monkeypatch):
    samples = SHARED / "samples"
    monkeypatch.chdir(samples.parent)  # as a user runs it: relative paths
    first = same_as_uncached(["samples"])
    runs.clear()
    assert same_as_uncached(["samples"]) == first
    assert len(runs) == 1  # the run without the cache
    first_x = same_as_uncached(["samples"], cross_document=True, embedded_schematron="error")
    assert same_as_uncached(["samples"], cross_document=True, embedded_schematron="error") == first_x
    assert first_x != first


def _tei(body: str, model: str = "", head: str = "") -> str:
    pi = f'<?xml-model href="{model}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' if model else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{pi}<TEI xmlns="{TEI}" {head}><teiHeader><fileDesc>'
            "<titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
            f"<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>\n")


GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start><element name="TEI"><zeroOrMore><choice><attribute><anyName/></attribute>
  <text/><ref name="any"/></choice></zeroOrMore></element></start>
  <define name="any"><element><anyName>{exclude}</anyName><zeroOrMore><choice>
  <attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></element></define>
</grammar>
"""


def _grammar_change_is_seen(folder, grammar, before: str, after: str) -> None:
    """Validate `folder` (as uncached), make `grammar` refuse <note>, validate again: the
    summary says `before`, then `after`."""
    assert before in same_as_uncached([str(folder)])[0]
    grammar.write_text(GRAMMAR.format(exclude="<except><name>note</name></except>"), encoding="utf-8")
    assert after in same_as_uncached([str(folder)])[0]


def test_a_changed_grammar_the_file_names_is_seen(tmp_path, cachedir, runs):
    (tmp_path / "g.rng").write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    (tmp_path / "a.xml").write_text(_tei("<p>x</p><note>n</note>", "g.rng"), encoding="utf-8")
    (tmp_path / "b.xml").write_text(_tei("<p>y</p>", "g.rng"), encoding="utf-8")
    _grammar_change_is_seen(tmp_path, tmp_path / "g.rng", "2 valid, 0 invalid", "1 valid, 1 invalid")


def test_a_grammar_that_appears_is_seen(tmp_path, cachedir):
    (tmp_path / "a.xml").write_text(_tei("<p>x</p><note>n</note>", "local.rng"), encoding="utf-8")
    stand_in = same_as_uncached([str(tmp_path)])
    assert "schema:stand-in" in stand_in[0]
    (tmp_path / "local.rng").write_text(GRAMMAR.format(exclude="<except><name>note</name></except>"),
                                        encoding="utf-8")
    found = same_as_uncached([str(tmp_path)])
    assert "schema:stand-in" not in found[0] and "0 valid, 1 invalid" in found[0]


def test_a_change_in_an_xincluded_file_is_seen(tmp_path, cachedir):
    part = tmp_path / "parts" / "chapter.xml"
    part.parent.mkdir()
    part.write_text(f'<div xmlns="{TEI}"><p>one</p></div>\n', encoding="utf-8")
    main_doc = tmp_path / "main.xml"
    main_doc.write_text(_tei('<xi:include href="parts/chapter.xml"/>',
                             head='xmlns:xi="http://www.w3.org/2001/XInclude"'), encoding="utf-8")
    first = same_as_uncached([str(main_doc)])
    assert "1 valid" in first[0]
    part.write_text(f'<div xmlns="{TEI}"><p>one</p><bogus/></div>\n', encoding="utf-8")
    second = same_as_uncached([str(main_doc)])
    assert "0 valid, 1 invalid" in second[0]
    part.unlink()
    third = same_as_uncached([str(main_doc)])
    assert third not in (first, second)


CATALOG = """<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <uri name="https://example.org/schema.rng" uri="{target}"/>
</catalog>
"""


def _catalog_case(tmp_path) -> Path:
    """open.rng and strict.rng (no <note>) beside docs/a.xml, which names its grammar by a URL
    that only a catalog maps; returns docs/."""
    (tmp_path / "open.rng").write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    (tmp_path / "strict.rng").write_text(GRAMMAR.format(exclude="<except><name>note</name></except>"),
                                         encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.xml").write_text(_tei("<p>x</p><note>n</note>", "https://example.org/schema.rng"),
                                encoding="utf-8")
    return docs


def test_a_changed_catalog_is_seen(tmp_path, cachedir, monkeypatch):
    docs = _catalog_case(tmp_path)
    cat = tmp_path / "catalog.xml"
    cat.write_text(CATALOG.format(target="open.rng"), encoding="utf-8")
    opened = same_as_uncached([str(docs)], catalogs=[str(cat)])
    assert "1 valid" in opened[0]
    cat.write_text(CATALOG.format(target="strict.rng"), encoding="utf-8")
    strict = same_as_uncached([str(docs)], catalogs=[str(cat)])
    assert "0 valid, 1 invalid" in strict[0]
    # the same catalog named by XML_CATALOG_FILES is part of the key too
    monkeypatch.setenv("XML_CATALOG_FILES", str(cat))
    assert same_as_uncached([str(docs)]) == strict
    cat.write_text(CATALOG.format(target="open.rng"), encoding="utf-8")
    assert same_as_uncached([str(docs)]) == opened


def _bucket(cachedir: Path) -> Path:
    found = list((cachedir / "results").glob("*.json"))
    assert len(found) == 1
    return found[0]


def _forge_valid(data: dict) -> dict:
    """Every kept finding dropped: a cache that says the files are valid."""
    for entry in data["files"].values():
        entry["own"] = []
    for entry in data["runs"].values():
        for f in entry["report"]["files"]:
            f[1] = []
            f[3] = {k: (True if v is False else v) for k, v in (f[3] or {}).items()}
    return data


def test_damaged_or_foreign_cache_files_are_never_trusted(tmp_path, cachedir, runs):
    (tmp_path / "a.xml").write_text(_tei("<p>x</p><bogus/>"), encoding="utf-8")
    first = same_as_uncached([str(tmp_path)])
    assert "1 invalid" in first[0]
    bucket = _bucket(cachedir)
    for damage in (b"", b"{not json", b"[]", json.dumps({"version": 1, "files": [], "runs": {}}).encode(),
                   bucket.read_bytes()[: len(bucket.read_bytes()) // 2]):
        bucket.write_bytes(damage)
        runs.clear()
        assert same_as_uncached([str(tmp_path)]) == first
        assert len(runs) == 2 and runs[0] == {}  # validated again, nothing taken from the cache
    # well-formed entries whose values are not what this module writes
    data = json.loads(bucket.read_bytes())
    for entry in data["runs"].values():
        entry["report"] = {"files": [["x", [[1, 2]], None, None]], "issues": []}
    bucket.write_text(json.dumps(data))
    assert same_as_uncached([str(tmp_path)]) == first
    # a forged "valid" cache is trusted only when the user's alone: writable by others, ignored
    bucket.write_text(json.dumps(_forge_valid(json.loads(bucket.read_bytes()))))
    os.chmod(bucket, 0o666)
    assert same_as_uncached([str(tmp_path)]) == first


def test_no_cache_keeps_nothing_and_cli_output_is_the_same(tmp_path, cachedir):
    (tmp_path / "a.xml").write_text(_tei("<p>x</p><bogus/>"), encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["validate", "--no-cache", "--format", "json", str(tmp_path)])
    assert not (cachedir / "results").exists()
    cold = runner.invoke(main, ["validate", "--format", "json", str(tmp_path)])
    warm = runner.invoke(main, ["validate", "--format", "json", str(tmp_path)])
    assert _bucket(cachedir)
    assert plain.exit_code == cold.exit_code == warm.exit_code == 1
    assert plain.output == cold.output == warm.output


def test_entries_stay_bounded(tmp_path, cachedir, monkeypatch):
    monkeypatch.setattr(resultcache, "MAX_FILES", 3)
    monkeypatch.setattr(resultcache, "MAX_RUNS", 2)
    for n in range(6):
        (tmp_path / f"d{n}.xml").write_text(_tei(f"<p>{n}</p>"), encoding="utf-8")
        same_as_uncached([str(tmp_path / f"d{k}.xml") for k in range(n + 1)])
    data = json.loads(_bucket(cachedir).read_bytes())
    assert len(data["files"]) == 3 and len(data["runs"]) == 2
    assert str(tmp_path / "d5.xml") in data["files"]  # the newest is kept


def test_options_that_change_findings_are_in_the_key(tmp_path, cachedir):
    (tmp_path / "a.xml").write_text(_tei("<p>x</p>") .replace("<title>t</title>", ""), encoding="utf-8")
    default = same_as_uncached([str(tmp_path)])
    none = same_as_uncached([str(tmp_path)], schema="none")
    strict = same_as_uncached([str(tmp_path)], strict_schema=True)
    assert default != none
    assert same_as_uncached([str(tmp_path)]) == default
    assert strict == default  # nothing to stand in for: the same report, kept apart all the same


def test_the_action_keeps_its_cache_where_actions_cache_restores_it(tmp_path, monkeypatch):
    from .test_ci_integration import TEI as ACTION_TEI
    from .test_ci_integration import _teikit_step, action, run_action

    steps = action()["runs"]["steps"]
    setting = next(s for s in steps if "TEIKIT_CACHE=" in s.get("run", ""))
    restoring = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache/restore@"))
    saving = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache/save@"))
    folder = setting["run"].split("TEIKIT_CACHE=", 1)[1].split('"', 1)[0]
    assert folder.replace("$RUNNER_TEMP", "${{ runner.temp }}") == restoring["with"]["path"] == saving["with"]["path"]
    assert restoring["with"]["key"] == saving["with"]["key"]
    assert restoring["if"] == "inputs.cache == 'true'" and saving["if"] == "always() && inputs.cache == 'true'"
    assert steps.index(setting) < steps.index(restoring) < steps.index(_teikit_step()) < steps.index(saving)
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "a.xml").write_text(ACTION_TEI.format(body="<para>x</para>"))
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    off = run_action(tmp_path, paths="tei", cache="false")
    assert not (tmp_path / "cache" / "results").exists()
    cold, warm = run_action(tmp_path, paths="tei"), run_action(tmp_path, paths="tei")
    assert list((tmp_path / "cache" / "results").glob("*.json"))
    assert off.returncode == cold.returncode == warm.returncode == 1
    assert off.stdout == cold.stdout == warm.stdout and "::error file=tei/a.xml" in off.stdout


def test_with_known_valid_files_as_the_build_passes_them(corpus_copy, cachedir, runs):
    tei = corpus_copy / "tei"
    paths = [str(tei)]
    validate_paths(paths, cache=True)  # the cache filled by an earlier run
    known = frozenset(str(p) for p in sorted(tei.glob("sfp-19[34]*.xml")))
    doc = tei / "sfp-1921-05-13.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("</p>", "<bogus/></p>", 1), encoding="utf-8")
    runs.clear()
    assert same_as_uncached(paths, known_valid=known) == rendered(validate_paths(paths, known_valid=known))
    cached_known = runs[0]
    assert all(cached_known[p] == () for p in known)  # the caller's word, not the cache's
    assert str(doc) not in cached_known and len(cached_known) > len(known)
    assert "rng:" in rendered(validate_paths(paths, cache=True, known_valid=known))[0]


def test_a_change_in_a_file_the_grammar_includes_is_seen(tmp_path, cachedir):
    """Also within one process: the compiled grammar kept in memory is keyed by what it includes."""
    (tmp_path / "inc.rng").write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    (tmp_path / "g.rng").write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                    '<include href="inc.rng"/></grammar>\n', encoding="utf-8")
    (tmp_path / "a.xml").write_text(_tei("<p>x</p><note>n</note>", "g.rng"), encoding="utf-8")
    _grammar_change_is_seen(tmp_path, tmp_path / "inc.rng", "1 valid, 0 invalid", "0 valid, 1 invalid")


@pytest.mark.needs_jing
def test_the_jing_engine_is_never_cached(tmp_path, cachedir):
    (tmp_path / "a.xml").write_text(_tei("<p>x</p>"), encoding="utf-8")
    report = validate_paths([str(tmp_path)], engine="jing", cache=True)
    assert rendered(report) == rendered(validate_paths([str(tmp_path)], engine="jing"))
    assert not (cachedir / "results").exists()


def test_a_document_that_is_also_a_catalog_of_the_run_counts_for_every_file(tmp_path, cachedir):
    docs = _catalog_case(tmp_path)
    cat = docs / "catalog.xml"  # validated too (it is a *.xml file of the folder), and the catalog
    cat.write_text(CATALOG.format(target="../open.rng"), encoding="utf-8")
    first = same_as_uncached([str(docs)], catalogs=[str(cat)])
    a_rng = lambda text: [line for line in text.splitlines() if line.startswith(str(docs / "a.xml")) and "[rng:" in line]
    assert not a_rng(first[0])
    cat.write_text(CATALOG.format(target="../strict.rng"), encoding="utf-8")
    second = same_as_uncached([str(docs)], catalogs=[str(cat)])
    assert a_rng(second[0])


def test_a_document_that_a_grammar_includes_counts_for_every_file(tmp_path, cachedir):
    """A validated *.xml file that is also part of another file's grammar (an RNG include of
    `part.xml` in the same folder): a change to it must reach the other file's verdict."""
    docs = tmp_path / "docs"
    docs.mkdir()
    part = docs / "part.xml"  # validated as a document of the folder, and included by g.rng
    part.write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    (tmp_path / "g.rng").write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                    '<include href="docs/part.xml"/></grammar>\n', encoding="utf-8")
    (docs / "a.xml").write_text(_tei("<p>x</p><note>n</note>", "../g.rng"), encoding="utf-8")
    a_rng = lambda text: [line for line in text.splitlines()
                          if line.startswith(str(docs / "a.xml")) and "[rng:" in line]
    first = same_as_uncached([str(docs)])
    assert not a_rng(first[0])
    part.write_text(GRAMMAR.format(exclude="<except><name>note</name></except>"), encoding="utf-8")
    second = same_as_uncached([str(docs)])
    assert a_rng(second[0])


def test_a_utf16_file_is_never_cached_on_its_own():
    """The cache's byte scans (xml:base, entity declarations, schema namespaces) read ASCII-based
    encodings only: a UTF-16 or UTF-32 file counts as entangled and as a possible grammar part."""
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><TEI xml:base="x"/>'.encode("utf-16")
    for data in (utf16, '<TEI/>'.encode("utf-16-be"), '<TEI/>'.encode("utf-32-le")):
        assert resultcache.entangled(data) and resultcache.schema_like(data)
    assert not resultcache.entangled(b'<?xml version="1.0"?><TEI/>')
    assert not resultcache.schema_like(b'<?xml version="1.0"?><TEI/>')


def test_file_entries_keep_what_they_share_once_and_a_missing_share_is_never_trusted(tmp_path, cachedir, runs):
    """The deps all file entries of a run share (grammar, Schematron, catalog) are kept once,
    under the name each entry gives; an entry whose shared list is missing, damaged or not a
    list is not used (the file is validated again: the same report); when what they share
    changes (the grammar is edited), the new entries get a new list and the old one, which
    no entry names any more, is dropped."""
    (tmp_path / "g.rng").write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    for n in range(3):
        body = f"<p>x{n}</p>" + ("<note>n</note>" if n == 2 else "")
        (tmp_path / f"d{n}.xml").write_text(_tei(body, model="g.rng"), encoding="utf-8")
    folder = str(tmp_path)
    first = same_as_uncached([folder])
    data = json.loads(_bucket(cachedir).read_bytes())
    names = {entry["shared"] for entry in data["files"].values()}
    assert len(data["files"]) == 3 and len(names) == 1 and set(data["shared"]) == names
    (shared,) = data["shared"].values()
    assert any(dep[1].endswith("g.rng") for dep in shared)  # the grammar, read for every file
    assert not any(dep[1].endswith(f"d{n}.xml") for dep in shared for n in range(3))  # no document
    store = resultcache.Store(_bucket(cachedir).parent, _bucket(cachedir).stem)
    d0 = str(tmp_path / "d0.xml")
    assert store.get("files", d0)["deps"] == shared + data["files"][d0]["deps"]
    assert any(dep[1] == d0 for dep in data["files"][d0]["deps"])
    # the run's entry is dropped, so that the files' entries are looked up
    damages = (lambda d: d["shared"].clear(), lambda d: d["shared"].update({k: {"x": 1} for k in d["shared"]}),
               lambda d: [e.update(shared=["not", "a", "name"]) for e in d["files"].values()],
               lambda d: d.pop("shared"))
    for damage in damages:
        broken = json.loads(json.dumps(data))
        broken["runs"].clear()
        damage(broken)
        _bucket(cachedir).write_text(json.dumps(broken), encoding="utf-8")
        runs.clear()
        assert same_as_uncached([folder]) == first
        assert runs[0] == {}  # nothing was taken from the damaged entries
    intact = json.loads(json.dumps(data))
    intact["runs"].clear()
    _bucket(cachedir).write_text(json.dumps(intact), encoding="utf-8")
    runs.clear()
    assert same_as_uncached([folder]) == first
    assert len(runs[0]) == 3  # intact: every file's entry is used
    # the grammar edited: what the files share changes
    (tmp_path / "g.rng").write_text(GRAMMAR.format(exclude="<except><name>note</name></except>"), encoding="utf-8")
    assert "1 invalid" in same_as_uncached([folder])[0]
    kept = json.loads(_bucket(cachedir).read_bytes())
    assert set(kept["shared"]) == {e["shared"] for e in kept["files"].values()} and len(kept["shared"]) == 1
    assert set(kept["shared"]) != names


def test_a_documents_digest_is_of_the_bytes_the_run_read_wherever_it_is_computed(tmp_path):
    """A document's sha256 is a Digest of the bytes the Probe read: computed when first used,
    or put in place from a worker forked after the read (it holds the same bytes). What the
    worker read itself, what this process read after the fork, or a digest for a path this
    process never read, is never taken; a comparison or a pickle gives the hex string."""
    import hashlib
    import pickle

    from teikit.disk import Disk

    sha = {name: hashlib.sha256(f"<{name}/>".encode()).hexdigest() for name in "abcd"}
    paths = {name: tmp_path / f"{name}.xml" for name in "abcd"}
    for name, path in paths.items():
        path.write_text(f"<{name}/>", encoding="utf-8")
    grammar = tmp_path / "g.rng"
    grammar.write_text(GRAMMAR.format(exclude=""), encoding="utf-8")
    probe = runreads.Probe(Disk(), lambda folder: [], [str(p) for p in paths.values()])
    recorder = runreads.Recorder(probe)
    assert recorder.read(str(paths["a"])) == b"<a/>" and recorder.read(str(paths["b"])) == b"<b/>"
    assert recorder.read(str(grammar)) is not None
    assert isinstance(probe.answers[("read", str(paths["a"]))], runreads.Digest)
    assert isinstance(probe.answers[("read", str(grammar))], str)  # not a document: hashed at once
    assert probe.digests() == {}  # this process's own reads: not a worker's to give
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: it also reads c itself (after the fork)
        try:
            probe.bytes(str(paths["c"]))
            os.write(write_end, json.dumps(probe.digests()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        worker = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert {p: d for p, (_read, d) in worker.items()} == {str(paths["a"]): sha["a"], str(paths["b"]): sha["b"]}
    paths["a"].write_text("<changed/>", encoding="utf-8")  # the run read the old bytes: its digest stays theirs
    recorder.read(str(paths["c"]))  # read here after the fork
    # not the reads of this process's: the worker's own read of c, one of d never made here
    wrong = {str(paths["c"]): ([pid, 3], "0" * 64), str(paths["d"]): (worker[str(paths["a"])][0], "1" * 64)}
    probe.settle({**worker, **wrong})
    assert probe.answers[("read", str(paths["b"]))].hex == sha["b"]  # taken from the worker
    assert probe.answers[("read", str(paths["c"]))].hex is None  # not taken: computed here when used
    deps = {tuple(d[:2]): d[2] for d in recorder.deps()}
    assert deps[("read", str(paths["a"]))] == sha["a"] and deps[("read", str(paths["c"]))] == sha["c"]
    assert ("read", str(paths["d"])) not in deps
    assert all(isinstance(v, str) for v in deps.values())
    assert pickle.loads(pickle.dumps(runreads.Digest(b"x"))) == hashlib.sha256(b"x").hexdigest()
    assert not probe.holds([["read", str(paths["a"]), hashlib.sha256(b"<changed/>").hexdigest()]])
    assert probe.holds([["read", str(paths["a"]), sha["a"]]])
