"""The layering rule of docs/architecture.md: only the application layer (teikit/*.py at the
top of the package) walks folders, reads the environment or writes files. Library modules
(teikit.core, convert, validate, transform, publish) take and return bytes, strings and trees,
and read anything more through the `Files`/`Cache` objects they are handed (teikit.core.files).

The check reads each library module's syntax tree and fails on a call that reaches the file
system or the environment by itself, and on code that starts a process, a pool of workers or
a thread (the application layer runs them, and hands the library what to map its work with:
teikit.workers.Workers for teikit.validate.runstate.Mapper)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "teikit"
LIBRARY = ("core", "convert", "validate", "transform", "publish")

#: method names that reach the file system whatever object they are called on (Path's)
PATH_METHODS = {
    "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
    "mkdir", "rmdir", "unlink", "touch", "exists", "is_file", "is_dir", "is_symlink",
    "stat", "lstat", "chmod", "resolve", "samefile", "rename", "replace", "open",
    "expanduser", "cwd", "home", "realpath", "abspath", "getcwd", "listdir", "scandir",
    "walk", "makedirs", "removedirs", "getmtime", "getsize", "isfile", "isdir",
    "islink", "lexists", "fdopen", "getenv", "putenv",
}
#: lxml functions that read a file by name (given a path, not bytes)
LXML_READERS = {"parse", "iterparse", "XMLSchema", "RelaxNG", "DTD", "parsefile"}
#: modules whose every use is file-system or environment access
MODULES = {"os", "shutil", "tempfile", "glob", "fnmatch", "io", "subprocess", "http", "socket", "urllib"}
#: names from `os` that are pure (string work, constants)
OS_PURE = {"sep", "linesep", "fspath", "name", "PathLike", "devnull", "curdir", "pardir", "extsep", "altsep", "pathsep"}
#: a receiver whose dotted name ends so is a teikit.core.files.Files: its is_file() is the
#: Files protocol's (the object the application layer hands over), not Path's
FILES_RECEIVER = "files"
#: pure helpers of os.path, io and urllib.parse (string work)
PURE_ATTRS = {"join", "basename", "dirname", "splitext", "split", "normpath", "isabs", "relpath",
              "commonpath", "BytesIO", "StringIO", "sep", "fspath", "PathLike",
              "urlencode", "quote", "quote_plus", "unquote", "urlsplit", "urlunsplit", "urljoin", "urlparse"}


#: modules that start processes, pools of workers (processes or threads) or threads: any use
#: of them, even an import inside a function, runs work outside the library's own thread
PROCESS_MODULES = {"multiprocessing", "concurrent", "subprocess", "_posixsubprocess", "pty", "_thread"}
#: names of other modules that start or replace a process, or start a thread
PROCESS_NAMES = {f"os.{n}" for n in (
    "fork", "forkpty", "register_at_fork", "system", "popen", "posix_spawn", "posix_spawnp",
    "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
    "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe", "kill", "killpg",
    "wait", "waitpid", "wait3", "wait4", "waitid")} | {
    "threading.Thread", "threading.Timer", "asyncio.subprocess", "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell", "asyncio.to_thread"}


#: modules still being moved to the rule (work in progress: this set only shrinks, and must end empty)
PENDING: set[str] = set()


def library_modules() -> list[Path]:
    return sorted(p for part in LIBRARY for p in (PACKAGE / part).rglob("*.py"))


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                # `import a.b` binds `a` (the package), `import a.b as c` binds `c` to a.b
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            func = node.func
            dotted = _dotted(func)
            head = dotted.split(".")[0] if dotted else ""
            full = aliases.get(head, head) + dotted[len(head):] if dotted else ""
            root = full.split(".")[0]
            last = full.rsplit(".", 1)[-1] if full else ""
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"{where} open()")
            elif root in MODULES and last not in PURE_ATTRS and last not in OS_PURE:
                found.append(f"{where} {full}()")
            elif root == "lxml" and last in LXML_READERS and node.args and not _is_bytes_arg(node.args[0]):
                found.append(f"{where} {full}() on a file name")
            elif isinstance(func, ast.Attribute) and func.attr in PATH_METHODS and root not in ("re", "str", "self") \
                    and not (func.attr == "is_file" and _dotted(func.value).endswith(FILES_RECEIVER)) \
                    and not (func.attr == "replace" and len(node.args) != 1):  # str.replace(old, new)
                found.append(f"{where} .{func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr == "environ":
            found.append(f"{where} os.environ")
    return found


def _is_bytes_arg(node) -> bool:
    """`etree.parse(BytesIO(...))` reads memory, not a file."""
    return isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] in ("BytesIO", "StringIO")


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nimport urllib.parse, urllib.request\nfrom pathlib import Path\n"
                      "from lxml import etree\n"
                      "def f(p, files):\n    open(p)\n    Path(p).read_text()\n    os.environ.get('X')\n"
                      "    etree.parse(p)\n    os.path.join('a', 'b')\n    urllib.parse.quote(p)\n"
                      "    urllib.request.urlopen(p)\n    files.is_file(p)\n    Path(p).is_file()\n",
                      encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        kinds = [v.split(" ", 1)[1] for v in violations(sample)]
    finally:
        PACKAGE = saved
    assert set(kinds) == {"open()", ".read_text()", "os.environ", "os.environ.get()",
                          "lxml.etree.parse() on a file name", "urllib.request.urlopen()",
                          ".is_file()"}, kinds  # os.path.join, urllib.parse, files.is_file are not
    assert len(kinds) == 7, kinds


@pytest.mark.parametrize("module", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_module_does_not_touch_the_file_system(module):
    found = violations(module)
    if str(module.relative_to(PACKAGE)) in PENDING:
        assert found, f"{module.name} keeps the rule now: take it out of PENDING"
        return
    assert not found, ("library modules take bytes, strings and trees and read more only through "
                       "the Files/Cache objects they are handed (teikit.core.files):\n  " + "\n  ".join(found))


def process_violations(path: Path) -> list[str]:
    """Where a module imports or names what starts a process, a worker pool or a thread."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
                if a.name.split(".")[0] in PROCESS_MODULES or a.name in PROCESS_NAMES:
                    found.append(f"{where} import {a.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                aliases[a.asname or a.name] = full
                if node.module.split(".")[0] in PROCESS_MODULES or full in PROCESS_NAMES:
                    found.append(f"{where} from {node.module} import {a.name}")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)) and not isinstance(getattr(node, "ctx", None), ast.Store):
            dotted = _dotted(node)
            head = dotted.split(".")[0] if dotted else ""
            if head not in aliases:
                continue
            full = aliases[head] + dotted[len(head):]
            if full in PROCESS_NAMES and (isinstance(node, ast.Attribute) or aliases[head] != head):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {full}")
    return sorted(set(found))


