"""Benchmark of the HTML and text transforms (run on demand, never in the tests).

    python bench/bench_transform.py [site|scaling|readings|saxon|recall|prepare|all] [--repeat 3]

`prepare` copies the foreign TEI and the TEI Stylesheets into /work/benchdata (or
$TEIKIT_BENCHDATA): see bench/transform_data.py for every file, repository and commit.

site (each measurement in a fresh process; peak memory = that process's max RSS):
  1. html+text: per-document HTML and text of corpus/tei (Stylesheets.html/text only);
  2. site, clean: `teikit.sitedir.build_site` into an empty folder (pages, index, browse, text);
  3. site, no change: the same build again (every output skipped by the manifest);
  4. site, one document touched: one paragraph of one document edited, then rebuilt;
  5. samples: HTML and text of every file under ../shared/samples.
scaling: time per MB of `Stylesheets.html` and `.text` on a FRUS volume
  (../shared/samples/frus/frus1894Nicaragua.xml) cut to the first divisions of its front, body
  and back alike (0.1 and 0.3 MB: the volume's mix of front matter and documents),
  whole, and with its body repeated 2, 4 and 9 times (xml:ids and '#' pointers renamed per
  copy so that every key stays unique): CPU seconds to render the file's bytes (parse,
  transform, serialise: what `teikit html`/`text` does per file; best of --repeat, one fresh
  process per size, stylesheets compiled before the clock starts), and the ratio of the
  largest to the smallest time per MB (the target is < 1.3).
saxon: the mixed batch (../shared/samples plus the prepared foreign files, ~50 files) through
  `teikit html` (one process: start, compile, parse, transform, write) and through Saxon-HE
  (Debian's libsaxonhe-java) with the TEI Stylesheets' html/html.xsl in one JVM
  (`net.sf.saxon.Transform -s:DIR -o:DIR`), wall-clock seconds, best of --repeat; the batch's
  size in MB beside the ratio.
readings: time per MB of `Stylesheets.html` and `.text` on invented paragraphs dense in alternative
  readings (choice sic/corr inside and outside a word, subst, del, app: 5 places per
  paragraph), 2,000 to 16,000 paragraphs (0.6 to 4.8 MB), best of --repeat, and the ratio of
  the largest to the smallest time per MB: the "Other readings" list stays linear.
recall: word recall of `teikit text` and of the HTML page (laid out as a browser does) on the
  same batch, measured by tests/wordrecall.py against the words of tei:text as a reader sees
  them; mean and minimum for ../shared/samples, the fetched files and all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import transform_data  # noqa: E402  (bench/transform_data.py)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"

CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/src")
from teikit import pipeline, sitedir
from teikit.rendering import stylesheets
from teikit.transform import runner as transform
STYLES = stylesheets()
root, mode, work = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
tei = root / "corpus" / "tei"
config = projectinputs.load_config(root / "corpus" / "source" / "corpus.json")
def build(src):
    return sitedir.build_site(src, work / "site", work / "text", work / "manifest.json", config=config)
transformed = 0
if mode == "html+text":
    files = sorted(tei.glob("sfp-*.xml"))
    trees = [transform.parse_tei(f.read_bytes(), str(f)) for f in files]
    STYLES.html(trees[0]); STYLES.text(trees[0])  # compile the stylesheets first
    t = time.perf_counter()
    for tree in trees:
        STYLES.html(tree); STYLES.text(tree)
    n = len(files)
elif mode == "samples":
    files = sorted(Path(sys.argv[4]).rglob("*.xml"))
    t = time.perf_counter()
    for f in files:
        tree = transform.parse_tei(f.read_bytes(), str(f))
        STYLES.html(tree); STYLES.text(tree)
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


SCALE_CHILD = r"""
import copy, json, sys, time
sys.path.insert(0, sys.argv[1] + "/src")
from lxml import etree
from teikit.transform import runner as transform
from teikit.rendering import stylesheets
STYLES = stylesheets()
src, factor, repeat = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
TEI, XML_ID = "http://www.tei-c.org/ns/1.0", "{http://www.w3.org/XML/1998/namespace}id"
tree = transform.parse_tei(open(src, "rb").read(), src)
root = tree.getroot()
body = root.find(f".//{{{TEI}}}body")
if factor < 1:
    # keep the first divisions of front, body and back alike (leaf divisions dropped from the
    # end of each), so that the cut has the volume's mix of front matter and documents
    for part in root.iter(f"{{{TEI}}}front", f"{{{TEI}}}body", f"{{{TEI}}}back"):
        total = len(etree.tostring(part))
        keep = factor * total
        leaves = [d for d in part.iter(f"{{{TEI}}}div") if d.find(f".//{{{TEI}}}div") is None]
        sizes = [len(etree.tostring(d)) for d in leaves]
        while leaves and total > keep:
            d = leaves.pop()
            total -= sizes.pop()
            d.getparent().remove(d)
