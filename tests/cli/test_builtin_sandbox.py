"""The command's built-in sandbox (no API key) remembers between commands, in the store.

Each ``main([...])`` is one command, as a shell runs them: a fresh client and a sandbox
rebuilt from the store. ``enrich`` then ``credits`` then ``jobs list`` tell one story.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.cli import EXIT, main
from toolkit.credits import PRICES
from toolkit.sandbox import Sandbox


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    monkeypatch.delenv("INFLUENCERS_CLUB_BASE_URL", raising=False)
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(path))
    return path


def _handles(tmp_path: Path, n: int = 5) -> Path:
    names = [c.username for c in Sandbox().world.on("instagram")[:n]]  # the built-in world
    path = tmp_path / "in.csv"
    path.write_text("handle\n" + "\n".join(names) + "\n", encoding="utf-8")
    return path


def _credits(capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    capsys.readouterr()
    assert main(["credits", "--json"]) == EXIT["ok"]
    got: dict[str, float] = json.loads(capsys.readouterr().out)
    return got


def _jobs(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["jobs", "list", "--all", "--json"]) == EXIT["ok"]
    got: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return got


def test_enrich_then_credits_then_jobs_list_tell_one_story(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _handles(tmp_path), tmp_path / "out"
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "full", "--out", str(out)]
    assert main([*args, "--no-progress"]) == EXIT["ok"]
    err = capsys.readouterr().err
    assert f"kept in the store {store}" in err  # the notice says where the state is
    assert _credits(capsys) == {"credits_available": 995.0, "credits_used": 5.0}
    jobs = _jobs(capsys)
    assert [(j["state"], j["rows"]) for j in jobs] == [("downloaded", 5)]
    # the same command again finds its job downloaded: nothing submitted, nothing paid
    assert main([*args, "--no-progress"]) == EXIT["ok"]
    assert "continued from the store" in capsys.readouterr().err
    assert _credits(capsys)["credits_used"] == 5 * PRICES.enrich_full and len(_jobs(capsys)) == 1
    # and enrich_many's journal and the cache work across commands as on the real API
    many = [*args[:-2], "--mode", "raw", "--via", "many", "--out", str(tmp_path / "o2")]
    assert main([*many, "--no-progress"]) == EXIT["ok"]
    assert main([*many, "--no-progress"]) == EXIT["ok"]
    assert _credits(capsys)["credits_used"] == pytest.approx(
        5 * (PRICES.enrich_full + PRICES.enrich_raw)
    )


def test_a_timed_out_batch_is_resumed_by_the_next_command(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _handles(tmp_path, 4), tmp_path / "out"
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--out", str(out)]
    assert main([*args, "--timeout", "0", "--no-progress"]) == EXIT["timeout"]
    err = capsys.readouterr().err
    assert (
        "influencers-club jobs resume --all" in err and "--timeout 0 stops after the first" in err
    )
    assert [j["state"] for j in _jobs(capsys)] == ["submitted"]
    assert main(["jobs", "resume", "--all", "--no-progress"]) == EXIT["ok"]
    assert [j["state"] for j in _jobs(capsys)] == ["downloaded"]
    assert len(list((out / "creator").glob("*.parquet"))) == 1
    assert _credits(capsys)["credits_used"] == pytest.approx(4 * PRICES.enrich_raw)  # each row once


def test_sandbox_reset_starts_afresh_and_a_memory_store_keeps_nothing(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handles(tmp_path, 3)
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--via", "many"]
    assert main([*args, "--out", str(tmp_path / "out"), "--no-progress"]) == EXIT["ok"]
    assert _credits(capsys)["credits_used"] == pytest.approx(3 * PRICES.enrich_raw)
    assert main(["sandbox", "reset"]) == EXIT["ok"]
    assert "forgot 0 jobs, 3 journaled answers" in capsys.readouterr().err
    assert _credits(capsys) == {"credits_available": 1000.0, "credits_used": 0.0}
    assert main([*args, "--out", str(tmp_path / "again"), "--no-progress"]) == EXIT["ok"]
    assert _credits(capsys)["credits_used"] == pytest.approx(3 * PRICES.enrich_raw)  # afresh
    memory = ["--store", "memory:"]
    assert main([*memory, *args, "--out", str(tmp_path / "m"), "--no-progress"]) == EXIT["ok"]
    assert "nothing it does is kept" in capsys.readouterr().err
    capsys.readouterr()
    assert main([*memory, "credits", "--json"]) == EXIT["ok"]
    assert json.loads(capsys.readouterr().out)["credits_used"] == 0.0
    assert _credits(capsys)["credits_used"] == pytest.approx(
        3 * PRICES.enrich_raw
    )  # file store kept


def test_a_foreign_snapshot_is_never_unpickled_into_code(store: Path) -> None:
    import pickle

    from toolkit.sandbox import _persist
    from toolkit.store import open_store

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    s = open_store(str(store))
    try:
        s.put(_persist.NAMESPACE, "cli", pickle.dumps({"version": 1, "x": Evil()}))
        sb, kept = _persist.load(s)
        assert "could not be read" in kept and "builtins.print" in kept
        assert sb.credits == 1000.0  # refused, and a fresh sandbox instead
    finally:
        s.close()


def _global(module: str, name: str) -> bytes:
    """A protocol-4 pickle opcode that looks up ``module.name`` (dots followed)."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _short_bytes(data: bytes) -> bytes:
    return b"B" + len(data).to_bytes(4, "little") + data  # BINBYTES


