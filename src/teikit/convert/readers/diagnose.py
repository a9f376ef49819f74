"""Why a source yields no document: the first likely heading and the rule that turned it down.

A person who gets "no document found" needs the line to look at and the profile key to
change. The first likely heading is the first bold paragraph (after the contents; the last of a run
of heading-like ones) followed within three paragraphs by one with a date in it; failing
that, such a markdown heading; failing that, the first bold or `#` paragraph at all.
"""

from __future__ import annotations

import json
import re

from teikit.convert.dates import find_dates
from teikit.convert.readers.paragraphs import Para
from teikit.convert.readers.segmenter import Segmenter, looks_like_dateline


def _show(para: Para) -> str:
    text = para.lines[0].strip()
    return repr(text if len(text) <= 90 else text[:87] + "…")


def _suggest(text: str) -> str:
    """A 'headings' pattern (as a JSON string) that matches `text`, the line quoted: a number
    group where it starts with one, sender and addressee groups where it reads "X to Y"."""
    number = re.match(r"^(?:no\.\s*)?\d+\s*[.)]\s+", text, re.I)
    head = r"^(?:no\.\s*)?(?P<number>\d+)\s*[.)]\s+" if number else "^"
    rest = text[number.end():] if number else text
    first = re.escape(rest.split()[0]) + r"\b.*$" if rest.split() else ".+$"  # its first word
    body = r"(?P<sender>.+?)\s+to\s+(?P<addressee>.+?)\.?$" if re.search(r"\s+to\s+", rest, re.I) else first
    for pattern in (head + body, head + ".+$"):
        if re.search(pattern, text, re.I):
            return json.dumps(pattern)
    return json.dumps("^" + re.escape(text))


def _has_date(para: Para) -> bool:
    return any(d.precision == "day" for d in find_dates(para.bare, default_year=1900))


def no_heading_message(paras: list[Para], source: str, seg: Segmenter) -> str:
    profile = seg.profile
    looks = [k for k, p in enumerate(paras) if p.bold_share >= 0.6 or p.heading_level]
    if not looks:
        return (f"No document heading found in {source}: no paragraph after the contents is bold (`**…**`) "
                f"or a markdown heading (`## …`), and the reader opens documents only at such paragraphs. "
                f"Mark the headings in the source, or see docs/reader-profile.md.")
    # the last of a run of heading-like paragraphs (`# Title` over `**12. …**`) with a date soon after
    last = [k for k in looks if k + 1 not in looks]
    dated = [k for k in last if any(_has_date(q) for q in paras[k + 1 : k + 4])]
    bold = [k for k in dated if paras[k].bold_share >= 0.6]  # bold before `#` (often chapters)
    k = (bold or dated or looks)[0]
    para = paras[k]
    where = f"{source}:{para.start}"
    reasons = []
    text = para.text
    level = para.heading_level
    if level and profile.level_role(level):
        reasons.append(f"its level {level} (`{'#' * level}`) is a {profile.level_role(level)!r} in 'levels'")
    if seg.is_aside(para):
        reasons.append("it matches a 'before_heading', 'after_heading' or 'running_head' pattern")
    if len(text) > profile.max_heading_chars:
        reasons.append(f"it is longer than 'max_heading_chars' ({profile.max_heading_chars})")
    for i, rx in enumerate(profile.not_heading):
        if rx.search(text.lstrip("#* ").strip()):
            reasons.append(f"'not_heading[{i}]' ({rx.pattern!r}) matches it")
    if not reasons:
        reasons.append(f"it matches none of the {len(profile.headings)} 'headings' pattern(s)"
                       if profile.headings else "the profile has no 'headings' pattern")
        reasons.append(f"it starts with none of the 'heading_types' words {list(profile.heading_types)[:8]}"
                       if profile.heading_types else "the profile has no 'heading_types'")
        nxt = next((q for q in paras[k + 1 : k + 4] if _has_date(q)), None)
        if nxt is None:
            reasons.append("no paragraph with a date follows within three paragraphs")
        elif not looks_like_dateline(nxt, profile):
            shape = (f"matches none of the 'dateline' patterns" if profile.dateline
                     else "is not read as a date line (too long, or the date is not at the start)")
            reasons.append(f"the paragraph with a date after it, line {nxt.start} {_show(nxt)}, {shape}")
    fix = ("Add a 'headings' pattern that matches this line, e.g. " + _suggest(para.bare)
           + (", or a 'dateline' pattern for its date line" if dated else "")
           + "; then check with `teikit segment SOURCE --report`.")
    if any(r.startswith(("its level", "'not_heading", "it matches a")) for r in reasons):
        fix = "Change the key named above so that it does not exclude this line; then check with `teikit segment SOURCE --report`."
    return (f"No document heading found in {source}. The first likely heading is line {para.start} ({where}) "
            f"{_show(para)}, but no rule opens a document there: {'; '.join(reasons)}. {fix}")

