"""`render_site`: the site and the text files of a corpus, into a Sink (see the package docstring)."""

from __future__ import annotations

import re
import time
from pathlib import PurePosixPath

from lxml import etree

from teikit.transform.site import glance, pages, search
from teikit.transform.site.corpus import CORPUS_FILE, Member, date_order, neighbours, read_corpus, registry_names, \
    sha, slim_corpus
from teikit.transform.site.memo import Memo
from teikit.transform.site.output import SiteResult, Writer, body_text, corpus_text, downloads_param, key, \
    write_downloads


_PASSAGE = re.compile(r"^(.+)-[a-z]+[0-9]+$")


def stylesheets_digest(styles, pattern: str = "*") -> str:
    """Hash of the stylesheet folder's files matching pattern (rebuild everything when one
    changes); `styles`: a teikit.transform.runner.Stylesheets, which lists and reads them."""
    names = [n for n in styles.names if PurePosixPath(n).match(pattern)]
    return key([(n, sha(styles.read(n))) for n in names])


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


def _glance(styles, kind: str, listed: list[Member], members: list[Member], names: dict[str, str]) -> etree._Element:
    if kind == "timeline":
        return glance.timeline(listed)
    if kind == "network":
        return glance.network(listed, names)
    coords: dict = {}
    for m in members:
        if m.registry == "listPlace":
            coords.update(glance.place_coordinates(m.parsed().getroot()))
    return glance.place_map(listed, names, coords, glance.basemap_path(styles.read(glance.BASEMAP)))


