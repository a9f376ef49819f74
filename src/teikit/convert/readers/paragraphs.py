"""Split a markdown-ish text into paragraphs (runs of non-blank lines) with line spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")
_HEADING_LEVEL = re.compile(r"^\s{0,3}(#{1,6})\s+")
_BOLD_MARK = re.compile(r"(?<!\\)\*\*")


@dataclass
class Para:
    """A paragraph: source lines `start`..`end` (1-based, inclusive)."""

    start: int
    end: int
    lines: list[str]
    heading_level: int = 0  # markdown `#` level of the first line, 0 if none

    @cached_property
    def raw(self) -> str:
        return "\n".join(self.lines)

    @cached_property
    def text(self) -> str:
        """The paragraph as one line: `#` marks and bold marks removed, whitespace collapsed.
        (Made from `unmarked`, the same line with the bold marks kept: a mark is two stars
        within a word, and the character before it, in that word or a space, is the same
        whether the spaces are collapsed or not; so are the words left, and collapsing
        again joins them as once.)"""
        body = self.unmarked
        if "**" in body:
            return " ".join(_BOLD_MARK.sub("", body).split())
        return body

    @cached_property
    def bare(self) -> str:
        """The text as a reader sees it: `#`, bold and italic marks, note anchors
        (`<sup>3</sup>`), other tags and escapes removed, whitespace collapsed."""
        return bare_text(self.text)

    @cached_property
    def unmarked(self) -> str:
        """The paragraph as one line with `#` marks removed but bold marks kept."""
        body = " ".join(_unheaded(ln).strip() for ln in self.lines)
        return " ".join(body.split())

    @cached_property
    def bold_share(self) -> float:
        """Share of the paragraph's visible characters that are inside `**…**`."""
        s = self.unmarked
        if "**" not in s:  # no mark (each is two stars): one plain run, nothing inside
            return 0.0
        inside = total = 0
        bold = False
        pos = 0
        # the runs between unescaped `**` marks, read left to right, alternate plain and bold;
        # a run's visible characters are those str.split leaves (it splits at the characters
        # str.isspace holds for, one and the same test in CPython: each counted in C)
        for mark in (*_BOLD_MARK.finditer(s), None):
            run = s[pos:mark.start() if mark else len(s)]
            visible = len("".join(run.split()))
            total += visible
            if bold:
                inside += visible
            if mark:
                bold, pos = not bold, mark.end()
        return inside / total if total else 0.0



#: the derived properties of a Para (its cached_property values: pure functions of its fields)
DERIVED = tuple(n for n, v in vars(Para).items() if isinstance(v, cached_property))


def derived_of(para: Para, had=frozenset()) -> dict:
    """The derived properties `para` holds (computed so far), but those named in `had`."""
    held = para.__dict__
    return {n: held[n] for n in DERIVED if n in held and n not in had}


_SUP = re.compile(r"<sup>[^<]{0,12}</sup>")
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>")
_ITALIC = re.compile(r"(?<!\\)\*|(?<!\w)_|_(?!\w)")
_ESCAPE = re.compile(r"\\(.)")


def bare_text(text: str) -> str:
    """`text` without markdown emphasis, note anchors, tags and escapes."""
    if "<" in text:  # (each pattern is tried only where its first character is printed)
        text = _TAG.sub("", _SUP.sub("", text))
    if "*" in text or "_" in text:
        text = _ITALIC.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _unheaded(line: str) -> str:
    """The line without a markdown heading mark (`## `)."""
    return _HEADING_MARK.sub("", line) if "#" in line else line


def split_paragraphs(lines: list[str], first_line: int = 1) -> list[Para]:
    """Paragraphs of `lines`; `first_line` is the 1-based number of lines[0].

    A markdown heading line (`## …`) is a paragraph of its own even without blank lines.
    """
    paras: list[Para] = []
    cur: list[str] = []
    start = 0
    for offset, line in enumerate(lines):
        n = first_line + offset
        if not line.strip():
            if cur:
                paras.append(_para(start, cur))
                cur = []
            continue
        if cur and "#" in line and _HEADING_MARK.match(line):
            paras.append(_para(start, cur))
            cur = []
        if not cur:
            start = n
        cur.append(line)
    if cur:
        paras.append(_para(start, cur))
    return paras


def _para(start: int, lines: list[str]) -> Para:
    m = _HEADING_LEVEL.match(lines[0]) if "#" in lines[0] else None
    return Para(start, start + len(lines) - 1, list(lines), len(m.group(1)) if m else 0)
