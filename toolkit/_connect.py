"""``toolkit.connect()``: the real API when a key is set, otherwise the offline sandbox."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

import anyio

from toolkit._client import AsyncClient, Client
from toolkit._config import ENV_API_KEY, SANDBOX_BASE_URL, is_loopback_url, mask_secret
from toolkit._ratelimit import RateLimiter

if TYPE_CHECKING:
    from toolkit.sandbox import Sandbox

__all__ = ["connect", "sandbox_client"]


@overload
def connect(
    api_key: str | None = None,
    *,
    asynchronous: Literal[False] = False,
    sandbox: Mapping[str, Any] | None = None,
    quiet: bool = False,
    **client_options: Any,
) -> Client: ...
@overload
def connect(
    api_key: str | None = None,
    *,
    asynchronous: Literal[True],
    sandbox: Mapping[str, Any] | None = None,
    quiet: bool = False,
    **client_options: Any,
) -> AsyncClient: ...
@overload
def connect(
    api_key: str | None = None,
    *,
    asynchronous: bool,
    sandbox: Mapping[str, Any] | None = None,
    quiet: bool = False,
    **client_options: Any,
) -> Client | AsyncClient: ...
def connect(
    api_key: str | None = None,
    *,
    asynchronous: bool = False,
    sandbox: Mapping[str, Any] | None = None,
    quiet: bool = False,
    **client_options: Any,
) -> Client | AsyncClient:
    """A ready client, and one line saying which API it talks to (a :class:`Client`, or an
    :class:`AsyncClient` with ``asynchronous=True``: the type checker knows which).

    With ``api_key=``, ``access_token=`` or ``$INFLUENCERS_CLUB_API_KEY``: the real API
    (every paid call spends real credits). Otherwise: the in-process sandbox, a
    deterministic synthetic world with play credits, reachable as ``client.sandbox``
    (advance its clock, inject faults, top up credits): 50,000 creators of seed 7, built
    once and then loaded from the user's cache folder (docs/sandbox.md). ``sandbox=``
    passes options to ``Sandbox(...)`` (``seed``, ``creators``, ``credits``, ``trial`` ...).

    >>> import toolkit as ic
    >>> client = ic.connect(quiet=True)   # no key in the environment: the sandbox
    >>> client.is_sandbox
    True
    """
    key = api_key or os.environ.get(ENV_API_KEY, "").strip() or None
    cls = AsyncClient if asynchronous else Client
    if key or client_options.get("access_token"):
        client = cls(api_key=key, **client_options)
        note = _keyed_note(client)
    else:
        from toolkit.sandbox import Sandbox  # only here: the client never needs the sandbox

        sb = Sandbox(**dict(sandbox or {}))
        client = sandbox_client(sb, asynchronous=asynchronous, **client_options)
        now = sb.clock.now()
        moves = (
            "it stands still until client.sandbox.clock.advance(days=...)"
            if sb.clock.frozen
            else "it follows the wall clock"
        )
        note = (
            f"No {ENV_API_KEY} set: using the offline sandbox (synthetic creators, "
            f"{sb.credits:g} play credits; nothing leaves this machine). Its date is "
            f"{now:%Y-%m-%d %H:%M} UTC: {moves}."
        )
    if not quiet:
        print(note, file=sys.stderr if not _in_notebook() else sys.stdout)
    return client


@overload
def sandbox_client(
    sb: Sandbox, *, asynchronous: Literal[False] = False, **options: Any
) -> Client: ...
@overload
def sandbox_client(sb: Sandbox, *, asynchronous: Literal[True], **options: Any) -> AsyncClient: ...
@overload
def sandbox_client(sb: Sandbox, *, asynchronous: bool, **options: Any) -> Client | AsyncClient: ...
def sandbox_client(
    sb: Sandbox, *, asynchronous: bool = False, **options: Any
) -> Client | AsyncClient:
    """A client on the in-process sandbox ``sb`` whose waits move the sandbox clock.

    Polls and retry pauses advance ``sb.clock`` by the wait instead of sleeping: the
    sandbox's batches and rate window run on that clock, so a 30 s poll costs no wall time
    and a pinned clock still moves. ``connect()`` and the ``influencers-club`` command both
    build their sandbox client here. ``client.sandbox`` is ``sb``.
    """
    options.setdefault("base_url", SANDBOX_BASE_URL)

    def advance(seconds: float) -> None:
        sb.clock.advance(seconds=max(seconds, 0.0))

    client: Client | AsyncClient
    if asynchronous:

        async def asleep(seconds: float) -> None:
            advance(seconds)
            await anyio.sleep(0)  # a checkpoint: other tasks run, a cancel is seen

        options.setdefault("sleep", asleep)
        client = AsyncClient(api_key=sb.api_key, transport=sb.async_transport(), **options)
        if "rate_limiter" not in options:
            # the async limiter waits with the client's sleep: on real time alone it would
            # spin, since that sleep returns at once; the sandbox's window runs on this clock
            client._limiter = RateLimiter(
                client.config.rate_limit_per_minute,
                notice_after=client.config.rate_limit_notice_after,
                clock=_sandbox_seconds(sb),
            )
    else:
        options.setdefault("sleep", advance)
        client = Client(api_key=sb.api_key, transport=sb.transport(), **options)
    client.sandbox = sb
    return client


def _sandbox_seconds(sb: Sandbox) -> Callable[[], float]:
    """Monotonic seconds that also count what ``sb.clock`` was advanced (as its own rate
    window counts them)."""
    mono0, when0 = time.monotonic(), sb.clock.now()

    def now() -> float:
        real = time.monotonic() - mono0
        advanced = (sb.clock.now() - when0).total_seconds()
        return real + advanced if sb.clock.frozen else max(real, advanced)

    return now


def _keyed_note(client: Client | AsyncClient) -> str:
    """Say truthfully where a keyed client's calls go and whether they spend real credits."""
    who = f"{client._credential_kind} {mask_secret(client._credential)}"
    if client.is_sandbox:
        return (
            f"Connected to a sandbox served at {client.base_url} ({who}): "
            "synthetic creators and play credits; nothing leaves this machine."
        )
    if is_loopback_url(client.base_url):
        return (
            f"Connected to a local server at {client.base_url} ({who}): not the API's own "
            "address; if it forwards to the Influencers Club API, calls spend real credits."
        )
    return f"Connected to the Influencers Club API at {client.base_url} ({who}): calls spend real credits."


def _in_notebook() -> bool:
    """In Jupyter, stdout shows as a normal cell output; elsewhere stderr keeps pipes clean."""
    return "ipykernel" in sys.modules
