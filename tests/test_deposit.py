"""CITATION.cff, .zenodo.json and datacite.json: generated from the configuration, validated, committed."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from teikit.publish import deposit
from teikit.core.errors import ConfigError
from teikit.projectinputs import load_config

from .conftest import ROOT, need_shared

CONFIG_PATH = ROOT / "corpus" / "source" / "corpus.json"
ZENODO_SCHEMA = json.loads((ROOT / "schema" / "zenodo.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config() -> dict:
    return load_config(CONFIG_PATH)


scalars = st.one_of(st.text(), st.integers(), st.booleans())
keys = st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, min_size=1, max_size=4).filter(lambda xs: not any(isinstance(x, list) for x in xs)),
                               st.dictionaries(keys, children, min_size=1, max_size=4)),
    max_leaves=12,
)


@given(st.dictionaries(keys, trees, min_size=1, max_size=5))
def test_cff_yaml_reads_back_to_the_same_data(data):
    assert yaml.safe_load(deposit.cff_yaml(data)) == data


def test_cff_yaml_keeps_strings_that_look_like_other_types():
    data = {"version": "1.0", "date-released": "2026-01-01", "n": 3, "yes": "no", "xs": ["a: b", "#c"]}
    text = deposit.cff_yaml(data)
    assert yaml.safe_load(text) == data
    assert text.startswith("version: '1.0'\ndate-released: '2026-01-01'\nn: 3\n")


# --- the files ---------------------------------------------------------------------------------
def test_committed_files_are_the_generated_ones(config):
    for name, data in deposit.render_all(config).items():
        assert (ROOT / name).read_bytes() == data, f"{name} is out of date: run `teikit build`"


def test_citation_cff_is_valid_cff_1_2_0(config):
    schema = json.loads((need_shared() / "schemas" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    committed = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert committed == deposit.citation_cff(config)
    assert deposit.schema_errors(committed, schema) == []


def test_zenodo_json_is_valid_against_our_schema(config):
    committed = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert deposit.schema_errors(committed, ZENODO_SCHEMA) == []


def test_zenodo_schema_rejects_a_deposit_without_licence(config):
    data = deposit.zenodo(config)
    del data["license"]
    assert deposit.schema_errors(data, ZENODO_SCHEMA) == ["$: 'license' is a required property"]


def test_licence_and_provenance_are_explicit(config):
    cff = deposit.citation_cff(config)
    zen = deposit.zenodo(config)
    dc = deposit.datacite(config)["data"]["attributes"]
    series = config["translated_from"]["title"]
    assert (cff["license"], zen["license"]) == ("CC-BY-SA-4.0", "cc-by-sa-4.0")
    assert dc["rightsList"] == [{"rights": config["licence"]["label"], "rightsUri": "https://creativecommons.org/licenses/by-sa/4.0/",
                                 "rightsIdentifier": "cc-by-sa-4.0", "rightsIdentifierScheme": "SPDX",
                                 "schemeUri": "https://spdx.org/licenses/"}]
    for text in (cff["abstract"], zen["notes"], dc["descriptions"][1]["description"]):
        assert f"Translated from the Russian: the documents are selected from the Russian series {series}" in text
    assert cff["references"][1]["title"] == series and cff["references"][1]["languages"] == ["ru"]
    assert dc["relatedItems"][1]["titles"][0] == {"title": series, "lang": "ru"}


def test_version_and_date_come_from_the_configuration(config):
    changed = {**copy.deepcopy(config), "version": "2.1.0", "release_date": "2027-03-04"}
    assert deposit.citation_cff(changed)["version"] == "2.1.0"
    assert deposit.citation_cff(changed)["date-released"] == "2027-03-04"
    assert deposit.zenodo(changed)["publication_date"] == "2027-03-04"
    assert deposit.datacite(changed)["data"]["attributes"]["publicationYear"] == 2027


def test_orcid_and_affiliation_reach_every_format(config):
    changed = copy.deepcopy(config)
    name = changed["compilation"]["compilers"][0]
    changed["people"][name].update(orcid="https://orcid.org/0000-0002-1825-0097", affiliation="Uni")
    assert deposit.citation_cff(changed)["authors"][0] == {
        "family-names": changed["people"][name]["family"], "given-names": changed["people"][name]["given"],
        "affiliation": "Uni", "orcid": "https://orcid.org/0000-0002-1825-0097"}
    assert deposit.zenodo(changed)["creators"][0]["orcid"] == "0000-0002-1825-0097"
    creator = deposit.datacite(changed)["data"]["attributes"]["creators"][0]
    assert creator["nameIdentifiers"] == [{"nameIdentifier": "https://orcid.org/0000-0002-1825-0097",
                                           "nameIdentifierScheme": "ORCID", "schemeUri": "https://orcid.org"}]


def test_doi_and_related_identifiers(config):
    changed = {**copy.deepcopy(config), "doi": "10.5281/zenodo.1234",
               "related_identifiers": [{"identifier": "https://github.com/x/teikit", "relation": "IsCompiledBy",
                                        "scheme": "url", "resource_type": "software"}]}
    assert deposit.citation_cff(changed)["doi"] == "10.5281/zenodo.1234"
    assert deposit.zenodo(changed)["related_identifiers"] == [
        {"identifier": "https://github.com/x/teikit", "relation": "isCompiledBy", "scheme": "url", "resource_type": "software"}]
    assert deposit.datacite(changed)["data"]["attributes"]["doi"] == "10.5281/zenodo.1234"
    assert deposit.schema_errors(deposit.zenodo(changed), ZENODO_SCHEMA) == []


def test_missing_spdx_id_is_a_config_error(config):
    changed = copy.deepcopy(config)
    del changed["licence"]["spdx"]
    with pytest.raises(ConfigError) as err:
        deposit.render_all(changed)
    assert str(err.value) == (
        "The corpus configuration's licence has no SPDX id, which CITATION.cff, .zenodo.json and datacite.json need. "
        "Add \"spdx\": \"CC-BY-SA-4.0\" (or the right id) to \"licence\" in corpus/source/corpus.json.")


def test_corpus_header_is_driven_by_the_configuration(config):
    from lxml import etree

    root = etree.parse(str(ROOT / "corpus" / "tei" / "corpus.xml")).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    h = root.find("t:teiHeader", ns)
    assert h.find("t:fileDesc/t:editionStmt/t:edition", ns).get("n") == config["version"]
    assert h.find("t:fileDesc/t:titleStmt/t:title[@type='main']", ns).text == config["title"]
    assert h.find("t:fileDesc/t:publicationStmt/t:availability/t:licence", ns).get("target") == config["licence"]["url"]
    assert [t.text for t in h.findall("t:profileDesc/t:textClass/t:keywords/t:term", ns)] == config["keywords"]
    assert h.find("t:fileDesc/t:sourceDesc/t:bibl[@type='compilation']/t:relatedItem/t:bibl/t:title[@level='s']", ns).text == \
        config["translated_from"]["title"]
    parts = [etree.QName(e).localname for e in h.find("t:encodingDesc/t:editorialDecl", ns)]
    assert parts == ["correction", "normalization", "quotation", "hyphenation", "segmentation", "interpretation"]
    n = int(h.find("t:fileDesc/t:extent/t:measure[@unit='document']", ns).get("quantity"))
    assert n == len(root.findall("{http://www.w3.org/2001/XInclude}include")) - 5  # front, back, 3 registries
