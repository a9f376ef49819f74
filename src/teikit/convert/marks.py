"""Classification and priority marks as printed above a document (`Top secret`, `Immediately`):
one list, the reader profile's `classification` (corpus data), read by the block reader (an
opener line that is a mark), the segmenter (a date line with marks is no heading), the
metadata extractor (profileDesc/textClass/keywords) and the header (the corpus header's
classification taxonomy).

Each mark: `id` (the term written, an NCName), `label` (its catDesc), `pattern` (a regular
expression, any case), `term` (false: a mark that makes an opener line, such as `Copy`,
but is no classification term) and `line_pattern` (the mark as it opens an opener line of
its own, where that is narrower). The order is the taxonomy's.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    id: str
    label: str
    pattern: re.Pattern
    term: bool = True
    line_pattern: re.Pattern | None = None  # as it opens an opener line, if narrower


def from_profile(data: list | None, compile_key) -> tuple[Mark, ...]:
    """The marks of a profile's `classification` list; `compile_key(key, pattern)` compiles
    one pattern (and names the key in its error)."""
    out = []
    for i, item in enumerate(data or []):
        out.append(Mark(
            id=item["id"],
            label=item.get("label", item["id"].replace("-", " ")),
            pattern=compile_key(f"classification[{i}].pattern", item["pattern"]),
            term=item.get("term", True),
            line_pattern=(compile_key(f"classification[{i}].line_pattern", item["line_pattern"])
                          if item.get("line_pattern") else None),
        ))
    return tuple(out)


def from_config(config: dict) -> tuple[Mark, ...]:
    """The marks of a corpus configuration's reader profile (patterns checked at load)."""
    return _from_list(json.dumps(config.get("reader", {}).get("classification", [])))


@functools.lru_cache(maxsize=8)
def _from_list(data: str) -> tuple[Mark, ...]:
    return from_profile(json.loads(data), lambda _key, pattern: re.compile(pattern, re.I))


def found(text: str, marks: tuple[Mark, ...]) -> list[tuple[str, str]]:
    """(id, as printed) of each classification term in `text`, in the marks' order."""
    out = []
    for mark in marks:
        if mark.term and (m := mark.pattern.search(text)):
            out.append((mark.id, m.group(0)))
    return out


def strip(text: str, marks: tuple[Mark, ...], replacement: str = "") -> str:
    """`text` without its marks."""
    for mark in marks:
        text = mark.pattern.sub(replacement, text)
    return text


def is_mark_line(text: str, marks: tuple[Mark, ...]) -> bool:
    """A line that begins with a mark and holds at most a few words more (`Top secret. Copy 2`)."""
    return any(re.match(rf"^\W*(?:{(m.line_pattern or m.pattern).pattern})\b[\w\s.,;:!*-]{{0,40}}$", text, re.I)
               for m in marks)
