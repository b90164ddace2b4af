"""Facts both sides of the wire share: which platforms each operation takes, secret field names.

One definition of each, read by the sandbox, the client's argument checks
(``toolkit._checks``), its request core (``toolkit._core``), the filters (``toolkit.filters``)
and the tables (``toolkit.frames``). Orders follow the API's own documentation of each
operation, because error messages list the choices in that order. This module imports
nothing, so either side may import it without pulling in the other.
"""

from __future__ import annotations

__all__ = [
    "AUDIENCE_PLATFORMS",
    "BATCH_PLATFORMS",
    "CONTENT_PLATFORMS",
    "DISCOVERY_PLATFORMS",
    "ENRICH_ANALYTICS_PLATFORMS",
    "ENRICH_FULL_PLATFORMS",
    "ENRICH_PLATFORMS",
    "GROWTH_SORT_PLATFORMS",
    "LISTENING_PLATFORMS",
    "REQUEST_SECRET_FIELDS",
    "SECRET_FIELDS",
    "SIMILAR_PLATFORMS",
]

#: Discovery, dictionaries and exclusion lists (REFERENCE.md §3.5): the six platforms the
#: synthetic world holds creators on.
DISCOVERY_PLATFORMS: tuple[str, ...] = (
    "instagram",
    "youtube",
    "tiktok",
    "twitch",
    "twitter",
    "onlyfans",
)
#: Similar creators: discovery's platforms without twitter.
SIMILAR_PLATFORMS: tuple[str, ...] = tuple(p for p in DISCOVERY_PLATFORMS if p != "twitter")
#: Platforms with audience data: audience overlap and the audience filters.
AUDIENCE_PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube")
#: Sorting discovery by ``growth_rate`` (§4.1).
GROWTH_SORT_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Posts and post details (§9).
CONTENT_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Social listening subscriptions and campaigns (§12).
LISTENING_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Enrichment by handle (profile and raw tiers) and connected socials (§10).
ENRICH_PLATFORMS: tuple[str, ...] = (
    "instagram",
    "youtube",
    "tiktok",
    "onlyfans",
    "twitter",
    "snapchat",
    "discord",
    "pinterest",
    "facebook",
    "linkedin",
    "twitch",
)
#: Full enrichment: every enrichment platform but linkedin.
ENRICH_FULL_PLATFORMS: tuple[str, ...] = tuple(p for p in ENRICH_PLATFORMS if p != "linkedin")
#: Analytics enrichment: the discovery platforms.
ENRICH_ANALYTICS_PLATFORMS: tuple[str, ...] = DISCOVERY_PLATFORMS
#: Batch enrichment (§11): the discovery platforms, in the order the batch docs list them.
BATCH_PLATFORMS: tuple[str, ...] = (
    "instagram",
    "youtube",
    "tiktok",
    "twitter",
    "twitch",
    "onlyfans",
)

#: Field names whose values are credentials: never in a repr, log line, message, cache
#: file or table (REFERENCE.md §13). The tables (``toolkit.frames``) drop them.
SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "access_token",
        "api_key",
        "authorization",
        "client_secret",
        "code_verifier",
        "password",
        "refresh_token",
        "subject_token",
        "token",
    }
)
#: What the request core keeps out of ``Result.params``, the ledger and messages: in a
#: request, ``code`` is OAuth's authorization code too (in an answer's tables it is a
#: country or language code, and stays).
REQUEST_SECRET_FIELDS: frozenset[str] = SECRET_FIELDS | {"code"}
