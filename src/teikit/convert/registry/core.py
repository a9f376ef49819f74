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
    def load(cls, folder: Path, schema_path: Path | None = None) -> Registry:
        """Read and validate the registry files of `folder`; ConfigError on any problem."""
        kinds, vocab = load.read_folder(folder, schema_path)
        reg = cls(kinds["persons"], kinds["places"], kinds["orgs"], vocab)
        load.check_refs(Path(folder), reg)
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
    def scanner(self):
        return scan.build_scanner(self)

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

    def match_org(self, text: str) -> Entry | None:
        """Resolve a printed organisation name ("NKID of the USSR") to an organisation."""
        return matching.match_simple(self._index["orgs"], text)

    def match_person_by_role(self, role_text: str, date: str) -> Entry | None:
        """The holder of the office described by `role_text` on `date`, when exactly one."""
        return roles.holder(self, role_text, date)

    def parse_role(self, role_text: str) -> tuple[str | None, str | None, str | None]:
        """(office, state served, host state) read from a printed role, e.g.
        "plenipotentiary representative of the USSR in Turkey" -> ("head-of-mission", "ussr", "turkey")."""
        return roles.parse_role(self, role_text)

    # ---------------------------------------------------------------- scanning
    def find_names(self, text: str) -> list[tuple[int, int, Entry]]:
        """Known names in `text` as (start, end, entry), left to right (see scan.find_names)."""
        return scan.find_names(self, text)

    def unmatched_candidates(self, text: str) -> list[str]:
        """Capitalised name-like words inside sentences that match no entry."""
        return scan.unmatched_candidates(self, text)

    def is_known_word(self, key: str) -> bool:
        """A normalised word that names an entry, or a country (name, variant, adjective)."""
        return any(key in self._index[k] for k in FILES) or key in {w for w, _ in self.country_words}

    def is_stop_word(self, key: str) -> bool:
        return key in self.vocab.stop_words

    def entries(self, kind: str) -> list[Entry]:
        return list(getattr(self, kind).values())
