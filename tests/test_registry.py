"""Tests of the registry: loading, schema errors, name and role matching, TEI output."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from teikit.core.errors import ConfigError
from teikit.core.names import NS
from teikit.projectinputs import read_registry
from teikit.convert.registry import (
    PREFIXES,
    Registry,
    norm,
    to_tei_list_org,
    to_tei_list_person,
    to_tei_list_place,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "registry"
BAD = Path(__file__).parent / "data" / "registry-bad"
from .conftest import TEI_ALL, need_jing  # noqa: E402


@pytest.fixture(scope="module")
def reg() -> Registry:
    return read_registry(DATA)


def _write(folder: Path, persons: list, places: list | None = None, orgs: list | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, entries in (("persons", persons), ("places", places or []), ("orgs", orgs or [])):
        (folder / f"{kind}.json").write_text(json.dumps({"kind": kind, "entries": entries}), "utf-8")
    return folder


def _person(pid: str, name: str, *variants: str) -> dict:
    return {"id": pid, "name": name, "surname": name.split()[-1], "variants": list(variants)}


# ------------------------------------------------------------------ loading

def test_load_counts(reg):
    assert len(reg.persons) >= 120
    assert len(reg.places) >= 40
    assert len(reg.orgs) >= 20
    assert reg.get("pers:chicherin").name == "Georgy Chicherin"
    assert reg.get("place:ankara").name == "Ankara"
    assert reg.get("org:tass").ref == "org:tass"


def test_prefixes():
    assert PREFIXES == {"pers": "persons.xml#", "place": "places.xml#", "org": "orgs.xml#"}


def test_bad_fixture_names_file_path_and_fix():
    with pytest.raises(ConfigError) as info:
        read_registry(BAD)
    assert str(info.value) == (
        f"Registry file {str(BAD / 'persons.json')!r} is invalid at $.entries[1].id (line 6, column 10): "
        "'1eden' does not match '^[A-Za-z_][A-Za-z0-9._-]*$'. Fix the value to match the schema "
        "(schema: schema/registry.schema.json)."
    )


@pytest.mark.parametrize(
    "entry, path",
    [
        ({"id": "x", "name": "X", "surname": "X", "variants": [], "wikidata": "Z12"}, "$.entries[0].wikidata"),
        ({"id": "x", "name": "X", "surname": "X", "variants": [], "birth": "18xx"}, "$.entries[0].birth"),
        ({"id": "x", "name": "X", "variants": []}, "$.entries[0]"),
        ({"id": "x", "name": "X", "surname": "X", "variants": [], "colour": "red"}, "$.entries[0]"),
    ],
)
def test_schema_errors_give_json_path(tmp_path, entry, path):
    folder = _write(tmp_path / "reg", [entry])
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert f"persons.json' is invalid at {path}" in str(info.value)


def test_duplicate_id_is_error(tmp_path):
    folder = _write(tmp_path / "reg", [_person("a", "Ann Aa", "Aa"), _person("a", "Bob Bb", "Bb")])
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert str(info.value) == (
        f"Registry file {str(folder / 'persons.json')!r} has duplicate id 'a' at $.entries[1].id "
        "(first at $.entries[0].id). Give each entry its own id."
    )


def test_variant_claimed_twice_is_error(tmp_path):
    folder = _write(tmp_path / "reg", [_person("a", "Ann Aa", "Smith"), _person("b", "Bob Bb", "smith.")])
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert str(info.value) == (
        f"Registry file {str(folder / 'persons.json')!r}: variant 'smith' of 'b' at $.entries[1] "
        "is also claimed by 'a'. Keep it in one entry only, or move it to ambiguousVariants of "
        "one of them."
    )


def test_unknown_place_in_role_is_error(tmp_path):
    p = _person("a", "Ann Aa", "Aa")
    p["roles"] = [{"role": "Envoy", "office": "head-of-mission", "in": "atlantis"}]
    folder = _write(tmp_path / "reg", [p])
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert str(info.value) == (
        f"Registry file {str(folder / 'persons.json')!r} at $.entries[0].roles[0].in: place "
        "'atlantis' is not in places.json. Use a place id from places.json."
    )


def test_invalid_json_is_error(tmp_path):
    folder = _write(tmp_path / "reg", [])
    (folder / "orgs.json").write_text('{"kind": "orgs",\n "entries": [}', "utf-8")
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert str(info.value).startswith(f"Registry file {str(folder / 'orgs.json')!r} is not valid JSON at line 2")


def test_missing_file_is_error(tmp_path):
    folder = _write(tmp_path / "reg", [])
    (folder / "places.json").unlink()
    with pytest.raises(ConfigError) as info:
        read_registry(folder)
    assert str(info.value) == (
        f"Registry file {str(folder / 'places.json')!r} is missing. Create it with "
        '{"kind": "places", "entries": []}.'
    )


# ----------------------------------------------------------------- matching

@pytest.mark.parametrize(
    "printed, pid",
    [
        ("Iden", "eden"), ("Idea", "eden"), ("A. Iden", "eden"), ("Ideiom", "eden"),
        ("Crips", "cripps"), ("Scripps", "cripps"), ("s. Crips", "cripps"), ("Cripps", "cripps"),
        ("Vinogradova", "vinogradov"), ("ca. Vinogradova", "vinogradov"), ("sl. Vinogradov", "vinogradov"),
        ("Agitlerom", "hitler"), ("V. M. Molotov", "molotov"), ("V.M. Molotov", "molotov"),
        ("comrade Molotov", "molotov"), ("Molotov's", "molotov"), ("Comrade Stalin", "stalin"),
        ("G.V. Chicherin", "chicherin"), ("Georgy Chicherin.", "chicherin"), ("*Litvinov*", "litvinov"),
        ("Garriman", "harriman"), ("A. Garriman", "harriman"), ("Lord W. Beaverbrook", "beaverbrook"),
        ("Mr. Hilger", "hilger"), ("f. Schule n. Burg", "schulenburg"), ("Shkvartsevu", "shkvartsev"),
        ("a.kh. Aktaem", "aktay"), ("Esendalem", "esendal"), ("May", "maisky"), ("Ribbentropom", "ribbentrop"),
        ("*Ali Faud pasha*", "cebesoy"), ("Dr. *Riza Nur bey*", "riza-nur"), ("Tereityeva", "terentyev"),
        ("Netchbull-hugessen", "knatchbull-hugessen"), ("Semenova", "semenov"), ("Denlop", "dunlop"),
    ],
)
def test_match_person(reg, printed, pid):
    assert reg.match_person(printed).id == pid


@pytest.mark.parametrize("printed", ["Kemal", "Antonescu", "Smithson", "", "comrade"])
def test_match_person_none(reg, printed):
    assert reg.match_person(printed) is None


@pytest.mark.parametrize(
    "printed, pid",
    [("Angora", "ankara"), ("Moscow (Kremlin)", "moscow"), ("Constantinople", "istanbul"),
     ("Tiflis", "tiflis"), ("the Kremlin", "moscow"), ("Geneva.", "geneva")],
)
def test_match_place(reg, printed, pid):
    assert reg.match_place(printed).id == pid


@pytest.mark.parametrize(
    "printed, oid",
    [
        ("people's commissariat of foreign affairs of the USSR", "nkid-ussr"),
        ("NKID of the USSR", "nkid-ussr"),
        ("people's commissariat of foreign affairs of the RSFSR", "nkid-rsfsr"),
        ("(Tass)", "tass"),
        ("ministry of foreign affairs of Great Britain", "foreign-office"),
        ("the government of the grand national assembly of Turkey", "gov-gna-turkey"),
        ("cc CPSU (b)", "cc-vkpb"),
    ],
)
def test_match_org(reg, printed, oid):
    assert reg.match_org(printed).id == oid


# ------------------------------------------------------------ role + date

@pytest.mark.parametrize(
    "role, date, pid",
    [
        ("people's commissioner for foreign affairs of the RFSR", "1919-04-21", "chicherin"),
        ("People's Commissar for Foreign Affairs of the USSR", "1937-05-25", "litvinov"),
        ("people's commissioner for foreign affairs of the USSR", "1940-11-17", "molotov"),
        ("deputy people's commissar for foreign affairs of the USSR", "1938-11-24", "potemkin"),
        ("first deputy people's commissioner for foreign affairs of the USSR", "1940-11-02", "vyshinsky"),
        ("plenipotentiary representative of the USSR in Turkey", "1939-03-06", "terentyev"),
        ("USSR plenipotentiary representative in Turkey", "1937-01-28", "karakhan"),
        ("plenipotentiary representative of the USSR in the Turkish republic", "1940-11-21", "vinogradov"),
        ("plenipotentiary representative of the USSR in Great Britain", "1938-05-12", "maisky"),
        ("plenipotentiary representative of the USSR in Germany", "1940-04-20", "shkvartsev"),
        ("ambassador of Great Britain in the USSR", "1941-07-20", "cripps"),
        ("ambassador of Germany in the USSR", "1940-03", "schulenburg"),
        ("ambassador of Turkey in the USSR", "1941-06-24", "aktay"),
        ("Turkish ambassador to the USSR", "1937-04-15", "apaydin"),
        ("minister of foreign affairs of Turkey", "1937-06-11", "aras"),
        ("minister of foreign affairs of Turkey", "1941-10-15", "saracoglu"),
        ("minister of foreign affairs of the Great Britain", "1941-12-18", "eden"),
        ("charge d'affaires of the USSR in Turkey", "1937-10-16", "zalkind"),
        ("general secretary of the VKP (b) central committee", "1939-12-07", "stalin"),
    ],
)
def test_match_person_by_role(reg, role, date, pid):
    assert reg.match_person_by_role(role, date).id == pid


@pytest.mark.parametrize(
    "role, date",
    [
        ("deputy people's commissar for foreign affairs of the USSR", "1939-06-01"),  # several deputies
        ("plenipotentiary representative of the USSR in Turkey", "1890-01-01"),  # nobody
        ("a member of the delegation", "1921-03-16"),  # no office recognised
        ("plenipotentiary representative of the USSR", "1939-03-06"),  # host country missing
    ],
)
def test_match_person_by_role_not_unique(reg, role, date):
    assert reg.match_person_by_role(role, date) is None


def test_parse_role(reg):
    assert reg.parse_role("plenipotentiary representative of the USSR in the kingdom of Afghanistan") == (
        "head-of-mission", "ussr", "afghanistan")
    assert reg.parse_role("Turkish foreign minister") == ("foreign-minister", "turkey", None)


# ---------------------------------------------------------------- scanning

def test_find_names_longest_first(reg):
    text = ("Telegram of the plenipotentiary representative of the USSR in Turkey A.V. Terentyev to the "
            "people's commissariat of foreign affairs of the USSR. Comrade Molotov's reply; Veli-dag; in May.")
    got = [(text[s:e], entry.ref) for s, e, entry in reg.find_names(text)]
    assert got == [
        ("USSR", "place:ussr"),
        ("Turkey", "place:turkey"),
        ("A.V. Terentyev", "pers:terentyev"),
        ("people's commissariat of foreign affairs of the USSR", "org:nkid-ussr"),
        ("Molotov", "pers:molotov"),
    ]


def test_find_names_case_endings_and_ocr(reg):
    text = "Conversation with Reichscanzler of Germany Agitlerom and minister A. Iden; ca. Vinogradova"
    got = [(text[s:e], entry.id) for s, e, entry in reg.find_names(text)]
    assert got == [("Germany", "germany"), ("Agitlerom", "hitler"), ("A. Iden", "eden"),
                   ("ca. Vinogradova", "vinogradov")]


def test_unmatched_candidates(reg):
    text = "Yesterday I met Molotov and the Latvian envoy Zvaigzne in Ankara. Morozov said nothing to Aras."
    assert reg.unmatched_candidates(text) == ["Zvaigzne"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_norm_is_idempotent(text):
    assert norm(norm(text)) == norm(text)


@given(st.text(max_size=300))
def test_find_names_spans_are_ordered_and_inside(text):
    reg = _REG
    spans = reg.find_names(text)
    ends = 0
    for s, e, _ in spans:
        assert ends <= s < e <= len(text)
        ends = e


_REG = read_registry(DATA)


# ---------------------------------------------------------------------- TEI

#: what a registry file's header says (teikit.core.facts.registry_about of a configuration)
ABOUT = {"publisher": "teikit tests", "source_note": "Compiled for the tests.",
         "licence": {"url": "https://creativecommons.org/licenses/by/4.0/", "label": "CC BY 4.0"}}


def _jing(tmp_path: Path, root: etree._Element, name: str) -> None:
    need_jing()
    path = tmp_path / name
    etree.ElementTree(root).write(str(path), xml_declaration=True, encoding="UTF-8")
    proc = subprocess.run(["jing", str(TEI_ALL), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_tei_person_list(reg, tmp_path):
    root = to_tei_list_person(reg, ABOUT)
    person = root.find(".//tei:listPerson/tei:person[@xml:id='stalin']", NS)
    assert person.findtext("tei:persName[@type='reg']", namespaces=NS) == "Joseph Stalin"
    assert person.findtext("tei:idno[@type='wikidata']", namespaces=NS) == "https://www.wikidata.org/entity/Q855"
    assert person.find("tei:birth", NS).get("when") == "1878"
    eden = root.find(".//tei:person[@xml:id='eden']", NS)
    assert "Iden" in [v.text for v in eden.findall("tei:persName[@type='variant']", NS)]
    occ = root.find(".//tei:person[@xml:id='cripps']/tei:occupation", NS)
    assert (occ.text, occ.get("from"), occ.get("to")) == ("Ambassador of Great Britain in the USSR", "1940-06", "1942-01")
    assert len(root.findall(".//tei:person", NS)) == len(reg.persons)
    _jing(tmp_path, root, "persons.xml")


def test_tei_place_list(reg, tmp_path):
    root = to_tei_list_place(reg, ABOUT)
    ankara = root.find(".//tei:listPlace/tei:place[@xml:id='ankara']", NS)
    assert [v.text for v in ankara.findall("tei:placeName[@type='variant']", NS)][:2] == ["Angora", "Ankara's"]
    assert ankara.findtext("tei:idno[@type='geonames']", namespaces=NS) == "https://www.geonames.org/323786"
    _jing(tmp_path, root, "places.xml")


def test_tei_org_list(reg, tmp_path):
    root = to_tei_list_org(reg, ABOUT)
    nkid = root.find(".//tei:listOrg/tei:org[@xml:id='nkid-ussr']", NS)
    assert nkid.findtext("tei:orgName[@type='reg']", namespaces=NS) == (
        "People's Commissariat of Foreign Affairs of the USSR (NKID)")
    _jing(tmp_path, root, "orgs.xml")


# ------------------------------------------------------------------ vocabulary (data, not code)

def _vocab(folder: Path, data: dict) -> None:
    (folder / "vocabulary.json").write_text(json.dumps(data), "utf-8")


def test_registry_without_vocabulary_is_neutral(tmp_path):
    folder = _write(tmp_path / "r", [_person("smith", "John Smith", "Smith")])
    reg = read_registry(folder)
    assert reg.match_person("Smithom") is None  # no case endings known: none is stripped
    assert reg.parse_role("ambassador of nowhere")[0] is None  # no offices known


def test_vocabulary_titles_offices_and_case_endings_come_from_data(tmp_path):
    person = _person("ivanov", "Ivan Ivanov", "Ivanov")
    person["roles"] = [{"role": "Envoy", "office": "envoy", "from": "1930", "to": "1935"}]
    folder = _write(tmp_path / "r", [person])
    _vocab(folder, {"titles": ["citizen"], "caseEndings": {"ym": [""]},
                    "offices": [{"id": "envoy", "label": "envoy", "pattern": "\\benvoy\\b"}]})
    reg = read_registry(folder)
    assert reg.match_person("citizen Ivanov").id == "ivanov"
    assert reg.match_person("Ivanovym").id == "ivanov"
    assert reg.match_person_by_role("the envoy", "1932").id == "ivanov"
    assert reg.match_person_by_role("the envoy", "1937") is None


def test_office_outside_the_controlled_list_is_error(tmp_path):
    person = _person("ivanov", "Ivan Ivanov", "Ivanov")
    person["roles"] = [{"role": "Envoy", "office": "envoy-extraordinary"}]
    folder = _write(tmp_path / "r", [person])
    _vocab(folder, {"offices": [{"id": "envoy", "label": "envoy"}]})
    with pytest.raises(ConfigError, match=r"roles\[0\]\.office: office 'envoy-extraordinary' is not in the office list"):
        read_registry(folder)


def test_vocabulary_duplicate_word_is_named(tmp_path):
    folder = _write(tmp_path / "r", [])
    _vocab(folder, {"stopWords": ["the", "of", "the"]})
    with pytest.raises(ConfigError, match=r"\$\.stopWords \(line 1, column \d+\): 'the' listed more than once"):
        read_registry(folder)


def test_bundled_vocabulary_covers_every_office_the_registry_uses(reg):
    used = {r.office for e in reg.persons.values() for r in e.roles}
    assert used <= reg.vocab.office_ids
    assert len(used) >= 30


# ------------------------------------------------------------------ names in running text (issue 14)

def _names_registry(tmp_path, vocab: dict) -> Registry:
    persons = [_person("molotov", "Vyacheslav Molotov", "Molotov"), _person("hitler", "Adolf Hitler", "Hitler"),
               _person("saracoglu", "Sukru Saracoglu", "Saracoglu")]
    places = [{"id": "berlin", "name": "Berlin", "type": "settlement", "variants": ["Berlin"]},
              {"id": "europe", "name": "Europe", "type": "region", "variants": [], "adjectives": ["European"]}]
    orgs = [{"id": "gov-old", "name": "Old government", "type": "government", "variants": ["Soviet government"],
             "to": "1923-07", "successor": "gov-new"},
            {"id": "gov-new", "name": "New government", "type": "government", "variants": ["government of the Union"],
             "from": "1923-07"}]
    folder = _write(tmp_path / "r", persons, places, orgs)
    _vocab(folder, vocab)
    return read_registry(folder)


def _tags(reg: Registry, text: str, date: str | None = None) -> list[tuple[str, str]]:
    return [(text[s:e], entry.id) for s, e, entry in reg.find_names(text, date)]


def test_a_lower_case_variant_is_a_name_but_not_a_stop_word(tmp_path):
    reg = _names_registry(tmp_path, {"stopWords": ["may"]})
    assert _tags(reg, "the delegation left for berlin on monday") == [("berlin", "berlin")]


def test_no_place_tag_before_a_treaty_word(tmp_path):
    reg = _names_registry(tmp_path, {"nameBlockers": ["pact", "treaty"]})
    assert _tags(reg, "the Berlin pact and the Berlin talks") == [("Berlin", "berlin")]


def test_an_adjective_is_not_a_place(tmp_path):
    reg = _names_registry(tmp_path, {})
    assert _tags(reg, "European states and Europe") == [("Europe", "europe")]


def test_case_endings_and_transliteration_pairs(tmp_path):
    reg = _names_registry(tmp_path, {"caseEndings": {"ym": [""], "om": [""]}, "transliteration": [["g", "h"]]})
    assert _tags(reg, "talks with Molotovym and Gitler") == [("Molotovym", "molotov"), ("Gitler", "hitler")]


def test_fuzzy_match_only_above_the_threshold(tmp_path):
    reg = _names_registry(tmp_path, {"fuzzyThreshold": 88})
    assert _tags(reg, "Then Saracoglou said") == [("Saracoglou", "saracoglu")]
    assert _tags(reg, "Then Sarajevo said") == []
    assert _tags(_names_registry(tmp_path / "b", {}), "Then Saracoglou said") == []  # no threshold: none


def test_resolution_respects_the_registrys_dates(tmp_path):
    reg = _names_registry(tmp_path, {})
    assert _tags(reg, "the Soviet government", "1921-05-01") == [("Soviet government", "gov-old")]
    assert _tags(reg, "the Soviet government", "1939-05-01") == [("Soviet government", "gov-new")]


def test_persons_xml_publishes_only_variants_printed_in_the_text(reg):
    from teikit.convert.registry.tei import printed_keys

    from teikit.core import facts

    config = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text(encoding="utf-8"))
    tree = to_tei_list_person(reg, facts.registry_about(config), printed_keys(["comrade V. M. Molotov"]))
    variants = tree.xpath("//tei:person[@xml:id='molotov']/tei:persName[@type='variant']/text()", namespaces=NS)
    assert variants == ["Molotov", "V. M. Molotov", "V.M. Molotov", "M. Molotov"]  # not "V. Molotov"
