"""Two pieces of work at once on two CPUs: one in a forked child process, one here
(application layer: the library is handed `run_beside` and never forks by itself).

The child shares everything already in memory (parsed trees, compiled schemas) without
copying it; what it returns comes back pickled through a pipe. If the child cannot run
or fails, its work is done here after all, so the result never depends on the fork.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable


def run_beside(child: Callable[[], object], here: Callable[[], object]) -> tuple[object, object]:
    """(child(), here()), child() computed in a forked process meanwhile. Sequential where
    fork is missing or other threads run (a fork copies only the calling thread)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        ours = here()
        return child(), ours
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running anything of the parent's
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(child(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        ours = here()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return child(), ours
    return pickle.loads(data), ours
