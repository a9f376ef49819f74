"""Registry entries (persons, places, organisations), their roles, and the name key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

PREFIXES = {"pers": "persons.xml#", "place": "places.xml#", "org": "orgs.xml#"}
FILES = {"persons": "persons.json", "places": "places.json", "orgs": "orgs.json"}
PREFIX_OF_KIND = {"persons": "pers", "places": "place", "orgs": "org"}

AUTHORITY_URIS = {
    "wikidata": ("wikidata", "https://www.wikidata.org/entity/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
    "geonames": ("geonames", "https://www.geonames.org/{}"),
}


_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Fold case, diacritics and punctuation: "G.V. Chicherin's" -> "g v chicherin s"."""
    if not text.isascii():  # ASCII is its own NFKD form and has no combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.replace("ı", "i")
    return " ".join(_TOKEN.findall(text.lower()))


def fold(text: str) -> str:
    """`text` with diacritics removed letter by letter, keeping its length (and so every
    offset): "Atatürk" -> "Ataturk"; a letter that does not fold to one letter stays."""
    if text.isascii():
        return text
    table = _FOLDED
    for c in set(text):
        if ord(c) not in table and not c.isascii():
            base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
            table[ord(c)] = _FOLD_EXTRA.get(c, base if len(base) == 1 else c)
    return text.translate(table)


_FOLDED: dict[int, str] = {}  # a non-ASCII letter -> what it folds to (filled as letters are met)
_FOLD_EXTRA = {"ı": "i"}


def date_bounds(iso: str | None, end: bool) -> str | None:
    """"1940" -> "1940-01-01" (or "1940-12-31" when end) so that ranges compare as strings."""
    if not iso:
        return None
    parts = iso.split("-")
    if len(parts) == 1:
        return f"{iso}-12-31" if end else f"{iso}-01-01"
    if len(parts) == 2:
        return f"{iso}-31" if end else f"{iso}-01"
    return iso


def overlaps(date: str, start: str | None, stop: str | None) -> bool:
    """True when the date (YYYY[-MM[-DD]]) overlaps the span start..stop (open ends allowed)."""
    lo, hi = date_bounds(date, False), date_bounds(date, True)
    return lo <= (date_bounds(stop, True) or "9999") and hi >= (date_bounds(start, False) or "0000")


@dataclass(frozen=True)
class Role:
    role: str
    office: str
    of: str | None = None
    in_: str | None = None
    from_: str | None = None
    to: str | None = None
    note: str | None = None

    def covers(self, date: str) -> bool:
        """True when the date (YYYY[-MM[-DD]]) overlaps the term of office."""
        return overlaps(date, self.from_, self.to)


@dataclass(frozen=True)
class Entry:
    """One person, place or organisation of the registry."""

    kind: str  # "persons" | "places" | "orgs"
    id: str
    name: str
    variants: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    surname: str | None = None
    roles: tuple[Role, ...] = ()
    type: str | None = None
    country: str | None = None
    adjectives: tuple[str, ...] = ()
    birth: str | None = None
    death: str | None = None
    from_: str | None = None
    to: str | None = None
    note: str | None = None
    authority: tuple[tuple[str, str], ...] = ()  # (scheme, id) in AUTHORITY_URIS order
    successor: str | None = None  # an org's id that takes over after `to`
    geo: dict | None = None  # a place's coordinates: {"lat", "lon", "source", "geonames"?, "by"?}
    lower_case: tuple[tuple[str, str | None, str | None], ...] = ()  # (form, from, to): lowerCaseNames

    @property
    def ref(self) -> str:
        """Prefixed reference used by the documents: "pers:chicherin"."""
        return f"{PREFIX_OF_KIND[self.kind]}:{self.id}"

    def exists_on(self, date: str | None) -> bool:
        """False only when the entry has dates and `date` lies wholly outside them."""
        if not date or not (self.from_ or self.to):
            return True
        return overlaps(date, self.from_, self.to)


def entry_from_json(kind: str, raw: dict) -> Entry:
    roles = tuple(
        Role(r["role"], r["office"], r.get("of"), r.get("in"), r.get("from"), r.get("to"), r.get("note"))
        for r in raw.get("roles", ())
    )
    authority = tuple((k, raw[k]) for k in AUTHORITY_URIS if k in raw)
    return Entry(
        kind=kind, id=raw["id"], name=raw["name"], variants=tuple(raw["variants"]),
        ambiguous=tuple(raw.get("ambiguousVariants", ())), surname=raw.get("surname"),
        roles=roles, type=raw.get("type"), country=raw.get("country"),
        adjectives=tuple(raw.get("adjectives", ())), birth=raw.get("birth"),
        death=raw.get("death"), from_=raw.get("from"), to=raw.get("to"),
        note=raw.get("note"), authority=authority, successor=raw.get("successor"),
        lower_case=tuple((lc["form"], lc.get("from"), lc.get("to")) for lc in raw.get("lowerCaseNames", ())),
        geo=raw.get("geo"),
    )
