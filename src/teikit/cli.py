"""Command-line interface: thin click commands over the library.

This is the one place that turns TeikitError into `Error: ...` on stderr and an exit code:
0 success; 1 findings or bad input; 2 usage error or unreadable schema.
"""

from __future__ import annotations

import sys

from teikit import _no_collections

with _no_collections():  # click and the API: see teikit._no_collections
    import click

    from teikit import __version__
    from teikit import api
    from teikit.api import TeikitError
    from teikit.entry import finish, validate_command


class TeikitGroup(click.Group):
    """A click group that reports TeikitError as one line on stderr, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TeikitError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(err.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as err:  # a bug: say so in one line; TEIKIT_DEBUG=1 shows the traceback
            import os

            if os.environ.get("TEIKIT_DEBUG"):
                raise
            click.echo(
                f"Error: internal error ({type(err).__name__}: {err}). This is a bug in teikit; "
                f"please report it with the command you ran (TEIKIT_DEBUG=1 shows the traceback).",
                err=True,
            )
            sys.exit(1)


@click.group(cls=TeikitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teikit")
def main():
    """teikit: compiled archival texts to a citable TEI P5 corpus; validate; publish."""


# --- commands -------------------------------------------------------------------------
def _project(corpus: str):
    from pathlib import Path

    return api.Project(Path(corpus))


#: the stages of `teikit build`, and their share of its one progress bar
STAGES = (("convert", 30), ("check", 5), ("validate", 20), ("site", 40), ("text", 5))


class BuildProgress:
    """One click progress bar over the whole build, naming the stage and its count
    ("site 212/614"). On a terminal only: `make` gives None when stderr is not a tty."""

    def __init__(self):
        self.bar = None
        self.offset, done = {}, 0
        for name, share in STAGES:
            self.offset[name] = done
            done += share
        self.share = dict(STAGES)

    @classmethod
    def make(cls, quiet: bool):
        if quiet or not sys.stderr.isatty():
            return None
        return cls()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=1000, label="build", file=sys.stderr, show_eta=False, width=30)
            self.bar.__enter__()
        share = self.share.get(stage, 0)
        pos = 10 * (self.offset.get(stage, 0) + (share * done / total if total else share))
        self.bar.label = f"{stage} {done}/{total}".ljust(18)
        self.bar.update(max(0, int(pos) - self.bar.pos))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(1000 - self.bar.pos)
            self.bar.__exit__(None, None, None)
            self.bar = None


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        click.echo(message, err=True)


@main.command("build")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False), help="The corpus folder (source/, tei/).")
@click.option("--site/--no-site", default=True, show_default=True, help="Write the HTML site to build/site and text to build/text.")
@click.option("--build-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="Where the site and text go.")
@click.option("--force", is_flag=True, help="Discard hand edits of corpus/tei: write teikit's conversion over them.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
def build_cmd(corpus, site, build_dir, force, quiet):
    """The main job: convert the corpus, check nothing was lost, validate, write HTML and text.

    Only what changed is redone. Files of corpus/tei edited by hand are never overwritten:
    the edits are merged into the new conversion, or reported as conflicts (docs/editing.md).

    Exit codes: 0 done; 1 bad input, words lost, invalid TEI or a conflict with a hand edit; 2 usage.
    """
    if _RAISE:  # an exception met on teikit.entry's way in (`teikit build`): handled here as click handles it
        raise _RAISE.pop()
    progress = BuildProgress.make(quiet)
    messages = []

    def say(message):  # held back while the bar is drawn, so that they do not break it
        if progress is None:
            _say(quiet, message)
        else:
            messages.append(message)

    try:
        code = api.build_project(_project(corpus), build_dir, site=site, force=force, progress=progress, say=say)
    finally:
        if progress is not None:
            progress.close()
        for message in messages:
            _say(quiet, message)
    finish(code)  # as the `teikit` program: the process ends at once (the build's objects not torn down)


@main.command("status")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False))
def status_cmd(corpus):
    """List the files of corpus/tei edited by hand (and conflicts waiting to be resolved)."""
    sys.exit(api.status(_project(corpus), say=lambda m: click.echo(m)))


@main.command("convert")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--out-dir", default=None, type=click.Path(file_okay=False), help="Output folder (default: <corpus>/tei; one sub-folder per source when several).")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False), help="Corpus folder whose source/corpus.json configures the conversion.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def convert_cmd(sources, out_dir, corpus, quiet):
    """Convert SOURCE text files into one TEI file per document."""
    from pathlib import Path

    project = _project(corpus)
    for src in sources:
        target = Path(out_dir) if out_dir else project.tei_dir
        if len(sources) > 1:
            target = target / Path(src).stem
        result = api.convert_project(project, target, source=src, update_idmap=out_dir is None)
        _say(quiet, f"{src}: {len(result.compilation.documents)} documents -> {target}")
        written = result.written
        if written is not None:
            for message in written.conflicts:
                click.echo(message, err=True)
            if not written.ok:
                sys.exit(1)


@main.command("segment")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--report", is_flag=True, help="Print the review table (default when no other output is asked for).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False), help="Corpus folder whose source/corpus.json configures the reader.")
def segment_cmd(source, report, fmt, corpus):
    """Split SOURCE into documents and report the split and its metadata (writes nothing)."""
    click.echo(api.segment_report(_project(corpus), source, fmt), nl=False)


@main.command("check")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False))
def check_cmd(corpus):
    """Prove that every word of the source is in exactly one file of corpus/tei, in order."""
    sys.exit(api.check_project(_project(corpus), say=lambda m: click.echo(m)))




def _params(pairs) -> dict[str, str]:
    """--param NAME=VALUE options as a dict (UsageError without '='); names are checked
    against the stylesheets' declared parameters by transform_files."""
    out = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            raise api.UsageError(f"--param {pair!r} is not NAME=VALUE. Write e.g. --param facs-base=https://example.org/img/")
        out[name.strip()] = value
    return out


