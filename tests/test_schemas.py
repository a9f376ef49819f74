"""Which schema a file is validated against: <?xml-model?>, the catalogs, tei_all stand-ins."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from teikit.validation import validate_paths

from .conftest import ROOT, need_jing, need_shared

TEI = "http://www.tei-c.org/ns/1.0"
BODY = ("<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p>"
        "</publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
        "<text><body>{body}</body></text>")
RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
SHIPPED = ROOT / "schema" / "tei_all.rng"


def tei(tmp_path, name, href=None, body="<p>x</p>", ns=TEI, root="TEI", kind=RNG):
    model = f'<?xml-model href="{href}" type="application/xml" schematypens="{kind}"?>\n' if href else ""
    path = tmp_path / name
    xmlns = f' xmlns="{ns}"' if ns else ""
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{model}<{root}{xmlns}>'
                    f'{BODY.format(body=body)}</{root}>\n', encoding="utf-8")
    return path


def one(path, **options):
    report = validate_paths([path], embedded_schematron=False, **options)
    (result,) = report.files
    return result


def schema_codes(result):
    return [(i.severity, i.code) for i in result.issues if i.layer == "schema"]


@pytest.mark.parametrize("href", [
    "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "http://teijenkins.hcmc.uvic.ca/job/TEIP5/lastSuccessfulBuild/artifact/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://jenkins.tei-c.org/job/TEIP5/lastSuccessfulBuild/artifact/P5/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://www.tei-c.org/Vault/P5/current/xml/tei/custom/schema/relaxng/tei_all.rng",
])
def test_the_tei_release_urls_map_to_the_shipped_tei_all(tmp_path, href):
    result = one(tei(tmp_path, "a.xml", href))
    assert result.schema["rng"] == "teikit:tei_all.rng" and result.schema["source"] == "catalog"
    assert result.valid and schema_codes(result) == []


def test_a_file_naming_tei_all_by_url_with_a_bad_element_is_invalid(tmp_path):
    href = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
    result = one(tei(tmp_path, "a.xml", href, body="<para>x</para>"))
    assert not result.valid and result.layers["rng"] is False


def test_a_vault_version_maps_to_the_release_with_a_warning_naming_both(tmp_path):
    href = "https://www.tei-c.org/Vault/P5/4.9.0/xml/tei/custom/schema/relaxng/tei_all.rng"
    result = one(tei(tmp_path, "a.xml", href))
    assert result.valid and schema_codes(result) == [("warning", "schema:version")]
    message = result.issues[0].message
    assert "4.9.0" in message and "4.12.0" in message


@pytest.mark.parametrize("name", ["tei_lite.rng", "teilite.rng", "tei_bare.rng", "tei_corpus.rng"])
def test_tei_customisations_are_validated_against_tei_all_with_a_warning(tmp_path, name):
    result = one(tei(tmp_path, "a.xml", f"http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/{name}"))
    assert result.schema["rng"] == "teikit:tei_all.rng"
    assert schema_codes(result) == [("warning", "schema:subset")] and name in result.issues[0].message


@pytest.mark.parametrize("href", ["https://example.org/schema/project.rng", "missing/local.rng", "project.rnc"])
def test_an_unavailable_schema_is_a_named_stand_in_or_with_strict_an_error(tmp_path, href):
    path = tei(tmp_path, "a.xml", href)
    result = one(path)
    assert result.valid and result.schema["stand_in"] and result.schema["named"] == href
    assert schema_codes(result) == [("warning", "schema:stand-in")] and href in result.issues[0].message
    strict = one(path, strict_schema=True)
    assert not strict.valid and schema_codes(strict) == [("error", "schema:unavailable")]
    assert strict.layers["rng"] is False


def test_no_model_means_tei_all(tmp_path):
    result = one(tei(tmp_path, "a.xml"))
    assert result.schema["source"] == "default" and result.schema["rng"] == "teikit:tei_all.rng"
    assert result.valid and result.issues == []


def test_a_relative_schema_beside_the_file_is_used(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "only-tei.rng").write_text(
        f'<element xmlns="{RNG}" name="TEI" ns="{TEI}"><empty/></element>')
    result = one(tei(tmp_path, "a.xml", "schema/only-tei.rng"))
    assert result.schema["source"] == "xml-model" and result.layers["rng"] is False


def test_user_catalogs_option_and_environment(tmp_path, monkeypatch):
    local = tmp_path / "local.rng"
    local.write_text(f'<element xmlns="{RNG}" name="TEI" ns="{TEI}"><empty/></element>')
    catalog = tmp_path / "catalog.xml"
    catalog.write_text('<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
                       f'<uri name="https://example.org/p.rng" uri="{local.name}"/></catalog>')
    path = tei(tmp_path, "a.xml", "https://example.org/p.rng")
    assert one(path).schema["stand_in"]
    mapped = one(path, catalogs=[catalog])
    assert mapped.schema["source"] == "catalog" and mapped.schema["rng"] == str(local)
    assert not mapped.valid  # the mapped grammar allows an empty TEI only
    monkeypatch.setenv("XML_CATALOG_FILES", str(catalog))
    assert one(path).schema["rng"] == str(local)


def test_xml_model_schematron_unavailable_is_one_warning(tmp_path):
    result = one(tei(tmp_path, "a.xml", "https://example.org/rules.sch", kind=SCH))
    assert schema_codes(result) == [("warning", "schema:unavailable")]


@pytest.mark.parametrize("ns, root", [(None, "TEI"), ("http://example.org/other", "TEI"), (TEI, "TEIX")])
def test_a_root_in_no_or_the_wrong_namespace_is_invalid_as_jing_says(tmp_path, ns, root):
    path = tei(tmp_path, "a.xml", ns=ns, root=root)
    assert not one(path).valid
    need_shared()
    done = subprocess.run([need_jing(), str(SHIPPED), str(path)], capture_output=True, text=True)
    assert done.returncode != 0


def test_verdicts_of_the_samples_with_no_options_from_another_folder_are_jings(tmp_path):
    """As the before-stop hook runs it: `teikit validate ../shared/samples`, no options, not in the repo."""
    samples = need_shared() / "samples"
    want = {}
    for line in (samples / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and cells[1].startswith("`") and cells[1].endswith(".xml`"):
            want[cells[1].strip("`")] = cells[4] == "valid"
    teikit = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "teikit"
    if not teikit.exists():
        teikit = ROOT / ".venv" / "bin" / "teikit"
    done = subprocess.run([str(teikit), "validate", str(samples)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    flagged = {line.split(str(samples) + "/", 1)[1].split(":", 1)[0]
               for line in done.stdout.splitlines() if ": error: " in line and str(samples) in line}
    assert want and {name for name, valid in want.items() if valid} & flagged == set()
    assert {name for name, valid in want.items() if not valid} <= flagged


def test_a_teikit_corpus_copied_elsewhere_still_gets_teikits_schema(tmp_path):
    path = tei(tmp_path, "a.xml", "../../schema/teikit.rng")
    result = one(path)
    assert result.schema["source"] == "catalog" and result.schema["rng"] == "teikit:teikit.rng"


def test_internal_entities_give_jings_verdict_and_an_external_dtd_is_never_read(tmp_path):
    wf = ROOT / "tests" / "data" / "validate" / "wf"
    ok = one(wf / "internal-subset.xml")
    assert ok.valid and ok.issues == []
    need_shared()
    done = subprocess.run([need_jing(), str(SHIPPED), str(wf / "internal-subset.xml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    laughs = one(wf / "billion-laughs.xml")
    assert not laughs.valid and [i.code for i in laughs.issues] == ["wf:entity-expansion"]
