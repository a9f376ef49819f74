"""The wheel ships the schemas and stylesheets, so a non-editable install works anywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from teikit import resources

from .conftest import ROOT


def test_resources_are_found_in_a_checkout():
    assert (resources.schema_dir() / "teikit.rng").is_file()
    assert (resources.xslt_dir() / "tei-to-html.xsl").is_file()


def test_the_wheel_carries_schema_and_xslt(tmp_path):
    project = tmp_path / "teikit"  # a copy: building writes build/ and *.egg-info beside the sources
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    for name in ("src", "schema", "xslt"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(project)],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("teikit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("teikit/_data/schema/teikit.rng", "teikit/_data/schema/teikit.sch",
                 "teikit/_data/schema/corpus.schema.json", "teikit/_data/schema/registry.schema.json",
                 "teikit/_data/schema/tei_all.rng", "teikit/_data/schema/catalog.xml",
                 "teikit/_data/xslt/common.xsl", "teikit/_data/xslt/tei-to-html.xsl",
                 "teikit/_data/xslt/tei-to-text.xsl", "teikit/_data/xslt/assets/teikit.css",
                 "teikit/cli.py", "teikit/convert/readers/segmenter.py"):
        assert name in names, name
