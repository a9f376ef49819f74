"""Registry of persons, places and organisations, with variant spellings and authority ids.

Data: `data/registry/{persons,places,orgs}.json`, validated against
`schema/registry.schema.json`. Documents point to entries with prefixed references
(`pers:chicherin`, `place:ankara`, `org:nkid-ussr`), declared by `PREFIXES`.

Matching is by a normalised key (case, diacritics and punctuation folded). A printed name
is tried as printed, then without titles ("comrade", "Mr.", "Lord" ...), a possessive
"'s", initials, and finally without a Russian case ending ("Vinogradova" -> "Vinogradov").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from teikit.core import jsonfile, resources
from teikit.core.errors import ConfigError
from teikit.core.names import NSMAP, tei, xml

PREFIXES = {"pers": "persons.xml#", "place": "places.xml#", "org": "orgs.xml#"}
FILES = {"persons": "persons.json", "places": "places.json", "orgs": "orgs.json"}
PREFIX_OF_KIND = {"persons": "pers", "places": "place", "orgs": "org"}
SCHEMA_PATH = resources.schema_dir() / "registry.schema.json"

AUTHORITY_URIS = {
    "wikidata": ("wikidata", "https://www.wikidata.org/entity/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
    "geonames": ("geonames", "https://www.geonames.org/{}"),
}

#: words printed before a name that are not part of it
TITLES = (
    "comrade", "comrades", "cde", "mr", "mrs", "herr", "sir", "lord", "dr", "general",
    "admiral", "marshal", "citizen", "tsar", "king", "the", "ambassador", "minister",
)
#: Russian case endings left on surnames by machine translation, longest first
CASE_ENDINGS = ("ym", "om", "em", "oi", "u", "a", "e", "y")
#: two-letter transliterated initials ("Sh.", "Ya.") and OCR runs ("sl.", "al.", "ca.")
TWO_LETTER_INITIALS = (
    "sh", "ch", "zh", "kh", "ts", "ya", "yu", "ye", "al", "sl", "ca", "ka", "ia", "bs", "ga",
)

_ROLE_OFFICES = (
    # (office key, regex on the normalised role text); first match wins
    ("first-deputy-foreign-minister", r"\bfirst deputy\b.*\b(commiss\w*|minister)\b"),
    ("deputy-foreign-minister", r"\bdeputy\b.*\b(commiss\w*|minister)\b.*\bforeign\b"),
    ("secretary-general-foreign-ministry", r"\bsecretary general\b|\bgeneral secretary of the (ministry|mfa|nkid)"),
    ("foreign-minister", r"\b(commiss\w*|minister)\b.*\bforeign\b|\bforeign minister\b"),
    ("general-secretary", r"\b(general secretary|secretary general)\b.*\b(vkp|cpsu|cc)\b"),
    ("head-of-government", r"\bchairman of the council of (people s commissars|ministers)\b|\bprime minister\b|\breichs?c[ah]n[cz]ler\b"),
    ("interior-minister", r"\b(minister|commiss\w*) of internal affairs\b|\binterior minister\b"),
    ("charge-d-affaires", r"\bcharg\w* d affaires\b|\b(temporary|interim) attorney\b|\battorney\b"),
    ("head-of-mission", r"\bplenipotentiary\b|\bambassador\b|\benvoy\b|\bpolpred\b|\bofficial representative\b"),
    ("counsellor", r"\b(counsel+or|advisor|adviser)\b"),
    ("first-secretary", r"\bfirst secretary\b|\b1st secretary\b"),
    ("head-of-state", r"\bpresident\b|\bchairman of the grand national assembly\b|\btsar\b|\bking\b"),
)


def norm(text: str) -> str:
    """Fold case, diacritics and punctuation: "G.V. Chicherin's" -> "g v chicherin s"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ı", "i").lower()
    return " ".join(re.findall(r"[^\W_]+", text))


