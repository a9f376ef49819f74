"""The per-document conversion cache (teikit.doccache): a build after an edit of the source
converts only what changed, and gives what a clean conversion of the same source gives.

Each test edits a project's source (or its overrides), converts it with the cache the last
conversion left, and compares every output (corpus/tei, the id map, the manifest and the merge
bases) with a clean conversion of the same inputs in a copy that has no cache."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from teikit import doccache, pipeline
from teikit import projectinputs
from teikit.project import Project

from tests.conftest import OTHER, ROOT, SOURCE, corpus_outputs as _outputs


def _convert(corpus: Path) -> pipeline.BuildResult:
    return pipeline.convert_project(Project(corpus))


def _clean_copy(corpus: Path, where: Path) -> Path:
    """The project of `corpus` (source, configuration, registry, overrides, id map), nothing
    built, copied to `where`; returns the copy's corpus folder."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(corpus.parent, where, ignore=shutil.ignore_patterns("tei", ".teikit", "manifest.json", "clean", "build"))
    return where / corpus.name


def _incremental_equals_clean(corpus: Path, tmp_path: Path, edit) -> pipeline.BuildResult:
    """Edit, convert with the cache; the same edit converted clean gives the same files."""
    edit(corpus)
    clean = _clean_copy(corpus, tmp_path / "clean")  # the same id map as the incremental build starts from
    result = _convert(corpus)
    fresh = _convert(clean)
    assert _outputs(corpus) == _outputs(clean)
    assert (result.check.source_words, result.check.matched_words) == (fresh.check.source_words, fresh.check.matched_words)
    assert [(i.code, i.message, i.line) for i in result.compilation.issues] == \
        [(i.code, i.message, i.line) for i in fresh.compilation.issues]
    assert result.notes == fresh.notes
    return result


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture()
def small(tmp_path) -> Path:
    """The small test compilation (three documents), converted twice (the first conversion
    pins the passage ids in the id map, which the second reads)."""
    target = tmp_path / "project" / "corpus"
    shutil.copytree(OTHER, target)
    _convert(target)
    _convert(target)
    return target


def test_an_edited_document_is_converted_again_and_the_others_come_from_the_cache(small, tmp_path, monkeypatch):
    source = small / "source" / "dispatches.md"
    before = _outputs(small)
    extracted, written = [], []
    real_extract, real_tree = pipeline.metadata.extract, pipeline.document_tree
    monkeypatch.setattr(pipeline.metadata, "extract", lambda doc, **kw: (extracted.append(doc.seq), real_extract(doc, **kw)))
    monkeypatch.setattr(pipeline, "document_tree", lambda doc, *a: (written.append(doc.doc_id), real_tree(doc, *a))[1])
    _replace(source, "wide circulation", "wide distribution")
    _convert(small)
    assert extracted == [2] and written == ["bdl-1945-03-14"]  # the others: from the cache
    after = _outputs(small)
    changed = sorted(n for n in after if after[n] != before.get(n))
    # that document, its merge base, the manifest and the id map (the edited paragraph's passage key)
    assert changed == [".teikit/base/bdl-1945-03-14.xml", "idmap.json", "manifest.json", "tei/bdl-1945-03-14.xml"]
    monkeypatch.undo()
    _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, "wide distribution", "wide  circulation"))


def test_a_year_taken_by_the_next_document_follows_an_edit_of_the_one_before(small, tmp_path):
    """A date line without a year takes the year of the document before: editing that
    year changes the next document's date, which the cache must not keep."""
    source = small / "source" / "dispatches.md"
    _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, "\n14 March 1945\n", "\n14 March\n"))
    tei = small / "tei" / "bdl-1945-03-14.xml"
    assert 'when="1945-03-14"' in tei.read_text(encoding="utf-8")
    _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, "12 March 1945, Confidential",
                                                                  "12 March 1944, Confidential"))
    assert 'when="1944-03-14"' in tei.read_text(encoding="utf-8")


def test_a_heading_removed_or_added_moves_the_boundaries(small, tmp_path):
    source = small / "source" / "dispatches.md"
    heading = "### Minute by the Head of the Southern Department"
    plain = "A minute by the Head of the Southern Department follows here."
    result = _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, heading, plain))
    assert len(result.compilation.documents) == 2
    result = _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, plain, heading))
    assert len(result.compilation.documents) == 3


