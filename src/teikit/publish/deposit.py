"""Repository metadata from the corpus configuration: CITATION.cff, .zenodo.json, datacite.json.

One source of truth: every value comes from `corpus/source/corpus.json` (title, version,
release date, compilers with their `people` entries, encoders, publisher, licence with its
SPDX id, keywords, DOI, `uri_base`, related identifiers, the compilation and the Russian
series). `teikit build` writes the three files at the repository root; a test regenerates
them and compares.

The creators of the deposit are the compilers of the compilation (in order); the encoders are
contributors (data curators). The licence is always explicit, and so is the provenance:
an English translation from the Russian, with the Russian source series named.

CITATION.cff is YAML, written by PyYAML (`cff_yaml()`), deterministically.
"""

from __future__ import annotations

import json

import yaml

from teikit.core.facts import language, provenance, sentences, translated_from
from teikit.core import jsonfile
from teikit.core.errors import ConfigError

CFF_MESSAGE = "If you use this corpus, please cite it using the metadata from this file."
ZENODO_CONTRIBUTOR_TYPE = "DataCurator"


# --- the people -----------------------------------------------------------------------------
def _party(config: dict, name: str) -> dict:
    """A compiler or encoder: {"name", "given", "family", "orcid", "affiliation"} (None when unknown)."""
    parts = config.get("people", {}).get(name)
    if parts is None:
        return {"name": name, "given": None, "family": None, "orcid": None, "affiliation": None}
    return {"name": name, "given": parts["given"], "family": parts["family"],
            "orcid": parts.get("orcid"), "affiliation": parts.get("affiliation")}


def creators(config: dict) -> list[dict]:
    return [_party(config, n) for n in config["compilation"]["compilers"]]


def contributors(config: dict) -> list[dict]:
    return [{**_party(config, e["name"]), "resp": e["resp"]} for e in config.get("encoders", [])]


def _spdx(config: dict) -> str:
    spdx = config["licence"].get("spdx")
    if not spdx:
        raise ConfigError("The corpus configuration's licence has no SPDX id, which CITATION.cff, .zenodo.json "
                          "and datacite.json need. Add \"spdx\": \"CC-BY-SA-4.0\" (or the right id) to \"licence\" "
                          "in corpus/source/corpus.json.")
    return spdx


def _abstract(config: dict) -> str:
    return config.get("project_description") or config["title"]


# --- CITATION.cff ---------------------------------------------------------------------------
def _cff_person(p: dict) -> dict:
    if p["family"] is None:
        return {"name": p["name"]}
    out = {"family-names": p["family"], "given-names": p["given"]}
    if p["affiliation"]:
        out["affiliation"] = p["affiliation"]
    if p["orcid"]:
        out["orcid"] = p["orcid"]
    return out


def citation_cff(config: dict) -> dict:
    """The CITATION.cff content as a dict (CFF 1.2.0)."""
    comp = config["compilation"]
    series = translated_from(config)
    data: dict = {
        "cff-version": "1.2.0",
        "message": CFF_MESSAGE,
        "type": "dataset",
        "title": config["title"],
        "version": config["version"],
        "date-released": config["release_date"],
        "license": _spdx(config),
        "authors": [_cff_person(p) for p in creators(config)],
        "abstract": sentences(_abstract(config), provenance(config)),
    }
    if config.get("keywords"):
        data["keywords"] = list(config["keywords"])
    if config.get("doi"):
        data["doi"] = config["doi"]
    if config.get("uri_base"):
        data["url"] = config["uri_base"]
    ids = [{"type": "doi", "value": r["identifier"], "description": r["relation"]}
           for r in config.get("related_identifiers", []) if r["scheme"] == "doi"]
    ids += [{"type": "url", "value": r["identifier"], "description": r["relation"]}
            for r in config.get("related_identifiers", []) if r["scheme"] == "url"]
    if ids:
        data["identifiers"] = ids
    compilation = {
        "type": "book",
        "title": comp["title"],
        "authors": [_cff_person(p) for p in creators(config)],
        "languages": [comp.get("language", "en")],
        "notes": " ".join(_sentence(x) for x in (comp.get("subtitle"), comp.get("note"),
                                                 f"Licence as printed: {config['licence']['as_printed']}") if x),
    }
    data["references"] = [compilation] + ([_cff_series(series, config)] if series else [])
    return data


