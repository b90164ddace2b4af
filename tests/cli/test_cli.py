"""The ``influencers-club`` command: every command's --help, exit codes, the whole batch job.

Commands run in-process (``main([...])``) against the sandbox served on loopback, pointed
at by the same environment variables a user sets; one test runs the installed console
script as a subprocess, and one starts ``influencers-club serve`` itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from toolkit.cli import EXIT, build_parser, main
from toolkit.sandbox import Clock, Sandbox, Settings

pytestmark = pytest.mark.loopback

SCRIPT = Path(sys.executable).with_name("influencers-club")


def _sandbox(credits: float = 1000.0) -> Sandbox:
    # a real clock and fast rows: batches finish in about a second of wall time
    return Sandbox(
        seed=7,
        creators=300,
        credits=credits,
        clock=Clock.real(),
        settings=Settings(batch_rows_per_second=500.0),
    )


@pytest.fixture
def sb() -> Sandbox:
    return _sandbox()


@pytest.fixture
def served(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        yield url


def _csv(tmp_path: Path, sb: Sandbox, n: int, extra: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "creators.csv"
    names = [c.username for c in sb.world.on("instagram")[:n]]
    path.write_text("handle\n" + "".join(f"@{h}\n" for h in [*names, *extra]), encoding="utf-8")
    return path


def _calls(sb: Sandbox, operation: str) -> int:
    return sum(1 for e in sb.log if e.operation == operation)


FAST = ["--poll-interval", "0.2", "--no-progress"]


def _enrich(src: Path, out: Path, mode: str = "raw", *more: str) -> list[str]:
    """``influencers-club enrich`` of ``src`` on instagram into ``out``, polling fast."""
    return [
        "enrich",
        str(src),
        "--platform",
        "instagram",
        "--mode",
        mode,
        "--out",
        str(out),
        *more,
        *FAST,
    ]


def _commands(parser: argparse.ArgumentParser, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, [*prefix, name])


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = list(_commands(build_parser(), []))
    assert ["jobs", "resume"] in commands and ["serve"] in commands and ["enrich"] in commands
    for command in commands:
        with pytest.raises(SystemExit) as done:
            main([*command, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: influencers-club"), command


def test_usage_and_input_errors_exit_2(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["enrich"])  # argparse: missing arguments
    assert done.value.code == EXIT["usage"]
    assert main(["enrich", str(tmp_path / "missing.csv"), "--out", "o"]) == EXIT["usage"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes("handle\ncaf\xe9\n".encode("cp1252"))
    assert main(["enrich", str(bad), "--out", "o", "--platform", "instagram"]) == EXIT["usage"]
    assert "CSV UTF-8" in capsys.readouterr().err


def test_a_csv_becomes_a_parquet_dataset_and_a_rerun_submits_nothing(
    served: str, sb: Sandbox, tmp_path: Path, capsys
) -> None:
    src = _csv(tmp_path, sb, 20, extra=("nobody_at_all_xyz",))
    out = tmp_path / "out"
    args = _enrich(src, out)
    assert main(args) == EXIT["ok"]
    rows = duckdb.sql(f"SELECT count(*) FROM '{out.as_posix()}/creator/*.parquet'").fetchall()
    assert rows == [(20,)]
    assert main(["jobs", "list", "--all", "--json"]) == EXIT["ok"]
    listed = json.loads(capsys.readouterr().out)
    assert [j["state"] for j in listed] == ["downloaded"]
    assert main(args) == EXIT["ok"]
    assert _calls(sb, "batch_create") == 1
    assert main(["jobs", "status", listed[0]["job_id"][:10]]) == EXIT["ok"]
    assert "downloaded" in capsys.readouterr().out
    assert main(["jobs", "status", "job_nope"]) == EXIT["usage"]


def test_a_pause_for_credits_exits_3_and_jobs_resume_finishes(
    monkeypatch, tmp_path: Path, capsys
) -> None:
    sb = _sandbox(credits=5)
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        src = _csv(tmp_path, sb, 10)
        out = tmp_path / "out"
        code = main(_enrich(src, out, "full"))
        assert code == EXIT["credits"]
        assert "jobs resume" in capsys.readouterr().err
        assert main(["jobs", "list"]) == EXIT["ok"]
        assert "[paused]" in capsys.readouterr().out
        sb.add_credits(100)
        assert main(["jobs", "resume", "--all", *FAST]) == EXIT["ok"]
        assert float(sb.account.used) == pytest.approx(10.0)  # each row billed once
        rows = duckdb.sql(f"SELECT count(*) FROM '{out.as_posix()}/creator/*.parquet'")
        assert rows.fetchall() == [(10,)]
        assert main(["jobs", "list"]) == EXIT["ok"]
        assert "no unfinished jobs" in capsys.readouterr().out


def test_a_lost_create_answer_exits_4_and_is_not_resent(served: str, sb: Sandbox, tmp_path):
    sb.faults.add("drop", operations=["batch_create"], times=1)
    args = _enrich(_csv(tmp_path, sb, 5), tmp_path / "out")
    assert main(args) == EXIT["unknown"]
    assert main(args) == EXIT["unknown"]
    assert _calls(sb, "batch_create") == 1
    assert main([*args, "--resubmit"]) == EXIT["ok"]


def test_via_many_journals_so_a_rerun_is_free(served: str, sb: Sandbox, tmp_path: Path) -> None:
    args = _enrich(_csv(tmp_path, sb, 8), tmp_path / "out", "raw", "--via", "many")
    assert main(args) == EXIT["ok"]
    paid = sum(1 for e in sb.log if e.charged > 0)
    assert main(args) == EXIT["ok"]
    assert sum(1 for e in sb.log if e.charged > 0) == paid == 8
    parts = list((tmp_path / "out" / "creator").glob("*.parquet"))
    assert len(parts) == 1  # the second run replaced its part instead of adding one


def test_credits(served: str, capsys) -> None:
    assert main(["credits", "--json"]) == EXIT["ok"]
    assert json.loads(capsys.readouterr().out)["credits_available"] == 1000.0


def test_the_console_script_runs_the_whole_job(served: str, sb: Sandbox, tmp_path: Path) -> None:
    src = _csv(tmp_path, sb, 6)
    out = tmp_path / "out"
    done = subprocess.run(
        [str(SCRIPT), *_enrich(src, out)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((out / "creator").glob("*.parquet"))) == 1
    assert sb.api_key not in done.stderr + done.stdout  # the key is never printed


def test_serve_starts_a_sandbox_others_can_use(tmp_path: Path, monkeypatch, capsys) -> None:
    with subprocess.Popen(
        [str(SCRIPT), "serve", "--port", "0", "--creators", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split()[3]
            key = proc.stdout.readline().split(": ", 1)[1].strip()
            assert url.startswith("http://127.0.0.1:")
            monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
            monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", key)
            assert main(["credits", "--json"]) == EXIT["ok"]
            assert json.loads(capsys.readouterr().out)["credits_available"] == 1000.0
        finally:
            proc.terminate()  # the server this test started, by its own handle
            proc.wait(timeout=10)


def test_cache_stats_and_clear(served: str, sb: Sandbox, tmp_path: Path, capsys) -> None:
    args = _enrich(_csv(tmp_path, sb, 3), tmp_path / "out", "raw", "--via", "many")
    assert main(args) == EXIT["ok"]
    capsys.readouterr()
    assert main(["cache", "stats", "--json"]) == EXIT["ok"]
    assert json.loads(capsys.readouterr().out)["entries"] == 3
    assert main(["cache", "clear"]) == EXIT["ok"]
    assert "removed 3 cached answers" in capsys.readouterr().err
    assert main(["cache", "stats", "--json"]) == EXIT["ok"]
    assert json.loads(capsys.readouterr().out)["entries"] == 0


def test_login_commands_are_handed_to_the_oauth_module(capsys) -> None:
    from toolkit import cli

    with pytest.raises(SystemExit) as done:
        cli.main(["login", "--help"])
    assert done.value.code == 0
    assert "--no-browser" in capsys.readouterr().out
    assert "login" in cli.build_parser().format_help() and "whoami" in cli._LOGIN_ACTIONS
