"""The edition site: document pages, index and browse pages, search index, text files.

`build_site` is the one function here that touches the file system (stated, like
`transform.transform_files`): it reads a TEI folder holding `corpus.xml` (a teiCorpus whose
members are XIncluded, registries among them) and writes

    site_dir/index.html                  all documents (xslt/corpus-pages.xsl, page-kind=index)
    site_dir/<doc-id>.html               one page per document (xslt/tei-to-html.xsl)
    site_dir/years.html, year-<Y>.html   types.html, type-<T>.html
    site_dir/persons.html, pers-<id>.html   places.html, place-<id>.html   orgs.html, org-<id>.html
    site_dir/about.html                  "About this edition" (corpus header, downloads)
    site_dir/search-index.js             window.TEIKIT_INDEX, loaded by a <script> (works from file://)
    site_dir/snippets/<doc-id>.js        the document's text for search snippets, loaded on demand
    site_dir/tei/*.xml, site_dir/text/*.txt (with corpus.txt), site_dir/assets/
    site_dir/downloads/tei.zip           every TEI file; CITATION.cff, cmif.xml when present
    text_dir/<doc-id>.txt, text_dir/corpus.txt (every document in date order)

Rebuilds are incremental: `manifest` (JSON) records, per output, a key made of the hashes
of its inputs, of the stylesheets and of the parameters; an output whose key is unchanged
and whose file is intact is not transformed again. Outputs of an earlier build that are no
longer produced are removed, so a rebuild equals a clean build byte for byte.

The XIncludes of corpus.xml are expanded here, by parsing each member with the hardened
parser of transform.py and splicing it in (only files inside the TEI folder are read).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teikit.transform import runner as transform
from teikit.core import xinclude
from teikit.core.errors import InputError
from teikit.core.names import TEI_NS

XI_NS = "http://www.w3.org/2001/XInclude"
CORPUS_FILE = "corpus.xml"
MANIFEST_VERSION = 1
NS = {"t": TEI_NS}
#: registry list element -> (page kind, ref prefix)
REGISTRIES = {"listPerson": ("person", "pers"), "listPlace": ("place", "place"), "listOrg": ("org", "org")}
ENTRY = {"listPerson": "person", "listPlace": "place", "listOrg": "org"}
_DATE_ATTRS = ("when", "from", "notBefore")
_WORD = re.compile(r"[^\W_]+")
#: files offered for download when they exist at build time (looked for beside the corpus
#: folder, i.e. the repository root, and in the build folder)
OPTIONAL_DOWNLOADS = (("CITATION.cff", "How to cite the edition (CITATION.cff)"),
                      ("cmif.xml", "Letter index (CMIF, cmif.xml)"))
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Member:
    """One file of the corpus: a document or a registry."""

    path: Path
    tree: etree._ElementTree
    digest: str
    doc_id: str
    title: str
    date: str = ""  # ISO start date ('' = undated)
    type: str = ""
    registry: str = ""  # 'listPerson' etc. for a registry file
    listed: bool = True  # dated, typed or with correspondence (front/back matter: False)

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.doc_id)


@dataclass
class SiteResult:
    pages: int = 0
    transformed: list[str] = field(default_factory=list)  # outputs written by a transform this run
    skipped: int = 0  # outputs whose key was unchanged
    removed: list[str] = field(default_factory=list)
    text_files: int = 0


# --- reading the corpus (pure functions on trees) -----------------------------------------
def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _first(root, path):
    found = root.xpath(path, namespaces=NS)
    return found[0] if found else None


def describe(path: Path, tree, digest: str) -> Member:
    """The facts of one TEI file the site needs: id, title, ISO date, type, registry kind."""
    root = tree.getroot()
    doc_id = root.get("{http://www.w3.org/XML/1998/namespace}id") or path.stem
    titles = root.xpath("t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='main']", namespaces=NS) or \
        root.xpath("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS)
    title = _text(titles[0]) if titles else "Untitled"
    date = ""
    for el in root.xpath("t:teiHeader/t:profileDesc/t:creation/t:date | "
                         "t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction[@type='sent']/t:date",
                         namespaces=NS):
        date = next((el.get(a) for a in _DATE_ATTRS if el.get(a)), "")
        if date:
            break
    cat = _first(root, "t:teiHeader/t:profileDesc/t:textClass/t:catRef[contains(@target, '#')]")
    registry = next((name for name in REGISTRIES if root.find(f"t:text/t:body/t:{name}", NS) is not None), "")
    listed = bool(root.xpath("t:teiHeader/t:profileDesc[t:creation/t:date or t:textClass/t:catRef or t:correspDesc]",
                             namespaces=NS))
    return Member(path=path, tree=tree, digest=digest, doc_id=doc_id, title=title, date=date,
                  type=cat.get("target").split("#", 1)[1] if cat is not None else "",
                  registry=registry, listed=listed)


def date_order(members: list[Member]) -> list[Member]:
    """Documents (not registries) in date order: dated ones by date then id; undated last, by id."""
    docs = [m for m in members if not m.registry]
    return sorted(docs, key=lambda m: (m.date == "", m.date, m.doc_id))


def neighbours(ordered: list[Member]) -> dict[str, tuple[Member | None, Member | None]]:
    """doc-id -> (previous, next) in date order, among the listed documents."""
    listed = [m for m in ordered if m.listed]
    out: dict[str, tuple[Member | None, Member | None]] = {m.doc_id: (None, None) for m in ordered}
    for i, m in enumerate(listed):
        out[m.doc_id] = (listed[i - 1] if i else None, listed[i + 1] if i + 1 < len(listed) else None)
    return out


def expand_corpus(corpus_tree, members: dict[str, Member]):
    """A copy of the teiCorpus with every xi:include replaced by its member's root (by href)."""
    root = copy.deepcopy(corpus_tree.getroot())

    def member_root(href, _path):
        member = members.get(href)
        if member is None:
            raise InputError(f"XInclude href {href!r} in {CORPUS_FILE} names no file of the TEI folder. "
                             f"Rebuild the corpus with `teikit build`.")
        return copy.deepcopy(member.tree.getroot()), []

    base = Path(corpus_tree.docinfo.URL or CORPUS_FILE)
    issues = xinclude.expand(root, str(base), root=base.parent, load=member_root, mark_base=False)
    if issues:
        raise InputError(f"{issues[0].format()}. Rebuild the corpus with `teikit build`.")
    return root.getroottree()


