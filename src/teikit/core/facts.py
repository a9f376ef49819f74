"""Corpus facts read from the corpus configuration (corpus/source/corpus.json), with neutral
defaults: the documents' language, the translation chain, the sampling statement, the
licence of the registries. Every header, the corpus file and the deposit records take
these facts from here, so that no fact of one corpus is written in code.

The keys are described in schema/corpus.schema.json and docs/encoding.md.
"""

from __future__ import annotations

#: the sampling statement when the configuration gives none
DEFAULT_SAMPLING = "The corpus holds every document of the compilation, in the order printed."


def language(config: dict) -> dict:
    """{"ident": BCP 47 code, "name": its name in English or None, "iso639_3": its ISO 639-3
    code (for Zenodo) or None} of the documents' text.

    `language` in the configuration; without it the compilation's `language` (default "en")
    with no name."""
    given = config.get("language")
    if given:
        return {"ident": given["ident"], "name": given.get("name"), "iso639_3": given.get("iso639_3")}
    return {"ident": config.get("compilation", {}).get("language", "en"), "name": None, "iso639_3": None}


def translated_from(config: dict) -> dict | None:
    """The series the documents were translated from (`translated_from`), or None."""
    return config.get("translated_from") or None


def language_label(config: dict) -> str:
    """The documents' language as a TEI langUsage/language says it:
    `English`, `English (translated from Russian)`; the code alone when no name is given."""
    lang = language(config)
    label = lang["name"] or lang["ident"]
    source = translated_from(config)
    if source and source.get("language_name"):
        label += f" (translated from {source['language_name']})"
    return label


def source_language_label(config: dict) -> tuple[str, str] | None:
    """(ident, label) of the language of the series translated from, or None."""
    source = translated_from(config)
    if not source:
        return None
    name = source.get("language_name") or source["language"]
    return source["language"], f"{name} (the language of the documents as published in the source series)"


def sampling(config: dict) -> str:
    """The corpus header's samplingDecl: `sampling` in the configuration, else a neutral one."""
    return config.get("sampling") or DEFAULT_SAMPLING


#: teikit's editorial principles, stated once in the corpus header (encodingDesc/editorialDecl);
#: a corpus states its own with `editorial` (part -> text) in its configuration
EDITORIAL_DECL = (
    ("correction", "The text is kept as printed, with its slips; a correction, "
                   "where one is made, is encoded as choice/sic/corr and logged in the document's revisionDesc."),
    ("normalization", "Names are not normalised in the text: persons, places and organisations point with @ref "
                      "(pers:, place:, org:) to the registries, which hold the regular forms and authority ids; "
                      "dates are normalised in @when, @from/@to or @notBefore/@notAfter (ISO 8601)."),
    ("quotation", "Quotation marks are kept as printed; embedded documents are encoded as quote or floatingText."),
    ("hyphenation", "Line-end hyphenation of the source file is kept as printed."),
    ("segmentation", "The compilation is split into one TEI file per document at its printed headings; every "
                     "p, item, note and div carries a deterministic @xml:id (<doc-id>-p3) for citation. Every word "
                     "of the source lands in exactly one file, in order (teikit check)."),
    ("interpretation", "Omissions printed as [...] are encoded as gap, bracketed restorations as supplied, note "
                       "markers as ref[@type='noteAnchor'] pointing to the footnote where it is printed; document "
                       "type, date, correspondents and classification are inferred by rule and marked with @cert "
                       "where uncertain."),
)


def editorial(config: dict) -> list[tuple[str, str]]:
    """(part, text) of the corpus header's editorialDecl: teikit's principles, each part
    replaced by the configuration's `editorial` where it states one."""
    own = config.get("editorial", {})
    return [(part, own.get(part, text)) for part, text in EDITORIAL_DECL]


def registry_licence(config: dict) -> dict:
    """{"url", "label"} of the registries (persons, places, organisations):
    `registry_licence`, else the corpus's licence."""
    lic = config.get("registry_licence") or config["licence"]
    return {"url": lic["url"], "label": lic["label"]}


def registry_about(config: dict) -> dict:
    """What the registry files' headers say: publisher, licence and where the names come from."""
    return {
        "publisher": config["publisher"],
        "licence": registry_licence(config),
        "source_note": (
            "Compiled from the names printed in the source compilation "
            f"({config['source']['file']}) and the editors' knowledge; "
            "authority identifiers are given only where certain."
        ),
    }


def series_citation(series: dict) -> str:
    """`Title (Translated title), Place: Publisher, Date`, with the parts that are given."""
    text = series["title"]
    if series.get("title_translated"):
        text += f" ({series['title_translated']})"
    imprint = ": ".join(x for x in (series.get("place"), series.get("publisher")) if x)
    return ", ".join(x for x in (text, imprint, series.get("date")) if x)


def provenance(config: dict) -> str:
    """One sentence on the translation chain for citations and deposit records, or ""."""
    series = translated_from(config)
    if series is None:
        return ""
    name = series.get("language_name") or series["language"]
    return (f"Translated from the {name}: the documents are selected from the {name} series "
            f"{series_citation(series)}.")


def sentences(*parts: str) -> str:
    """The non-empty parts joined with a space."""
    return " ".join(p for p in parts if p)
