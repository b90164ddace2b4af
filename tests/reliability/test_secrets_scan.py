"""The secrets scan: a recognisable fake key and OAuth tokens go through the client with
faults on, through the ``influencers-club`` command line and through example notebooks,
and everything produced is searched for them (whole, with the middle cut out, in base64):
results, reprs, exception args and tracebacks (causes included), DEBUG logs of every
logger, stdout and stderr, the ledger, notebook outputs, and the files written, Parquet
and the SQLite store read back (the token file holds the OAuth tokens, and nothing else may
hold any)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import toolkit as ic
from toolkit import RateLimiter
from toolkit._config import ENV_API_KEY, ENV_BASE_URL, SANDBOX_BASE_URL
from toolkit._login import FileTokenStore, OAuthSession, session_client
from toolkit.cli import main as cli
from toolkit.sandbox import Sandbox, Settings
from toolkit.sandbox._app import ApiKey
from toolkit.sandbox._clock import Clock
from toolkit.store import STORE_URL_ENV

from .scan import file_texts, leaks
from .support import Sleeps

ROOT = Path(__file__).resolve().parents[2]

FAKE_KEY = "sk_fake_SECRETSCAN_7f3a9c1e5b2d4068"


def _said(err: BaseException) -> str:
    parts = [str(err), repr(err), repr(err.args), *traceback.format_exception(err)]
    parts += [repr(v) for v in vars(err).values()]
    return "\n".join(parts)


def handle_of(sb: Sandbox) -> str:
    return max(sb.world.on("instagram"), key=lambda c: c.followers).username


def _workload(client: ic.Client, sb: Sandbox) -> tuple[list[Any], list[BaseException]]:
    handle = handle_of(sb)
    calls = [
        lambda: client.account.credits(),
        lambda: client.discovery.search("instagram", limit=3),
        lambda: client.creators.enrich_handle(handle, "instagram", mode="raw"),
        lambda: client.exclusion_lists.get(424242),
        lambda: client.exclusion_lists.create("scan", "instagram"),
        lambda: client.account.api_keys.list(),
    ]
    results, errors = [], []
    for _ in range(8):
        for call in calls:
            try:
                results.append(call())
            except ic.InfluencersClubError as exc:
                errors.append(exc)
    return results, errors


def _accepting_the_fake_key(sb: Sandbox) -> Sandbox:
    sb.account.api_keys.append(
        ApiKey(id=999, name="scan", token=FAKE_KEY, created_at=sb.clock.now())
    )
    return sb


def test_no_secret_in_anything_the_toolkit_produces(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
    _private_store: Path,
) -> None:
    sb = _accepting_the_fake_key(Sandbox(seed=3, creators=200))
    store = FileTokenStore(tmp_path / "tokens.json")
    with caplog.at_level(logging.DEBUG):
        client = ic.Client(
            api_key=f" Bearer {FAKE_KEY}\u200b\n",
            base_url=SANDBOX_BASE_URL,
            transport=sb.transport(),
            sleep=Sleeps(),
            timeout=0.05,
            rate_limiter=RateLimiter(10**6, max_pause=0.0),  # injected 429s are not a pace
        )
        # an OAuth session: its tokens may be in the token file and nowhere else
        pair = client.oauth.pkce()
        reg = client.oauth.register("scan", ["http://127.0.0.1:9/cb"]).data
        code = client.oauth.authorize(
            reg["client_id"], "http://127.0.0.1:9/cb", code_challenge=pair.challenge
        ).data["code"]
        tokens = client.oauth.exchange_code(
            code,
            client_id=reg["client_id"],
            code_verifier=pair.verifier,
            redirect_uri="http://127.0.0.1:9/cb",
        ).data
        session = OAuthSession(
            SANDBOX_BASE_URL, reg["client_id"], "http://127.0.0.1:9/cb", "", None, 0.0, store=store
        )
        session.update(tokens)
        oauth_client = session_client(
            session,
            transport=sb.transport(),
            sleep=Sleeps(),
            timeout=0.05,
            rate_limiter=RateLimiter(10**6, max_pause=0.0),
        )
        for kind in ("rate_limit", "status", "drop", "malformed", "truncated", "slow"):
            sb.faults.add(kind, 0.05, seconds=1.0)
        results, errors = _workload(client, sb)
        (tmp_path / "ledger.csv").write_text(client.ledger.to_pandas().to_csv())
        more, more_errors = _workload(oauth_client, sb)
        sb.faults.clear()
        with sb.serve() as url, ic.Client(api_key=FAKE_KEY, base_url=url) as wire:
            more.append(wire.account.credits())  # over loopback: httpcore's DEBUG log too
            try:
                wire.exclusion_lists.get(31337)
            except ic.NotFoundError as exc:
                more_errors.append(exc)
        results += more
        errors += more_errors
    secrets = [FAKE_KEY, tokens["access_token"], tokens["refresh_token"], session.access_token]
    if session.refresh_token:
        secrets.append(session.refresh_token)
    produced = [
        caplog.text,
        capsys.readouterr().err,
        repr(client),
        repr(oauth_client),
        repr(vars(client)),
        repr(session),
        *(repr(r) + repr(r.params) for r in results),
        *(_said(e) for e in errors),
    ]
    texts = {f"output {i}": text for i, text in enumerate(produced)}
    texts |= {k: v for k, v in file_texts(tmp_path).items() if k != store.path.name}
    texts |= {f"store {k}": v for k, v in file_texts(_private_store.parent).items()}
    assert errors and results  # the faults did strike and calls did succeed
    assert "HTTP Request" in caplog.text and "send_request_headers" in caplog.text  # DEBUG
    assert sum(isinstance(e, ic.OutcomeUnknownError | ic.MalformedResponseError) for e in errors)
    stored = "".join(v for k, v in texts.items() if k.startswith("store "))
    assert handle_of(sb) in stored  # the cached answers were read back (inflated), and scanned
    assert leaks(secrets, texts) == []
    assert leaks([FAKE_KEY], {"token file": store.path.read_text()}) == []  # OAuth tokens only
    client.close()
    oauth_client.close()


def _cli_sandbox() -> Sandbox:
    """A sandbox for the command line over loopback: a real clock, so batches finish."""
    return _accepting_the_fake_key(
        Sandbox(
            seed=3,
            creators=200,
            clock=Clock.real(),
            settings=Settings(batch_rows_per_second=1000, rate_limit_per_minute=10**6),
        )
    )


def test_no_secret_in_what_the_command_line_produces(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    sb = _cli_sandbox()
    work = tmp_path / "work"
    work.mkdir()
    names = [c.username for c in sb.world.on("instagram")[:12]]
    (work / "creators.csv").write_text("handle\n" + "\n".join([*names, "no_such_one"]) + "\n")
    csv = str(work / "creators.csv")
    monkeypatch.setenv(ENV_API_KEY, FAKE_KEY)
    monkeypatch.setenv(STORE_URL_ENV, str(work / "store.sqlite3"))
    said: list[str] = []

    def run(*argv: str, code: int = 0) -> str:
        got = cli(list(argv))
        out, err = capsys.readouterr()
        said.extend([out, err])
        assert got == code, (argv, err)
        return out

    many = ["enrich", csv, "--platform", "instagram", "--via", "many", "--no-progress"]
    with sb.serve() as url, caplog.at_level(logging.DEBUG):
        monkeypatch.setenv(ENV_BASE_URL, url)
        run("credits")
        run("credits", "--json")
        run(*many, "--mode", "raw", "--out", str(work / "many"))
        run("enrich", csv, "--platform", "instagram", "--mode", "raw", "--out", str(work / "batch"),
            "--poll-interval", "0.2", "--no-progress")  # fmt: skip
        job = json.loads(run("jobs", "list", "--all", "--json"))[0]["job_id"]
        run("jobs", "status", job, "--refresh")
        run("jobs", "download", job, "--out", str(work / "again"))
        run("cache", "stats")
        for kind in ("drop", "malformed", "truncated"):  # lost answers; 429s would slow it
            sb.faults.add(kind, 0.2)
        run(*many, "--mode", "profile", "--out", str(work / "faulty"))
        sb.faults.clear()
        sb.faults.add("drop", operations=["batch_create"], times=1)
        run("enrich", csv, "--platform", "instagram", "--mode", "full", "--out",
            str(work / "lost"), "--poll-interval", "0.2", "--no-progress", code=4)  # fmt: skip
        run("jobs", "status", "no-such-job", code=2)
        run("cache", "clear")
        run("jobs", "forget", job)
        # the command in a process of its own (its real stdout and stderr), logging at DEBUG
        env = {**os.environ, ENV_BASE_URL: url, "PYTHONPATH": str(ROOT)}
        debug = "import logging,sys; logging.basicConfig(level=logging.DEBUG); " + (
            "from toolkit.cli import main; sys.exit(main(sys.argv[1:]))"
        )
        for argv in (["credits"], [*many[:-1], "--mode", "raw", "--out", str(work / "proc")]):
            proc = subprocess.run(
                [sys.executable, "-c", debug, *argv], env=env, capture_output=True, text=True
            )
            said.extend([proc.stdout, proc.stderr])
            assert proc.returncode == 0, proc.stderr[-500:]
    assert "HTTP Request" in caplog.text and "send_request_headers" in caplog.text
    assert "send_request_headers" in said[-1]  # the process logged at DEBUG too
    texts = {f"said {i}": t for i, t in enumerate(said)} | {"logs": caplog.text}
    texts |= file_texts(work)
    assert any(k.startswith("many/creator/") for k in texts)  # the outputs were scanned
    assert any(names[0] in v for k, v in texts.items() if k == "store.sqlite3")
    assert leaks([FAKE_KEY], texts) == []


NOTEBOOKS = ("01_quickstart", "07_money_and_safety")
DEBUG_CELL = "import logging\nlogging.basicConfig(level=logging.DEBUG, force=True)"


def test_no_secret_in_notebook_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sb = _cli_sandbox()
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.setenv(ENV_API_KEY, FAKE_KEY)
    monkeypatch.setenv(STORE_URL_ENV, str(files / "store.sqlite3"))
    monkeypatch.setenv("TMPDIR", str(files))  # what a notebook writes to a temp dir, too
    texts: dict[str, str] = {}
    with sb.serve() as url:
        monkeypatch.setenv(ENV_BASE_URL, url)
        for name in NOTEBOOKS:
            before = len(sb.log)
            nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
            nb.cells.insert(0, nbformat.v4.new_code_cell(DEBUG_CELL))
            NotebookClient(
                nb,
                timeout=300,
                kernel_name="python3",
                allow_errors=True,
                store_widget_state=False,
                resources={"metadata": {"path": str(files)}},
            ).execute()
            errors = [
                o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error"
            ]  # fmt: skip
            assert errors == [], [(e.ename, e.evalue) for e in errors]
            texts[name] = nbformat.writes(nb)
            assert "HTTP Request" in texts[name]  # DEBUG logs are among the outputs
            assert len(sb.log) > before  # it did talk to the loopback sandbox
    texts |= file_texts(files)
    assert leaks([FAKE_KEY], texts) == []


def test_the_scan_finds_a_key_cut_encoded_compressed_or_in_parquet(tmp_path: Path) -> None:
    """The scan itself: each way a key could hide is found; the toolkit's mask is not a leak."""
    import base64
    import sqlite3
    import zlib

    import polars as pl

    from toolkit._config import mask_secret

    con = sqlite3.connect(tmp_path / "store.sqlite3")
    con.execute("CREATE TABLE kv (k TEXT, v BLOB)")
    con.execute(
        "INSERT INTO kv VALUES ('a', ?)", (zlib.compress(f'{{"t":"{FAKE_KEY}"}}'.encode()),)
    )
    con.commit()
    con.close()
    pl.DataFrame({"note": [f"key {FAKE_KEY}"]}).write_parquet(tmp_path / "t.parquet")
    basic = base64.b64encode(f"user:{FAKE_KEY}".encode()).decode()
    (tmp_path / "h.txt").write_text(f"Authorization: Basic {basic}")
    found = {where for where, _ in leaks([FAKE_KEY], file_texts(tmp_path))}
    assert found == {"store.sqlite3", "t.parquet", "h.txt"}
    cut = FAKE_KEY[:27] + "..." + FAKE_KEY[-8:]
    assert leaks([FAKE_KEY], {"cut": cut}) and not leaks(
        [FAKE_KEY], {"mask": mask_secret(FAKE_KEY)}
    )
