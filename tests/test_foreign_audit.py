"""Regressions found by running `teikit html` / `teikit text` with no options on other
projects' TEI (letters with correspDesc pointing into particDesc, EpiDoc apparatus and
bibliography, folders of folders, XML that is not TEI). Each input is small and invented."""

from __future__ import annotations

from pathlib import Path

import re

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from teikit.cli import main
from teikit.core.errors import InputError
from teikit.transform import runner
from teikit.rendering import stylesheets
from teikit import rendering

STYLES = stylesheets()  # teikit's stylesheets, read from xslt/

HEAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>' \
       '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'

LETTER = HEAD + """<profileDesc>
  <particDesc><listPerson>
    <person xml:id="AA"><persName>Anna Amsel</persName></person>
    <person xml:id="BB"><persName>Bruno Birke</persName></person>
  </listPerson></particDesc>
  <settingDesc><listPlace><place xml:id="KR"><placeName>Krakau</placeName></place></listPlace></settingDesc>
  <correspDesc>
    <correspAction type="sent"><persName ref="#AA"/><placeName ref="#KR"/><date when="1524-04-29"/></correspAction>
    <correspAction type="received"><persName ref="#BB"/></correspAction>
  </correspDesc>
</profileDesc></teiHeader><text><body><p>Lieber Bruno.</p></body></text></TEI>"""

EPIDOC = HEAD + """</teiHeader><text><body>
  <div type="edition"><ab>Dis <choice><sic>manbus</sic><corr>manibus</corr></choice> vixit<note>in the margin</note></ab></div>
  <div type="apparatus"><listApp>
    <app><note>Edited from a photograph</note></app>
    <app loc="3"><lem>vixit</lem><rdg wit="#M">vicsit</rdg><note>Mommsen's reading</note></app>
  </listApp></div>
  <div type="bibliography"><listBibl>
    <bibl><author>Castelli</author> <date>1784</date></bibl>
    <bibl><author>Mommsen</author> <date>1883</date></bibl>
    <bibl/>
  </listBibl></div>
</body></text></TEI>"""


def _tree(xml: str, name: str = "x.xml"):
    return runner.parse_tei(xml.encode(), name)


def _page(xml: str):
    return lxml_html.document_fromstring(STYLES.html(_tree(xml)))


def test_correspondents_pointing_into_particdesc_show_their_names():
    page = _page(LETTER)
    corresp = page.xpath("string(//dd[@class='corresp'])")
    assert "Anna Amsel" in corresp and "Bruno Birke" in corresp and "Krakau" in corresp
    assert "#AA" not in corresp and "#KR" not in corresp
    assert page.xpath("string(//dt[.='Place']/following-sibling::dd[1])").strip() == "Krakau"
    text = STYLES.text(_tree(LETTER))
    assert "From: Anna Amsel\n" in text and "To: Bruno Birke\n" in text and "Place: Krakau" in text


def test_a_date_known_only_by_its_iso_value_is_not_bracketed():
    page = _page(LETTER)
    assert page.xpath("string(//dt[.='Date']/following-sibling::dd[1])").strip() == "1524-04-29"
    assert "Date: 1524-04-29\n" in STYLES.text(_tree(LETTER))


def test_apparatus_notes_stay_in_their_entries_and_no_backlink_dangles():
    page = _page(EPIDOC)
    entries = [" ".join(e.text_content().split()) for e in page.xpath("//div[@class='tei-app-entry']")]
    assert len(entries) == 2
    assert "Edited from a photograph" in entries[0]
    assert entries[1].startswith("3 vixit] vicsit #M") and "Mommsen's reading" in entries[1]
    # the one real footnote is numbered 1 and its back link resolves; the apparatus notes are no footnotes
    foot = page.xpath("//ol[@class='footnotes']/li")
    assert [" ".join(li.text_content().split()) for li in foot] == ["1 in the margin ↩"]
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href[starts-with(., '#')]"):
        assert href[1:] in ids, href
    text = STYLES.text(_tree(EPIDOC))
    assert "\n3 vixit] vicsit #M (Mommsen's reading)\n" in text
    assert text.count("Edited from a photograph") == 1 and text.count("Mommsen's reading") == 1


def test_bibliography_entries_are_not_run_together():
    page = _page(EPIDOC)
    bibls = [" ".join(b.text_content().split()) for b in page.xpath("//div[@class='tei-bibl']")]
    assert bibls == ["Castelli 1784", "Mommsen 1883"]
    assert "\nCastelli 1784\nMommsen 1883\n" in STYLES.text(_tree(EPIDOC))


