"""Stable document ids, pinned in a committed identifier map (`corpus/idmap.json`).

An id is `<prefix>-<date>` (`sfp-1921-03-16`, `sfp-1920-12`, `sfp-undated`), with `-2`, `-3`
… for further documents of the same date, assigned once in source order and then pinned:
the map keys each document by its printed heading and date line, so correcting a date,
a boundary or a title never renames or renumbers another document. Ids that no longer
match a document are moved to `retired` and never reused.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from teikit.convert.model import Document

VERSION = 1


def doc_key(doc: Document) -> str:
    """A key that survives corrections: the printed heading and the first date line."""
    dateline = next((b.raw for b in doc.blocks if b.kind == "dateline"), "")
    text = re.sub(r"\W+", " ", (doc.heading + " | " + dateline).lower()).strip()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def empty_map() -> dict:
    return {"version": VERSION, "documents": {}, "retired": {}}


def assign_ids(docs: list[Document], idmap: dict, prefix: str) -> tuple[dict, list[str]]:
    """Give every document its pinned id (or a new one); return the updated map and notes."""
    pinned: dict = dict(idmap.get("documents", {}))
    retired: dict = dict(idmap.get("retired", {}))
    taken = {_id_of(v) for v in pinned.values()} | set(retired)
    seen: dict[str, int] = {}
    keys = []
    for doc in docs:
        base = doc_key(doc)
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    used_keys = set(keys)  # a pinned key that some document still has is never taken by another
    orphans: dict[str, list[Document]] = {}  # documents whose key is not pinned, by heading
    for doc, key in zip(docs, keys):
        if key not in pinned:
            orphans.setdefault(_norm_heading(doc.heading), []).append(doc)
    notes: list[str] = []
    new_map: dict = {}
    for doc, key in zip(docs, keys):
        if key in pinned:
            doc.doc_id = _id_of(pinned[key])
        elif (found := _same_heading(doc, pinned, orphans, used_keys)) is not None:
            # the key moved (a better reading of the heading or the date line): keep the id
            doc.doc_id = _id_of(pinned[found])
            used_keys.add(found)
            notes.append(f"document {doc.seq} (line {doc.start_line}) keeps id {doc.doc_id}: its heading "
                         f"or date line is read differently now")
        else:
            doc.doc_id = _new_id(doc, prefix, taken)
            taken.add(doc.doc_id)
            notes.append(f"new id {doc.doc_id} for document {doc.seq} (line {doc.start_line})")
        new_map[key] = {"id": doc.doc_id, "heading": doc.heading[:120]}
    for key, entry in pinned.items():
        if key not in used_keys:
            old = _id_of(entry)
            retired[old] = {"heading": entry.get("heading", ""),
                            "reason": "no document with this heading and date line in the source"}
            notes.append(f"retired id {old}")
    result = {"version": VERSION, "documents": dict(sorted(new_map.items(), key=lambda kv: kv[1]["id"])),
              "retired": dict(sorted(retired.items()))}
    return result, notes


def _norm_heading(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:60]


def _same_heading(doc: Document, pinned: dict, orphans: dict[str, list[Document]], used: set) -> str | None:
    """The pinned entry whose key no document has any more and whose heading begins like
    this document's, when it is the only such entry and this the only such document
    without its key (a document whose heading or date line is now read differently)."""
    head = _norm_heading(doc.heading)
    if len(head) < 20 or orphans.get(head) != [doc] or not pinned:
        return None
    found = [k for k, e in pinned.items() if k not in used and _norm_heading(e.get("heading", "")) == head]
    return found[0] if len(found) == 1 else None


def _id_of(entry: dict) -> str:
    return entry["id"]


def _new_id(doc: Document, prefix: str, taken: set[str]) -> str:
    rng = doc.date.range()
    stem = f"{prefix}-{rng[0]}" if rng else f"{prefix}-undated"
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def text_of(data: bytes, path: Path) -> str:
    """The id map's text, read from `path` as `data`; ConfigError when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        from teikit.core.errors import ConfigError

        line = data[: err.start].count(b"\n") + 1
        raise ConfigError(f"Identifier map {str(path)!r} is not UTF-8 (byte {data[err.start]:#04x} at line {line}). "
                          f"Fix the file, or remove it to start a new map.") from None


def load(text: str | None, path: Path | None = None) -> dict:
    """The id map in `text` (an empty one when None); read from `path` (its name in errors):
    ConfigError when it is not valid JSON, not an object or not of this VERSION."""
    from teikit.core.errors import ConfigError
    from teikit.core.jsonfile import parse

    if not text:
        return empty_map()
    name = str(path) if path is not None else "idmap.json"
    data = parse(text, name, "Identifier map") if path is not None else json.loads(text)
    if not isinstance(data, dict):
        raise ConfigError(f"Identifier map {name!r} is not a JSON object. Fix the file, or remove it to start a new map.")
    if data.get("version") != VERSION:
        raise ConfigError(f"Unsupported identifier map version {data.get('version')!r}; expected {VERSION}.")
    return data


def dump(idmap: dict) -> str:
    return json.dumps(idmap, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------- passage ids
# Paragraph, item, list, note and division ids (`<doc-id>-p7`) are pinned too, so that a
# rule that changes the structure around a passage (a paragraph read as a list item, a
# salutation or a signature line, text moved into an editorial note) does not renumber
# the passages after it. A passage is keyed by its source position and its words:
# "<first line>-<last line>:<hash of the words>"; it keeps its id when the key, the words
# alone or the first line alone still identify it. Ids whose passage is gone are retired
# with a redirect to the passage that now holds their first source line.

_NON_WORD = re.compile(r"\W+")
#: \w on lower-case ASCII text is [a-z0-9_]: every other character read as a space
_NOT_ASCII_WORD = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in "abcdefghijklmnopqrstuvwxyz0123456789_"})


