"""Inline markdown remnants -> model.Inline runs.

Handled: `**bold**`, `*italic*`, escaped characters (`\\*`, `\\_`, `\\$`), note markers
(`\\*`, `\\*\\*`, `<sup>12</sup>`, `[12]`), other superscripts (`1<sup>st</sup>`) as
hi[@rend='sup'], omissions `[...]` / `(...)` / `[…]` as gaps, bracketed text `[etskoy]` as
supplied text where the reader profile says brackets are restorations (`brackets`, set by
the reader through BRACKETS) and as printed otherwise, other HTML tags reduced to their
text. The printed words are never changed: only markup characters are consumed.
"""

from __future__ import annotations

import html
import re
from contextvars import ContextVar

from teikit.convert.model import Inline

_TOKEN = (
    r"(?P<sup><sup>\s*(?P<supn>[^<]{1,6}?)\s*</sup>)"
    r"|(?P<marker>(?:\\\*)+)"
    r"|(?P<esc>\\(?P<escc>[_$\\\[\]#`.\-+!()>|{}]))"
    r"|(?P<gap>\[\s*(?:\.{2,}|…)\s*\]|\(\s*(?:\.{2,}|…)\s*\]?\))"
    r"|(?P<bnum>\[(?P<bn>\d{1,3})\])"
    r"{supplied}"
    r"|(?P<bold>(?<!\\)\*\*)"
    r"|(?P<ital>(?<![\\*])\*(?!\*)(?=\S)|(?<=\S)(?<![\\*])\*(?!\*))"
    r"|(?P<tag></?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>)"
)
#: with square brackets as restorations (one run), and as printed (their text is read on:
#: `[*1925*]` is "[", an italic "1925", "]")
#: (each token begins with one of `<\[(*`: the lookahead in front only lets the engine pass
#: over every other character at once instead of trying each alternative there; same matches)
_FIRST = r"(?=[<\\\[(*])"
_TOKEN_SUPPLIED = re.compile(_FIRST + "(?:" + _TOKEN.replace("{supplied}", r"|(?P<supplied>\[(?P<suppt>[^\[\]\n]{1,80})\])") + ")")
_TOKEN_PRINTED = re.compile(_FIRST + "(?:" + _TOKEN.replace("{supplied}", r"|(?P<supplied>(?!))(?P<suppt>(?!))") + ")")


#: what square brackets are: "supplied" (restorations) or "as-printed"; the reader sets it
#: from the profile for the duration of a read
BRACKETS: ContextVar[str] = ContextVar("brackets", default="supplied")
#: a superscript that marks a note: a number or note signs
_NOTE_SUP = re.compile(r"^(?:\d{1,3}|(?:\\?[*†‡§])+|[a-z])$")


def parse_inline(text: str) -> list[Inline]:
    """Parse one block's markdown-ish text into inline runs (whitespace collapsed)."""
    supplied = BRACKETS.get() == "supplied"
    # (each substitution only where its pattern can match: a line break; two blanks or a tab)
    if "\n" in text:
        text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
    if "  " in text or "\t" in text:
        text = re.sub(r"[ \t]{2,}", " ", text)
    text = text.strip()
    out: list[Inline] = []
    rend_stack: list[str] = []
    pos = 0

    def emit_text(s: str):
        if not s:
            return
        s = html.unescape(s)
        rend = "+".join(rend_stack) if rend_stack else None
        kind = "hi" if rend else "text"
        if out and out[-1].kind == kind and out[-1].rend == rend:
            out[-1].text += s
        else:
            out.append(Inline(kind, s, rend=rend))

    for m in (_TOKEN_SUPPLIED if supplied else _TOKEN_PRINTED).finditer(text):
        emit_text(text[pos : m.start()])
        pos = m.end()
        cur = "+".join(rend_stack) if rend_stack else None
        if m.group("sup") and not _NOTE_SUP.match(m.group("supn")) and out and out[-1].kind in ("text", "hi") \
                and not out[-1].text[-1:].isspace():
            # `1<sup>st</sup>`: a superscript that is part of the word before it
            rend_stack.append("sup")
            emit_text(m.group("supn"))
            rend_stack.pop()
        elif m.group("sup"):
            out.append(Inline("ref", m.group("supn"), n=m.group("supn"), rend=cur))
        elif m.group("marker"):
            stars = "*" * (len(m.group("marker")) // 2)
            out.append(Inline("ref", stars, n=stars, rend=cur))
        elif m.group("bnum"):
            out.append(Inline("ref", m.group("bnum"), n=m.group("bn"), rend=cur))
        elif m.group("esc"):
            emit_text(m.group("escc"))
        elif m.group("gap"):
            out.append(Inline("gap", m.group("gap"), rend=cur))
        elif m.group("supplied") and supplied:
            out.append(Inline("supplied", m.group("suppt"), rend=cur))
        elif m.group("bold"):
            _toggle(rend_stack, "bold")
        elif m.group("ital"):
            _toggle(rend_stack, "italic")
        elif m.group("tag"):
            pass  # HTML remnant: markup only, its text (outside the tag) is kept
    emit_text(text[pos:])
    return _trim(out)


def _toggle(stack: list[str], rend: str) -> None:
    if rend in stack:
        stack.remove(rend)
    else:
        stack.append(rend)


def _trim(runs: list[Inline]) -> list[Inline]:
    runs = [r for r in runs if r.kind not in ("text", "hi") or r.text]
    if runs and runs[0].kind in ("text", "hi"):
        runs[0].text = runs[0].text.lstrip()
    if runs and runs[-1].kind in ("text", "hi"):
        runs[-1].text = runs[-1].text.rstrip()
    return [r for r in runs if r.kind not in ("text", "hi") or r.text]


def unanchored(runs: list[Inline]) -> str:
    """The visible text of runs without note anchors (`Piip)<sup>1</sup>` -> `Piip)`): what
    titles, names and dates are read from."""
    return "".join(r.text for r in runs if r.kind != "ref")


def plain(runs: list[Inline]) -> str:
    """The visible text of runs (markers and supplied text included, gaps as `[...]`)."""
    return "".join(r.text for r in runs)
