"""A notebook's charts survive every way out of it: executed in a kernel with no renderer
chosen, the toolkit's import picks one whose output both JupyterLab (plotly's own type) and
``jupyter nbconvert --to html`` (HTML with plotly.js embedded, offline) can show."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from toolkit.charts import NOTEBOOK_RENDERER

PLOTLY = "application/vnd.plotly.v1+json"

CELLS = [
    "import polars as pl\nimport plotly.io as pio\nfrom toolkit import charts",
    "pio.renderers.default",
    "ledger = pl.DataFrame({'time': pl.datetime_range(pl.datetime(2026, 11, 1),"
    " pl.datetime(2026, 11, 1, 0, 3), '1m', time_zone='UTC', eager=True),"
    " 'operation': ['a', 'b', 'a', 'b'], 'credits_cost': [1.0, 0.5, 1.0, 0.0]})\n"
    "charts.spend(ledger)",
    "charts.spend(ledger, title='Second chart')",
    "fig = charts.spend(ledger, title='Third chart')\nfig.show()",
]


def _run(tmp_path: Path, env: dict[str, str | None]) -> Any:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    saved = {k: os.environ.get(k) for k in env}
    try:
        for k, v in env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _run(tmp_path_factory.mktemp("nb"), {"PLOTLY_RENDERER": None})


def test_in_a_kernel_the_import_picks_a_renderer_an_export_keeps(executed: Any) -> None:
    shown = executed.cells[1].outputs[0]["data"]["text/plain"]
    assert shown == repr(NOTEBOOK_RENDERER)
    for cell in executed.cells[2:]:
        bundles = [o["data"] for o in cell.outputs if "data" in o and PLOTLY in o["data"]]
        assert len(bundles) == 1, cell.source  # JupyterLab draws this one, live
        assert "text/html" in bundles[0]  # and nbconvert this one


def test_the_html_export_has_every_figure(executed: Any) -> None:
    html, _ = HTMLExporter().from_notebook_node(executed)
    plots = re.findall(r"Plotly\.newPlot\((.*?)\)\s*\};", html, flags=re.S)
    assert len(plots) == 3
    for plot, title in zip(plots, ("Credits spent", "Second chart", "Third chart"), strict=True):
        assert f'"text":"{title}"' in plot
    assert "plotly.js v" in html  # plotly.js itself is in the page: it draws offline


def test_a_chosen_renderer_is_left_alone(tmp_path: Path) -> None:
    nb = _run(tmp_path, {"PLOTLY_RENDERER": "plotly_mimetype+png"})
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "'plotly_mimetype+png'"