def slim_corpus(expanded):
    """A lighter copy of the expanded corpus for the corpus pages, which read the documents'
    headers and the @ref of their text only: each document's tei:text becomes one `ab` holding
    empty copies of its elements with @ref (registries are kept whole). Halves the page time."""
    root = copy.deepcopy(expanded.getroot())
    lists = tuple(f"{{{TEI_NS}}}{name}" for name in REGISTRIES)
    for tei in list(root.iter(f"{{{TEI_NS}}}TEI")):
        text = tei.find(f"{{{TEI_NS}}}text")
        if text is None or any(el.tag in lists for el in text.iterfind(f"{{{TEI_NS}}}body/*")):
            continue
        new = etree.Element(f"{{{TEI_NS}}}text")
        ab = etree.SubElement(etree.SubElement(new, f"{{{TEI_NS}}}body"), f"{{{TEI_NS}}}ab")
        seen = set()  # one copy per name and entry: the pages ask whether a document names it
        for el in text.iter():
            if isinstance(el.tag, str) and el.get("ref") is not None and (el.tag, el.get("ref")) not in seen:
                seen.add((el.tag, el.get("ref")))
                etree.SubElement(ab, el.tag, ref=el.get("ref"))
        tei.replace(text, new)
    return root.getroottree()


def fold(s: str) -> str:
    """Lower case without accents: the normalisation the page's JavaScript applies too."""
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def search_words(text: str) -> list[str]:
    """The folded distinct words of text a prefix search needs: a word that begins another
    word of the text is left out (every query word that finds it finds the longer word too)."""
    words = sorted(set(_WORD.findall(fold(text))))
    return [w for i, w in enumerate(words) if i + 1 == len(words) or not words[i + 1].startswith(w)]


def search_entry(member: Member, text: str) -> dict:
    """One record of the search index: url, title, date, type and the words of `search_words`."""
    return {"u": f"{member.doc_id}.html", "t": member.title, "d": member.date, "y": member.type,
            "w": " " + " ".join(search_words(text)) + " "}


def body_text(text: str) -> str:
    """The text rendering without its header block ('Title: ...' lines up to the first blank line)."""
    if text.startswith("Title: ") and "\n\n" in text:
        return text.split("\n\n", 1)[1]
    return text


def snippet_js(member: Member, text: str) -> str:
    """The script holding one document's text for search snippets (loaded by teikit.js when
    the document is among the hits): `TEIKIT_TEXTS[id] = "..."`, whitespace collapsed."""
    body = json.dumps(" ".join(body_text(text).split()), ensure_ascii=False)
    return ("(window.TEIKIT_TEXTS = window.TEIKIT_TEXTS || {})[" + json.dumps(member.doc_id) + "] = "
            + body + ";\n")


