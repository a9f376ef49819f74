"""The `teikit` program's short way in (teikit.entry): `teikit validate [PATHS]` with no
option runs without click, and gives exactly what click gives: the same parse, the same
output, the same handling of every error. Each point is checked against click itself."""

from __future__ import annotations

import inspect
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from teikit import api, cli, entry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def _click_params(args: list[str]) -> dict:
    """What click hands validate_cmd for the command line `args` (`validate ...`)."""
    import warnings

    ctx = cli.main.make_context("teikit", list(args))
    with warnings.catch_warnings():  # click 8.2+: protected_args is deprecated (the command's name is in it)
        warnings.simplefilter("ignore", DeprecationWarning)
        name, command, rest = cli.main.resolve_command(ctx, [*ctx.protected_args, *ctx.args])
    assert name == "validate"
    return command.make_context(name, rest, parent=ctx).params


def test_the_short_way_takes_only_paths_after_validate():
    assert entry.plain_validate(["validate"]) == ()
    assert entry.plain_validate(["validate", "corpus/tei", "a b.xml", "nowhere", ""]) == (
        "corpus/tei", "a b.xml", "nowhere", "")
    for args in ([], ["build"], ["Validate", "x"], ["--version"], ["-h"], ["validate", "--help"],
                 ["validate", "-h"], ["validate", "x", "--format", "json"], ["validate", "--", "x"],
                 ["validate", "-"], ["validate", "-1"], ["validate", "x", "-o", "y"], ["--", "validate", "x"],
                 ["validate", "--no-cache", "x"]):
        assert entry.plain_validate(args) is None, args


def test_click_reads_what_the_short_way_takes_as_validate_with_its_defaults():
    """The paths as given, every option at the default validate_command has (so the short
    way's call `validate_command(paths)` is click's call)."""
    defaults = {name: p.default for name, p in inspect.signature(entry.validate_command).parameters.items()
                if p.kind is p.KEYWORD_ONLY and name != "echo"}
    for args in (["validate"], ["validate", "corpus/tei"], ["validate", str(DATA), "nowhere.xml", ""]):
        paths = entry.plain_validate(args)
        assert paths is not None
        params = _click_params(args)
        assert tuple(params.pop("paths")) == paths
        assert params == defaults, args
    # and every option of the command is one validate_command takes
    assert {p.name for p in cli.validate_cmd.params} - {"paths"} == set(defaults)


def test_a_path_click_refuses_goes_to_click(tmp_path, monkeypatch):
    """click.Path() refuses a path that exists and cannot be read: that line is click's."""
    secret = tmp_path / "secret.xml"
    secret.write_text("<TEI/>", encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: str(p) != str(secret) and real_access(p, mode, **kw))
    assert entry.plain_validate(["validate", str(tmp_path / "missing.xml")]) == (str(tmp_path / "missing.xml"),)
    assert entry.plain_validate(["validate", str(secret)]) is None
    with pytest.raises(click.BadParameter):
        _click_params(["validate", str(secret)])


def test_shell_completion_goes_to_click(monkeypatch):
    monkeypatch.setenv("_TEIKIT_COMPLETE", "bash_complete")
    assert entry.plain_validate(["validate", "x"]) is None
    monkeypatch.setenv("_TEIKIT_COMPLETE", "")
    assert entry.plain_validate(["validate", "x"]) == ("x",)


class _Pipe(io.TextIOWrapper):
    pass


#: (teikit.entry's writer, the stream it writes to, what click writes there)
WRITERS = {"echo": (entry.echo, "stdout", lambda t: click.echo(t, nl=False)),
           "say": (entry.say, "stderr", lambda t: click.echo(t, err=True))}


@pytest.mark.parametrize("text", ["", "a.xml:1:2: error: [x] y\n", "plain\u00e9 text", "with \033[31mred\033[0m"])
@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_echo_and_say_write_what_click_echo_writes(writer, text, encoding, monkeypatch):
    """echo (stdout, no newline) and say (a line on stderr), each against click.echo."""
    ours, name, clicks = WRITERS[writer]
    outputs = []
    for write in (ours, clicks):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace")
        monkeypatch.setattr(sys, name, stream)
        write(text)
        stream.flush()
        outputs.append(raw.getvalue())
    assert outputs[0] == outputs[1]


