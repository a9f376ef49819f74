"""Print the side-by-side table of RELAX NG messages, teikit against jing, for the cases in
tests/data/messages (docs/validation.md, "Messages"). Needs jing and ../shared/tei/tei_all.rng.

    .venv/bin/python bench/messages_table.py [SCHEMA]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from teikit.validation import validate_paths

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "messages"


def _cell(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > 260:
        text = text[:257] + "…"
    return text.replace("|", "\\|")


def main(schema: str = str(ROOT.parent / "shared" / "tei" / "tei_all.rng")) -> None:
    print("| case | teikit | jing |")
    print("|---|---|---|")
    for case in sorted(CASES.glob("*.xml")):
        report = validate_paths([case], schema=schema, cross_document=False)
        ours = [f"{i.line}:{i.col}: [{i.code}] {i.message}" for i in report.all_issues()
                if i.severity == "error"]
        run = subprocess.run(["jing", schema, str(case)], capture_output=True, text=True)
        theirs = [line.split(f"{case.name}:", 1)[-1].replace(": error: ", ": ", 1)
                  for line in run.stdout.splitlines() if line.strip()]
        print(f"| {case.stem} | {'<br>'.join(_cell(m) for m in ours)} | "
              f"{'<br>'.join(_cell(m) for m in theirs)} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
