"""On-demand benchmark (not a test): `teikit validate` and jing side by side, in one run.

    .venv/bin/python bench/bench_validate.py [--batch DIR] [--corpus DIR] [--scale 20] [--repeat 5]
        [--only corpus]

* batch: a mixed folder of other projects' TEI (default /work/bench-batch: how it was
  made is in docs/validation.md), no options, as a new user runs it, against jing with
  tei_all in one call; once with an empty pruned-grammar cache (compile included), once warm;
* corpus: the bundled corpus (corpus/tei), teikit with no options (RELAX NG, the Schematron its
  files name, cross-document checks) and with RELAX NG only (the work jing does), vs jing
  with teikit.rng;
* scale: the corpus copied N times (N teikit corpora) for linearity, jing on the same files;
* jobs: --jobs 1 and --jobs 2 on the scaled corpus;
* result cache: the corpus (a copy) with teikit's result cache (teikit.resultcache): cold
  (an empty cache, written), warm (nothing changed) and one document edited, each against
  jing over the same files; every other row passes --no-cache.

Every teikit run is a fresh `teikit validate` process, as in CI. Wall-clock seconds and
CPU seconds (user+sys of the process and its children) are printed, since the machine may
be shared: the ratio of CPU seconds is the one that does not depend on the load. Each row
is the best of --repeat runs (wall and CPU each), teikit and jing alternating, and the load
average is printed before and after. "cold" is an empty pruned-grammar cache in every run;
"warm" keeps that cache; neither keeps results (--no-cache) but the result-cache rows.

The headline row is issue 10 §7's floor, as a user meets it: `teikit validate corpus/tei`
run from the repository with no options at all (the text report, the result cache on and
empty: TEIKIT_CACHE names a new empty folder for every run, so that the pruned grammars are
compiled and the results written, as on a first run), a fresh process every time, against
one `jing schema/teikit.rng corpus/tei/*.xml`; ratio jing/teikit in wall time (target >= 3)
and in CPU time. The same command is timed with a regular (non-editable) install of this
checkout as well (`pip install .` in a new virtual environment, the other libraries taken
from .venv), since the README's editable install adds an import finder to every start.

On a machine shared with other work, `--realtime` (root) runs every measured command, teikit's
and jing's alike, at real-time priority (chrt -f 10): they then get a CPU whenever they can
run, so their wall times come near an idle machine's (memory and cache are still shared).
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


#: what every measured command is run under (--realtime: ["chrt", "-f", "10"])
PREFIX: list[str] = []


def run(command: list[str], env=None) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the child, result)."""
    command = [*PREFIX, *command]
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


def best(runs) -> tuple[float, float, subprocess.CompletedProcess]:
    """The best wall and the best CPU of several runs, and the last run's result."""
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def compare(label, paths, teikit_args, jing_schema, env, warm_only=False, repeat=1):
    files = [f for p in paths for f in xml_files(p)]
    command = [TEIKIT, "validate", "--no-cache", *teikit_args, "--format", "json", *paths]
    cold, warm, jing = [], [], []
    with tempfile.TemporaryDirectory() as shared:
        for _ in range(repeat):
            if not warm_only:
                with tempfile.TemporaryDirectory() as cache:
                    cold.append(run(command, dict(env, TEIKIT_CACHE=cache)))
            warm.append(run(command, dict(env, TEIKIT_CACHE=shared)))
            jing.append(run(["jing", jing_schema, *files], env))
    results = {}
    if cold:
        wall, cpu, _done = best(cold)
        row(f"teikit {label} (cold: empty grammar cache)", len(files), wall, cpu)
        results["cold"] = (wall, cpu)
    wall, cpu, done = best(warm)
    row(f"teikit {label} (warm grammar cache)", len(files), wall, cpu)
    results["warm"] = (wall, cpu)
    ours = teikit_invalid(done.stdout)
    jwall, jcpu, jdone = best(jing)
    row(f"jing {Path(jing_schema).name}, one call", len(files), jwall, jcpu)
    theirs = jing_invalid(jdone.stdout)
    disagree = sorted(set(files) & (ours ^ theirs))
    print(f"  verdicts: jing {len(files) - len(theirs)}/{len(files)} valid, teikit "
          f"{len(files) - len(ours)}/{len(files)} valid; disagreements: {disagree or 'none'}")
    for key, (wall, cpu) in results.items():
        print(f"  ratio jing/teikit ({key}): wall {jwall / wall:.2f}x, CPU {jcpu / cpu:.2f}x")
    return results, (jwall, jcpu), len(files)


