"""Registry of persons, places and organisations, with variant spellings and authority ids.

Data: `data/registry/{persons,places,orgs}.json`, validated against
`schema/registry.schema.json`, and `vocabulary.json` (schema/vocabulary.schema.json): the
titles, case endings, offices, polities and stop words the general rules read. Documents
point to entries with prefixed references (`pers:chicherin`, `place:ankara`,
`org:nkid-ussr`), declared by `PREFIXES`.

Modules, by concern: `entries` (the data classes and the name key), `vocabulary`, `load`
(reading and checking a folder), `matching` (one printed name), `roles` (offices and their
holders), `scan` (names in running text), `tei` (listPerson/listPlace/listOrg output), and
`core` (the Registry that ties them together).

Matching is by a normalised key (case, diacritics and punctuation folded). A printed name
is tried as printed, then without titles ("comrade", "Mr.", "Lord" ...), a possessive
"'s", initials, and finally without a case ending ("Vinogradova" -> "Vinogradov").
"""

from teikit.convert.registry.core import Registry
from teikit.convert.registry.entries import (
    AUTHORITY_URIS,
    FILES,
    PREFIX_OF_KIND,
    PREFIXES,
    Entry,
    Role,
    norm,
)
from teikit.convert.registry.load import SCHEMA_NAME
from teikit.convert.registry.tei import to_tei_list_org, to_tei_list_person, to_tei_list_place
from teikit.convert.registry.vocabulary import Office, Vocabulary

__all__ = [
    "AUTHORITY_URIS", "FILES", "PREFIX_OF_KIND", "PREFIXES", "SCHEMA_NAME", "Entry", "Office",
    "Registry", "Role", "Vocabulary", "norm", "to_tei_list_org", "to_tei_list_person",
    "to_tei_list_place",
]
