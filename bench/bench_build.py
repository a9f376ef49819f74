"""Benchmark of `teikit build` (run on demand, never in the tests).

    python bench/bench_build.py [--scale 20] [--repeat 3] [--json]

In one run, on a copy of the bundled project in a temporary folder, each `teikit build` in a
fresh process (wall time, start-up included; best of --repeat):

  clean            no corpus/tei, no manifest, no build/ folder (the last build's moved aside, not
                   deleted: see `clean`): convert, check, validate, site, text, everything written
  fresh clone      what `git clone` gives: corpus/tei, manifest.json and the merge bases as
                   committed, no build/ folder and no cache: everything converted, checked,
                   validated and made again, corpus/tei found unchanged (a new copy each time)
  nothing changed  the same build again
  one edited       one word of one source document changed, then build
  x N              the source repeated N times (--scale), clean build: time per document
                   against x1 (1.0 = linear) and peak memory (max RSS)

and, as the reference measured in the same run, one jing call (tei_all.rng of ../shared,
else schema/teikit.rng) over the clean build's corpus/tei, right after each clean build (best of
--repeat). Ratios are build / jing: of the best of each, and, for the clean build, the median of
each build's over the jing call next to it (`paired`: the machine's drift moves both alike).
Pagefind is measured apart: `python -m pagefind --site build/site` on the clean build's site
(when the build runs Pagefind itself, the time it reports for it is taken instead). Only
Pagefind's time alone is left out of the build's: the build also says how much of Pagefind's
run another of its processes worked meanwhile (", X s of it beside other work": validation,
writing corpus/tei), and that part stays in the build's time, so that nothing done during
Pagefind is subtracted with it (`pagefind_time`).
The stages' times of the clean build and of one edited come from one in-process build each,
with timers around the steps (the conversion of a clean build runs in several processes:
teikit.docpool).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_NAME = "soviet-foreign-policy-documents-1919-1942.md"
TEIKIT = [sys.executable, "-m", "teikit"]


def make_project(tmp: Path, scale: int) -> Path:
    """A copy of the project (corpus/ and data/registry) without its output; the source
    repeated `scale` times. Returns the corpus folder."""
    top = tmp / f"project-x{scale}"
    corpus = top / "corpus"
    (corpus / "source").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "source" / "corpus.json", corpus / "source" / "corpus.json")
    shutil.copytree(ROOT / "data", top / "data")
    text = (ROOT / "corpus" / "source" / SOURCE_NAME).read_text(encoding="utf-8")
    (corpus / "source" / SOURCE_NAME).write_text("\n".join([text] * scale), encoding="utf-8")
    if scale == 1:
        for name in ("idmap.json", "overrides.json"):
            shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


#: --rm: the outputs of the build before are deleted, not moved aside (see `clean`)
DELETE = False


def clean(corpus: Path) -> None:
    """No corpus/tei, manifest or build/ folder, as in a fresh clone: the previous build's are
    moved aside into a folder of the bench's (renamed: deleted with the bench's temporary
    folder at its end). Deleting them here instead (--rm) would free ~1,900 inodes, and on
    ext4 without a journal (this VM's /) every file the next build creates for about a minute
    after costs a scan past them (notes/bconv18-inodes.md: 0.3-1 ms per new file instead of
    0.01-0.03): a measure of the deletion, not of the build a user runs in a fresh clone."""
    grave = corpus.parent.parent / "moved-aside"
    grave.mkdir(exist_ok=True)
    for path in (corpus / "tei", corpus / ".teikit", corpus.parent / "build", corpus / "manifest.json"):
        if DELETE:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        elif path.exists():
            os.rename(path, grave / f"{len(os.listdir(grave))}-{path.name}")


def fresh_clone(tmp: Path, n: int) -> Path:
    """A new copy of the project as `git clone` gives it (make_project's inputs plus the
    committed corpus/tei, manifest.json and .teikit/base; no build/, stamp or cache)."""
    corpus = make_project(tmp / f"clone-{n}", 1)
    shutil.copytree(ROOT / "corpus" / "tei", corpus / "tei")
    shutil.copytree(ROOT / "corpus" / ".teikit" / "base", corpus / ".teikit" / "base")
    shutil.copy(ROOT / "corpus" / "manifest.json", corpus / "manifest.json")
    return corpus


def run_build(corpus: Path) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS of the child in KiB, its stderr, its CPU seconds) of one `teikit build`
    (with no option, in the folder that holds `corpus`: the defaults are corpus/ and build/)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        # `teikit build` in the project's folder, as the README runs it (corpus/ into build/)
        proc = subprocess.Popen([*TEIKIT, "build"], stdout=subprocess.DEVNULL, stderr=err, cwd=corpus.parent, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode:
        raise SystemExit(f"teikit build failed ({proc.returncode}):\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss, stderr, usage.ru_utime + usage.ru_stime


def paired(corpus: Path, repeat: int) -> tuple[list[tuple], list[tuple]]:
    """`repeat` clean builds (run_build's figures), each followed at once by one jing call over
    the corpus/tei it wrote (jing_seconds'; none without jing): a build and the reference
    next to it in time, so that their ratio is little moved by the machine's drift (its speed
    changes by 10-15 % over minutes on a shared VM; a ratio of the best build to one jing call
    made once moved with it)."""
    builds, refs = [], []
    for _ in range(repeat):
        clean(corpus)
        builds.append(run_build(corpus))
        ref = jing_seconds(corpus / "tei")
        if ref is not None:
            refs.append(ref)
    return builds, refs


def pagefind_alone(out: str) -> float:
    """Pagefind's time alone in a build's output (pagefind_time: its time less the part beside
    other work of the build); 0 when the build did not say."""
    m = pagefind_time(out)
    return m[0] - m[1] if m else 0.0


def without_pagefind(run: tuple) -> float:
    """A build's wall time (run_build's) without Pagefind's time alone."""
    return run[0] - pagefind_alone(run[2])


def best(corpus: Path, repeat: int, prepare) -> tuple[float, int, str]:
    runs = []
    for _ in range(repeat):
        prepare()
        runs.append(run_build(corpus))
    return min(runs, key=lambda r: r[0])


def edit_one_document(corpus: Path, k: int) -> None:
    """Change one word of one document's paragraph: the same paragraph each time, its first
    word "The" and "THE" in turn, so that every edit changes that document's TEI."""
    path = corpus / "source" / SOURCE_NAME
    text = path.read_text(encoding="utf-8")
    half = len(text) // 2
    old = re.search(r"\n((?:The|THE) [a-z]+ (?:government|delegation|commission)[^\n]{40,})\n", text[half:])
    if old is None:
        raise SystemExit("no paragraph to edit found in the source")
    line = old.group(1)
    new = ("THE" if line.startswith("The ") else "The") + line[3:]
    at = half + old.start(1)
    path.write_text(text[:at] + new + text[at + len(line):], encoding="utf-8")


def jing_seconds(tei: Path) -> tuple[float, str, float] | None:
    jing = shutil.which("jing")
    schema = ROOT.parent / "shared" / "tei" / "tei_all.rng"
    if not schema.exists():
        schema = ROOT / "schema" / "teikit.rng"
    if not jing:
        return None
    files = sorted(str(p) for p in tei.glob("*.xml"))
    t = time.perf_counter()
    proc = subprocess.Popen([jing, str(schema), *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t, schema.name, usage.ru_utime + usage.ru_stime


def pagefind_time(out: str) -> tuple[float, float] | None:
    """(Pagefind's time as the build reports it, the part of it during which other work of the
    build ran in another process) from the build's output; None when it did not say."""
    m = re.search(r"Pagefind, ([0-9.]+) s(?:, ([0-9.]+) s of it beside other work)?", out)
    return (float(m.group(1)), float(m.group(2) or 0.0)) if m else None


def pagefind_seconds(site: Path) -> float | None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    out = Path(tempfile.mkdtemp(prefix="pagefind-"))
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out)],
                          capture_output=True, text=True)
    dt = time.perf_counter() - t
    shutil.rmtree(out, ignore_errors=True)
    return dt if proc.returncode == 0 else None


