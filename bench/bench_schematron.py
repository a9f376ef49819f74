"""On-demand benchmark (not a test): teikit's Schematron layer against an independent
reference (SchXslt 2.0 on Saxon, bench/schref.py), findings and seconds side by side.

    .venv/bin/python bench/bench_schematron.py [PATH ...]   (default: ../shared/samples corpus/tei)
    .venv/bin/python bench/bench_schematron.py --patterns [SCH [FOLDER]]
        CPU seconds of the XPath 1.0 stylesheet (validate/schstyle.py) per pattern (one
        stylesheet each, so each row holds the ~0.006 s of 188 empty transforms), the whole
        schema, and the Python runner on the same files (default: schema/teikit.sch over
        corpus/tei without corpus.xml)

TEI's embedded Schematron: teikit extracts it from ../shared/tei/tei_all.rng itself; the
reference runs ../shared/tei/tei_all.sch (extracted from the same grammar by other
means). CMIF: ../shared/tei/cmif.sch on the same files.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import schref  # noqa: E402
from teikit.core import xmlsafe  # noqa: E402
from teikit import validation  # noqa: E402
from teikit.core import xinclude  # noqa: E402
from teikit.disk import Disk  # noqa: E402
from teikit.validate import schematron  # noqa: E402

SHARED = ROOT.parent / "shared"


def _trees(paths):
    files, _ = validation.collect_files(paths)
    trees = {}
    for f in files:
        tree, _ = xmlsafe.parse_file(f, Disk())
        if tree is not None:
            xinclude.expand(tree, f, files=Disk())
            trees[f] = tree
    return trees


def compare(label, ours_schema, ref_sch, trees):
    start = time.perf_counter()
    ours = {f: schematron.comparable(ours_schema, t) for f, t in trees.items()}
    ours_s = time.perf_counter() - start
    why = schref.available()
    if why:
        print(f"{label}: teikit {ours_s:.2f} s; reference not run: {why}")
        return
    start = time.perf_counter()
    ref = schref.run(ref_sch, trees)
    ref_s = time.perf_counter() - start
    n_ours = sum(len(v) for v in ours.values())
    n_ref = sum(len(v) for v in ref.values())
    same = 0
    for f in trees:
        a = collections.Counter((k, loc, test) for k, loc, test, _ in ours[f])
        b = collections.Counter((k, loc, test) for k, loc, test, _ in ref.get(f, []))
        same += sum((a & b).values())
        for item in (a - b):
            print(f"  only teikit   {Path(f).name}: {item}")
        for item in (b - a):
            print(f"  only reference {Path(f).name}: {item}")
    print(f"{label}: {len(trees)} files; findings teikit {n_ours}, reference {n_ref}, "
          f"same {same}; teikit {ours_s:.2f} s, reference {ref_s:.2f} s "
          f"(compile + one JVM), ratio {ref_s / max(ours_s, 1e-9):.1f}x")
    by_file = [(Path(f).name, len(ours[f]), len(ref.get(f, []))) for f in trees if ours[f] or ref.get(f)]
    for name, a, b in by_file[:40]:
        print(f"    {name:<60} teikit {a:4d}  reference {b:4d}")


def main(paths):
    trees = _trees(paths)
    start = time.perf_counter()
    embedded = schematron.embedded(SHARED / "tei" / "tei_all.rng", Disk())
    print(f"extract + compile tei_all's Schematron: {time.perf_counter() - start:.2f} s, "
          f"{len(embedded.patterns)} patterns, {len(embedded.problems)} rules that cannot run")
    compare("tei_all embedded Schematron", embedded, SHARED / "tei" / "tei_all.sch", trees)
    compare("CMIF cmif.sch", schematron.load(SHARED / "tei" / "cmif.sch", Disk()), SHARED / "tei" / "cmif.sch", trees)


def patterns(sch=str(ROOT / "schema" / "teikit.sch"), folder=str(ROOT / "corpus" / "tei"), repeat=7):
    import dataclasses

    from teikit.validate import schrun, schstyle

    files = sorted(str(f) for f in Path(folder).glob("*.xml") if f.name != "corpus.xml")
    trees = [xmlsafe.parse_file(f, Disk())[0] for f in files]
    schema = schematron.load(sch, Disk())

    def cpu(run):
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        return best

    print(f"{sch} over {len(trees)} files of {folder}: CPU s, best of {repeat}")
    for pattern in schema.patterns:
        sheet = schstyle.compile_stylesheet(dataclasses.replace(schema, patterns=[pattern]), schrun._lxml_variable)
        took = cpu(lambda: [sheet.hits(t) for t in trees]) if sheet is not None else None
        print(f"  {pattern.id or '(no id)':<24} {'Python runner' if took is None else f'{took:.4f}'}")
    sheet = schrun.stylesheet(schema)
    if sheet is not None:
        print(f"  {'whole schema':<24} {cpu(lambda: [sheet.hits(t) for t in trees]):.4f}")
    print(f"  {'validate_tree':<24} {cpu(lambda: [schematron.validate_tree(schema, t, f, Disk()) for f, t in zip(files, trees)]):.4f}")
    print(f"  {'Python runner':<24} {cpu(lambda: [schrun.evaluate_in_python(schema, t) for t in trees]):.4f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--patterns"]:
        patterns(*sys.argv[2:])
    else:
        main(sys.argv[1:] or [str(SHARED / "samples"), str(ROOT / "corpus" / "tei")])
