"""The words the registry's general rules read, as data (`vocabulary.json` beside the registry).

Titles before names, case endings that a translation leaves on surnames, transliterated
initials, the controlled list of offices (with the patterns that recognise them in a
printed role), states that count as one polity, stop words, and the words that make a
place name part of another name. A registry without the file gets neutral vocabularies:
nothing is stripped, recognised or blocked that the data does not name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teikit.core import jsonfile
from teikit.core.errors import ConfigError

FILE = "vocabulary.json"


@dataclass(frozen=True)
class Office:
    id: str
    label: str
    pattern: re.Pattern | None = None


@dataclass(frozen=True)
class Vocabulary:
    titles: frozenset[str] = frozenset()
    case_endings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # longest ending first
    two_letter_initials: tuple[str, ...] = ()
    transliteration: tuple[tuple[str, str], ...] = ()
    role_replacements: tuple[tuple[str, str], ...] = ()
    offices: tuple[Office, ...] = ()
    office_families: dict = field(default_factory=dict)
    posted_offices: frozenset[str] = frozenset()
    polity_groups: tuple[frozenset[str], ...] = ()
    stop_words: frozenset[str] = frozenset()
    name_blockers: frozenset[str] = frozenset()
    courtesy_formulas: tuple[str, ...] = ()
    salutations: tuple[str, ...] = ()
    article_words: tuple[str, ...] = ()
    fuzzy_threshold: float | None = None
    compound_tails: tuple[str, ...] = ()
    document_fuzzy_threshold: float | None = None

    @property
    def office_ids(self) -> set[str]:
        return {o.id for o in self.offices}

    def office_of(self, normalised_role: str) -> str | None:
        """The first office whose pattern matches a normalised printed role (` … ` padded)."""
        text = normalised_role
        for old, new in self.role_replacements:
            text = text.replace(old, new)
        for o in self.offices:
            m = o.pattern.search(text) if o.pattern is not None else None
            # the office is the head of the role, never a word of its complement: in
            # "representative of the people's commissariat of foreign affairs" the office
            # is "representative", not the commissar the commissariat stands for
            if m and " of " not in text[: m.start() + 1]:
                return o.id
        return None

    def same_polity(self, a: str, b: str) -> bool:
        return a == b or any(a in g and b in g for g in self.polity_groups)


def from_json(data: dict) -> Vocabulary:
    ends = sorted(data.get("caseEndings", {}).items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return Vocabulary(
        titles=frozenset(data.get("titles", ())),
        case_endings=tuple((e, tuple(s)) for e, s in ends),
        two_letter_initials=tuple(data.get("twoLetterInitials", ())),
        transliteration=tuple(tuple(p) for p in data.get("transliteration", ())),
        role_replacements=tuple(tuple(p) for p in data.get("roleReplacements", ())),
        offices=tuple(Office(o["id"], o["label"], re.compile(o["pattern"]) if o.get("pattern") else None)
                      for o in data.get("offices", ())),
        office_families=dict(data.get("officeFamilies", {})),
        posted_offices=frozenset(data.get("postedOffices", ())),
        polity_groups=tuple(frozenset(g) for g in data.get("polityGroups", ())),
        stop_words=frozenset(data.get("stopWords", ())),
        name_blockers=frozenset(data.get("nameBlockers", ())),
        courtesy_formulas=tuple(data.get("courtesyFormulas", ())),
        salutations=tuple(data.get("salutations", ())),
        article_words=tuple(data.get("articleWords", ())),
        fuzzy_threshold=data.get("fuzzyThreshold"),
        compound_tails=tuple(sorted(data.get("compoundTails", ()), key=lambda t: (-len(t), t))),
        document_fuzzy_threshold=data.get("documentFuzzyThreshold"),
    )


def parse(text: str | None, name: str, schema: dict) -> Vocabulary:
    """The vocabulary in `text` (the contents of the registry folder's vocabulary.json, named
    `name` in messages), checked against `schema`; neutral when there is no file (None)."""
    if text is None:
        return Vocabulary()
    data = jsonfile.load_checked(text, schema, name, "Vocabulary file",
                                 "Fix the value to match the schema", "vocabulary.schema.json")
    for i, o in enumerate(data.get("offices", ())):
        try:
            re.compile(o.get("pattern") or "")
        except re.error as exc:
            raise ConfigError(f"Vocabulary file {name!r} at $.offices[{i}].pattern: {exc}. "
                              f"Write a valid regular expression.") from exc
    return from_json(data)
