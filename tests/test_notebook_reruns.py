"""A second run of every example notebook costs nothing: the cache and the journal answer it.

Each notebook is executed twice in fresh kernels sharing one store (as an analyst re-running
it the next morning would), and the credits its ``client.ledger`` records are read after
each run (its calls; listening accruals are recurring costs, not calls paid twice). The first
run pays; the second must pay zero.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import nbsrc  # noqa: E402

# what the calls paid: listening accruals are left out, since each run on the in-process
# sandbox starts a fresh world whose campaign accrues again (a recurring cost, not a call
# paid twice; the real API's campaign, found by ensure(), would accrue on from its baseline)
SPENT = (
    "import json as _json\n"
    "_l = client.ledger.to_polars()\n"
    "print('SPENT', _json.dumps(float(_l.filter(_l['kind'] != 'accrual')['credits_cost']"
    ".fill_null(0).sum())))"
)


def spent(module, store: Path) -> float:
    """Run the notebook's cells in a new kernel on ``store``; the credits its ledger shows."""
    nb = nbformat.v4.new_notebook(cells=[*module.CELLS, nbformat.v4.new_code_cell(SPENT)])
    os.environ["INFLUENCERS_CLUB_STORE_URL"] = str(store)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    return float(text.split("SPENT", 1)[1])


@pytest.mark.parametrize("module", nbsrc.modules(), ids=lambda m: m.NAME)
def test_a_second_run_of_the_notebook_costs_nothing(module, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(tmp_path / "store.sqlite3"))
    first = spent(module, tmp_path / "store.sqlite3")
    second = spent(module, tmp_path / "store.sqlite3")
    assert first > 0, "the first run should pay for something"
    assert second == 0, json.dumps({"first": first, "second": second})
