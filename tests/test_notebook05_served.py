"""Notebook 05 run twice against one served sandbox creates one campaign (``ensure``).

The sandbox runs as ``python -m toolkit.sandbox`` in its own process, as an analyst would
start it; the notebook runs twice in fresh kernels pointed at it by the environment (key
and base URL), sharing one store. A re-run must find the campaign the first run made.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from nbsrc import nb05_campaigns  # noqa: E402

pytestmark = pytest.mark.loopback


@pytest.fixture
def served() -> tuple[str, str]:
    """A sandbox served on a free loopback port: (base URL, API key)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.sandbox", "--port", "0", "--creators", "2000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    url = key = ""
    for line in proc.stdout:
        if m := re.match(r"Sandbox API at (\S+)", line):
            url = m.group(1)
        elif m := re.match(r"API key: (\S+)", line):
            key = m.group(1)
        if url and key:
            break
    try:
        yield url, key
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_a_rerun_against_one_served_sandbox_creates_one_campaign(
    served: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, key = served
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", key)
    monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(tmp_path / "store.sqlite3"))
    for _ in range(2):
        nb = nbformat.v4.new_notebook(cells=list(nb05_campaigns.CELLS))
        NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    listed = httpx.get(
        f"{url}/public/v1/social/listening/campaign/",
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    assert listed["count"] == 1, [c["name"] for c in listed["results"]]
    assert listed["results"][0]["name"] == "Spring fitness launch"
