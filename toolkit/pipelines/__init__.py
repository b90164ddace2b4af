"""Load creators, audiences and campaigns into a warehouse with dlt (docs/pipelines.md).

Optional: ``pip install 'influencers-club-toolkit[pipelines]'`` brings dlt. Every request
goes through the toolkit's client (cache, budget, rate limiter, ledger, journal), so a
nightly run pays only for what is new.
"""

from __future__ import annotations

import os

# dlt reports anonymous usage to its makers unless told not to; the toolkit sends nothing
# anywhere but the API on the analyst's behalf, so it is off unless the user set it
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

try:
    import dlt  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "toolkit.pipelines needs dlt: pip install 'influencers-club-toolkit[pipelines]' "
        "(docs/pipelines.md)"
    ) from exc

from ._run import RunSummary, run
from ._source import source

__all__ = ["RunSummary", "run", "source"]
