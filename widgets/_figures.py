"""Putting a Plotly figure into an ``ipywidgets.Output`` the same way with or without a kernel.

``Output.append_display_data(fig)`` asks IPython's formatters for the figure's bundle, which
is empty outside a running kernel (tests, a widget built before display). Writing the
plotly mimetype ourselves gives JupyterLab and Voila (the jupyterlab-plotly renderer) the
same output in both cases.
"""

from __future__ import annotations

import json

import ipywidgets as W
import plotly.graph_objects as go

__all__ = ["show_figure"]


def show_figure(out: W.Output, figure: go.Figure) -> None:
    """Replace what ``out`` shows with ``figure``."""
    bundle = {
        "application/vnd.plotly.v1+json": json.loads(figure.to_json()),
        "text/plain": f"<Figure: {figure.layout.title.text or 'chart'}>",
    }
    out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
