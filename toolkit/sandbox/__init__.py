"""Offline simulator of the Influencers Club API: a deterministic world behind the real paths.

Every operation of the API (docs/api.md) answers with the documented
shapes, charges credits only when data returns, rate-limits, and can inject faults. Use it
in-process (an httpx transport, no port) or as a real HTTP server on 127.0.0.1.

In Python::

    from toolkit.sandbox import Sandbox
    sb = Sandbox(seed=7, creators=5000, credits=1000)
    http = httpx.Client(transport=sb.transport(), base_url="https://sandbox.invalid",
                        headers={"Authorization": f"Bearer {sb.api_key}"})
    http.get("/public/v1/accounts/credits/").json()
    with sb.serve() as base_url:          # loopback server for any HTTP client
        ...

From a shell (prints the base URL, a sandbox API key and a curl line)::

    python -m toolkit.sandbox --port 8765 --seed 7
    curl -s -H "Authorization: Bearer $KEY" http://127.0.0.1:8765/public/v1/accounts/credits/
    curl -s -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\
         -d '{"platform": "instagram", "paging": {"limit": 5, "page": 0}}' \\
         http://127.0.0.1:8765/public/v1/discovery/

The sandbox imports nothing of the client: it is the other side of the wire.
"""

from . import _persist as persist  # the command line's sandbox kept in the store
from ._app import Sandbox, Settings
from ._clock import Clock
from ._transport import AsyncSandboxTransport, SandboxTransport

__all__ = ["AsyncSandboxTransport", "Clock", "Sandbox", "SandboxTransport", "Settings", "persist"]
