"""Results of calls, and the I/O-free page logic the sync and async iterators both drive.

A :class:`Result` holds the parsed body (``.data``), which operation answered it, what was
sent, what it cost and how many attempts it took. Its repr never shows the body (an OAuth
token or a new API key can be in it).

Three paging styles (REFERENCE.md §3.1, §14.2), each as a small "what to ask next"
function so both clients share them:

* page paging (discovery, similar): :func:`next_discovery_page`;
* cursor paging (creator posts): :func:`next_posts_token`;
* DRF lists (social listening): :func:`next_drf_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_REACHABLE",
    "Result",
    "as_float",
    "next_discovery_page",
    "next_drf_page",
    "next_posts_token",
]

#: §3.1: a discovery query reaches at most its first 10,000 results.
MAX_REACHABLE = 10_000


def as_float(value: Any) -> float | None:
    """``"99.2"`` -> 99.2, ``5`` -> 5.0, junk -> None (credits fields arrive as both, §3.2)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Result:
    """One call's answer.

    Attributes: ``data`` (parsed JSON; text for CSV answers; ``None`` for 204),
    ``operation`` (endpoints.json name), ``params`` (what was sent, secrets masked),
    ``status_code``, ``attempts``, ``credits_cost``/``credits_left`` (floats, or ``None``
    when the API did not say), ``trial_searches_left``, ``request_id``.
    """

    data: Any
    operation: str
    params: dict[str, Any] = field(default_factory=dict)
    status_code: int = 200
    attempts: int = 1
    credits_cost: float | None = None
    credits_left: float | None = None
    trial_searches_left: int | None = None
    request_id: str | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_body(cls, data: Any, operation: str, **kw: Any) -> Result:
        """Build a result, lifting the credits envelope (§3.2) out of a JSON object body."""
        cost = left = trial = None
        if isinstance(data, Mapping):
            cost = as_float(data.get("credits_cost"))
            left = as_float(data.get("credits_left"))
            if left is None and operation == "account_credits":
                # the balance check answers {credits_available, credits_used} (§13.1): it is
                # the freshest balance there is, so the ledger shows it too
                left = as_float(data.get("credits_available"))
            raw_trial = data.get("trial_searches_left")
            trial = int(raw_trial) if isinstance(raw_trial, int | float) else None
        return cls(
            data=data,
            operation=operation,
            credits_cost=cost,
            credits_left=left,
            trial_searches_left=trial,
            **kw,
        )

    def __repr__(self) -> str:
        if isinstance(self.data, list):
            shape = f"list[{len(self.data)}]"
        elif isinstance(self.data, Mapping):
            shape = "{" + ", ".join(list(self.data)[:6]) + (", …}" if len(self.data) > 6 else "}")
        else:
            shape = type(self.data).__name__
        cost = f", credits_cost={self.credits_cost:g}" if self.credits_cost is not None else ""
        return (
            f"Result({self.operation}, status={self.status_code}, attempts={self.attempts}"
            f"{cost}, data={shape})"
        )

    def __getitem__(self, key: Any) -> Any:
        """``result["accounts"]`` is ``result.data["accounts"]``."""
        return self.data[key]

    def to_polars(self) -> Any:
        """The body as a polars DataFrame (or named tables for nested bodies)."""
        from toolkit.frames import convert

        return convert(self.operation, self.data, params=self.params)

    def to_pandas(self) -> Any:
        """The same as :meth:`to_polars`, in pandas (derived through Arrow)."""
        from toolkit.frames import to_pandas

        return to_pandas(self.to_polars())


def next_discovery_page(
    result: Result, *, page: int, limit: int, page_base: int, fetched: int, max_results: int | None
) -> int | None:
    """The page to ask for after ``page``, or ``None`` when the crawl is done.

    Stops on a short page, at ``total``, at ``max_results`` and before the first row of
    the next page would lie beyond result 10,000 (§3.1).
    """
    body = result.data if isinstance(result.data, Mapping) else {}
    accounts = body.get("accounts") or []
    if len(accounts) < limit:
        return None
    total = body.get("total")
    if isinstance(total, int) and fetched >= min(total, MAX_REACHABLE):
        return None
    if max_results is not None and fetched >= max_results:
        return None
    nxt = page + 1
    if (nxt - page_base) * limit >= MAX_REACHABLE:
        return None
    return nxt


def next_posts_token(result: Result) -> str | None:
    """The cursor for the next posts page (``result.next_token``), ``None`` when done."""
    body = result.data if isinstance(result.data, Mapping) else {}
    inner = body.get("result") if isinstance(body.get("result"), Mapping) else {}
    token = inner.get("next_token")
    if not token or inner.get("more_available") is False:
        return None
    return str(token)


def next_drf_page(result: Result, page: int) -> int | None:
    """The next page of a DRF list (``{count, next, previous, results}``), or ``None``."""
    body = result.data if isinstance(result.data, Mapping) else {}
    if not body.get("next") or not body.get("results"):
        return None
    return page + 1
