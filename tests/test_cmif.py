"""The CMIF letter index: licence gate, content, the CMI RELAX NG (jing) and schema/cmif.sch."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, isoschematron

from teikit.corpusdir import corpus_documents
from teikit.publish import cmif
from teikit.cli import main
from teikit.core.errors import ConfigError
from teikit.pipeline import Project
from teikit.projectinputs import build_date, load_config, load_registry
from teikit.convert.registry import Entry, Registry
from teikit.validation import shipped_schematron

from .conftest import ROOT, need_jing, need_shared

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
CMIF_SCH = ROOT / "schema" / "cmif.sch"
CC_BY = {"url": "https://creativecommons.org/licenses/by/4.0/", "label": "CC BY 4.0"}
CONFIG = {
    "id_prefix": "x", "version": "1.0.0", "release_date": "2026-01-01", "title": "T", "publisher": "P",
    "uri_base": "https://example.org/x", "letter_index": {"licence": CC_BY},
    "licence": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "label": "CC BY-SA 4.0", "as_printed": "-"},
    "compilation": {"title": "C", "compilers": ["A"]},
    "translated_from": {"title": "Р", "title_translated": "R", "publisher": "Г", "place": "М", "date": "1959",
                        "language": "ru", "language_name": "Russian"},
}
REGISTRY = Registry(
    persons=[Entry("persons", "chicherin", "Georgy Chicherin", authority=(("wikidata", "Q11072"), ("gnd", "118520547"))),
             Entry("persons", "kemal", "Mustafa Kemal")],
    places=[Entry("places", "moscow", "Moscow", authority=(("wikidata", "Q649"), ("geonames", "524901")))],
)


def doc(doc_id: str, corresp: str, creation: str = "") -> etree._Element:
    return etree.fromstring(
        f'<TEI xmlns="{TEI}" xml:id="{doc_id}"><teiHeader><profileDesc><creation>{creation}</creation>'
        f"<correspDesc>{corresp}</correspDesc></profileDesc></teiHeader><text><body><div type=\"document\"/></body></text></TEI>")


DOCS = [
    doc("x-1", '<correspAction type="sent"><persName ref="pers:chicherin">Chicherin</persName>'
               '<placeName ref="place:moscow">Moscow</placeName><date when="1920-06-03">June 3, 1920</date></correspAction>'
               '<correspAction type="received"><persName ref="pers:kemal">Mustafa Kemal Pasha</persName></correspAction>'),
    doc("x-2", '<correspAction type="sent"><orgName>NKID</orgName></correspAction>',
        '<date notBefore="1921-01" notAfter="1921-03">early 1921</date>'),
    doc("x-3", '<correspAction type="sent"><persName>Karakhan</persName></correspAction>'),
]


def test_export_refuses_without_a_letter_index_licence():
    config = {k: v for k, v in CONFIG.items() if k != "letter_index"}
    with pytest.raises(ConfigError) as err:
        cmif.cmif_tree(DOCS, config, REGISTRY, "2026-01-01")
    assert str(err.value) == (
        "The corpus configuration states no licence for the letter index, and correspSearch accepts only CC BY 4.0 "
        "or CC0. Add \"letter_index\": {\"licence\": {\"url\": \"https://creativecommons.org/licenses/by/4.0/\", "
        "\"label\": \"CC BY 4.0\"}} to corpus/source/corpus.json.")


def test_export_refuses_a_licence_correspsearch_does_not_accept():
    config = {**CONFIG, "letter_index": {"licence": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "label": "x"}}}
    with pytest.raises(ConfigError) as err:
        cmif.require_licence(config)
    assert str(err.value) == ("Letter index licence 'https://creativecommons.org/licenses/by-sa/4.0/' is not accepted by "
                              "correspSearch. Use one of: https://creativecommons.org/licenses/by/4.0/, "
                              "https://creativecommons.org/publicdomain/zero/1.0/.")


def test_letters_names_authority_uris_and_dates():
    tree, cov = cmif.cmif_tree(DOCS, CONFIG, REGISTRY, "2026-01-01")
    letters = tree.findall(".//t:correspDesc", NS)
    assert [c.get("key") for c in letters] == ["x-1", "x-2"]
    assert cov.undated_left_out == ["x-3"]
    first = etree.tostring(letters[0], encoding="unicode").replace(f' xmlns="{TEI}"', "")
    bid = cmif.bibl_id(CONFIG)
    assert first == (
        f'<correspDesc key="x-1" source="#{bid}" ref="https://example.org/x/x-1">'
        '<correspAction type="sent"><persName ref="https://d-nb.info/gnd/118520547">Georgy Chicherin</persName>'
        '<placeName ref="https://www.geonames.org/524901">Moscow</placeName><date when="1920-06-03"/></correspAction>'
        '<correspAction type="received"><persName>Mustafa Kemal</persName></correspAction></correspDesc>')
    second = letters[1]
    assert second.find("t:correspAction[@type='received']/t:persName", NS).text == "Unknown"
    assert dict(second.find("t:correspAction[@type='sent']/t:date", NS).attrib) == {"notBefore": "1921-01", "notAfter": "1921-03"}
    assert cov.summary() == ("2 letters; persons and organisations with authority URIs: 1/3 (33%); places: 1/1 (100%); "
                             "1 with unknown addressee; 1 undated left out")
    assert tree.find(".//t:publicationStmt/t:idno", NS).text == "https://example.org/x/cmif.xml"
    assert cmif.check(tree, shipped_schematron("cmif.sch")) == []
    assert isoschematron.Schematron(etree.parse(str(CMIF_SCH))).validate(tree.getroottree())


def test_bibl_id_is_a_stable_ncname_uuid():
    assert cmif.bibl_id(CONFIG) == cmif.bibl_id(copy.deepcopy(CONFIG))
    assert cmif.bibl_id(CONFIG).startswith("x-") and len(cmif.bibl_id(CONFIG)) == 2 + 36


# --- one failing case per rule of schema/cmif.sch (teikit's engine and lxml's agree) -------------
def _mutate(how: str) -> etree._Element:
    tree, _ = cmif.cmif_tree(DOCS[:1], CONFIG, REGISTRY, "2026-01-01")
    cd = tree.find(".//t:correspDesc", NS)
    if how == "cmif-sent":  # the dated action is now a second received one
        cd.find("t:correspAction[@type='sent']", NS).set("type", "received")
    elif how == "cmif-received":
        cd.remove(cd.find("t:correspAction[@type='received']", NS))
    elif how == "cmif-dated":
        date = cd.find(".//t:date", NS)
        date.getparent().remove(date)
    elif how == "cmif-source-present":
        del cd.attrib["source"]
    elif how == "cmif-source":
        cd.set("source", "#nowhere")
    elif how == "cmif-date-attr":
        etree.SubElement(cd.find("t:correspAction[@type='received']", NS), f"{{{TEI}}}date")
    elif how == "cmif-date-form":
        cd.find(".//t:date", NS).set("when", "3 June 1920")
    elif how == "cmif-ref-uri":
        cd.find(".//t:persName", NS).set("ref", "pers:chicherin")
    elif how == "cmif-licence":
        tree.find(".//t:licence", NS).set("target", "https://creativecommons.org/licenses/by-sa/4.0/")
    return tree


RULES = ["cmif-sent", "cmif-received", "cmif-dated", "cmif-source-present", "cmif-source", "cmif-date-attr",
         "cmif-date-form", "cmif-ref-uri", "cmif-licence"]


@pytest.mark.parametrize("rule", RULES)
def test_each_cmif_rule_fails_once(rule):
    issues = cmif.check(_mutate(rule), shipped_schematron("cmif.sch"))
    codes = [i.code for i in issues]
    assert codes == [f"sch:{rule}"], codes
    lxml_sch = isoschematron.Schematron(etree.parse(str(CMIF_SCH)))
    assert not lxml_sch.validate(_mutate(rule).getroottree())


def test_rules_in_the_schematron_are_the_rules_tested():
    ids = etree.parse(str(CMIF_SCH)).xpath("//s:assert/@id", namespaces={"s": "http://purl.oclc.org/dsdl/schematron"})
    assert sorted(ids) == sorted(RULES)


# --- the corpus: CLI, jing against the CMI customisation -------------------------------------------
@pytest.fixture(scope="module")
def corpus_cmif(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cmif") / "cmif.xml"
    result = CliRunner().invoke(main, ["export", "cmif", "-o", str(out), "--corpus", str(ROOT / "corpus")])
    assert result.exit_code == 0, result.output
    project = Project(ROOT / "corpus")
    config = load_config(project.config_path)
    _, cov = cmif.export(corpus_documents(project.tei_dir), config, load_registry(project, config), build_date(config),
                         shipped_schematron("cmif.sch"))
    assert result.stderr == f"{out}: {cov.summary()}\n"
    return out


def test_corpus_cmif_passes_teikit_cmif_schematron(corpus_cmif):
    tree = etree.parse(str(corpus_cmif)).getroot()
    assert cmif.check(tree, shipped_schematron("cmif.sch")) == []
    letters = tree.findall(".//t:correspDesc", NS)
    assert len(letters) >= 100
    assert all(c.find("t:correspAction[@type='sent']/t:date", NS) is not None for c in letters)


def test_corpus_cmif_is_valid_against_the_cmi_customisation(corpus_cmif):
    jing = need_jing()
    rng = need_shared() / "tei" / "cmi-customization.rng"
    proc = subprocess.run([jing, str(rng), str(corpus_cmif)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
