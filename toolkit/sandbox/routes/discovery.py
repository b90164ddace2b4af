"""``POST /public/v1/discovery/`` and ``POST /public/v1/discovery/creators/similar/``
: filter, rank and page the platform's creators.

Matching lives in :mod:`..world.search` (what each filter means) and :mod:`..world.index`
(per-platform indexes and the filter plan compiled once per search);
this module checks the request, applies exclusions and bills 0.01 per account returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from toolkit._facts import (
    DISCOVERY_PLATFORMS,
    SIMILAR_PLATFORMS,
)
from toolkit._prices import PRICES

from .._http import Request, Router
from ..world import Creator, World
from ..world.audiences import rank_similar, similarity
from ..world.index import Plan
from ..world.search import Match, sort_rows
from ._common import (
    charge,
    choice_field,
    find_creator,
    json_body,
    require_platform,
    text_field,
)
from ._discovery_request import check_sort, clean_filters, paging_window

router = Router()

SIMILAR_MIN_SCORE = 0.5  # below this a creator is not "similar" (niche must match)


@router.op("discovery_search")
def discovery_search(ctx: Any, req: Request) -> dict[str, Any]:
    """filter, rank and page the platform's creators; 0.01 per account returned."""
    body = json_body(req)
    platform = require_platform(body, DISCOVERY_PLATFORMS)
    offset, limit = paging_window(body, ctx.settings.page_base, ctx.settings.max_results)
    sort_by, order = check_sort(platform, body)
    filters = clean_filters(platform, body.get("filters"))
    world: World = ctx.world
    now = ctx.clock.now()
    excluded = excluded_handles(world, ctx.account, platform, filters)
    plan = Plan(world, platform, now, filters, excluded)
    stop = min(offset + limit, ctx.settings.max_results)
    if filters.get("similar_to"):  # likeness changes every score: rank all matches
        rows = _similar_to(world, platform, filters["similar_to"], plan.rows())
        total, page = len(rows), sort_rows(rows, sort_by, order)[offset:stop]
    else:
        total, page = plan.page(sort_by, order, offset, stop)
    accounts = [account_row(world, c, now) for _s, c in page]
    cost = charge(ctx, PRICES.per_creator * len(accounts))
    remember_returned(ctx.account, platform, [c for _s, c in page])
    return {"total": total, "limit": limit, "accounts": accounts, **ctx.envelope(cost)}


def _similar_to(world: World, platform: str, handles: list[str], rows: list) -> list:
    """``similar_to``: keep creators like any of the given ones, likeness first."""
    refs = [c for c in (world.lookup(platform, h) for h in handles) if c is not None]
    out = []
    for score, c in rows:
        if any(c is r for r in refs):
            continue
        best = max((similarity(r, c) for r in refs), default=0.0)
        if best >= SIMILAR_MIN_SCORE:
            out.append((score + best * 1000, c))
    return out


@router.op("discovery_similar_creators")
def discovery_similar_creators(ctx: Any, req: Request) -> dict[str, Any]:
    """creators like a reference creator, most similar first; 0.01 per account."""
    body = json_body(req)
    # twitter has no similar-creators schema: refused like any other bad choice
    platform = require_platform(body, SIMILAR_PLATFORMS)
    choice_field(body, "filter_key", ("url", "username", "id"), "")
    value = text_field(body, "filter_value")
    offset, limit = paging_window(body, ctx.settings.page_base, ctx.settings.max_results)
    filters = clean_filters(platform, body.get("filters"))
    world: World = ctx.world
    now = ctx.clock.now()
    ref = find_creator(world, platform, value)
    m = Match(world, now, filters, excluded_handles(world, ctx.account, platform, filters))
    rows = [
        (s, c)
        for s, c in rank_similar(world, ref, min_score=SIMILAR_MIN_SCORE)
        if (not m.terms or m.ai_score(c) > 0) and m.accepts(c)
    ]
    page = rows[offset : min(offset + limit, ctx.settings.max_results)]
    accounts = [{**account_row(world, c, now), "similarity_score": s} for s, c in page]
    cost = charge(ctx, PRICES.per_creator * len(accounts))
    return {"total": len(rows), "limit": limit, "accounts": accounts, **ctx.envelope(cost)}


def account_row(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """One ``accounts[]`` item (YouTube adds ``id`` and an "@" username)."""
    profile: dict[str, Any] = {"full_name": c.full_name}
    if c.platform == "youtube":
        profile["username"] = "@" + c.username
        profile["id"] = c.id
    else:
        profile["username"] = c.username
    profile["picture"] = world.picture_url(c, now)
    profile["followers"] = c.followers
    profile["engagement_percent"] = c.engagement_percent
    return {"user_id": c.uc_id, "profile": profile}


def excluded_handles(
    world: World, account: Any, platform: str, filters: Mapping[str, Any]
) -> set[str]:
    """Handles removed by ``exclude_handles`` and the exclusion-list filters.

    List ids the account does not own, or of another platform, are ignored silently.
    """
    out = {world.normalize_handle(h) for h in filters.get("exclude_handles", [])}
    lists = getattr(account, "exclusion_lists", {}) or {}
    wanted = set(filters.get("exclude_list", []))
    for list_id in sorted(lists):
        lst = lists[list_id]
        if getattr(lst, "platform", None) != platform:
            continue
        if (
            list_id in wanted
            or filters.get("exclude_all_lists")
            or (filters.get("exclude_default_list") and getattr(lst, "is_default", False))
        ):
            out.update(world.normalize_handle(h) for h in getattr(lst, "handles", ()))
    if filters.get("exclude_previous") and account is not None:
        seen = getattr(account, "state", {}).get("sandbox_discovery_returned", {})
        out.update(seen.get(platform, ()))
    return out


def remember_returned(account: Any, platform: str, creators: list[Creator]) -> None:
    """Note what discovery returned to the account (for ``exclude_previous``)."""
    state = getattr(account, "state", None)
    if isinstance(state, dict):
        seen = state.setdefault("sandbox_discovery_returned", {}).setdefault(platform, set())
        seen.update(c.username for c in creators)
