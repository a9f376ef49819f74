"""The edition site: document pages, corpus pages, the corpus at a glance, search, text files.

`render_site` (site/build.py) reads a TEI folder holding `corpus.xml` (a teiCorpus whose
members are XIncluded, registries among them) through the `Files` it is handed and puts,
into the `Sink` it is handed (teikit.core.files; nothing here touches the file system:
teikit.sitedir.build_site is the application layer that passes the folders),

    site_dir/<doc-id>.html               one page per document (xslt/tei-to-html.xsl)
    site_dir/index.html, about.html      all documents with filters; "About this edition"
    site_dir/years.html, year-<Y>.html   types.html, type-<T>.html
    site_dir/persons.html, pers-<id>.html   places.html, place-<id>.html   orgs.html, org-<id>.html
    site_dir/timeline.html, network.html, map.html   the corpus at a glance (static SVG)
    site_dir/search.html, site_dir/pagefind/         full-text search (Pagefind; over HTTP only)
    site_dir/tei/*.xml, site_dir/text/*.txt (with corpus.txt), site_dir/assets/
    site_dir/downloads/tei.zip           every TEI file; CITATION.cff, cmif.xml when present
    text_dir/<doc-id>.txt, text_dir/corpus.txt (every document in date order)

The corpus pages (everything but the document pages) are rendered by one run of
xslt/corpus-pages.xsl over the corpus (site/pages.py). Rebuilds are incremental: the
manifest (JSON) records, per output, a key made of the digests of its inputs, the
stylesheets and the parameters; an output whose key is unchanged and whose file is intact
is not made again. A document page's inputs are its file and its neighbours' titles; a
corpus page's inputs are the listings (header and references) of the documents it lists.
Outputs of an earlier build that are no longer produced are removed, so a rebuild equals a
clean build byte for byte.

The Pagefind records are returned; running Pagefind's indexer (a process), removing stale
outputs and writing the manifest are the application layer's.

Modules: corpus (reading the corpus and the facts of each member), pages (which corpus
pages, their inputs, one-pass rendering), glance (timeline, network, map), search
(Pagefind records), output (writer, manifest, downloads), build (render_site).
"""

from teikit.transform.site.build import records_key, render_site, site_params, stylesheets_digest
from teikit.transform.site.corpus import (CORPUS_FILE, NS, Member, date_order, describe, expand_corpus, neighbours,
                                          read_corpus, registry_names, slim_corpus)
from teikit.transform.site.output import (OPTIONAL_DOWNLOADS, SiteResult, body_text, corpus_text,
                                          downloads_param, zip_bytes)
from teikit.transform.site.pages import corpus_pages, page_inputs, render_pages

__all__ = ["CORPUS_FILE", "NS", "Member", "OPTIONAL_DOWNLOADS", "SiteResult", "body_text", "corpus_pages",
           "corpus_text", "date_order", "describe", "downloads_param", "expand_corpus", "neighbours",
           "page_inputs", "read_corpus", "records_key", "registry_names", "render_pages", "render_site",
           "site_params", "slim_corpus", "stylesheets_digest", "zip_bytes"]
