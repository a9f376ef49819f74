"""On-demand benchmark (not a test): teikit validate vs jing, side by side in one run.

    PYTHONPATH=src python3 bench/bench_validate.py [PATH ...]   (default: corpus/tei)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from teikit.core import xmlsafe  # noqa: E402
from teikit.validate import rng
from teikit.validate.validator import collect_files, project_schema, validate_paths  # noqa: E402

TEI_ALL = "/work/shared/tei/tei_all.rng"


def timed(label, n, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s  {n / seconds:9.1f} files/s")
    return result, seconds


def main(paths):
    files, _ = collect_files(paths)
    n = len(files)
    print(f"{n} files under {', '.join(paths)}")
    trees = [t for t in (xmlsafe.parse_file(f)[0] for f in files) if t is not None]
    for label, names in (("tei_all compile, full", None),
                         ("tei_all compile, pruned", rng.used_names(trees))):
        rng._MEMORY.clear()
        start = time.perf_counter()
        rng.compile_schema(TEI_ALL, names, use_cache=False)
        print(f"{label:<48} {time.perf_counter() - start:8.2f} s")
    rng._MEMORY.clear()
    sch = Path(project_schema() or "").with_suffix(".sch")
    if project_schema():
        timed("teikit: project schema + Schematron", n, lambda: validate_paths(
            paths, schema=project_schema(), schematrons=[sch] if sch.is_file() else []))
    for jobs in (1, 2):
        rng._MEMORY.clear()
        report, _ = timed(f"teikit: tei_all (pruned, jobs={jobs})", n,
                          lambda: validate_paths(paths, schema=TEI_ALL, jobs=jobs,
                                                 cross_document=False))
    ours = {f.path: f.valid for f in report.files}
    if shutil.which("jing"):
        out, _ = timed("jing tei_all (one JVM)", n, lambda: subprocess.run(
            ["jing", TEI_ALL, *files], capture_output=True, text=True).stdout)
        bad = {line.split(":")[0] for line in out.splitlines() if ": error:" in line}
        theirs = {f: f not in bad for f in files}
        disagree = [f for f in files if ours.get(f) != theirs[f]]
        print(f"verdicts: {sum(theirs.values())} valid by jing; disagreements: {disagree or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["corpus/tei"])
