"""Runs that say what they cost: the summary's last lines and the progress bar's postfix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.cli import EXIT, main
from toolkit.sandbox import Clock, Sandbox, Settings

pytestmark = pytest.mark.loopback

COST = re.compile(
    r"credits: ([\d.]+) spent, ([\d.]+) saved by the cache, ([\d.]+) saved by the journal and "
    r"registry; rows written: (\d+) (creator|email_match), (\d+) failures"
)


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(
        seed=7, creators=200, clock=Clock.real(), settings=Settings(batch_rows_per_second=500.0)
    )


@pytest.fixture
def served(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        yield sb


def _charged(sb: Sandbox) -> float:
    return round(1000.0 - sb.credits, 4)  # single calls and batch rows alike


@pytest.mark.parametrize("via", ["many", "batch"])
def test_every_summary_says_spent_saved_and_written(
    served: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], via: str
) -> None:
    names = [c.username for c in served.world.on("instagram")[:8]]
    src = tmp_path / "in.csv"
    src.write_text("handle\n" + "\n".join([*names, "bad handle"]) + "\n", encoding="utf-8")
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "full", "--via", via]
    args += ["--out", str(tmp_path / "out"), "--poll-interval", "0.2", "--no-progress"]
    assert main(args) == EXIT["ok"]
    first = COST.search(capsys.readouterr().err)
    assert first is not None
    paid = _charged(served)
    assert paid == 8.0
    assert (float(first[1]), float(first[3]), int(first[4]), int(first[6])) == (paid, 0.0, 8, 1)
    assert main(args) == EXIT["ok"]  # the same run again: nothing paid, all of it saved
    again = COST.search(capsys.readouterr().err)
    assert again is not None and _charged(served) == paid
    assert (float(again[1]), float(again[3]), int(again[4])) == (0.0, paid, 8)


def test_the_progress_bar_shows_credits_and_time_left(
    served: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [c.username for c in served.world.on("instagram")[:5]]
    src = tmp_path / "in.csv"
    src.write_text("handle\n" + "\n".join(names) + "\n", encoding="utf-8")
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--via", "many"]
    assert main([*args, "--out", str(tmp_path / "out")]) == EXIT["ok"]
    bar = capsys.readouterr().err
    assert "5 ok, 0 failed, 0.15 credits" in bar
    assert re.search(r"~\d+ s left at \d+/min", bar)
