"""Tests of header metadata: document type, dates, marks, senders, addressees, participants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teikit.convert import doctype
from teikit.convert import metadata
from teikit.convert import parties
from teikit.convert.model import Agent, Block, Compilation, DocDate, Document, Inline, TocEntry
from teikit.convert.readers.profile import ReaderProfile
from teikit.convert.registry import Registry
from teikit.projectinputs import read_registry
from tests.conftest import bundled_profile

from .conftest import bundled_profile

ROOT = Path(__file__).resolve().parents[1]
#: dates are read with the bundled compilation's conventions (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("source_conventions")
#: the bundled compilation's classification marks (its reader profile)
MARKS = bundled_profile().classification


@pytest.fixture(scope="module")
def reg() -> Registry:
    return read_registry(ROOT / "data" / "registry")


def make_doc(heading: str, *blocks: tuple[str, str], seq: int = 1) -> Document:
    """A document from (kind, text) pairs; one source line per block after the heading."""
    out = [Block("head", (1, 1), [Inline("text", heading)], raw=f"**{heading}**")]
    for i, (kind, text) in enumerate(blocks, start=3):
        out.append(Block(kind, (i, i), [Inline("text", text)], raw=text))
    doc = Document(seq=seq, start_line=1, end_line=len(blocks) + 2, heading=heading, blocks=out)
    doc.type_hint = bundled_profile().type_of(heading, [])[0]  # what the reader records
    return doc


def agents(items: list[Agent]) -> list[tuple]:
    return [(a.name, a.kind, a.ref, a.role, a.inferred) for a in items]


# --- document type ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Telegram of the people's commissar to the NKID", "telegram"),
        ("From: telegrams of the plenipotentiary representative", "telegram"),
        ("Recording of the conversation of V. M. Molotov with Cripps", "record-of-conversation"),
        ("Talk of the plenipotentiary representative with the ambassador", "record-of-conversation"),
        ("From the diary of the plenipotentiary representative", "diary"),
        ("Report of the Soviet press on the signing of the convention", "press-report"),
        ("Treaty between Russia and Turkey", "treaty"),
        ("Note of the people's commissar to the ambassador", "note"),
        ("G. A. Astakhov to the people's commissariat of foreign affairs of the USSR", "telegram"),
        ("Some] dir [ekti] you to burl [inn] ride", None),
    ],
)
def test_type_from_heading(heading, expected):
    """The bundled corpus's profile (its `types` and `type_cues`) names these types."""
    assert doctype.from_heading(heading, bundled_profile()) == expected


def test_neutral_profile_names_no_type():
    assert doctype.from_heading("Telegram of the people's commissar to the NKID", ReaderProfile.from_dict()) is None


def test_text_wins_over_heading_when_unambiguous():
    body = ["**Stalin:** yes.", "**Eden:** no.", "**Stalin:** well.", "The conversation was recorded by Potrubach"]
    assert doctype.decide("Telegram of the people's commissar", body, "telegram") == ("record-of-conversation", "telegram")


def test_heading_kept_when_text_says_nothing():
    assert doctype.decide("Telegram of the people's commissar", ["We agree. Stalin: yes."], "telegram") == ("telegram", None)


def test_untyped_heading_is_other():
    assert doctype.decide("Some] dir [ekti] you", ["text"]) == ("other", None)


