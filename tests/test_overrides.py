"""Editorial overrides: corrections are data, applied by the build and recorded in the header."""

from __future__ import annotations

import json

from click.testing import CliRunner
from lxml import etree

from teikit.cli import main


NS = {"t": "http://www.tei-c.org/ns/1.0"}


def build(corpus, overrides: dict):
    (corpus / "overrides.json").write_text(json.dumps(overrides), encoding="utf-8")
    return CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site", "-q"])


def header(corpus, doc_id):
    return etree.parse(str(corpus / "tei" / f"{doc_id}.xml")).getroot().find("t:teiHeader", NS)


def test_a_corrected_date_keeps_the_printed_text_and_records_the_correction(corpus):
    reason = "The minute answers the dispatch of 12 March and was filed the next day."
    result = build(corpus, {"documents": {"bdl-1945-03-14": {"date": {"when": "1945-03-13", "reason": reason}}}})
    assert result.exit_code == 0, result.output
    h = header(corpus, "bdl-1945-03-14")
    date = h.find("t:profileDesc/t:creation/t:date", NS)
    assert (date.text, date.get("when"), date.get("evidence")) == ("14 March 1945", "1945-03-13", "internal")
    change = h.find("t:revisionDesc/t:change[@type='correction']", NS)
    assert change.text == f"date: printed '1945-03-14', corrected to '1945-03-13'. {reason}"
    assert h.findtext("t:fileDesc/t:notesStmt/t:note[@type='date-inference']", namespaces=NS) == reason
    # the id is pinned: correcting the date does not rename the file
    assert (corpus / "tei" / "bdl-1945-03-14.xml").exists()


def test_a_corrected_type(corpus):
    result = build(corpus, {"documents": {"bdl-1945-03-12": {"type": {"value": "letter", "reason": "A dispatch is a letter in the controlled list."}}}})
    assert result.exit_code == 0, result.output
    assert header(corpus, "bdl-1945-03-12").find("t:profileDesc/t:textClass/t:catRef", NS).get("target") == "#letter"


def test_merge_and_split_boundaries(corpus):
    reason = "The second dispatch continues the first (test)."
    result = build(corpus, {"boundaries": [{"merge_at_line": 39, "reason": reason}]})
    assert result.exit_code == 0, result.output
    assert not (corpus / "tei" / "bdl-1945-04-02.xml").exists()
    cited = header(corpus, "bdl-1945-03-14").find(".//t:bibl[@type='digitalSource']/t:citedRange", NS)
    assert (cited.get("from"), cited.get("to")) == ("29", "45")
    result = build(corpus, {"boundaries": [{"split_at_line": 33, "reason": "The Part II section is a document of its own (test)."}]})
    assert result.exit_code == 0, result.output
    spans = []
    for path in sorted((corpus / "tei").glob("bdl-*.xml")):
        if path.stem in ("bdl-front", "bdl-back"):
            continue
        c = etree.parse(str(path)).find(".//t:bibl[@type='digitalSource']/t:citedRange", NS)
        spans.append((int(c.get("from")), int(c.get("to"))))
    assert sorted(spans) == [(13, 27), (29, 31), (33, 37), (39, 45)]
    assert (corpus / "tei" / "bdl-undated.xml").exists()  # "Part II" has no date line


def test_an_invalid_overrides_file_names_the_entry(corpus):
    result = build(corpus, {"documents": {"bdl-1945-03-12": {"type": {"value": "dispatch", "reason": "Not in the list of types."}}}})
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "documents/bdl-1945-03-12/type: 'dispatch' is not one of the corpus's types" in result.output
    assert "overrides.json" in result.output


def test_an_unknown_document_id_is_an_error(corpus):
    result = build(corpus, {"documents": {"bdl-1999-01-01": {"title": {"value": "X", "reason": "No such document exists."}}}})
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {corpus / 'overrides.json'}: documents/bdl-1999-01-01: no document with this id; check corpus/idmap.json.\n"
    )
