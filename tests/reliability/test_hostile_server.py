"""Every answer a server can give stays in the error tree, on time, and shows no credential.

Over loopback against :mod:`.hostile_server`: a body trickling past the deadline, invalid
gzip, absurd nesting, absurd ``Retry-After``, answers over the size cap, a decompression
bomb, and pages that echo the ``Authorization`` header. Sync and async clients, free and
paid calls, and ``enrich_many`` (which files each such row under failures and goes on).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

import toolkit as ic
from toolkit import RateLimiter
from toolkit._exceptions import CREDENTIAL_RUN, MAY_HAVE_BEEN_CHARGED

from .hostile_server import KINDS, HostileServer, hostile_server
from .support import Sleeps

pytestmark = pytest.mark.loopback

KEY = "sk_test_Qx7vN2pL9mK4rT8wZ3yB6cD1fH5j"  # 36 characters, none of them a sandbox key
CAP = 2**20  # answers over 1 MB are refused here (the default is 64 MB)
ALL_ERRORS = [k for k in KINDS if k != "trickle"]  # the trickle has tests of its own


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with hostile_server() as srv:
        yield srv


def _kw(server: HostileServer, **kw: Any) -> dict[str, Any]:
    return {
        "api_key": KEY,
        "base_url": server.url,
        "cache": False,
        "store": "memory:",
        "rate_limiter": RateLimiter(10**6, max_pause=0.0),  # a 429 here is no pace
        "max_response_bytes": CAP,
        **kw,
    }


def _no_key_in(err: BaseException) -> None:
    """No run of ``CREDENTIAL_RUN`` characters of the key in anything the error shows."""
    shown = "\n".join(
        [
            str(err),
            repr(err),
            repr(err.args),
            repr(vars(err)),
            "".join(traceback.format_exception(err)),
        ]
    )
    runs = {KEY[i : i + CREDENTIAL_RUN] for i in range(len(KEY) - CREDENTIAL_RUN + 1)}
    assert not [r for r in runs if r in shown], shown[:500]


def _enrich(client: ic.Client, kind: str) -> Any:
    return client.creators.enrich_handle(kind, "instagram", mode="raw")


@pytest.mark.parametrize("kind", ALL_ERRORS)
def test_every_hostile_answer_to_a_free_call_is_a_toolkit_error(
    server: HostileServer, kind: str
) -> None:
    server.mode = kind
    try:
        with (
            ic.Client(sleep=Sleeps(), **_kw(server)) as client,
            pytest.raises(ic.InfluencersClubError) as info,
        ):
            client.account.credits()
    finally:
        server.mode = "ok"
    err = info.value
    assert err.operation == "account_credits" and err.path == "/public/v1/accounts/credits/"
    expected = {
        "echo_error": ic.ServerError,
        "echo_html": ic.MalformedResponseError,
        "bad_gzip": ic.MalformedResponseError,
        "deep": ic.MalformedResponseError,
        "huge": ic.MalformedResponseError,
        "bomb": ic.MalformedResponseError,
    }.get(kind, ic.RateLimitError)
    assert isinstance(err, expected), repr(err)
    _no_key_in(err)


@pytest.mark.parametrize("kind", ALL_ERRORS)
def test_every_hostile_answer_to_a_paid_call_says_credits_may_have_been_charged(
    server: HostileServer, kind: str
) -> None:
    with (
        ic.Client(sleep=Sleeps(), **_kw(server)) as client,
        pytest.raises(ic.InfluencersClubError) as info,
    ):
        _enrich(client, kind)
    err = info.value
    _no_key_in(err)
    if kind.startswith("retry_") or kind == "echo_error":
        assert isinstance(err, ic.RateLimitError | ic.ServerError)  # error answers cost nothing
        return
    assert err.credits_may_have_been_charged  # type: ignore[attr-defined]
    assert MAY_HAVE_BEEN_CHARGED in str(err)
    if kind in ("bad_gzip", "huge", "bomb"):  # lost on the way: outcome unknown
        assert isinstance(err, ic.OutcomeUnknownError), repr(err)
    else:  # arrived whole but unreadable
        assert isinstance(err, ic.MalformedResponseError), repr(err)
    assert server.seen.count(kind) >= 1


def test_a_bomb_stops_at_the_cap_and_an_answer_under_it_passes(server: HostileServer) -> None:
    with ic.Client(**_kw(server)) as client, pytest.raises(ic.OutcomeUnknownError) as info:
        _enrich(client, "bomb")
    assert f"larger than {CAP:,} bytes (max_response_bytes)" in str(info.value)
    with ic.Client(**_kw(server)) as client:
        assert _enrich(client, "someone").data["result"]["username"] == "someone"


def test_absurd_retry_after_is_waited_as_a_backoff_not_a_crash(server: HostileServer) -> None:
    for kind in ("retry_inf", "retry_nan", "retry_overflow"):
        sleeps = Sleeps()
        server.mode = kind
        try:
            with (
                ic.Client(sleep=sleeps, **_kw(server)) as client,
                pytest.raises(ic.RateLimitError) as info,
            ):
                client.account.credits()
        finally:
            server.mode = "ok"
        assert info.value.retry_after is None  # unusable: ignored
        assert len(sleeps) == 2 and all(0 < s < 10 for s in sleeps)  # two backoffs


def test_a_trickling_body_ends_at_the_deadline_on_a_free_call(server: HostileServer) -> None:
    server.mode = "trickle"
    t0 = time.monotonic()
    try:
        with (
            ic.Client(timeout=3, **_kw(server)) as client,
            pytest.raises(ic.APITimeoutError) as info,
        ):
            client.account.credits()
    finally:
        server.mode = "ok"
    assert time.monotonic() - t0 < 4.5  # the bound (4 s), with a margin; it was 20-62 s
    assert info.value.__cause__ is not None


def test_a_trickling_body_ends_at_the_deadline_on_a_paid_call(server: HostileServer) -> None:
    t0 = time.monotonic()
    with (
        ic.Client(timeout=3, **_kw(server)) as client,
        pytest.raises(ic.OutcomeUnknownError) as info,
    ):
        _enrich(client, "trickle")
    assert time.monotonic() - t0 < 4.5
    assert MAY_HAVE_BEEN_CHARGED in str(info.value)


@pytest.mark.anyio
async def test_the_async_client_keeps_the_deadline_and_the_tree(server: HostileServer) -> None:
    async with ic.AsyncClient(timeout=3, **_kw(server)) as client:
        t0 = time.monotonic()
        with pytest.raises(ic.OutcomeUnknownError):
            await client.creators.enrich_handle("trickle", "instagram", mode="raw")
        assert time.monotonic() - t0 < 4.5
        for kind in ("bad_gzip", "huge", "bomb"):
            with pytest.raises(ic.OutcomeUnknownError):
                await client.creators.enrich_handle(kind, "instagram", mode="raw")
        with pytest.raises(ic.MalformedResponseError) as info:
            await client.creators.enrich_handle("echo_html", "instagram", mode="raw")
        _no_key_in(info.value)


def test_enrich_many_files_each_hostile_answer_and_goes_on(server: HostileServer) -> None:
    handles = ["first_ok", *ALL_ERRORS, "trickle", "last_ok"]
    with ic.Client(timeout=2, sleep=Sleeps(), **_kw(server)) as client:
        out = client.creators.enrich_many(
            handles, "instagram", mode="raw", progress=False, journal=False, concurrency=4
        )
    assert sorted(out.results["value"].to_list()) == ["first_ok", "last_ok"]
    failures = dict(zip(out.failures["value"], out.failures["reason"], strict=True))
    assert set(failures) == set(handles) - {"first_ok", "last_ok"}
    paid_lost = {"trickle", "bad_gzip", "deep", "huge", "bomb", "echo_html"}
    assert {h for h, r in failures.items() if r == "outcome_unknown"} == paid_lost
    for message in out.failures["message"]:
        runs = [KEY[i : i + CREDENTIAL_RUN] for i in range(len(KEY) - CREDENTIAL_RUN + 1)]
        assert not any(r in message for r in runs)