def zip_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """A deterministic zip of (name, data) pairs: fixed dates and modes, names in the given order."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def downloads_param(items: list[tuple[str, str, int]]) -> str:
    """The stylesheet parameter `downloads`: one line 'href TAB label TAB bytes' per item."""
    return "\n".join(f"{href}\t{label}\t{size}" for href, label, size in items)


def search_index_js(entries: list[dict]) -> str:
    """The search index as a script: `window.TEIKIT_INDEX = [...]` (one record a line)."""
    lines = ",\n".join(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    return "/* teikit search index: generated, do not edit */\nwindow.TEIKIT_INDEX = [\n" + lines + "\n];\n"


def corpus_text(texts: list[tuple[Member, str]]) -> str:
    """Every document's text in the given (date) order, each after a separator line with its id."""
    parts = [f"==== {m.doc_id} ====\n\n{t}" for m, t in texts]
    return "\n".join(parts)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key(*parts) -> str:
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def corpus_pages(members: list[Member]) -> list[tuple[str, str, str]]:
    """(file name, page-kind, page-key) of every corpus page: index, years, types, registries.

    Entity pages exist for every registry entry and for every prefixed @ref of a document
    (so that the links of document pages resolve even for names missing from a registry).
    """
    pages = [("index.html", "index", ""), ("about.html", "about", ""), ("years.html", "years", ""),
             ("types.html", "types", ""),
             ("persons.html", "persons", ""), ("places.html", "places", ""), ("orgs.html", "orgs", "")]
    listed = [m for m in members if not m.registry and m.listed]
    pages += [(f"year-{y}.html", "year", y) for y in sorted({m.date[:4] for m in listed if m.date})]
    pages += [(f"type-{t}.html", "type", t) for t in sorted({m.type for m in listed if m.type})]
    kinds = {prefix: kind for kind, prefix in REGISTRIES.values()}
    keys: dict[str, set[str]] = {prefix: set() for prefix in kinds}
    for m in members:
        root = m.tree.getroot()
        if m.registry:
            kind, prefix = REGISTRIES[m.registry]
            keys[prefix].update(root.xpath(f"t:text/t:body/t:{m.registry}//t:{ENTRY[m.registry]}/@xml:id", namespaces=NS))
            continue
        for ref in root.xpath(".//@ref"):
            prefix, _, local = ref.strip().partition(":")
            if prefix in keys and local and " " not in local:
                keys[prefix].add(local)
    for prefix, kind in kinds.items():
        pages += [(f"{prefix}-{k}.html", kind, k) for k in sorted(keys[prefix])]
    return pages


# --- building (file system) -----------------------------------------------------------------
def _stylesheets_digest(pattern: str = "*") -> str:
    """Hash of the stylesheet folder's files matching pattern (rebuild everything when one changes)."""
    files = sorted(p for p in transform.XSLT_DIR.rglob(pattern) if p.is_file())
    return _key([(p.relative_to(transform.XSLT_DIR).as_posix(), _sha(p.read_bytes())) for p in files])


@functools.lru_cache(maxsize=None)
def _corpus_stylesheet() -> etree.XSLT:
    return transform.compile_stylesheet(transform.XSLT_DIR / "corpus-pages.xsl")


def render_corpus_page(expanded, **params) -> str:
    """One corpus page (index, browse) from the expanded teiCorpus tree."""
    result = transform.run(_corpus_stylesheet(), expanded, CORPUS_FILE, **params)
    return "<!DOCTYPE html>\n" + etree.tostring(result.getroot(), method="html", encoding="unicode") + "\n"


def _citation(tree, config: dict | None) -> dict[str, str]:
    """Stylesheet parameters with the citation of teikit.publish.cite (empty without a config)."""
    if config is None:
        return {}
    from teikit.publish import cite

    c = cite.for_document(tree.getroot(), config)
    return {"stable_url": c.url or "", "cite_text": c.text, "cite_bibtex": c.bibtex,
            "cite_csl": cite.csl_json_text(c)}