else:
    kids = list(body)
    for i in range(1, int(factor)):
        for c in kids:
            c2 = copy.deepcopy(c)
            for e in c2.iter(etree.Element):
                x = e.get(XML_ID)
                if x:
                    e.set(XML_ID, f"{x}-c{i}")
                for a in ("target", "corresp", "facs"):
                    v = e.get(a)
                    if v and "#" in v:
                        e.set(a, " ".join(p + f"-c{i}" if p.startswith("#") else p for p in v.split()))
            body.append(c2)
data = etree.tostring(root, encoding="utf-8", xml_declaration=True)
mb = len(data) / 1e6
out = {"mb": mb}
# the control: libxslt's built-in templates only (every node visited once, nothing computed)
bare = etree.XSLT(etree.XML(b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                            b'<xsl:output method="text"/></xsl:stylesheet>'))
for name, fn in (("html", STYLES.html), ("text", STYLES.text), ("bare", lambda t: str(bare(t)))):
    fn(transform.parse_tei(data, src))
    best = None
    for _ in range(repeat):
        t = time.process_time()
        fn(transform.parse_tei(data, src))
        dt = time.process_time() - t
        best = dt if best is None else min(best, dt)
    out[name] = best
print(json.dumps(out))
"""

FRUS_VOLUME = SAMPLES / "frus" / "frus1894Nicaragua.xml"
SCALE_FACTORS = (0.1, 0.3, 1, 2, 4, 9)


def scaling(repeat: int) -> None:
    if not FRUS_VOLUME.is_file():
        print(f"scaling: {FRUS_VOLUME} missing, skipped")
        return
    rows = []
    for f in SCALE_FACTORS:
        out = subprocess.run([sys.executable, "-c", SCALE_CHILD, str(ROOT), str(FRUS_VOLUME), str(f), str(repeat)],
                             capture_output=True, text=True, check=True)
        rows.append((f, json.loads(out.stdout.strip().splitlines()[-1])))
    print(f"time per MB, {FRUS_VOLUME.name} (CPU seconds, best of {repeat})")
    print(f"{'volume':>10} {'MB':>7} {'html s':>8} {'html s/MB':>10} {'text s':>8} {'text s/MB':>10} {'control s/MB':>13}")
    for f, r in rows:
        label = f"x{f:g}" if f >= 1 else f"first {f:g}"
        print(f"{label:>10} {r['mb']:7.2f} {r['html']:8.3f} {r['html'] / r['mb']:10.4f} {r['text']:8.3f} "
              f"{r['text'] / r['mb']:10.4f} {r['bare'] / r['mb']:13.4f}")
    for fmt in ("html", "text", "bare"):
        per = [r[fmt] / r["mb"] for _, r in rows]
        label = "control (parse + libxslt's built-in templates only)" if fmt == "bare" else fmt
        print(f"{label}: largest / smallest time per MB = {max(per) / min(per):.2f}"
              + (" (target < 1.3)" if fmt != "bare" else ""))


READINGS_PARAGRAPH = ('<p>Dis <choice><sic>manbus</sic><corr>manibus</corr></choice> vixit mit<choice><sic>t</sic>'
                      '<corr>i</corr></choice>i t<subst> <del>e</del> <add>urum</add></subst> done<del>x</del>ly '
                      'wind<app><lem>ow</lem><rdg wit="#B">e</rdg></app>s end of a rather long paragraph of plain '
                      'words here and there.</p>')


def readings(repeat: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from teikit.rendering import stylesheets
    from teikit.transform.runner import parse_tei

    styles = stylesheets()
    head = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
            '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body>')
    print(f"time per MB, paragraphs with 5 alternative readings each (CPU seconds of the transform, best of {repeat})")
    print(f"{'paragraphs':>10} {'MB':>6} {'html s':>8} {'html s/MB':>10} {'text s':>8} {'text s/MB':>10}")
    per: dict[str, list[float]] = {"html": [], "text": []}
    for n in (2000, 4000, 8000, 16000):
        data = (head + READINGS_PARAGRAPH * n + "</body></text></TEI>").encode()
        tree = parse_tei(data)
        mb = len(data) / 1e6
        row = {}
        for fmt in ("html", "text"):
            best = float("inf")
            for _ in range(repeat):
                t = time.process_time()
                styles.render(tree, fmt)
                best = min(best, time.process_time() - t)
            row[fmt] = best
            per[fmt].append(best / mb)
        print(f"{n:>10} {mb:6.2f} {row['html']:8.3f} {row['html'] / mb:10.4f} {row['text']:8.3f} {row['text'] / mb:10.4f}")
    for fmt, values in per.items():
        print(f"readings, {fmt}: largest / smallest time per MB = {max(values) / min(values):.2f}")


SAXON_CP = ":".join(["/usr/share/java/Saxon-HE.jar", "/usr/share/java/xml-resolver.jar"])


def batch_files() -> list[Path]:
    files = sorted(SAMPLES.rglob("*.xml")) if SAMPLES.is_dir() else []
    return files + sorted(transform_data.BATCH_DIR.glob("*.xml"))


def saxon(repeat: int) -> None:
    html_xsl = transform_data.STYLESHEETS_DIR / "html" / "html.xsl"
    files = batch_files()
    if not html_xsl.is_file() or not transform_data.BATCH_DIR.is_dir():
        print(f"saxon: run `python bench/bench_transform.py prepare` first ({html_xsl} missing)")
        return
    if not Path("/usr/share/java/Saxon-HE.jar").is_file():
        print("saxon: Saxon-HE missing (apt-get install libsaxonhe-java)")
        return
    mb = sum(f.stat().st_size for f in files) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for f in files:
            (src / f.name).write_bytes(f.read_bytes())
        def timed(cmd, out):
            best = None
            for _ in range(repeat):
                subprocess.run(["rm", "-rf", str(out)], check=True)
                out.mkdir()
                t = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True)
                dt = time.perf_counter() - t
                best = dt if best is None else min(best, dt)
            return best, proc, sum(1 for p in out.iterdir() if p.is_file())
        teikit = [sys.executable, "-m", "teikit", "html", str(src), "-o", str(Path(tmp) / "teikit")]
        t_teikit, p1, n1 = timed(teikit, Path(tmp) / "teikit")
        sax = ["java", "-cp", SAXON_CP, "net.sf.saxon.Transform", f"-s:{src}", f"-o:{Path(tmp) / 'saxon'}", f"-xsl:{html_xsl}"]
        t_saxon, p2, n2 = timed(sax, Path(tmp) / "saxon")
    version = (transform_data.STYLESHEETS_DIR / "VERSION").read_text().strip()
    print(f"mixed batch: {len(files)} files, {mb:.1f} MB (wall-clock seconds, best of {repeat})")
    print(f"  teikit html                              {t_teikit:7.2f} s  {n1} pages  exit {p1.returncode}")
    print(f"  Saxon-HE + TEI Stylesheets {version} (1 JVM) {t_saxon:7.2f} s  {n2} pages  exit {p2.returncode}")
    print(f"  ratio Saxon / teikit: {t_saxon / t_teikit:.1f}x on {mb:.1f} MB")


def recall() -> None:
    """Word recall of `teikit text` and of the HTML page (as laid out) on the mixed batch."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "tests"))
    import wordrecall
    from lxml import html as lxml_html
    from teikit.rendering import stylesheets
    from teikit.transform import runner as transform

    STYLES = stylesheets()

    rows = []
    for f in batch_files():
        tree = transform.parse_tei(f.read_bytes(), str(f))
        text = STYLES.text(tree)
        page = wordrecall.html_text(lxml_html.document_fromstring(STYLES.html(tree)).body)
        (rt, n, mt), (rh, _, mh) = wordrecall.recall(tree, text), wordrecall.recall(tree, page)
        rows.append((f, n, rt, rh, mt + mh))
    print(f"word recall (tests/wordrecall.py), {len(rows)} files")
    for label, sel in (("../shared/samples", lambda f: SAMPLES in f.parents),
                       ("fetched (benchdata)", lambda f: SAMPLES not in f.parents), ("all", lambda f: True)):
        part = [r for r in rows if sel(r[0])]
        if not part:
            continue
        for i, fmt in ((2, "text"), (3, "html")):
            vals = [r[i] for r in part]
            worst = min(part, key=lambda r: r[i])
            print(f"  {label:22} {fmt}: mean {sum(vals) / len(vals):.5f}  min {min(vals):.5f} ({worst[0].name})"
                  f"  files {len(part)}  words {sum(r[1] for r in part)}")
    for f, n, rt, rh, missing in rows:
        if min(rt, rh) < 1:
            print(f"  {f.name}: text {rt:.4f} html {rh:.4f} missing {dict(list(missing.items())[:6])}")


