"""Write the example notebooks from their sources in ``scripts/nbsrc``, then execute them.

Run: ``.venv/bin/python scripts/build_notebooks.py`` (all) or name some: ``... 03 05``.

Cells whose outputs nbval compares carry nbval's ``nbval-check-output`` tag (the suite runs
in ``--nbval-lax`` mode, so only those are compared; every other cell must merely run).
Executing here stores outputs that come from the sandbox with its fixed seed and clock, and
no credential: ``connect()`` only uses the real API when INFLUENCERS_CLUB_API_KEY is set, and
this script refuses to run if it is. Each notebook runs in a fresh cache directory, so the
stored outputs show what a first run costs.
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbsrc  # noqa: E402  (the sources live beside this script)


def _execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run ``nb`` in a fresh kernel, against the sandbox, with a cache of its own."""
    with tempfile.TemporaryDirectory() as cache:
        os.environ["INFLUENCERS_CLUB_STORE_URL"] = str(Path(cache) / "store.sqlite")
        # and a cache folder of its own: nothing left in ~/.cache may answer (or be spilled)
        os.environ["XDG_CACHE_HOME"] = str(Path(cache) / "xdg")
        # a chart keeps plotly's interactive output and gains a PNG beside it, so the
        # committed notebook shows its charts where plotly.js cannot run (GitHub, an
        # HTML export); JupyterLab still draws the interactive one
        os.environ["PLOTLY_RENDERER"] = "plotly_mimetype+png"
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            store_widget_state=False,  # the form's state is >1 MB; JupyterLab re-runs it
            resources={"metadata": {"path": str(NB_DIR)}},
        ).execute()
    return nb


def build(name: str, cells: list[nbformat.NotebookNode], execute: bool = True) -> Path:
    """Write ``notebooks/<name>`` from ``cells``, executed in a kernel on the sandbox."""
    nb = nbformat.v4.new_notebook(cells=cells)
    stem = name.split("_", 1)[0]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"nb{stem}-{i:02d}"  # stable ids: a rebuild diffs only what changed
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    path = NB_DIR / name
    if execute:
        try:
            nb = _execute(copy.deepcopy(nb))
        except CellExecutionError as err:
            # kaleido drives a headless Chromium; on a busy machine its page can answer
            # before its scripts load ("JavascriptError: kaleido_scopes is not defined")
            # and the same notebook passes on a second try. Retry that once, from clean
            # cells and a fresh cache (a half run would make the retry's costs read 0);
            # any other failure, or a second one, is real.
            if err.ename != "JavascriptError" and "kaleido_scopes" not in str(err):
                raise
            print(f"{name}: kaleido's page was not ready ({err.evalue}); retrying once")
            nb = _execute(copy.deepcopy(nb))
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # kernel timestamps: noise in every rebuild
    nbformat.write(nb, path)
    return path


def main(argv: list[str]) -> None:
    if os.environ.get("INFLUENCERS_CLUB_API_KEY"):
        sys.exit("unset INFLUENCERS_CLUB_API_KEY: committed notebooks are built on the sandbox")
    for module in nbsrc.modules():
        if argv and not any(module.NAME.startswith(prefix) for prefix in argv):
            continue
        print("built", build(module.NAME, module.CELLS).relative_to(ROOT), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
