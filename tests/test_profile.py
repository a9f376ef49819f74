"""Reader profiles: the language of named patterns, what it reads, its errors, and the scores
on the two test compilations rendered from FRUS (tests/data/sources/frus-*)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit.cli import main
from teikit.convert.readers.compilation import read
from teikit.convert.readers.inline import parse_inline
from teikit.convert.readers.profile import ReaderProfile
from teikit.core.errors import ConfigError, InputError

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import score_compilation  # noqa: E402

SOURCES = ROOT / "tests" / "data" / "sources"
PROFILES = ROOT / "tests" / "data" / "profiles"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def profile_of(name: str) -> dict:
    return json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))


# --- the floors on the two test compilations ------------------------------------------------
@pytest.mark.parametrize("name", ["frus-1925-tables", "frus-1870-leaders"])
def test_profile_reaches_the_floors(name):
    gold = json.loads((SOURCES / name / "gold.json").read_text(encoding="utf-8"))
    result = score_compilation.score(gold["documents"], score_compilation.convert(SOURCES / name, profile_of(name)))
    assert result["boundaries_f1"] >= 0.98, result
    assert result["dates"] >= 0.95, result
    assert result["correspondents"] >= 0.9, result
    assert result["type_other_where_named"] == 0, result


def test_without_a_profile_the_compilation_is_not_read():
    """The neutral defaults know nothing of FRUS: the score is far below the floors."""
    name = "frus-1925-tables"
    gold = json.loads((SOURCES / name / "gold.json").read_text(encoding="utf-8"))
    try:
        docs = score_compilation.convert(SOURCES / name, {})
    except Exception:  # noqa: BLE001 - a refusal is as good as a low score here
        return
    assert score_compilation.score(gold["documents"], docs)["boundaries_f1"] < 0.5


# --- what the language reads -----------------------------------------------------------------
FRUSLIKE = """# A VOLUME

## CONTENTS

CUBA ........ 1

## CUBA

### Ratification of the treaty

837.014P/371a: Telegram

**3. The Secretary of State to the Ambassador in Cuba (Crowder)**

[Paraphrase]

WASHINGTON, *March 13, 1925—6 p.m.*

38. The Senate today gave its advice<sup>1</sup> and consent on the 1<sup>st</sup> of

12 FOREIGN RELATIONS, 1925, VOLUME II

the month to [the] treaty.

> A quoted paragraph.

KELLOGG

<sup>1</sup> See p. 11.

837.014P/372

**4. Memorandum by the Secretary of State**

[WASHINGTON,] *March 14, 1925*.

