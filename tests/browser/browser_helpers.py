"""Helpers of the browser tests: Voila on loopback and Debian's headless Chromium.

Voila serves a copy of the dashboard notebook from a temporary folder (its exports land
there, not in the clone), on the sandbox: the key variable is removed from its
environment, or set to a sandbox served on loopback (:func:`served_sandbox`), whose log
says what reached it. Chromium is the system one (``/usr/bin/chromium``), driven by
Playwright with ``executable_path``; no browser build is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "widgets" / "dashboard.ipynb"
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"  # gitignored test artifacts
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedSandbox:
    """``python -m toolkit.sandbox`` on loopback: its URL, key, and the requests it logged."""

    def __init__(self, url: str, key: str, log: Path) -> None:
        self.url, self.key, self._log = url, key, log

    def requests(self, method: str, path: str) -> int:
        """How many ``method path`` requests reached the sandbox so far."""
        return self._log.read_text().count(f"{method} {path} ->")


@contextmanager
def served_sandbox(timeout: float = 120) -> Iterator[ServedSandbox]:
    """The default sandbox world served on a free loopback port, clock fixed."""
    folder = Path(tempfile.mkdtemp(prefix="ic-sandbox-"))
    out, err = folder / "stdout", folder / "requests.log"
    with out.open("wb") as so, err.open("wb") as se:
        proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit.sandbox", "--port", "0", "--fixed-clock"],
            stdout=so,
            stderr=se,
        )
    try:
        deadline = time.monotonic() + timeout
        while "API key:" not in out.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox did not start: {err.read_text()[-2000:]}")
            time.sleep(0.2)
        lines = out.read_text().splitlines()
        url = lines[0].split()[3]
        key = next(x for x in lines if x.startswith("API key:")).split()[-1]
        yield ServedSandbox(url, key, err)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def voila(
    notebook: Path = NOTEBOOK, *, timeout: float = 90, sandbox: ServedSandbox | None = None
) -> Iterator[str]:
    """Serve ``notebook`` with Voila on 127.0.0.1; yields the page's URL. With ``sandbox``
    the page talks to that served sandbox (its key set as a user's would be)."""
    workdir = Path(tempfile.mkdtemp(prefix="ic-voila-"))
    shutil.copy(notebook, workdir / notebook.name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "INFLUENCERS_CLUB_API_KEY"}
    if sandbox is not None:
        env["INFLUENCERS_CLUB_API_KEY"] = sandbox.key
        env["INFLUENCERS_CLUB_BASE_URL"] = sandbox.url
    # a store of its own: the kernel's answers neither come from nor land in ~/.cache
    env["INFLUENCERS_CLUB_STORE_URL"] = str(workdir / "store.sqlite3")
    log = (workdir / "voila.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--show_tracebacks=True",
            notebook.name,
        ],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"voila exited: {(workdir / 'voila.log').read_text()[-2000:]}")
            with socket.socket() as s:  # listening is enough: the page itself starts a kernel
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("voila did not start")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
