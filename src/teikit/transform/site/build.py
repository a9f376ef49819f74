"""`render_site`: the site and the text files of a corpus, into a Sink (see the package docstring)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

from teikit.transform.site import glance, pages, search
from teikit.transform.site.corpus import CORPUS_FILE, Member, date_order, neighbours, read_corpus, registry_names, \
    sha, slim_corpus
from teikit.transform.site.memo import Memo
from teikit.transform.site.output import SiteResult, Writer, body_text, corpus_text, downloads_param, key, \
    shown_sizes, write_downloads


_PASSAGE = re.compile(r"^(.+)-[a-z]+[0-9]+$")
#: fewer stale document pages than this are made here (a second process costs more than it saves)
SPLIT_MIN_PAGES = 24


@dataclass
class _Doc:
    """A document's outputs: its page (name, key, stylesheet parameters, retired ids) and text."""

    m: Member
    page: str
    page_key: str
    params: dict
    old_ids: dict
    text: str
    text_key: str
    text_params: dict


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
                retired_passages: dict[str, str] | None = None, memo: Memo | None = None,
                split=None, keep: list | None = None, deflated=None) -> tuple[SiteResult, Writer]:
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
    split: `split(fn, items, first)` -> ([fn(item) for item in items], first()), the items
    taken by a second process meanwhile and by this one once first() is done
    (teikit.beside.share_out with one helper, from the application layer): the stale
    document pages (and TEI copies) are made by whichever process is free while this one
    makes the texts and the corpus pages first; the outputs are the same either way, and are
    recorded here in the same order.
    The Pagefind records (search_records) are returned in result.records; indexing them is
    the caller's. keep: a list that the trees this build parsed and made (the files', the slim
    corpus, the corpus pages' result) are put in, not freed here: the caller's (for a
    process that ends by os._exit, teikit.entry.KEPT: freeing them costs tens of
    milliseconds for nothing). deflated: write_downloads' (the TEI files' deflated bytes,
    made meanwhile by the caller), asked before the zip of the TEI folder is made."""
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
    copies = [(f"{site}/tei/{m.path.name}", m) for m in members]  # written with the document pages
    result.timings["copies"] = time.perf_counter() - t

    # document pages, texts and corpus pages: what is stale is found first (by the keys), then
    # made (with `split`, the document pages in a second process meanwhile), then written in
    # the order of the outputs
    t = time.perf_counter()
    docs = []
    for m in ordered:
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
        tparams = dict(common, stable_url=cite_params.get("stable_url", ""))
        docs.append(_Doc(m, f"{site}/{m.doc_id}.html", key("html", style, code, m.digest, shown, cite_key, old_ids),
                         dict(shown, **cite_params), old_ids, f"{text}/{m.doc_id}.txt",
                         key("text", text_style, code, m.digest, tparams), tparams))
    html_todo = [d for d in docs if not writer.fresh(d.page, d.page_key)]
    text_todo = [d for d in docs if not writer.fresh(d.text, d.text_key, keep=True)]
    result.text_files = len(docs)
    # every text is made from its key's inputs: the same keys in the same order, the same corpus.txt
    listed_texts = [d for d in docs if d.m.listed]
    whole_name = f"{text}/corpus.txt"
    whole_key = key("corpus.txt", [(d.m.doc_id, d.text_key) for d in listed_texts])
    page_list = pages.corpus_pages(members)
    inputs = pages.page_inputs(page_list, members, corpus_tree, corpus_bytes)
    listed = [m for m in ordered if m.listed]
    names = registry_names(members)
    # the zip of the TEI folder last before the pages are made: what the caller deflates
    # meanwhile (`deflated`) has had the time of the above
    t_zip = time.perf_counter()
    listed_downloads = write_downloads(writer, site, corpus_bytes, members, list(downloads), memo, deflated)
    t_zip = time.perf_counter() - t_zip
    result.timings["copies"] += t_zip

    def html_page(d: _Doc) -> bytes:
        return styles.html_bytes(d.m.parsed(), aliases=d.old_ids, absent=d.m.absent(), **d.params)

    def the_rest() -> dict[str, bytes]:
        """Make and store the texts, corpus.txt and the stale corpus pages (put: recorded in
        the manifest below, in the outputs' order); return the texts and corpus.txt made
        (name -> bytes). The keys of the corpus pages go to page_keys."""
        made = {d.text: styles.text(d.m.parsed(), absent=d.m.absent(), **d.text_params).encode("utf-8")
                for d in text_todo}
        if writer.fresh(whole_name, whole_key, keep=True):
            size = writer.size(whole_name)
        else:
            made[whole_name] = corpus_text([(d.m, (made[d.text] if d.text in made else writer.data(d.text))
                                             .decode("utf-8")) for d in listed_texts]).encode("utf-8")
            size = len(made[whole_name])
        for name, data in made.items():
            put[name] = writer.put(name, data)
        t = time.perf_counter()
        if search_records:  # here, while a second process makes document pages (not after them)
            records[:] = _records(docs, memo, names, lambda n: made[n] if n in made else writer.data(n))
        result.timings["search"] = time.perf_counter() - t
        t = time.perf_counter()
        downloads = list(listed_downloads)
        downloads.insert(1, ("text/corpus.txt", "Plain text of every document in date order (corpus.txt)", size))
        params = dict(common, assets_href="assets/", downloads=downloads_param(downloads),
                      source_heading=source_heading(config))
        shared = key("corpus-pages", style, code, {k: v for k, v in params.items() if k != "downloads"})
        # only the about page shows the downloads (and their sizes, which change with every edit)
        for name, kind, _key in page_list:
            page_keys[name] = key(shared, inputs[name], params["downloads"] if kind == "about" else "")
        stale = [p for p in page_list if not writer.fresh(f"{site}/{p[0]}", page_keys[p[0]])]
        # the about page's bytes under its inputs with the sizes as it shows them (most edits
        # change the sizes' bytes, not what the page shows): kept in the memo, made only when
        # not found there (the memo's key of it: its page key, but the sizes as shown)
        about = {p[0]: ("about page", sha(corpus_bytes), key(shared, inputs[p[0]], shown_sizes(downloads)))
                 for p in stale if p[1] == "about"}
        kept_pages = {name for name, k in about.items() if k in memo.old}  # (their bytes: memo.get below)
        todo = [p for p in stale if p[0] not in kept_pages]
        rows: dict = {}  # the document rows, made once for every page that lists them
        slim = slim_corpus(corpus_tree, by_href, memo) if todo else None
        rendered = pages.render_pages(styles, slim, todo, rows=rows, **params) if todo else {}
        if keep is not None:
            keep.append((slim, rows))
        for name, kind, _k in stale:
            if name in kept_pages:
                data = memo.get(about[name], lambda: None)
            else:
                html = rendered.pop(name)
                slot = html.find(".//div[@data-glance]")
                if slot is not None:
                    slot.append(_glance(styles, kind, listed, members, names))
                data = pages.serialise(html, rows)
                if name in about:
                    memo.get(about[name], lambda data=data: data)
            put[f"{site}/{name}"] = writer.put(f"{site}/{name}", data)
        result.timings["pages"] = time.perf_counter() - t
        return made

    def out(name: str, key_: str, produce, **options) -> None:
        """emit, or record what was put before."""
        if name in put:
            writer.record(name, key_, put.pop(name), transformed=options.get("transformed", True),
                          data=made.get(name) if options.get("keep") else None)
        else:
            writer.emit(name, key_, produce, **options)

    page_keys: dict[str, str] = {}
    put: dict[str, tuple] = {}  # output -> what writer.put returned for it, not yet recorded
    records: list[dict] = []  # the search records, made with the texts (the_rest)
    if split is not None and len(html_todo) >= SPLIT_MIN_PAGES:
        if getattr(sink, "forked_writes", False):
            # a second process stores what it makes itself: the document pages and the TEI
            # copies are one queue, taken by it and by this process once it has made and
            # stored the texts and the corpus pages
            # the largest pages first (share_out: the last ones taken are small, so neither
            # process is left alone with a long page), then the copies
            pages_first = sorted(html_todo, key=lambda d: -len(d.m.data))
            jobs = [(d.page, d) for d in pages_first] + [(n, m) for n, m in copies if not writer.fresh(n, m.digest)]

            def make(job) -> tuple:
                name, what = job
                return writer.put(name, html_page(what) if isinstance(what, _Doc) else what.data)

            stored, made = split(make, jobs, the_rest)
            put.update(zip([name for name, _ in jobs], stored))
        else:  # what a second process stores into this sink would be lost: its pages come back
            html_made, made = split(html_page, html_todo, the_rest)
            for d, data in zip(html_todo, html_made):
                put[d.page] = writer.put(d.page, data)
            del html_made
    else:  # each document page made when it is written (not all held at once)
        made = the_rest()
    for n, m in copies:
        out(n, m.digest, lambda d=m.data: d, transformed=False)
    for done, d in enumerate(docs):
        if progress is not None:
            progress(done, len(docs))
        out(d.page, d.page_key, lambda d=d: html_page(d))
        out(d.text, d.text_key, lambda d=d: made[d.text], keep=True)
        writer.emit(f"{site}/text/{d.m.doc_id}.txt", d.text_key, lambda d=d: writer.data(d.text), transformed=False,
                    same_as=d.text)
    out(whole_name, whole_key, lambda: made[whole_name], transformed=False, keep=True)
    writer.emit(f"{site}/text/corpus.txt", whole_key, lambda: writer.data(whole_name), transformed=False,
                same_as=whole_name)
    for name, _kind, _k in page_list:
        out(f"{site}/{name}", page_keys[name], lambda: None)  # a page not put here was found fresh
    result.pages = len(page_list) + len(ordered)
    result.timings["documents"] = time.perf_counter() - t - result.timings["pages"] - t_zip - result.timings["search"]
    # the search records (Pagefind indexes them: the caller's; timed apart, with the indexing)
    result.records = records
    memo.carry({m.digest for m in members} | {sha(corpus_bytes)})
    if keep is not None:
        keep.append((corpus_tree, members))
    return result, writer


def _records(docs: list[_Doc], memo: Memo, names: dict[str, str], text) -> list[dict]:
    """The Pagefind record of each document (text(name): the bytes of its text output)."""
    names_key = key(sorted(names.items()))
    # a record is made from the file, its text (its key's inputs) and the registry's names
    return [memo.get(("record", d.m.path.name, d.m.digest, d.text_key, names_key),
                     lambda m=d.m, n=d.text: search.record(
        m.parsed(), f"{m.doc_id}.html", body_text(text(n).decode("utf-8")),
        title=m.title, date=m.date, type_=m.type, names=names)) for d in docs]


def _cite_entry(tree, config: dict | None) -> tuple[dict[str, str], str]:
    """(the citation's stylesheet parameters, their digest)."""
    params = _citation(tree, config)
    return params, key(params)


def records_key(records: list[dict]) -> str:
    """The manifest key of the Pagefind bundle made from `records`."""
    return key("pagefind", search.records_key(records))