def stage_profile(corpus: Path) -> dict[str, float]:
    """Wall seconds per step of one clean in-process build (timers around the steps, as for
    one edited; no profiler: cProfile sees only this process, not the conversion's others)."""
    clean(corpus)
    proc = subprocess.run([sys.executable, "-c", EDIT_STAGES, str(corpus), str(corpus.parent / "build")],
                          capture_output=True, text=True, cwd=corpus.parent, env=dict(os.environ, PYTHONHASHSEED="0"))
    if proc.returncode:
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


EDIT_STAGES = """
import functools, json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from teikit import besidesite, build, docpool, docrender, doccache, pipeline, project, sitedir
from teikit.convert import splitcheck
from teikit.convert.readers import compilation
from teikit.corpusdir import CorpusDir
from teikit import validation
from teikit.validate import validator
imports = time.perf_counter() - t0
spent = {}
def timed(owner, name, label):
    fn = getattr(owner, name)
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
    setattr(owner, name, wrapper)
STEPS = [
        (project, "conversion_inputs", "fingerprints (hashing the inputs)"),
        (pipeline, "load_config", "configuration (read, schema check)"),
        (pipeline, "load_registry", "registry (kept, else read and checked)"),
        (compilation, "begin", "reading: paragraphs and headings (corpus-wide)"),
        (pipeline, "_document", "documents: read+extract+tag (cache or converted)"),
        (docpool.Pool, "__init__", "documents in N processes (clean: read+extract+tag)"),
        (docrender, "render_documents", "TEI + check of each document in N processes (clean)"),
        (docpool, "in_order", "registry read beside the source's headings (clean)"),
        (doccache.DocCache, "key", "cache keys (all steps)"),
        (splitcheck, "attach_toc", "contents matching (corpus-wide)"),
        (pipeline, "render", "TEI of every file (cache or written)"),
        (pipeline, "nothing_lost", "no-text-lost check"),
        (doccache, "load", "document cache: load"), (doccache, "save", "document cache: save"),
        (CorpusDir, "write_generated", "writing corpus/tei (manifest, bases)"),
        (pipeline, "convert_project", "CONVERSION in all"),
        (validation, "validate_paths", "VALIDATION in all"),
        (validator, "cross_document_checks", "  of which cross-document checks"),
        (sitedir, "build_site", "SITE AND TEXT in all"),
        (sitedir, "_search", "  of which Pagefind"),
        ]
for owner, name, label in STEPS:
    timed(owner, name, label)
def spent_since(before):  # in a child: what its steps spent since `before` (a copy of spent)
    return {k: v - before.get(k, 0.0) for k, v in spent.items() if v != before.get(k, 0.0)}
def add_spent(got):  # here: a child's steps' times added to ours
    for k, v in got.pop("spent", {}).items():
        spent[k] = spent.get(k, 0.0) + v
class TimedBeside(besidesite.Beside):  # the second process beside the site: its steps' times, and the wait for it
    def __init__(self, work, **options):
        def timed_work(*args):
            before = dict(spent)
            got = work(*args)
            return dict(got, spent=spent_since(before))
        super().__init__(timed_work, **options)
    def join(self):
        if self.got is not None:
            return self.got
        t = time.perf_counter()
        got = super().join()
        add_spent(got)
        spent["BESIDE THE SITE (corpus/tei, caches, validation)"] = got["ended"] - got["began"]
        spent["  of which waited for after the site"] = max(0.0, got["ended"] - t)
        return got
besidesite.Beside = TimedBeside
AHEAD = ["VALIDATION AHEAD (its child, forked before the conversion)", "  of which warm-up, during the conversion",
         "  of which after it was told the files", "  of which waited for after the site (ahead)"]
class TimedAhead(getattr(besidesite, "Ahead", object)):  # the validation child forked before the conversion
    def __init__(self, warm, work, **options):
        warmed = []
        def timed_warm(told):
            w = time.perf_counter()
            warm(told)
            warmed.append(time.perf_counter() - w)
        def timed_work(message):
            before, told = dict(spent), time.perf_counter()
            got = work(message)
            return dict(got, spent=spent_since(before), warmed=sum(warmed), told=told)
        super().__init__(timed_warm, timed_work, **options)
    def join(self):
        if self.got is not None:
            return self.got
        t = time.perf_counter()
        got = super().join()
        add_spent(got)
        for label, value in zip(AHEAD, (got["ended"] - got["began"], got.pop("warmed"), got["ended"] - got.pop("told"),
                                        max(0.0, got["ended"] - t))):
            spent[label] = value
        return got
if hasattr(besidesite, "Ahead"):
    besidesite.Ahead = TimedAhead
t = time.perf_counter()
build.build(project.Project(Path(sys.argv[1])), Path(sys.argv[2]), say=lambda m: None)
labels = [label for _o, _n, label in STEPS]
at = labels.index("  of which cross-document checks") + 1
labels[at:at] = ["BESIDE THE SITE (corpus/tei, caches, validation)", "  of which waited for after the site", *AHEAD]
out = {label: round(spent.get(label, 0.0), 3) for label in labels}
out["BUILD in all (imports apart)"] = time.perf_counter() - t
out["imports of teikit, lxml, ..."] = imports
out["processes for a clean conversion (docpool.jobs_for)"] = docpool.jobs_for(None, 10 ** 6, None)
print(json.dumps(out))
"""


