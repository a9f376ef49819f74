"""`build_site`: the one function of the site package that touches the file system."""

from __future__ import annotations

import re
import time
from pathlib import Path

from lxml import etree

from teikit.transform import runner as transform
from teikit.transform.site import glance, pages, search
from teikit.transform.site.corpus import CORPUS_FILE, Member, date_order, neighbours, read_corpus, registry_names, \
    sha, slim_corpus
from teikit.transform.site.output import SiteResult, Writer, body_text, corpus_text, downloads_param, key, \
    optional_downloads, write_downloads


_PASSAGE = re.compile(r"^(.+)-[a-z]+[0-9]+$")


def stylesheets_digest(pattern: str = "*") -> str:
    """Hash of the stylesheet folder's files matching pattern (rebuild everything when one changes)."""
    files = sorted(p for p in transform.XSLT_DIR.rglob(pattern) if p.is_file())
    return key([(p.relative_to(transform.XSLT_DIR).as_posix(), sha(p.read_bytes())) for p in files])


def _code_digest() -> str:
    """Hash of this package's code: the glance pages and search records are made here."""
    folder = Path(__file__).parent
    return key([(p.name, sha(p.read_bytes())) for p in sorted(folder.glob("*.py"))])


def _citation(tree, config: dict | None) -> dict[str, str]:
    """Stylesheet parameters with the citation of teikit.publish.cite (empty without a config)."""
    if config is None:
        return {}
    from teikit.publish import cite

    c = cite.for_document(tree.getroot(), config)
    return {"stable_url": c.url or "", "cite_text": c.text, "cite_bibtex": c.bibtex,
            "cite_csl": cite.csl_json_text(c)}


def site_params(config: dict | None) -> dict[str, str]:
    """Parameters every page gets from the corpus configuration."""
    common = {"lang": "en", "corpus_title": "", "corpus_version": ""}
    if config:
        common["corpus_title"] = config.get("short_title") or config.get("title") or ""
        common["corpus_version"] = config.get("version") or ""
    return common


def source_heading(config: dict | None) -> str:
    """The about page's heading over the compilation and what it was translated from, from
    the configuration's translation chain (`translated_from`): "The compilation and the
    Russian series" for a translation of a series in several volumes, "... and its French
    original" for another translation, "The compilation" for none."""
    source = (config or {}).get("translated_from") or {}
    language = source.get("language_name") or source.get("language") or ""
    if not source:
        return "The compilation"
    if source.get("volumes"):
        return f"The compilation and the {language} series".replace("the  series", "the series")
    return f"The compilation and its {language} original".replace("its  original", "its original")


def passage_aliases(retired: dict[str, str], doc_ids: list[str]) -> dict[str, dict[str, str]]:
    """Document id -> {retired passage id: the id now holding the passage} (corpus/idmap.json's
    `retired_passages`). A passage id is its document's id, "-", a name and a number
    (sfp-1921-03-16-p57), so the document is the one whose id is that prefix."""
    docs = set(doc_ids)
    out: dict[str, dict[str, str]] = {}
    for old, new in retired.items():
        m = _PASSAGE.match(old)
        if m and m.group(1) in docs and new.startswith(m.group(1) + "-"):
            out.setdefault(m.group(1), {})[old] = new
    return out


def _glance(kind: str, listed: list[Member], members: list[Member], names: dict[str, str]) -> etree._Element:
    if kind == "timeline":
        return glance.timeline(listed)
    if kind == "network":
        return glance.network(listed, names)
    coords: dict = {}
    for m in members:
        if m.registry == "listPlace":
            coords.update(glance.place_coordinates(m.tree.getroot()))
    return glance.place_map(listed, names, coords, glance.basemap_path())


