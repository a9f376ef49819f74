"""The GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml): their
teikit command lines, run as CI would run them, with the installed teikit (nothing is installed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

BIN = Path(sys.executable).parent
TEI = ('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
       '<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>'
       '</sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>\n')


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "a.xml").write_text(TEI.format(body="<p>x</p>"))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "b.xml").write_text(TEI.format(body="<para>x</para>"))
    return tmp_path


def _env(extra: dict) -> dict:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.update(extra)
    return env


def action():
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_is_composite_with_the_documented_inputs():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert {"paths", "schema", "format", "fail-on"} <= set(spec["inputs"])


def _teikit_step():
    steps = [s for s in action()["runs"]["steps"] if s.get("run", "").lstrip().startswith("teikit ")]
    assert len(steps) == 1
    return steps[0]


def run_action(project, **given):
    """The action's teikit step, with its inputs' defaults overridden by `given`."""
    spec, step = action(), _teikit_step()
    inputs = {name: str(value.get("default", "")) for name, value in spec["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    env = {}
    for name, expression in step["env"].items():
        match = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", expression)
        assert match, f"{name} is not an input"
        env[name] = inputs[match[1]]
    return subprocess.run(["bash", "-c", step["run"]], cwd=project, env=_env(env),
                          capture_output=True, text=True, timeout=300)


def test_the_action_passes_a_valid_folder(project):
    done = run_action(project, paths="good")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout and "1 file: 1 valid" in done.stdout


def test_the_action_fails_with_annotations_on_an_invalid_file(project):
    done = run_action(project, paths="good bad")
    assert done.returncode == 1
    assert re.search(r"^::error file=bad/b\.xml,line=\d+", done.stdout, re.M)


def test_the_action_writes_a_junit_report_and_takes_more_options(project):
    done = run_action(project, paths="good bad", format="junit", output="report.xml", args="--shard 1/1")
    assert done.returncode == 1 and done.stdout == ""
    assert "<testsuites" in (project / "report.xml").read_text()


def test_the_action_fail_on_and_schema_inputs(project):
    (project / "good" / "a.xml").write_text(
        '<?xml-model href="https://example.org/lost.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        + TEI.format(body="<p>x</p>").split("\n", 1)[1])
    assert run_action(project, paths="good").returncode == 0  # a stand-in is a warning
    assert run_action(project, paths="good", **{"fail-on": "warning"}).returncode == 1
    assert run_action(project, paths="good", args="--strict-schema").returncode == 1
    assert run_action(project, paths="good", schema="none").returncode == 0


@pytest.mark.parametrize("hook", yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()),
                         ids=lambda h: h["id"])
def test_the_pre_commit_hooks_run_on_staged_files(project, hook):
    pattern = re.compile(hook["files"])
    staged = ["good/a.xml", "bad/b.xml", "notes.txt"]
    (project / "notes.txt").write_text("not XML")

    def run(files):
        command = hook["entry"].split() + hook.get("args", []) + [f for f in files if pattern.search(f)]
        return subprocess.run(command, cwd=project, env=_env({}), capture_output=True, text=True, timeout=300)

    assert run(staged[:1]).returncode == 0
    done = run(staged)
    assert done.returncode == 1 and "bad/b.xml:" in done.stdout and "notes.txt" not in done.stdout
