"""Benchmark of the HTML and text transforms (run on demand, never in the tests).

    python bench/bench_transform.py [--repeat 3]

Each measurement runs in a fresh process (peak memory = that process's max RSS):
  1. html+text: per-document HTML and text of corpus/tei (transform.to_html/to_text only);
  2. site, clean: `teikit.transform.site.build_site` into an empty folder (pages, index, browse, text);
  3. site, no change: the same build again (every output skipped by the manifest);
  4. site, one document touched: one paragraph of one document edited, then rebuilt;
  5. samples: HTML and text of every file under ../shared/samples.
Prints a table: time (best of --repeat), files, files/s, outputs transformed, peak MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"

CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/src")
from teikit import pipeline
from teikit.transform import site
from teikit.transform import runner as transform
root, mode, work = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
tei = root / "corpus" / "tei"
config = pipeline.load_config(root / "corpus" / "source" / "corpus.json")
def build(src):
    return site.build_site(src, work / "site", work / "text", work / "manifest.json", config=config)
transformed = 0
if mode == "html+text":
    files = sorted(tei.glob("sfp-*.xml"))
    trees = [transform.parse_tei(f.read_bytes(), str(f)) for f in files]
    transform.to_html(trees[0]); transform.to_text(trees[0])  # compile the stylesheets first
    t = time.perf_counter()
    for tree in trees:
        transform.to_html(tree); transform.to_text(tree)
    n = len(files)
elif mode == "samples":
    files = sorted(Path(sys.argv[4]).rglob("*.xml"))
    t = time.perf_counter()
    for f in files:
        tree = transform.parse_tei(f.read_bytes(), str(f))
        transform.to_html(tree); transform.to_text(tree)
    n = len(files)
else:
    copy = work / "tei"
    if not copy.exists():
        shutil.copytree(tei, copy)
    if mode == "touch":
        doc = sorted(copy.glob("sfp-19*.xml"))[5]
        data = doc.read_bytes()
        doc.write_bytes(data.replace(b"</p>", b" (edited)</p>", 1) if b" (edited)</p>" not in data
                        else data.replace(b" (edited)</p>", b"</p>", 1))
    t = time.perf_counter()
    result = build(copy)
    n, transformed = result.pages, len(result.transformed)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "files": n, "transformed": transformed, "peak_mb": peak}))
"""


def measure(mode: str, work: Path, repeat: int, reset: bool = False) -> dict:
    best = None
    for _ in range(repeat):
        if reset:
            for name in ("site", "text", "manifest.json"):
                p = work / name
                if p.is_dir():
                    subprocess.run(["rm", "-rf", str(p)], check=True)
                elif p.exists():
                    p.unlink()
        out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode, str(work), str(SAMPLES)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or r["seconds"] < best["seconds"]:
            best = r
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows.append(("html+text, corpus documents", measure("html+text", work, args.repeat)))
        rows.append(("site, clean build", measure("clean", work, args.repeat, reset=True)))
        rows.append(("site, rebuild, nothing changed", measure("same", work, args.repeat)))
        rows.append(("site, rebuild, one document edited", measure("touch", work, args.repeat)))
        if SAMPLES.is_dir():
            rows.append((f"html+text, {SAMPLES.name}", measure("samples", work, args.repeat)))
    print(f"{'measurement':38} {'seconds':>8} {'files':>6} {'files/s':>8} {'transformed':>12} {'peak MB':>8}")
    for name, r in rows:
        rate = r["files"] / r["seconds"] if r["seconds"] else float("inf")
        print(f"{name:38} {r['seconds']:8.2f} {r['files']:6d} {rate:8.1f} {r['transformed']:12d} {r['peak_mb']:8.1f}")


if __name__ == "__main__":
    main()