def passage_key(lines: tuple[int, int], text: str, kind: str = "") -> str:
    low = text.lower()
    # the words joined by single spaces: what _NON_WORD.sub(" ", low).strip() gives (on
    # lower-case ASCII text, the runs of [a-z0-9_] between the spaces the others are read as)
    words = " ".join(low.translate(_NOT_ASCII_WORD).split()) if low.isascii() else _NON_WORD.sub(" ", low).strip()
    digest = hashlib.sha1(words.encode("utf-8")).hexdigest()[:10]
    return f"{kind}{lines[0]}-{lines[1]}:{digest}"


class PassageIds:
    """Id assignment for the passages of one document, honouring the pinned ids."""

    def __init__(self, doc_id: str, pinned: dict | None = None):
        self.doc_id = doc_id
        self.pinned = dict(pinned or {})
        # (by kind and digest, by kind and first line) -> the pinned keys: made when `keep`
        # first needs them (the writer assigns from a PassageIds of its own: one made for the
        # document beforehand, teikit.convert.idmap.attach_passages's, never needs them)
        self.index: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self.reserved = set(self.pinned.values())
        self.used: set[str] = {f"{doc_id}-div1"}  # the document's own division
        self.out: dict[str, str] = {}
        self.counters: dict[str, int] = {}

    def assign(self, prefix: str, key: str) -> str:
        """The passage's pinned id if it has one (`keep`), else the next free one."""
        pinned = self.keep(prefix, key)
        if pinned is not None:
            return pinned
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            pid = f"{self.doc_id}-{prefix}{n}"
            if pid not in self.reserved and pid not in self.used:
                break
        self.counters[prefix] = n
        return self._take(key, pid)

    def keep(self, prefix: str, key: str) -> str | None:
        """The pinned id of a passage that is now another element (a paragraph now a
        salutation, a signature line or a division's head), so that a citation of it still
        finds it; None when it had none."""
        kind, rest = _split_kind(key)
        span, _, digest = rest.partition(":")
        by_digest, by_line = self._indexed()
        for cand in ([key] if key in self.pinned else []) + by_digest.get(kind + digest, []) + \
                by_line.get(kind + span.split("-")[0], []):
            pid = self.pinned[cand]
            if pid not in self.used and pid.startswith(f"{self.doc_id}-{prefix}") and \
                    pid[len(self.doc_id) + 1 + len(prefix):].isdigit():
                return self._take(key, pid)
        return None

    def _indexed(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        if self.index is None:
            by_digest: dict[str, list[str]] = {}
            by_line: dict[str, list[str]] = {}
            for key in self.pinned:
                kind, rest = _split_kind(key)
                span, _, digest = rest.partition(":")
                by_digest.setdefault(kind + digest, []).append(key)
                by_line.setdefault(kind + span.split("-")[0], []).append(key)
            self.index = (by_digest, by_line)
        return self.index

    def _take(self, key: str, pid: str) -> str:
        self.used.add(pid)
        self.out[key] = pid
        return pid

    def retired(self) -> dict[str, str]:
        """Pinned ids not given out this time -> the id now holding their first line."""
        if all(pid in self.used for pid in self.pinned.values()):
            return {}  # (what the loops below give when every pinned id was given out)
        lines: list[tuple[int, int, str]] = []
        for key, pid in self.out.items():
            span = _split_kind(key)[1].partition(":")[0]
            a, _, b = span.partition("-")
            lines.append((int(a), int(b or a), pid))
        gone = {}
        for key, pid in self.pinned.items():
            if pid in self.used:
                continue
            start = int(_split_kind(key)[1].partition(":")[0].split("-")[0])
            holder = next((p for a, b, p in sorted(lines, key=lambda t: (t[1] - t[0], t[0]))
                           if a <= start <= b), None)
            gone[pid] = holder or f"{self.doc_id}-div1"
        return gone


_KIND = re.compile(r"^([a-z]*)(\d.*)$")


def _split_kind(key: str) -> tuple[str, str]:
    m = _KIND.match(key)
    return (m.group(1), m.group(2)) if m else ("", key)


def attach_passages(docs: list[Document], idmap: dict) -> None:
    """Give each document the passage ids pinned for it (the writer assigns from them)."""
    pinned = idmap.get("passages", {})
    for doc in docs:
        doc.passage_ids = PassageIds(doc.doc_id, pinned.get(doc.doc_id))


def with_passages(new_map: dict, docs: list[Document], old_map: dict) -> dict:
    """The identifier map with each document's passage ids (as the writer gave them out)
    and the retired passage ids with their redirects."""
    passages = {}
    retired = dict(old_map.get("retired_passages", {}))
    for doc in docs:
        ids = getattr(doc, "passage_ids", None)
        if ids is None:
            continue
        passages[doc.doc_id] = dict(sorted(ids.out.items()))
        for old, new in ids.retired().items():
            retired[old] = new
    in_use = {pid for ids in passages.values() for pid in ids.values()}
    for pid in [p for p in retired if p in in_use]:
        del retired[pid]  # an id in use again is not retired
    out = dict(new_map)
    out["passages"] = dict(sorted(passages.items()))
    out["retired_passages"] = dict(sorted(retired.items()))
    return out
