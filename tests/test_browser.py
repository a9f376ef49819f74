"""Browser test of the edition site in headless Chromium (Debian `chromium`).

The page's JavaScript applies `?filter=` and the facets (year, type, month, from, to,
corresp) from the URL and writes the counts and any script error into the DOM, which
`--dump-dom` returns. Search (Pagefind) needs the site served over HTTP: those tests start
teikit's preview server on a free port of 127.0.0.1 and drive Chromium over the DevTools
protocol (tests/cdp.py) to type, click and wait. Skipped when chromium is missing, unless CI
is set (then it fails). Screenshots are saved in build/screenshots/ (index, search,
timeline, network, map, a document page, a person page, the about page, phone widths).
"""

from __future__ import annotations

import os
import subprocess
import threading
from urllib.parse import parse_qs, urlsplit
from pathlib import Path

import pytest
from lxml import html as lxml_html

from teikit import projectinputs
from teikit.transform import site
from teikit import sitedir
from teikit.disk import Disk

from .cdp import Browser
from .conftest import ROOT, _missing

TEI_DIR = ROOT / "corpus" / "tei"
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    if not (TEI_DIR / "corpus.xml").is_file():
        _missing("corpus/tei (run `teikit build`)")
    out = tmp_path_factory.mktemp("browser")
    config = projectinputs.load_config(ROOT / "corpus" / "source" / "corpus.json")
    sitedir.build_site(TEI_DIR, out / "site", out / "text", out / "manifest.json", config=config)
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


def test_index_filter_finds_a_known_document(chromium, site_dir, tmp_path):
    url = (site_dir / "index.html").as_uri() + "?filter=Mustafa%20Kemal%20Pasha%201920-06"
    page = dom(chromium, tmp_path, url)
    root = page.getroottree().getroot()
    assert root.get("data-js") == "ready"
    assert root.get("data-js-errors") is None and page.xpath("//*[@id='js-errors']") == []
    visible = [r.get("id") for r in page.xpath("//table[@id='docs']/tbody/tr[not(contains(@class, 'hidden'))]")]
    assert visible == ["row-sfp-1920-06-03"]
    assert page.xpath("string(//*[@id='filter-status'])") == "1 of 183 rows"


