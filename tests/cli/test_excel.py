"""Excel in and out: a workbook of handles through both ways of enriching, tables to .xlsx.

The command runs against the sandbox served on loopback (as a user points it with
``INFLUENCERS_CLUB_BASE_URL``); the library paths use the in-process sandbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from toolkit import Client
from toolkit._connect import sandbox_client
from toolkit.cli import EXIT, main
from toolkit.jobs import CsvInputError, read_csv
from toolkit.sandbox import Clock, Sandbox, Settings


def _book(path: Path, rows: list[list[object]], *, sheets: int = 1) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Creators"
    for row in rows:
        first.append(row)
    for n in range(1, sheets):
        other = book.create_sheet(f"Other {n}")
        other.append(["handle"])
        other.append(["someone_else"])
    book.save(path)
    return path


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(
        seed=7,
        creators=300,
        clock=Clock.real(),
        settings=Settings(batch_rows_per_second=500.0),
    )


@pytest.fixture
def served(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        yield url


def _fifty(sb: Sandbox, tmp_path: Path) -> Path:
    names = [c.username for c in sb.world.on("instagram")[:50]]
    rows: list[list[object]] = [["Name", "Instagram handle", "Followers"]]
    rows += [[f"Creator {i}", f"@{h}", 1000 + i] for i, h in enumerate(names)]
    return _book(tmp_path / "creators.xlsx", rows, sheets=2)


@pytest.mark.loopback
@pytest.mark.parametrize("via", ["many", "batch"])
def test_a_workbook_of_50_handles_runs_through_and_writes_a_workbook(
    served: str, sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], via: str
) -> None:
    src = _fifty(sb, tmp_path)
    out = tmp_path / "out"
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--out", str(out)]
    args += ["--via", via, "--format", "xlsx", "--poll-interval", "0.2", "--no-progress"]
    assert main(args) == EXIT["ok"]
    err = capsys.readouterr().err
    assert "read column 'Instagram handle' of 3" in err
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    written = {
        d.name: sum(pl.read_parquet(p).height for p in d.glob("*.parquet"))
        for d in out.iterdir()
        if d.is_dir() and not d.name.startswith("_")
    }
    non_empty = sorted(name for name, rows in written.items() if rows)
    assert sorted(s for s in book.sheetnames if s != "notes") == non_empty
    creator = list(book["creator"].iter_rows(values_only=True))
    assert len(creator) == 51  # the header and the 50 creators
    assert {r[creator[0].index("username")] for r in creator[1:]} == {
        c.username for c in sb.world.on("instagram")[:50]
    }
    assert "50 creator" in err and "credits:" in err


def test_the_sheet_is_chosen_by_name_or_index_and_a_missing_one_is_refused(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "b.xlsx", [["handle"], ["nasa"], ["esa"]], sheets=2)
    assert read_csv(path).values == ["nasa", "esa"]
    assert read_csv(path, sheet="Other 1").values == ["someone_else"]
    assert read_csv(path, sheet=1).values == ["someone_else"]
    with pytest.raises(CsvInputError, match="no sheet 'Nope'; its sheets: Creators, Other 1"):
        read_csv(path, sheet="Nope")
    numbers = _book(tmp_path / "n.xlsx", [["channel"], [12345.0], [None], ["UCx"]])
    assert read_csv(numbers).values == ["12345", "UCx"]  # an id typed as a number, no ".0"


def test_enrich_many_and_batch_run_read_a_workbook(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=50)
    names = [c.username for c in sb.world.on("instagram")[:4]]
    path = _book(tmp_path / "w.xlsx", [["handle"], *[[n] for n in names]])
    with sandbox_client(sb) as client:
        got = client.creators.enrich_many(path, "instagram", mode="raw", progress=False)
        assert sorted(got.results["value"].to_list()) == sorted(names)
        run = client.batch.run(path, mode="raw", platform="instagram", out=tmp_path / "o")
        assert run.read("creator").height == 4
    with Client(api_key=sb.api_key, base_url="https://sb.invalid", transport=sb.transport()) as c:
        made = c.batch.create(path, enrichment_mode="raw", platform="instagram")
        assert made.data["batch_id"]


def test_xlsx_output_without_openpyxl_is_refused_before_paying(tmp_path: Path) -> None:
    """Without the notebook extra the workbook could not be written after the run, so the
    run is refused first (exit 2, nothing sent) and the message says what to install."""
    stub = tmp_path / "stub" / "openpyxl"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('openpyxl is not installed')\n")
    handles = tmp_path / "in.csv"
    handles.write_text("handle\nsomeone\n")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "stub"), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("INFLUENCERS_CLUB_API_KEY", None)
    args = ["enrich", str(handles), "--platform", "instagram", "--mode", "raw"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit.cli",
            "--store",
            "memory:",
            *args,
            "--out",
            str(out),
            "--format",
            "xlsx",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == EXIT["usage"], done.stderr
    assert "--format xlsx needs openpyxl" in done.stderr and "[notebook]" in done.stderr
    assert not out.exists()
