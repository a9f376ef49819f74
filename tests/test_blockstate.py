"""The render step's key from the document step's key (teikit.blockstate, DocCache.render_key):
used only where a document's blocks are still those its document step gave; any change to
them, at any level, makes the key the whole document's again, and a conversion in which a
corpus-wide step changes a cached document's blocks gives what a clean one gives."""

from __future__ import annotations

import shutil

import pytest

from teikit import blockstate, doccache, pipeline
from teikit.convert import splitcheck
from teikit.convert.model import Block, Document, Inline
from teikit.project import Project

from tests.conftest import OTHER, corpus_outputs


def _doc() -> Document:
    doc = Document(1, 1, 4, "Note")
    doc.blocks = [Block("head", (1, 1), [Inline("text", "Note")]),
                  Block("p", (3, 4), [Inline("text", "To the "), Inline("persName", "Minister", ref="pers:x"),
                                      Inline("lb"), Inline("text", "of 1 May.")], list_id=2)]
    return doc


CHANGES = {
    "a block's attribute": lambda d: setattr(d.blocks[1], "kind", "item"),
    "a block's number, to an equal float": lambda d: setattr(d.blocks[1], "list_id", 2.0),
    "a block's lines": lambda d: setattr(d.blocks[1], "lines", (3, 5)),
    "a block added": lambda d: d.blocks.append(Block("p", (5, 5))),
    "a block removed": lambda d: d.blocks.pop(0),
    "a block replaced by an equal one": lambda d: d.blocks.__setitem__(0, Block("head", (1, 1), [Inline("text", "Note")])),
    "a run appended": lambda d: d.blocks[0].content.append(Inline("text", "!")),
    "a run replaced": lambda d: d.blocks[1].content.__setitem__(2, Inline("gap")),
    "a run's text": lambda d: setattr(d.blocks[1].content[0], "text", "To THE "),
    "a run's text, to an equal string made anew": lambda d: setattr(d.blocks[1].content[0], "text", "".join(["To ", "the "])),
    "a run's reference": lambda d: setattr(d.blocks[1].content[1], "ref", "pers:y"),
    "an attribute added to a run": lambda d: setattr(d.blocks[1].content[2], "extra", None),
    "an attribute renamed": lambda d: (vars(d.blocks[1].content[2]).pop("ref"), setattr(d.blocks[1].content[2], "ref2", None)),
    "a run's dict written directly": lambda d: vars(d.blocks[1].content[3]).update(text="of 2 May."),
    "a block's class": lambda d: setattr(d.blocks[0], "__class__", type("Other", (Block,), {})),
    "the blocks list replaced": lambda d: setattr(d, "blocks", list(d.blocks) + [Block("p", (6, 6))]),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_to_the_blocks_is_seen(change):
    doc = _doc()
    state = blockstate.blocks_state(doc.blocks)
    before = doccache.canon(doc.blocks)
    assert blockstate.unchanged(state, doc.blocks)
    CHANGES[change](doc)
    assert not blockstate.unchanged(state, doc.blocks)
    assert doccache.canon(doc.blocks) != before or change in (
        "a block replaced by an equal one", "a run's text, to an equal string made anew")


def test_what_reads_the_blocks_leaves_them_unchanged():
    doc = _doc()
    state = blockstate.blocks_state(doc.blocks)
    [b.plain() for b in doc.blocks]
    doccache.canon(doc)
    doc.title, doc.doc_id = "A note", "x-1"  # the header is not the blocks
    assert blockstate.unchanged(state, doc.blocks)


def test_blocks_of_another_shape_are_not_covered():
    doc = _doc()
    doc.blocks[0].content.append([Inline("text", "nested")])  # a list inside the runs
    assert blockstate.blocks_state(doc.blocks) is None
    doc = _doc()
    doc.blocks[1].content[0].text = {"a": 1}  # a run's value that is not an atom
    assert blockstate.blocks_state(doc.blocks) is None
    assert blockstate.blocks_state(tuple(_doc().blocks)) is None


def test_the_render_key_from_the_document_step_tells_apart_what_the_whole_document_does():
    cache = doccache.DocCache("base")
    a, b = _doc(), _doc()
    cache.made_by("k", a)
    cache.made_by("k", b)
    key_a = cache.render_key(a, "2026-01-01")
    assert cache.render_key(b, "2026-01-01") == key_a  # the same step's key, the same header
    assert cache.render_key(a, "2026-01-01") == cache.key("render", a, "2026-01-01")  # not noted: whole
    c = _doc()
    cache.made_by("k", c)
    c.title = "Another"
    assert cache.render_key(c, "2026-01-01") != key_a  # another header
    d = _doc()
    cache.made_by("k", d)
    assert cache.render_key(d, "2026-01-02") != key_a  # another date
    e = _doc()
    cache.made_by("k", e)
    e.blocks[1].content[0].text = "To THE "
    assert cache.render_key(e, "2026-01-01") == cache.key("render", e, "2026-01-01")  # changed: the whole document
    f = _doc()
    cache.made_by("another step key", f)
    assert cache.render_key(f, "2026-01-01") != key_a


def test_a_corpus_wide_step_that_changes_a_cached_document_s_blocks_is_seen(tmp_path, monkeypatch):
    """The shortcut must not apply: after the documents come from the cache, a corpus-wide step
    (here find_reprints, patched) changes a word of one of them; the files written are those
    of a clean conversion with the same step."""
    corpus = tmp_path / "project" / "corpus"
    shutil.copytree(OTHER, corpus)
    pipeline.convert_project(Project(corpus))
    pipeline.convert_project(Project(corpus))
    real = splitcheck.find_reprints

    def find_reprints(comp):
        run = next(i for b in comp.documents[0].blocks if b.kind == "p" for i in b.content if i.kind == "text")
        run.text = run.text.replace("the", "THE", 1)
        return real(comp)

    monkeypatch.setattr(pipeline.splitcheck, "find_reprints", find_reprints)
    before = corpus_outputs(corpus)
    pipeline.convert_project(Project(corpus))  # every document from the cache, one changed after
    clean = tmp_path / "clean" / "corpus"
    shutil.copytree(corpus.parent, clean.parent, ignore=shutil.ignore_patterns("tei", ".teikit", "manifest.json"))
    pipeline.convert_project(Project(clean))
    after = corpus_outputs(corpus)
    assert after == corpus_outputs(clean)
    assert after != before  # the change reached the file