def site_measurements(repeat: int) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows.append(("html+text, corpus documents", measure("html+text", work, repeat)))
        rows.append(("site, clean build", measure("clean", work, repeat, reset=True)))
        rows.append(("site, rebuild, nothing changed", measure("same", work, repeat)))
        rows.append(("site, rebuild, one document edited", measure("touch", work, repeat)))
        if SAMPLES.is_dir():
            rows.append((f"html+text, {SAMPLES.name}", measure("samples", work, repeat)))
    print(f"{'measurement':38} {'seconds':>8} {'files':>6} {'files/s':>8} {'transformed':>12} {'peak MB':>8}")
    for name, r in rows:
        rate = r["files"] / r["seconds"] if r["seconds"] else float("inf")
        print(f"{name:38} {r['seconds']:8.2f} {r['files']:6d} {rate:8.1f} {r['transformed']:12d} {r['peak_mb']:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", default="all", choices=("all", "site", "scaling", "readings", "saxon", "recall", "prepare"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--git-dir", action="append", default=[], metavar="OWNER/NAME=PATH",
                        help="prepare: a bare clone to read a repository from")
    args = parser.parse_args()
    if args.what == "prepare":
        transform_data.prepare({k: Path(v) for k, v in (g.split("=", 1) for g in args.git_dir)})
        return
    if args.what in ("all", "site"):
        site_measurements(args.repeat)
    if args.what in ("all", "scaling"):
        scaling(args.repeat)
    if args.what in ("all", "readings"):
        readings(args.repeat)
    if args.what in ("all", "saxon"):
        saxon(args.repeat)
    if args.what in ("all", "recall"):
        recall()


if __name__ == "__main__":
    main()