def test_a_folder_of_folders_is_rendered_with_its_layout(tmp_path):
    """A folder expands to the *.xml files below it, as `teikit validate` reads it; the output
    keeps the layout (two a.xml in two subfolders do not collide), each page links the one
    assets/ folder, and an empty folder is still an error."""
    top = tmp_path / "edition"
    for sub in ("letters", "drafts/early"):
        (top / sub).mkdir(parents=True)
        (top / sub / "a.xml").write_text(LETTER, encoding="utf-8")
    (top / "empty").mkdir()
    assert [stem for _, stem in rendering.expand_inputs([top])] == ["drafts/early/a", "letters/a"]
    with pytest.raises(InputError, match="holds no \\*.xml files"):
        rendering.expand_paths([top / "empty"])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["html", str(top), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "drafts" / "early" / "a.html").read_text(encoding="utf-8")
    assert (out / "letters" / "a.html").is_file() and (out / "assets").is_dir()
    css = re.findall(r'href="([^"]*assets/[^"]+\.css)"', page)
    assert css and all((out / "drafts" / "early" / c).resolve().is_file() for c in css), css
    tei = re.findall(r'href="([^"]*a\.xml)"', page)
    assert tei and all((out / "drafts" / "early" / t).resolve() == (top / "drafts" / "early" / "a.xml").resolve()
                       for t in tei), tei
    text = CliRunner().invoke(main, ["text", str(top), "-o", str(tmp_path / "txt")])
    assert text.exit_code == 0 and (tmp_path / "txt" / "letters" / "a.txt").is_file()


def test_xml_that_is_not_tei_is_an_error_naming_the_fix_and_the_rest_is_rendered(tmp_path):
    (tmp_path / "plain.xml").write_text("<root><p>hi</p></root>", encoding="utf-8")
    (tmp_path / "nons.xml").write_text("<?xml version='1.0'?>\n  <TEI><text><body><p>hi</p></body></text></TEI>", encoding="utf-8")
    (tmp_path / "tei.xml").write_text(LETTER, encoding="utf-8")
    errors: list[str] = []
    with pytest.raises(InputError, match="2 of 3 inputs could not be rendered"):
        rendering.transform_files([tmp_path], tmp_path / "out", fmt="text", error=errors.append)
    assert any(e.startswith(f"{tmp_path / 'nons.xml'}:2:3: error: ") and 'xmlns="http://www.tei-c.org/ns/1.0"' in e
               for e in errors)
    assert any(e.startswith(f"{tmp_path / 'plain.xml'}:1:1: error: ") and "not TEI" in e for e in errors)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["tei.txt"]


EGXML = HEAD + """</teiHeader><text><body><div><head>Verbatim</head>
<egXML xmlns="http://www.tei-c.org/ns/Examples"><xsl:template xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="x">
  <xsl:text>hello</xsl:text><!-- c -->
</xsl:template></egXML>
<p>Say <egXML xmlns="http://www.tei-c.org/ns/Examples"><hi rend="bold">bold</hi><lb/></egXML> here.</p>
</div></body></text></TEI>"""


def test_an_example_of_markup_is_shown_as_markup_not_rendered():
    page = _page(EGXML)
    codes = [c.text_content() for c in page.xpath("//pre[@class='tei-egXML']/code")]
    assert codes[0].strip() == '<xsl:template name="x">\n  <xsl:text>hello</xsl:text><!-- c -->\n</xsl:template>'
    assert codes[1] == '<hi rend="bold">bold</hi><lb/>'
    assert not page.xpath("//p//pre")  # a p holding an example is a div, so the HTML stays valid
    text = STYLES.text(_tree(EGXML))
    assert '\n<xsl:template name="x">\n<xsl:text>hello</xsl:text><!-- c -->\n</xsl:template>\n' in text
    assert '<hi rend="bold">bold</hi><lb/>' in text


LINKS = HEAD + """</teiHeader><text><body>
<p xml:id="p1">See <ref target="#range(a-start,a-end)">the passage</ref> and <ref target="other.xml#p2">the
other letter</ref>, <ref target="#xpath(//div[2])">a path</ref>, <ref target="https://example.org/x">the web</ref>
<anchor xml:id="a-start"/>passage<anchor xml:id="a-end"/>
<figure><graphic url="img/p1.jpg"/></figure></p>
</body></text></TEI>"""


def test_a_range_pointer_links_to_its_start_anchor():
    page = _page(LINKS)
    hrefs = page.xpath("//main//a/@href")
    assert "#a-start" in hrefs and page.xpath("//*[@id='a-start']")
    assert "#xpath(//div[2])" in hrefs  # no id to take: kept as written