def _downloads(writer, site_dir: Path, corpus_bytes: bytes, members: list[Member],
               extra: list[Path]) -> list[tuple[str, str, int]]:
    """Write the zip of the TEI folder and copy the extra files to site_dir/downloads/;
    return (href, label, bytes) of every download the about page lists."""
    files = sorted([(m.path.name, m) for m in members], key=lambda x: x[0])
    key = _key("zip", _sha(corpus_bytes), [(n, m.digest) for n, m in files])
    data = writer.emit(site_dir / "downloads" / "tei.zip", key, lambda: zip_bytes(
        [(f"tei/{CORPUS_FILE}", corpus_bytes)] + [(f"tei/{n}", m.path.read_bytes()) for n, m in files]),
        transformed=False)
    items = [("downloads/tei.zip", f"Every TEI file, {len(files) + 1} files (tei.zip)", len(data)),
             (f"tei/{CORPUS_FILE}", f"The corpus file ({CORPUS_FILE}, a teiCorpus that XIncludes the documents)",
              len(corpus_bytes))]
    for m in sorted((m for m in members if m.registry), key=lambda m: m.path.name):
        items.append((f"tei/{m.path.name}", f"{m.title} ({m.path.name})", m.path.stat().st_size))
    labels = dict(OPTIONAL_DOWNLOADS)
    for path in extra:
        blob = Path(path).read_bytes()
        writer.emit(site_dir / "downloads" / Path(path).name, _sha(blob), lambda b=blob: b, transformed=False)
        items.append((f"downloads/{Path(path).name}", labels.get(Path(path).name, Path(path).name), len(blob)))
    return items


class _Writer:
    """Writes outputs whose key changed; keeps the manifest of keys and output hashes."""

    def __init__(self, manifest: Path, result: SiteResult):
        self.manifest = manifest
        self.base = manifest.parent
        self.result = result
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self.old = old.get("outputs", {}) if old.get("version") == MANIFEST_VERSION else {}
        self.new: dict[str, dict] = {}

    def _rel(self, target: Path) -> str:
        return Path(os.path.relpath(target.resolve(), self.base.resolve())).as_posix()

    def emit(self, target: Path, key: str, produce, *, transformed: bool = True) -> bytes:
        """Write `produce()` (bytes) to target unless the key and the file are unchanged; return the bytes."""
        rel = self._rel(target)
        entry = self.old.get(rel)
        if entry and entry.get("key") == key and target.is_file():
            data = target.read_bytes()
            if _sha(data) == entry.get("sha256"):
                self.new[rel] = entry
                self.result.skipped += 1
                return data
        data = produce()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            transform._write_atomic(target, data)
        if transformed:
            self.result.transformed.append(rel)
        self.new[rel] = {"key": key, "sha256": _sha(data)}
        return data

    def finish(self) -> None:
        for rel in sorted(set(self.old) - set(self.new)):
            path = self.base / rel
            if path.is_file():
                path.unlink()
                self.result.removed.append(rel)
        body = json.dumps({"version": MANIFEST_VERSION, "outputs": dict(sorted(self.new.items()))},
                          indent=1, sort_keys=True)
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        transform._write_atomic(self.manifest, (body + "\n").encode("utf-8"))


def read_corpus(tei_dir: Path) -> tuple[bytes, etree._ElementTree, dict[str, Member]]:
    """corpus.xml and its XIncluded members (href -> Member); only files inside tei_dir are read."""
    tei_dir = Path(tei_dir)
    corpus_path = tei_dir / CORPUS_FILE
    try:
        corpus_bytes = corpus_path.read_bytes()
    except OSError as err:
        raise InputError(f"corpus file {str(corpus_path)!r} cannot be read: {err.strerror}. "
                         f"Run `teikit build` to write corpus/tei.") from None
    corpus_tree = transform.parse_tei(corpus_bytes, str(corpus_path))
    root_dir = tei_dir.resolve()
    members: dict[str, Member] = {}
    for inc in corpus_tree.iter(f"{{{XI_NS}}}include"):
        href = inc.get("href", "")
        path, _why = xinclude.resolve(href, corpus_path, root_dir)
        if path is None or not path.is_file():
            raise InputError(f"XInclude href {href!r} in {corpus_path} is not a file inside {tei_dir}. "
                             f"Only members in the TEI folder are read.")
        data = path.read_bytes()
        members[href] = describe(path, transform.parse_tei(data, str(path)), _sha(data))
    return corpus_bytes, corpus_tree, members


def optional_downloads(tei_dir: Path, build_dir: Path) -> list[Path]:
    """The files of OPTIONAL_DOWNLOADS that exist: beside the corpus folder (tei_dir/../..),
    else in the build folder."""
    found = []
    for name, _ in OPTIONAL_DOWNLOADS:
        for folder in (Path(tei_dir).resolve().parent.parent, Path(build_dir).resolve()):
            if (folder / name).is_file():
                found.append(folder / name)
                break
    return found


