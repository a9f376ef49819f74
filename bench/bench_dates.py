"""python-dateutil as the interpreter of teikit's date spans: agreement and cost.

    .venv/bin/python bench/bench_dates.py

For every date teikit's finder isolates (each line of the bundled source, read with its
profile's conventions, without and with a default year; and the printed forms of
tests/test_dates.py's table), compare
  * teikit's own reading of the finder's groups (`_parts_as_printed`),
  * dateutil interpreting the finder's tokens (`_parts_by_dateutil`, what teikit uses), and
  * dateutil alone on the whole isolated span of a single date (no token repair), with the
    two sentinel defaults,
and time find_dates over the source with either interpreter. The figures go in docs/dates.md.
"""

from __future__ import annotations

import ast
import datetime
import json
import time
from collections import Counter
from pathlib import Path

import dateutil.parser

from teikit.convert import dates

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "source" / "soviet-foreign-policy-documents-1919-1942.md"
S1, S2 = datetime.datetime(4, 1, 1), datetime.datetime(8, 3, 2)


def table_texts() -> list[tuple[str, int | None]]:
    """(text, default_year) of the find_dates table in tests/test_dates.py."""
    tree = ast.parse((ROOT / "tests" / "test_dates.py").read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Constant) \
                and isinstance(node.elts[0].value, str) and isinstance(node.elts[1], ast.Constant) \
                and (node.elts[1].value is None or isinstance(node.elts[1].value, int)):
            out.append((node.elts[0].value, node.elts[1].value))
    return out


def readings(texts, interpreter) -> list[tuple]:
    dates.interpret = interpreter
    out = []
    for text, year in texts:
        for m in dates.find_dates(text, default_year=year):
            out.append((text, m.printed, m.when, m.from_, m.to, m.inferred_year))
    return out


def alone(conv, printed: str):
    """dateutil on the whole span: (year, month, day) printed, or the error."""
    info = dates._parserinfo(conv)
    try:
        a, b = (dateutil.parser.parse(printed, default=d, parserinfo=info) for d in (S1, S2))
    except (ValueError, OverflowError) as err:
        return f"error: {type(err).__name__}"
    return tuple(x if x == y else None for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)))


def main() -> None:
    profile = json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text("utf-8"))["reader"]
    conv = dates.DateConventions.from_dict(profile.get("dates"))
    lines = SOURCE.read_text("utf-8").splitlines()
    sets = {"source (no default year)": [(ln, None) for ln in lines],
            "source (default year 1930)": [(ln, 1930) for ln in lines],
            "tests/test_dates.py table": table_texts()}
    with dates.conventions(conv):
        for name, texts in sets.items():
            own = readings(texts, dates._parts_as_printed)
            du = readings(texts, dates._parts_by_dateutil)
            diff = [pair for pair in zip(own, du) if pair[0] != pair[1]] + [("missing",)] * abs(len(own) - len(du))
            print(f"{name}: {len(own)} dates; dateutil on the finder's tokens agrees with teikit on "
                  f"{len(own) - len(diff)}, differs on {len(diff)}")
            for d in diff[:10]:
                print("   differs:", d)
            # dateutil alone on the single dates' spans
            verdict = Counter()
            examples: dict[str, list[str]] = {}
            for _text, printed, when, _f, _t, inferred in own:
                if not when:
                    verdict["range (dateutil reads no ranges)"] += 1
                    examples.setdefault("range (dateutil reads no ranges)", []).append(printed)
                    continue
                got = alone(conv, printed)
                want = tuple(int(p) for p in when.split("-")) + (None,) * (2 - when.count("-"))
                if inferred and not isinstance(got, str) and got[0] is None:
                    got = (want[0], *got[1:])  # the year is not printed: teikit takes it from context
                if got == want:
                    verdict["agrees"] += 1
                else:
                    key = "fails" if isinstance(got, str) else "misreads"
                    verdict[key] += 1
                    examples.setdefault(key, []).append(f"{printed!r} -> {got} (teikit {when})")
            print(f"   dateutil alone on the span: {dict(verdict)}")
            for key, ex in examples.items():
                print(f"     {key}: " + "; ".join(sorted(set(ex))[:12]))
        for ln in lines:  # compile the patterns and warm the caches first
            dates.find_dates(ln, default_year=1930)
        for interpreter in (dates._parts_as_printed, dates._parts_by_dateutil, dates._parts_as_printed,
                            dates._parts_by_dateutil):
            dates.interpret = interpreter
            t0 = time.perf_counter()
            n = sum(len(dates.find_dates(ln, default_year=1930)) for ln in lines)
            took = time.perf_counter() - t0
            print(f"find_dates over {len(lines)} source lines with {interpreter.__name__}: {took:.3f} s ({n} dates)")
    dates.interpret = dates._parts_by_dateutil


if __name__ == "__main__":
    main()
