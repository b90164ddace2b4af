"""The notebook build retries a notebook once when kaleido's page was not ready, and only then."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_notebooks.py"


@pytest.fixture
def builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_notebooks", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script adds its folder
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "NB_DIR", tmp_path)
    return module


def _failing(errors: list[CellExecutionError], seen: list[list[Any]]) -> Any:
    def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        seen.append([c.get("outputs") for c in nb.cells])
        if errors:
            raise errors.pop(0)
        nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
        return nb

    return execute


def test_a_kaleido_start_failure_is_retried_once_from_clean_cells(
    builder: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = CellExecutionError("tb", "JavascriptError", "kaleido_scopes is not defined")
    seen: list[list[Any]] = []
    monkeypatch.setattr(builder, "_execute", _failing([err], seen))
    cells = [nbformat.v4.new_code_cell("1")]
    path = builder.build("09_test.ipynb", cells)
    assert len(seen) == 2 and seen[1] == [[]]  # the retry starts without outputs
    assert nbformat.read(path, as_version=4).cells[0].outputs[0].text == "ran\n"
    assert cells[0].outputs == []  # the sources are never executed in place


@pytest.mark.parametrize(
    "errors",
    [
        [CellExecutionError("tb", "NameError", "name 'x' is not defined")],
        [CellExecutionError("tb", "JavascriptError", "kaleido_scopes is not defined")] * 2,
    ],
    ids=["other error", "fails twice"],
)
def test_other_failures_and_a_second_failure_are_raised(
    builder: ModuleType, monkeypatch: pytest.MonkeyPatch, errors: list[CellExecutionError]
) -> None:
    seen: list[list[Any]] = []
    monkeypatch.setattr(builder, "_execute", _failing(list(errors), seen))
    with pytest.raises(CellExecutionError):
        builder.build("09_test.ipynb", [nbformat.v4.new_code_cell("1")])
    assert len(seen) == len(errors)
    assert not (builder.NB_DIR / "09_test.ipynb").exists()
