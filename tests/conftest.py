"""Shared test helpers: where the project and ../shared are, and the CI rule for them.

Tests that need ../shared (the read-only development material) or jing skip when it is
absent on a user's clone, but fail when the environment variable CI is set.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCE = ROOT / "corpus" / "source" / "soviet-foreign-policy-documents-1919-1942.md"
TEI_ALL = SHARED / "tei" / "tei_all.rng"


OTHER = ROOT / "tests" / "data" / "sources" / "other-compilation"


def bundled_profile():
    """The reader profile of the bundled compilation (corpus/source/corpus.json, `reader`)."""
    import json

    from teikit.convert.readers.profile import ReaderProfile

    config = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text(encoding="utf-8"))
    return ReaderProfile.from_dict(config["reader"])


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """A copy of the small test compilation (tests/data/sources/other-compilation), built
    once with `teikit build --no-site`, so that corpus/tei exists."""
    from click.testing import CliRunner

    from teikit.cli import main

    target = tmp_path / "corpus"
    shutil.copytree(OTHER, target)
    result = CliRunner().invoke(main, ["build", "--corpus", str(target), "--no-site", "--quiet"])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture()
def tei(corpus) -> Path:
    """corpus/tei of the built test compilation."""
    return corpus / "tei"


@pytest.fixture()
def source_conventions():
    """Dates and archival references read with the bundled compilation's conventions (its
    reader profile's `dates` and `archive`), as `teikit build` reads them, for tests of its
    printed forms (`1937 g 25 on May`, `f. About`, `gas. "news"`)."""
    from teikit.convert import archive, dates

    profile = bundled_profile()
    with dates.conventions(profile.dates), archive.vocabulary(profile.archive):
        yield profile


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required when CI is set")
    pytest.skip(f"{what} is not available")


def need_shared() -> Path:
    if not SHARED.is_dir():
        _missing("../shared")
    return SHARED


def need_jing() -> str:
    jing = shutil.which("jing")
    if jing is None:
        _missing("jing (Debian package 'jing')")
    need_shared()
    return jing


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium for the browser tests (installed by scripts/test.sh)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        _missing("chromium (Debian package 'chromium')")
    return exe


def pytest_runtest_setup(item):
    """`@pytest.mark.needs_shared` / `needs_jing`: skip on a user's clone, fail when CI is set."""
    if item.get_closest_marker("needs_shared"):
        need_shared()
    if item.get_closest_marker("needs_jing"):
        need_jing()


# Property tests explore at random on a developer's machine; in CI they run a fixed set of
# examples so that a run is reproducible (a failure seen locally is kept in .hypothesis/).
try:
    from hypothesis import settings as _hsettings

    _hsettings.register_profile("ci", derandomize=True, deadline=None)
    if os.environ.get("CI"):
        _hsettings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def corpus_outputs(corpus: Path) -> dict[str, bytes]:
    """What a conversion leaves in a corpus folder: corpus/tei, the merge bases, the id map
    and the manifest, by name (two conversions that should agree compare these)."""
    out = {}
    for sub in ("tei", ".teikit/base"):
        for path in sorted((corpus / sub).glob("*")):
            out[f"{sub}/{path.name}"] = path.read_bytes()
    for name in ("idmap.json", "manifest.json"):
        out[name] = (corpus / name).read_bytes()
    return out


def said_lines(result, root) -> list[str]:
    """A CliRunner result's output as lines, `root` written ROOT and the times masked (the
    clause saying how much of Pagefind's run other work shared left out): what two builds that
    should agree both say."""
    text = result.output.replace(str(root), "ROOT")
    return re.sub(r"\d+\.\d+ s", "X s", re.sub(r", \d+\.\d+ s of it beside other work", "", text)).splitlines()


def site_outputs(build_dir: Path) -> dict[str, bytes]:
    """The site's and the text files' bytes under `build_dir`, by name (Pagefind's own folder aside)."""
    return {str(p.relative_to(build_dir)): p.read_bytes() for sub in ("site", "text")
            for p in sorted((build_dir / sub).rglob("*")) if p.is_file() and "pagefind" not in p.parts}


def keyword_calls(monkeypatch, owner, name: str, keyword: str) -> list:
    """`owner.name` replaced by a spy that calls it as before and notes, for each call from
    now on, the `keyword` argument it was given (None: not given); the list is the caller's."""
    seen: list = []
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        seen.append(kwargs.get(keyword))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return seen


def ahead_forks(monkeypatch) -> list:
    """The validation children forked ahead from now on (teikit.besidesite.Ahead), as the
    `word` each was made with (None: not given); the list is the caller's to clear."""
    from teikit import besidesite

    return keyword_calls(monkeypatch, besidesite, "Ahead", "word")
