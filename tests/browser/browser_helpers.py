"""Helpers of the browser tests: Voila on loopback and Debian's headless Chromium.

Voila serves a copy of the dashboard notebook from a temporary folder (its exports land
there, not in the clone), on the sandbox: the key variable is removed from its
environment. Chromium is the system one (``/usr/bin/chromium``), driven by Playwright
with ``executable_path``; no browser build is ever downloaded.
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


@contextmanager
def voila(notebook: Path = NOTEBOOK, *, timeout: float = 90) -> Iterator[str]:
    """Serve ``notebook`` with Voila on 127.0.0.1; yields the page's URL."""
    workdir = Path(tempfile.mkdtemp(prefix="ic-voila-"))
    shutil.copy(notebook, workdir / notebook.name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "INFLUENCERS_CLUB_API_KEY"}
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
