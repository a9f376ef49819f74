"""Putting a finished folder in place of another in one step, so that a reader of `target`
sees either the old folder or the new one, never a half-written one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_folder(new: Path, target: Path) -> None:
    """Move the finished folder `new` to `target`, first moving an existing `target` aside
    (beside `new`, as `.<name>-old-<pid>`) and removing it once `new` is in place. `new`
    is made in the folder that holds `target`, so both renames stay on one file system.
    OSError propagates: the caller says what could not be written."""
    old = None
    if target.exists():
        old = new.parent / f".{target.name}-old-{os.getpid()}"
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
