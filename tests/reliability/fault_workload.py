"""The fault suite's workload and bookkeeping (``test_fault_suite.py`` asserts on them).

One *step* is one call a user makes: a single API call, an ``enrich_many`` or a whole batch
job. Every credit the sandbox takes is in its charge log (``sb.charges``); :class:`Tally`
gives each charge a key naming the step that caused it and what was paid for (the creator,
email or batch row), so a run with faults can be compared with a fault-free run key by key.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import toolkit as ic
from toolkit import RateLimiter
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox, Settings
from toolkit.sandbox._accounts import Charge
from toolkit.store import open_store

SYNC_CALLS, ASYNC_CALLS, LOOPBACK_CALLS = 800, 240, 60
FAULT_RATE_EACH = 0.037  # six kinds: 1 - (1 - 0.037) ** 6 ~ 20 % of requests

#: (step, what was paid for, its value): ``("batch_row", handle)`` for a batch row (the
#: step is the one that created the batch), ``(operation, reference)`` otherwise.
Key = tuple[int, str, str | None]


@dataclass
class Step:
    """What one call did, as the sandbox saw it."""

    index: int
    kind: str  # free, paid, create, batch (one upload), many (enrich_many), job (batch.run)
    ok: bool
    error: BaseException | None
    charges: list[Key] = field(default_factory=list)  # keys of the charges it caused
    created: str | None = None  # the unique name a create used
    creates_processed: int = 0  # create/upload requests the sandbox acted on
    result: Any = None
    errors: list[BaseException] = field(default_factory=list)  # a job's raised errors
    inputs: list[str] = field(default_factory=list)  # what an enrich_many or a job was given


class Tally:
    """Attributes every charge of ``sb.charges`` to a step; see the module docstring."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.keys: Counter[Key] = Counter()
        self.amounts: Counter[Key] = Counter()
        self._charges = 0
        self._log = 0
        self.owner: dict[str, int] = {}  # batch id -> the step that created it

    def _batches(self) -> dict[str, Any]:
        return self.sb.account.state.get("batches", {})

    def key(self, step: int, charge: Charge) -> Key:
        if charge.operation == "batch_create" and charge.reference:
            batch_id, row = charge.reference.rsplit(":", 1)
            value = self._batches()[batch_id].inputs[int(row)]
            return (self.owner[batch_id], "batch_row", value)
        return (step, charge.operation, charge.reference)

    def close(self, step: int) -> tuple[list[Key], int]:
        """Keys of the charges since the last close, and create requests processed."""
        for batch_id in self._batches():
            self.owner.setdefault(batch_id, step)
        charges = list(self.sb.charges)[self._charges :]
        entries = list(self.sb.log)[self._log :]
        self._charges += len(charges)
        self._log += len(entries)
        keys = [self.key(step, c) for c in charges]
        for k, c in zip(keys, charges, strict=True):
            self.keys[k] += 1
            self.amounts[k] += round(c.amount * 10_000)  # in 0.0001 credits, exact
        processed = sum(
            1
            for e in entries
            if (e.operation or "").endswith("create")
            and e.fault not in ("rate_limit", "status")
            and (e.status is None or e.status < 400)
        )
        return keys, processed


class ClockSleeps(list[float]):
    """An injected sleeper: records the wait and moves the sandbox clock (batches advance)."""

    def __init__(self, sb: Sandbox | None = None) -> None:
        super().__init__()
        self.sb = sb

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        if self.sb is not None:
            self.sb.clock.advance(seconds=seconds)

    async def asleep(self, seconds: float) -> None:
        self(seconds)


def sandbox(faults: bool) -> Sandbox:
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


Op = tuple[str, Callable[[Any], Any], str | None]


def single_calls(sb: Sandbox, n: int, offset: int) -> list[Op]:
    """``n`` single calls, the same for every sandbox of the seed: (kind, call, created)."""
    ig = sorted(sb.world.on("instagram"), key=lambda c: -c.followers)
    mailed = [c for c in ig if c.email]
    ops: list[Op] = []
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