def _date_bounds(iso: str | None, end: bool) -> str | None:
    """"1940" -> "1940-01-01" (or "1940-12-31" when end) so that ranges compare as strings."""
    if not iso:
        return None
    parts = iso.split("-")
    if len(parts) == 1:
        return f"{iso}-12-31" if end else f"{iso}-01-01"
    if len(parts) == 2:
        return f"{iso}-31" if end else f"{iso}-01"
    return iso


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
        start, end = _date_bounds(date, False), _date_bounds(date, True)
        lo = _date_bounds(self.from_, False) or "0000"
        hi = _date_bounds(self.to, True) or "9999"
        return start <= hi and end >= lo


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
    geo: dict | None = None  # a place's coordinates: {"lat", "lon", "source", "geonames"?, "by"?}

    @property
    def ref(self) -> str:
        """Prefixed reference used by the documents: "pers:chicherin"."""
        return f"{PREFIX_OF_KIND[self.kind]}:{self.id}"


def _entry(kind: str, raw: dict) -> Entry:
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
        note=raw.get("note"), authority=authority, geo=raw.get("geo"),
    )


def _read_file(path: Path, kind: str, schema: dict) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Registry file {str(path)!r} is missing. Create it with "
                          f'{{"kind": "{kind}", "entries": []}}.') from exc
    data = jsonfile.load_checked(text, schema, str(path), "Registry file",
                                 "Fix the value to match the schema", SCHEMA_PATH.name)
    if data["kind"] != kind:
        raise ConfigError(f"Registry file {str(path)!r} has kind {data['kind']!r} at $.kind, "
                          f"expected {kind!r}. Set \"kind\": \"{kind}\" or rename the file.")
    return [_entry(kind, raw) for raw in data["entries"]]


