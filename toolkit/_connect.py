"""``toolkit.connect()``: the real API when a key is set, otherwise the offline sandbox."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from toolkit._client import AsyncClient, Client
from toolkit._config import ENV_API_KEY, SANDBOX_BASE_URL, is_loopback_url, mask_secret

__all__ = ["connect"]


def connect(
    api_key: str | None = None,
    *,
    asynchronous: bool = False,
    sandbox: Mapping[str, Any] | None = None,
    quiet: bool = False,
    **client_options: Any,
) -> Client | AsyncClient:
    """A ready client, and one line saying which API it talks to.

    With ``api_key=``, ``access_token=`` or ``$INFLUENCERS_CLUB_API_KEY``: the real API
    (every paid call spends real credits). Otherwise: the in-process sandbox, a
    deterministic synthetic world with play credits, reachable as ``client.sandbox``
    (advance its clock, inject faults, top up credits). ``sandbox=`` passes options to
    ``Sandbox(...)`` (``seed``, ``creators``, ``credits``, ``trial`` ...).

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
        client_options.setdefault("base_url", SANDBOX_BASE_URL)
        if asynchronous:
            client = AsyncClient(
                api_key=sb.api_key, transport=sb.async_transport(), **client_options
            )
        else:
            client = Client(api_key=sb.api_key, transport=sb.transport(), **client_options)
        client.sandbox = sb
        note = (
            f"No {ENV_API_KEY} set: using the offline sandbox (synthetic creators, "
            f"{sb.credits:g} play credits; nothing leaves this machine)."
        )
    if not quiet:
        print(note, file=sys.stderr if not _in_notebook() else sys.stdout)
    return client


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