def render_site(files, tei_dir, styles, sink, previous, old_manifest: bytes | None, *, site: str = "site",
                text: str = "text", config: dict | None = None, downloads: list[tuple[str, bytes]] = (),
                code: str = "", search_records: bool = True, progress=None,
                retired_passages: dict[str, str] | None = None, memo: Memo | None = None) -> tuple[SiteResult, Writer]:
    """Make the site and the text files (see the package docstring); return what was done
    and the writer, whose `manifest()` and `stale()` the caller writes and removes.

    Reading: the corpus folder `tei_dir` through `files`, the stylesheets through `styles`
    (a teikit.transform.runner.Stylesheets), the outputs of an earlier build through
    `previous` (a Files, by output name; see Writer for how it may vouch for one without
    reading it). Writing: each output into `sink` by its name, "<site>/index.html",
    "<text>/corpus.txt" (`site`, `text`: the folders' paths from the manifest's folder).
    Incremental: an output whose inputs did not change since the build that wrote
    `old_manifest` is not made again (see teikit.transform.site.pages.page_inputs).
    downloads: (name, bytes) copied to <site>/downloads/ and listed on the about page.
    code: a digest of the code that makes the outputs (Python as well as the stylesheets: the
    glance pages, search records, the runner's text normalisation and link checks), a key
    of every output. progress(done, total), if given, is told each document done.
    memo: what an earlier build derived from unchanged files (teikit.transform.site.memo;
    kept for the same `code` only), so that an unchanged file is not parsed, described,
    cited, slimmed, recorded or deflated again; result.memo is what the next build gets.
    The Pagefind records (search_records) are returned in result.records; indexing them is
    the caller's."""
    t0 = time.perf_counter()
    result = SiteResult()
    memo = memo if memo is not None else Memo()
    result.memo = memo
    corpus_bytes, corpus_tree, by_href = read_corpus(files, tei_dir, memo)
    members = list(by_href.values())
    ordered = date_order(members)
    around = neighbours(ordered)
    style = stylesheets_digest(styles)
    text_style = stylesheets_digest(styles, "*.xsl")
    writer = Writer(sink, previous, old_manifest, result)
    common = site_params(config)
    config_key = key(config)
    aliases = passage_aliases(retired_passages or {}, [m.doc_id for m in members if not m.registry])
    result.timings["read"] = time.perf_counter() - t0

    # assets and TEI copies (keyed by content)
    t = time.perf_counter()
    for name in styles.names:
        if name.startswith("assets/") and name.count("/") == 1:
            data = styles.read(name)
            writer.emit(f"{site}/{name}", sha(data), lambda d=data: d, transformed=False)
    writer.emit(f"{site}/tei/{CORPUS_FILE}", sha(corpus_bytes), lambda: corpus_bytes, transformed=False)
    for m in members:
        writer.emit(f"{site}/tei/{m.path.name}", m.digest, lambda d=m.data: d, transformed=False)
    listed_downloads = write_downloads(writer, site, corpus_bytes, members, list(downloads), memo)
    result.timings["copies"] = time.perf_counter() - t

    # document pages and texts
    t = time.perf_counter()
    text_keys: list[tuple[Member, str]] = []
    for done, m in enumerate(ordered):
        if progress is not None:
            progress(done, len(ordered))
        # the citation is made from the file and the configuration only
        cite_params, cite_key = memo.get(("cite", m.path.name, m.digest, config_key),
                                         lambda m=m: _cite_entry(m.parsed(), config))
        prev, nxt = around[m.doc_id]
        shown = dict(common, tei_href=f"tei/{m.path.name}", text_href=f"text/{m.doc_id}.txt",
                     assets_href="assets/", index_href="index.html", about_href="about.html", entity_href="./",
                     prev_href=f"{prev.doc_id}.html" if prev else "", prev_title=prev.title if prev else "",
                     next_href=f"{nxt.doc_id}.html" if nxt else "", next_title=nxt.title if nxt else "")
        # the retired passage ids of this document are an input of its page (and only of it)
        old_ids = aliases.get(m.doc_id, {})
        page_key = key("html", style, code, m.digest, shown, cite_key, old_ids)
        writer.emit(f"{site}/{m.doc_id}.html", page_key,
                    lambda m=m, p=dict(shown, **cite_params), a=old_ids:
                    styles.html(m.parsed(), aliases=a, **p).encode("utf-8"))
        tparams = dict(common, stable_url=cite_params.get("stable_url", ""))
        tkey = key("text", text_style, code, m.digest, tparams)
        name = f"{text}/{m.doc_id}.txt"
        writer.emit(name, tkey, lambda m=m, p=tparams: styles.text(m.parsed(), **p).encode("utf-8"), keep=True)
        writer.emit(f"{site}/text/{m.doc_id}.txt", tkey, lambda n=name: writer.data(n), transformed=False)
        text_keys.append((m, tkey))
    result.text_files = len(text_keys)
    # every text is made from its key's inputs: the same keys in the same order, the same corpus.txt
    listed_texts = [(m, k) for m, k in text_keys if m.listed]
    whole_key = key("corpus.txt", [(m.doc_id, k) for m, k in listed_texts])

    def whole() -> bytes:
        return corpus_text([(m, writer.data(f"{text}/{m.doc_id}.txt").decode("utf-8"))
                            for m, _k in listed_texts]).encode("utf-8")

    writer.emit(f"{text}/corpus.txt", whole_key, whole, transformed=False, keep=True)
    writer.emit(f"{site}/text/corpus.txt", whole_key, lambda: writer.data(f"{text}/corpus.txt"), transformed=False)
    listed_downloads.insert(1, ("text/corpus.txt", "Plain text of every document in date order (corpus.txt)",
                                writer.size(f"{text}/corpus.txt")))
    result.timings["documents"] = time.perf_counter() - t

    # corpus pages: the stale ones, in one run of corpus-pages.xsl
    t = time.perf_counter()
    page_list = pages.corpus_pages(members)
    inputs = pages.page_inputs(page_list, members, corpus_tree, corpus_bytes)
    params = dict(common, assets_href="assets/", downloads=downloads_param(listed_downloads),
                  source_heading=source_heading(config))
    shared = key("corpus-pages", style, code, {k: v for k, v in params.items() if k != "downloads"})
    # only the about page shows the downloads (and their sizes, which change with every edit)
    keys = {name: key(shared, inputs[name], params["downloads"] if kind == "about" else "")
            for name, kind, _key in page_list}
    stale = [p for p in page_list if not writer.fresh(f"{site}/{p[0]}", keys[p[0]])]
    rendered = pages.render_pages(styles, slim_corpus(corpus_tree, by_href, memo), stale, **params) if stale else {}
    listed = [m for m in ordered if m.listed]
    names = registry_names(members) if stale or search_records else {}
    for name, kind, _k in page_list:
        def produce(name=name, kind=kind):
            html = rendered[name]
            slot = html.find(".//div[@data-glance]")
            if slot is not None:
                slot.append(_glance(styles, kind, listed, members, names))
            return pages.serialise(html)

        writer.emit(f"{site}/{name}", keys[name], produce)
    result.pages = len(page_list) + len(ordered)
    result.timings["pages"] = time.perf_counter() - t

    # the search records (Pagefind indexes them: the caller's; timed apart, with the indexing)
    t = time.perf_counter()
    if search_records:
        names_key = key(sorted(names.items()))
        # a record is made from the file, its text (its key's inputs) and the registry's names
        result.records = [memo.get(("record", m.path.name, m.digest, k, names_key), lambda m=m: search.record(
            m.parsed(), f"{m.doc_id}.html", body_text(writer.data(f"{text}/{m.doc_id}.txt").decode("utf-8")),
            title=m.title, date=m.date, type_=m.type, names=names)) for m, k in text_keys]
    result.timings["search"] = time.perf_counter() - t
    memo.carry({m.digest for m in members} | {sha(corpus_bytes)})
    return result, writer


def _cite_entry(tree, config: dict | None) -> tuple[dict[str, str], str]:
    """(the citation's stylesheet parameters, their digest)."""
    params = _citation(tree, config)
    return params, key(params)


def records_key(records: list[dict]) -> str:
    """The manifest key of the Pagefind bundle made from `records`."""
    return key("pagefind", search.records_key(records))
