"""On-demand benchmark (not a test): `teikit validate` and jing side by side, in one run.

    .venv/bin/python bench/bench_validate.py [--batch DIR] [--corpus DIR] [--scale 20]

* batch: a mixed folder of other projects' TEI (default /work/bench-batch: how it was
  made is in docs/validation.md), no options, as a new user runs it, against jing with
  tei_all in one call; once with an empty pruned-grammar cache (compile included), once warm;
* corpus: the bundled corpus (corpus/tei), teikit with no options (RELAX NG, the Schematron its
  files name, cross-document checks) and with RELAX NG only (the work jing does), vs jing
  with teikit.rng;
* scale: the corpus copied N times (N teikit corpora) for linearity, jing on the same files;
* jobs: --jobs 1 and --jobs 2 on the scaled corpus.

Every teikit run is a fresh `teikit validate` process, as in CI. Wall-clock seconds and
CPU seconds (user+sys of the process and its children) are printed, since the machine may
be shared: the ratio of CPU seconds is the one that does not depend on the load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEIKIT = str(ROOT / ".venv" / "bin" / "teikit")
TEI_ALL = str(ROOT / "schema" / "tei_all.rng")
TEIKIT_RNG = str(ROOT / "schema" / "teikit.rng")


def xml_files(folder) -> list[str]:
    return sorted(str(p) for p in Path(folder).rglob("*.xml"))


def run(command: list[str], env=None) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the child, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def row(label: str, n: int, wall: float, cpu: float) -> None:
    print(f"{label:<58} {n:>5} files {wall:8.2f} s wall {cpu:8.2f} s CPU {n / wall:8.1f} files/s")


def jing_invalid(out: str) -> set[str]:
    return {line.split(":", 1)[0] for line in out.splitlines() if ": error:" in line}


def teikit_invalid(out: str) -> set[str]:
    import json

    return {f["path"] for f in json.loads(out)["files"] if not f["valid"]}


def compare(label, paths, teikit_args, jing_schema, env, warm_only=False):
    files = [f for p in paths for f in xml_files(p)]
    results = {}
    if not warm_only:
        with tempfile.TemporaryDirectory() as cache:
            cold_env = dict(env, TEIKIT_CACHE=cache)
            wall, cpu, done = run([TEIKIT, "validate", *teikit_args, "--format", "json", *paths], cold_env)
            row(f"teikit {label} (empty grammar cache)", len(files), wall, cpu)
            results["cold"] = (wall, cpu)
    wall, cpu, done = run([TEIKIT, "validate", *teikit_args, "--format", "json", *paths], env)
    row(f"teikit {label} (warm cache)", len(files), wall, cpu)
    results["warm"] = (wall, cpu)
    ours = teikit_invalid(done.stdout)
    jwall, jcpu, jdone = run(["jing", jing_schema, *files], env)
    row(f"jing {Path(jing_schema).name}, one call", len(files), jwall, jcpu)
    theirs = jing_invalid(jdone.stdout)
    disagree = sorted(set(files) & (ours ^ theirs))
    print(f"  verdicts: jing {len(files) - len(theirs)}/{len(files)} valid, teikit "
          f"{len(files) - len(ours)}/{len(files)} valid; disagreements: {disagree or 'none'}")
    for key, (wall, cpu) in results.items():
        print(f"  ratio jing/teikit ({key}): wall {jwall / wall:.2f}x, CPU {jcpu / cpu:.2f}x")
    return results, (jwall, jcpu), len(files)


def scaled_copy(corpus: Path, n: int, target: Path) -> list[str]:
    """N copies of the corpus, each a teikit corpus (copyNN/tei beside copyNN/source/corpus.json):
    cross-document checks run within each copy, as they do in the original."""
    folders = []
    config = corpus.parent / "source" / "corpus.json"
    for i in range(n):
        folder = target / f"copy{i:02d}" / "tei"
        shutil.copytree(corpus, folder)
        if config.is_file():
            (folder.parent / "source").mkdir()
            shutil.copy(config, folder.parent / "source" / "corpus.json")
        folders.append(str(folder))
    return folders


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", default="/work/bench-batch")
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "tei"))
    parser.add_argument("--scale", type=int, default=20)
    args = parser.parse_args(argv)
    if not shutil.which("jing"):
        print("jing is not installed (apt install jing)")
        return 2
    env = dict(os.environ)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if Path(args.batch).is_dir():
        compare("mixed batch, no options", [args.batch], [], TEI_ALL, env)
    corpus = Path(args.corpus)
    one, jing_one, n_one = compare("bundled corpus, no options", [str(corpus)], [], TEIKIT_RNG, env)
    rng_only = ["--schema", TEIKIT_RNG, "--no-cross-document"]  # the work jing does
    compare("bundled corpus, RELAX NG only", [str(corpus)], rng_only, TEIKIT_RNG, env)
    with tempfile.TemporaryDirectory() as tmp:
        folders = scaled_copy(corpus, args.scale, Path(tmp))
        many, jing_many, n_many = compare(f"corpus x{args.scale}, no options", folders, [], TEIKIT_RNG, env,
                                          warm_only=True)
        many_rng, _j, _n = compare(f"corpus x{args.scale}, RELAX NG only", folders, rng_only, TEIKIT_RNG,
                                   env, warm_only=True)
        for jobs in (1, 2):
            wall, cpu, _ = run([TEIKIT, "validate", "--jobs", str(jobs), "--format", "json", *folders], env)
            row(f"teikit corpus x{args.scale}, --jobs {jobs}", n_many, wall, cpu)
    per_one = one["warm"][1] / n_one
    per_many = many["warm"][1] / n_many
    print(f"linearity (no options): CPU per file x1 {per_one * 1000:.2f} ms, x{args.scale} "
          f"{per_many * 1000:.2f} ms (ratio {per_many / per_one:.2f}; 1.00 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
