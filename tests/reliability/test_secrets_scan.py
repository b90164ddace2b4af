"""The secrets scan: a recognisable fake key and OAuth tokens go through the client with
faults on, and everything produced is searched for them: results, reprs, exception args
and tracebacks (causes included), DEBUG logs of every logger, stderr, the ledger, and the
files written (the token file holds the OAuth tokens, and nothing else may hold any)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit import RateLimiter
from toolkit._config import SANDBOX_BASE_URL
from toolkit._login import FileTokenStore, OAuthSession, session_client
from toolkit.sandbox import Sandbox
from toolkit.sandbox._app import ApiKey

from .support import Sleeps

FAKE_KEY = "sk_fake_SECRETSCAN_7f3a9c1e5b2d4068"


def _said(err: BaseException) -> str:
    parts = [str(err), repr(err), repr(err.args), *traceback.format_exception(err)]
    parts += [repr(v) for v in vars(err).values()]
    return "\n".join(parts)


def _workload(client: ic.Client, sb: Sandbox) -> tuple[list[Any], list[BaseException]]:
    handle = max(sb.world.on("instagram"), key=lambda c: c.followers).username
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


def test_no_secret_in_anything_the_toolkit_produces(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    sb = Sandbox(seed=3, creators=200)
    sb.account.api_keys.append(
        ApiKey(id=999, name="scan", token=FAKE_KEY, created_at=sb.clock.now())
    )
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
    produced += [p.read_text() for p in tmp_path.rglob("*") if p.is_file() and p != store.path]
    assert errors and results  # the faults did strike and calls did succeed
    assert "HTTP Request" in caplog.text and "send_request_headers" in caplog.text  # DEBUG
    assert sum(isinstance(e, ic.OutcomeUnknownError | ic.MalformedResponseError) for e in errors)
    for secret in secrets:
        hits = [text[:80] for text in produced if secret in text]
        assert hits == [], f"a secret leaked into: {hits}"
    assert FAKE_KEY not in store.path.read_text()  # the token file holds OAuth tokens only
    client.close()
    oauth_client.close()
