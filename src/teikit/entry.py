"""The `teikit` program's entry point (the console script and `python -m teikit`): the
command line of teikit.cli, with a short way in for the command CI runs.

`teikit validate [PATHS...]` with no option at all needs nothing of click: importing click
and building its 12 commands and 44 options costs about 12 ms, all of it before any file is
read, in a command that takes 0.2 s. So `main` runs that one command line here, through
the same function the click command calls (`validate_command`), and hands every other
command line to click (teikit.cli.main), unchanged. The same holds for `teikit build`
alone off a terminal (`plain_build`: the README's main command in CI or a script; on a
terminal the build draws click's progress bar): `build_command` is build_cmd with its
defaults, its messages written as click.echo(..., err=True) writes them (`say`).

Why the short way gives what click gives (tests/test_entry.py checks each point against
click itself):
- `plain_validate` takes only a line that click reads as the validate command with PATHS
  and every option at its default: the first word is `validate` (the group has no other
  way to it: it takes no option before the command, and click does not abbreviate command
  names); no later word begins with `-` (an option, `--`, `-`, `-h`, a negative number:
  click's parser would look at them); each PATH is what `click.Path()` returns for it, the
  string as given, unless the path exists and is not readable, which click refuses ("Path
  'x' is not readable."): such a line goes to click; no shell completion is asked
  (`_..._COMPLETE` in the environment); POSIX only (on Windows click expands wildcards).
- `validate_command`'s keyword defaults are the click options' defaults.
- `echo` writes what click.echo writes: a str, on a text stdout that click would use as it
  is (an io.TextIOWrapper not in ASCII) and with no ESC character (click strips ANSI codes
  when stdout is no terminal; without ESC there are none) is written and flushed; anything
  else is written by click.echo itself.
- An exception (anything but SystemExit) is handed to click (teikit.cli.raised_in_click):
  click runs the same command line with the validate command raising it, so TeikitGroup's
  and click's own handling (the `Error: ...` line, the exit code, "Aborted!") apply as
  they are.

This module imports nothing of teikit but the public API (teikit.api), as teikit.cli.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """The `teikit` program: `teikit validate [PATHS]` here, anything else through click."""
    args = sys.argv[1:]
    paths = plain_validate(args)
    if args and args[0] == "validate":  # with options too (the GitHub Action's --format github)
        _freeze_what_imports_make()
    if paths is None and not plain_build(args):
        from teikit.cli import main as click_main

        click_main()
        return
    try:
        if paths is None:
            build_command()
        else:
            validate_command(paths, echo=echo)
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 (every one goes to click's own handling)
        from teikit.cli import raised_in_click

        raised_in_click(err, args)


def _freeze_what_imports_make() -> None:
    """This process is the program's own: what the interpreter and teikit's package made so
    far, and what each later import block makes (teikit._no_collections.freeze), is frozen
    (gc.freeze) instead of walked by the next collection (~1 ms after teikit's package, ~4 ms
    after the validation modules; nothing of it is garbage: modules, functions, classes)."""
    import gc

    import teikit

    gc.freeze()
    teikit._no_collections.freeze = True


def plain_validate(args: list[str]) -> tuple[str, ...] | None:
    """The PATHS of `validate PATHS...` when click would read `args` as the validate command
    with only PATHS given and take each one as it is (see the module's docstring); else None."""
    if os.name != "posix" or not args or args[0] != "validate":
        return None
    paths = args[1:]
    if any(a.startswith("-") for a in paths):
        return None
    if _completion_asked():
        return None
    for path in paths:
        try:
            os.stat(path)
        except (OSError, ValueError):
            continue  # click.Path(): a path that is not there is taken as it is
        if not os.access(path, os.R_OK):
            return None
    return tuple(paths)


def plain_build(args: list[str]) -> bool:
    """Whether `args` is `build` alone, which click reads as the build command with every
    option at its default, on a stderr that is no terminal (on one, the build draws click's
    progress bar: teikit.cli.BuildProgress); POSIX, no shell completion asked. The README's
    main command, run by CI or a script: click's import and its commands (~15 ms of CPU before
    the first file is read) are left out as for `validate PATHS`."""
    if os.name != "posix" or args != ["build"] or _completion_asked():
        return False
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one: click's
        return False


def _completion_asked() -> bool:
    return any(name.startswith("_") and name.endswith("_COMPLETE") and value for name, value in os.environ.items())


def build_command() -> None:
    """`teikit build` with every option at its default (teikit.cli.build_cmd's, which
    tests/test_entry.py checks): corpus/ into build/, the site written, hand edits kept, the
    messages on stderr (`say`), no progress bar (stderr is no terminal); then the exit code
    (`finish`)."""
    from pathlib import Path

    from teikit import api

    finish(api.build_project(api.Project(Path("corpus")), "build", site=True, force=False, progress=None, say=say))


def echo(text: str) -> None:
    """click.echo(text, nl=False) on stdout, without importing click where it would write
    `text` as it is to sys.stdout (see the module's docstring)."""
    if not _write(sys.stdout, text):
        import click

        click.echo(text, nl=False)


def say(message: str) -> None:
    """click.echo(message, err=True), a line on stderr (teikit.cli's messages of a command),
    without importing click where it would write the line as it is (as `echo`)."""
    if not _write(sys.stderr, message + "\n" if isinstance(message, str) else message):
        import click

        click.echo(message, err=True)


def _write(out, text) -> bool:
    """`text` written to `out` and flushed, where click.echo would write it as it is (a str
    without ESC, on a text stream click uses as it is: see the module's docstring); False,
    nothing written, elsewhere."""
    import io

    if not (isinstance(text, str) and "\033" not in text and type(out) is io.TextIOWrapper
            and out.errors is not None and _not_ascii(out.encoding)):
        return False
    if text:
        out.write(text)
    out.flush()
    return True


def _not_ascii(encoding) -> bool:
    import codecs

    try:
        return bool(encoding) and codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def validate_command(paths, *, schema="auto", catalogs=(), strict_schema=False, schematrons=(),
                     embedded_schematron="warn", phase=None, engine="lxml", fmt="text", fail_on="error",
                     jobs=None, cross_document=None, shard=None, combine_reports=False, output=None,
                     no_cache=False, echo=echo):
    """`teikit validate` (teikit.cli.validate_cmd: its options, their defaults here): the report
    in `fmt` on stdout (`echo`) or in `output`, then the exit code (`finish`)."""
    from teikit import api

    if combine_reports:
        if not paths:
            raise api.UsageError("--combine: give the JSON reports to combine (teikit validate --format json -o FILE)")
        report = api.combine_reports(paths)
    else:
        report = api.validate_files(paths or ("corpus/tei",), schema=schema, schematrons=schematrons,
                                    engine=engine, jobs=jobs, cross_document=cross_document,
                                    catalogs=catalogs, strict_schema=strict_schema,
                                    shard=shard, embedded_schematron=embedded_schematron, phase=phase,
                                    cache=not no_cache, keep=KEPT)
    text = api.render_report(report, fmt)
    if output:
        api.write_text(output, text, "report")
    else:
        echo(text)
    finish(1 if report.fails(fail_on) else 0)


#: what a command's run built (a corpus's parsed trees): freed only if the process goes on
KEPT: list = []


def ends_at_once() -> bool:
    """Whether `finish` will end this process at once (os._exit): run as the `teikit` program,
    not interactive, under no profiler or tracer. What a command puts in KEPT is then never
    freed; otherwise it is let go at `finish`."""
    program = os.path.normpath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return (os.path.basename(program) == "teikit" or program.endswith(os.path.join("teikit", "__main__.py"))) \
        and not sys.flags.interactive and sys.getprofile() is None and sys.gettrace() is None


def finish(code: int):
    """End a command whose output is written. Run as the `teikit` program (or `python -m
    teikit`), the process ends at once: freeing the parsed trees of a corpus costs tens of
    milliseconds and nothing is left to do. Called in-process (click's CliRunner, a Python
    caller) or under a profiler or tracer (python -m cProfile -m teikit, coverage), which
    write their results at exit, it is an ordinary sys.exit, and what the run kept in
    KEPT is let go first."""
    if ends_at_once():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    KEPT.clear()
    sys.exit(code)
