"""The deposit bundle: a BagIt 1.0 bag (RFC 8493) of the corpus, and its verification.

Layout of `teikit package -o DIR`:

    DIR/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
        tagmanifest-sha256.txt, tagmanifest-sha512.txt
    DIR/data/README.md, LICENCE.txt, CITATION.cff, .zenodo.json, datacite.json, cmif.xml
    DIR/data/tei/       corpus/tei: the documents, front and back matter, registries, corpus.xml
    DIR/data/schema/    schema/: RELAX NG, Schematron and JSON Schemas the corpus is checked with
    DIR/data/source/    corpus/source (the source text and corpus.json), idmap.json, overrides.json
    DIR/data/registry/  the JSON registries
    DIR/data/text/, DIR/data/site/   plain text and HTML site, made afresh by the build's
                        site step from corpus/tei (never taken from a stale build/ folder)

The bag is byte-identical when rebuilt from the same inputs: files are sorted, no
timestamps are written but Bagging-Date, which comes from SOURCE_DATE_EPOCH or the
configuration's release date, never the clock. No archive is written: zip or tar the
folder if the repository asks for one (the checksums are of the payload files).

`build_bag()` is pure (file contents in, file contents out) and makes byte-identical bags,
which bagit-python's `make_bag` cannot (it stamps today's date and moves files in place);
`write_bag()` hands them to a `Sink`. Gathering the payload, putting the bag's folder in
place and verifying a bag (with bagit-python, which reads a folder, so that a bag is judged
as the Library of Congress's tool judges it) are the application layer's (teikit.package).
"""

from __future__ import annotations

import hashlib

from teikit import __version__
from teikit.core.facts import provenance

ALGORITHMS = ("sha256", "sha512")
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


# --- building (pure) -------------------------------------------------------------------------
def _encode_path(path: str) -> str:
    """RFC 8493 2.1.3: percent-encode %, CR and LF in manifest paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def manifest(files: dict[str, bytes], algorithm: str) -> bytes:
    lines = [f"{hashlib.new(algorithm, data).hexdigest()}  {_encode_path(name)}\n" for name, data in sorted(files.items())]
    return "".join(lines).encode("utf-8")


def oxum(payload: dict[str, bytes]) -> str:
    return f"{sum(len(d) for d in payload.values())}.{len(payload)}"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def bag_info(config: dict, payload: dict[str, bytes], date: str) -> bytes:
    total = sum(len(d) for d in payload.values())
    fields = [
        ("Source-Organization", config["publisher"]),
        ("External-Description", config["title"]),
        ("External-Identifier", config.get("doi") or f"{config['id_prefix']}-corpus"),
        ("Corpus-Version", config["version"]),
        ("Licence", f"{config['licence']['label']} <{config['licence']['url']}>"),
        ("Bagging-Date", date),
        ("Bag-Software-Agent", f"teikit {__version__}"),
        ("Bag-Size", _size(total)),
        ("Payload-Oxum", oxum(payload)),
    ]
    return "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in fields).encode("utf-8")


def build_bag(payload: dict[str, bytes], config: dict, date: str) -> dict[str, bytes]:
    """Bag-relative path -> bytes of every file of the bag; payload paths are relative to data/."""
    files = {f"data/{name}": data for name, data in payload.items()}
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": bag_info(config, payload, date)}
    for alg in ALGORITHMS:
        tags[f"manifest-{alg}.txt"] = manifest(files, alg)
    for alg in ALGORITHMS:
        tags[f"tagmanifest-{alg}.txt"] = manifest({k: v for k, v in tags.items() if not k.startswith("tagmanifest-")}, alg)
    return {**files, **tags}


def write_bag(sink, payload: dict[str, bytes], config: dict, date: str) -> list[str]:
    """Write the bag of `build_bag` into `sink` (a teikit.core.files.Sink), in name order;
    return the names written."""
    names = []
    for name, data in sorted(build_bag(payload, config, date).items()):
        sink.write(name, data)
        names.append(name)
    return names


def readme(config: dict, payload_names: list[str], cmif_summary: str | None) -> bytes:
    parts = sorted({n.split("/", 1)[0] + ("/" if "/" in n else "") for n in payload_names})
    chain = provenance(config) + "\n\n" if provenance(config) else ""  # the translation chain
    text = f"""# {config['title']}

Version {config['version']} ({config['release_date']}), published by {config['publisher']}.
{config.get('project_description', '')}

{chain}Licence: {config['licence']['label']} ({config['licence']['url']}); see LICENCE.txt.
How to cite: CITATION.cff; every document's citation: `teikit cite <id>`.

This folder is the payload of a BagIt 1.0 bag (RFC 8493); the manifests one level up
give the SHA-256 and SHA-512 of every file. Check it with `teikit package --verify <bag>`.

Contents: {', '.join(parts)}

- tei/: one TEI P5 file per document (`<id>.xml`), the front and back matter, the
  registries (persons.xml, places.xml, orgs.xml) and corpus.xml (teiCorpus with XIncludes).
- schema/: the RELAX NG, Schematron and JSON Schemas the files are checked with.
- source/: the source text as published and the corpus configuration; idmap.json pins the
  document ids (retired ids are listed there and never reused).
- registry/: the registries as JSON; text/: plain text; site/: the HTML edition. Open
  site/index.html in a browser: every page, and the filters of the document list, work
  from the files (file://). Full-text search (site/search.html, Pagefind) needs the site
  served over HTTP and its index, which this bag leaves out because Pagefind does not
  write it byte for byte the same twice: run `teikit html --search -o OUT tei/` for an
  indexed copy, then `teikit serve OUT` (or `teikit build` and `teikit serve` in a clone
  of teikit), and open the address it prints.
- cmif.xml: the letter index in CMIF{f' ({cmif_summary})' if cmif_summary else ''}.
- CITATION.cff, .zenodo.json, datacite.json: the deposit metadata.
"""
    return text.encode("utf-8")


def licence_text(config: dict) -> bytes:
    lines = [
        f"{config['title']}, version {config['version']}",
        "",
        f"Licence: {config['licence']['label']}",
        f"Legal code: {config['licence']['url']}legalcode",
        f"As printed in the source compilation: {config['licence']['as_printed']}",
    ]
    li = (config.get("letter_index") or {}).get("licence")
    if li:
        lines += ["", f"The letter index (cmif.xml) is licensed {li['label']} ({li['url']})."]
    return ("\n".join(lines) + "\n").encode("utf-8")