def build_site(tei_dir, site_dir, text_dir, manifest, *, config: dict | None = None,
               extra_downloads: list[Path] | None = None) -> SiteResult:
    """Write the site and the text files (see the module docstring); return what was done.

    extra_downloads: files copied to site_dir/downloads/ and listed on the about page
    (default: `optional_downloads`, CITATION.cff and cmif.xml where they exist)."""
    site_dir, text_dir, manifest = Path(site_dir), Path(text_dir), Path(manifest)
    if extra_downloads is None:
        extra_downloads = optional_downloads(Path(tei_dir), manifest.parent)
    result = SiteResult()
    corpus_bytes, corpus_tree, by_href = read_corpus(Path(tei_dir))
    members = list(by_href.values())
    ordered = date_order(members)
    around = neighbours(ordered)
    style = _stylesheets_digest()
    text_style = _stylesheets_digest("*.xsl")
    writer = _Writer(manifest, result)
    common = {"lang": "en", "corpus_title": "", "corpus_version": ""}
    if config:
        common["corpus_title"] = config.get("short_title") or config.get("title") or ""
        common["corpus_version"] = config.get("version") or ""

    # assets and TEI copies (keyed by content)
    for src in sorted(transform.ASSETS_DIR.iterdir()):
        if src.is_file():
            data = src.read_bytes()
            writer.emit(site_dir / "assets" / src.name, _sha(data), lambda d=data: d, transformed=False)
    writer.emit(site_dir / "tei" / CORPUS_FILE, _sha(corpus_bytes), lambda: corpus_bytes, transformed=False)
    for m in members:
        writer.emit(site_dir / "tei" / m.path.name, m.digest, m.path.read_bytes, transformed=False)
    downloads = _downloads(writer, site_dir, corpus_bytes, members, extra_downloads)

    # document pages and texts
    texts: list[tuple[Member, str]] = []
    for m in ordered:
        cite_params = _citation(m.tree, config)
        prev, nxt = around[m.doc_id]
        params = dict(common, tei_href=f"tei/{m.path.name}", text_href=f"text/{m.doc_id}.txt",
                      assets_href="assets/", index_href="index.html", about_href="about.html", entity_href="./",
                      prev_href=f"{prev.doc_id}.html" if prev else "", prev_title=prev.title if prev else "",
                      next_href=f"{nxt.doc_id}.html" if nxt else "", next_title=nxt.title if nxt else "",
                      **cite_params)
        writer.emit(site_dir / f"{m.doc_id}.html", _key("html", style, m.digest, params),
                    lambda t=m.tree, p=params: transform.to_html(t, **p).encode("utf-8"))
        tparams = dict(common, stable_url=cite_params.get("stable_url", ""))
        tkey = _key("text", text_style, m.digest, tparams)
        data = writer.emit(text_dir / f"{m.doc_id}.txt", tkey,
                           lambda t=m.tree, p=tparams: transform.to_text(t, **p).encode("utf-8"))
        writer.emit(site_dir / "text" / f"{m.doc_id}.txt", tkey, lambda d=data: d, transformed=False)
        text = data.decode("utf-8")
        snippet = snippet_js(m, text).encode("utf-8")
        writer.emit(site_dir / "snippets" / f"{m.doc_id}.js", _sha(snippet), lambda d=snippet: d, transformed=False)
        texts.append((m, text))
    result.text_files = len(texts)

    # corpus-wide text, search index, corpus pages
    listed_texts = [(m, t) for m, t in texts if m.listed]
    whole = corpus_text(listed_texts).encode("utf-8")
    writer.emit(text_dir / "corpus.txt", _sha(whole), lambda: whole, transformed=False)
    writer.emit(site_dir / "text" / "corpus.txt", _sha(whole), lambda: whole, transformed=False)
    downloads.insert(1, ("text/corpus.txt", "Plain text of every document in date order (corpus.txt)", len(whole)))
    index_js = search_index_js([search_entry(m, t) for m, t in texts]).encode("utf-8")
    writer.emit(site_dir / "search-index.js", _sha(index_js), lambda: index_js, transformed=False)

    corpus_key = _key("corpus", style, _sha(corpus_bytes), sorted(m.digest for m in members), common)
    expanded = None
    pages = corpus_pages(members)
    for name, kind, key in pages:
        params = dict(common, assets_href="assets/", search_href="search-index.js", page_kind=kind, page_key=key)
        if kind == "about":
            params["downloads"] = downloads_param(downloads)

        def produce(p=params):
            nonlocal expanded
            if expanded is None:
                expanded = slim_corpus(expand_corpus(corpus_tree, by_href))
            return render_corpus_page(expanded, **p).encode("utf-8")

        writer.emit(site_dir / name, _key(corpus_key, params), produce)
    result.pages = len(pages) + len(ordered)
    writer.finish()
    return result
