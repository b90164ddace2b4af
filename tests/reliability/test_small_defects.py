"""Smaller ways of being silently wrong: answers without a creator filed as enriched or as
free, a resume that claims a create was sent, outputs readable by other users."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import toolkit as ic
from toolkit import RateLimiter
from toolkit._config import SANDBOX_BASE_URL
from toolkit.jobs import SubmitUnknownError
from toolkit.sandbox import Sandbox
from toolkit.store import open_store

from .hostile_server import hostile_server
from .support import client_on


@pytest.mark.loopback
def test_answers_without_a_creator_are_failures_at_their_real_cost() -> None:
    """``{"result": "x"}`` is not enriched (nor journaled and replayed); an empty result
    the API charged for is ``no_data`` at its price, an uncharged one ``not_found`` at 0."""
    store = open_store("memory:")
    with hostile_server() as server:
        kw = {
            "api_key": "sk_test_small_defects_key_0123456789",
            "base_url": server.url,
            "cache": False,
            "store": store,
            "rate_limiter": RateLimiter(10**6),
        }
        names = ["result_str", "empty_charged", "empty_free", "someone"]
        with ic.Client(**kw) as client:
            first = client.creators.enrich_many(names, "instagram", mode="raw", progress=False)
            again = client.creators.enrich_many(names, "instagram", mode="raw", progress=False)
    assert first.results["value"].to_list() == ["someone"]
    failures = {r["value"]: r for r in first.failures.iter_rows(named=True)}
    assert failures["result_str"]["reason"] == "no_data"
    assert failures["result_str"]["credits_cost"] == pytest.approx(0.03)
    assert "result is str" in failures["result_str"]["message"]
    assert failures["empty_charged"]["reason"] == "no_data"
    assert failures["empty_charged"]["credits_cost"] == 1
    assert failures["empty_free"]["reason"] == "not_found"
    assert failures["empty_free"]["credits_cost"] == 0
    assert first.credits_spent == pytest.approx(0.03 + 0.03 + 1)
    # the second run takes only the real creator from the journal; the rest is asked again
    assert again.results["from_journal"].to_list() == [True]
    assert server.seen.count("result_str") == 2
    assert set(again.failures["reason"]) == {"no_data", "not_found"}


class _Killed(BaseException):
    """Stands for a kill: nothing of the toolkit's catches it."""


class _StopBeforeUpload(httpx.BaseTransport):
    """The sandbox's transport, but the first batch create stops the process (as a kill
    would) before a byte of it leaves: nothing reaches the server."""

    def __init__(self, sb: Sandbox) -> None:
        self.inner = sb.transport()
        self.sandbox = sb
        self.stopped = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.stopped and request.url.path.endswith("/enrichment/batch/"):
            self.stopped = True
            raise _Killed("killed before the upload")
        return self.inner.handle_request(request)


def test_a_resume_after_a_stop_before_upload_does_not_say_the_create_was_sent(
    sb: Sandbox, tmp_path: Path
) -> None:
    store = open_store("memory:")
    names = [c.username for c in sb.world.on("instagram")[:4]]
    run = {"mode": "raw", "platform": "instagram", "out": tmp_path, "store": store}
    stopping = _StopBeforeUpload(sb)
    with (
        ic.Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=stopping) as c,
        pytest.raises(_Killed),
    ):
        c.batch.run(names, progress=False, **run)
    assert not [e for e in sb.log if e.operation == "batch_create"]  # nothing reached it
    with client_on(sb) as client, pytest.raises(SubmitUnknownError) as info:
        client.batch.run(names, progress=False, **run)
    message = str(info.value)
    assert "was sent" not in message
    assert "may or may not have been sent" in message
    assert not [e for e in sb.log if e.operation == "batch_create"]  # and nothing re-sent


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def test_outputs_are_owner_only_whatever_the_umask(
    sb: Sandbox, tmp_path: Path, open_umask: None
) -> None:
    names = [c.username for c in sb.world.on("instagram")[:3]]
    with ic.Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store="memory:",
        sleep=lambda s: sb.clock.advance(seconds=s),  # a poll's wait moves the batch on
    ) as client:
        client.batch.run(
            names, mode="raw", platform="instagram", out=tmp_path / "batch", progress=False
        )
        many = client.creators.enrich_many(names, "instagram", mode="raw", progress=False)
    many.write_parquet(tmp_path / "many" / "nested")
    for root in (tmp_path / "batch", tmp_path / "many"):
        modes = _modes(root)
        assert any(name.endswith(".parquet") for name in modes)
        assert any(name.endswith(".json") for name in modes)
        loose = {n: oct(m) for n, m in modes.items() if m & 0o077}
        assert loose == {}, loose
    assert stat.S_IMODE((tmp_path / "many").stat().st_mode) == 0o700  # created for the output
