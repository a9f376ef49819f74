"""Safe HTML from hostile TEI (issue 12 §6): URLs that would run script are shown as text
with a warning naming the file and line; attribute values never break out of their
attribute; in Chromium nothing of the file runs (`teikit html` and the site)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from teikit.cli import main
from teikit.transform import runner as transform
from teikit.transform import site
from teikit.rendering import stylesheets
from teikit import sitedir

STYLES = stylesheets()  # teikit's stylesheets, read from xslt/


HOSTILE = Path(__file__).parent / "data" / "safe" / "hostile.xml"
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/a", True), ("HTTP://example.org", True), ("mailto:a@b.org", True),
    ("#n1", True), ("other.html#p2", True), ("../a/b.xml", True), ("/x?y=1:2", True),
    ("0001", True), ("page:3/x", False), ("a/b:c", True), ("", True),
    ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    ("java\nscript:x", False), ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False),
])
def test_url_rule_in_python_and_in_the_stylesheet_agree(url, safe):
    xsl = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:import href="common.xsl"/><xsl:output method="text"/>
      <xsl:template match="/"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="string(/u)"/></xsl:call-template></xsl:template>
    </xsl:stylesheet>"""
    style = STYLES.compile_source(xsl)
    doc = etree.ElementTree(etree.Element("u"))
    doc.getroot().text = url
    linked = str(style(doc))
    assert transform.url_is_safe(url) is safe
    assert (linked != "") is (safe and url.strip() != "")


def assert_inert(page: str) -> None:
    """No event handler, no script but teikit's own, no URL that is not safe to follow."""
    doc = lxml_html.document_fromstring(page)
    for el in doc.iter(etree.Element):
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            if name in URL_ATTRS:
                assert transform.url_is_safe(value), (el.tag, name, value)
    for script in doc.iter("script"):
        assert script.get("src", "").endswith(".js") and not (script.text or "").strip(), etree.tostring(script)
    assert doc.xpath("//*[@data-pwned]") == []


def test_hostile_tei_through_teikit_html(tmp_path):
    result = CliRunner().invoke(main, ["html", str(HOSTILE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "hostile.html").read_text(encoding="utf-8")
    assert_inert(page)
    doc = lxml_html.document_fromstring(page)
    assert doc.xpath("//span[contains(@class, 'unsafe-link')][.='script link']")
    hrefs = doc.xpath("//main//a/@href")
    # a relative URL is relative to the TEI file, so the page reaches it through the TEI's folder
    base = Path(os.path.relpath(HOSTILE.parent.resolve(), tmp_path.resolve())).as_posix() + "/"
    for kept in ("https://example.org/ok", "mailto:editor@example.org", base + "other.html#p2", "#hostile-doc",
                 '/abs/path?x=1&y="2"'):
        assert kept in hrefs
    # the text that looks like a tag is text
    assert "<script>document.documentElement.dataset.pwned=1</script> that looks like a tag" in doc.text_content()
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    lines = [int(w.split(":")[1]) for w in warnings]
    assert lines == sorted(lines) and len(warnings) == 6
    assert all(w.startswith(f"{HOSTILE}:") and "is not a safe link" in w for w in warnings)
    assert f"{HOSTILE}:26: warning: <ref target='javascript:alert(document.cookie)'>" in result.stderr


def hostile_site(tmp_path) -> Path:
    tei = tmp_path / "tei"
    tei.mkdir()
    shutil.copy(HOSTILE, tei / "hostile.xml")
    (tei / "corpus.xml").write_text(
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<teiHeader><fileDesc><titleStmt><title>Hostile corpus</title></titleStmt>'
        '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
        '<xi:include href="hostile.xml"/></teiCorpus>', encoding="utf-8")
    out = tmp_path / "out"
    sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json", config=None, extra_downloads=[])
    return out / "site"


def test_hostile_tei_through_the_site(tmp_path):
    site_dir = hostile_site(tmp_path)
    pages = sorted(site_dir.glob("*.html"))
    assert any(p.name.startswith("hostile") for p in pages)
    for page in pages:
        assert_inert(page.read_text(encoding="utf-8"))


def live_dom(exe: str, profile: Path, url: str):
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return lxml_html.document_fromstring(done.stdout)


def test_nothing_of_a_hostile_file_runs_in_chromium(chromium, tmp_path):
    CliRunner().invoke(main, ["html", str(HOSTILE), "-o", str(tmp_path / "html")])
    pages = [tmp_path / "html" / "hostile.html"]
    site_dir = hostile_site(tmp_path)
    pages += [p for p in site_dir.glob("*.html") if p.name.startswith(("hostile", "index"))]
    for page in pages:
        dom = live_dom(chromium, tmp_path / "profile", page.as_uri())
        root = dom.getroottree().getroot()
        assert root.get("data-pwned") is None, page
        assert_inert(etree.tostring(dom, encoding="unicode", method="html"))