#: where `teikit html` / `teikit text` write when no -o is given (in the current folder)
DEFAULT_OUT = {"html": "teikit-html", "text": "teikit-text"}


def _render(paths, out_dir, fmt, params=(), search=False):
    """Render, list the pages written; with `search`, index them; exit 1 when an input failed
    (each reported as file:line:col: error: ..., the others rendered). No -o: the default
    output folder, named on stderr."""
    if out_dir is None:
        out_dir = DEFAULT_OUT[fmt]
        click.echo(f"writing to ./{out_dir}/ (the default output folder; -o DIR chooses another)", err=True)
    failure = None
    try:
        written = api.transform_files(paths, out_dir, fmt=fmt, params=_params(params))
    except api.RenderErrors as err:
        written, failure = err.written, err
    for page in written:
        click.echo(str(page))
    if search and written:
        count, page = api.index_pages(paths, out_dir, only=written)
        click.echo(f"indexed {count} files with Pagefind: {page} (serve the folder to search: teikit serve {out_dir})",
                   err=True)
    if failure is not None:
        raise failure


_PARAM_HELP = ("Stylesheet parameter NAME=VALUE, repeatable (e.g. facs-base=https://example.org/images/); "
               "names: the xsl:param of xslt/common.xsl, see docs/transforms.md.")


