"""The sandbox's knobs, and its choices where the sources disagree."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit._facts import MAX_REACHABLE
from toolkit._prices import PRICES

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Choices where the sources disagree and the sandbox's knobs."""

    #: First discovery page: 0 (newest vendor code) or 1 (the FAQ).
    page_base: int = 0
    #: ``credits_left`` as a string like ``"99.20"`` (docs) instead of a number (captures).
    credits_left_as_string: bool = False
    #: Requests per minute per account.
    rate_limit_per_minute: int = 300
    #: Only the first results of a discovery query are reachable.
    max_results: int = MAX_REACHABLE
    #: Email enrichment (and basic email batch row) price: the newest guide's 0.05; older
    #: docs say 0.1 for a basic batch row. Every other price is the client's default
    #: (``toolkit.credits.PRICES``, each operation's rule in ``toolkit._operations``).
    email_price: float = PRICES.email
    #: Price of a page of posts: 0.03; the newest MCP constant says 0.15.
    posts_price: float = PRICES.posts_page
    #: Send ``Retry-After`` on 429 (DRF does; the vendor does not document it).
    retry_after_header: bool = True
    #: Paid calls a trial account may make (``trial_searches_left`` starts here).
    trial_searches: int = 50
    #: Batch rows processed per second of sandbox clock (drives the state machine).
    batch_rows_per_second: float = 5.0
    #: Lifetime of OAuth access tokens and refresh tokens, seconds.
    oauth_access_ttl: int = 3600
    oauth_refresh_ttl: int = 30 * 86400
    #: Lifetime of a batch download link, seconds (example: 3600).
    download_ttl: int = 3600
