"""Sources of the example notebooks, one module per notebook, in reading order.

Each module has ``NAME`` (the ``.ipynb`` file name) and ``CELLS``; ``scripts/build_notebooks.py``
writes and executes them on the sandbox.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    """Every notebook source module, sorted by file name (``nb01_...``, ``nb02_...``)."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("nb"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