def edit_stages(corpus: Path, k: int) -> dict[str, float]:
    """Wall seconds per step of one in-process build after one document was edited (timers
    around the steps, no profiler)."""
    edit_one_document(corpus, k)
    proc = subprocess.run([sys.executable, "-c", EDIT_STAGES, str(corpus), str(corpus.parent / "build")],
                          capture_output=True, text=True, cwd=corpus.parent, env=dict(os.environ, PYTHONHASHSEED="0"))
    if proc.returncode:
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def interpreter() -> str:
    """The Python that runs the builds (this one): its version and executable, and whether its
    interpreter is a shared libpython (a build's time depends on it: the same tree built ~10 %
    faster on Debian's /usr/bin/python3.11, whose interpreter is linked into the executable,
    than on a pyenv build of 3.11.7 with a shared libpython and no profile-guided
    optimisation, on the same machine; bench with a venv of the Python you use)."""
    import platform

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            shared = any("libpython" in line for line in maps)
    except OSError:
        shared = None
    how = {True: "a shared libpython", False: "libpython linked into the executable", None: "libpython: unknown"}[shared]
    return f"{platform.python_implementation()} {platform.python_version()}, {sys.executable} ({how})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=20, help="the xN source (1: none)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--no-profile", action="store_true", help="skip the per-stage profile")
    ap.add_argument("--rm", action="store_true", help="delete the outputs before each clean build (see clean)")
    args = ap.parse_args()
    global DELETE
    DELETE = args.rm
    # teikit's modules byte-compiled first, as `pip install` does: with PYTHONDONTWRITEBYTECODE
    # set and an editable install, every build would compile the stale ones again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "teikit")], check=False)
    r: dict = {"python": interpreter()}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmpdir:
        tmp = Path(tmpdir)
        corpus = make_project(tmp, 1)
        builds, refs = paired(corpus, args.repeat)
        wall, rss, out, cpu = min(builds, key=lambda run: run[0])
        r["clean_cpu_s"] = round(cpu, 3)
        docs = int(re.search(r"converted (\d+) documents", out).group(1))
        r["documents"] = docs
        r["clean_s"], r["clean_peak_mib"] = round(wall, 3), round(rss / 1024, 1)
        if refs:
            ref = min(refs, key=lambda run: run[0])
            r["jing_s"], r["jing_schema"], r["jing_cpu_s"] = round(ref[0], 3), ref[1], round(ref[2], 3)
            ratios = sorted(without_pagefind(run) / near[0] for run, near in zip(builds, refs))
            r["clean_without_pagefind_vs_jing_pairs"] = [round(x, 2) for x in ratios]
            r["clean_without_pagefind_vs_jing_median"] = round(statistics.median(ratios), 2)
        m = pagefind_time(out)  # the build times its Pagefind step apart
        pf = m[0] if m else pagefind_seconds(corpus.parent / "build" / "site")
        if pf is not None:
            r["pagefind_s"] = round(pf, 3)
            r["pagefind_beside_s"] = round(m[1], 3) if m else 0.0  # stays in the build's time
            r["pagefind_in_build"] = bool(m)
        run = best(corpus, args.repeat, lambda: None)
        r["unchanged_s"], r["unchanged_cpu_s"] = round(run[0], 3), round(run[3], 3)
        edits = iter(range(100))
        wall, _rss, out, cpu = best(corpus, args.repeat, lambda: edit_one_document(corpus, next(edits)))
        r["one_edited_s"], r["one_edited_cpu_s"] = round(wall, 3), round(cpu, 3)
        m = re.search(r"(\d+) files written", out)
        r["one_edited_files_written"] = int(m.group(1)) if m else None
        m = re.search(r"(\d+) outputs transformed", out)
        r["one_edited_outputs_transformed"] = int(m.group(1)) if m else None
        r["one_edited_pagefind_s"] = round(pagefind_alone(out), 3)  # the re-index, which the target leaves apart
        r["one_edited_stages_s"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in edit_stages(corpus, next(edits)).items()}
        clones = iter(range(args.repeat))
        runs = [run_build(fresh_clone(tmp, next(clones))) for _ in range(args.repeat)]
        wall, _rss, out, cpu = min(runs, key=lambda run: run[0])
        r["fresh_clone_s"], r["fresh_clone_cpu_s"] = round(wall, 3), round(cpu, 3)
        r["fresh_clone_pagefind_alone_s"] = round(pagefind_alone(out), 3)
        if not args.no_profile:
            r["stages_s"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in stage_profile(corpus).items()}
        if args.scale <= 1:
            return report(r, args)
        big = make_project(tmp, args.scale)
        wall, rss, out, cpu = best(big, max(1, args.repeat - 2), lambda: clean(big))
        big_docs = int(re.search(r"converted (\d+) documents", out).group(1))
        r[f"x{args.scale}"] = {"documents": big_docs, "clean_s": round(wall, 3), "clean_cpu_s": round(cpu, 3),
                               "peak_mib": round(rss / 1024, 1),
                               "time_per_document_vs_x1": round((wall / big_docs) / (r["clean_s"] / docs), 3),
                               "cpu_per_document_vs_x1": round((cpu / big_docs) / (r["clean_cpu_s"] / docs), 3)}
    report(r, args)


