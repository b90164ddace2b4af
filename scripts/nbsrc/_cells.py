"""Cell constructors for the example notebooks' sources.

``check`` marks a cell whose output nbval compares (the suite runs in ``--nbval-lax`` mode,
so only those are compared; every other cell must merely run). The mark is nbval's
``nbval-check-output`` cell tag, not a comment, so readers never see it.
"""

from __future__ import annotations

import nbformat

CHECK_TAG = "nbval-check-output"


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    """A code cell that must run without error; its output is not compared."""
    return nbformat.v4.new_code_cell(text.strip())


def check(text: str) -> nbformat.NotebookNode:
    """A code cell whose output carries the story (a total, a cost, a table head): compared."""
    cell = code(text)
    cell.metadata["tags"] = [CHECK_TAG]
    return cell
