"""The fault suite: a mixed workload of 1,000+ calls with faults on about 20 % of them,
compared call by call with the same workload on a fault-free sandbox.

Free and paid, creates and a batch upload, sync and async in-process and sync over
loopback. Faults: 429 with Retry-After, 5xx, answers slower than the timeout, dropped
connections, malformed and truncated JSON. What must hold:

* every call either succeeds or raises a typed ``InfluencersClubError``;
* nothing is paid twice: a call's charges never exceed the fault-free run's, and at most
  one charged request per call reaches the sandbox;
* nothing is created twice: at most one object per create;
* a call that was charged but raised says so (``credits_may_have_been_charged`` and
  "credits may have been charged" in its message).

The figures are printed (``pytest -s``) and quoted in the README's reliability section.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import toolkit as ic
from toolkit import RateLimiter
from toolkit._config import SANDBOX_BASE_URL
from toolkit._exceptions import MAY_HAVE_BEEN_CHARGED
from toolkit.sandbox import Sandbox, Settings

from .support import Sleeps

SYNC_CALLS, ASYNC_CALLS, LOOPBACK_CALLS = 800, 240, 60
FAULT_RATE_EACH = 0.037  # six kinds: 1 - (1 - 0.037) ** 6 ~ 20 % of requests


@dataclass
class Outcome:
    index: int
    kind: str
    ok: bool
    error: BaseException | None
    charged: float
    charged_requests: int
    created: str | None  # the unique name a create used
    creates_processed: int  # create/upload requests the sandbox acted on (not refused first)


def _sandbox(faults: bool) -> Sandbox:
    sb = Sandbox(
        seed=5, creators=300, credits=100_000, settings=Settings(rate_limit_per_minute=10**6)
    )
    if faults:
        sb.faults.add("rate_limit", FAULT_RATE_EACH, retry_after=1)
        sb.faults.add("status", FAULT_RATE_EACH, status=503)
        sb.faults.add("drop", FAULT_RATE_EACH)
        sb.faults.add("slow", FAULT_RATE_EACH, seconds=1.0)
        sb.faults.add("malformed", FAULT_RATE_EACH)
        sb.faults.add("truncated", FAULT_RATE_EACH)
    return sb


def _workload(
    sb: Sandbox, n: int, offset: int
) -> list[tuple[str, Callable[[Any], Any], str | None]]:
    """``n`` calls, the same for every sandbox of the seed: (kind, call, created name)."""
    ig = sorted(sb.world.on("instagram"), key=lambda c: -c.followers)
    mailed = [c for c in ig if c.email]
    ops: list[tuple[str, Callable[[Any], Any], str | None]] = []
    for j in range(n):
        i = offset + j
        h = ig[i % len(ig)].username
        pick = i % 20
        if pick < 5:
            ops.append(("free", lambda c: c.account.credits(), None))
        elif pick < 7:
            ops.append(("free", lambda c: c.dictionary.languages(), None))
        elif pick < 8:
            ops.append(("free", lambda c: c.exclusion_lists.list(), None))
        elif pick < 11:
            ops.append(
                ("paid", lambda c, i=i: c.discovery.search("instagram", limit=5, page=i % 40), None)
            )
        elif pick < 14:
            ops.append(
                ("paid", lambda c, h=h: c.creators.enrich_handle(h, "instagram", mode="raw"), None)
            )
        elif pick < 15 and mailed:
            email = mailed[i % len(mailed)].email
            ops.append(("paid", lambda c, e=email: c.creators.enrich_email(e), None))
        elif pick < 16:
            ops.append(("paid", lambda c, h=h: c.creators.socials(h, "instagram"), None))
        elif pick < 18:
            name = f"list-{i}"
            ops.append(("create", lambda c, n=name: c.exclusion_lists.create(n, "instagram"), name))
        elif pick < 19:
            name = f"key-{i}"
            ops.append(("create", lambda c, n=name: c.account.api_keys.create(n), name))
        elif i % 100 == 19:
            rows = [ig[(i + k) % len(ig)].username for k in range(3)]
            ops.append(
                (
                    "batch",
                    lambda c, r=rows: c.batch.create(
                        handles=r, enrichment_mode="raw", platform="instagram"
                    ),
                    f"batch-{i}",
                )
            )
        else:
            ops.append(("free", lambda c: c.listening.usage(), None))
    return ops


def _outcome(
    sb: Sandbox,
    index: int,
    kind: str,
    created: str | None,
    start: int,
    result: Any,
    error: BaseException | None,
) -> Outcome:
    entries = list(sb.log)[start:]
    charged = [e.charged for e in entries if e.charged > 0]
    processed = sum(
        1
        for e in entries
        if (e.operation or "").endswith("create")
        and e.fault not in ("rate_limit", "status")
        and (e.status is None or e.status < 400)
    )
    return Outcome(
        index, kind, error is None, error, round(sum(charged), 4), len(charged), created, processed
    )


def _client_kw() -> dict[str, Any]:
    return {
        "rate_limiter": RateLimiter(10**6, max_pause=0.0),
        "timeout": 0.05,
        "max_retry_after": 5.0,
    }


def run_sync(sb: Sandbox, ops: list, offset: int, base_url: str | None = None) -> list[Outcome]:
    kw = _client_kw()
    if base_url is not None:
        kw["timeout"] = 0.3
    client = ic.Client(
        api_key=sb.api_key,
        base_url=base_url or SANDBOX_BASE_URL,
        transport=None if base_url else sb.transport(),
        sleep=Sleeps(),
        **kw,
    )
    out = []
    with client:
        for j, (kind, call, created) in enumerate(ops):
            start = len(sb.log)
            try:
                result, error = call(client), None
            except Exception as exc:
                result, error = None, exc
            out.append(_outcome(sb, offset + j, kind, created, start, result, error))
    return out


def run_async(sb: Sandbox, ops: list, offset: int) -> list[Outcome]:
    async def main() -> list[Outcome]:
        out = []
        async with ic.AsyncClient(
            api_key=sb.api_key,
            base_url=SANDBOX_BASE_URL,
            transport=sb.async_transport(),
            sleep=Sleeps().asleep,
            **_client_kw(),
        ) as client:
            for j, (kind, call, created) in enumerate(ops):
                start = len(sb.log)
                try:
                    result, error = await call(client), None
                except Exception as exc:
                    result, error = None, exc
                out.append(_outcome(sb, offset + j, kind, created, start, result, error))
        return out

    return asyncio.run(main())


def run_workload(faults: bool) -> tuple[Sandbox, list[Outcome]]:
    sb = _sandbox(faults)
    outcomes = run_sync(sb, _workload(sb, SYNC_CALLS, 0), 0)
    outcomes += run_async(sb, _workload(sb, ASYNC_CALLS, SYNC_CALLS), SYNC_CALLS)
    with sb.serve() as base_url:
        offset = SYNC_CALLS + ASYNC_CALLS
        outcomes += run_sync(sb, _workload(sb, LOOPBACK_CALLS, offset), offset, base_url)
    return sb, outcomes


def _objects_named(sb: Sandbox, name: str) -> int:
    lists = [x for x in sb.account.exclusion_lists.values() if x.name == name]
    keys = [k for k in sb.account.api_keys if k.name == name]
    return len(lists) + len(keys)


def test_faults_never_pay_or_create_twice() -> None:
    clean_sb, clean = run_workload(faults=False)
    sb, faulty = run_workload(faults=True)
    assert len(faulty) == len(clean) >= 1000
    assert all(o.ok for o in clean)

    typed = [o for o in faulty if o.error is None or isinstance(o.error, ic.InfluencersClubError)]
    assert len(typed) == len(faulty), [repr(o.error) for o in faulty if o not in typed][:5]
    for a, b in zip(clean, faulty, strict=True):
        assert b.charged <= a.charged + 1e-9, (b.index, b.kind, b.charged, a.charged)
        assert b.charged_requests <= 1, (b.index, b.kind)
        if b.charged > 0 and b.error is not None:  # charged yet failed: it must say so
            assert getattr(b.error, "credits_may_have_been_charged", False), repr(b.error)
        if b.error is not None and getattr(b.error, "credits_may_have_been_charged", False):
            assert MAY_HAVE_BEEN_CHARGED in str(b.error)
        if b.kind == "create":
            assert _objects_named(sb, b.created) <= 1, b.created
            if b.ok:
                assert _objects_named(sb, b.created) == 1
        if b.kind in ("create", "batch"):
            assert b.creates_processed <= 1, (b.index, b.kind)  # never made or uploaded twice
    assert sum(o.kind == "batch" for o in faulty) >= 10

    injected = Counter(e.fault for e in sb.log if e.fault)
    requests = len(sb.log)
    errors = Counter(type(o.error).__name__ for o in faulty if o.error is not None)
    unknown = sum(1 for o in faulty if getattr(o.error, "credits_may_have_been_charged", False))
    print(
        f"\nfault suite: {len(faulty)} calls, {requests} requests, "
        f"{sum(injected.values())} faults injected ({sum(injected.values()) / requests:.0%}): "
        f"{dict(sorted(injected.items()))}"
    )
    print(
        f"succeeded {sum(o.ok for o in faulty)}, typed errors {dict(sorted(errors.items()))}, "
        f"of which say credits may have been charged: {unknown}"
    )
    print(
        f"charged: fault-free {clean_sb.log.total_charged:g}, with faults "
        f"{sb.log.total_charged:g} credits; paid twice: 0; created twice: 0"
    )