def regular_install(target: Path) -> str | None:
    """A regular (non-editable) install of this checkout in a new virtual environment at
    `target` (`pip install --no-deps .`), the other libraries taken from .venv (a .pth naming
    its site-packages, whose own .pth files, the editable finder's among them, are then not
    run): the console script pip wrote, or None (with the reason printed)."""
    python = target / "bin" / "python"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--no-index", str(ROOT)], check=True, capture_output=True, cwd=tempfile.gettempdir(),
                       env=dict(os.environ, PYTHONPATH=_site(ROOT / ".venv" / "bin" / "python")))  # setuptools
        Path(_site(python), "teikit-bench-libraries.pth").write_text(_site(ROOT / ".venv" / "bin" / "python") + "\n",
                                                                    encoding="utf-8")
        subprocess.run([str(python), "-m", "compileall", "-q", _site(python) + "/teikit"], check=False)
        return str(target / "bin" / "teikit")
    except (subprocess.CalledProcessError, OSError) as err:
        print(f"regular install: could not be made ({err}; {getattr(err, 'stderr', b'')[-300:]!r})")
        return None


def _site(python) -> str:
    return subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def as_a_user_runs(teikit: str, corpus: Path, env: dict, repeat: int) -> tuple[float, float, float, float, int]:
    """`teikit validate <corpus>` with no options, from the corpus's repository (relative
    path), the result and grammar caches empty (a new TEIKIT_CACHE each run), alternating
    with one jing call over the same files: (wall, CPU, jing wall, jing CPU, files), each
    the best of `repeat`."""
    files = xml_files(corpus)
    cwd = corpus.parent.parent
    rel = os.path.relpath(corpus, cwd)
    ours, jing = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([*PREFIX, teikit, "validate", rel], capture_output=True, text=True,
                                  env=dict(env, TEIKIT_CACHE=cache), cwd=cwd)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            ours.append((wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done))
            if done.returncode not in (0, 1) or "valid" not in done.stdout:
                raise SystemExit(f"teikit validate failed: {done.stderr}")
        jing.append(run(["jing", TEIKIT_RNG, *files], env))
    wall, cpu, _done = best(ours)
    jwall, jcpu, _jdone = best(jing)
    return wall, cpu, jwall, jcpu, len(files)


def headline(label: str, figures) -> None:
    """Issue 10 §7's floor: the corpus as a user runs it, against one jing call."""
    wall, cpu, jwall, jcpu, n = figures
    verdict = "meets" if jwall / wall >= 3 else "does NOT meet"
    print(f"HEADLINE {label} ({n} files): teikit {wall:.3f} s wall / {cpu:.3f} s CPU "
          f"(CPU/wall {cpu / wall:.2f}); jing {jwall:.3f} s wall / {jcpu:.3f} s CPU; "
          f"jing/teikit wall {jwall / wall:.2f}x (target >= 3: {verdict}), CPU {jcpu / cpu:.2f}x; "
          f"load average {os.getloadavg()[0]:.2f}")


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


