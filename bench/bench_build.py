"""Benchmark of the converter (run on demand, never in the tests).

    python bench/bench_build.py [--scale 20] [--repeat 3]

Measures, in one run, `teikit convert` of the bundled corpus and of an N-times scale-up
(the source repeated N times), each in a fresh process: wall time (best of --repeat),
documents per second and peak memory (max RSS). It prints how time grows with size (the
ratio of time per document at scale N to scale 1: 1.0 is linear) and, as the reference
measured in the same run, jing (tei_all) validating the corpus output.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_NAME = "soviet-foreign-policy-documents-1919-1942.md"

CHILD = """
import sys, time
from pathlib import Path
from teikit import pipeline
t = time.perf_counter()
r = pipeline.convert_project(pipeline.Project(Path(sys.argv[1])), Path(sys.argv[2]), update_idmap=False)
dt = time.perf_counter() - t
print(len(r.compilation.documents), dt, r.check.recall)
"""


def make_corpus(tmp: Path, scale: int) -> Path:
    corpus = tmp / f"corpus-x{scale}"
    (corpus / "source").mkdir(parents=True)
    config = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text(encoding="utf-8"))
    config["registry"] = "../registry"
    (corpus / "source" / "corpus.json").write_text(json.dumps(config), encoding="utf-8")
    shutil.copytree(ROOT / "data" / "registry", corpus / "registry")
    text = (ROOT / "corpus" / "source" / SOURCE_NAME).read_text(encoding="utf-8")
    (corpus / "source" / SOURCE_NAME).write_text("\n".join([text] * scale), encoding="utf-8")
    if scale == 1:
        shutil.copy(ROOT / "corpus" / "idmap.json", corpus / "idmap.json")
        shutil.copy(ROOT / "corpus" / "overrides.json", corpus / "overrides.json")
    return corpus


def run_child(corpus: Path, out: Path) -> tuple[int, float, float, int]:
    """(documents, seconds in-process, wall seconds, peak RSS in KiB) of one conversion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(out)], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"conversion failed: {proc.stderr.strip().splitlines()[-1]}")
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    docs, inproc, _recall = proc.stdout.split()
    return int(docs), float(inproc), wall, max(peak, before)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for scale in (1, args.scale):
            corpus = make_corpus(tmp, scale)
            runs = []
            for k in range(args.repeat if scale == 1 else max(1, args.repeat - 1)):
                runs.append(run_child(corpus, tmp / f"out-{scale}-{k}"))
            docs = runs[0][0]
            best = min(r[1] for r in runs)
            wall = min(r[2] for r in runs)
            results[scale] = {"documents": docs, "seconds": round(best, 3), "wall_seconds": round(wall, 3),
                              "docs_per_second": round(docs / best, 1), "peak_rss_mib": round(max(r[3] for r in runs) / 1024, 1)}
        jing = shutil.which("jing")
        if jing and (ROOT.parent / "shared" / "tei" / "tei_all.rng").exists():
            files = sorted(str(p) for p in (tmp / "out-1-0").glob("*.xml"))
            t = time.perf_counter()
            subprocess.run([jing, str(ROOT.parent / "shared" / "tei" / "tei_all.rng"), *files], capture_output=True)
            results["jing_tei_all_seconds"] = round(time.perf_counter() - t, 3)
    one, big = results[1], results[args.scale]
    results["time_growth_per_document"] = round((big["seconds"] / big["documents"]) / (one["seconds"] / one["documents"]), 3)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(f"teikit convert, bundled corpus: {one['documents']} documents in {one['seconds']:.2f} s "
          f"({one['docs_per_second']} docs/s; {one['wall_seconds']:.2f} s with start-up), peak RSS {one['peak_rss_mib']} MiB")
    print(f"teikit convert, x{args.scale} scale-up: {big['documents']} documents in {big['seconds']:.2f} s "
          f"({big['docs_per_second']} docs/s), peak RSS {big['peak_rss_mib']} MiB")
    print(f"time per document at x{args.scale} / at x1: {results['time_growth_per_document']} (1.0 = linear)")
    if "jing_tei_all_seconds" in results:
        print(f"reference, same run: jing tei_all.rng on the {one['documents']} output files: "
              f"{results['jing_tei_all_seconds']:.2f} s (teikit convert / jing = {one['wall_seconds'] / results['jing_tei_all_seconds']:.2f})")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