def report(r: dict, args) -> None:
    if "jing_s" in r:
        for key in ("clean", "unchanged", "one_edited", "fresh_clone"):
            r[f"{key}_vs_jing"] = round(r[f"{key}_s"] / r["jing_s"], 2)
            r[f"{key}_cpu_vs_jing"] = round(r[f"{key}_cpu_s"] / r["jing_cpu_s"], 2)
    if args.json:
        print(json.dumps(r, indent=1))
        return
    j = r.get("jing_s")

    def line(label, key, extra=""):
        ratio = (f" = {r[key + '_vs_jing']:.2f}x jing;  CPU {r[key + '_cpu_s']:.2f} s = "
                 f"{r[key + '_cpu_vs_jing']:.2f}x jing's CPU") if j else f"; CPU {r[key + '_cpu_s']:.2f} s"
        print(f"  {label:27} {r[key + '_s']:6.2f} s{ratio}{extra}")

    print(f"teikit build, bundled corpus ({r['documents']} documents), wall time with start-up, best of {args.repeat}"
          + ("; outputs deleted before each clean build (--rm):" if args.rm else
             "; the outputs before each clean build moved aside, not deleted (--rm deletes):"))
    line("clean build", "clean", f"   (peak RSS {r['clean_peak_mib']} MiB)")
    line("nothing changed", "unchanged")
    line("one source document edited", "one_edited")
    rest = r["one_edited_s"] - r.get("one_edited_pagefind_s", 0.0)
    print(f"      ({r['one_edited_files_written']} TEI files written, "
          f"{r['one_edited_outputs_transformed']} site outputs transformed; Pagefind re-index "
          f"{r.get('one_edited_pagefind_s', 0.0):.2f} s, the rest {rest:.2f} s"
          + (f" = {rest / j:.2f}x jing)" if j else ")"))
    if j:
        print(f"  reference, same run: one jing call ({r['jing_schema']}) over corpus/tei: {j:.2f} s (CPU "
              f"{r['jing_cpu_s']:.2f} s), best of {args.repeat}, each made right after one of the clean builds")
    if "pagefind_s" in r:
        where = "inside the clean build, as it reports" if r["pagefind_in_build"] else "run apart on the site"
        alone = r["pagefind_s"] - r["pagefind_beside_s"] if r["pagefind_in_build"] else 0.0
        without = r["clean_s"] - alone
        print(f"  Pagefind indexing ({where}): {r['pagefind_s']:.2f} s, of which {r['pagefind_beside_s']:.2f} s "
              f"beside other work of the build (kept in the build's time); clean build without Pagefind's "
              f"time alone: {without:.2f} s" + (f" = {without / j:.2f}x jing" if j else ""))
    else:
        print("  Pagefind: not installed (not measured)")
    if "clean_without_pagefind_vs_jing_median" in r:
        pairs = r["clean_without_pagefind_vs_jing_pairs"]
        print(f"  each clean build without Pagefind's time alone / the jing call right after it: median "
              f"{r['clean_without_pagefind_vs_jing_median']:.2f}x over {len(pairs)} pairs "
              f"({', '.join(f'{x:.2f}' for x in pairs)})")
    alone = r["fresh_clone_pagefind_alone_s"]
    line("fresh clone", "fresh_clone", f"   (without Pagefind's time alone, {alone:.2f} s: "
         f"{r['fresh_clone_s'] - alone:.2f} s" + (f" = {(r['fresh_clone_s'] - alone) / j:.2f}x jing)" if j else ")"))
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs; figures are noisy when others run)")
    print(f"  Python: {r['python']}")
    if r.get("one_edited_stages_s"):
        print("where one edited's time goes (one in-process build after an edit, wall, timers around the steps):")
        _stages(r["one_edited_stages_s"])
    big = r.get(f"x{args.scale}")
    if big:
        print(f"x{args.scale} source ({big['documents']} documents), clean build: {big['clean_s']:.2f} s, "
              f"CPU {big['clean_cpu_s']:.2f} s, peak RSS {big['peak_mib']} MiB; per document x{args.scale} / x1: "
              f"wall {big['time_per_document_vs_x1']}, CPU {big['cpu_per_document_vs_x1']} (1.0 = linear)")
    if r.get("stages_s"):
        print("where the clean build's time goes (one in-process clean build, wall, timers around the steps):")
        _stages(r["stages_s"])


def _stages(stages: dict) -> None:
    for k, v in stages.items():
        print(f"  {k:52} {v:6d}" if k.startswith("processes") else f"  {k:52} {v:6.3f} s")


if __name__ == "__main__":
    main()