@pytest.fixture(scope="module")
def served(site_dir):
    """The site served by teikit's preview server (teikit serve) on a free port."""
    from teikit.serve import make_server, url_of

    server = make_server(site_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url_of(server)
    server.shutdown()
    server.server_close()


def _settled(b, condition: str = "true", timeout: float = 40) -> tuple[str, list[str]]:
    """(the UI's message, its hit links) once a search has settled: a count, hits drawn, not
    "Searching", and `condition` (JavaScript over `text`, the message). One evaluation reads
    both, so a re-render between two reads cannot pair one state's count with another's
    (empty) list, as two separate waits could under load."""
    return tuple(b.wait(
        "(() => { const m = document.querySelector('.pagefind-ui__message');"
        " const text = m ? m.textContent : '';"
        " const links = Array.from(document.querySelectorAll('.pagefind-ui__result-link'))"
        ".map(a => a.getAttribute('href'));"
        f" return parseInt(text) > 0 && links.length > 0 && !/Searching/.test(text) && ({condition})"
        " ? [text, links] : false; })()", timeout=timeout))


def test_search_finds_a_known_document_and_its_filters_narrow_the_hits(chromium, served, tmp_path):
    with Browser(chromium, tmp_path) as b:
        b.open(served + "search.html?q=angora%20kemal")
        message, hits = _settled(b)
        total = int(message.split()[0])
        assert total >= len(hits) > 0
        # every hit of the UI is one of the engine's, and the letter to Mustafa Kemal at Angora is among them
        every = b.value("(async () => { const pf = await import('/pagefind/pagefind.js');"
                        " const r = await pf.search('angora kemal');"
                        " return (await Promise.all(r.results.map(x => x.data()))).map(x => x.url); })()")
        assert len(every) == total and set(hits) <= set(every)
        assert "/sfp-1920-06-03.html" in every
        assert b.value("document.querySelector('.pagefind-ui__result-excerpt mark') !== null")
        # the year filter: tick 1920, the count drops and every hit is of 1920 (the UI draws its
        # filters after the hits, from a fragment of its own: wait for the year's under load)
        b.wait("Array.from(document.querySelectorAll('.pagefind-ui__filter-name'))"
               ".some(e => /year/i.test(e.textContent))", timeout=40)
        b.value("Array.from(document.querySelectorAll('.pagefind-ui__filter-name'))"
                ".find(e => /year/i.test(e.textContent)).closest('details').open = true")
        b.wait("document.querySelector('input[name=\"year\"][value=\"1920\"], input[id$=\"year-1920\"]') !== null"
               " || Array.from(document.querySelectorAll('.pagefind-ui__filter-label')).some(l => l.textContent.trim().startsWith('1920'))")
        b.value("Array.from(document.querySelectorAll('.pagefind-ui__filter-label'))"
                ".find(l => l.textContent.trim().startsWith('1920')).click()")
        # the count drops first and the results are drawn after it: wait for both (under load
        # the list can be empty for a moment after the count has changed)
        _message, narrowed = _settled(b, f"parseInt(text) < {total}")
        assert narrowed and all("/sfp-1920-" in h for h in narrowed), narrowed
        # a hit opens its document
        b.click(".pagefind-ui__result-link")
        assert b.value("location.pathname").startswith("/sfp-1920-")
        assert b.value("document.documentElement.getAttribute('data-js')") == "ready"
        assert b.errors == []


def test_search_from_file_says_it_needs_a_server_and_points_to_what_works(chromium, site_dir, tmp_path):
    page = dom(chromium, tmp_path, (site_dir / "search.html").as_uri())
    assert page.xpath("//div[@id='search-offline']/@hidden") == []
    assert "teikit serve" in page.xpath("string(//div[@id='search-offline'])")
    assert page.xpath("//div[@id='search-offline']//a/@href")[0] == "index.html"
    assert page.getroottree().getroot().get("data-js-errors") is None


def _visible(b) -> list[str]:
    return b.value("Array.from(document.querySelectorAll('#docs tbody tr:not(.hidden)')).map(r => r.id.slice(4))")


def test_timeline_renders_and_a_bar_leads_to_its_documents(chromium, site_dir, tmp_path):
    members = _members()
    with Browser(chromium, tmp_path) as b:
        b.open((site_dir / "timeline.html").as_uri())
        bars = b.value("document.querySelectorAll('svg.chart a.bar rect').length")
        assert bars == len({(m.date[:7], m.type) for m in members if len(m.date) >= 7})
        assert b.value("document.querySelector('svg.chart').getBoundingClientRect().width") > 600
        href = b.value("document.querySelector('a.bar[data-month=\"1921-04\"]').getAttribute('href')")
        b.click("a.bar[data-month='1921-04']")
        query = parse_qs(urlsplit(href).query)
        expected = [m.doc_id for m in members if m.date[:7] == "1921-04" and m.type == query["type"][0]]
        assert expected and _visible(b) == expected
        assert b.value("document.getElementById('filter-status').textContent") == f"{len(expected)} of {len(members)} rows"
        assert b.errors == []


def test_network_renders_and_an_edge_leads_to_the_letters_from_one_to_the_other(chromium, site_dir, tmp_path):
    members = _members()
    with Browser(chromium, tmp_path, 1280, 1400) as b:
        b.open((site_dir / "network.html").as_uri())
        assert b.value("document.querySelectorAll('svg.chart a.node').length") >= 20
        # the heaviest edge is the widest
        widths = b.value("Array.from(document.querySelectorAll('a.edge path')).map(p => parseFloat(p.getAttribute('stroke-width')))")
        assert max(widths) > min(widths)
        src, dst = b.value("(function () { var e = Array.from(document.querySelectorAll('a.edge')).sort((a, b) =>"
                           " parseFloat(b.firstChild.getAttribute('stroke-width')) - parseFloat(a.firstChild.getAttribute('stroke-width')))[0];"
                           " e.id = 'widest'; return [e.getAttribute('data-from'), e.getAttribute('data-to')]; })()")
        b.click("#widest")
        expected = [m.doc_id for m in members if src in m.senders and dst in m.addressees]
        assert len(expected) >= 2 and _visible(b) == expected
        assert b.value("document.getElementById('linked-filter').textContent").startswith("Only documents from ")
        assert b.errors == []


def test_map_renders_places_on_the_coastlines_and_a_place_leads_to_its_documents(chromium, site_dir, tmp_path):
    members = _members()
    with Browser(chromium, tmp_path) as b:
        b.open((site_dir / "map.html").as_uri())
        assert b.value("document.querySelector('svg.chart path.land').getAttribute('d').length") > 10000
        assert b.value("document.querySelectorAll('svg.chart a.place').length") >= 30
        listed = b.value("Array.from(document.querySelectorAll('aside.unmapped a')).map(a => a.textContent)")
        assert "Black Sea Straits (Bosphorus and Dardanelles)" in listed and "Turkey" in listed
        b.click("a.place[data-place='ankara']")
        assert b.value("location.pathname").endswith("/place-ankara.html")
        rows = b.value("Array.from(document.querySelectorAll('#docs tbody tr')).map(r => r.id.slice(4))")
        assert rows == [m.doc_id for m in members if "place:ankara" in m.refs]
        assert b.errors == []


def _members():
    _, _, members = site.read_corpus(Disk(), TEI_DIR)
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
    ("index", "index.html", "1280,1400"),
    ("timeline", "timeline.html", "1280,1000"),
    ("network", "network.html", "1280,1500"),
    ("map", "map.html", "1280,1300"),
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


def test_screenshot_of_a_search(chromium, served, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with Browser(chromium, tmp_path, 1280, 1400) as b:
        b.open(served + "search.html?q=straits")
        b.wait("document.querySelectorAll('.pagefind-ui__result-excerpt').length > 0")
        b.screenshot(SHOTS / "search.png")
        assert b.errors == []
