"""Discovery and similar-creator pages, audience overlap, connected socials, email match."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import build
from ._common import as_int, items, obj, param
from ._gcpause import gc_paused
from ._registry import declare
from ._tables import Tables

__all__ = ["discovery", "email_match", "overlap", "similar", "socials"]

_ACCOUNT_COLUMNS = [
    ("rank", pl.Int64),
    ("position", pl.Int64),
    ("platform", pl.Categorical),
    ("user_id", pl.String),
    ("username", pl.String),
    ("full_name", pl.String),
    ("followers", pl.Int64),
    ("engagement_percent", pl.Float64),
    ("picture", pl.String),
]
DISCOVERY = declare(
    "discovery.accounts",
    "one creator of a discovery page, in ranking order",
    _ACCOUNT_COLUMNS,
)
SIMILAR = declare(
    "similar.accounts",
    "one creator similar to the reference creator, in relevance order",
    [*_ACCOUNT_COLUMNS, ("similarity_score", pl.Float64)],
)
OVERLAP_CREATORS = declare(
    "overlap.creators",
    "one compared creator: followers and the unique/overlapping share",
    [
        ("platform", pl.Categorical),
        ("user_id", pl.String),
        ("username", pl.String),
        ("full_name", pl.String),
        ("url", pl.String),
        ("followers", pl.Int64),
        ("is_verified", pl.Boolean),
        ("engagements", pl.Int64),
        # named "percentage" by the API, but fractions: 0.96 is 96 %
        ("unique_percentage", pl.Float64, "share, fraction 0-1 (not percent, despite the name)"),
        (
            "overlapping_percentage",
            pl.Float64,
            "share, fraction 0-1 (not percent, despite the name)",
        ),
    ],
)
OVERLAP_STATS = declare(
    "overlap.stats",
    "engagements of one compared creator for one post type (all, reels, ...)",
    [
        ("platform", pl.Categorical),
        ("user_id", pl.String),
        ("username", pl.String),
        ("post_type", pl.Categorical),
        ("engagements", pl.Int64),
    ],
)
OVERLAP_TOTALS = declare(
    "overlap.totals",
    "the comparison as a whole: summed and deduplicated reach",
    [
        ("platform", pl.Categorical),
        ("creators", pl.Int64),
        ("total_followers", pl.Int64),
        ("total_unique_followers", pl.Int64),
        ("status", pl.Boolean),
        ("success", pl.Boolean),
        ("credits_cost", pl.Float64),
        ("credits_left", pl.Float64),
    ],
)
SOCIALS = declare(
    "socials.accounts",
    "one verified account linked to the queried creator",
    [
        ("platform", pl.Categorical),
        ("user_id", pl.String),
        ("username", pl.String),
        ("full_name", pl.String),
        ("follower_count", pl.Int64),
        ("engagement_percent", pl.Float64),
        ("is_verified", pl.Boolean),
        ("url", pl.String),
        ("profile_picture", pl.String),
        ("has_link_in_bio", pl.Boolean),
        ("links_in_bio", pl.List(pl.String)),
        ("speaking_language", pl.String),
        ("has_brand_deals", pl.Boolean),
        ("is_business", pl.Boolean),
        ("is_creator", pl.Boolean),
        ("location", pl.String),
        ("gender", pl.String),
    ],
)
EMAIL_MATCH = declare(
    "email.match",
    "the creator found for an email address, on their biggest platform",
    [
        ("email", pl.String),
        ("platform", pl.Categorical),
        ("user_id", pl.String),
        ("username", pl.String),
        ("full_name", pl.String),
        ("followers", pl.Int64),
        ("url", pl.String),
        ("picture", pl.String),
    ],
)


def _offset(params: Mapping[str, Any] | None) -> int:
    """Rows before this page: page × limit, pages 0-based."""
    page, limit = as_int(param(params, "page")), as_int(param(params, "limit"))
    if page is None or limit is None:
        return 0
    return max(page, 0) * max(limit, 0)


def _accounts(spec: Any, body: Any, params: Mapping[str, Any] | None) -> pl.DataFrame:
    # A bare account object (samples/discovery-youtube-1.json) is read as a page of one.
    accounts = [body] if type(body) is dict and "profile" in body else items(body, "accounts")
    platform = param(params, "platform")
    offset = _offset(params)
    rows = []
    for i, acct in enumerate(accounts, start=1):
        if type(acct) is not dict:
            rows.append(acct)  # build() skips it with a warning
            continue
        profile = acct.get("profile")
        row = {"rank": offset + i, "position": i, "platform": platform}
        if type(profile) is dict:
            row.update(profile)
        elif profile is not None:
            row["profile"] = profile
        row.update((k, v) for k, v in acct.items() if k != "profile")
        rows.append(row)
    return build(spec, rows)


@gc_paused
def discovery(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A discovery page (``POST /public/v1/discovery/``) as one row per creator.

    ``rank`` is the position across pages (``page × limit + position`` when ``params``
    carry paging; pages read as 0-based), ``platform`` comes from ``params``.

    Example:
        >>> discovery({"accounts": [{"user_id": "1", "profile": {"username": "a"}}]}).height
        1
    """
    return _accounts(DISCOVERY, body, params)