def result_cache_rows(corpus: Path, env: dict, repeat: int) -> None:
    """teikit's result cache on a copy of the corpus: cold (an empty cache, filled), warm
    (nothing changed), one document edited (a word added to a paragraph, valid still), each
    alternating with one jing call over the same files; the reports are checked against a
    run without the cache."""
    rows: dict[str, list] = {"cold": [], "warm": [], "one edited": [], "jing": []}
    with tempfile.TemporaryDirectory() as tmp:
        copy = scaled_copy(corpus, 1, Path(tmp))[0]
        files = xml_files(copy)
        edited = Path(sorted(f for f in files if not f.endswith("corpus.xml"))[len(files) // 2])
        text = edited.read_text(encoding="utf-8")
        command = [TEIKIT, "validate", "--format", "json", copy]
        for k in range(repeat):
            cache = Path(tmp) / f"cache{k}"
            run_env = dict(env, TEIKIT_CACHE=str(cache))
            edited.write_text(text, encoding="utf-8")
            rows["cold"].append(run(command, run_env))
            rows["jing"].append(run(["jing", TEIKIT_RNG, *files], env))
            rows["warm"].append(run(command, run_env))
            edited.write_text(text.replace("</p>", f" Edited {k}.</p>", 1), encoding="utf-8")
            rows["one edited"].append(run(command, run_env))
            uncached = run([TEIKIT, "validate", "--no-cache", "--format", "json", copy], env)[2]
            assert rows["one edited"][-1][2].stdout == uncached.stdout, "cached report differs"
            shutil.rmtree(cache)
        jwall, jcpu, _done = best(rows["jing"])
        for label in ("cold", "warm", "one edited"):
            wall, cpu, _done = best(rows[label])
            row(f"teikit bundled corpus, result cache {label}", len(files), wall, cpu)
            print(f"  ratio jing/teikit: wall {jwall / wall:.2f}x, CPU {jcpu / cpu:.2f}x")
        row(f"jing {Path(TEIKIT_RNG).name}, one call", len(files), jwall, jcpu)
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _stale_console_script(script: str) -> str | None:
    """A warning when .venv's `teikit` script was written by an older install (it imports
    another entry point than pyproject.toml's): it then still works, but runs what that
    install named (`pip install -e .` writes it again)."""
    import re

    try:
        wanted = re.search(r'^teikit = "([\w.]+):(\w+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
        text = Path(script).read_text(encoding="utf-8")
    except OSError:
        return None
    if wanted and f"from {wanted[1]} import {wanted[2]}" not in text:
        return (f"WARNING: {script} does not call {wanted[1]}:{wanted[2]} (pyproject.toml's entry point): "
                f"run `.venv/bin/pip install -e .` again, or the headline measures an older entry point")
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", default="/work/bench-batch")
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "tei"))
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="runs per row; the best is shown")
    parser.add_argument("--only", choices=["corpus"], help="only the corpus rows")
    parser.add_argument("--realtime", action="store_true",
                        help="run every measured command (teikit's and jing's alike) at real-time "
                             "priority (chrt -f 10; root only), so that other work on a shared machine "
                             "does not take their CPUs: wall times near an idle machine's")
    args = parser.parse_args(argv)
    if args.realtime:
        probe = subprocess.run(["chrt", "-f", "10", "true"], capture_output=True) if shutil.which("chrt") else None
        if probe is None or probe.returncode:
            print("--realtime: chrt -f is not allowed here (root is needed); measured as usual")
        else:
            PREFIX[:] = ["chrt", "-f", "10"]
    if not shutil.which("jing"):
        print("jing is not installed (apt install jing)")
        return 2
    stale = _stale_console_script(TEIKIT)
    if stale:
        print(stale)
    env = dict(os.environ)
    # teikit's modules byte-compiled first, as `pip install` does: with PYTHONDONTWRITEBYTECODE
    # set (as here) and an editable install, every run would compile them again (~25 ms)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "teikit")], check=False)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {os.cpu_count()} CPUs ({usable} usable by this process), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          + (", measured at real-time priority (chrt -f 10)" if PREFIX else ""))
    corpus = Path(args.corpus).resolve()
    print()
    headline("`teikit validate corpus/tei`, no options, cold caches, editable install (README)",
             as_a_user_runs(TEIKIT, corpus, env, args.repeat))
    with tempfile.TemporaryDirectory() as venv:
        regular = regular_install(Path(venv))
        if regular:
            headline("the same, regular install (pip install .)", as_a_user_runs(regular, corpus, env, args.repeat))
    print()
    one, _jing_one, n_one = compare("bundled corpus, no options", [str(corpus)], [], TEIKIT_RNG, env,
                                    repeat=args.repeat)
    result_cache_rows(corpus, env, args.repeat)
    if args.only == "corpus":
        return 0
    if Path(args.batch).is_dir():
        compare("mixed batch, no options", [args.batch], [], TEI_ALL, env, repeat=max(1, args.repeat // 2))
    rng_only = ["--schema", TEIKIT_RNG, "--no-cross-document"]  # the work jing does
    compare("bundled corpus, RELAX NG only", [str(corpus)], rng_only, TEIKIT_RNG, env, repeat=args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folders = scaled_copy(corpus, args.scale, Path(tmp))
        many, jing_many, n_many = compare(f"corpus x{args.scale}, no options", folders, [], TEIKIT_RNG, env,
                                          warm_only=True)
        many_rng, _j, _n = compare(f"corpus x{args.scale}, RELAX NG only", folders, rng_only, TEIKIT_RNG,
                                   env, warm_only=True)
        for jobs in (1, 2):
            wall, cpu, _ = run([TEIKIT, "validate", "--no-cache", "--jobs", str(jobs), "--format", "json",
                                *folders], env)
            row(f"teikit corpus x{args.scale}, --jobs {jobs}", n_many, wall, cpu)
    per_one = one["warm"][1] / n_one
    per_many = many["warm"][1] / n_many
    print(f"linearity (no options): CPU per file x1 {per_one * 1000:.2f} ms, x{args.scale} "
          f"{per_many * 1000:.2f} ms (ratio {per_many / per_one:.2f}; 1.00 = linear)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
