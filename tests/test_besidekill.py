"""A build that is killed leaves nothing of it running (review1-18 F1): the process beside the
site (teikit.besidesite), which writes corpus/tei, dies with the build (SIGKILL, SIGTERM),
and its writer stops before the next file once the build has ended."""

from __future__ import annotations

import os
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
