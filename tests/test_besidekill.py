"""A build that is killed leaves nothing of it running (review1-18 F1): the process beside the
site (teikit.besidesite), which writes corpus/tei, dies with the build (SIGKILL, SIGTERM),
and its writer stops before the next file once the build has ended."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from teikit.corpusdir import CorpusDir

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

#: a parent that starts a Beside writing one file every 50 ms into OUT, prints the child's pid,
#: then sleeps until it is killed (SIGKILL or SIGTERM by the test)
PARENT = textwrap.dedent("""
    import contextlib, os, sys, time
    from pathlib import Path
    from teikit import besidesite
    out, asks = Path(sys.argv[1]), sys.argv[2] == "asks"
    parent = os.getpid()
    end_if_orphaned = getattr(besidesite, "end_if_orphaned", lambda _pid: None)

    def work(*_wait):
        for i in range(200):
            if asks:
                end_if_orphaned(parent)
            (out / f"{i:03}.txt").write_text("x")
            time.sleep(0.05)
        return {}

    beside = besidesite.Beside(work)
    with getattr(besidesite, "stopped_on_sigterm", contextlib.nullcontext)(beside):
        print(beside.started.pid, flush=True)
        time.sleep(60)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
@pytest.mark.parametrize("sig,asks", [(signal.SIGKILL, "asks"), (signal.SIGKILL, "no"), (signal.SIGTERM, "no")])
def test_the_child_beside_the_site_dies_with_a_killed_build(tmp_path, sig, asks):
    """SIGKILL: the kernel kills the child (PR_SET_PDEATHSIG), and the writer's check ends it
    too; SIGTERM: the build's handler kills it (and then the kernel would)."""
    out = tmp_path / "out"
    out.mkdir()
    # started in its own session, as a shell's job would be: the signal goes to the parent alone
    proc = subprocess.Popen([sys.executable, "-c", PARENT, str(out), asks], stdout=subprocess.PIPE,
                            start_new_session=True, text=True)
    child = int(proc.stdout.readline())
    while len(os.listdir(out)) < 3:
        time.sleep(0.01)
    proc.send_signal(sig)
    assert proc.wait(10) == -sig  # ends by that signal, as it did before
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child)
    written = len(os.listdir(out))
    time.sleep(0.3)
    assert len(os.listdir(out)) == written < 200


def test_write_generated_asks_check_before_each_file_and_the_manifest(tmp_path):
    cdir = CorpusDir(tmp_path / "corpus")
    files = {f"d{i}.xml": b"<TEI/>" for i in range(5)}
    asked = []

    def check():
        asked.append(len(os.listdir(cdir.tei_dir)) if cdir.tei_dir.exists() else 0)
        if len(asked) > 3:
            raise SystemExit(1)

    with pytest.raises(SystemExit):
        cdir.write_generated(files, check=check)
    assert asked == [0, 1, 2, 3] and sorted(os.listdir(cdir.tei_dir)) == ["d0.xml", "d1.xml", "d2.xml"]
    assert cdir.manifest() is None
    asked.clear()
    report = CorpusDir(tmp_path / "c2").write_generated(files, check=lambda: asked.append(1))
    assert len(asked) == 6 and len(report.written) == 5  # 5 files, then the manifest


def test_end_if_orphaned_does_nothing_in_the_build_itself_or_while_it_lives():
    from teikit import besidesite

    besidesite.end_if_orphaned(os.getpid())  # run in the build's own process (no fork)
    besidesite.end_if_orphaned(os.getppid())  # a child whose parent lives


# --- review1-19 F1: the children of a queue (teikit.beside.Shared / share_out: the site's helper,
# which writes document pages) die with a killed parent too, and the SIGTERM handler kills them

#: a parent whose queue's one helper child writes OUT/<i>.txt for each item it takes (after
#: 50 ms of work), while this process sleeps in first() until it is killed; `waiting`: the helper's
#: start() first waits until a pipe this process holds ends (as the site's helper waits for
#: the work beside it), which it does when this process ends; `check`: the kernel's kill
#: (PR_SET_PDEATHSIG) left out, as where there is none: only the parent check before each take
QUEUE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from teikit import beside, besidesite
    out, state, kernel = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    if kernel == "check":
        beside._die_with_parent = lambda parent: None
    held_out, held_in = os.pipe()

    def start():
        os.close(held_in)
        (out / "started").write_text("x")
        if state == "waiting":
            os.read(held_out, 1)  # b"" once the parent has ended

    def make(i):
        time.sleep(0.05)
        (out / f"{i:03}.txt").write_text("x")

    def first():
        print("ready", flush=True)
        time.sleep(60)

    with besidesite.stopped_on_sigterm(besidesite.Kill()):
        beside.share_out(make, list(range(200)), 1, first, start=start)
""")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as kids:
            return [int(k) for k in kids.read().split()]
    except OSError:
        return []


def _written(root) -> dict[str, int]:
    """Every file below `root` with its modification time (ns)."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                found[os.path.join(folder, name)] = os.stat(os.path.join(folder, name)).st_mtime_ns
    return found


def _ended_and_still(children, root, reaped_ns: int, grace: float = 0.25) -> None:
    """Every child ends (within seconds), and no file below `root` is written after the
    parent was reaped plus `grace` (a write in flight as the kernel kills), nor later."""
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [c for c in children if _alive(c)]
    before = _written(root)
    time.sleep(0.3)
    after = _written(root)
    assert after == before
    late = sorted(p for p, ns in after.items() if ns > reaped_ns + int(grace * 1e9))
    assert late == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