def test_an_override_and_a_lines_shift_are_exact(small, tmp_path):
    import json

    overrides = small / "overrides.json"

    def override(corpus):
        data = {"documents": {"bdl-1945-03-14": {"title": {"value": "Minute on the Turkish declaration",
                                                            "reason": "the printed title names no subject"}}}}
        overrides.write_text(json.dumps(data), encoding="utf-8")

    _incremental_equals_clean(small, tmp_path, override)
    assert "Minute on the Turkish declaration" in (small / "tei" / "bdl-1945-03-14.xml").read_text(encoding="utf-8")
    source = small / "source" / "dispatches.md"
    # a line added at the top shifts every document's lines (and so its citedRange)
    _incremental_equals_clean(small, tmp_path, lambda c: _replace(source, "Edited for testing", "Edited\n\nfor testing"))


def test_the_cache_is_empty_under_another_base(small):
    path = doccache.path_of(Project(small).state_dir)
    assert path.is_file()
    cache = doccache.load(path, "another base")
    assert not cache.known
    assert doccache.load(path.with_name("missing"), "x").known == {}
    path.write_bytes(b"not a pickle")
    _convert(small)  # a damaged cache is an empty one
    assert doccache.load(path, "x").known == {}


def test_canon_writes_every_attribute_and_sorts_sets():
    from teikit.convert.model import Block, Inline

    a = Block("p", (1, 2), [Inline("text", "x")])
    b = Block("p", (1, 2), [Inline("text", "x")])
    assert doccache.canon(a) == doccache.canon(b)
    b.extra = 1  # an attribute set outside the dataclass's fields counts too
    assert doccache.canon(a) != doccache.canon(b)
    assert doccache.canon({"b", "a"}) == doccache.canon({"a", "b"})
    assert doccache.canon((1, True)) != doccache.canon((1, 1))
    with pytest.raises(doccache.Uncacheable):
        doccache.canon(re.compile("x"))


@pytest.mark.skipif(not SOURCE.exists(), reason="the bundled corpus is absent")
def test_one_edited_document_of_the_bundled_corpus(tmp_path):
    corpus = tmp_path / "project" / "corpus"
    (corpus / "source").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "source" / "corpus.json", corpus / "source")
    shutil.copy(SOURCE, corpus / "source")
    for name in ("idmap.json", "overrides.json"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    shutil.copytree(ROOT / "data", tmp_path / "project" / "data")
    _convert(corpus)
    assert _outputs(corpus)["tei/corpus.xml"] == (ROOT / "corpus" / "tei" / "corpus.xml").read_bytes()
    source = corpus / "source" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    line = re.search(r"\n(The [a-z]+ (?:government|delegation|commission)[^\n]{40,})\n", text[len(text) // 2:]).group(1)
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, line, "THE" + line[3:]))
    # a date line's year (the document's date, the contents' date check, the order of dates)
    dateline = re.search(r"\n\n([A-Z][a-z]+ \d{1,2}, (19\d\d))\n\n", text[len(text) // 2:])
    year = int(dateline.group(2))
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, f"\n\n{dateline.group(1)}\n\n",
                                                                    f"\n\n{dateline.group(1)[:-4]}{year + 1}\n\n"))
    # a heading become a sentence: two documents become one, every later document is numbered anew
    heading = re.search(r"\n(\*\*Telegram [^\n]{20,})\n", text[len(text) // 2:]).group(1)
    result = _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, heading, "It went on in this vein."))
    assert len(result.compilation.documents) == 182
    # a line added near the top: every later line number moves
    first = text.splitlines()[0]
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, first + "\n", first + "\n\nAn added line.\n"))
    # the contents: an entry's page and an entry's words (the match kept from the last
    # conversion must not be used: its key holds every entry's text and page)
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, "Great Britain - **P18**", "Great Britain - **P19**"))
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(
        source, "June 3, 1920, Letter from the People's Commissar", "June 3, 1920, Telegram from the People's Commissar"))