def _cff_series(series: dict, config: dict) -> dict:
    """The series the documents were translated from, as a CFF reference."""
    name = series.get("language_name") or series["language"]
    target = language(config)["name"] or language(config)["ident"]
    article = "an" if target[:1].upper() in "AEIOU" else "a"
    out: dict = {"type": "book", "title": series["title"], "authors": [{"name": "anonymous"}]}
    publisher = {k: series[v] for k, v in (("name", "publisher"), ("city", "place")) if series.get(v)}
    if publisher:
        out["publisher"] = publisher
    out["languages"] = [series["language"]]
    out["notes"] = (f"The {name} source series ({series.get('title_translated') or series['title']}"
                    + (f", {series['volumes']} volumes" if series.get("volumes") else "")
                    + (f", {series['date']}" if series.get("date") else "")
                    + f"); the compilation is {article} {target} translation from the {name} of documents selected from it.")
    return out


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?", ")")) else text.rstrip() + "."


def cff_yaml(data: dict) -> str:
    """CITATION.cff as YAML, by PyYAML: block style, keys in the order given, Unicode as is,
    one line per value; PyYAML quotes whatever would otherwise read back as another type
    (a date, a number, a boolean), so the file loads to exactly `data`."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=2**31 - 1, indent=2)
    if yaml.safe_load(text) != data:  # PyYAML writes some line separators (U+0085 …) raw
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, default_flow_style=False,
                              width=2**31 - 1, indent=2)
    return text


# --- .zenodo.json -------------------------------------------------------------------------------
def _orcid_bare(orcid: str | None) -> str | None:
    return orcid.rsplit("/", 1)[-1] if orcid else None


def _zenodo_name(p: dict) -> dict:
    out = {"name": f"{p['family']}, {p['given']}" if p["family"] else p["name"]}
    if p["affiliation"]:
        out["affiliation"] = p["affiliation"]
    if p["orcid"]:
        out["orcid"] = _orcid_bare(p["orcid"])
    return out


def zenodo(config: dict) -> dict:
    """The Zenodo deposit metadata (.zenodo.json, legacy deposit API fields)."""
    data: dict = {
        "upload_type": "dataset",
        "title": config["title"],
        "version": config["version"],
        "publication_date": config["release_date"],
        "description": _abstract(config),
        "creators": [_zenodo_name(p) for p in creators(config)],
        "contributors": [{**_zenodo_name(p), "type": ZENODO_CONTRIBUTOR_TYPE} for p in contributors(config)],
        "access_right": "open",
        "license": _spdx(config).lower(),
        "language": language(config).get("iso639_3"),
        "notes": sentences(provenance(config), f"Licence: {config['licence']['label']} ({config['licence']['url']})."),
    }
    if data["language"] is None:  # Zenodo takes ISO 639-3 (eng, fra): language.iso639_3
        del data["language"]
    if config.get("keywords"):
        data["keywords"] = list(config["keywords"])
    if config.get("doi"):
        data["doi"] = config["doi"]
    rel = [{"identifier": r["identifier"], "relation": r["relation"][0].lower() + r["relation"][1:],
            "scheme": r["scheme"], **({"resource_type": r["resource_type"]} if r.get("resource_type") else {})}
           for r in config.get("related_identifiers", [])]
    if rel:
        data["related_identifiers"] = rel
    return data


# --- datacite.json -----------------------------------------------------------------------------
def _datacite_name(p: dict, **extra) -> dict:
    if p["family"] is None:
        out = {"name": p["name"], "nameType": "Organizational"}
    else:
        out = {"name": f"{p['family']}, {p['given']}", "nameType": "Personal",
               "givenName": p["given"], "familyName": p["family"]}
    if p["orcid"]:
        out["nameIdentifiers"] = [{"nameIdentifier": p["orcid"], "nameIdentifierScheme": "ORCID",
                                   "schemeUri": "https://orcid.org"}]
    if p["affiliation"]:
        out["affiliation"] = [{"name": p["affiliation"]}]
    out.update(extra)
    return out


def datacite(config: dict) -> dict:
    """DataCite metadata (schema 4.x) in the JSON of the DataCite REST API (`data.attributes`)."""
    comp = config["compilation"]
    series = translated_from(config)
    lang = language(config)["ident"]  # titles and abstract are in the corpus's language
    attrs: dict = {}
    if config.get("doi"):
        attrs["doi"] = config["doi"]
    attrs.update({
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "TEI P5 corpus"},
        "titles": [{"title": config["title"], "lang": lang}]
        + ([{"title": config["short_title"], "titleType": "AlternativeTitle", "lang": lang}]
           if config.get("short_title") else []),
        "creators": [_datacite_name(p) for p in creators(config)],
        "contributors": [_datacite_name(p, contributorType="DataCurator") for p in contributors(config)],
        "publisher": config["publisher"],
        "publicationYear": int(config["release_date"][:4]),
        "version": config["version"],
        "dates": [{"date": config["release_date"], "dateType": "Issued"}],
        "language": comp.get("language", "en"),
        "subjects": [{"subject": k} for k in config.get("keywords", [])],
        "rightsList": [{"rights": config["licence"]["label"], "rightsUri": config["licence"]["url"],
                        "rightsIdentifier": _spdx(config).lower(), "rightsIdentifierScheme": "SPDX",
                        "schemeUri": "https://spdx.org/licenses/"}],
        "descriptions": [{"description": _abstract(config), "descriptionType": "Abstract", "lang": lang}]
        + ([{"description": provenance(config), "descriptionType": "Other", "lang": "en"}] if series else []),
        "relatedIdentifiers": [{"relatedIdentifier": r["identifier"], "relatedIdentifierType": _dc_scheme(r["scheme"]),
                                "relationType": r["relation"]} for r in config.get("related_identifiers", [])],
        "relatedItems": [
            {"relationType": "IsDerivedFrom", "relatedItemType": "Book",
             "titles": [{"title": comp["title"]}],
             "creators": [_datacite_name(p) for p in creators(config)]},
        ] + ([_datacite_series(series, language(config)["ident"])] if series else []),
    })
    if config.get("uri_base"):
        attrs["url"] = config["uri_base"]
    return {"data": {"type": "dois", "attributes": attrs}}


def _datacite_series(series: dict, lang: str) -> dict:
    """The series the documents were translated from, as a DataCite related item."""
    titles = [{"title": series["title"], "lang": series["language"]}]
    if series.get("title_translated"):
        titles.append({"title": series["title_translated"], "titleType": "TranslatedTitle", "lang": lang})
    item = {"relationType": "IsDerivedFrom", "relatedItemType": "Book", "titles": titles}
    if series.get("publisher"):
        item["publisher"] = series["publisher"]
    if series.get("date"):
        item["publicationYear"] = series["date"]
    return item


def _dc_scheme(scheme: str) -> str:
    return {"doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "handle": "Handle",
            "urn": "URN", "ark": "ARK"}[scheme]


# --- all together ----------------------------------------------------------------------------
def _json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_all(config: dict) -> dict[str, bytes]:
    """File name -> bytes of CITATION.cff, .zenodo.json and datacite.json."""
    return {
        "CITATION.cff": cff_yaml(citation_cff(config)).encode("utf-8"),
        ".zenodo.json": _json(zenodo(config)),
        "datacite.json": _json(datacite(config)),
    }


def schema_errors(data: dict, schema: dict) -> list[str]:
    """Schema findings (format checking included) as `<path>: <message>` lines (empty when valid)."""
    return [f"{f.path}: {f.message}" for f in jsonfile.findings(data, schema)]
