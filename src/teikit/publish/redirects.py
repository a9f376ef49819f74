"""Redirect pages for retired document ids (see docs/identifiers.md).

A document keeps its id forever; when boundaries change, the ids that no longer name a
document are moved to `retired` in corpus/idmap.json and never reused. The HTML site keeps
a page for each: `<retired-id>.html`, which sends the reader on to the document that
replaced it when the editor has recorded one (`"replaced_by": "<id>"` in the retired entry),
and otherwise says that the id was retired and why, with a link to the contents.

`redirect_pages()` is pure; teikit.corpusdir.write_redirects writes the pages into a site folder.
"""

from __future__ import annotations

import html

INDEX_PAGE = "index.html"


def redirect_pages(idmap: dict, current_ids: set[str]) -> dict[str, bytes]:
    """File name -> HTML of a page for every retired id of the identifier map."""
    pages: dict[str, bytes] = {}
    for old, entry in sorted(idmap.get("retired", {}).items()):
        if old in current_ids:
            continue  # never happens with idmap.py; a live page always wins
        new = entry.get("replaced_by")
        heading = html.escape(entry.get("heading", ""))
        reason = html.escape(entry.get("reason", ""))
        if new and new in current_ids:
            target = html.escape(f"{new}.html")
            head = (f'<meta http-equiv="refresh" content="0; url={target}">\n'
                    f'<link rel="canonical" href="{target}">\n')
            body = (f"<p>The document id <code>{html.escape(old)}</code> was retired ({reason}). "
                    f'The document is now <a href="{target}">{html.escape(new)}</a>.</p>')
        else:
            head = ""
            body = (f"<p>The document id <code>{html.escape(old)}</code> was retired ({reason}); "
                    f'it was &#8220;{heading}&#8221;. See the <a href="{INDEX_PAGE}">contents</a>.</p>')
        page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f'<meta name="robots" content="noindex">\n{head}'
                f"<title>Retired id {html.escape(old)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
        pages[f"{old}.html"] = page.encode("utf-8")
    return pages