def test_the_registry_is_kept_as_loaded_and_loaded_again_when_it_changes(small):
    import json

    project = Project(small)
    kept = doccache.registry_path(project.state_dir)
    assert kept.is_file()
    config = projectinputs.load_config(project.config_path)
    fresh = projectinputs.load_registry(project, config)
    again = projectinputs.load_registry(project, config, kept, "another key")  # not the kept one: loaded afresh
    assert sorted(again.persons) == sorted(fresh.persons)
    # an entry added to the registry: a new fingerprint, so the kept registry is not used
    persons = small / "registry" / "persons.json"
    data = json.loads(persons.read_text(encoding="utf-8"))
    entry = dict(data["entries"][0], id="zz-test-person", name="Zebulon Testperson", variants=["Zebulon Testperson"])
    entry.pop("ambiguousVariants", None)
    data["entries"].append(entry)
    persons.write_text(json.dumps(data), encoding="utf-8")
    _convert(small)
    assert "zz-test-person" in doccache.load_value(kept, _registry_key(project)).persons


def _registry_key(project):
    from teikit.project import conversion_inputs, key

    inputs = conversion_inputs(project)
    return key(inputs["code"], inputs["registry"], doccache.VERSION)


def test_a_whole_build_after_an_edit_equals_a_clean_build(tmp_path):
    """`teikit build` (convert, check, validate, site, text) after an edit of one document
    writes what a clean build of the same inputs writes, and says the same."""
    from click.testing import CliRunner

    from teikit.cli import main

    def build(corpus: Path) -> list[str]:
        result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--build-dir", str(corpus.parent / "build")])
        assert result.exit_code == 0, result.output
        # the figures of time and of what was redone differ by design
        # (how much of Pagefind's time other work ran beside it is said only when some did)
        return [re.sub(r"\d+ files written, \d+ unchanged(, \d+ removed)?|\d+ outputs transformed, \d+ unchanged"
                       r"(, \d+ stale removed)?|[0-9.]+ s\b", "#",
                       line.replace(str(corpus.parent), "<project>")).replace(", # of it beside other work", "")
                for line in result.output.splitlines() if "CITATION.cff" not in line]

    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and "pagefind" not in p.parts
                and p.name not in (".teikit-stamp.json", "manifest.json", ".teikit-site-memo.pickle")}

    corpus = tmp_path / "project" / "corpus"
    shutil.copytree(OTHER, corpus)
    build(corpus)
    build(corpus)
    # the caches are written beside the site (in validation's process): they are there
    state = Project(corpus).state_dir
    assert doccache.path_of(state).is_file() and doccache.paras_path(state).is_file()
    _replace(corpus / "source" / "dispatches.md", "wide circulation", "wide  distribution")
    clean = _clean_copy(corpus, tmp_path / "clean")
    said = build(corpus)
    assert said == build(clean)
    assert _outputs(corpus) == _outputs(clean)
    assert files(corpus.parent / "build") == files(clean.parent / "build")
    # a heading edited: its title changes, so do its neighbours' links and the pages that list it
    _replace(corpus / "source" / "dispatches.md", "### Minute by the Head of the Southern Department",
             "### Minute by the Head of the Eastern Department")
    clean = _clean_copy(corpus, tmp_path / "clean")
    said = build(corpus)
    assert said == build(clean)
    assert _outputs(corpus) == _outputs(clean)
    assert files(corpus.parent / "build") == files(clean.parent / "build")


def test_the_name_memo_keeps_the_lookups_of_the_documents_reused(small):
    """A document from the cache does not scan its names; the memo still keeps its lookups,
    for when it is converted again (after a change of the configuration, say)."""
    import pickle

    from teikit import namememo

    path = namememo.path_of(Project(small).state_dir)

    def names():  # kept by doccache.save_value: the value pickled inside the file
        return set(pickle.loads(pickle.loads(path.read_bytes())["value"]))

    before = names()
    _replace(small / "source" / "dispatches.md", "wide circulation", "wide distribution")
    _convert(small)
    after = names()
    assert before - after and all("wide circulation" in k for k in before - after)  # only the edited text's
    assert any("wide distribution" in k for k in after - before)


def test_the_profile_patterns_a_cached_document_matched_still_count(tmp_path):
    """profile:unused names the reader profile's patterns that matched nothing; a document
    from the cache still counts for the patterns it matched when it was read."""
    import json

    corpus = tmp_path / "project" / "corpus"
    shutil.copytree(OTHER, corpus)
    config_path = corpus / "source" / "corpus.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["reader"]["types"] = {"memorandum": "\\bMinute\\b", "note": "\\bDispatch\\b"}
    config_path.write_text(json.dumps(config), encoding="utf-8")
    _convert(corpus)
    _convert(corpus)
    source = corpus / "source" / "dispatches.md"
    result = _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, "### Minute by the Head",
                                                                           "### Report by the Head"))
    unused = [i.message for i in result.compilation.issues if i.code == "profile:unused"]
    assert any("types.memorandum" in m for m in unused)  # only the edited document matched it
    assert not any("types.note" in m for m in unused)  # matched by the two documents from the cache
    result = _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, "### Report by the Head",
                                                                           "### Minute by the Head"))
    assert not any(i.code == "profile:unused" for i in result.compilation.issues)