@pytest.mark.parametrize(
    "via",
    [
        ("toolkit.sandbox._persist", "pickle.loads"),  # a dotted path out of an allowed module
        ("toolkit.sandbox._app", "hashlib.__builtins__"),
        ("os", "system"),
        ("toolkit.sandbox._persist", "_Unpickler"),  # in the package, but not a state class
    ],
)
def test_a_crafted_snapshot_runs_nothing(
    store: Path, tmp_path: Path, via: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    import pickle

    from toolkit.sandbox import _persist
    from toolkit.store import open_store

    marker = tmp_path / "ran"
    shell = f"touch {marker}"
    # the payload an unrestricted unpickler would run: os.system("touch <marker>")
    inner = b"\x80\x04" + _global("os", "system") + _short_bytes(shell.encode()) + b"\x85R."
    if via == ("os", "system"):
        blob = inner
    else:
        blob = b"\x80\x04" + _global(*via) + _short_bytes(inner) + b"\x85R."
    s = open_store(str(store))
    try:
        s.put(_persist.NAMESPACE, "cli", blob)
        with pytest.raises(pickle.UnpicklingError):
            _persist._Unpickler(__import__("io").BytesIO(blob)).load()
        sb, kept = _persist.load(s)
        assert "could not be read" in kept and sb.credits == 1000.0
    finally:
        s.close()
    assert main(["credits", "--json"]) == EXIT["ok"]  # the command starts afresh, and says so
    assert "could not be read" in capsys.readouterr().err
    assert not marker.exists()


def test_jobs_list_on_the_real_api_marks_the_built_in_sandbox_jobs(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _handles(tmp_path, 2), tmp_path / "out"
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "raw", "--out", str(out)]
    assert main([*args, "--no-progress"]) == EXIT["ok"]
    (job,) = _jobs(capsys)
    assert job["origin"] == "this credential"  # seen from the sandbox itself
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", "a-real-looking-key")  # nothing is sent
    capsys.readouterr()
    assert main(["jobs", "list", "--all"]) == EXIT["ok"]
    line = capsys.readouterr().out.strip()
    assert line.startswith(str(job["job_id"])) and line.endswith("(built-in sandbox)")
    (seen,) = _jobs(capsys)
    assert seen["origin"] == "built-in sandbox"


def test_a_downloaded_batch_leaves_only_its_inputs_in_the_kept_sandbox(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.sandbox import _persist
    from toolkit.store import open_store

    src, out = _handles(tmp_path, 50), tmp_path / "out"
    args = ["enrich", str(src), "--platform", "instagram", "--mode", "full", "--out", str(out)]
    assert main([*args, "--no-progress"]) == EXIT["ok"]
    s = open_store(str(store))
    try:
        size = len(s.get(_persist.NAMESPACE, "cli") or b"")
    finally:
        s.close()
    assert size < 200_000  # 2.2 MB when the 50 full profiles stayed inside
    (job,) = _jobs(capsys)
    assert _credits(capsys)["credits_used"] == 50.0  # the story is intact
    # fetching the results again is refused in words, never an empty or data-less file
    assert main(["jobs", "download", str(job["job_id"]), "--out", str(tmp_path / "again")]) == 1
    assert "no longer keeps this batch's results" in capsys.readouterr().err
    assert main([*args, "--no-progress"]) == EXIT["ok"]  # a re-run still pays nothing
    assert _credits(capsys)["credits_used"] == 50.0