@gc_paused
def similar(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A similar-creators page as one row per creator with ``similarity_score``."""
    return _accounts(SIMILAR, body, params)


def overlap(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Audience overlap as ``creators`` (one row each), ``stats`` and ``totals`` (one row)."""
    body = obj(body)
    platform = param(params, "platform")
    creators, stats = [], []
    details = items(body.get("details"))
    for d in details:
        if type(d) is not dict:
            creators.append(d)
            continue
        user = obj(d.get("user"))
        row = {"platform": platform}
        row.update((k, v) for k, v in user.items() if k != "stats")
        row.update((k, v) for k, v in d.items() if k != "user")
        if "full_name" not in row and "fullname" in row:
            row["full_name"] = row.pop("fullname")
        creators.append(row)
        key = {"platform": platform, "user_id": row.get("user_id"), "username": row.get("username")}
        for s in items(user.get("stats")):
            stats.append({**key, **s} if type(s) is dict else s)
    basics = obj(body.get("basics"))
    totals = {k: v for k, v in body.items() if k not in ("basics", "details")}
    totals.update(basics)
    totals.update(platform=platform, creators=len([d for d in details if type(d) is dict]))
    return Tables(
        {
            "creators": build(OVERLAP_CREATORS, creators),
            "stats": build(OVERLAP_STATS, stats),
            "totals": build(OVERLAP_TOTALS, [totals] if body else []),
        }
    )


# Docs skeletons spell these differently from the real capture.
_SOCIAL_ALIASES = {
    "fullname": "full_name",
    "followers": "follower_count",
    "picture": "profile_picture",
}


def socials(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Connected socials (``POST /public/v1/creators/socials/``): one row per linked account."""
    rows = []
    for acct in items(obj(body).get("result") if type(body) is dict else body, "result"):
        if type(acct) is not dict:
            rows.append(acct)
            continue
        row = {}
        for k, v in acct.items():
            canon = _SOCIAL_ALIASES.get(k, k)
            if canon != k and acct.get(canon) is not None:
                continue  # both spellings present: the captured one wins
            row[canon] = v
        rows.append(row)
    return build(SOCIALS, rows)


def email_match(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Enrich-by-email result (camelCase ``userId``, ``fullname``) as one row."""
    result = obj(obj(body).get("result"))
    if not result:
        return EMAIL_MATCH.empty()
    row = {"email": param(params, "email")}
    renames = {"userId": "user_id", "fullname": "full_name"}
    row.update((renames.get(k, k), v) for k, v in result.items())
    return build(EMAIL_MATCH, [row])