def test_the_process_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nimport threading\nimport concurrent.futures\n"
                      "from os import fork as split\n"
                      "def f(p):\n    import multiprocessing\n"
                      "    from multiprocessing.pool import ThreadPool\n"
                      "    from concurrent.futures import ProcessPoolExecutor\n"
                      "    import subprocess as sp\n    os.fork()\n    split()\n"
                      "    threading.Thread(target=f).start()\n    hasattr(os, 'fork') and os.posix_spawn\n"
                      "    threading.Lock()\n    threading.local()\n    os.path.join('a', p)\n    os.sep\n",
                      encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        kinds = sorted(v.split(" ", 1)[1] for v in process_violations(sample))
    finally:
        PACKAGE = saved
    assert kinds == sorted([
        "import concurrent.futures", "from os import fork", "import multiprocessing",
        "from multiprocessing.pool import ThreadPool", "from concurrent.futures import ProcessPoolExecutor",
        "import subprocess", "os.fork", "os.fork", "threading.Thread", "os.posix_spawn"]), kinds
    # threading's locks and thread-locals, os.path and os.sep start nothing


@pytest.mark.parametrize("module", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_module_runs_no_process(module):
    """Processes, worker pools and threads are the application layer's (teikit.workers,
    teikit.beside, teikit.jingrun): a library module is handed a mapper, an engine ..."""
    found = process_violations(module)
    assert not found, ("library modules start no process, pool or thread; the application layer "
                       "hands them what to run their work with:\n  " + "\n  ".join(found))

def _application_modules() -> set[str]:
    """The application layer: the modules at the top of the package (teikit.cli, teikit.disk ...)."""
    return {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}


@pytest.mark.parametrize("module", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_module_does_not_import_the_application_layer(module):
    """A library module is handed what it needs; it never reaches up for the application
    layer (teikit.disk, teikit.resources, teikit.pipeline ...), not even in a function."""
    app = _application_modules()
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + ([f"{node.module}.{a.name}" for a in node.names] if node.module == "teikit" else [])
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "teikit" and parts[1] in app:
                found.append(f"{module.relative_to(PACKAGE)}:{node.lineno} imports {'.'.join(parts[:2])}")
    assert not found, "\n".join(found)