# --- dates and marks ----------------------------------------------------------------------
def test_dateline_first_then_heading(reg):
    doc = make_doc("Telegram of Litvinov to the NKID. May 25, 1937", ("dateline", "May 26, 1937"), ("p", "Text of the telegram goes on here."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert (doc.date.when, doc.date.source, doc.date.printed) == ("1937-05-26", "dateline", "May 26, 1937")


def test_date_line_typed_as_paragraph_with_mark(reg):
    doc = make_doc("Telegram of Litvinov to the NKID", ("p", "*Immediately*"), ("p", "*1937 g 25 on May.*"),
                   ("p", "I had Aras, who on the way met with Inonu, who was returning from London."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert doc.date.when == "1937-05-25"
    assert (doc.classification, doc.classification_printed) == (["urgent"], ["Immediately"])


def test_date_in_heading_only(reg):
    doc = make_doc("From the Report of G.V. Chicherin at a meeting of the All-Russian Central Executive Committee on June 17, 1920",
                   ("p", "Comrades, the international situation is such that nothing is clear."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert (doc.date.when, doc.date.source) == ("1920-06-17", "heading")
    # the main title names the person as the registry does; the heading as printed is kept apart
    assert doc.title == "From the Report of Georgy Chicherin at a meeting of the All-Russian Central Executive Committee"


def test_month_only_and_range(reg):
    doc = make_doc("Telegram of Chicherin to Ordzhonikidze", ("dateline", "// December 1920"), ("p", "The issuance of weapons must be resumed."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert doc.date.range() == ("1920-12", "1920-12")
    doc = make_doc("Recording of the talks of Litvinov with Aras. July 15-17, 1937", ("p", "Aras said that he would come."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert (doc.date.from_, doc.date.to) == ("1937-07-15", "1937-07-17")


@pytest.mark.parametrize(
    ("line", "marks"),
    [
        ("March 6, 1939 , Top Secret", ["top-secret"]),
        ("September 29, 1941 highly secret", ["top-secret"]),
        ("November 13, 1939 secret", ["secret"]),
        ("Out of line 24 November 1938", ["urgent"]),
        ("May 5, 1941", []),
    ],
)
def test_marks_in_date_line(reg, line, marks):
    doc = make_doc("Telegram of Terentyev to the NKID", ("dateline", line), ("p", "Saracoglu told me the following."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert doc.classification == marks


def test_marks_over_two_lines_and_number(reg):
    doc = make_doc("Note of Chicherin to the Foreign Office", ("dateline", "Transmitted on the radio on April 21, 1919. No 531"),
                   ("classification", "Top secret"), ("classification", "Special folder"), ("p", "After an unprovoked attack."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert (doc.classification, doc.doc_number) == (["top-secret", "special-folder"], "No 531")


def test_refine_with_toc_fills_missing_date():
    doc = make_doc("From: conversation of Molotov with the ambassador", ("p", "The ambassador again raises the question."))
    doc.toc = TocEntry(line=270, text="August 9, 1940, from: conversation of Molotov with the ambassador", page="12")
    comp = Compilation("x.md", documents=[doc])
    metadata.refine_with_toc(comp)
    assert (doc.date.when, doc.date.cert, doc.date.source) == ("1940-08-09", "medium", "toc")
    assert doc.date.note == "No date printed with the document; taken from the table of contents (line 270)."


def test_refine_with_toc_keeps_a_date_that_disagrees():
    doc = make_doc("Telegram", ("dateline", "May 3, 1937"), ("p", "Text."))
    doc.date = DocDate(printed="May 3, 1937", when="1937-05-03", source="dateline")
    doc.toc = TocEntry(line=5, text="May 30, 1937, telegram", page="1")
    metadata.refine_with_toc(Compilation("x.md", documents=[doc]))
    assert (doc.date.when, doc.date.cert) == ("1937-05-03", None)


# --- correspondents -----------------------------------------------------------------------
def test_sender_and_addressee_from_heading(reg):
    doc = make_doc("Telegram of the plenipotentiary representative of the USSR in Turkey A.V. Terentyev to the people's commissariat of foreign affairs of the USSR",
                   ("dateline", "March 6, 1939 , Top Secret"), ("p", "Saracoglu told me the following."), ("closer-line", "Terentyev"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert agents(doc.senders) == [("A.V. Terentyev", "person", "pers:terentyev", "plenipotentiary representative of the USSR in Turkey", False)]
    assert agents(doc.addressees) == [("people's commissariat of foreign affairs of the USSR", "org", "org:nkid-ussr", None, False)]


def test_sender_by_role_and_date_is_inferred(reg):
    doc = make_doc("Telegram of the plenipotentiary representative of the USSR in Great Britain to the people's commissariat of foreign affairs of the USSR",
                   ("dateline", "Immediately on May 12, 1938"), ("p", "Turkish ambassador Fethi informed me."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert agents(doc.senders) == [("Ivan Maisky", "person", "pers:maisky", "plenipotentiary representative of the USSR in Great Britain", True)]
    assert "Ivan Maisky inferred from the role 'plenipotentiary representative of the USSR in Great Britain' and the date" in doc.warnings


def test_signature_prints_the_name_of_a_role_only_sender(reg):
    doc = make_doc("Telegram of the deputy people's commissar for foreign affairs of the USSR to the people's commissariat of foreign affairs of the USSR, from Ankara",
                   ("dateline", "Out of line 24 November 1938"), ("p", "The funeral took place today."), ("closer-line", "Potemkin"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert agents(doc.senders) == [("Potemkin", "person", "pers:potemkin", "deputy people's commissar for foreign affairs of the USSR", False)]
    assert (doc.senders[0].place, doc.senders[0].place_ref) == ("Ankara", "place:ankara")
    assert (doc.place, doc.place_ref) == ("Ankara", "place:ankara")


def test_untyped_heading_and_title_only_signature(reg):
    doc = make_doc("G. A. Astakhov to the people's commissariat of foreign affairs of the USSR",
                   ("dateline", "July 8, 1939 top secret"), ("p", "According to the Turkish and French ambassadors, nothing."),
                   ("signed", "Charge d'affaires of the"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert doc.doc_type == "telegram"
    assert agents(doc.senders) == [("G. A. Astakhov", "person", "pers:astakhov", "Charge d'affaires of the", False)]


def test_report_audience_is_addressee(reg):
    doc = make_doc("From the Report of the People's Commissar for Foreign Affairs of the RSFSR G.V. Chicherin at a meeting of the All-Russian Central Executive Committee on June 17, 1920",
                   ("p", "Comrades, the situation is such."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert [a.ref for a in doc.senders] == ["pers:chicherin"]
    assert agents(doc.addressees) == [("All-Russian Central Executive Committee", "org", "org:vtsik", None, False)]


def test_press_report_sender_is_the_agency(reg):
    doc = make_doc("Report of the Soviet press on the signing of the convention. July 16, 1937",
                   ("p", "On July 15, the NKID signed a convention."), ("closer-line", "(Tass)"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert agents(doc.senders) == [("Tass", "org", "org:tass", None, False)]


# --- participants -------------------------------------------------------------------------
def test_conversation_parties_present_and_recorder(reg):
    doc = make_doc("Record of the conversation of the people's commissioner for foreign affairs of the USSR V. M. Molotov with the ambassador of Germany in the USSR f. Schule n. Burg",
                   ("dateline", "November 13, 1939 secret"),
                   ("p", "Comrade Molotov conveyed to Herr Schulenburg the text of the message."),
                   ("p", "The reception was attended by the counselor of the German embassy, Mr. Hilger."),
                   ("closer-line", "The conversation was recorded by Semenov"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert [(a.name, a.ref, a.role) for a in doc.participants] == [
        ("V. M. Molotov", "pers:molotov", "people's commissioner for foreign affairs of the USSR"),
        ("f. Schule n. Burg", "pers:schulenburg", "ambassador of Germany in the USSR"),
        ("Mr. Hilger", "pers:hilger", "counselor of the German embassy"),
        ("Semenov", "pers:semenov", "recorder"),
    ]
    assert doc.senders == []  # a recorder is not the sender


def test_labelled_signature_is_the_sender_of_a_record(reg):
    doc = make_doc("Recording of the conversation of the USSR plenipotentiary representative in Turkey with the minister of foreign affairs of Turkey Aras and the minister of internal affairs of Turkey Shukru Kaya. June 18, 1937",
                   ("dateline", "*June 18, 1937*"), ("p", "Aras said that he would not be in Moscow by July 1-2 at all."),
                   ("p", "Plenipotentiary of the USSR in Turkey"), ("p", "*M. Karsky*"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert agents(doc.senders) == [("M. Karsky", "person", "pers:karsky", "Plenipotentiary of the USSR in Turkey", False)]
    assert [(a.name, a.ref, a.inferred) for a in doc.participants] == [
        ("M. Karsky", "pers:karsky", False), ("Aras", "pers:aras", False), ("Shukru Kaya", "pers:kaya", False)]


def test_unlabelled_stranger_at_the_end_is_not_the_sender(reg):
    doc = make_doc("From: conversation of the general secretary Stalin with the ambassador of Great Britain in the USSR Cripps in the Kremlin",
                   ("dateline", "/ July 1940 top secret"), ("p", "Comrade Stalin turns to the question of Turkey."),
                   ("closer-line", "S. A. Lozovsky"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert doc.senders == []
    assert [a.ref for a in doc.participants] == ["pers:stalin", "pers:cripps"]
    assert (doc.place, doc.place_ref) == ("Kremlin", "place:moscow")


def test_treaty_participants_are_the_signatories_once_each(reg):
    doc = make_doc("Treaty between Russia and Turkey", ("dateline", "March 16, 1921"),
                   ("p", "Done in duplicate in Moscow on March 16, 1921."),
                   ("p", "*Georgy Chicherin.*"), ("p", "*Yusuf Kemal.*"), ("subheading", "Appendix I"),
                   ("p", "The border follows the watershed."), ("p", "*Georgy Chicherin.*"), ("p", "*Dr. Riza Noor .Ali Fuad.*"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert [a.ref for a in doc.participants] == ["pers:chicherin", "pers:tengirsenk", "pers:riza-nur", "pers:cebesoy"]
    assert doc.senders == [] and doc.addressees == []
    assert (doc.place, doc.place_ref) == ("Moscow", "place:moscow")


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=120))
def test_heading_parties_never_fail(text):
    r = _REG
    hp = parties.heading_parties(text, "telegram", r, "1939-01-01")
    assert all(a.name for a in hp.senders + hp.addressees + hp.parties)


_REG = read_registry(ROOT / "data" / "registry")


def test_address_line_of_an_embedded_message_adds_the_recipient(reg):
    doc = make_doc("Telegram of the first deputy people's commissioner for foreign affairs of the USSR Vyshinsky to the plenipotentiary representative of the USSR in Germany al. Shkvartsev",
                   ("dateline", "November 13, 1940"), ("p", "For Molotov from Stalin"), ("p", "We advise: do not hurry."),
                   ("signed", "Vyshinsky"))
    metadata.extract(doc, registry=reg, marks=MARKS)
    assert [(a.name, a.ref) for a in doc.addressees] == [("al. Shkvartsev", "pers:shkvartsev"), ("Molotov", "pers:molotov")]
    assert [(a.name, a.ref) for a in doc.senders] == [("Vyshinsky", "pers:vyshinsky")]


def test_report_flags_unmatched_names_and_missing_fields(reg):
    from teikit.convert import segreport

    doc = make_doc("Telegram of the plenipotentiary representative of the USSR in Iran to the NKID",
                   ("dateline", "May 5, 1937"), ("p", "The minister Zargaryan told me that nothing had changed at all."))
    metadata.extract(doc, registry=reg, marks=MARKS)
    comp = Compilation("x.md", documents=[doc])
    assert segreport.unmatched_names(comp, reg) == [{"name": "Zargaryan", "count": 1, "lines": [4]}]
    assert "sender not identified" in segreport.doc_warnings(doc)
