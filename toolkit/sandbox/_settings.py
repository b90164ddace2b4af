"""The sandbox's knobs, and its choices where the sources disagree (REFERENCE.md §15/§16)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Choices where the sources disagree (REFERENCE.md §15/§16) and the sandbox's knobs."""

    #: First discovery page: 0 (newest vendor code) or 1 (the FAQ) — §15 #1.
    page_base: int = 0
    #: ``credits_left`` as a string like ``"99.20"`` (docs) instead of a number (captures).
    credits_left_as_string: bool = False
    #: Requests per minute per account (§2).
    rate_limit_per_minute: int = 300
    #: Only the first results of a discovery query are reachable (§3.1).
    max_results: int = 10000
    #: Email enrichment price (§15 #3) and posts price per page (§15 #4).
    email_price: float = 0.05
    posts_price: float = 0.03
    #: Send ``Retry-After`` on 429 (DRF does; the vendor does not document it, §2).
    retry_after_header: bool = True
    #: Paid calls a trial account may make (``trial_searches_left`` starts here).
    trial_searches: int = 50
    #: Batch rows processed per second of sandbox clock (§11; drives the state machine).
    batch_rows_per_second: float = 5.0
    #: Lifetime of OAuth access tokens and refresh tokens, seconds (§13.3).
    oauth_access_ttl: int = 3600
    oauth_refresh_ttl: int = 30 * 86400
    #: Lifetime of a batch download link, seconds (§11.4 example: 3600).
    download_ttl: int = 3600
