"""`teikit build`: one progress bar on a terminal only; stages skipped when nothing changed."""

from __future__ import annotations

import io

from click.testing import CliRunner

from teikit import cli
from teikit.cli import main


def test_no_progress_bar_off_a_terminal(corpus):
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site"])
    assert result.exit_code == 0
    assert "[#" not in result.output and "%" not in result.output.replace("100.0000%", "")
    assert cli.BuildProgress.make(quiet=False) is None  # pytest's stderr is not a tty


def test_one_bar_names_each_stage_and_its_count(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    monkeypatch.setattr(cli.sys, "stderr", tty)
    bar = cli.BuildProgress.make(quiet=False)
    assert bar is not None and cli.BuildProgress.make(quiet=True) is None
    for stage, total in (("convert", 4), ("check", 9), ("validate", 9), ("site", 20), ("text", 5)):
        for done in range(total + 1):
            bar(stage, done, total)
    bar.close()
    drawn = tty.getvalue()
    for label in ("convert 4/4", "check 9/9", "validate 9/9", "site 20/20", "text 5/5"):
        assert label in drawn
    assert drawn.count("100%") >= 1


def test_a_changed_input_reconverts_and_an_unchanged_one_does_not(corpus):
    run = lambda: CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--no-site"])  # noqa: E731
    assert "up to date" in run().output
    source = corpus / "source" / "dispatches.md"
    source.write_text(source.read_text(encoding="utf-8").replace("wide circulation", "wide  circulation"),
                      encoding="utf-8")
    result = run()
    assert result.exit_code == 0 and "converted 3 documents" in result.output
    assert "up to date" in run().output