def _run(argv: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["teikit-under-test", *argv])  # not `teikit`: an ordinary SystemExit
    with pytest.raises(SystemExit) as done:
        entry.main()
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.mark.parametrize("failure", [api.UsageError("Cannot read catalog 'x.xml': no such file"),
                                     RuntimeError("boom"), KeyboardInterrupt()])
def test_an_error_on_the_short_way_is_handled_as_click_handles_it(failure, monkeypatch, capsys):
    """The same message, stream and exit code as the same failure raised under click
    (`--format text` makes the same command line click's)."""
    def failing(*_args, **_kw):
        raise failure

    monkeypatch.setattr(api, "validate_files", failing)
    monkeypatch.delenv("TEIKIT_DEBUG", raising=False)
    short = _run(["validate", "x.xml"], monkeypatch, capsys)
    clicked = _run(["validate", "--format", "text", "x.xml"], monkeypatch, capsys)
    assert short == clicked
    assert short[0] in (1, 2) and short[2]


def _program(args: list[str], env: dict) -> tuple[int, str, str]:
    code = "import sys; from teikit.entry import main; sys.argv[0] = 'teikit'; main()"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def test_the_program_gives_the_same_reports_and_exit_codes_either_way(tmp_path):
    """`teikit validate PATHS` (the short way) and `teikit validate --format text PATHS`
    (click) as programs: the same report, stderr and exit code on valid, invalid and missing
    files and a corpus, and on a usage error (a broken XML_CATALOG_FILES)."""
    env = dict(os.environ, TEIKIT_CACHE=str(tmp_path / "cache"))
    env.pop("TEIKIT_DEBUG", None)
    cases = [[str(p) for p in sorted(DATA.glob("*.xml"))[:6]], [str(tmp_path / "missing.xml")], ["corpus/tei"]]
    seen_codes = set()
    for paths in cases:
        short = _program(["validate", *paths], env)
        clicked = _program(["validate", "--format", "text", *paths], env)
        assert short == clicked, paths
        seen_codes.add(short[0])
    assert seen_codes == {0, 1}
    broken = dict(env, XML_CATALOG_FILES=str(tmp_path / "no-catalog.xml"))
    short = _program(["validate", "corpus/tei"], broken)
    assert short == _program(["validate", "--format", "text", "corpus/tei"], broken)
    assert short[0] == 2 and short[2].startswith("Error: ")


