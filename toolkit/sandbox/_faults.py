"""Faults on demand, reproducible from a seed: what a client must survive on the real wire.

>>> from toolkit.sandbox import Sandbox
>>> sb = Sandbox(creators=100)
>>> f = sb.faults.add("status", status=503, times=2)   # the next two calls answer 503
>>> sb.faults.add("rate_limit", retry_after=1)          # every call: 429, Retry-After: 1
Fault(kind='rate_limit', rate=1.0, times=None, operations=None, fired=0)
>>> sb.faults.clear()

Kinds and when they fire:

============  =========  ==========================================================
kind          phase      effect
============  =========  ==========================================================
rate_limit    before     429 ``{"detail": "Request was throttled. ..."}`` + Retry-After
status        before     ``status`` (500, 502, 503 or 504); 5xx from a gateway is HTML
drop          after*     the connection closes without a response
slow          after      the answer comes ``seconds`` late (past the client's read
                         timeout: the call was processed and billed, outcome unknown)
malformed     after      200 with a body that is not JSON
truncated     after      200 with the JSON body cut in half
============  =========  ==========================================================

"before" faults fire before authentication and billing (nothing happens server-side);
"after" faults hit a request that was processed (and paid). ``drop`` takes
``phase="before"`` for a connection lost on the way in; ``status`` takes ``phase="after"``
for a 5xx a gateway answers after the server did the work. Each fault fires with probability
``rate`` (drawn from a ``random.Random`` seeded by the sandbox seed, so a run repeats),
at most ``times`` times, only for ``operations`` (endpoints.json names) when given.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from ._http import Response
from ._ratelimit import throttled

__all__ = ["KINDS", "Fault", "FaultResponse", "Faults"]

KINDS = ("rate_limit", "status", "drop", "slow", "malformed", "truncated")
_DEFAULT_PHASE = {
    "rate_limit": "before",
    "status": "before",
    "drop": "after",
    "slow": "after",
    "malformed": "after",
    "truncated": "after",
}
_GATEWAY_HTML = "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"
_REASONS = {502: "502 Bad Gateway", 503: "503 Service Unavailable", 504: "504 Gateway Time-out"}


@dataclass
class FaultResponse(Response):
    """A response with instructions for whoever delivers it (transport or server)."""

    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection instead of answering


@dataclass
class Fault:
    """One configured fault; ``fired`` counts how often it struck."""

    kind: str
    rate: float = 1.0
    times: int | None = None
    operations: frozenset[str] | None = None
    status: int = 503
    seconds: float = 5.0
    retry_after: int = 1
    phase: str = ""
    fired: int = field(default=0)

    def __repr__(self) -> str:
        ops = sorted(self.operations) if self.operations is not None else None
        return (
            f"Fault(kind={self.kind!r}, rate={self.rate}, times={self.times}, "
            f"operations={ops}, fired={self.fired})"
        )

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def respond(self, *, retry_after_header: bool = True) -> Response:
        """The answer of a "before" fault (the request is not processed)."""
        if self.kind == "rate_limit":
            err = throttled(self.retry_after, retry_after_header=retry_after_header)
            # an injected 429 always says when to come back: that is what it is for
            err.headers.setdefault("retry-after", str(self.retry_after))
            return err.to_response()
        if self.kind == "status":
            if self.status in _REASONS:
                body = _GATEWAY_HTML.format(_REASONS[self.status]).encode()
                return Response(self.status, body, {"content-type": "text/html"})
            return Response.json({"detail": "A server error occurred."}, self.status)
        if self.kind == "drop":
            return FaultResponse(status=0, drop=True)
        raise ValueError(f"{self.kind} is not a 'before' fault")

    def apply(self, resp: Response) -> Response:
        """Spoil a processed response (an "after" fault)."""
        if self.kind == "slow":
            return FaultResponse(resp.status, resp.body, dict(resp.headers), delay=self.seconds)
        if self.kind in ("drop", "status"):  # a 5xx after the work was done (a gateway's)
            return self.respond()
        headers = {"content-type": "application/json"}
        if self.kind == "malformed":
            body = b"<!DOCTYPE html><p>upstream sent an invalid response</p>"
            return Response(200, body, headers)
        if self.kind == "truncated":
            body = resp.body or b'{"result": {}}'
            return Response(200, body[: max(1, len(body) // 2)], headers)
        raise ValueError(f"{self.kind} is not an 'after' fault")


class Faults:
    """The sandbox's fault table (``sb.faults``)."""

    def __init__(self, seed: int = 7) -> None:
        self._rng = random.Random(f"faults:{seed}")
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        rate: float = 1.0,
        *,
        times: int | None = None,
        operations: set[str] | frozenset[str] | list[str] | None = None,
        status: int = 503,
        seconds: float = 5.0,
        retry_after: int = 1,
        phase: str | None = None,
    ) -> Fault:
        """Switch a fault on; see the module docstring for kinds. Returns the fault."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {', '.join(KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate is a probability between 0 and 1")
        if kind == "status" and not 500 <= status <= 599:
            raise ValueError("a status fault answers a 5xx status")
        chosen = phase or _DEFAULT_PHASE[kind]
        if chosen not in ("before", "after") or (
            chosen != _DEFAULT_PHASE[kind] and kind not in ("drop", "status")
        ):
            raise ValueError(f"{kind} faults fire {_DEFAULT_PHASE[kind]!r} processing")
        fault = Fault(
            kind=kind,
            rate=rate,
            times=times,
            operations=frozenset(operations) if operations is not None else None,
            status=status,
            seconds=seconds,
            retry_after=retry_after,
            phase=chosen,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Switch every fault off."""
        with self._lock:
            self._faults.clear()

    def __len__(self) -> int:
        return len(self._faults)

    def __iter__(self):
        return iter(list(self._faults))

    def pick(self, operation: str, phase: str) -> Fault | None:
        """The fault that strikes this request in ``phase``, if any (first match wins)."""
        with self._lock:
            for fault in self._faults:
                if fault.phase != phase or fault.exhausted:
                    continue
                if fault.operations is not None and operation not in fault.operations:
                    continue
                if fault.rate < 1.0 and self._rng.random() >= fault.rate:
                    continue
                fault.fired += 1
                return fault
        return None