def test_a_chapter_head_edited_reaches_every_document_printed_under_it(tmp_path):
    """The chapter heads in force pass from one document to the next: renaming one changes
    the header of every document after it in that chapter, which the cache must not keep."""
    from tests.test_profile import _copy_with_profile

    corpus = _copy_with_profile(tmp_path / "project", "frus-1925-tables")
    _convert(corpus)
    _convert(corpus)
    source = next((corpus / "source").glob("*.md"))
    _incremental_equals_clean(corpus, tmp_path, lambda c: _replace(source, "\n## CZECHOSLOVAKIA\n", "\n## CZECHO-SLOVAKIA\n"))
    heads = [d.chapters for d in _convert(corpus).compilation.documents if d.chapters and d.chapters[0][1] == "CZECHO-SLOVAKIA"]
    assert len(heads) > 2


def test_the_code_fingerprint_holds_the_libraries_that_run_it(monkeypatch):
    """A cache made by other code is never used: an upgrade of Python or of a library teikit
    calls (lxml, python-dateutil, rapidfuzz ...) changes the fingerprint every key holds."""
    from teikit import project

    versions = project.runtime_versions()
    assert any(v.startswith("lxml-") for v in versions) and any(v.startswith("python_dateutil-") for v in versions)
    before = project.code_digest()
    project.code_digest.cache_clear()
    monkeypatch.setattr(project, "runtime_versions", lambda: [*versions[:2], "lxml-0.0.1.dist-info"])
    try:
        assert project.code_digest() != before
    finally:
        project.code_digest.cache_clear()


def test_the_answers_kept_between_conversions_are_those_of_the_same_questions(small, tmp_path, monkeypatch):
    """find_dates and match_toc answer from the last conversion (corpus/.teikit/cache/answers.pickle)
    only a question asked with the same values; anything else is worked out again."""
    from teikit.convert import dates
    from teikit.convert.readers import toc
    from teikit.core import runmemo

    state = Project(small).state_dir
    kept = doccache.load_value(doccache.memo_path(state), _code_key(small))
    assert kept["find_dates"] and all(type(v) is tuple for v in kept["find_dates"].values())
    memo = runmemo.Memo(kept)
    worked = []
    real = dates._find_dates
    monkeypatch.setattr(dates, "_find_dates", lambda *a: (worked.append(a[:2]), real(*a))[1])
    text, year = next((k[0], k[1]) for k in kept["find_dates"] if k[1] is not None)
    with memo.installed():
        first = dates.find_dates(text, default_year=year)
        again = dates.find_dates(text, default_year=year)
        other = dates.find_dates(text, default_year=year + 1)  # another question: not kept
        conv = dates.DateConventions(orders=("dmy", "y"))
        with dates.conventions(conv):
            dmy = dates.find_dates(text, default_year=year)
    assert worked == [(text, year + 1), (text, year)]
    assert first == again == dates.find_dates(text, default_year=year) and first is not again
    assert other == dates.find_dates(text, default_year=year + 1)
    assert dmy == dates.find_dates(text, default_year=year, conventions=conv)
    first[0].when = "changed"  # a caller's copy: the kept reading is not changed
    with memo.installed():
        assert dates.find_dates(text, default_year=year)[0].when != "changed"
    # match_toc: the same entries, texts and spans give the kept assignment; a page does not
    from teikit.convert.model import TocEntry
    entries = [TocEntry(text="May 1, 1921, note of the commissar", page="10", line=3),
               TocEntry(text="June 2, 1921, telegram to Berlin", page="12", line=4)]
    texts = ["Telegram to Berlin June 2, 1921", "Note of the commissar May 1, 1921"]
    import datetime as dt
    day = lambda m, d: (dt.date(1921, m, d), dt.date(1921, m, d))  # noqa: E731
    spans = ([day(5, 1), day(6, 2)], [day(6, 2), day(5, 1)])
    memo = runmemo.Memo()
    with memo.installed():
        found = toc.match_toc(entries, texts, spans=spans)
        assert found == {0: 1, 1: 0} == toc.match_toc(entries, texts, spans=spans)
        assert list(memo.used["match_toc"].values()) == [{0: 1, 1: 0}]
        memo.used["match_toc"][next(iter(memo.used["match_toc"]))] = {0: 0}  # what a kept answer gives
        assert toc.match_toc(entries, texts, spans=spans) == {0: 0}
        entries[1].page = "13"
        assert toc.match_toc(entries, texts, spans=spans) == {0: 1, 1: 0}  # a new key: worked out
        assert toc.match_toc(entries, texts, spans=(spans[0], [spans[1][0], toc.NO_DATE])) == \
            toc.match_toc(entries, texts, lambda i, k: None if k == 1 else spans[0][i] == spans[1][k])
    # a memo kept under another code fingerprint is not handed in
    assert doccache.load_memo(doccache.memo_path(state), "another fingerprint").known == {}


