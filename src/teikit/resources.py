"""Where the shipped data folders are: `schema/` and `xslt/` (application layer).

In a source checkout (or an editable install) they are the repository's top-level
folders; in a wheel they are packaged as `teikit/_data/<name>` (see pyproject.toml).
Finding them looks at the file system, so the application layer does it and hands the
folders to the library, which reads what is in them through a `Files` object.
"""

from __future__ import annotations

from pathlib import Path


def _data_dir(name: str) -> Path:
    here = Path(__file__).resolve().parent
    repo = here.parents[1] / name
    if repo.is_dir():
        return repo
    packaged = here / "_data" / name  # an installed wheel: a folder beside this module
    if packaged.is_dir():
        return packaged
    from importlib import resources  # packaged otherwise (a zip)

    return Path(str(resources.files("teikit") / "_data" / name))


def schema_dir() -> Path:
    return _data_dir("schema")


def xslt_dir() -> Path:
    return _data_dir("xslt")