def test_relative_links_of_the_tei_resolve_from_the_output_folder(tmp_path):
    src = tmp_path / "edition" / "letters"
    src.mkdir(parents=True)
    (src / "one.xml").write_text(LINKS, encoding="utf-8")
    (src / "other.xml").write_text(LINKS, encoding="utf-8")
    out = tmp_path / "site" / "html"
    rendering.transform_files([src / "one.xml"], out)
    page = lxml_html.document_fromstring((out / "one.html").read_bytes())
    hrefs = page.xpath("//main//a/@href")
    assert "../../edition/letters/other.xml#p2" in hrefs and "https://example.org/x" in hrefs
    assert page.xpath("//a[@class='tei-graphic']/@href") == ["../../edition/letters/img/p1.jpg"]
    for href in [h for h in hrefs if h.startswith("../")]:
        assert (out / href.split("#")[0]).resolve().exists() or href.endswith(".jpg")
    # rendered next to the TEI, the URLs stay as written
    rendering.transform_files([src / "one.xml"], src)
    page = lxml_html.document_fromstring((src / "one.html").read_bytes())
    assert "other.xml#p2" in page.xpath("//main//a/@href")


def test_a_line_break_between_paragraphs_adds_no_empty_line():
    xml = HEAD + """</teiHeader><text><body><div><lb/><p>Erster<lb/>Satz.</p><lb/><p>Zweiter.</p></div></body></text></TEI>"""
    page = _page(xml)
    assert len(page.xpath("//main//br")) == 1  # the one inside the paragraph
    assert page.xpath("//main//p[1]/br")
    assert STYLES.text(_tree(xml)).endswith("Erster\nSatz.\n\nZweiter.\n")


CMIF = HEAD + """<profileDesc>
  <correspDesc ref="https://example.org/L1"><correspAction type="sent"><persName>Ada</persName><placeName>Wien</placeName><date when="1901-02-03"/></correspAction>
    <correspAction type="received"><persName>Ben</persName></correspAction></correspDesc>
  <correspDesc ref="https://example.org/L2"><correspAction type="sent"><persName>Ben</persName><date when="1899-01-01"/></correspAction>
    <correspAction type="received"><persName>Ada</persName></correspAction></correspDesc>
</profileDesc></teiHeader><text><body><p/></body></text></TEI>"""


def test_a_list_of_letters_is_not_dated_or_signed_by_its_first_letter():
    page = _page(CMIF)
    assert not page.xpath("//dt[.='Date'] | //dt[.='Place']")
    assert page.xpath("string(//span[@class='summary-facts'])") == ""
    assert len(page.xpath("//dd[@class='corresp']")) == 2
    assert not page.xpath("string(//p[@id='cite-text'])").startswith("Ada")
    text = STYLES.text(_tree(CMIF))
    assert "Date:" not in text and "From:" not in text
    assert ("Letters described: 2\nAda (Wien, 1901-02-03) → Ben <https://example.org/L1>\n"
            "Ben (1899-01-01) → Ada <https://example.org/L2>\n") in text
    one = LETTER  # one correspDesc: its facts are the document's
    assert "Date: 1524-04-29" in STYLES.text(_tree(one)) and "Letters described" not in STYLES.text(_tree(one))


def test_no_space_before_punctuation_after_a_word_element():
    xml = HEAD + """<profileDesc><particDesc><listPerson><person><persName><name type="full">Flavius Agustus</name>
<name type="nomen">Flavius</name><name type="cognomen">Agustus</name></persName></person></listPerson></particDesc></profileDesc>
</teiHeader><text><body><ab><persName><w>Fl<ex>avius</ex></w> <w>Augustus</w></persName>, de <w>numero</w>.
<seg>una</seg> <seg>duo</seg></ab></body></text></TEI>"""
    page = _page(xml)
    shown = " ".join(page.xpath("string(//main//div[@class='tei-ab'] | //main//p[@class='tei-ab'])").split())
    assert "Augustus, de numero." in shown and "una duo" in shown
    assert "Flavius Augustus, de numero.\nuna duo" in STYLES.text(_tree(xml)) or \
        "Flavius Augustus, de numero. una duo" in STYLES.text(_tree(xml))
    assert page.xpath("string(//dd[@class='participants'])") == "Flavius Agustus"


def test_pages_get_the_usual_file_mode_not_a_temporary_files(tmp_path):
    import os
    import stat

    from teikit.corpusdir import usual_mode

    (tmp_path / "a.xml").write_text(LETTER, encoding="utf-8")
    for fmt in ("html", "text"):
        for path in rendering.transform_files([tmp_path / "a.xml"], tmp_path / "out", fmt=fmt):
            assert stat.S_IMODE(os.stat(path).st_mode) == usual_mode(), path
    for asset in (tmp_path / "out" / "assets").iterdir():
        assert stat.S_IMODE(os.stat(asset).st_mode) == usual_mode(), asset


def test_a_pointer_to_a_person_named_in_parts_shows_the_full_name_once():
    xml = LETTER.replace('<persName>Anna Amsel</persName>',
                         '<persName><name type="full">Anna Amsel</name><name type="nomen">Amsel</name></persName>')
    assert "From: Anna Amsel\n" in STYLES.text(_tree(xml))
    assert "Anna Amsel (Krakau" in _page(xml).xpath("string(//dd[@class='corresp'])")
