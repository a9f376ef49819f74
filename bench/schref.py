"""An independent Schematron reference: SchXslt (XSLT 2.0) run by Saxon, for comparing
teikit's findings (bench/bench_schematron.py, tests/test_schematron.py). Never a runtime
dependency of teikit.

Saxon: the `saxonche` package when it is installed, else Debian's Saxon-HE
(`libsaxonhe-java`, /usr/share/java/Saxon-HE.jar) under `java`. SchXslt: the folder in
`$TEIKIT_SCHXSLT` holding `pipeline-for-svrl.xsl` (SchXslt's `core/src/main/resources/
xslt/2.0`), else a snapshot of github.com/schxslt/schxslt fetched under /work/.mirror.
`available()` says why the reference cannot run, or None.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
MIRROR = Path("/work/.mirror/schxslt+schxslt/repo")
_INNER = "core/src/main/resources/xslt/2.0"
_CACHE = Path(tempfile.gettempdir()) / "teikit-schref"


def schxslt_dir() -> Path | None:
    env = os.environ.get("TEIKIT_SCHXSLT")
    if env and (Path(env) / "pipeline-for-svrl.xsl").is_file():
        return Path(env)
    target = _CACHE / "schxslt"
    if (target / _INNER / "pipeline-for-svrl.xsl").is_file():
        return target / _INNER
    if MIRROR.is_dir() and shutil.which("git"):
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "--git-dir", str(MIRROR), "archive", "HEAD", _INNER],
                                 capture_output=True)
        if archive.returncode == 0:
            subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
            return target / _INNER
    return None


def _saxonche():
    try:
        import saxonche  # noqa: F401
        return saxonche
    except ImportError:
        return None


def available() -> str | None:
    if schxslt_dir() is None:
        return "SchXslt not found (set TEIKIT_SCHXSLT or fetch schxslt/schxslt)"
    if _saxonche() is None and not (SAXON_JAR.is_file() and shutil.which("java")):
        return "no Saxon (pip install saxonche, or apt-get install libsaxonhe-java)"
    return None


def _transform(source: Path, xsl: Path, output: Path) -> None:
    """One transformation; a folder as `source` is transformed file by file in one run."""
    saxon = _saxonche()
    if saxon is not None:
        with saxon.PySaxonProcessor(license=False) as proc:
            executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xsl))
            sources = sorted(source.glob("*.xml")) if source.is_dir() else [source]
            for src in sources:
                out = output / src.name if source.is_dir() else output
                executable.transform_to_file(source_file=str(src), output_file=str(out))
        return
    run = subprocess.run(["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform",
                          f"-s:{source}", f"-xsl:{xsl}", f"-o:{output}"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"Saxon failed on {source}: {run.stderr[-2000:]}")


def compile_schema(sch: Path) -> Path:
    """The schema compiled by SchXslt into a validation stylesheet (cached)."""
    digest = hashlib.sha256(Path(sch).read_bytes()).hexdigest()[:24]
    target = _CACHE / f"{digest}.xsl"
    if not target.is_file():
        _CACHE.mkdir(parents=True, exist_ok=True)
        _transform(Path(sch), schxslt_dir() / "pipeline-for-svrl.xsl", target)
    return target


def run(sch: Path, trees: dict) -> dict:
    """{name: tree} -> {name: [(kind, location, test, text)]}: the reference's findings."""
    compiled = compile_schema(sch)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        out.mkdir()
        names = {}
        for i, (name, tree) in enumerate(trees.items()):
            file = src / f"d{i:05d}.xml"
            tree.write(str(file), encoding="UTF-8", xml_declaration=True)
            names[file.name] = name
        _transform(src, compiled, out)
        return {names[f.name]: _findings(f) for f in sorted(out.glob("*.xml"))}


def _findings(svrl: Path) -> list:
    root = etree.parse(str(svrl)).getroot()
    found = []
    for el in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        kind = "assert" if el.tag.endswith("failed-assert") else "report"
        text = el.find(f"{{{SVRL}}}text")
        message = " ".join("".join(text.itertext()).split()) if text is not None else ""
        found.append((kind, el.get("location"), " ".join((el.get("test") or "").split()), message))
    return found
