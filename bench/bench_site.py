"""Benchmark of the site step: the bundled corpus's site built clean, rebuilt with nothing
changed, and rebuilt after one document's text and one document's header were edited;
Pagefind's indexing reported apart. Also the old way of rendering the corpus pages (one
XSLT run over the whole corpus per page) against the one pass, in the same run.

    .venv/bin/python bench/bench_site.py [--runs 3]

Prints wall-clock and CPU seconds (the best of --runs; CPU includes Pagefind's process),
per step, and what was redone. On a shared machine the CPU figures are the steadier ones.
Also, in the same run and without Pagefind, a clean site written the two ways
teikit.sitedir knows: into new folders (plain writes by a writer thread, each folder put in
place in one step: what a clean build does) and into existing empty folders (each output
through a temporary file and a rename, as every output was written before), alternating.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teikit import projectinputs  # noqa: E402
from teikit.transform import runner  # noqa: E402
from teikit.transform import site  # noqa: E402
from teikit.rendering import stylesheets  # noqa: E402
from teikit import sitedir  # noqa: E402
from teikit.disk import Disk  # noqa: E402

STYLES = stylesheets()  # teikit's stylesheets, read from xslt/


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (Pagefind's indexer)."""
    import resource

    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def timed(fn):
    w, c = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - w, _cpu() - c


def build(tei: Path, out: Path, config: dict):
    return sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json", config=config,
                           extra_downloads=[])


def line(label: str, result, wall: float, cpu: float) -> str:
    t = result.timings
    return (f"{label:<28} {wall:6.3f} s wall {cpu:6.3f} s cpu | site pages {wall - t['search']:6.3f} s"
            f" (corpus pages {t['pages']:.3f} s) | Pagefind {t['search']:.3f} s ({result.search})"
            f" | {len(result.transformed)} outputs redone")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    config = projectinputs.load_config(ROOT / "corpus" / "source" / "corpus.json")
    tmp = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        tei = tmp / "tei"
        shutil.copytree(ROOT / "corpus" / "tei", tei)
        _, _, members = site.read_corpus(Disk(), tei)
        docs = [m for m in site.date_order(list(members.values())) if m.listed]
        print(f"bundled corpus: {len(docs)} listed documents, "
              f"{sum(p.stat().st_size for p in tei.glob('*.xml')) / 1e6:.1f} MB of TEI")
        best = None
        for i in range(args.runs):
            out = tmp / f"clean{i}"
            res, w, c = timed(lambda: build(tei, out, config))
            if best is None or w < best[1]:
                best = (res, w, c, out)
        res, w, c, out = best
        print(line(f"clean (best of {args.runs})", res, w, c))
        print(f"  steps: " + ", ".join(f"{k} {v:.3f} s" for k, v in res.timings.items()))
        res, w, c = timed(lambda: build(tei, out, config))
        print(line("nothing changed", res, w, c))
        doc = docs[len(docs) // 2]
        path = tei / doc.path.name
        data = path.read_bytes()
        i = data.index(b"<p ", data.index(b"<body"))
        j = data.index(b">", i) + 1
        path.write_bytes(data[:j] + b"Edited. " + data[j:])
        res, w, c = timed(lambda: build(tei, out, config))
        print(line(f"one text edited ({doc.doc_id})", res, w, c))
        data = path.read_bytes()
        path.write_bytes(data.replace(doc.title.encode(), doc.title.encode() + b" (edited)", 1))
        res, w, c = timed(lambda: build(tei, out, config))
        print(line("its title edited", res, w, c))
        print("  redone: " + " ".join(sorted(t.split("/", 1)[1] for t in res.transformed if t.startswith("site/"))))

        # a clean site (no Pagefind) written afresh vs file by file through temporary files
        ways = {"new folders, plain writes": [], "existing folders, temp file + rename": []}
        for i in range(args.runs):
            for way, times in ways.items():
                out = tmp / f"ways{i}-{len(times)}-{way[:3]}"
                if way.startswith("existing"):
                    (out / "site").mkdir(parents=True)
                    (out / "text").mkdir()
                _, w, c = timed(lambda: sitedir.build_site(tei, out / "site", out / "text", out / "manifest.json",
                                                           config=config, extra_downloads=[], search_index=False))
                times.append((w, c))
                shutil.rmtree(out)
        for way, times in ways.items():
            print(f"clean site and text, {way + ':':38} {min(w for w, _ in times):6.3f} s wall "
                  f"{min(c for _, c in times):6.3f} s cpu (best of {args.runs})")

        # the corpus pages: one run per page over the whole corpus (before) against one pass
        corpus_bytes, corpus_tree, by_href = site.read_corpus(Disk(), ROOT / "corpus" / "tei")
        pages = site.corpus_pages(list(by_href.values()))
        slim = site.slim_corpus(corpus_tree, by_href)  # the old code ran each page on this slim copy too
        xslt = STYLES.compile("corpus-pages.xsl")
        sample = pages[:: max(1, len(pages) // 40)]

        def per_page():
            for _name, kind, key in sample:
                STYLES.run(xslt, slim, "corpus.xml", page_kind=kind, page_key=key, assets_href="assets/")

        _, w_old, c_old = timed(per_page)
        estimate, c_estimate = w_old / len(sample) * len(pages), c_old / len(sample) * len(pages)
        _, w_new, c_new = timed(lambda: site.render_pages(STYLES, site.slim_corpus(corpus_tree, by_href), pages,
                                                          assets_href="assets/"))
        print(f"corpus pages ({len(pages)}): one run per page over the corpus {estimate:.2f} s wall "
              f"{c_estimate:.2f} s cpu (measured on {len(sample)} pages), one pass {w_new:.3f} s wall "
              f"{c_new:.3f} s cpu: {c_estimate / c_new:.0f}x (cpu)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
