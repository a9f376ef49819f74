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
