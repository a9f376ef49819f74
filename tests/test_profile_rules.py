"""Rules found by the blind profile test (notes/blind-profile.md): what the reader does with a
profile must be what docs/reader-profile.md says, and what it cannot read it says so."""

from __future__ import annotations

import json

from teikit.convert import dates, metadata
from teikit.convert.readers.compilation import read
from teikit.convert.readers.paragraphs import split_paragraphs
from teikit.convert.readers.profile import ReaderProfile
from teikit.convert.readers.toc import parse_toc

HEADINGS = {
    "headings": [r"^(?P<number>\d+)\.\s+.+$", r"^Mr\. .+$"],
    # restricted sides: "Mr. X to Mr. Y" only
    "correspondents": [r"^(?P<sender>Mr\. [\w. ]+?) to (?P<addressee>Mr\. [\w. ]+?)\.?$"],
    "levels": {"1": "title"},
}

SOURCE = """# A VOLUME

**Mr. Motley to Mr. Fish.**

No. 502.] LEGATION, *London*, *November* 1, 1670. (Received November 15.)

Sir: the text of the letter.

**5. Senate Resolution Advising and Consenting to the Ratification of the Treaty<sup>2</sup>**

**Signed at Washington, March 2, 1904<sup>3</sup>**

Resolved (two-thirds of the Senators present concurring), that the Senate advise and consent.

**6. The Secretary of State to the Estonian Minister (Piip)<sup>1</sup>**

*Washington*, *May* 4, 1925.

Sir: a note.
"""


def documents(profile: dict):
    prof = ReaderProfile.from_dict(profile)
    comp = read(SOURCE, "v.md", prof)
    with dates.conventions(prof.dates):
        metadata.extract_all(comp, marks=prof.classification)
    return comp.documents


def test_builtin_heading_phrases_are_off_unless_the_profile_switches_them_on():
    senate = documents(HEADINGS)[1]
    # the profile's pattern does not match it: no "Resolution Advising" to "Treaty"
    assert senate.senders == [] and senate.addressees == []
    on = documents({**HEADINGS, "heading_phrases": True})[1]
    assert [a.name for a in on.addressees] == ["Treaty"]  # teikit's own phrase rule, asked for


def test_the_profile_correspondents_still_split_their_headings():
    motley = documents(HEADINGS)[0]
    assert [a.name for a in motley.senders] == ["Mr. Motley"]
    assert [a.name for a in motley.addressees] == ["Mr. Fish"]


def test_note_anchors_do_not_reach_titles_names_or_dates():
    profile = {**HEADINGS, "correspondents": [r"^(?P<sender>The Secretary of State) to (?P<addressee>.+)$"]}
    docs = documents(profile)
    senate, piip = docs[1], docs[2]
    assert not senate.title.endswith("2")
    assert senate.date.when == "1904-03-02"  # "1904<sup>3</sup>" is not the year 19043
    assert [a.name for a in piip.addressees] == ["Piip"]
    assert piip.addressees[0].role == "Estonian Minister"


def test_a_received_note_is_not_the_date_and_a_year_out_of_range_is_reported():
    motley = documents(HEADINGS)[0]
    assert motley.date.when is None  # not November 15 (the date of receipt)
    assert any("1670" in w and "dates.years" in w for w in motley.warnings)
    motley = documents({**HEADINGS, "dates": {"years": [1600, 1950]}})[0]
    assert motley.date.when == "1670-11-01" and motley.date.printed == "November 1, 1670"


def toc(text: str, profile: dict):
    warnings: list = []
    entries = parse_toc(split_paragraphs(text.split("\n")), ReaderProfile.from_dict(profile), warnings)
    return entries, warnings


