"""A source whose text XML cannot hold: the characters XML 1.0 refuses (the C0 controls but
tab, newline and carriage return; U+FFFE, U+FFFF), which lxml refuses with a ValueError where
the conversion puts them into a tree. Looked for only once the conversion has failed so (a
scan of the whole source costs ~2 ms on the bundled corpus), and said as an input error
naming the file, the line and the fix."""

from __future__ import annotations

import re
from pathlib import Path

from teikit.core.errors import InputError

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def refuse(text: str, path: Path) -> None:
    """InputError when `text` (the source at `path`) holds a character XML cannot hold."""
    found = NOT_XML.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(f"Source file {str(path)!r} holds a character XML cannot hold (U+{ord(found.group()):04X} "
                         f"at line {line}). Remove it or replace it with a space, then convert again.")


def refuse_source(project, source: Path | None) -> None:
    """refuse() for the source a conversion of `project` reads (`source`, else the configured one)."""
    from teikit import projectinputs

    src = source or project.source_path(projectinputs.load_config(project.config_path))
    refuse(projectinputs.read_source(src), src)
