"""Line and column of start tags, attributes and text in an XML file, by scanning its
source text: libxml2 records only the line of each element. Used for the file:line:col of
RELAX NG findings (rngwalk.py) and Schematron findings (schematron.py).
"""

from __future__ import annotations

import bisect
import functools
import re

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"

_TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
                    r"|<([^\s/>!?]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)


class Locator:
    """Line and column of start tags and attributes, by scanning the source text."""

    def __init__(self, file, tree, files=None):
        """`files` (teikit.core.files.Files) reads the source of `file`; without it, or
        when there is none, nothing is located."""
        self.tags = []  # (qname, start offset, end offset)
        self.text = ""
        self.by_el: dict = {}
        try:
            data = (files.read(file) if file and files is not None else None) or b""
            enc = tree.docinfo.encoding or "utf-8"
            self.text = data.decode(enc, errors="replace")
        except (OSError, LookupError):
            return
        self.lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.tags = [(m[1], m.start(), m.end()) for m in _TOKEN.finditer(self.text) if m[1]]
        self._cursor = 0

    def _line_col(self, offset):
        i = bisect.bisect_right(self.lines, offset) - 1
        return i + 1, offset - self.lines[i] + 1

    def _tag_of(self, el):
        if not self.tags:
            return None
        if el in self.by_el:
            return self.by_el[el]
        # walk the document in order once, pairing elements with start tags
        for node in el.getroottree().iter():
            if not isinstance(node.tag, str) or node in self.by_el:
                continue
            self._pair(node)
        return self.by_el.get(el)

    def _pair(self, node) -> None:
        """Pair the next element of the walk with the first start tag from the cursor on
        with its name that ends on its line (or with nothing)."""
        name = (f"{node.prefix}:" if node.prefix else "") + etree.QName(node).localname
        at = self._at.get((name, node.sourceline), ())
        k = bisect.bisect_left(at, self._cursor)
        if k < len(at):
            self.by_el[node] = self.tags[at[k]]
            self._cursor = at[k] + 1
        else:
            self.by_el[node] = None

    @functools.cached_property
    def _at(self) -> dict:
        """(qname, line of the tag's last character) -> indices of self.tags, ascending."""
        out: dict = {}
        for j, (tag_name, _start, end) in enumerate(self.tags):
            out.setdefault((tag_name, self._line_col(end - 1)[0]), []).append(j)
        return out

    def position(self, el, attr=None, text=None):
        tag = self._tag_of(el)
        if tag is None:
            return None
        _, start, end = tag
        if attr is not None:
            q = etree.QName(attr)
            prefix = None
            if q.namespace == XML_NS:
                prefix = "xml"
            elif q.namespace:
                prefix = next((p for p, u in el.nsmap.items() if u == q.namespace and p), None)
            name = f"{prefix}:{q.localname}" if prefix else q.localname
            m = re.compile(r"\s(" + re.escape(name) + r")\s*=").search(self.text, start, end)
            if m:
                return self._line_col(m.start(1))
        if text is not None:
            probe = re.split(r"[&<]", text.strip(), maxsplit=1)[0][:20]
            found = self.text.find(probe, end) if probe else -1
            if found >= 0:
                return self._line_col(found)
        return self._line_col(start)