def test_a_dated_contents_entry_without_a_page_is_not_joined_to_the_next():
    entries, warnings = toc(
        "Mr. Jay to Mr. Fish. Oct. 1, 1870 ...... 4\n\nSame to same. Oct. 3, 1870\n\nBELGIUM.\n\n"
        "Mr. Jones to Mr. Fish. Aug. 11, 1870 ...... 51\n\nSame to same. Nov. 1, 1670\n\n"
        "Mr. Fish to Mr. Jones. Nov. 15, 1870 ...... 53\n",
        {"toc_ditto": r"^same to same", "toc_page_repeats": True})
    assert [e.text for e in entries] == ["Mr. Jay to Mr. Fish. Oct. 1, 1870", "Mr. Jay to Mr. Fish. Oct. 3, 1870",
                                         "Mr. Jones to Mr. Fish. Aug. 11, 1870", "Mr. Jones to Mr. Fish. Nov. 1, 1670",
                                         "Mr. Fish to Mr. Jones. Nov. 15, 1870"]
    assert [e.page for e in entries] == ["4", "4", "51", "51", "53"]
    assert warnings == []


def test_an_entry_broken_by_a_page_break_is_joined_and_reported():
    entries, warnings = toc("May 4, 1925, note of the Minister of\n\nForeign Affairs ...... 7\n", {})
    assert [(e.text, e.page) for e in entries] == [("May 4, 1925, note of the Minister of Foreign Affairs", "7")]
    assert len(warnings) == 1 and warnings[0][0] == 3


def test_a_table_row_that_prints_only_a_year_sets_the_year_of_the_rows_below():
    entries, _ = toc(
        "| Date | Subject | Page |\n|---|---|---|\n| 1924 Dec. 2 | To the Legation | 61 |\n"
        "| 1925 Undated | To the Legation | 62 |\n| May 2 | From the Legation | 63 |\n",
        {"toc_page": r"\|\s*(?P<page>\d+)\s*\|\s*$"})
    assert entries[-1].text.startswith("May 2, 1925")


LATER = """# A VOLUME

## CONTENTS

CUBA ...... 1

Oct. 22, 1925, the Ambassador to the Secretary ...... 1

Oct. 24, 1925, the Minister to the Secretary ...... 2

## CUBA

**1. The Ambassador in Cuba (Crowder) to the Secretary of State**

HABANA, *October 22, 1924* [*1925*]. [Received October 27.]

SIR: I have the honor to report at length on the negotiations.

**2. The Minister (Ariza) to the Secretary of State**

The undersigned has the honor to state the understanding of his Government at length.

J. C. ARIZA

WASHINGTON, *October 24, 1925.*
"""
LATER_PROFILE = {"headings": [r"^(?P<number>\d+)\.\s"], "levels": {"1": "title", "2": "chapter"},
                 "correspondents": [r"^(?P<sender>the .+?) to (?P<addressee>the .+)$"]}


def later_documents():
    prof = ReaderProfile.from_dict(LATER_PROFILE)
    comp = read(LATER, "v.md", prof)
    with dates.conventions(prof.dates):
        metadata.extract_all(comp, marks=prof.classification)
    return comp


def test_a_year_corrected_in_brackets_is_the_date_and_the_printed_one_is_kept():
    doc = later_documents().documents[0]
    assert doc.date.when == "1925-10-22"
    assert doc.date.printed == "October 22, 1924 [1925]"
    assert "1924" in doc.date.note


def test_brackets_as_printed_keep_their_inner_markup():
    from teikit.convert.readers import inline

    token = inline.BRACKETS.set("as-printed")
    try:
        runs = inline.parse_inline("*October 22, 1924* [*1925*]")
    finally:
        inline.BRACKETS.reset(token)
    assert inline.plain(runs) == "October 22, 1924 [1925]"
    assert [r.text for r in runs if r.rend == "italic"] == ["October 22, 1924", "1925"]


def test_a_date_line_printed_at_the_end_dates_the_document():
    doc = later_documents().documents[1]
    assert doc.date.when == "1925-10-24" and doc.date.source == "closing dateline"


def test_contents_lines_that_print_a_chapter_head_point_to_the_chapter():
    from teikit.convert.splitcheck import attach_toc

    comp = later_documents()
    attach_toc(comp)
    assert [e.points_to for e in comp.toc] == ["chapter", "document", "document"]
    assert [d.toc.text[:7] for d in comp.documents] == ["Oct. 22", "Oct. 24"]
    assert not [i for i in comp.issues if i.code == "toc:unmatched"]


