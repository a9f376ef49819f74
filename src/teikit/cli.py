"""Command-line interface: thin click commands over the library.

This is the one place that turns TeikitError into `Error: ...` on stderr and an exit code:
0 success; 1 findings or bad input; 2 usage error or unreadable schema.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .errors import TeikitError


class TeikitGroup(click.Group):
    """A click group that reports TeikitError as one line on stderr, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TeikitError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=TeikitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teikit")
def main():
    """teikit: compiled archival texts to a citable TEI P5 corpus; validate; publish."""


# --- commands -------------------------------------------------------------------------


def _render(paths, out_dir, fmt):
    from .transform import transform_files

    for written in transform_files(paths, out_dir, fmt=fmt):
        click.echo(str(written))


@main.command("html")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out-dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
def html_cmd(paths, out_dir):
    """Render TEI files (folders: their *.xml) to OUT_DIR/<stem>.html plus assets/."""
    _render(paths, out_dir, "html")


@main.command("text")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out-dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
def text_cmd(paths, out_dir):
    """Render TEI files (folders: their *.xml) to OUT_DIR/<stem>.txt (UTF-8)."""
    _render(paths, out_dir, "text")