def test_the_short_way_imports_no_click(tmp_path):
    code = ("import sys, json; sys.argv = ['x', 'validate', 'nowhere.xml']\n"
            "from teikit.entry import main\n"
            "try:\n    main()\nexcept SystemExit as done:\n"
            "    print(json.dumps([done.code, 'click' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                          env=dict(os.environ, TEIKIT_CACHE=str(tmp_path)))
    assert json.loads(done.stdout.splitlines()[-1]) == [1, False]


def test_only_the_program_freezes_what_imports_make():
    """A caller importing teikit keeps its collector as it was (nothing frozen); the program's
    short way freezes what exists and what each later import block makes
    (teikit._no_collections.freeze): collections after it do not walk the modules."""
    code = ("import gc, json, sys\n"
            "import teikit\n"
            "with teikit._no_collections():\n    import teikit.validation\n"
            "library = [teikit._no_collections.freeze, gc.get_freeze_count()]\n"
            "from teikit import entry\n"
            "entry._freeze_what_imports_make()\n"
            "after = gc.get_freeze_count()\n"
            "with teikit._no_collections():\n    import teikit.resultcache\n"
            "print(json.dumps([library, teikit._no_collections.freeze, after > 0,"
            " gc.get_freeze_count() > after, gc.isenabled()]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(done.stdout) == [[False, 0], True, True, True, True]


def test_validate_with_options_freezes_too_and_other_commands_do_not(tmp_path):
    """`teikit validate` with options (click's way) freezes its imports as the short way does;
    another command (`teikit --version`) leaves the collector as it was."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
            "from teikit.entry import main\nmain()")
    seen = {}
    for args in (["validate", "--format", "json", "nowhere.xml"], ["--version"]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                              env=dict(os.environ, TEIKIT_CACHE=str(tmp_path)))
        seen[args[0]] = done.stdout.strip().splitlines()[-1]
    assert seen == {"validate": "frozen True", "--version": "frozen False"}


# --- `teikit build` alone, off a terminal ---------------------------------------------------
def _build_params(args: list[str]) -> dict:
    """What click hands build_cmd for the command line `args` (`build ...`)."""
    import warnings

    ctx = cli.main.make_context("teikit", list(args))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        name, command, rest = cli.main.resolve_command(ctx, [*ctx.protected_args, *ctx.args])
    assert name == "build"
    return command.make_context(name, rest, parent=ctx).params


class _NotATty(io.StringIO):
    def isatty(self):
        return False


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_the_short_way_takes_build_alone_off_a_terminal_only(monkeypatch):
    monkeypatch.delenv("_TEIKIT_COMPLETE", raising=False)
    monkeypatch.setattr(sys, "stderr", _NotATty())
    assert entry.plain_build(["build"])
    for args in ([], ["build", "--force"], ["build", "--corpus", "corpus"], ["build", "-q"], ["build", "--"],
                 ["build", "x"], ["Build"], ["build", "--help"], ["validate"], ["--", "build"]):
        assert not entry.plain_build(args), args
    monkeypatch.setenv("_TEIKIT_COMPLETE", "bash_complete")
    assert not entry.plain_build(["build"])
    monkeypatch.delenv("_TEIKIT_COMPLETE")
    monkeypatch.setattr(sys, "stderr", _Tty())  # the progress bar is click's
    assert not entry.plain_build(["build"])
    monkeypatch.setattr(sys, "stderr", None)
    assert not entry.plain_build(["build"])


def test_click_reads_build_alone_with_the_defaults_the_short_way_uses(tmp_path, monkeypatch):
    """build_cmd's parameters for `build` are the ones build_command passes to the build."""
    assert _build_params(["build"]) == {"corpus": "corpus", "site": True, "build_dir": "build", "force": False,
                                        "quiet": False}
    seen = []
    monkeypatch.setattr(api, "build_project", lambda project, build_dir, **kw: seen.append(
        (str(project.root), str(build_dir), kw["site"], kw["force"], kw["progress"])) or 0)
    monkeypatch.setattr(entry, "finish", lambda code: seen.append(code))
    entry.build_command()
    assert seen == [("corpus", "build", True, False, None), 0]


def test_the_program_builds_the_same_either_way_and_reports_an_error_as_click_does(tmp_path):
    """`teikit build` (the short way, off a terminal) and `teikit build --corpus corpus`
    (click) as programs, each in a copy of a project: the same messages, outputs and exit
    codes, and without click imported on the short way; in a folder without a corpus, the
    same `Error: ...` line and exit code."""
    import re
    import shutil

    from tests.conftest import OTHER

    code = ("import sys, atexit\n"
            "atexit.register(lambda: sys.stdout.write('click imported: %s' % ('click' in sys.modules)))\n"
            "sys.argv[0] = 'teikit-under-test'\nfrom teikit.entry import main\nmain()")
    env = {k: v for k, v in os.environ.items() if k != "TEIKIT_DEBUG"}
    runs, trees = {}, {}
    for how, args in (("short", ["build"]), ("click", ["build", "--corpus", "corpus"])):
        top = tmp_path / how
        shutil.copytree(OTHER, top / "corpus")
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=top, env=env)
        # times differ, and whether Pagefind's run overlapped other work of the build
        said = re.sub(r"\(Pagefind, [^()]*\)", "(Pagefind, ...)", re.sub(r"\d+\.\d+ s\b", "N s", done.stderr))
        runs[how] = (done.returncode, said, done.stdout)
        trees[how] = {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*"))
                      if p.is_file() and "pagefind" not in p.parts and not any(
                          part.startswith(".teikit") for part in p.parts)}  # (state: the outputs' times)
        empty = tmp_path / f"{how}-empty"
        empty.mkdir()
        failed = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=empty,
                                env=env)
        runs[how + " error"] = (failed.returncode, failed.stderr)
    assert runs["short"][:2] == runs["click"][:2] and runs["short"][0] == 0
    assert "converted 3 documents" in runs["short"][1]
    assert runs["short"][2] == "click imported: False" and runs["click"][2] == "click imported: True"
    for tree in trees.values():  # Pagefind's index differs from run to run: its entry in the manifest too
        manifest = json.loads(tree.pop("build/manifest.json"))
        manifest["outputs"].pop("site/pagefind")
        tree["build/manifest.json"] = manifest
    assert trees["short"] == trees["click"]
    assert runs["short error"] == runs["click error"]
    assert runs["short error"][0] != 0 and runs["short error"][1].startswith("Error: ")
