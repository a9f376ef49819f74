"""Browser test of the edition site in headless Chromium (Debian `chromium`).

The page's JavaScript applies `?q=` (search) and `?filter=` (table filter) from the URL and
writes the counts and any script error into the DOM, which `--dump-dom` returns. Skipped
when chromium is missing, unless CI is set (then it fails). Screenshots are saved in
build/screenshots/ (index, a document page, a person page, the about page, the index and a
document page at phone width).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from teikit import pipeline
from teikit.transform import site

from .conftest import ROOT, _missing

TEI_DIR = ROOT / "corpus" / "tei"
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        _missing("chromium (Debian package 'chromium')")
    return exe


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    if not (TEI_DIR / "corpus.xml").is_file():
        _missing("corpus/tei (run `teikit build`)")
    out = tmp_path_factory.mktemp("browser")
    config = pipeline.load_config(ROOT / "corpus" / "source" / "corpus.json")
    site.build_site(TEI_DIR, out / "site", out / "text", out / "manifest.json", config=config)
    return out / "site"


def run_chromium(exe: str, profile: Path, url: str, *extra: str) -> str:
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--hide-scrollbars", "--virtual-time-budget=5000", *extra, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, LANG="C.UTF-8"))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dom(exe, profile, url):
    return lxml_html.document_fromstring(run_chromium(exe, profile, url, "--dump-dom"))


def test_index_filter_and_search_find_a_known_document(chromium, site_dir, tmp_path):
    url = (site_dir / "index.html").as_uri() + "?q=angora%20kemal&filter=Mustafa%20Kemal%20Pasha%201920-06"
    page = dom(chromium, tmp_path, url)
    root = page.getroottree().getroot()
    assert root.get("data-js") == "ready"
    assert root.get("data-js-errors") is None and page.xpath("//*[@id='js-errors']") == []
    visible = [r.get("id") for r in page.xpath("//table[@id='docs']/tbody/tr[not(contains(@class, 'hidden'))]")]
    assert visible == ["row-sfp-1920-06-03"]
    assert page.xpath("string(//*[@id='filter-status'])") == "1 of 183 rows"
    hits = page.xpath("//ol[@id='search-results']/li/a/@href")
    assert "sfp-1920-06-03.html" in hits
    matched = [int(n) for n in page.xpath("//ol[@id='search-results']/li/@data-matched")]
    assert matched == sorted(matched, reverse=True) and matched[0] == 2
    every = matched.count(2)
    assert page.xpath("string(//*[@id='search-status'])") == (
        f"{len(hits)} documents found; {every} with every word (listed first)")
    hit = page.xpath("//ol[@id='search-results']/li[a/@href='sfp-1920-06-03.html']")[0]
    assert hit.xpath("p[@class='snippet']/mark/text()")[0].lower() in ("angora", "kemal")


def _members():
    _, _, members = site.read_corpus(TEI_DIR)
    return [m for m in site.date_order(list(members.values())) if m.listed]


def test_index_year_and_type_filters_from_the_url(chromium, site_dir, tmp_path):
    members = _members()
    url = (site_dir / "index.html").as_uri() + "?year=1939&type=telegram"
    page = dom(chromium, tmp_path, url)
    root = page.getroottree().getroot()
    assert root.get("data-js") == "ready" and root.get("data-js-errors") is None
    expected = [f"row-{m.doc_id}" for m in members if m.date[:4] == "1939" and m.type == "telegram"]
    assert expected
    visible = [r.get("id") for r in page.xpath("//table[@id='docs']/tbody/tr[not(contains(@class, 'hidden'))]")]
    assert visible == expected
    assert page.xpath("string(//*[@id='filter-status'])") == f"{len(expected)} of {len(members)} rows"
    # combined with the words filter
    page = dom(chromium, tmp_path, url + "&filter=Merekalov")
    visible = [r.get("id") for r in page.xpath("//table[@id='docs']/tbody/tr[not(contains(@class, 'hidden'))]")]
    assert visible == [f"row-{m.doc_id}" for m in members if m.date[:4] == "1939" and m.type == "telegram"
                       and "Merekalov" in m.tree.getroot().xpath("string(//*[local-name()='correspDesc'])")]
    assert visible and len(visible) < len(expected)


def test_metadata_panel_is_closed_on_a_phone_and_open_on_a_wide_screen(chromium, site_dir, tmp_path):
    url = (site_dir / "sfp-1920-06-03.html").as_uri()
    wide = dom(chromium, tmp_path, url)
    phone = lxml_html.document_fromstring(run_chromium(chromium, tmp_path, url, "--dump-dom", "--window-size=390,1400"))
    assert wide.xpath("//details[@class='metadata']")[0].get("open") is not None
    assert phone.xpath("//details[@class='metadata']")[0].get("open") is None


def test_document_page_runs_without_script_error(chromium, site_dir, tmp_path):
    page = dom(chromium, tmp_path, (site_dir / "sfp-1920-06-03.html").as_uri())
    root = page.getroottree().getroot()
    assert root.get("data-js") == "ready"
    assert root.get("data-js-errors") is None
    assert page.xpath("string(//h1)").startswith("Letter from the People's Commissar")
    assert page.xpath("//a[@rel='next']/@href") and page.xpath("//a[@rel='prev']/@href")


@pytest.mark.parametrize("name, url_tail, size", [
    ("index", "index.html?q=straits", "1280,1400"),
    ("document", "sfp-1920-06-03.html", "1280,1600"),
    ("person", "pers-chicherin.html", "1280,1200"),
    ("about", "about.html", "1280,1800"),
    ("index-phone", "index.html?filter=turkey&year=1939", "390,1400"),
    ("document-phone", "sfp-1920-06-03.html", "390,1400"),
])
def test_screenshots(chromium, site_dir, tmp_path, name, url_tail, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}.png"
    run_chromium(chromium, tmp_path, site_dir.as_uri() + "/" + url_tail, f"--screenshot={shot}", f"--window-size={size}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
