"""The Registry: persons, places and organisations with lookup by printed name, role and date."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from teikit.convert.registry import load, matching, roles, scan
from teikit.convert.registry.entries import FILES, Entry, norm
from teikit.convert.registry.vocabulary import Vocabulary


class Registry:
    """Persons, places and organisations with lookup by printed name, role and date."""

    def __init__(self, persons=(), places=(), orgs=(), vocab: Vocabulary | None = None):
        self.persons: dict[str, Entry] = {e.id: e for e in persons}
        self.places: dict[str, Entry] = {e.id: e for e in places}
        self.orgs: dict[str, Entry] = {e.id: e for e in orgs}
        self.vocab = vocab or Vocabulary()
        self._index = {k: matching.build_index(getattr(self, k)) for k in FILES}

    @classmethod
    def load(cls, folder: Path, schema_path: Path, *, files) -> Registry:
        """Read and validate the registry files of `folder` through `files` (a
        teikit.core.files.Files) against the JSON Schema at `schema_path`; ConfigError on any
        problem. On disk, with teikit's schema: teikit.projectinputs.read_registry(folder)."""
        kinds, vocab = load.read_folder(files, folder, schema_path)
        reg = cls(kinds["persons"], kinds["places"], kinds["orgs"], vocab)
        load.check_refs(folder, reg)
        return reg

    # ---------------------------------------------------------------- derived tables
    @cached_property
    def surnames(self) -> dict[str, Entry | None]:
        """Surname key -> entry; None when two persons share the surname."""
        out: dict[str, Entry | None] = {}
        for e in self.persons.values():
            if e.surname:
                key = norm(e.surname)
                out[key] = None if key in out and out[key] is not e else e
        return out

    @cached_property
    def country_words(self) -> list[tuple[str, str]]:
        """(normalised name/variant/adjective, place id) of countries, longest first."""
        pairs = []
        for e in self.places.values():
            if e.type == "country":
                for v in (e.name, *e.variants, *e.adjectives):
                    pairs.append((norm(v), e.id))
        return sorted(set(pairs), key=lambda p: -len(p[0]))

    @cached_property
    def memo(self) -> dict[str, dict]:
        """Answers of pure lookups on this registry, by lookup ("scanned name", "variant
        form"): the registry is not changed after loading, so an answer holds."""
        return {}

    @cached_property
    def person_refs(self) -> tuple[tuple[str, Entry], ...]:
        """(prefixed reference, person) of every person, in the registry's order."""
        return tuple((e.ref, e) for e in self.persons.values())

    @cached_property
    def country_word_set(self) -> frozenset[str]:
        """The normalised words of `country_words`, for membership."""
        return frozenset(w for w, _ in self.country_words)

    @cached_property
    def scanner(self):
        return scan.build_scanner(self)

    def prepare(self) -> "Registry":
        """Every derived table computed now (each a pure function of the registry as loaded),
        so that worker processes forked after share them rather than each make its own;
        the name scanner compiled (one handed over pickled is not: scan.Scanner.ready)."""
        for name, attr in vars(type(self)).items():
            if isinstance(attr, cached_property):
                getattr(self, name)
        self.scanner[0].ready()
        return self

    # ---------------------------------------------------------------- lookups
    def get(self, ref: str) -> Entry | None:
        """Entry for a prefixed reference ("pers:molotov") or None."""
        prefix, _, key = ref.partition(":")
        table = {"pers": self.persons, "place": self.places, "org": self.orgs}.get(prefix)
        return table.get(key) if table else None

    def match_person(self, text: str, *, date: str | None = None) -> Entry | None:
        """Resolve a printed name ("comrade Molotov", "Vinogradova", "A. Iden") to a person."""
        index = self._index["persons"]
        keys = matching.name_keys(text, self.vocab)
        for key in keys:
            if key in index:
                return index[key]
            hit = self.surnames.get(key)
            if hit is not None:
                return hit
        for key in keys:
            last = key.split()[-1] if key else ""
            for cand in matching.stems(last, self.vocab):
                hit = index.get(cand) or self.surnames.get(cand)
                if hit is not None:
                    return hit
        return None

    def match_place(self, text: str) -> Entry | None:
        """Resolve a printed place name ("Angora", "Moscow (Kremlin)") to a place."""
        return matching.match_simple(self._index["places"], text)

    def match_org(self, text: str, date: str | None = None) -> Entry | None:
        """Resolve a printed organisation name ("NKID of the USSR") to an organisation; with
        `date`, the one that existed then (its predecessor or successor)."""
        hit = matching.match_simple(self._index["orgs"], text)
        return self.in_date(hit, date) if hit is not None else None

    def in_date(self, entry: Entry, date: str | None) -> Entry:
        """The entry, or its predecessor or successor when `date` is outside its dates."""
        return scan.in_date(self, entry, date)

    def match_person_by_role(self, role_text: str, date: str) -> Entry | None:
        """The holder of the office described by `role_text` on `date`, when exactly one."""
        return roles.holder(self, role_text, date)

    def parse_role(self, role_text: str) -> tuple[str | None, str | None, str | None]:
        """(office, state served, host state) read from a printed role, e.g.
        "plenipotentiary representative of the USSR in Turkey" -> ("head-of-mission", "ussr", "turkey")."""
        return roles.parse_role(self, role_text)

    # ---------------------------------------------------------------- scanning
    def find_names(self, text: str, date: str | None = None) -> list[tuple[int, int, Entry]]:
        """Known names in `text` as (start, end, entry), left to right (see scan.find_names);
        with `date`, an entry outside its dates gives way to its predecessor or successor."""
        return scan.find_names(self, text, date)

    @cached_property
    def _single_words(self) -> dict[str, Entry | None]:
        """One-word variants and surnames of persons and places (None: claimed twice)."""
        out: dict[str, Entry | None] = {}
        for kind in ("persons", "places"):
            for e in getattr(self, kind).values():
                for v in (e.name, *e.variants, *((e.surname,) if e.surname else ())):
                    key = norm(v)
                    if key and " " not in key and not v.endswith(("'s", "’s")):
                        out[key] = None if key in out and out[key] is not e else e
        return out

    def single_word(self, key: str) -> Entry | None:
        """A one-word name read without a case ending or with a transliteration pair
        exchanged (`molotovym` -> Molotov, `gitler` -> Hitler)."""
        words = self._single_words
        forms = [key]
        for a, b in self.vocab.transliteration:
            for x, y in ((a, b), (b, a)):
                if x in key:
                    forms.append(key.replace(x, y))
        for form in forms:
            for cand in ([form] if form != key else []) + matching.stems(form, self.vocab):
                hit = words.get(cand)
                if hit is not None:
                    return hit
        return None

    @cached_property
    def fuzzy_surnames(self) -> dict[str, dict[str, Entry]]:
        """First letter -> {surname key: person} of unambiguous surnames (five letters or more)."""
        out: dict[str, dict[str, Entry]] = {}
        for key, e in self.surnames.items():
            if e is not None and len(key) >= 5 and " " not in key:
                out.setdefault(key[0], {})[key] = e
        return out

    def unmatched_candidates(self, text: str) -> list[str]:
        """Capitalised name-like words inside sentences that match no entry."""
        return scan.unmatched_candidates(self, text)

    def is_known_word(self, key: str) -> bool:
        """A normalised word that names an entry, or a country (name, variant, adjective)."""
        return any(key in self._index[k] for k in FILES) or key in self.country_word_set

    def is_stop_word(self, key: str) -> bool:
        return key in self.vocab.stop_words

    def entries(self, kind: str) -> list[Entry]:
        return list(getattr(self, kind).values())