@main.command("html")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help=f"Output folder (default: ./{DEFAULT_OUT['html']} in the current folder).")
@click.option("--search", is_flag=True, help="Also index the pages with Pagefind: OUT_DIR/pagefind/ and OUT_DIR/search.html "
              "(search works when the folder is served: `teikit serve OUT_DIR`).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help=_PARAM_HELP)
def html_cmd(paths, out_dir, search, params):
    """Render TEI files (folders: their *.xml) to OUT_DIR/<stem>.html plus assets/
    (OUT_DIR: -o, default ./teikit-html).

    A file that cannot be rendered (unreadable, not well-formed, not TEI) is reported as
    file:line:col: error: ... and the others are still rendered; the exit code is then 1."""
    _render(paths, out_dir, "html", params, search)


@main.command("serve")
@click.argument("site_dir", default="build/site", type=click.Path(file_okay=False))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def serve_cmd(site_dir, port, host, verbose):
    """Preview a built site over HTTP (default: build/site), for the search page.

    Pagefind's search cannot load its index from file:// pages; every other page and the
    document list's filters work from file:// too. Stop with Ctrl-C.
    """
    server, url = api.serve_site(site_dir, host, port, verbose)
    click.echo(f"Serving {site_dir} at {url} (search: {url}search.html); Ctrl-C stops.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command("text")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help=f"Output folder (default: ./{DEFAULT_OUT['text']} in the current folder).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help=_PARAM_HELP)
def text_cmd(paths, out_dir, params):
    """Render TEI files (folders: their *.xml) to OUT_DIR/<stem>.txt, UTF-8 (OUT_DIR: -o,
    default ./teikit-text).

    A file that cannot be rendered is reported as file:line:col: error: ... and the others
    are still rendered; the exit code is then 1."""
    _render(paths, out_dir, "text", params)


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--schema", default="auto", show_default=True, help="RELAX NG grammar (XML syntax) for every file, 'auto': each file's <?xml-model?>, resolved offline through the XML catalogs, else TEI P5 tei_all (docs/validation.md); 'none': no RELAX NG.")
@click.option("--catalog", "catalogs", multiple=True, type=click.Path(dir_okay=False), help="OASIS XML catalog mapping schema URLs to local files; repeatable; consulted before teikit's (XML_CATALOG_FILES too).")
@click.option("--strict-schema", is_flag=True, help="A schema a file names that cannot be had is an error, not a tei_all stand-in.")
@click.option("--schematron", "schematrons", multiple=True, type=click.Path(), help="ISO Schematron schema; repeatable.")
@click.option("--embedded-schematron", type=click.Choice(["warn", "error", "off"]), default="warn", show_default=True, help="The Schematron rules embedded in each file's RELAX NG grammar (TEI's own constraints, XPath 2), as Oxygen runs them: warn reports their findings as warnings, so the verdict stays the grammar's (jing's); error keeps each rule's role; off skips them.")
@click.option("--phase", default=None, metavar="ID", help="Schematron phase of the --schematron schemas (default: their defaultPhase, else all patterns; #ALL: all).")
@click.option("--engine", type=click.Choice(["lxml", "jing"]), default="lxml", show_default=True, help="RELAX NG engine.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="Lowest severity that makes the exit code 1.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes sharing the work, this one included (default: one per CPU this process may use, by the size of the files; the report is the same for any number).")
@click.option("--cross-document/--no-cross-document", default=None, help="Check ids and pointers across all the files (default: only a teiCorpus with what it includes, and a teikit corpus folder).")
@click.option("--shard", default=None, metavar="K/N", help="Validate the K-th of N deterministic parts of the file list (a CI matrix).")
@click.option("--combine", "combine_reports", is_flag=True, help="Validate nothing: PATHS are teikit JSON reports (shards), combined into one report in --format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report to FILE instead of stdout.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Neither use nor keep earlier results (kept in a teikit corpus's .teikit/cache, else $TEIKIT_CACHE or $XDG_CACHE_HOME/teikit; the report is the same either way).")
def validate_cmd(paths, schema, catalogs, strict_schema, schematrons, embedded_schematron, phase, engine, fmt,
                 fail_on, jobs, cross_document, shard, combine_reports, output, no_cache):
    """Validate TEI files and folders (default: corpus/tei): well-formedness, RELAX NG,
    Schematron, cross-document. Exit 0 valid, 1 findings, 2 usage or unreadable schema."""
    if _RAISE:  # an exception met on teikit.entry's way in: handled here as click handles it
        raise _RAISE.pop()
    validate_command(paths, schema=schema, catalogs=catalogs, strict_schema=strict_schema, schematrons=schematrons,
                     embedded_schematron=embedded_schematron, phase=phase, engine=engine, fmt=fmt, fail_on=fail_on,
                     jobs=jobs, cross_document=cross_document, shard=shard, combine_reports=combine_reports,
                     output=output, no_cache=no_cache, echo=lambda text: click.echo(text, nl=False))


#: the exception teikit.entry met running `teikit validate PATHS` or `teikit build` by itself (raised_in_click)
_RAISE: list = []


def raised_in_click(err: BaseException, args: list[str]) -> None:
    """Handle `err`, met by teikit.entry while it ran the command line `args` (`validate
    PATHS...` or `build`, which click reads as that command with its defaults), exactly as it
    is handled when the command raises it: click runs `args` and the command (validate_cmd,
    build_cmd) raises it, so TeikitGroup's and click's own handling apply (messages, exit
    codes)."""
    _RAISE[:] = [err]
    try:
        main(args=list(args))
    finally:
        _RAISE.clear()



# --- citations, letter index, deposit bundle (issue 6) -------------------------------------
@main.command("cite")
@click.argument("doc_id")
@click.option("--format", "fmt", type=click.Choice(["text", "csl-json", "bibtex"]), default="text", show_default=True)
@click.option("--paragraph", "xml_id", default=None, help="Cite a passage: the @xml:id of a p, item, note or div.")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False))
def cite_cmd(doc_id, fmt, xml_id, corpus):
    """Print the citation of document DOC_ID (or of one of its paragraphs)."""
    project = _project(corpus)
    retired = api.retired_passages(project) if xml_id else {}
    result = api.cite(api.load_document(project, doc_id), api.load_config(project.config_path), xml_id, retired)
    if xml_id in retired and result.csl_json["id"] != xml_id:
        click.echo(f"note: {xml_id} was retired (corpus/idmap.json); its passage is now {result.csl_json['id']}.",
                   err=True)
    if fmt == "csl-json":
        click.echo(api.csl_json_text(result))
    elif fmt == "bibtex":
        click.echo(result.bibtex, nl=False)
    else:
        click.echo(result.text)