The Ambassador called.
"""


def frus_profile() -> ReaderProfile:
    return ReaderProfile.from_dict(profile_of("frus-1925-tables"))


def test_file_number_bracketed_note_and_dateline_are_kept_apart_from_the_title():
    comp = read(FRUSLIKE, "v.md", frus_profile())
    # the chapter heads above go with the first document, the file-number line opens the second
    assert [d.start_line for d in comp.documents] == [7, 31]
    doc = comp.documents[0]
    kinds = [b.kind for b in doc.blocks]
    assert kinds[:6] == ["divider", "divider", "file", "head", "opener-note", "dateline"]
    head = next(b for b in doc.blocks if b.kind == "head")
    assert head.plain() == "3. The Secretary of State to the Ambassador in Cuba (Crowder)"
    assert doc.type_hint == "telegram"  # from the file-number line
    assert doc.printed_correspondents == ("The Secretary of State", "the Ambassador in Cuba (Crowder)")
    assert doc.chapters == [("chapter", "CUBA"), ("subchapter", "Ratification of the treaty")]
    assert comp.documents[1].type_hint == "memorandum"  # heading word after the number


def test_running_head_is_a_page_break_inside_the_rejoined_paragraph():
    doc = read(FRUSLIKE, "v.md", frus_profile()).documents[0]
    para = next(b for b in doc.blocks if b.kind == "p" and "Senate" in b.plain())
    kinds = [r.kind for r in para.content]
    assert "pb" in kinds and "fw" in kinds
    assert para.content[kinds.index("pb")].n == "12"
    assert para.plain().endswith("the month to [the] treaty.")  # brackets as printed


def test_superscripts_quotes_and_brackets():
    runs = parse_inline("the 1<sup>st</sup> of May<sup>2</sup>")
    assert [(r.kind, r.text, r.rend) for r in runs] == [
        ("text", "the 1", None), ("hi", "st", "sup"), ("text", " of May", None), ("ref", "2", None)]
    doc = read(FRUSLIKE, "v.md", frus_profile()).documents[0]
    quote = next(b for b in doc.blocks if b.quote_id is not None)
    assert quote.plain() == "A quoted paragraph."
    assert not any(r.kind == "supplied" for b in doc.blocks for r in b.content)



def _copy_with_profile(tmp_path, name: str, taxonomy=None, **reader) -> Path:
    """A copy of a test compilation whose configuration holds its profile (plus `reader`
    keys, and a `taxonomy` if given)."""
    corpus = tmp_path / "c"
    shutil.copytree(SOURCES / name, corpus)
    cfg_path = corpus / "source" / "corpus.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["reader"] = {**profile_of(name), **reader}
    if taxonomy is not None:
        cfg["taxonomy"] = taxonomy
    cfg_path.write_text(json.dumps(cfg), encoding="utf-8")
    return corpus

def test_the_built_file_encodes_what_the_profile_read(tmp_path):
    corpus = _copy_with_profile(tmp_path, "frus-1925-tables")
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(corpus / "tei" / "fr25-1925-03-13.xml"))
    assert tree.xpath("string(//t:opener/t:idno[@type='file'])", namespaces=NS) == "837.014P/371a: Telegram"
    assert tree.xpath("//t:textClass/t:catRef/@target", namespaces=NS) == ["#telegram"]
    assert tree.xpath("//t:msDesc/t:msIdentifier/t:idno[@type='file']/text()", namespaces=NS) == ["837.014P/371a"]
    assert tree.xpath("//t:bibl[@type='compilation']/t:biblScope[@unit='chapter']/text()", namespaces=NS) == ["CUBA"]
    assert tree.xpath("//t:correspAction[@type='received']/t:persName/text()", namespaces=NS) == ["Crowder"]
    pages = [n for f in sorted((corpus / "tei").glob("fr25-*.xml"))
             for n in etree.parse(str(f)).xpath("//t:body//t:pb/@n", namespaces=NS)]
    assert "2" in pages and "12" in pages  # running heads "2 FOREIGN RELATIONS, …", "CUBA 3"
    # the chapter tree of the front matter: the heads as printed, the documents under each, in order
    front = etree.parse(str(corpus / "tei" / "fr25-front.xml"))
    tree_div = front.find(".//t:div[@type='chapters']", NS)
    chapters = tree_div.xpath("t:div[@type='chapter']/t:head/text()", namespaces=NS)
    assert chapters[:2] == ["CUBA", "CZECHOSLOVAKIA"] and "FINLAND" in chapters
    cuba = tree_div.xpath("t:div[t:head='CUBA']/t:div[@type='subchapter']", namespaces=NS)
    assert [d.findtext("t:head", namespaces=NS)[:24] for d in cuba] == [
        "Ratification of the trea", "Negotiations between the"]
    first = cuba[0].xpath("t:list/t:item/t:ref[@type='document']/@target", namespaces=NS)
    assert first[:3] == ["fr25-1924-12-31.xml", "fr25-1925-01-02.xml", "fr25-1925-03-13.xml"]
    listed = tree_div.xpath(".//t:item/t:ref/@target", namespaces=NS)
    docs = sorted(f.name for f in (corpus / "tei").glob("fr25-*.xml") if f.stem not in ("fr25-front", "fr25-back"))
    assert sorted(listed) == docs  # every document once, under the heads it is printed under
    for target in listed:  # and each under the chapter its own header names
        scope = etree.parse(str(corpus / "tei" / target)).xpath(
            "//t:bibl[@type='compilation']/t:biblScope[@unit='chapter']/text()", namespaces=NS)
        assert tree_div.xpath(f"t:div[.//t:ref/@target='{target}']/t:head/text()", namespaces=NS) == scope
    header = etree.parse(str(corpus / "tei" / "corpus.xml"))
    cats = header.xpath("//t:taxonomy[@xml:id='doctypes']/t:category/@xml:id", namespaces=NS)
    assert {"telegram", "letter", "memorandum", "other"} <= set(cats)
    # empty registries are valid output
    valid = CliRunner().invoke(main, ["validate", str(corpus / "tei")])
    assert valid.exit_code == 0, valid.output


# --- errors a person can act on --------------------------------------------------------------
def test_bad_pattern_names_the_key_the_file_and_the_fix():
    with pytest.raises(ConfigError) as err:
        ReaderProfile.from_dict({"headings": ["^(?P<number>\\d+\\.\\s"]}, source="'c/corpus.json'")
    msg = str(err.value)
    assert "'headings'" in msg and "'c/corpus.json'" in msg and "missing )" in msg and "Fix the pattern" in msg


def test_missing_group_names_the_group_and_an_example():
    with pytest.raises(ConfigError) as err:
        ReaderProfile.from_dict({"toc_page": "\\.{3,}\\s*\\d+$"}, source="'c/corpus.json'")
    assert "'toc_page'" in str(err.value) and "(?P<page>" in str(err.value)


def test_unknown_line_kind_is_refused():
    with pytest.raises(ConfigError, match="before_heading"):
        ReaderProfile.from_dict({"before_heading": {"shelfmark": "^x"}})


def test_a_type_outside_the_taxonomy_is_refused(tmp_path):
    corpus = _copy_with_profile(tmp_path, "frus-1870-leaders", correspondence_type="despatch",
                                taxonomy=["telegram", "letter", "other"])
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
    assert result.exit_code == 1 and "correspondence_type" in result.output and "despatch" in result.output


def test_no_document_names_the_line_and_the_pattern_that_failed():
    """Italic datelines and numbered headings without a profile for them: the message says
    which line looked like a heading and why no rule took it."""
    text = "# Vol\n\n**12. The Secretary of State to the Ambassador in France (Edge)**\n\n*Washington*, *July* 26, 1861.\n\nSir: text.\n"
    profile = ReaderProfile.from_dict({"dateline": ["^never$"]})
    with pytest.raises(InputError) as err:
        read(text, "v.md", profile)
    msg = str(err.value)
    assert "line 3" in msg and "'headings'" in msg and "line 5" in msg and "'dateline'" in msg


def test_built_files_and_folders_have_the_usual_modes(tmp_path):
    import os
    import stat

    corpus = tmp_path / "c"
    shutil.copytree(SOURCES / "other-compilation", corpus)
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((corpus / "tei").stat().st_mode) == 0o755
    assert stat.S_IMODE((corpus / "idmap.json").stat().st_mode) == 0o644
    assert {stat.S_IMODE(p.stat().st_mode) for p in (corpus / "tei").glob("*.xml")} == {0o644}


def test_heading_types_entry_with_pattern_characters_is_a_pattern():
    profile = ReaderProfile.from_dict({"heading_types": ["proc[eè]s-verbal", "No."]})
    assert profile.heading_start.match("Procès-verbal de la séance du 3 mars 1921")
    assert not profile.heading_start.match("Nox")  # a plain word stays literal


def test_a_type_override_is_checked_against_the_corpus_taxonomy(tmp_path):
    corpus = _copy_with_profile(tmp_path, "frus-1870-leaders")
    assert CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"]).exit_code == 0
    doc_id = sorted(p.stem for p in (corpus / "tei").glob("fr70-*.xml"))[0]
    for value, code in (("letter", 0), ("record-of-conversation", 1)):  # the corpus's type, teikit's generic one
        (corpus / "overrides.json").write_text(json.dumps({"documents": {doc_id: {"type": {"value": value, "reason": "Checked against the printed heading."}}}}))
        result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "--quiet"])
        assert result.exit_code == code, result.output
    assert "not one of the corpus's types" in result.output
