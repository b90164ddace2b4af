"""Commands running at the same time on one built-in sandbox kept in a store.

Each command holds the kept sandbox while it runs (a claim in the store), so two commands
never both load, change and save it; read-only commands neither hold nor save it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from toolkit._clihold import hold
from toolkit.cli import EXIT, main
from toolkit.sandbox import Sandbox, _persist
from toolkit.store import open_store

SCRIPT = Path(sys.executable).with_name("influencers-club")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    monkeypatch.delenv("INFLUENCERS_CLUB_BASE_URL", raising=False)
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(path))
    return path


def _file(tmp_path: Path, name: str, handles: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("handle\n" + "\n".join(handles) + "\n", encoding="utf-8")
    return path


def _inputs(out: Path) -> set[str]:
    frames = [pl.read_parquet(p) for p in (out / "creator").glob("*.parquet")]
    return {str(v).lower() for f in frames for v in f["input_value"].to_list()}


def test_two_commands_at_once_keep_their_own_batches_and_credits(
    store: Path, tmp_path: Path
) -> None:
    names = [c.username for c in Sandbox().world.on("instagram")[:9]]
    a, b = _file(tmp_path, "a.csv", names[:5]), _file(tmp_path, "b.csv", names[5:])
    env = {**os.environ, "INFLUENCERS_CLUB_STORE_URL": str(store)}
    enrich = [str(SCRIPT), "enrich", "--platform", "instagram", "--mode", "full", "--no-progress"]
    cmds = [[*enrich, str(src), "--out", str(tmp_path / src.stem)] for src in (a, b)]
    procs = [subprocess.Popen(c, env=env, stderr=subprocess.PIPE, text=True) for c in cmds]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    credits = subprocess.run(
        [str(SCRIPT), "credits", "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(credits.stdout)["credits_used"] == pytest.approx(9.0)  # 5 + 4, both kept
    listed = subprocess.run(
        [str(SCRIPT), "jobs", "list", "--all", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    jobs = json.loads(listed.stdout)
    assert sorted(j["rows"] for j in jobs) == [4, 5]
    assert len({j["batch_id"] for j in jobs}) == 2  # each command its own batch
    assert _inputs(tmp_path / "a") == {n.lower() for n in names[:5]}
    assert _inputs(tmp_path / "b") == {n.lower() for n in names[5:]}


def test_a_command_waits_for_the_one_holding_the_sandbox(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INFLUENCERS_CLUB_SANDBOX_WAIT", "0.5")
    s = open_store(str(store))
    held = hold(s, notice=lambda _: None)  # as another running command would
    try:
        src = _file(tmp_path, "a.csv", [c.username for c in Sandbox().world.on("instagram")[:2]])
        args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--via", "many"]
        assert main([*args, "--out", str(tmp_path / "o"), "--no-progress"]) == EXIT["error"]
        err = capsys.readouterr().err
        assert "waiting for another command" in err and "is using the built-in sandbox" in err
        assert main(["credits", "--json"]) == EXIT["ok"]  # read-only: it needs no hold
    finally:
        held.release()
        s.close()
    assert main([*args, "--out", str(tmp_path / "o"), "--no-progress"]) == EXIT["ok"]


def test_read_only_commands_do_not_save_the_sandbox(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _file(tmp_path, "a.csv", [c.username for c in Sandbox().world.on("instagram")[:2]])
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--timeout", "0"]
    assert main([*args, "--out", str(tmp_path / "o"), "--no-progress"]) == EXIT["timeout"]
    s = open_store(str(store))
    try:
        before = s.get(_persist.NAMESPACE, "cli")
        for cmd in (["credits"], ["jobs", "list", "--all"], ["cache", "stats"]):
            assert main(cmd) == EXIT["ok"]
            assert s.get(_persist.NAMESPACE, "cli") == before, cmd
    finally:
        s.close()