def test_a_profile_pattern_that_matches_nothing_is_reported():
    profile = {**LATER_PROFILE, "dateline": [r"^[A-Z]+, \w+ \d+, \d{4}", r"^Done at\b"],
               "after_heading": {"editorial": r"^\[Paraphrase\]$"}, "types": {"memorandum": r"^memorandum\b"}}
    comp = read(LATER, "v.md", ReaderProfile.from_dict(profile))
    unused = {(i.severity, i.message.split("'")[2]) for i in comp.issues if i.code == "profile:unused"}
    assert unused == {("warning", "dateline[1]"), ("warning", "after_heading.editorial"), ("info", "types.memorandum")}


def test_the_suggested_heading_pattern_matches_the_line_it_quotes():
    import json
    import re

    import pytest

    from teikit.core.errors import InputError

    for heading in ("Mr. Jay to Mr. Fish.", "12. The Secretary of State to the Ambassador (Edge)", "Memorandum by the Minister"):
        text = f"# Vol\n\n**{heading}**\n\n*Washington*, *July* 26, 1861.\n\nSir: text.\n"
        with pytest.raises(InputError) as err:
            read(text, "v.md", ReaderProfile.from_dict({"dateline": ["^never$"]}))
        suggested = re.search(r"e\.g\. (\"(?:[^\"\\\\]|\\\\.)*\")", str(err.value)).group(1)
        assert re.search(json.loads(suggested), heading, re.I), (heading, suggested)


def test_the_names_report_points_to_the_corpus_registry(tmp_path):
    from teikit import api
    from teikit.project import Project

    corpus = tmp_path / "c"
    (corpus / "source").mkdir(parents=True)
    import shutil

    from .conftest import ROOT

    shutil.copytree(ROOT / "tests/data/sources/frus-1870-leaders/registry", corpus / "reg")

    cfg = json.loads((ROOT / "tests/data/sources/frus-1870-leaders/source/corpus.json").read_text(encoding="utf-8"))
    cfg["registry"] = "../reg"
    cfg["source"]["file"] = "v.md"
    cfg["reader"] = LATER_PROFILE
    (corpus / "source" / "corpus.json").write_text(json.dumps(cfg), encoding="utf-8")
    (corpus / "source" / "v.md").write_text(LATER, encoding="utf-8")
    report = api.segment_report(Project(corpus), corpus / "source" / "v.md")
    line = next(ln for ln in report.splitlines() if ln.startswith("Names that match no registry entry"))
    assert str(corpus / "reg") in line
    assert not any(ln.split()[:1] in (["October"], ["Mr"]) for ln in report.splitlines()[report.splitlines().index(line):])


def test_each_row_of_a_contents_table_is_its_own_contents_item():
    text = ("# V\n\n## LIST OF PAPERS\n\n| Date | Subject | Page |\n|---|---|---|\n"
            "| 1925 Oct. 22 | *From the Ambassador* | 1 |\n| Oct. 24 | *From the Minister* | 2 |\n\n" + LATER.split("## CUBA\n", 1)[1])
    comp = read(text, "v.md", ReaderProfile.from_dict({**LATER_PROFILE, "toc_start": r"^list of papers$",
                                                        "toc_page": r"\|\s*(?P<page>\d+)\s*\|\s*$"}))
    items = [b for b in comp.front if b.kind == "toc-entry"]
    assert [b.lines[0] for b in items] == [5, 7, 8]  # the header row kept, the |---| rule left out
    assert items[1].plain() == "1925 Oct. 22 | From the Ambassador | 1"
    assert [e.line for e in comp.toc] == [7, 8]


def test_front_matter_headings_lose_their_markdown_marks():
    comp = read(LATER, "v.md", ReaderProfile.from_dict(LATER_PROFILE))
    texts = [b.plain() for b in comp.front]
    assert "A VOLUME" in texts and "CONTENTS" in texts and not any(t.startswith("#") for t in texts)