def many_inputs(sb: Sandbox, platform: str, n: int) -> list[str]:
    """``n`` handles as users paste them: most real (some as ``@Name`` or a profile URL, two
    repeated), some of creators that do not exist."""
    real = [c.username for c in sb.world.on(platform)][: n - n // 8 - 2]
    out = list(real)
    out[0] = "@" + out[0].upper()
    if platform == "instagram":
        out[1] = f"https://www.instagram.com/{out[1]}/"
    out += [f"nobody_here_{platform}_{k}" for k in range(n // 8)]
    return [*out, real[2], real[3].upper()]  # duplicates: looked up (and billed) once


def client_kw(sb: Sandbox, store: Any, *, clock: bool = False) -> dict[str, Any]:
    return {
        "api_key": sb.api_key,
        "rate_limiter": RateLimiter(10**6, max_pause=0.0),  # injected 429s are not a pace
        # the whole call's deadline, the sandbox's own work included: under the 1 s "slow"
        # fault, above what a busy machine takes to build an answer
        "timeout": 0.5,
        "max_retry_after": 5.0,
        "cache": False,  # every call is sent, so each is compared with its fault-free twin
        "store": store,
        "sleep": ClockSleeps(sb if clock else None),
    }


class Runner:
    """Runs steps against one sandbox, each closed in the :class:`Tally` when it ends."""

    def __init__(self, sb: Sandbox, tmp: Path) -> None:
        self.sb, self.tmp = sb, tmp
        self.tally = Tally(sb)
        self.store = open_store("memory:")  # the journal and registry of this run only
        self.steps: list[Step] = []

    def _close(self, kind: str, created: str | None, result: Any, error: Any) -> Step:
        index = len(self.steps)
        keys, processed = self.tally.close(index)
        step = Step(index, kind, error is None, error, keys, created, processed, result)
        self.steps.append(step)
        return step

    def sync(self, ops: list[Op], base_url: str | None = None) -> None:
        kw = client_kw(self.sb, self.store)
        if base_url is not None:
            kw["timeout"] = 0.5
        transport = None if base_url else self.sb.transport()
        with ic.Client(base_url=base_url or SANDBOX_BASE_URL, transport=transport, **kw) as c:
            for kind, call, created in ops:
                try:
                    result, error = call(c), None
                except Exception as exc:
                    result, error = None, exc
                self._close(kind, created, result, error)

    def run_async(self, ops: list[Op]) -> None:
        async def main() -> None:
            kw = client_kw(self.sb, self.store)
            kw["sleep"] = kw["sleep"].asleep
            async with ic.AsyncClient(
                base_url=SANDBOX_BASE_URL, transport=self.sb.async_transport(), **kw
            ) as c:
                for kind, call, created in ops:
                    try:
                        result, error = await call(c), None
                    except Exception as exc:
                        result, error = None, exc
                    self._close(kind, created, result, error)

        asyncio.run(main())

    def enrich_many(self, inputs: list[str], platform: str, mode: str) -> Step:
        kw = client_kw(self.sb, self.store, clock=True)
        with ic.Client(base_url=SANDBOX_BASE_URL, transport=self.sb.transport(), **kw) as c:
            try:
                out = c.creators.enrich_many(
                    inputs, platform, mode=mode, concurrency=6, progress=False, store=self.store
                )
                error = None
            except Exception as exc:
                out, error = None, exc
        step = self._close("many", None, out, error)
        step.inputs = inputs
        return step

    def enrich_many_async(self, inputs: list[str], platform: str, mode: str) -> Step:
        async def main() -> Any:
            kw = client_kw(self.sb, self.store, clock=True)
            kw["sleep"] = kw["sleep"].asleep
            async with ic.AsyncClient(
                base_url=SANDBOX_BASE_URL, transport=self.sb.async_transport(), **kw
            ) as c:
                return await c.creators.enrich_many(
                    inputs, platform, mode=mode, concurrency=6, progress=False, store=self.store
                )

        try:
            out, error = asyncio.run(main()), None
        except Exception as exc:
            out, error = None, exc
        step = self._close("many", None, out, error)
        step.inputs = inputs
        return step

    def batch_job(self, inputs: list[str], *, attempts: int = 6) -> Step:
        """``client.batch.run`` to Parquet; after an error the same call again (it continues
        the same jobs), as a user would, except after a lost create answer (the user decides)."""
        kw = client_kw(self.sb, self.store, clock=True)
        out_dir = self.tmp / f"batch-{len(self.steps)}"
        errors: list[BaseException] = []
        run = None
        with ic.Client(base_url=SANDBOX_BASE_URL, transport=self.sb.transport(), **kw) as c:
            for _ in range(attempts):
                try:
                    run = c.batch.run(
                        inputs,
                        mode="raw",
                        platform="instagram",
                        out=out_dir,
                        job_rows=20,
                        poll_interval=30.0,
                        progress=False,
                        store=self.store,
                    )
                    break
                except Exception as exc:
                    errors.append(exc)
                    if isinstance(exc, ic.jobs.SubmitUnknownError):
                        break
        step = self._close("job", None, run, errors[-1] if run is None and errors else None)
        step.errors, step.inputs = errors, inputs
        return step

    def flush(self) -> None:
        """Let every batch finish (rows are billed as it runs), then close the last charges."""
        self.sb.clock.advance(hours=1)
        self.sb.tick(self.sb.account)
        keys, _ = self.tally.close(len(self.steps))
        assert all(k[1] == "batch_row" for k in keys), keys  # only rows are billed late


def run_workload(faults: bool, tmp: Path) -> Runner:
    sb = sandbox(faults)
    r = Runner(sb, tmp / ("faults" if faults else "clean"))
    r.sync(single_calls(sb, SYNC_CALLS, 0))
    r.run_async(single_calls(sb, ASYNC_CALLS, SYNC_CALLS))
    with sb.serve() as base_url:
        r.sync(single_calls(sb, LOOPBACK_CALLS, SYNC_CALLS + ASYNC_CALLS), base_url)
    r.enrich_many(many_inputs(sb, "instagram", 80), "instagram", "profile")
    r.enrich_many_async(many_inputs(sb, "tiktok", 64), "tiktok", "raw")
    r.batch_job(many_inputs(sb, "instagram", 56))
    r.flush()
    return r
