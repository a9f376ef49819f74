"""A small driver for headless Chromium over the DevTools protocol, through a pipe
(`--remote-debugging-pipe`: JSON messages ended by NUL on file descriptors 3 and 4), so the
browser tests need no package beyond the Debian `chromium`.

    with Browser(exe, profile_dir) as b:
        b.open(url)                      # navigate and wait for the load event
        b.wait("document.querySelectorAll('.hit').length > 0")
        b.value("document.title")
        b.click("a.bar")                 # element.click() and wait for the next page's load
        b.screenshot(path)
        b.errors                         # console errors and uncaught exceptions so far
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self, exe: str, profile: Path, width: int = 1280, height: int = 1200):
        self.exe, self.profile, self.size = exe, Path(profile), (width, height)
        self.errors: list[str] = []
        self._id = 0
        self._buf = b""
        self._events: list[dict] = []

    # --- plumbing ------------------------------------------------------------------------
    def __enter__(self) -> "Browser":
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def fds():  # in the child: the pipe ends on fds 3 (read) and 4 (write), inheritable
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [self.exe, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             f"--window-size={self.size[0]},{self.size[1]}", "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=dict(os.environ, LANG="C.UTF-8"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._w, self._r = to_chrome_w, from_chrome_r
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=self.size[0], height=self.size[1],
                  deviceScaleFactor=1, mobile=self.size[0] < 500)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._w)
        os.close(self._r)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        data = json.loads(msg)
        if "method" in data:
            self._event(data)
        return data

    def _event(self, ev: dict) -> None:
        self._events.append(ev)
        p = ev.get("params", {})
        if ev["method"] == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append((d.get("exception") or {}).get("description") or d.get("text", "exception"))
        elif ev["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif ev["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            self.errors.append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))

    def call(self, method: str, session: bool = False, timeout: float = 30, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            data = self._read(deadline)
            if data.get("id") == self._id:
                if "error" in data:
                    raise BrowserError(f"{method}: {data['error']}")
                return data.get("result", {})

    def _wait_event(self, method: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == method:
                    del self._events[: i + 1]
                    return
            self._read(deadline)

    # --- what tests use ----------------------------------------------------------------
    def open(self, url: str, timeout: float = 30) -> None:
        self._events.clear()
        self.call("Page.navigate", session=True, url=url)
        self._wait_event("Page.loadEventFired", timeout)

    def value(self, expression: str):
        res = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise BrowserError(f"{expression}: {res['exceptionDetails'].get('text')}")
        return res["result"].get("value")

    def wait(self, expression: str, timeout: float = 20) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = self.value(expression)
            if v:
                return v
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {expression}")

    def click(self, selector: str, timeout: float = 30) -> None:
        """Click the first element matching selector and wait for the page it opens."""
        self._events.clear()
        found = self.value(f"(function () {{ var e = document.querySelector({json.dumps(selector)});"
                           f" if (!e) return false; e.dispatchEvent(new MouseEvent('click', {{bubbles: true,"
                           f" cancelable: true, view: window}})); return true; }})()")
        if not found:
            raise BrowserError(f"no element {selector}")
        self._wait_event("Page.loadEventFired", timeout)

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
        Path(path).write_bytes(base64.b64decode(data))
