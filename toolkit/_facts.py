"""Facts both sides of the wire share: which platforms each operation takes, secret field
names, limits (the operations themselves are rows of ``toolkit._operations``).

One definition of each, read by the sandbox, the client's argument checks
(``toolkit._checks``), its request core (``toolkit._core``), the filters (``toolkit.filters``)
and the tables (``toolkit.frames``). Orders follow the API's own documentation of each
operation, because error messages list the choices in that order. This module imports
nothing of the toolkit, so either side may import it without pulling in the other.
"""

from __future__ import annotations

__all__ = [
    "AUDIENCE_PLATFORMS",
    "BATCH_PLATFORMS",
    "CONTENT_PLATFORMS",
    "DISCOVERY_MAX_LIMIT",
    "DISCOVERY_PLATFORMS",
    "EMAIL_PATTERN",
    "ENRICH_ANALYTICS_PLATFORMS",
    "ENRICH_FULL_PLATFORMS",
    "ENRICH_PLATFORMS",
    "ENV_API_KEY",
    "GROWTH_SORT_PLATFORMS",
    "LISTENING_CAMPAIGN_STATUSES",
    "LISTENING_CONTENT_ORDERING",
    "LISTENING_COUNTS",
    "LISTENING_CREATOR_ORDERING",
    "LISTENING_EVENT_TYPES",
    "LISTENING_PLATFORMS",
    "LISTENING_RATES",
    "LISTENING_SUBSCRIPTION_TYPES",
    "MAX_REACHABLE",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_ROWS",
    "PROFILE_HOSTS",
    "PROFILE_HOST_PREFIXES",
    "REQUEST_SECRET_FIELDS",
    "SANDBOX_KEY_PREFIX",
    "SANDBOX_LISTENING_RATE",
    "SECRET_FIELDS",
    "SIMILAR_PLATFORMS",
]

#: Discovery, dictionaries and exclusion lists: the six platforms the
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
#: Sorting discovery by ``growth_rate``.
GROWTH_SORT_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Posts and post details.
CONTENT_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Social listening subscriptions and campaigns.
LISTENING_PLATFORMS: tuple[str, ...] = AUDIENCE_PLATFORMS
#: Enrichment by handle (profile and raw tiers) and connected socials.
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
#: Batch enrichment: the discovery platforms, in the order the batch docs list them.
BATCH_PLATFORMS: tuple[str, ...] = (
    "instagram",
    "youtube",
    "tiktok",
    "twitter",
    "twitch",
    "onlyfans",
)

#: Field names whose values are credentials: never in a repr, log line, message, cache
#: file or table. The tables (``toolkit.frames``) drop them.
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

#: How every API key the sandbox issues begins; the real API never issues one like it, so a
#: client on a loopback address with such a key knows it talks to a served sandbox.
SANDBOX_KEY_PREFIX: str = "sk_sandbox_"
#: Profile URL hosts per platform (PROFILE_HOST_PREFIXES stripped before a lookup).
PROFILE_HOSTS: dict[str, str] = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "twitch.tv": "twitch",
    "onlyfans.com": "onlyfans",
}
#: Subdomains stripped from a profile URL's host before looking it up in PROFILE_HOSTS.
PROFILE_HOST_PREFIXES: tuple[str, ...] = ("www.", "m.", "mobile.", "vm.")
#: Discovery answers at most this many creators per search, however it is paged.
MAX_REACHABLE: int = 10_000
#: Discovery (search and similar creators) answers at most this many creators per page.
DISCOVERY_MAX_LIMIT: int = 50
#: A batch upload holds at most this many rows and bytes (docs/jobs.md, "Limits").
MAX_UPLOAD_ROWS: int = 10_000
MAX_UPLOAD_BYTES: int = 10 * 1024 * 1024
#: What the API takes as an email address: ``x@y.z`` (no space, one ``@``, a dot after it).
EMAIL_PATTERN: str = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
#: The environment variable holding the API key (connect() uses the real API when it is set).
ENV_API_KEY: str = "INFLUENCERS_CLUB_API_KEY"

# ---------------------------------------------------------------- social listening
#: Event types of the listening API, in the API's order (``event_types=``, ``type=``).
LISTENING_EVENT_TYPES: tuple[str, ...] = ("new_post", "bio_change", "follower_threshold")
#: Kinds of subscription (the subscriptions list's ``type=`` filter).
LISTENING_SUBSCRIPTION_TYPES: tuple[str, ...] = ("handles", "discovery_list", "campaign")
#: Campaign statuses (the campaigns list's ``status=`` filter).
LISTENING_CAMPAIGN_STATUSES: tuple[str, ...] = ("active", "paused", "completed", "archived")
#: A campaign's counters and rates (per creator, per post, per day).
LISTENING_COUNTS: tuple[str, ...] = ("views", "likes", "comments", "shares", "engagement")
LISTENING_RATES: tuple[str, ...] = ("er_percent", "emv")
#: What a campaign's creators list sorts by (``ordering=``, ``-`` for descending).
LISTENING_CREATOR_ORDERING: tuple[str, ...] = (
    "posts",
    *LISTENING_COUNTS,
    *LISTENING_RATES,
    "followers",
    "handle",
    "full_name",
    "last_post_at",
)
#: What a campaign's content feed sorts by (``ordering=``, default ``-published_at``).
LISTENING_CONTENT_ORDERING: tuple[str, ...] = (
    "published_at",
    "detected_at",
    *LISTENING_COUNTS,
    *LISTENING_RATES,
)
#: The sandbox's listening price: credits per creator per day a subscription watches. The
#: API documents no rate (each subscription reports its ``daily_cost``), so the client prices
#: a create from the account's subscriptions, a setting, or on the sandbox this figure.
SANDBOX_LISTENING_RATE: float = 0.01
