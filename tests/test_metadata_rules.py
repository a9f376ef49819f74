"""Regression tests for header rules found on the hold-out documents (each a general rule)."""

from __future__ import annotations

from pathlib import Path

from teikit.convert.registry import Registry
from teikit.convert import metadata
from teikit.convert.readers.compilation import read
from teikit.projectinputs import read_registry

from .conftest import bundled_profile

REGISTRY = read_registry(Path(__file__).resolve().parents[1] / "data" / "registry")


def doc_of(text: str):
    comp = read(text, "t.md", bundled_profile())
    metadata.extract_all(comp, registry=REGISTRY, marks=bundled_profile().classification)
    return comp.documents[0]


def test_abbreviated_and_translated_top_secret_marks():
    d = doc_of("**Telegram of the envoy to the commissar**\n\nNovember 12, 1940\n\nTop. Secret special folder\n\nText.\n")
    assert d.classification[:1] == ["top-secret"]
    d = doc_of("**Telegram of the envoy to the commissar**\n\nOctober 15, 1941 Soviet secret\n\nText.\n")
    assert d.classification == ["top-secret"]


def test_a_recorder_named_with_initials_is_a_participant():
    d = doc_of("**Recording of the conversation of the people's commissar for foreign affairs of the USSR "
               "V. M. Molotov with the ambassador of Germany in the USSR Schulenburg**\n\nNovember 12, 1940\n\n"
               "Molotov says the talks went well, and Schulenburg agrees with him at length.\n\n"
               "Recorded by v. Pavlov\n")
    assert [(p.ref, p.role) for p in d.participants][-1] == ("pers:pavlov", "recorder")


def test_the_name_signed_beats_an_office_holder_inferred_from_the_role():
    d = doc_of("**Telegram of the deputy people's commissar for foreign affairs of the RSFSR to the consul "
               "general of the RSFSR in Tiflis Lvovich**\n\nFebruary 20, 1923\n\n"
               "We agree to transfer one echelon of artillery equipment across our territory.\n\nL. Karakhan\n")
    assert [(a.name, a.ref, a.inferred) for a in d.senders] == [("L. Karakhan", "pers:karakhan", False)]


def test_a_diary_names_its_author_and_whom_he_met():
    d = doc_of("**From the diary of the plenipotentiary representative of the USSR in the Turkish republic "
               "S. A. Vinogradov**\n\nMarch 25, 1941 secret\n\n"
               "Coming to me, Papen announced that he had come to congratulate me.\n\nI thanked him.\n\n"
               "Comrade Zhegalova was present during the conversation.\n\nVinogradov\n")
    assert [p.ref for p in d.participants] == ["pers:vinogradov", "pers:papen", "pers:zhegalova"]


def test_a_heading_gives_the_day_of_the_date_lines_month():
    d = doc_of("**Record of the conversation between the plenipotentiary representative of the USSR in Turkey "
               "and the minister of foreign affairs of Turkey Aras. June 11, 1937**\n\n*June 1937*\n\nText.\n")
    assert (d.date.when, d.date.source) == ("1937-06-11", "heading")


def test_an_official_representative_is_a_head_of_mission():
    assert REGISTRY.parse_role("Official Representative of the USSR in Great Britain") == (
        "head-of-mission", "ussr", "great-britain")
    assert REGISTRY.match_person_by_role("Official Representative of the USSR in Great Britain", "1923-10-17").id == "rakovsky"
