"""The Pagefind bundle is put in place as every new folder is (teikit.disk.new_folder):
whole, with the usual folder mode (a web server running as another user reads it), and a
failed run leaves the previous bundle and nothing beside it."""

import os
import stat
import sys

import pytest

from teikit import sitedir
from teikit.corpusdir import usual_mode

RECORDS = [{"url": "d1.html", "language": "en", "content": "text", "meta": {"title": "T"}, "filters": {}, "sort": {}}]


def _fake_pagefind(tmp_path, code: str):
    script = tmp_path / "fake-pagefind"
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib\nargs = sys.argv\n{code}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_bundle_gets_the_usual_mode_and_replaces_the_old_one(tmp_path, monkeypatch):
    fake = _fake_pagefind(tmp_path, "out = pathlib.Path(args[args.index('--output-path') + 1])\n"
                                    "(out / 'pagefind-entry.json').write_text('{}')")
    monkeypatch.setattr(sitedir, "executable", lambda: fake)
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "old.json").write_text("old")
    bundle = sitedir.write_index(RECORDS, site)
    assert sorted(p.name for p in bundle.iterdir()) == ["pagefind-entry.json"]
    assert stat.S_IMODE(os.stat(bundle).st_mode) == usual_mode(directory=True)
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]


def test_a_failed_pagefind_leaves_the_previous_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(sitedir, "executable", lambda: _fake_pagefind(tmp_path, "sys.exit(3)"))
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "old.json").write_text("old")
    with pytest.raises(sitedir.SearchError, match="exit 3"):
        sitedir.write_index(RECORDS, site)
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]
    assert (site / "pagefind" / "old.json").read_text() == "old"


def test_pagefinds_binary_is_found_where_the_pagefind_package_looks_without_importing_its_service(tmp_path, monkeypatch):
    """PAGEFIND_BINARY_PATH first, then the pagefind-bin package (the dependency), then PATH;
    the same binary pagefind.service.get_executable names, and asyncio never imported."""
    import subprocess

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    pagefind_bin = pytest.importorskip("pagefind_bin")
    assert sitedir.executable() == pagefind_bin.get_executable()
    named = tmp_path / "my-pagefind"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(named))
    assert sitedir.executable() == named
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "")  # empty: as unset
    assert sitedir.executable() == pagefind_bin.get_executable()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # not installed: PATH's
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    on_path = tmp_path / "bin"
    on_path.mkdir()
    (on_path / "pagefind").write_text("#!/bin/sh\n")
    (on_path / "pagefind").chmod(0o755)
    monkeypatch.setenv("PATH", str(on_path))
    assert sitedir.executable() == on_path / "pagefind"
    (on_path / "pagefind").unlink()
    with pytest.raises(sitedir.SearchError, match="pip install pagefind-bin"):
        sitedir.executable()
    probe = "import sys; from teikit import sitedir; sitedir.executable(); print('asyncio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "PAGEFIND_BINARY_PATH"})
    assert out.stdout.strip() == "False"
