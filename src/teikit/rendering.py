"""`teikit html` and `teikit text` on files and folders: the application layer of teikit.transform.

It lists the inputs (folders expand to their *.xml files), reads them, hands the trees to
the stylesheets (teikit.transform.runner.Stylesheets, which read xslt/ through `Disk`) and
writes `<stem>.html` / `<stem>.txt` and the shared assets into the output folder: a folder
that does not exist yet is written afresh (plain writes into a new folder, put in place in
one step); into an existing one each file is written through a temporary file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

from teikit.core.errors import InputError, OutputError, RenderErrors, UsageError  # noqa: F401 (RenderErrors: raised here)
from teikit.disk import Disk, FolderSink, new_folder, remove_leftovers, writing_in_place


@functools.lru_cache(maxsize=None)
def stylesheets():
    """teikit's stylesheet folder (xslt/) on disk, compiled once per process."""
    from teikit import resources
    from teikit.transform.runner import Stylesheets

    folder = resources.xslt_dir()
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    return Stylesheets(Disk(), folder, names)


def asset_names(styles) -> list[str]:
    """The shared CSS/JS that rendered pages link (xslt/assets/*, not in subfolders)."""
    return [n for n in styles.names if n.startswith("assets/") and n.count("/") == 1]


def expand_paths(paths) -> list[Path]:
    """Files as given; folders expand to the *.xml files below them, sorted."""
    return [f for f, _ in expand_inputs(paths)]


def expand_inputs(paths) -> list[tuple[Path, str]]:
    """(file, output name without suffix) for each input: a file given is named by its stem;
    a folder gives every *.xml file below it (subfolders too, as `teikit validate` reads
    them), named by its path inside the folder (`letters/a`), so the output keeps the
    folder's layout."""
    from teikit.disk import files_below

    out: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            # a link to nothing is kept, so that it is reported as unreadable, not skipped unsaid
            names = sorted(n for n in _xml_below(p, files_below))
            if not names:
                raise InputError(f"folder {str(p)!r} holds no *.xml files. Give TEI files or folders of *.xml files.")
            out.extend((p / n, n[: -len(".xml")]) for n in names)
        elif p.is_file():
            out.append((p, p.stem))
        else:
            raise InputError(f"input {str(p)!r} not found. Give TEI files or folders of *.xml files.")
    return out


def _xml_below(folder: Path, files_below) -> list[str]:
    return [n for n in files_below(str(folder), dangling=True) if n.endswith(".xml")]


def read_tree(path: Path):
    """A TEI file parsed with the hardened parser; InputError when it cannot be read."""
    return _read(path)[0]


def _read(path: Path):
    """(tree, bytes) of a file; InputError when it cannot be read or is not well-formed."""
    from teikit.transform.runner import parse_tei

    try:
        data = path.read_bytes()
    except OSError as err:
        error = InputError(f"input {str(path)!r} cannot be read: {err.strerror}.")
        error.detail = f"cannot be read: {err.strerror or err}"
        raise error from None
    return parse_tei(data, str(path)), data


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def input_error(path: Path, err: Exception) -> str:
    """`file:line:col: error: what. How to fix it.` for an input that cannot be rendered."""
    from teikit.transform.runner import TransformError

    line, column = getattr(err, "line", 1) or 1, getattr(err, "column", 1) or 1
    detail = getattr(err, "detail", None)
    if detail is not None:
        detail = detail[:-1] if detail.endswith(".") else detail  # (libxml2's own full stop: the report adds one)
    if isinstance(err, TransformError):
        return (f"{path}:1:1: error: {err}. Check the file with `teikit validate {path}`; "
                "if it is valid TEI, this is a bug in teikit: please report it.")
    if detail is None:
        return f"{path}:1:1: error: {err}"
    if "cannot be read" in detail:
        return f"{path}:1:1: error: {detail}. Check that the file exists (a link: what it points to) and that you may read it."
    if "encoding" in detail.lower():
        return (f"{path}:{line}:{column}: error: not well-formed XML: {detail}. Save the file as UTF-8, or "
                f"declare the encoding it is in (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>, ...); "
                "the file is not rendered.")
    return (f"{path}:{line}:{column}: error: not well-formed XML: {detail}. Fix the XML there "
            f"(`teikit validate {path}` lists every problem); the file is not rendered.")


