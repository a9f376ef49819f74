"""Editorial overrides: corrections of single documents, kept as data, never as code.

`corpus/overrides.json` (validated by `schema/overrides.schema.json`) holds

* `boundaries`: `{"split_at_line": N, "reason": …}` makes the paragraph at source line N
  open a document; `{"merge_at_line": N, "reason": …}` makes the heading at line N part of
  the document before it. Both are applied by the reader.
* `documents`: per document id, corrections of extracted fields: `date`, `type`, `title`,
  `place`, `classification`, `senders`, `addressees`, `participants`, `archive`. Each
  carries a `reason`. The value as printed stays in the text; the header records what was
  printed, what it was corrected to and why (`revisionDesc/change[@type='correction']`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teikit.convert import dates
from teikit.core.errors import ConfigError
from teikit.convert.model import DOC_TYPES, Agent, ArchivalRef, Compilation, Correction, DocDate, Document


@dataclass
class Overrides:
    split_at: dict[int, str] = field(default_factory=dict)
    merge_at: dict[int, str] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)
    source: str = "overrides.json"


def from_data(data: dict | None, source: str = "overrides.json") -> Overrides:
    """The overrides of `data`, the contents of an overrides file already checked against
    schema/overrides.schema.json (None: there is no such file). `source` names the file in
    messages. The application layer reads and checks the file (teikit.projectinputs.load_overrides)."""
    ov = Overrides(source=source)
    if data is None:
        return ov
    for b in data.get("boundaries", []):
        if "split_at_line" in b:
            ov.split_at[b["split_at_line"]] = b["reason"]
        else:
            ov.merge_at[b["merge_at_line"]] = b["reason"]
    ov.documents = data.get("documents", {})
    return ov


def apply(comp: Compilation, ov: Overrides, when: str, types: tuple[str, ...] = DOC_TYPES) -> list[str]:
    """Apply field corrections to documents by id; return problems (unknown ids) as messages.
    `types`: the corpus's taxonomy (a type override must be one of them)."""
    by_id = {d.doc_id: d for d in comp.documents}
    problems = []
    for doc_id, fields in sorted(ov.documents.items()):
        doc = by_id.get(doc_id)
        if doc is None:
            problems.append(f"{ov.source}: documents/{doc_id}: no document with this id; check corpus/idmap.json")
            continue
        for name, value in sorted(fields.items()):
            if name == "type" and value["value"] not in types:
                raise ConfigError(f"{ov.source}: documents/{doc_id}/type: {value['value']!r} is not one of the corpus's "
                                  f"types ({', '.join(types)}; corpus.json 'taxonomy' or the reader profile's types).")
            _APPLY[name](doc, value, when)
    return problems


def _record(doc: Document, field_name: str, printed, corrected, value: dict, when: str) -> None:
    doc.corrections.append(
        Correction(field=field_name, printed=printed, corrected=corrected, reason=value["reason"],
                   who=value.get("resp"), when=value.get("when_corrected", when))
    )


def _date(doc: Document, value: dict, when: str) -> None:
    before = doc.date
    new = DocDate(printed=before.printed, when=value.get("when"), from_=value.get("from"), to=value.get("to"),
                  not_before=value.get("notBefore"), not_after=value.get("notAfter"),
                  cert=value.get("cert"), note=value["reason"], source="override")
    for iso in filter(None, (new.when, new.from_, new.to, new.not_before, new.not_after)):
        if not dates.is_valid_iso(iso):
            raise ConfigError(f"Overrides: documents/{doc.doc_id}/date: {iso!r} is not a real date (YYYY[-MM[-DD]]).")
    _record(doc, "date", _span(before) or before.printed, _span(new), value, when)
    doc.date = new


def _span(d: DocDate) -> str | None:
    rng = d.range()
    if rng is None:
        return None
    return rng[0] if rng[0] == rng[1] else f"{rng[0]}/{rng[1]}"


def _simple(attr: str):
    def apply_one(doc: Document, value: dict, when: str) -> None:
        new = value["value"]
        _record(doc, attr.replace("doc_", ""), getattr(doc, attr), new, value, when)
        setattr(doc, attr, new)
    return apply_one


def _classification(doc: Document, value: dict, when: str) -> None:
    _record(doc, "classification", " ".join(doc.classification) or None, " ".join(value["value"]), value, when)
    doc.classification = list(value["value"])


def _agents(attr: str):
    def apply_one(doc: Document, value: dict, when: str) -> None:
        agents = [Agent(name=a["name"], kind=a.get("kind", "person"), ref=a.get("ref"), role=a.get("role"),
                        inferred=a.get("inferred", False), place=a.get("place")) for a in value["value"]]
        _record(doc, attr, "; ".join(a.name for a in getattr(doc, attr)) or None,
                "; ".join(a.name for a in agents), value, when)
        setattr(doc, attr, agents)
    return apply_one


def _archive(doc: Document, value: dict, when: str) -> None:
    v = value["value"]
    old = doc.archive[0] if doc.archive else None
    if v is None:  # the printed reference belongs to something else
        _record(doc, "archive", old.printed if old else None, "none", value, when)
        doc.archive = doc.archive[1:]
        return
    ref = ArchivalRef(printed=old.printed if old else v.get("printed", ""), line=old.line if old else None,
                      repository=v.get("repository"), fond=v.get("fond"), opis=v.get("opis"), papka=v.get("papka"),
                      delo=v.get("delo"), folios=v.get("folios"))
    parts = ("repository", "fond", "opis", "papka", "delo", "folios")
    fmt = lambda r: ", ".join(f"{p} {getattr(r, p)}" for p in parts if getattr(r, p)) if r else None  # noqa: E731
    _record(doc, "archive", fmt(old), fmt(ref), value, when)
    doc.archive = [ref] + doc.archive[1:]


_APPLY = {
    "date": _date,
    "type": _simple("doc_type"),
    "title": _simple("title"),
    "place": _simple("place"),
    "classification": _classification,
    "senders": _agents("senders"),
    "addressees": _agents("addressees"),
    "participants": _agents("participants"),
    "archive": _archive,
}