def _code_key(corpus: Path) -> str:
    from teikit.project import conversion_inputs, key

    project = Project(corpus)
    inputs = conversion_inputs(project, project.source_path(projectinputs.load_config(project.config_path)))
    return key(inputs["code"], doccache.VERSION)


def test_compiled_regular_expressions_are_kept_and_give_the_same_pattern(small, monkeypatch):
    """The scanner's compiled form comes back from corpus/.teikit/cache/regexes.pickle as the
    pattern re.compile makes; a form kept by another Python, or damaged, is not used."""
    import re as re_

    from teikit.core import rxforms

    path = doccache.forms_path(Project(small).state_dir)
    forms = doccache.load_value(path, repr(rxforms.ENGINE))
    assert forms
    (source, flags), form = max(forms.items(), key=lambda kv: len(kv[0][0]))  # the name scanner
    monkeypatch.setattr(rxforms, "_known", {})
    monkeypatch.setattr(rxforms, "_made", {})
    rxforms.keep(forms)
    monkeypatch.setattr(rxforms._parser, "parse", lambda *a: pytest.fail("compiled again"))
    kept = rxforms.compile(source, flags)
    monkeypatch.undo()
    assert kept == re_.compile(source, flags)  # the same source, flags and code
    assert (kept.groupindex, kept.groups) == (re_.compile(source, flags).groupindex, re_.compile(source, flags).groups)
    text = (small / "source" / "dispatches.md").read_text(encoding="utf-8")
    assert [m.span() for m in kept.finditer(text)] == [m.span() for m in re_.compile(source, flags).finditer(text)]
    assert not doccache.load_value(path, repr(("another", "python")))
    monkeypatch.setattr(rxforms, "_known", {(source, flags): (flags, [1, 2, 3], 0, {}, ())})  # damaged code
    monkeypatch.setattr(rxforms, "_made", {})
    assert rxforms.compile(source, flags) == re_.compile(source, flags)
    assert rxforms.compile("(?P<a>x)|y", re_.I) == re_.compile("(?P<a>x)|y", re_.I)
    with pytest.raises(re_.error):
        rxforms.compile("(unbalanced")


def test_what_re_itself_compiles_while_recording_comes_from_the_kept_code(monkeypatch):
    """While a conversion records (rxforms.recording), a pattern `re` compiles itself (a
    module-level re.compile, re.match of a new pattern) is made by rxforms: recorded, and
    from its kept code in a later run (not parsed again), the same pattern as re makes;
    outside a recording, and for bytes, `re` compiles as always."""
    import re as re_
    import uuid

    from teikit.core import rxforms

    original = re_._compiler.compile
    source = rf"(?P<w>rx-{uuid.uuid4().hex})\s+(\d+)|(?i:x[a-c]+)"  # in no cache yet
    with rxforms.recording() as keys:
        assert re_._compiler.compile is not original
        with rxforms.recording():  # nested: hooked once, restored by the outer block only
            pass
        assert re_._compiler.compile is not original
        first = re_.compile(source, re_.MULTILINE)
        assert re_.match(rb"(b+)", b"bbb").group(1) == b"bbb"  # bytes: re's own compiler
    assert re_._compiler.compile is original
    assert (source, int(re_.MULTILINE)) in keys and (source, int(re_.MULTILINE)) in rxforms.made(keys)
    forms = rxforms.made(keys)
    monkeypatch.setattr(rxforms, "_known", {})
    monkeypatch.setattr(rxforms, "_made", {})
    monkeypatch.setattr(re_, "_cache", {})  # a new process: re's cache is empty
    rxforms.keep(forms)
    with monkeypatch.context() as m:
        m.setattr(rxforms._parser, "parse", lambda *a: pytest.fail("parsed again"))
        with rxforms.recording():
            kept = re_.compile(source, re_.MULTILINE)
    fresh = original(source, int(re_.MULTILINE))
    assert kept == fresh == first and (kept.groupindex, kept.groups, kept.flags) == (fresh.groupindex, fresh.groups, fresh.flags)
    text = f"a rx-{source[8:40]}  12 xab\nXAB"
    assert [m.span() for m in kept.finditer(text)] == [m.span() for m in fresh.finditer(text)]
    # a damaged form is compiled afresh; an invalid pattern raises as re does
    monkeypatch.setattr(rxforms, "_known", {(source, int(re_.I)): (0, [1, 2, 3], 0, {}, ())})
    monkeypatch.setattr(re_, "_cache", {})
    with rxforms.recording():
        assert re_.compile(source, re_.I) == original(source, int(re_.I))
        with pytest.raises(re_.error):
            re_.compile("(unbalanced")
    # outside a recording nothing kept is used
    monkeypatch.setattr(re_, "_cache", {})
    with monkeypatch.context() as m:
        m.setattr(rxforms, "_served", lambda *a: pytest.fail("not re's own compiler"))
        assert re_.compile(source, re_.MULTILINE) == fresh


