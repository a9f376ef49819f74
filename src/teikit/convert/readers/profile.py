"""Reader profiles: the printed conventions of one compilation, as data.

A profile is a mapping of named regular expressions (and a few word lists) kept in the
corpus configuration (`corpus/source/corpus.json`, key `reader`, checked by
schema/corpus.schema.json) and documented in docs/reader-profile.md. The defaults below
are neutral: they hold no convention of any one compilation, so a key a profile leaves
out recognises nothing rather than something of the bundled corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from teikit.convert import marks
from teikit.convert.archive import ArchiveVocabulary
from teikit.convert.dates import DateConventions
from teikit.convert.marks import Mark
from teikit.core.errors import ConfigError

#: a pattern that never matches (a key switched off)
NEVER = r"(?!)"

DEFAULT_PROFILE: dict = {
    # the heading that opens the table of contents
    "toc_start": r"^\W*(?:table\s+of\s+)?contents\W*$",
    # the page mark that closes a table-of-contents entry; group "page" is the number
    "toc_page": r"(?:\s*(?:\.{3,}|…+)|\s+[-–—])\s*(?P<page>\d+)\s*$",
    # words that open a document heading (after an optional date and `heading_lead`)
    "heading_types": [],
    # what may stand before the type word in a heading
    "heading_lead": "",
    # paragraphs that look like headings but never open a document
    "not_heading": [],
    # a line that divides sections of the compilation and is kept with the next document
    "section_divider": NEVER,
    # where the back matter begins
    "back_matter_start": NEVER,
    # the longest a heading may be (characters, markup removed)
    "max_heading_chars": 420,
    # how dates are printed: month names, orders of day, month and year (teikit.convert.dates)
    "dates": {},
    # classification and priority marks as printed (teikit.convert.marks): id, label, pattern
    "classification": [],
    # vocabulary of archival references and publication notes (teikit.convert.archive)
    "archive": {},
}

#: keys holding one regular expression, and the named groups each must define
_PATTERN_KEYS = {"toc_start": (), "toc_page": ("page",), "section_divider": (),
                 "back_matter_start": ()}
_PATTERN_LIST_KEYS = ("not_heading",)


def compile_key(key: str, pattern: str, source: str, flags: int = re.I, groups: tuple[str, ...] = ()) -> re.Pattern:
    """Compile one profile pattern; a ConfigError naming the key, the file and the fix."""
    where = f"reader profile key {key!r} in {source}"
    if not isinstance(pattern, str):
        raise ConfigError(f"The {where} must be a regular expression (a JSON string), not {pattern!r}.")
    try:
        rx = re.compile(pattern, flags)
    except re.error as err:
        raise ConfigError(
            f"The {where} is not a valid regular expression: {err.msg} at position {err.pos} of {pattern!r}. "
            f"Fix the pattern (Python `re` syntax; in JSON a backslash is written twice, `\\\\d`)."
        ) from None
    missing = [g for g in groups if g not in rx.groupindex]
    if missing:
        raise ConfigError(
            f"The {where} has no named group {', '.join(repr(g) for g in missing)}: {pattern!r}. "
            f"Mark the part to read with (?P<{missing[0]}>…), e.g. {_GROUP_EXAMPLES.get(missing[0], '(?P<name>…)')}."
        )
    return rx


def _date_conventions(data: dict, source: str) -> DateConventions:
    conv = DateConventions.from_dict(data)
    try:
        conv.month_pattern  # compiles the patterns: checks the month names and the orders
    except ValueError as err:
        raise ConfigError(f"The reader profile key 'dates' in {source} is not usable: {err}. "
                          f"See docs/reader-profile.md.") from None
    return conv


_GROUP_EXAMPLES = {"page": r'"\\.{3,}\\s*(?P<page>\\d+)\\s*$"'}


@dataclass
class ReaderProfile:
    toc_start: re.Pattern
    toc_page: re.Pattern
    heading_types: tuple[str, ...]
    heading_lead: str
    not_heading: tuple[re.Pattern, ...]
    section_divider: re.Pattern
    back_matter_start: re.Pattern
    max_heading_chars: int
    dates: DateConventions = DateConventions()
    classification: tuple[Mark, ...] = ()
    archive: ArchiveVocabulary = ArchiveVocabulary()
    heading_start: re.Pattern = field(init=False)

    def __post_init__(self):
        types = "|".join(sorted(map(re.escape, self.heading_types), key=len, reverse=True)) or NEVER
        self.heading_start = re.compile(rf"^{self.heading_lead}(?:{types})\b", re.I)

    @classmethod
    def from_dict(cls, data: dict | None = None, source: str = "the corpus configuration") -> "ReaderProfile":
        """The profile of `data` (the `reader` object of a corpus configuration) over the
        neutral defaults. `source` names the file in error messages."""
        merged = {**DEFAULT_PROFILE, **(data or {})}
        unknown = set(merged) - {f.name for f in fields(cls) if f.init}
        if unknown:
            raise ConfigError(
                f"Unknown reader profile key(s) {sorted(unknown)!r} in {source}. "
                f"Allowed keys: {sorted(DEFAULT_PROFILE)} (see docs/reader-profile.md)."
            )
        compiled = {k: compile_key(k, merged[k], source, re.I | re.M if k.startswith("toc") else re.I, g)
                    for k, g in _PATTERN_KEYS.items()}
        for k in _PATTERN_LIST_KEYS:
            compiled[k] = tuple(compile_key(f"{k}[{i}]", p, source) for i, p in enumerate(merged[k]))
        compile_key("heading_lead", merged["heading_lead"], source)
        try:
            return cls(
                heading_types=tuple(merged["heading_types"]),
                heading_lead=merged["heading_lead"],
                max_heading_chars=int(merged["max_heading_chars"]),
                dates=_date_conventions(merged["dates"], source),
                archive=ArchiveVocabulary.from_dict(merged["archive"]),
                classification=marks.from_profile(merged["classification"],
                                                  lambda key, pattern: compile_key(key, pattern, source)),
                **compiled,
            )
        except re.error as err:
            raise ConfigError(
                f"The reader profile keys 'heading_lead' and 'heading_types' in {source} do not combine "
                f"into a valid pattern ({err.msg}). Check that 'heading_lead' is a complete expression "
                f"(balanced parentheses)."
            ) from None