def transform_files(paths, out_dir, fmt: str = "html", params: dict | None = None, warn=_stderr,
                    error=_stderr) -> list[Path]:
    """Render each TEI file to out_dir/<stem>.html or .txt; return the written paths.

    For HTML, `tei-href` defaults to the relative path from out_dir to the input and the
    assets are copied into out_dir/assets/. `params` are stylesheet parameters for all files
    (UsageError, before anything is written, for a name the stylesheets do not declare).
    Warnings (links shown as text) go to `warn`, standard error by default. An input that
    cannot be rendered (unreadable, not well-formed, not TEI) is reported to `error` as
    `file:line:col: error: ...` and the others are still rendered; at the end RenderErrors
    (an InputError) says how many failed, after every other page has been written.
    """
    from teikit.transform.runner import FORMATS, TransformError, root_error

    if fmt not in FORMATS:
        raise UsageError(f"format {fmt!r} unknown. Use one of: {', '.join(FORMATS)}.")
    out_dir = Path(out_dir)
    stems: dict[str, Path] = {}
    for f, stem in expand_inputs(paths):
        if stem in stems and stems[stem].resolve() != f.resolve():
            raise UsageError(f"inputs {str(stems[stem])!r} and {str(f)!r} would both write {stem}{FORMATS[fmt][1]}. "
                             "Rename one, or render them into separate folders (-o).")
        stems[stem] = f
    styles = stylesheets()
    styles.params(params or {})  # an unknown name stops here, before any output
    written: list[Path] = []
    failed: list[Path] = []
    fresh = not out_dir.exists()
    with _output(out_dir) as sink:
        for stem, f in stems.items():
            try:
                tree, data = _read(f)
                problem = root_error(tree, str(f), data)
                if problem:
                    failed.append(f)
                    error(problem)
                    continue
                out = _render_one(styles, tree, f, out_dir, stem, fmt, params, warn)
            except (InputError, TransformError) as err:
                failed.append(f)
                error(input_error(f, err))
                continue
            name = stem + FORMATS[fmt][1]
            sink.write(name, out)
            written.append(out_dir / name)
        if fmt == "html" and written:
            for name in asset_names(styles):
                sink.write(name, styles.read(name))
    if fresh and not written and out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()  # nothing rendered: no empty folder made
    if failed:
        kept = f"; the other {len(written)} were written to {str(out_dir)!r}" if written else ""
        raise RenderErrors(f"{len(failed)} of {len(stems)} inputs could not be rendered (errors above){kept}.",
                           written, failed)
    return written


def _render_one(styles, tree, f: Path, out_dir: Path, stem: str, fmt: str, params, warn) -> bytes:
    """The output for `f` (UTF-8 bytes), written as out_dir/<stem> plus the suffix (`stem` may
    hold folders: the page then links the shared assets/ of out_dir from there)."""
    if fmt != "html":
        return styles.text(tree, **(params or {})).encode("utf-8")
    # relative URLs of the TEI are relative to its folder: the page links them through it
    here = (out_dir / stem).parent.resolve()
    folder = Path(os.path.relpath(f.resolve().parent, here)).as_posix()
    p = {"tei_href": Path(os.path.relpath(f.resolve(), here)).as_posix(),
         "link_base": "" if folder == "." else folder + "/"}
    if "/" in stem:
        p["assets_href"] = "../" * stem.count("/") + "assets/"
    p.update(params or {})
    return styles.html_bytes(tree, warn=warn, **p)


class _Pages:
    """The Sink of transform_files: an OutputError names the file that cannot be written (in
    `shown`, the folder the user named, also while a new one is being written beside it)."""

    def __init__(self, folder: Path, atomic: bool, shown: Path | None = None):
        self.sink = FolderSink(folder, atomic=atomic)
        self.shown = shown or folder

    def write(self, name: str, data: bytes) -> None:
        try:
            self.sink.write(name, data)
        except (OSError, OutputError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise OutputError(f"output {str(self.shown / name)!r} cannot be written: {reason}.") from None


@contextlib.contextmanager
def _output(out_dir: Path):
    """Where transform_files writes: a folder that does not exist yet is made afresh (plain
    writes into a new folder beside it, put in place when done, and also when an input fails
    half-way, so that the pages already rendered are kept, as with an existing folder);
    into an existing folder each file goes through a temporary file."""
    if out_dir.is_dir():  # what a run killed while it wrote there left first removed (disk.writing_in_place)
        remove_leftovers(Path(os.path.abspath(out_dir)).parent, Path(os.path.abspath(out_dir)).name)
        with writing_in_place(out_dir):
            yield _Pages(out_dir, atomic=True)
        return
    if out_dir.exists() or out_dir.is_symlink():
        raise OutputError(f"output folder {str(out_dir)!r} cannot be created: {os.strerror(17)}.")
    try:
        with new_folder(out_dir, keep_partial=True) as tmp:
            yield _Pages(tmp, atomic=False, shown=out_dir)
    except OutputError as err:
        reason = getattr(err, "reason", None)  # set on new_folder's own errors (making or placing the folder)
        if reason is None:
            raise
        raise OutputError(f"output folder {str(out_dir)!r} cannot be created: {reason}.") from None


def index_rendered(paths, out_dir: Path, only=None) -> tuple[int, Path]:
    """Index the TEI files `teikit html` rendered into out_dir (`--search`): one record per
    file, its URL the page's path in out_dir (`<stem>.html`, `letters/a.html`); `only`: the
    pages to index (e.g. those written); write out_dir/pagefind/ and out_dir/search.html."""
    from teikit.corpusdir import write_atomic
    from teikit.sitedir import write_index
    from teikit.transform.site import search

    out_dir = Path(out_dir)
    styles = stylesheets()
    wanted = None if only is None else {Path(p) for p in only}
    items = [(path, read_tree(path), f"{stem}.html") for path, stem in expand_inputs(paths)
             if wanted is None or out_dir / f"{stem}.html" in wanted]
    records = search.records_for_files(items, lambda tree: styles.text(tree))
    write_index(records, out_dir)
    page = out_dir / "search.html"
    with writing_in_place(out_dir):
        write_atomic(page, search.search_page("Search", len(records)))
    return len(records), page
