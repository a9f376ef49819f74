"""Nothing lost: every word of the source lands in exactly one TEI file, in order.

Words are runs of letters and digits. Markup of the source (`**`, `\\*`, `<sup>`, `#`) is
not words. Each TEI file claims a span of source lines (its `citedRange`, or the front and
back matter); the spans must tile the source, and the words of each span must appear, in
order, in the text of its file. What does not is reported with its source line.

The alignment (`align`) is a linear walk per document, not a diff of the whole text: each
source word is matched at the next occurrence of the same word in the file, when it is
close or when the source words after it follow there too; otherwise it is lost. A match is
always a real one (the matched words are a subsequence of the file's words), so "nothing
lost" is exact; only where words are lost can the report of which ones be approximate.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from itertools import repeat
from dataclasses import dataclass, field

from lxml import etree

from teikit.core.names import TEI_NS

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: _WORD on lower-case ASCII text is `[a-z0-9]+`: its runs of letters and digits are what is
#: left between spaces when every other character is read as a space (`_ascii_words`)
_NOT_ASCII_WORD = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in "abcdefghijklmnopqrstuvwxyz0123456789"})
CONFIRM = 3  # a word found further on is matched there if the next source words follow it,
NEAR = 8  # each at most this many words after the one before


def source_words(lines: list[str], start: int, end: int) -> list[tuple[str, int]]:
    """(word, line) for source lines start..end (1-based, inclusive)."""
    out = []
    for n in range(start, end + 1):
        line = lines[n - 1]
        text = _TAG.sub(" ", line) if "<" in line else line
        if "&" in text:
            text = html.unescape(text)
        if text.isascii():  # lower-casing ASCII keeps every word's letters and bounds
            out.extend(zip(_ascii_words(text), repeat(n)))
        else:
            out.extend((w.lower(), n) for w in _WORD.findall(text))
    return out


def _ascii_words(text: str) -> list[str]:
    """_WORD's words of an ASCII text, lowered (`[a-z0-9]+` of it lowered: the same list,
    made by str.translate and str.split instead of a match per word)."""
    return text.lower().translate(_NOT_ASCII_WORD).split()


def tei_words(tree: etree._Element, *, with_header: bool = False) -> list[str]:
    """Words of a TEI file's text (and of its header when asked), in document order."""
    root = tree if with_header else tree.find(f"{{{TEI_NS}}}text")
    if root is None:
        return []
    text = str(_spaced_text()(root))
    if text.isascii():  # lower-casing ASCII keeps every word's letters and bounds
        return _ascii_words(text)
    return [w.lower() for w in _WORD.findall(text)]


#: The text of an element with a space at every element boundary but those of the inline
#: elements that mark a word or part of a word (a name run into a compound,
#: "<placeName>black sea</placeName>ports"), which do not separate words; a comment or a
#: processing instruction separates them, and its own text is not read. Written by libxslt
#: in one pass (a Python walk made an element proxy for every element and its tag's name).
_SPACED_TEXT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="{TEI_NS}">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="*"><xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:persName|tei:placeName|tei:orgName"><xsl:apply-templates/></xsl:template>
  <xsl:template match="comment()|processing-instruction()"><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>"""


@functools.lru_cache(maxsize=1)
def _spaced_text() -> etree.XSLT:
    """_SPACED_TEXT compiled (once per process), reading and writing nothing but its input."""
    return etree.XSLT(etree.XML(_SPACED_TEXT), access_control=etree.XSLTAccessControl.DENY_ALL)


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


def check(lines: list[str], parts: list[tuple[str, int, int, etree._Element]], check_part=None) -> CheckResult:
    """`parts`: (file name, first line, last line, TEI tree) in source order.
    `check_part(lines, name, start, end, tree)`: what `part_words` gives for one file (a
    caller may keep its results: it depends only on those lines and that file's text)."""
    result = CheckResult()
    check_part = check_part or part_words
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
        count, lost = check_part(lines, name, start, end, tree)
        result.source_words += count
        result.lost.extend(passage for passage, _n in lost)
        result.matched_words += count - sum(n for _passage, n in lost)
    tail = source_words(lines, covered_to + 1, len(lines))
    if tail:
        result.source_words += len(tail)
        result.lost.append(Lost("-", tail[0][1], " ".join(w for w, _ in tail[:12])))
        result.span_errors.append(f"lines {covered_to + 1}-{len(lines)} belong to no file")
    return result


def part_words(lines: list[str], name: str, start: int, end: int, tree) -> tuple[int, list[tuple[Lost, int]]]:
    """(number of source words of lines start..end, [(a passage lost, its number of words)])
    for the file `name` whose tree is `tree`."""
    src = source_words(lines, start, end)
    words = [w for w, _ in src]
    lost_at = align(words, tei_words(tree))
    return len(src), [(Lost(name, src[i1][1], " ".join(words[i1:i2][:12])), i2 - i1) for i1, i2 in _runs(lost_at)]


def align(src: list[str], out: list[str]) -> list[int]:
    """Indices of the words of `src` not found, in order, in `out` (see the module docstring)."""
    if src == out:
        return []
    where: dict[str, list[int]] = {}
    for k, w in enumerate(out):
        where.setdefault(w, []).append(k)

    def next_at(w: str, j: int) -> int | None:
        spots = where.get(w)
        if not spots:
            return None
        n = bisect.bisect_left(spots, j)
        return spots[n] if n < len(spots) else None

    def follows(i: int, j: int) -> bool:
        for w in src[i:i + CONFIRM]:
            k = next_at(w, j)
            if k is None or k - j > NEAR:
                return False
            j = k + 1
        return True

    lost, j = [], 0
    for i, w in enumerate(src):
        if j < len(out) and out[j] == w:
            j += 1
            continue
        k = next_at(w, j)
        if k is not None and follows(i + 1, k + 1):
            j = k + 1
        else:
            lost.append(i)
    return lost


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive indices as half-open (start, end) runs."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs
