"""The plotly renderer in a notebook: interactive in JupyterLab and kept by an HTML export.

Inside a Jupyter kernel plotly writes only its own output type, which JupyterLab draws but
``jupyter nbconvert --to html`` cannot, so an exported report lost every chart. On import,
in a kernel, and only when nobody chose a renderer (no ``PLOTLY_RENDERER``, and
``pio.renderers.default`` still plotly's own kernel default), the toolkit picks
:data:`NOTEBOOK_RENDERER`: plotly's output type for JupyterLab plus HTML with plotly.js
embedded once per notebook (it works offline, unlike ``notebook_connected``, which loads
plotly.js from a CDN, and needs no Chromium, unlike ``png``). docs/charts.md says more.
"""

from __future__ import annotations

import os
import sys

import plotly.io as pio

__all__ = ["NOTEBOOK_RENDERER", "use_notebook_renderer"]

#: JupyterLab's interactive output and, beside it, HTML that nbconvert keeps.
NOTEBOOK_RENDERER = "plotly_mimetype+notebook"

#: What plotly itself picks in a Jupyter kernel when nobody chose (plotly/io/_renderers.py).
_PLOTLY_KERNEL_DEFAULT = "plotly_mimetype"


def _in_kernel() -> bool:
    """True inside a Jupyter (ipykernel) kernel, not a terminal IPython or a script."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return (
        shell is not None
        and type(shell).__name__ == "ZMQInteractiveShell"
        and type(shell).__module__.startswith("ipykernel")
    )


def use_notebook_renderer() -> bool:
    """Set :data:`NOTEBOOK_RENDERER` when in a kernel and no renderer was chosen; True if set."""
    if os.environ.get("PLOTLY_RENDERER") or not _in_kernel():
        return False
    if pio.renderers.default != _PLOTLY_KERNEL_DEFAULT:  # the user's (or the host's) choice
        return False
    pio.renderers.default = NOTEBOOK_RENDERER
    return True
