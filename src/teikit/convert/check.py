"""Nothing lost: every word of the source lands in exactly one TEI file, in order.

Words are runs of letters and digits. Markup of the source (`**`, `\\*`, `<sup>`, `#`) is
not words. Each TEI file claims a span of source lines (its `citedRange`, or the front and
back matter); the spans must tile the source, and the words of each span must appear, in
order, in the text of its file. What does not is reported with its source line.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from lxml import etree

from teikit.core.names import TEI_NS

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def source_words(lines: list[str], start: int, end: int) -> list[tuple[str, int]]:
    """(word, line) for source lines start..end (1-based, inclusive)."""
    out = []
    for n in range(start, end + 1):
        text = html.unescape(_TAG.sub(" ", lines[n - 1]))
        out.extend((w.lower(), n) for w in _WORD.findall(text))
    return out


def tei_words(tree: etree._Element, *, with_header: bool = False) -> list[str]:
    """Words of a TEI file's text (and of its header when asked), in document order."""
    root = tree if with_header else tree.find(f"{{{TEI_NS}}}text")
    if root is None:
        return []
    text = " ".join(root.itertext())
    return [w.lower() for w in _WORD.findall(text)]


@dataclass
class Lost:
    file: str
    line: int
    words: str


@dataclass
class CheckResult:
    source_words: int = 0
    matched_words: int = 0
    lost: list[Lost] = field(default_factory=list)
    span_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched_words / self.source_words if self.source_words else 1.0

    @property
    def ok(self) -> bool:
        return not self.lost and not self.span_errors


def check(lines: list[str], parts: list[tuple[str, int, int, etree._Element]]) -> CheckResult:
    """`parts`: (file name, first line, last line, TEI tree) in source order."""
    result = CheckResult()
    covered_to = 0
    for name, start, end, tree in sorted(parts, key=lambda p: p[1]):
        if start <= covered_to:
            result.span_errors.append(f"{name}: lines {start}-{end} overlap the file before (to line {covered_to})")
        gap_words = source_words(lines, covered_to + 1, start - 1)
        if gap_words:
            result.source_words += len(gap_words)
            result.lost.append(Lost(name, gap_words[0][1], " ".join(w for w, _ in gap_words[:12])))
            result.span_errors.append(f"lines {covered_to + 1}-{start - 1} belong to no file")
        covered_to = max(covered_to, end)
        src = source_words(lines, start, end)
        out = tei_words(tree)
        result.source_words += len(src)
        sm = difflib.SequenceMatcher(None, [w for w, _ in src], out, autojunk=False)
        matched = 0
        for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
            if tag == "equal":
                matched += i2 - i1
            elif tag in ("delete", "replace"):
                result.lost.append(Lost(name, src[i1][1], " ".join(w for w, _ in src[i1:i2][:12])))
        result.matched_words += matched
    tail = source_words(lines, covered_to + 1, len(lines))
    if tail:
        result.source_words += len(tail)
        result.lost.append(Lost("-", tail[0][1], " ".join(w for w, _ in tail[:12])))
        result.span_errors.append(f"lines {covered_to + 1}-{len(lines)} belong to no file")
    return result