@main.group("export", cls=TeikitGroup)
def export_group():
    """Export the corpus in other formats (cmif)."""


@export_group.command("cmif")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The CMIF file to write.")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False))
def export_cmif_cmd(output, corpus):
    """Write the letter index in CMIF (for correspSearch); needs letter_index.licence in corpus.json."""
    summary = api.export_cmif(_project(corpus), output)
    click.echo(f"{output}: {summary}", err=True)


@main.command("package")
@click.option("-o", "--out-dir", default=None, type=click.Path(file_okay=False), help="Write the BagIt bag to this folder.")
@click.option("--verify", "verify_dir", default=None, type=click.Path(file_okay=False), help="Check an existing bag instead.")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False))
def package_cmd(out_dir, verify_dir, corpus):
    """Write the deposit bundle (BagIt 1.0), or check one with --verify.

    Exit codes: 0 done or bag valid; 1 bad input or invalid bag; 2 usage.
    """
    if (out_dir is None) == (verify_dir is None):
        raise api.UsageError("Give either -o DIR (write a bag) or --verify DIR (check a bag).")
    if verify_dir:
        result = api.verify_bag(verify_dir)
        for issue in result.issues:
            click.echo(issue.format(), err=True)
        if not result.ok:
            n = len(result.issues)
            click.echo(f"Error: {verify_dir}: bag is invalid ({n} problem{'' if n == 1 else 's'}).", err=True)
            sys.exit(1)
        click.echo(f"{verify_dir}: valid BagIt 1.0 bag, {result.files} payload files, {result.bytes} bytes")
        return
    result = api.make_bag(_project(corpus), out_dir)
    click.echo(f"{out_dir}: {result.files} payload files, {result.bytes} bytes; CMIF: {result.cmif_summary}", err=True)
