"""teikit's public Python API (importable from `teikit`; documented in docs/api.md).

Library calls take and return strings, bytes, dicts and lxml trees:

    convert_text(text, config, ...)        a compilation's text -> Conversion (TEI bytes per file)
    validate_files(paths), validate_trees  TEI files or trees -> Report of Issues
    transform_tree(tree, "html" | "text")  a TEI tree -> an HTML page or plain text
    cite(tree, config, xml_id=None)        a TEI document (or one of its passages) -> Citation

(The names differ from the subpackages teikit.validate, teikit.transform: a function called
`teikit.validate` would be replaced by the subpackage once that is imported.)

Project calls read and write a corpus folder (corpus/source, corpus/tei, ...), the same
work as the command line, which uses only this module:

    Project(Path("corpus")), load_config, load_registry, load_overrides, build_project,
    convert_project, check_project, status, segment_report, export_cmif, make_bag, verify_bag
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from teikit.core.errors import (ConfigError, InputError, Issue, OutputError, RenderErrors,  # noqa: F401
                                TeikitError, UsageError)


def __getattr__(name: str):
    """`Project` (teikit.project), imported when first asked for: the command line's
    `teikit validate` needs no project."""
    if name == "Project":
        from teikit.project import Project

        return Project
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Conversion", "Project", "TeikitError", "Issue",
    "convert_text", "validate_files", "validate_trees", "transform_tree", "cite", "csl_json_text", "retired_passages",
    "load_config", "load_registry", "load_overrides", "read_source", "build_project", "convert_project",
    "check_project", "status", "segment", "segment_report", "export_cmif", "make_bag", "verify_bag",
    "load_document", "combine_reports", "render_report", "transform_files", "project_schema", "write_text",
]


# --- library calls: text, bytes and trees in and out ---------------------------------------
@dataclass
class Conversion:
    """The result of `convert_text`."""

    files: dict[str, bytes]  # file name -> TEI (documents, front/back matter, registries, corpus.xml)
    trees: dict = field(default_factory=dict)  # file name -> lxml root element
    compilation: object = None  # teikit.convert.model.Compilation: the documents and their fields
    idmap: dict = field(default_factory=dict)  # the id map after this conversion (write it to keep ids stable)
    check: object = None  # teikit.convert.check.CheckResult: every source word found, in order?
    notes: list[str] = field(default_factory=list)  # ids assigned, retired or kept

    @property
    def documents(self) -> list:
        return self.compilation.documents


def convert_text(text: str, config: dict, *, source_name: str = "source.md", registry=None, overrides=None,
                 idmap: dict | None = None, date: str | None = None) -> Conversion:
    """Convert a compilation's text into TEI, using a corpus configuration (a dict as in
    corpus.json, see `load_config`), optionally a Registry, Overrides and an earlier id map.
    Raises CheckError when a word of the source would be lost."""
    from teikit import pipeline
    from teikit import projectinputs
    from teikit.convert import idmap as idmapmod

    comp, new_map, notes = pipeline.convert_text(text, source_name, config, idmap or idmapmod.load(None),
                                                 overrides, registry)
    rendered = pipeline.render(comp, config, date or projectinputs.build_date(config), None, registry)
    result = pipeline.nothing_lost(text, rendered)
    pipeline.raise_if_lost(result, source_name)
    return Conversion({n: r[0] for n, r in rendered.items()}, {n: r[1] for n, r in rendered.items()},
                      comp, new_map, result, notes)


def validate_files(paths, *, schema="auto", schematrons=(), shard: str | None = None, **options):
    """Validate TEI files and folders: well-formedness, RELAX NG (`schema`: a path; "auto",
    each file's <?xml-model?> through the XML catalogs; "none"), Schematron, cross-document
    checks. `shard` "K/N" validates the K-th of N parts of the file list; other options as
    teikit.validation.validate_paths (engine, jobs, cross_document, catalogs,
    strict_schema, embedded_schematron, phase). -> Report."""
    from teikit import _no_collections

    with _no_collections():  # the validation modules (see teikit._no_collections)
        from teikit.validation import parse_shard, validate_paths
    return validate_paths(paths, schema=schema, schematrons=schematrons, shard=parse_shard(shard), **options)


def combine_reports(paths) -> object:
    """One Report from teikit JSON reports (the shards of a CI matrix)."""
    from teikit.validate import reports

    parts = []
    for name in paths:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"--combine: cannot read report {str(name)!r}: {err.strerror}") from None
        parts.append(reports.from_json(text, str(name)))
    return reports.combine(parts)


def validate_trees(trees: dict, *, schema=None, schematrons=(), cross_document: bool = True, files=None,
                   **options):
    """Validate TEI documents held in memory ({name: lxml tree or element, or bytes}), as
    `validate_files` validates files; the findings name the given names. What they name
    (XInclude targets, <?xml-model?> schemas, Schematron), relative to those names, comes
    from `files`: {name: bytes} or a teikit.core.files.Files such as MemoryFiles (default:
    nothing); teikit's shipped schemas, absolute paths and the `schema`/`schematrons` named
    here are read from the disk. Other options as `validate_files` (catalogs, strict_schema,
    embedded_schematron, phase)."""
    from teikit.validation import validate_memory

    return validate_memory(trees, files=files, schema=schema, schematrons=schematrons,
                           cross_document=cross_document, **options)


def render_report(report, fmt: str = "text") -> str:
    """A validation Report as text, json, junit or github annotations."""
    from teikit.validate.reports import render

    return render(report, fmt)


def transform_tree(tree, fmt: str = "html", **params) -> str:
    """A TEI tree as an HTML page (fmt "html") or plain text ("text"), by teikit's XSLT 1.0
    stylesheets; `params` are their parameters (see docs/transforms.md)."""
    from teikit.rendering import stylesheets
    from teikit.transform import runner

    if fmt not in runner.FORMATS:
        raise UsageError(f"Unknown format {fmt!r}; choose one of: {', '.join(runner.FORMATS)}")
    return stylesheets().render(tree, fmt, **params)


def cite(tree, config: dict, xml_id: str | None = None, retired: dict[str, str] | None = None):
    """The Citation (text, CSL-JSON, BibTeX) of a TEI document, or of its passage `xml_id`;
    `retired` (see `retired_passages`) resolves a retired passage id to the passage now holding it."""
    from teikit.publish import cite as citemod

    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return citemod.for_paragraph(root, config, xml_id, retired) if xml_id else citemod.for_document(root, config)


def retired_passages(project: Project) -> dict[str, str]:
    """The project's retired passage ids (corpus/idmap.json): old id -> the id holding the passage now."""
    from teikit.corpusdir import retired_passages as read

    return read(project.idmap_path)


def csl_json_text(citation) -> str:
    from teikit.publish import cite as citemod

    return citemod.csl_json_text(citation)


# --- project calls: a corpus folder on disk --------------------------------------------------
def load_config(path) -> dict:
    """A corpus configuration (corpus.json), checked by its schema."""
    from teikit import projectinputs

    return projectinputs.load_config(Path(path))


def read_source(path) -> str:
    from teikit import projectinputs

    return projectinputs.read_source(Path(path))


def load_registry(project: Project, config: dict):
    from teikit import projectinputs

    return projectinputs.load_registry(project, config)


def load_overrides(project: Project):
    from teikit import projectinputs

    return projectinputs.load_overrides(project)


def build_project(project: Project, build_dir, *, site: bool = True, force: bool = False, progress=None, say=print) -> int:
    """`teikit build`: exit code 0 done, 1 findings or conflicts (see teikit.build)."""
    from teikit import build as buildmod

    return buildmod.build(project, Path(build_dir), site=site, force=force, progress=progress, say=say)


def convert_project(project: Project, out_dir=None, *, source=None, update_idmap: bool = True, force: bool = False):
    from teikit import pipeline

    return pipeline.convert_project(project, Path(out_dir) if out_dir else None, source=Path(source) if source else None,
                                    update_idmap=update_idmap, force=force)


def segment(project: Project, source) -> tuple[object, object]:
    """(Compilation, Registry) of a source read with the project's configuration; writes nothing."""
    from teikit import pipeline
    from teikit.convert import idmap as idmapmod

    config = load_config(project.config_path)
    text = read_source(source)
    pinned = project.idmap_path.read_text(encoding="utf-8") if project.idmap_path.exists() else None
    registry = load_registry(project, config)
    comp, _map, _notes = pipeline.convert_text(text, Path(source).name, config, idmapmod.load(pinned),
                                               load_overrides(project), registry)
    return comp, registry


def segment_report(project: Project, source, fmt: str = "text") -> str:
    """The review table of `teikit segment` (fmt "text" or "json")."""
    from teikit.convert import segreport

    comp, registry = segment(project, source)
    if fmt == "json":
        return segreport.as_json(comp, registry=registry)
    return segreport.as_text(comp, registry=registry, registry_dir=project.registry_dir(load_config(project.config_path)))


def check_project(project: Project, say=print) -> int:
    from teikit import build as buildmod

    return buildmod.check_existing(project, say=say)


def status(project: Project, say=print) -> int:
    from teikit import build as buildmod

    return buildmod.status(project, say=say)


def load_document(project: Project, doc_id: str):
    from teikit.corpusdir import load_document as load

    return load(project, doc_id)


def transform_files(paths, out_dir, fmt: str = "html", params: dict | None = None) -> list[Path]:
    """Render TEI files (folders: their *.xml) into `out_dir`; returns the pages written. When
    some inputs cannot be rendered, the others are, and `RenderErrors` (its `.written`: the
    pages written) is raised after them."""
    from teikit.rendering import transform_files as run

    return run(paths, out_dir, fmt=fmt, params=params)


def index_pages(paths, out_dir, only=None) -> tuple[int, Path]:
    """Index with Pagefind the pages `transform_files` wrote to `out_dir` for `paths` (files or
    folders: the *.xml below them; `only`: the pages to index, e.g. those written);
    returns (files indexed, the search page)."""
    from teikit.rendering import index_rendered

    return index_rendered(paths, out_dir, only)


def serve_site(site_dir, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False):
    """An HTTP server for a built site (a `http.server` object: call `serve_forever()`), and
    its URL."""
    from teikit.serve import make_server, url_of

    server = make_server(Path(site_dir), host, port, verbose)
    return server, url_of(server)


def project_schema():
    from teikit.validation import project_schema as find

    return find()


def export_cmif(project: Project, output) -> str:
    """Write the CMIF letter index to `output`; return its coverage summary."""
    from teikit import pipeline
    from teikit import projectinputs
    from teikit.corpusdir import corpus_documents
    from teikit.publish import cmif

    config = load_config(project.config_path)
    from teikit.validation import shipped_schematron

    data, cov = cmif.export(corpus_documents(project.tei_dir), config, load_registry(project, config),
                            projectinputs.build_date(config), shipped_schematron("cmif.sch"))
    pipeline.write_file_atomic(Path(output), data)
    return cov.summary()


def make_bag(project: Project, out_dir):
    from teikit.package import package as run

    return run(project, Path(out_dir))


def verify_bag(folder):
    from teikit.package import verify

    return verify(Path(folder))


def write_text(path, text: str, what: str = "file") -> None:
    """Write text (UTF-8) to a file atomically; UsageError naming the file when it cannot be."""
    from teikit.corpusdir import write_atomic

    try:
        write_atomic(Path(path), text.encode("utf-8"))
    except OutputError:
        raise UsageError(f"Cannot write {what} {str(path)!r}: choose a writable location.") from None