class Registry:
    """Persons, places and organisations with lookup by printed name, role and date."""

    def __init__(self, persons=(), places=(), orgs=()):
        self.persons: dict[str, Entry] = {e.id: e for e in persons}
        self.places: dict[str, Entry] = {e.id: e for e in places}
        self.orgs: dict[str, Entry] = {e.id: e for e in orgs}
        self._index = {k: self._build_index(getattr(self, k)) for k in FILES}

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, folder: Path, schema_path: Path | None = None) -> Registry:
        """Read and validate the three registry files of `folder`; ConfigError on any problem."""
        folder = Path(folder)
        schema = jsonfile.read_schema(schema_path or SCHEMA_PATH)
        kinds = {k: _read_file(folder / name, k, schema) for k, name in FILES.items()}
        cls._check_unique(folder, kinds)
        reg = cls(kinds["persons"], kinds["places"], kinds["orgs"])
        reg._check_refs(folder)
        return reg

    @staticmethod
    def _check_unique(folder: Path, kinds: dict[str, list[Entry]]) -> None:
        for kind, entries in kinds.items():
            path = str(folder / FILES[kind])
            seen: dict[str, int] = {}
            claimed: dict[str, str] = {}
            for i, e in enumerate(entries):
                if e.id in seen:
                    raise ConfigError(
                        f"Registry file {path!r} has duplicate id {e.id!r} at $.entries[{i}].id "
                        f"(first at $.entries[{seen[e.id]}].id). Give each entry its own id.")
                seen[e.id] = i
                own = {norm(v) for v in (e.name, *e.variants, *e.ambiguous)} - {""}
                for key in sorted(own):
                    other = claimed.get(key)
                    if other is not None and other != e.id:
                        raise ConfigError(
                            f"Registry file {path!r}: variant {key!r} of {e.id!r} at "
                            f"$.entries[{i}] is also claimed by {other!r}. Keep it in one entry "
                            f"only, or move it to ambiguousVariants of one of them.")
                    claimed[key] = e.id

    def _check_refs(self, folder: Path) -> None:
        for kind, table in (("persons", self.persons), ("places", self.places), ("orgs", self.orgs)):
            for i, e in enumerate(table.values()):
                refs = [("country", e.country)] if e.country else []
                for j, r in enumerate(e.roles):
                    refs += [(f"roles[{j}].of", r.of), (f"roles[{j}].in", r.in_)]
                for where, ref in refs:
                    if ref and ref not in self.places:
                        raise ConfigError(
                            f"Registry file {str(folder / FILES[kind])!r} at $.entries[{i}].{where}: "
                            f"place {ref!r} is not in places.json. Use a place id from places.json.")

    # ---------------------------------------------------------------- indexing
    @staticmethod
    def _build_index(table: dict[str, Entry]) -> dict[str, Entry]:
        index: dict[str, Entry] = {}
        for e in table.values():
            for v in (e.name, *e.variants, *e.ambiguous):
                index.setdefault(norm(v), e)
        index.pop("", None)
        return index

    @cached_property
    def _surnames(self) -> dict[str, Entry | None]:
        """Surname key -> entry; None when two persons share the surname."""
        out: dict[str, Entry | None] = {}
        for e in self.persons.values():
            if e.surname:
                key = norm(e.surname)
                out[key] = None if key in out and out[key] is not e else e
        return out

    @cached_property
    def _country_words(self) -> list[tuple[str, str]]:
        """(normalised name/variant/adjective, place id) of countries, longest first."""
        pairs = []
        for e in self.places.values():
            if e.type == "country":
                for v in (e.name, *e.variants, *e.adjectives):
                    pairs.append((norm(v), e.id))
        return sorted(set(pairs), key=lambda p: -len(p[0]))

    # ---------------------------------------------------------------- matching
    def get(self, ref: str) -> Entry | None:
        """Entry for a prefixed reference ("pers:molotov") or None."""
        prefix, _, key = ref.partition(":")
        table = {"pers": self.persons, "place": self.places, "org": self.orgs}.get(prefix)
        return table.get(key) if table else None

    def match_person(self, text: str, *, date: str | None = None) -> Entry | None:
        """Resolve a printed name ("comrade Molotov", "Vinogradova", "A. Iden") to a person."""
        index = self._index["persons"]
        for key in _name_keys(text):
            if key in index:
                return index[key]
            hit = self._surnames.get(key)
            if hit is not None:
                return hit
        for key in _name_keys(text):
            last = key.split()[-1] if key else ""
            for ending in CASE_ENDINGS:
                if len(last) > len(ending) + 3 and last.endswith(ending):
                    stem = last[: -len(ending)]
                    for cand in (stem, stem + "ov" if ending == "a" else stem, stem + "y"):
                        hit = index.get(cand) or self._surnames.get(cand)
                        if hit is not None:
                            return hit
        return None

    def match_place(self, text: str) -> Entry | None:
        """Resolve a printed place name ("Angora", "Moscow (Kremlin)") to a place."""
        return _match_simple(self._index["places"], text)

    def match_org(self, text: str) -> Entry | None:
        """Resolve a printed organisation name ("NKID of the USSR") to an organisation."""
        return _match_simple(self._index["orgs"], text)

    def match_person_by_role(self, role_text: str, date: str) -> Entry | None:
        """The holder of the office described by `role_text` on `date`, when exactly one."""
        office, of, in_ = self.parse_role(role_text)
        if office is None or not date:
            return None
        found = []
        for e in self.persons.values():
            for r in e.roles:
                if not _office_fits(office, r.office):
                    continue
                if of and r.of and not _same_polity(of, r.of):
                    continue
                if in_ and r.in_ and not _same_polity(in_, r.in_):
                    continue
                if (in_ is None) != (r.in_ is None) and office in ("head-of-mission", "charge-d-affaires", "counsellor", "first-secretary"):
                    continue
                if r.covers(date):
                    found.append(e)
                    break
        return found[0] if len(found) == 1 else None

    def parse_role(self, role_text: str) -> tuple[str | None, str | None, str | None]:
        """(office, state served, host state) read from a printed role, e.g.
        "plenipotentiary representative of the USSR in Turkey" -> ("head-of-mission", "ussr", "turkey")."""
        text = " " + norm(role_text).replace("commissioner", "commissar") + " "
        office = next((key for key, rx in _ROLE_OFFICES if re.search(rx, text)), None)
        of = in_ = None
        taken: list[tuple[int, int]] = []
        for word, pid in self._country_words:
            for m in re.finditer(rf"(?<=\s){re.escape(word)}(?=\s)", text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                before = text[: m.start()].split()
                prev = before[-1] if before else ""
                if prev == "the" and len(before) > 1:
                    prev = before[-2]
                if prev in ("in", "to", "at", "under", "with"):
                    in_ = in_ or pid
                else:
                    of = of or pid
        return office, of, in_

    # ---------------------------------------------------------------- scanning
    @cached_property
    def _scanner(self) -> re.Pattern:
        variants: dict[str, Entry] = {}
        for kind in ("orgs", "places", "persons"):
            for e in getattr(self, kind).values():
                for v in (e.name, *e.variants):
                    key = norm(v)
                    if key and not re.search(r"['’]s?$", v):  # possessives: the base form is matched
                        variants.setdefault(key, e)
        self._scan_map = {k.replace(" ", ""): e for k, e in reversed(list(variants.items()))}
        keys = sorted(variants, key=lambda k: (-len(k), k))
        sep = r"[\s.,'’\-]*"
        alts = [sep.join(re.escape(tok) for tok in k.split()) for k in keys]
        initials = r"(?:(?:[A-Za-z]|" + "|".join(TWO_LETTER_INITIALS) + r")\.\s*){1,3}"
        return re.compile(
            rf"(?<![\w\-])(?P<ini>{initials})?(?P<name>{'|'.join(alts)})(?![\w\-])", re.IGNORECASE
        )

    def find_names(self, text: str) -> list[tuple[int, int, Entry]]:
        """Known names in `text`, as (start, end, entry), longest match first, left to right.

        Only variants whose printed form begins with a capital letter (or initials) count, so
        that "may", "the union" and common words are not taken for names.
        """
        found = []
        for m in self._scanner.finditer(text):
            name = m.group("name")
            if not any(c.isupper() for c in name):
                continue
            entry = self._scan_map[norm(name).replace(" ", "")]
            start = m.start()
            if m.group("ini"):
                ini = m.group("ini")
                plausible = entry.kind == "persons" and (ini[0].isupper() or len(ini.split(".")[0]) <= 2)
                if not plausible or ini.split(".")[0].lower() in TITLES:
                    start = m.start("name")
            found.append((start, m.end(), entry))
        return found

    def unmatched_candidates(self, text: str) -> list[str]:
        """Capitalised name-like words inside sentences that match no entry (first seen first)."""
        covered = [(s, e) for s, e, _ in self.find_names(text)]
        out: list[str] = []
        for m in re.finditer(r"(?<![\w\-'’])([A-Z][a-z]+(?:-[A-Za-z]+)?)(?![\w\-])", text):
            word = m.group(1)
            if any(s <= m.start() < e for s, e in covered):
                continue
            before = text[: m.start()].rstrip(" *_")
            if not before or before[-1] in ".!?:;\"“(\n#[" or before.endswith("-"):
                continue  # sentence start: capital says nothing
            key = norm(word)
            if "-" in word and any(self._is_known_word(norm(p)) or norm(p) in _COMMON for p in word.split("-")):
                continue
            if key in _COMMON or key.rstrip("s") in _COMMON or self._is_known_word(key):
                continue
            if word not in out:
                out.append(word)
        return out

    def _is_known_word(self, key: str) -> bool:
        return any(key in self._index[k] for k in FILES) or key in {w for w, _ in self._country_words}

    # ------------------------------------------------------------------ export
    def entries(self, kind: str) -> list[Entry]:
        return list(getattr(self, kind).values())


def _name_keys(text: str) -> list[str]:
    """Keys to try for a printed name, most specific first."""
    raw = re.sub(r"[*_\[\]]", "", text).strip()
    raw = re.sub(r"['’]s?$", "", raw.rstrip(".,;: "))
    key = norm(raw)
    keys = [key]
    tokens = key.split()
    while tokens and tokens[0] in TITLES:
        tokens = tokens[1:]
        keys.append(" ".join(tokens))
    # drop initials (single letters, two-letter transliterations) before the surname
    rest = list(tokens)
    while len(rest) > 1 and (len(rest[0]) == 1 or rest[0] in TWO_LETTER_INITIALS):
        rest = rest[1:]
        keys.append(" ".join(rest))
    if len(rest) > 1:
        keys.append(rest[-1])
    seen: list[str] = []
    for k in keys:
        if k and k not in seen:
            seen.append(k)
    return seen


def _match_simple(index: dict[str, Entry], text: str) -> Entry | None:
    raw = re.sub(r"[*_\[\]]", "", text).strip().rstrip(".,;: ")
    key = norm(re.sub(r"['’]s$", "", raw))
    for cand in (key, re.sub(r"^the ", "", key), re.sub(r"^(city|town|village) of ", "", key)):
        if cand in index:
            return index[cand]
    inner = re.sub(r"\s*\(.*?\)\s*", " ", raw).strip()
    if inner != raw:
        return _match_simple(index, inner)
    return None


_OFFICE_FAMILY = {"first-deputy-foreign-minister": "deputy-foreign-minister"}


def _office_fits(asked: str, held: str) -> bool:
    """A printed "deputy" fits a first deputy too; "first deputy" only a first deputy."""
    return asked == held or _OFFICE_FAMILY.get(held) == asked


_SOVIET = {"ussr", "rsfsr", "russia"}


def _same_polity(a: str, b: str) -> bool:
    return a == b or (a in _SOVIET and b in _SOVIET)


_COMMON = set(
    """a about after again against all also although an and another any are as at be because
    before being both but by can could day did do does done during each either even every
    for from had has have having he her here his how however i if in into is it its let may
    me more moreover most my neither no nor not now of on once one only or other our out over
    please same she should since so some such than that the their them then there therefore
    these they this those though through thus to today too under until upon very was we
    were what when where whether which while who why will with would yes yesterday you your
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mr mrs sir lord comrade
    article appendix annex section doc document documents note notes publ print printed
    secret top special folder telegram letter record recording conversation talk report
    statement treaty agreement convention protocol pact conference committee council
    commissar commissariat commissioner people government ministry minister ambassador
    embassy plenipotentiary representative republic kingdom state states union soviet soviets
    socialist federal federative central executive national grand assembly party congress
    president chairman secretary general deputy first second third affairs foreign
    department front army navy military sea ocean gulf lake river mount mountain zone
    east eastern west western north northern south southern middle near far great new
    communist revolutionary white red black supreme provisional royal imperial prime
    english british french german italian turkish russian bulgarian romanian greek
    transcript source volume vol page no nos see cf ibid translated recorded sent
    received immediately urgent highly important city village district province region
    entente straits balkan balkans""".split()
)


# --------------------------------------------------------------------- TEI writers

def _tei_document(title: str, list_el: etree._Element, file_id: str) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(xml("id"), file_id)
    header = etree.SubElement(root, tei("teiHeader"))
    fd = etree.SubElement(header, tei("fileDesc"))
    ts = etree.SubElement(fd, tei("titleStmt"))
    etree.SubElement(ts, tei("title"), type="main").text = title
    ps = etree.SubElement(fd, tei("publicationStmt"))
    etree.SubElement(ps, tei("publisher")).text = "teikit"
    etree.SubElement(ps, tei("idno"), type="file").text = file_id
    avail = etree.SubElement(ps, tei("availability"))
    lic = etree.SubElement(avail, tei("licence"), target="https://creativecommons.org/licenses/by-sa/4.0/")
    lic.text = "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"
    sd = etree.SubElement(fd, tei("sourceDesc"))
    etree.SubElement(sd, tei("p")).text = (
        "Compiled from the names printed in the source compilation "
        "(soviet-foreign-policy-documents-1919-1942.md) and the editors' knowledge; "
        "authority identifiers are given only where certain.")
    text = etree.SubElement(root, tei("text"))
    body = etree.SubElement(text, tei("body"))
    body.append(list_el)
    return root


def _idnos(parent: etree._Element, entry: Entry) -> None:
    for scheme, value in entry.authority:
        label, pattern = AUTHORITY_URIS[scheme]
        etree.SubElement(parent, tei("idno"), type=label).text = pattern.format(value)


def _location(place: etree._Element, geo: dict) -> None:
    """location/geo ("lat long", WGS 84, TEI's default) with its source: the GeoNames record
    as @source when the coordinates come from one, and the source as a note."""
    loc = etree.SubElement(place, tei("location"))
    if geo.get("geonames"):
        loc.set("source", AUTHORITY_URIS["geonames"][1].format(geo["geonames"]))
    etree.SubElement(loc, tei("geo")).text = f"{geo['lat']} {geo['lon']}"
    etree.SubElement(loc, tei("note")).text = geo["source"] + (f"; matched by {geo['by']}" if geo.get("by") else "")


def _dates(el: etree._Element, start: str | None, end: str | None) -> None:
    if start:
        el.set("from" if end else "notBefore", start)
    if end:
        el.set("to" if start else "notAfter", end)


def _name_variants(parent, tag: str, entry: Entry) -> None:
    etree.SubElement(parent, tei(tag), type="reg").text = entry.name
    seen = {entry.name}
    for v in (*entry.variants, *entry.ambiguous):
        if v not in seen:
            seen.add(v)
            etree.SubElement(parent, tei(tag), type="variant").text = v


def to_tei_list_person(registry: Registry) -> etree._Element:
    """The person registry as a TEI document with body/listPerson."""
    lst = etree.Element(tei("listPerson"))
    for e in sorted(registry.entries("persons"), key=lambda e: e.id):
        person = etree.SubElement(lst, tei("person"))
        person.set(xml("id"), e.id)
        _name_variants(person, "persName", e)
        _idnos(person, e)
        if e.birth:
            etree.SubElement(person, tei("birth"), when=e.birth)
        if e.death:
            etree.SubElement(person, tei("death"), when=e.death)
        for r in e.roles:
            occ = etree.SubElement(person, tei("occupation"), type=r.office)
            _dates(occ, r.from_, r.to)
            if r.note:
                occ.set("cert", "medium")
            occ.text = r.role
        if e.note:
            etree.SubElement(person, tei("note")).text = e.note
    return _tei_document("Registry of persons", lst, "persons")


def to_tei_list_place(registry: Registry) -> etree._Element:
    """The place registry as a TEI document with body/listPlace."""
    lst = etree.Element(tei("listPlace"))
    for e in sorted(registry.entries("places"), key=lambda e: e.id):
        place = etree.SubElement(lst, tei("place"), type=e.type or "settlement")
        place.set(xml("id"), e.id)
        _name_variants(place, "placeName", e)
        if e.country:
            country = registry.places.get(e.country)
            etree.SubElement(place, tei("country"), ref=f"#{e.country}").text = (
                country.name if country else e.country)
        if e.geo:
            _location(place, e.geo)
        _idnos(place, e)
        if e.note:
            etree.SubElement(place, tei("note")).text = e.note
    return _tei_document("Registry of places", lst, "places")


def to_tei_list_org(registry: Registry) -> etree._Element:
    """The organisation registry as a TEI document with body/listOrg."""
    lst = etree.Element(tei("listOrg"))
    for e in sorted(registry.entries("orgs"), key=lambda e: e.id):
        org = etree.SubElement(lst, tei("org"), type=e.type or "organisation")
        org.set(xml("id"), e.id)
        _name_variants(org, "orgName", e)
        _idnos(org, e)
        if e.from_ or e.to:
            state = etree.SubElement(org, tei("state"), type="existence")
            _dates(state, e.from_, e.to)
            etree.SubElement(state, tei("p")).text = "Period of existence."
        if e.country:
            place = registry.places.get(e.country)
            etree.SubElement(org, tei("location")).append(_place_name(e.country, place))
        if e.note:
            etree.SubElement(org, tei("note")).text = e.note
    return _tei_document("Registry of organisations", lst, "orgs")


def _place_name(pid: str, place: Entry | None) -> etree._Element:
    el = etree.Element(tei("placeName"), ref=PREFIXES["place"] + pid)
    el.text = place.name if place else pid
    return el