@pytest.mark.parametrize("kernel", ["kernel", "check"])
@pytest.mark.parametrize("state", ["waiting", "taking"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_queue_s_helper_dies_with_a_killed_parent_and_writes_nothing_after(tmp_path, sig, state, kernel):
    """The queue's helper (the site's, which writes pages) ends with its parent: killed by the
    kernel; where the kernel does not, it takes no item once its parent has ended (at most
    one more: the one it was on, or, when it was waiting, one taken between the end of the
    parent's pipes and its leaving, when the parent is still its parent); on SIGTERM the
    handler kills it before the parent ends. Before review1-19 F1 it took the whole queue
    once its parent had been killed."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", QUEUE, str(out), state, kernel], stdout=subprocess.PIPE,
                            start_new_session=True, text=True)
    assert proc.stdout.readline().strip() == "ready"
    want = 3 if state == "taking" else 0
    deadline = time.monotonic() + 30
    while (not (out / "started").exists() or len(os.listdir(out)) < want + 1) and time.monotonic() < deadline:
        time.sleep(0.01)
    children = _children(proc.pid)
    assert len(children) == 1 and (out / "started").exists()
    proc.send_signal(sig)
    assert proc.wait(10) == -sig
    reaped = time.time_ns()
    # without the kernel's kill, a SIGKILLed parent's helper may finish one item
    alone = kernel == "check" and sig == signal.SIGKILL
    _ended_and_still(children, out, reaped, grace=1.0 if alone else 0.25)
    if state == "waiting":
        assert len(os.listdir(out)) <= (2 if alone else 1)  # "started", and nothing taken
    assert len(os.listdir(out)) < 20


#: a clean `teikit build` of the test compilation in which the site's document pages are slow
#: (0.3 s each before it is made) and shared with the helper however few (the bundled corpus
#: has ~190; this one 5): a marker file in MARKS says which process began one
BUILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from teikit import besidesite
    from teikit.cli import main
    from teikit.transform.site import build
    build.SPLIT_MIN_PAGES = 1
    corpus, marks = sys.argv[1], Path(sys.argv[2])
    real = besidesite.Beside.split

    def split(self, fn, items, first):
        def slow(item):
            (marks / f"{os.getpid()}-{time.monotonic_ns()}").write_text("x")
            time.sleep(0.3)
            return fn(item)
        return real(self, slow, items, first)

    besidesite.Beside.split = split
    print(os.getpid(), flush=True)
    main(["build", "--corpus", corpus, "--quiet"])
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2 if hasattr(os, "sched_getaffinity") else True,
                    reason="the site's pages are shared only on two CPUs")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_clean_build_killed_while_the_site_s_helper_makes_pages_leaves_nothing_running(tmp_path, sig):
    """review1-19 F1: SIGKILL or SIGTERM of a clean build once the site's helper has begun a
    document page: no process of the build is left, and no file is written afterwards (before
    the fix the helper made the remaining pages in build/.site-new-* after the build died)."""
    from tests.conftest import OTHER

    root = tmp_path / "project"
    shutil.copytree(OTHER, root / "corpus")
    marks = tmp_path / "marks"
    marks.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", BUILD, str(root / "corpus"), str(marks)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True, text=True)
    parent = int(proc.stdout.readline())
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        seen.update(_children(parent))
        if any(not m.startswith(f"{parent}-") for m in os.listdir(marks)):  # the helper began a page
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before its site's helper made a page"
    seen.update(_children(parent))
    proc.send_signal(sig)
    assert proc.wait(10) == -sig
    reaped = time.time_ns()
    helpers = {int(m.split("-")[0]) for m in os.listdir(marks)} - {parent}
    assert helpers <= seen
    _ended_and_still(seen, tmp_path, reaped)
    assert list((root / "build").glob(".site-new-*"))  # killed mid-site, as meant


#: a parent that runs write_index (the site's Pagefind step) with a Pagefind that writes a file
#: into its output folder every 50 ms for 10 s, under the build's SIGTERM handler
PAGEFIND = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from teikit import besidesite, sitedir
    fake, site = sys.argv[1], Path(sys.argv[2])
    sitedir.executable = lambda: fake
    records = [{"url": "d1.html", "language": "en", "content": "text", "meta": {"title": "T"},
                "filters": {}, "sort": {}}]
    with besidesite.stopped_on_sigterm(besidesite.Kill()):
        sitedir.write_index(records, site)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_a_build_s_sigterm_ends_pagefind_too(tmp_path):
    """SIGTERM of a build while Pagefind indexes: the handler kills Pagefind with the build's
    other children (before, it went on writing its bundle for ~1 s after the build ended)."""
    fake = tmp_path / "fake-pagefind"
    fake.write_text(f"#!{sys.executable}\nimport pathlib, sys, time\nargs = sys.argv\n"
                    "out = pathlib.Path(args[args.index('--output-path') + 1])\n"
                    "for i in range(200):\n    (out / f'{i:03}.pf').write_text('x')\n    time.sleep(0.05)\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    site = tmp_path / "site"
    proc = subprocess.Popen([sys.executable, "-c", PAGEFIND, str(fake), str(site)], start_new_session=True)
    deadline = time.monotonic() + 60
    while len([p for p in site.rglob("*.pf")]) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    children = _children(proc.pid)
    assert len(children) == 1
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == -signal.SIGTERM
    _ended_and_still(children, site, time.time_ns())
    assert len(list(site.rglob("*.pf"))) < 100
