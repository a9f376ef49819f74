"""The foreign TEI of bench/bench_transform.py: where each file comes from and how to get it.

Nothing here is in the repository: the files are copied to a data folder (default
/work/benchdata, or $TEIKIT_BENCHDATA) by

    python bench/bench_transform.py prepare [--git-dir OWNER/NAME=PATH ...]

which reads each repository at the commit below, from a bare clone given with --git-dir,
from /work/.mirror/OWNER+NAME/repo when that exists, or else from
`git clone --bare https://github.com/OWNER/NAME` into the data folder (the only step that
uses the network). The TEI Stylesheets (for the Saxon comparison) come the same way.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DATA = Path(os.environ.get("TEIKIT_BENCHDATA", "/work/benchdata"))
BATCH_DIR = DATA / "batch"            # the foreign files, flat, one name per file
STYLESHEETS_DIR = DATA / "tei-stylesheets"

STYLESHEETS = ("TEIC/Stylesheets", "b5cdfd28410b2093a62e1e6faa0808e7c232c5bd", ["html", "common", "VERSION", "i18n.xml"])

#: repository, commit, files: FRUS (the Office of the Historian), a letter edition (Dehmel),
#: letters (DTA Soldatenbriefe), EpiDoc (I.Sicily), the TEI Stylesheets' own test files
SOURCES = [
    ("HistoryAtState/frus-history", "a6bd97c22fcf0d946f6a36890357cf5e95d02256", [
        "monograph/frus-history.xml",
        "documents/1958-11-07-hac-meeting-minutes.xml",
        "documents/1972-11-03-hac-meeting-minutes.xml",
        "documents/1983-11-10-hac-meeting-minutes.xml",
        "articles/eureka-the-1925-frus-order.xml",
    ]),
    ("subhh/dehmel-daten", "af555d4675cbbcf116a7b889db599573152b9dd0", [
        "brief/ansorge.xml",
        *(f"brief/{b}/content.xml" for b in (
            "HANSb13548", "HANSb23603", "HANSb313110", "HANSb314358",
            "HANSb336064", "HANSb336529", "HANSb337726")),
    ]),
    ("deutschestextarchiv/soldatenbriefe", "01cf0afbe1dddad61986160739aca971698bab18", [
        f"data/letter-{i:03d}.xml" for i in (1, 2, 3, 37)
    ]),
    ("ISicily/ISicily", "78e56437e9e22b9ab8bde76bc296d334d8b5f370", [
        *(f"inscriptions/ISic{i:06d}.xml" for i in range(2, 9)), "inscriptions/ISic001174.xml",
    ]),
    ("TEIC/Stylesheets", STYLESHEETS[1], [
        f"Test/{n}.xml" for n in (
            "test3", "test4", "test6", "test8", "test20", "test22", "test28",
            "testapp", "testapp2", "testnotes1", "testtranscr", "testindex")
    ]),
]


def flat_name(repo: str, path: str) -> str:
    """One file name per source file: owner+name__dir__file.xml (unique stems for teikit html)."""
    return repo.replace("/", "+") + "__" + path.replace("/", "__")


def git_dir(repo: str, given: dict[str, Path]) -> Path:
    if repo in given:
        return given[repo]
    mirror = Path("/work/.mirror") / repo.replace("/", "+") / "repo"
    if mirror.is_dir():
        return mirror
    clone = DATA / "git" / repo.replace("/", "+")
    if not clone.is_dir():
        clone.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--bare", "--filter=blob:limit=8m",
                        f"https://github.com/{repo}", str(clone)], check=True)
    return clone


def _show(gd: Path, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(gd), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def _tree_files(gd: Path, commit: str, paths: list[str]) -> list[str]:
    out = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "--name-only", commit, "--", *paths],
                         check=True, capture_output=True, text=True).stdout
    return out.split()


def prepare(given: dict[str, Path]) -> None:
    """Copy the batch and the TEI Stylesheets into DATA."""
    BATCH_DIR.mkdir(parents=True, exist_ok=True)
    for repo, commit, paths in SOURCES:
        gd = git_dir(repo, given)
        for path in paths:
            (BATCH_DIR / flat_name(repo, path)).write_bytes(_show(gd, commit, path))
    repo, commit, paths = STYLESHEETS
    gd = git_dir(repo, given)
    for path in _tree_files(gd, commit, paths):
        target = STYLESHEETS_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_show(gd, commit, path))
    print(f"{len(list(BATCH_DIR.glob('*.xml')))} files in {BATCH_DIR}; TEI Stylesheets in {STYLESHEETS_DIR}")
