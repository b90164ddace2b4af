"""The committed example notebooks: built from their sources, executed, and credential-free.

nbval (``make test``) re-runs them and compares the tagged cells; these checks cover what
nbval does not: that the committed file is what ``scripts/build_notebooks.py`` writes from
``scripts/nbsrc``, that it was executed without an error, and that no output holds a key.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import nbsrc  # noqa: E402

MODULES = nbsrc.modules()
# A live or sandbox key in full: sk_ plus a long run of key characters. Masked keys
# ("sk_…145f") and the word itself do not match.
KEY = re.compile(r"\b(sk|pk|ic)_[A-Za-z0-9_]{16,}")


def _load(module) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / module.NAME, as_version=4)


def test_every_notebook_has_a_source_and_every_source_a_notebook() -> None:
    committed = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert committed == sorted(m.NAME for m in MODULES)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_committed_notebook_matches_its_source(module) -> None:
    nb = _load(module)
    assert [c.source for c in nb.cells] == [c.source for c in module.CELLS], (
        f"notebooks/{module.NAME} differs from scripts/nbsrc: run scripts/build_notebooks.py"
    )
    assert [c.metadata.get("tags", []) for c in nb.cells] == [
        c.metadata.get("tags", []) for c in module.CELLS
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_committed_notebook_was_executed_without_errors(module) -> None:
    code_cells = [c for c in _load(module).cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count for c in code_cells), "not executed"
    errors = [o for c in code_cells for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_checked_cells_are_tagged_not_commented(module) -> None:
    cells = _load(module).cells
    assert not any("NBVAL_" in c.source for c in cells)
    assert any("nbval-check-output" in c.metadata.get("tags", []) for c in cells)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_committed_notebook_holds_no_credential(module) -> None:
    text = (ROOT / "notebooks" / module.NAME).read_text()
    assert not KEY.search(text), KEY.search(text)
    assert "Bearer " not in text
    assert not re.search(r"INFLUENCERS_CLUB_API_KEY\s*=\s*['\"]?\w", text)