def build_site(tei_dir, site_dir, text_dir, manifest, *, config: dict | None = None,
               extra_downloads: list[Path] | None = None, search_index: bool = True, progress=None,
               retired_passages: dict[str, str] | None = None) -> SiteResult:
    """Write the site and the text files (see the package docstring); return what was done.

    Incremental: an output whose inputs did not change since the build that wrote
    `manifest` is not made again (see teikit.transform.site.pages.page_inputs).
    extra_downloads: files copied to site_dir/downloads/ and listed on the about page
    (default: `optional_downloads`, CITATION.cff and cmif.xml where they exist).
    search_index: build the Pagefind index in site_dir/pagefind (timed apart, in
    result.timings['search']). progress(done, total), if given, is told each document done."""
    t0 = time.perf_counter()
    site_dir, text_dir, manifest = Path(site_dir), Path(text_dir), Path(manifest)
    if extra_downloads is None:
        extra_downloads = optional_downloads(Path(tei_dir), manifest.parent)
    result = SiteResult()
    corpus_bytes, corpus_tree, by_href = read_corpus(Path(tei_dir))
    members = list(by_href.values())
    ordered = date_order(members)
    around = neighbours(ordered)
    style = stylesheets_digest()
    text_style = stylesheets_digest("*.xsl")
    writer = Writer(manifest, result)
    common = site_params(config)
    aliases = passage_aliases(retired_passages or {}, [m.doc_id for m in members if not m.registry])
    result.timings["read"] = time.perf_counter() - t0

    # assets and TEI copies (keyed by content)
    t = time.perf_counter()
    for src in sorted(transform.ASSETS_DIR.iterdir()):
        if src.is_file():
            data = src.read_bytes()
            writer.emit(site_dir / "assets" / src.name, sha(data), lambda d=data: d, transformed=False)
    writer.emit(site_dir / "tei" / CORPUS_FILE, sha(corpus_bytes), lambda: corpus_bytes, transformed=False)
    for m in members:
        writer.emit(site_dir / "tei" / m.path.name, m.digest, m.path.read_bytes, transformed=False)
    downloads = write_downloads(writer, site_dir, corpus_bytes, members, extra_downloads)
    result.timings["copies"] = time.perf_counter() - t

    # document pages and texts
    t = time.perf_counter()
    texts: list[tuple[Member, str]] = []
    for done, m in enumerate(ordered):
        if progress is not None:
            progress(done, len(ordered))
        cite_params = _citation(m.tree, config)
        prev, nxt = around[m.doc_id]
        params = dict(common, tei_href=f"tei/{m.path.name}", text_href=f"text/{m.doc_id}.txt",
                      assets_href="assets/", index_href="index.html", about_href="about.html", entity_href="./",
                      prev_href=f"{prev.doc_id}.html" if prev else "", prev_title=prev.title if prev else "",
                      next_href=f"{nxt.doc_id}.html" if nxt else "", next_title=nxt.title if nxt else "",
                      **cite_params)
        # the retired passage ids of this document are an input of its page (and only of it)
        old_ids = aliases.get(m.doc_id, {})
        page_key = key("html", style, m.digest, params, old_ids) if old_ids else key("html", style, m.digest, params)
        writer.emit(site_dir / f"{m.doc_id}.html", page_key,
                    lambda t=m.tree, p=params, a=old_ids: transform.to_html(t, aliases=a, **p).encode("utf-8"))
        tparams = dict(common, stable_url=cite_params.get("stable_url", ""))
        tkey = key("text", text_style, m.digest, tparams)
        data = writer.emit(text_dir / f"{m.doc_id}.txt", tkey,
                           lambda t=m.tree, p=tparams: transform.to_text(t, **p).encode("utf-8"))
        writer.emit(site_dir / "text" / f"{m.doc_id}.txt", tkey, lambda d=data: d, transformed=False)
        texts.append((m, data.decode("utf-8")))
    result.text_files = len(texts)
    listed_texts = [(m, t) for m, t in texts if m.listed]
    whole = corpus_text(listed_texts).encode("utf-8")
    writer.emit(text_dir / "corpus.txt", sha(whole), lambda: whole, transformed=False)
    writer.emit(site_dir / "text" / "corpus.txt", sha(whole), lambda: whole, transformed=False)
    downloads.insert(1, ("text/corpus.txt", "Plain text of every document in date order (corpus.txt)", len(whole)))
    result.timings["documents"] = time.perf_counter() - t

    # corpus pages: the stale ones, in one run of corpus-pages.xsl
    t = time.perf_counter()
    page_list = pages.corpus_pages(members)
    inputs = pages.page_inputs(page_list, members, corpus_tree, corpus_bytes)
    params = dict(common, assets_href="assets/", downloads=downloads_param(downloads),
                  source_heading=source_heading(config))
    shared = key("corpus-pages", style, _code_digest(), {k: v for k, v in params.items() if k != "downloads"})
    # only the about page shows the downloads (and their sizes, which change with every edit)
    keys = {name: key(shared, inputs[name], params["downloads"] if kind == "about" else "")
            for name, kind, _key in page_list}
    stale = [p for p in page_list if writer.fresh(site_dir / p[0], keys[p[0]]) is None]
    rendered = pages.render_pages(slim_corpus(corpus_tree, by_href), stale, **params) if stale else {}
    listed = [m for m in ordered if m.listed]
    names = registry_names(members) if stale else {}
    for name, kind, _k in page_list:
        def produce(name=name, kind=kind):
            html = rendered[name]
            slot = html.find(".//div[@data-glance]")
            if slot is not None:
                slot.append(_glance(kind, listed, members, names))
            return pages.serialise(html)

        writer.emit(site_dir / name, keys[name], produce)
    result.pages = len(page_list) + len(ordered)
    result.timings["pages"] = time.perf_counter() - t

    # search index (Pagefind), apart
    t = time.perf_counter()
    if search_index:
        _search(writer, site_dir, texts, members, result)
    else:
        result.search = "off"
    result.timings["search"] = time.perf_counter() - t
    writer.finish()
    return result


def _search(writer: Writer, site_dir: Path, texts, members, result: SiteResult) -> None:
    names = registry_names(members)
    records = [search.record(m.tree, f"{m.doc_id}.html", body_text(text), title=m.title, date=m.date,
                             type_=m.type, names=names) for m, text in texts]
    rkey = key("pagefind", search.records_key(records))
    bundle = site_dir / search.BUNDLE
    if writer.old_key(bundle) == rkey and bundle.is_dir():
        old = writer.old.get(writer.rel(bundle), {})
        digest = search.folder_digest(bundle)
        if digest == old.get("sha256"):
            writer.keep(bundle, rkey, digest)
            result.search = "unchanged"
            return
    search.write_index(records, site_dir)
    writer.keep(bundle, rkey, search.folder_digest(bundle))
    result.transformed.append(writer.rel(bundle) + "/")
    result.search = f"indexed {len(records)} documents"