def test_a_project_keeps_the_compiled_forms_of_its_own_conversion_only(small, tmp_path):
    """A process that converted another project before (its registry's scanner compiled)
    keeps, in this project's cache, the forms this project's conversion compiled: no name
    of the other project's registry lands in it."""
    from teikit.core import rxforms

    other = tmp_path / "other" / "corpus"
    shutil.copytree(small.parent, other.parent)
    registry = json.loads((other / "source" / "corpus.json").read_text(encoding="utf-8")).get("registry")
    folder = (other / "source" / (registry or "../../data/registry")).resolve()
    persons = folder / "persons.json"
    if not persons.is_file():
        pytest.skip("the small compilation's registry is not a folder of its own")
    data = json.loads(persons.read_text(encoding="utf-8"))
    entries = data["entries"] if isinstance(data, dict) and "entries" in data else data
    entries[0]["variants"] = list(entries[0].get("variants", [])) + ["Zanzibarovich"]
    persons.write_text(json.dumps(data), encoding="utf-8")
    shutil.rmtree(other / ".teikit", ignore_errors=True)
    _convert(other)  # its scanner, with the new variant, compiled in this process
    assert any("zanzibarovich" in src.lower() for src, _f in rxforms.made())
    shutil.rmtree(small / ".teikit" / "cache", ignore_errors=True)
    _convert(small)
    kept = doccache.load_value(doccache.forms_path(Project(small).state_dir), repr(rxforms.ENGINE))
    assert kept and not any("zanzibarovich" in src.lower() for src, _f in kept)


def test_the_corpus_header_and_the_persons_printed_follow_an_edit(small, tmp_path):
    """corpus.xml's extent and persons.xml's variants come from each document's facts kept
    under its render key (pipeline._facts) and from the registry files kept under the
    registry's fingerprint: an edit that changes the words, the paragraphs or the names
    printed must reach them, as in a clean conversion."""
    source = small / "source" / "dispatches.md"

    def changed_by(edit) -> set[str]:
        before = _outputs(small)
        _incremental_equals_clean(small, tmp_path, edit)
        after = _outputs(small)
        return {n for n in after if after[n] != before.get(n)}

    assert "tei/corpus.xml" in changed_by(lambda c: _replace(source, "a wide circulation", "a wide and early circulation"))
    assert "tei/corpus.xml" in changed_by(lambda c: _replace(source, "decided to declare war.", "decided.\n\nTo declare war."))
    # the name is printed no more: its variants leave persons.xml
    assert "tei/persons.xml" in changed_by(lambda c: _replace(source, "H. Knatchbull-Hugessen", "The Ambassador", 2))
    assert "tei/persons.xml" in changed_by(lambda c: _replace(source, "The Ambassador\n\n# End", "H. Knatchbull-Hugessen\n\n# End"))
    # nothing in them changes: they are kept (the same bytes, from the cache)
    assert not {"tei/corpus.xml", "tei/persons.xml"} & changed_by(lambda c: _replace(source, "wide and early", "wide and quick"))
