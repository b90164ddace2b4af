"""The batch bar says how long the rest takes, at the rate the server is processing rows.

The sandbox processes ``settings.batch_rows_per_second`` rows per second of its clock, and a
client made by ``make_client`` waits by moving that clock: the rate measured between two
status polls must be the sandbox's, and the time left the rows left at that rate. Until
two polls have given a rate, the bar says "estimating".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from toolkit import Client
from toolkit.jobs import drive
from toolkit.jobs._batch import poll_flow
from toolkit.jobs._drive import api_call
from toolkit.jobs._progress import PACED_FORMAT, RowRate, progress_bar
from toolkit.jobs._registry import Registry
from toolkit.sandbox import Sandbox, Settings

from .jobs_support import handles

ROWS, POLL = 90, 10.0


@pytest.fixture
def sb() -> Sandbox:
    """A sandbox processing two batch rows per second of its clock: a 90-row job spans
    enough polls for the rate's window to leave the queueing second behind."""
    return Sandbox(seed=7, creators=300, settings=Settings(batch_rows_per_second=2.0))


def test_the_rate_between_polls_is_the_servers_and_gives_the_time_left(
    client: Client, sb: Sandbox, store: Any, tmp_path: Path
) -> None:
    run = client.batch.run(
        handles(sb, ROWS), mode="raw", platform="instagram", out=tmp_path, store=store, wait=False
    )
    [job] = run.jobs
    registry, pace = Registry(store), RowRate()
    seen: list[tuple[int, float | None, str]] = []  # each poll: rows done, rate, text
    while True:
        drive(client, poll_flow(client, registry, job))
        done = int(job.processed_rows or 0)
        pace.observe(done)
        seen.append((done, pace.rate, pace.describe(ROWS - done)))
        if job.state != "submitted":
            break
        drive(client, api_call("sleep", POLL))  # moves the sandbox clock, as a poll wait does
        pace.waited(POLL, 0.0)  # and takes no real time
    per_second = sb.settings.batch_rows_per_second
    assert seen[0] == (0, None, "estimating time left")  # one poll gives no rate
    # the second poll's interval holds the server's 1 s queue: a rate, a little below its pace
    done, rate, text = seen[1]
    assert rate is not None and 0 < rate < per_second and 0 < done < ROWS
    assert re.fullmatch(r"~\d+ s left at [\d.]+ rows/s", text)
    # once the window is past the queue, the rate is the server's and the time left follows
    done, rate, text = seen[-2]
    # (within the real time the polls took, which the frozen sandbox clock does not count)
    assert len(seen) > 4 and rate == pytest.approx(per_second, rel=0.03)
    said = re.fullmatch(r"~(\d+) s left at ([\d.]+) rows/s", text)
    assert said is not None and float(said[2]) == pytest.approx(rate, abs=0.05)
    assert int(said[1]) == round((ROWS - done) / rate)
    assert job.state == "finished" and seen[-1][2] == ""  # nothing left to wait for


def test_the_bar_shows_estimating_then_the_time_left(
    client: Client, sb: Sandbox, store: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client.batch.run(
        handles(sb, ROWS),
        mode="raw",
        platform="instagram",
        out=tmp_path,
        store=store,
        poll_interval=POLL,
    )
    frames = [f for f in re.split(r"[\r\n]", capsys.readouterr().err) if f.startswith("batch")]
    said = [f for f in frames if "rows/s" in f or "estimating" in f]
    assert "estimating time left" in said[0] and "left at" not in said[0]
    timed = [f for f in said if re.search(r"~\d+ s left at [\d.]+ rows/s\]", f)]
    assert timed and all("estimating" not in f for f in timed)
    assert "<" not in timed[-1]  # not tqdm's own guess from wall time between redraws


def test_the_bar_text_holds_the_time_left_once_a_rate_exists() -> None:
    pace = RowRate()
    bar = progress_bar(100, "batch", unit="row", bar_format=PACED_FORMAT)
    try:
        pace.observe(0)
        bar.set_postfix_str(f"1 submitted, 0 credits, {pace.describe(100)}")
        assert str(bar).endswith("[00:00, 1 submitted, 0 credits, estimating time left]")
        pace.waited(10.0, 0.0)  # a wait that moved a clock 10 s at once (the sandbox's)
        pace.observe(20)  # 20 rows in those 10 s
        bar.update(20)
        bar.set_postfix_str(f"1 submitted, 0.6 credits, {pace.describe(80)}")
        assert str(bar).startswith("batch:  20%")
        assert str(bar).endswith(", 0.6 credits, ~40 s left at 2.0 rows/s]")
    finally:
        bar.close()


def test_a_timeout_says_the_time_left_at_the_observed_rate(
    client: Client, sb: Sandbox, store: Any, tmp_path: Path
) -> None:
    kw: dict[str, Any] = {"mode": "raw", "platform": "instagram", "out": tmp_path, "store": store}
    with pytest.raises(TimeoutError) as stopped:
        client.batch.run(handles(sb, ROWS), **kw, progress=False, poll_interval=POLL, timeout=POLL)
    # one wait: two polls, so a rate (the first interval holds the server's queueing second)
    assert re.search(r"\(1 submitted; ~\d+ s left at 1\.\d rows/s\)", str(stopped.value))
    with pytest.raises(TimeoutError) as at_once:
        client.batch.run(handles(sb, ROWS), **kw, progress=False, timeout=0)
    assert "left" not in str(at_once.value).split(":")[0]  # one poll: no rate to tell


def test_a_window_without_progress_says_the_time_left_is_unknown() -> None:
    pace = RowRate()
    pace.observe(10)
    pace.waited(30.0, 0.0)
    pace.observe(10)  # the server moved no row in those 30 s (queued, or pacing others)
    assert pace.rate == 0
    assert pace.describe(90).startswith("time left unknown: no row processed in the last 30 s")
    assert pace.describe(0) == ""  # done: nothing to say
