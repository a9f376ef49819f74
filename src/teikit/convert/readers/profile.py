"""Reader profiles: the printed conventions of one compilation, as data.

A profile is a mapping of named regular expressions (and a few word lists) kept in the
corpus configuration (`corpus/source/corpus.json`, key `reader`, checked by
schema/corpus.schema.json) and documented in docs/reader-profile.md. The defaults below
are neutral: they hold no convention of any one compilation, so a key a profile leaves
out recognises nothing rather than something of the bundled corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields

from teikit.convert import marks
from teikit.convert.archive import ArchiveVocabulary
from teikit.convert.dates import DateConventions
from teikit.convert.marks import Mark
from teikit.core.errors import ConfigError

#: characters that make a heading_types entry a pattern rather than a word
_PATTERN_CHARS = re.compile(r"[\[\]()?*+|\\{}^$]")

#: a pattern that never matches (a key switched off)
NEVER = r"(?!)"

DEFAULT_PROFILE: dict = {
    # -- the contents ----------------------------------------------------------------------
    # the heading(s) that open a table of contents or list of papers (one pattern or a list)
    "toc_start": r"^\W*(?:table\s+of\s+)?contents\W*$",
    # the page mark that closes a table-of-contents entry; group "page" is the number
    "toc_page": r"(?:\s*(?:\.{3,}|…+)|\s+[-–—])\s*(?P<page>\d+)\s*$",
    # an entry that repeats the correspondents of the entry before ("Same to same")
    "toc_ditto": NEVER,
    # an entry printed without a page is on the page of the entry before
    "toc_page_repeats": False,
    # -- headings --------------------------------------------------------------------------
    # words that open a document heading (after an optional date and `heading_lead`)
    "heading_types": [],
    # what may stand before the type word in a heading
    "heading_lead": "",
    # whole heading forms: a bold or `#` paragraph matching one opens a document; optional
    # groups: number, type, sender, addressee
    "headings": [],
    # "X to Y" in a heading (groups sender, addressee), for headings the forms above leave open
    "correspondents": [],
    # teikit's built-in English heading phrases ("Telegram of X to Y", "Record of conversation
    # with …", "X's speech at …") also name senders, addressees and parties; off: only the
    # profile's own `headings` / `correspondents` groups and the signatures do
    "heading_phrases": False,
    # paragraphs that look like headings but never open a document
    "not_heading": [],
    # markdown heading levels and what they are here: chapter, subchapter, part (structure
    # above the documents, never documents), document, article (a heading inside a text),
    # title (front matter)
    "levels": {},
    # lines printed above a heading that belong to its document (name -> pattern):
    # file (idno type=file), number, editorial (note type=editorial), classification
    "before_heading": {},
    # lines printed between the heading and the date line, same names; kept, never merged
    # into the title
    "after_heading": {},
    # the shape of a date line (patterns; groups place, date, time); empty: any short
    # paragraph that is mostly a date
    "dateline": [],
    # running heads printed at page breaks (group page, optional): written as pb and fw
    "running_head": [],
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
    # -- types -----------------------------------------------------------------------------
    # heading words -> type (ordered object; the word found first in the heading decides)
    "types": {},
    # type -> pattern searched, in order, in the heading and the lines printed with it (file
    # number, bracketed lines, date line) when no heading word names a type
    "type_cues": {},
    # the type of an "X to Y" heading that names none (null: "other")
    "correspondence_type": None,
    # -- text ------------------------------------------------------------------------------
    # square brackets: "as-printed" (kept as text) or "supplied" (restorations, <supplied>)
    "brackets": "as-printed",
}

#: what a line around a heading may be (before_heading / after_heading names)
LINE_KINDS = ("file", "number", "editorial", "classification", "distribution")
#: what a markdown heading level may be
LEVEL_ROLES = ("chapter", "subchapter", "part", "document", "article", "title")
_STRUCTURE = ("chapter", "subchapter", "part", "title")


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


_GROUP_EXAMPLES = {"page": r'"\\.{3,}\\s*(?P<page>\\d+)\\s*$"',
                   "sender": r'"^(?P<sender>.+?)\\s+to\\s+(?P<addressee>.+)$"',
                   "addressee": r'"^(?P<sender>.+?)\\s+to\\s+(?P<addressee>.+)$"'}


def _patterns(key: str, value, source: str, flags: int = re.I, groups=()) -> tuple[re.Pattern, ...]:
    values = [value] if isinstance(value, str) else list(value)
    if len(values) == 1:
        return (compile_key(key, values[0], source, flags, groups),)
    return tuple(compile_key(f"{key}[{i}]", p, source, flags, groups) for i, p in enumerate(values))


def _flag(key: str, value, source: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"The reader profile key {key!r} in {source} must be true or false, not {value!r}.")
    return value


def _named(key: str, value: dict, source: str, allowed: tuple[str, ...] | None = None) -> tuple[tuple[str, re.Pattern], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"The reader profile key {key!r} in {source} must be an object of name: pattern.")
    out = []
    for name, pattern in value.items():
        if allowed is not None and name not in allowed:
            raise ConfigError(f"The reader profile key {key!r} in {source} names {name!r}; "
                              f"the names are {', '.join(allowed)}.")
        out.append((name, compile_key(f"{key}.{name}", pattern, source)))
    return tuple(out)


@dataclass
class ReaderProfile:
    toc_start: tuple[re.Pattern, ...]
    toc_page: re.Pattern
    toc_ditto: re.Pattern
    toc_page_repeats: bool
    heading_types: tuple[str, ...]
    heading_lead: str
    headings: tuple[re.Pattern, ...]
    correspondents: tuple[re.Pattern, ...]
    heading_phrases: bool
    not_heading: tuple[re.Pattern, ...]
    levels: dict[int, str]
    before_heading: tuple[tuple[str, re.Pattern], ...]
    after_heading: tuple[tuple[str, re.Pattern], ...]
    dateline: tuple[re.Pattern, ...]
    running_head: tuple[re.Pattern, ...]
    section_divider: re.Pattern
    back_matter_start: re.Pattern
    max_heading_chars: int
    types: tuple[tuple[str, re.Pattern], ...]
    type_cues: tuple[tuple[str, re.Pattern], ...]
    correspondence_type: str | None
    brackets: str
    dates: DateConventions = DateConventions()
    classification: tuple[Mark, ...] = ()
    archive: ArchiveVocabulary = ArchiveVocabulary()
    heading_start: re.Pattern = field(init=False)
    #: how often each declared pattern matched during a read (`hit`, `unused`)
    used: Counter = field(init=False, default_factory=Counter, compare=False, repr=False)

    def __post_init__(self):
        # a word is matched literally; an entry with pattern characters (`proc[eè]s-verbal`) as a pattern
        words = [w if _PATTERN_CHARS.search(w) else re.escape(w) for w in self.heading_types]
        types = "|".join(sorted(words, key=len, reverse=True)) or NEVER
        self.heading_start = re.compile(rf"^{self.heading_lead}(?:{types})\b", re.I)

    # -- questions the reader asks --------------------------------------------------------
    def level_role(self, level: int) -> str | None:
        return self.levels.get(level) if level else None

    def is_structure(self, level: int) -> bool:
        return self.level_role(level) in _STRUCTURE

    def line_kind(self, text: str, where: str) -> str | None:
        """The name of the before_heading / after_heading pattern `text` matches, or None."""
        for name, rx in (self.before_heading if where == "before" else self.after_heading):
            if rx.search(text):
                self.used[f"{where}_heading.{name}"] += 1
                return name
        return None

    def _first(self, key: str, patterns: tuple[re.Pattern, ...], text: str) -> re.Match | None:
        for i, rx in enumerate(patterns):
            m = rx.search(text)
            if m:
                self.used[key if len(patterns) == 1 else f"{key}[{i}]"] += 1
                return m
        return None

    def is_running_head(self, text: str) -> re.Match | None:
        return self._first("running_head", self.running_head, text)

    def heading_form(self, text: str) -> re.Match | None:
        return self._first("headings", self.headings, text)

    def is_dateline(self, text: str) -> bool:
        return self._first("dateline", self.dateline, text) is not None

    def hit(self, key: str, matched) -> bool:
        """Count a match of the pattern `key` (keys checked outside this class)."""
        if matched:
            self.used[key] += 1
        return bool(matched)

    def unused(self) -> list[str]:
        """The patterns the profile declares that matched nothing in the last read: a
        pattern of the layout that silently never applies is nearly always a wrong one (the
        type words and cues, a vocabulary, may just not occur: see `unused_types`)."""
        declared: list[str] = []
        for key in ("headings", "correspondents", "dateline", "running_head"):
            n = len(getattr(self, key))
            declared += [key] if n == 1 else [f"{key}[{i}]" for i in range(n)]
        declared += [f"before_heading.{n}" for n, _ in self.before_heading]
        declared += [f"after_heading.{n}" for n, _ in self.after_heading]
        for key in ("toc_ditto", "section_divider", "back_matter_start"):
            if getattr(self, key).pattern != NEVER:
                declared.append(key)
        return [k for k in declared if not self.used[k]]

    def unused_types(self) -> list[str]:
        """The type words and cues that matched no heading or line in the last read."""
        declared = [f"types.{n}" for n, _ in self.types] + [f"type_cues.{n}" for n, _ in self.type_cues]
        return [k for k in declared if not self.used[k]]

    def split_correspondents(self, text: str) -> tuple[str, str] | None:
        """(sender, addressee) as printed in an "X to Y" heading, or None."""
        m = self.heading_form(text)
        if m and {"sender", "addressee"} <= set(m.groupdict()) and m.group("sender") and m.group("addressee"):
            return m.group("sender").strip(" ,.;:"), m.group("addressee").strip(" ,.;:")
        if m and m.groupdict().get("number"):
            text = (text[: m.start("number")] + text[m.end("number"):]).lstrip(" .:)-–—")
        for i, rx in enumerate(self.correspondents):
            m = rx.search(text)
            if m and m.group("sender") and m.group("addressee"):
                self.used["correspondents" if len(self.correspondents) == 1 else f"correspondents[{i}]"] += 1
                return m.group("sender").strip(" ,.;:"), m.group("addressee").strip(" ,.;:")
        return None

    def type_of(self, heading: str, lines: list[str]) -> tuple[str | None, str]:
        """(type, why) from the heading words, else the cues of the heading and its lines."""
        form = self.heading_form(heading)
        if form and form.groupdict().get("type"):
            for name, rx in self.types:
                if rx.search(form.group("type")):
                    self.used[f"types.{name}"] += 1
                    return name, "heading word"
        if form and form.groupdict().get("number"):  # `12. Memorandum by …`: the words after the number
            heading = (heading[: form.start("number")] + heading[form.end("number"):]).lstrip(" .:)-–—")
        best = None
        for order, (name, rx) in enumerate(self.types):
            m = rx.search(heading)
            if m:
                self.used[f"types.{name}"] += 1  # it matched, whether or not it decides
            if m and (best is None or (m.start(), order) < best[0]):
                best = ((m.start(), order), name)
        if best:
            return best[1], "heading word"
        cue = None
        for name, rx in self.type_cues:
            if any(rx.search(t) for t in [heading, *lines]):
                self.used[f"type_cues.{name}"] += 1
                cue = cue or name
        if cue:
            return cue, "cue"
        if self.correspondence_type and self.split_correspondents(heading):
            return self.correspondence_type, "correspondents"
        return None, ""

    @property
    def declared_types(self) -> set[str]:
        out = {n for n, _ in self.types} | {n for n, _ in self.type_cues}
        if self.correspondence_type:
            out.add(self.correspondence_type)
        return out

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
        levels = {}
        for key, role in (merged["levels"] or {}).items():
            if not str(key).isdigit() or not 1 <= int(key) <= 6 or role not in LEVEL_ROLES:
                raise ConfigError(f"The reader profile key 'levels' in {source} maps {key!r} to {role!r}; "
                                  f"keys are markdown levels 1-6, values one of {', '.join(LEVEL_ROLES)}.")
            levels[int(key)] = role
        if merged["brackets"] not in ("as-printed", "supplied"):
            raise ConfigError(f"The reader profile key 'brackets' in {source} is {merged['brackets']!r}; "
                              f"use \"as-printed\" or \"supplied\".")
        compile_key("heading_lead", merged["heading_lead"], source)
        for i, word in enumerate(merged["heading_types"]):
            if _PATTERN_CHARS.search(word):
                compile_key(f"heading_types[{i}]", word, source)
        corr = _patterns("correspondents", merged["correspondents"], source, groups=("sender", "addressee")) \
            if merged["correspondents"] else ()
        try:
            return cls(
                toc_start=_patterns("toc_start", merged["toc_start"], source, re.I | re.M),
                toc_page=compile_key("toc_page", merged["toc_page"], source, re.I | re.M, ("page",)),
                toc_ditto=compile_key("toc_ditto", merged["toc_ditto"], source),
                toc_page_repeats=_flag("toc_page_repeats", merged["toc_page_repeats"], source),
                heading_types=tuple(merged["heading_types"]),
                heading_lead=merged["heading_lead"],
                headings=_patterns("headings", merged["headings"], source) if merged["headings"] else (),
                correspondents=corr,
                heading_phrases=_flag("heading_phrases", merged["heading_phrases"], source),
                not_heading=tuple(compile_key(f"not_heading[{i}]", p, source) for i, p in enumerate(merged["not_heading"])),
                levels=levels,
                before_heading=_named("before_heading", merged["before_heading"], source, LINE_KINDS),
                after_heading=_named("after_heading", merged["after_heading"], source, LINE_KINDS),
                dateline=_patterns("dateline", merged["dateline"], source) if merged["dateline"] else (),
                running_head=_patterns("running_head", merged["running_head"], source) if merged["running_head"] else (),
                section_divider=compile_key("section_divider", merged["section_divider"], source),
                back_matter_start=compile_key("back_matter_start", merged["back_matter_start"], source),
                max_heading_chars=int(merged["max_heading_chars"]),
                types=_named("types", merged["types"], source),
                type_cues=_named("type_cues", merged["type_cues"], source),
                correspondence_type=merged["correspondence_type"],
                brackets=merged["brackets"],
                dates=_date_conventions(merged["dates"], source),
                archive=ArchiveVocabulary.from_dict(merged["archive"]),
                classification=marks.from_profile(merged["classification"],
                                                  lambda key, pattern: compile_key(key, pattern, source)),
            )
        except re.error as err:
            raise ConfigError(
                f"The reader profile keys 'heading_lead' and 'heading_types' in {source} do not combine "
                f"into a valid pattern ({err.msg}). Check that 'heading_lead' is a complete expression "
                f"(balanced parentheses)."
            ) from None


def taxonomy_of(config: dict) -> tuple[str, ...]:
    """The document types of a corpus: its configuration's `taxonomy`, else the types its
    reader profile declares (and "other"), else teikit's generic list (model.DOC_TYPES)."""
    from teikit.convert.model import DOC_TYPES

    if config.get("taxonomy"):
        return tuple(config["taxonomy"])
    reader = config.get("reader") or {}
    declared = list(dict.fromkeys([*(reader.get("types") or {}), *(reader.get("type_cues") or {}),
                                   *([reader["correspondence_type"]] if reader.get("correspondence_type") else [])]))
    return tuple(declared + ["other"]) if declared else DOC_TYPES


def check_types(config: dict, source: str) -> None:
    """Every type the profile names is one of the corpus's taxonomy."""
    known = set(taxonomy_of(config))
    reader = config.get("reader") or {}
    for key in ("types", "type_cues"):
        for name in reader.get(key) or {}:
            if name not in known:
                raise ConfigError(f"The reader profile key '{key}.{name}' in {source} names a type that is not in the "
                                  f"corpus taxonomy ({', '.join(sorted(known))}). Add {name!r} to 'taxonomy' or rename it.")
    ct = reader.get("correspondence_type")
    if ct and ct not in known:
        raise ConfigError(f"The reader profile key 'correspondence_type' in {source} is {ct!r}, which is not in the "
                          f"corpus taxonomy ({', '.join(sorted(known))}). Add it to 'taxonomy'.")
