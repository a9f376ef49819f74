"""`teikit serve`: preview a site over HTTP with the standard library's server (application layer).

Pagefind loads its index with fetch(), which browsers refuse on file:// pages, so the
search page needs the site served; every other page works from file:// too. This is a
preview server for one person on their own machine (it binds to 127.0.0.1 by default), not
a production web server.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from teikit.core.errors import InputError, UsageError

#: types the standard library does not know: Pagefind's index and WebAssembly
EXTRA_TYPES = {".wasm": "application/wasm", ".pagefind": "application/octet-stream",
               ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
               ".pf_fragment": "application/octet-stream", ".pf_filter": "application/octet-stream",
               ".xml": "application/xml", ".txt": "text/plain; charset=utf-8"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of one folder, with the types above and no caching (a preview)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.path.split("?")[0] == "/favicon.ico":  # browsers ask; a site need not have one
            self.send_response(204)
            self.end_headers()
            return
        super().send_error(code, message, explain)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False):
    """An HTTP server for site_dir (not started); port 0 picks a free port."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir() or not any(site_dir.glob("*.html")):
        raise InputError(f"{str(site_dir)!r} holds no HTML page. Build the site first (`teikit build`, "
                         f"or `teikit html ... -o DIR`) and give its folder.")
    handler = functools.partial(Handler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror}. Choose another port with --port.") from None
    server.verbose = verbose
    return server


def url_of(server) -> str:
    host, port = server.server_address[:2]
    return f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
