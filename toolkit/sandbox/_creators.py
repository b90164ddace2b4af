"""Route handlers for the creator-data operations, over the synthetic world.

Discovery and similar creators (REFERENCE.md §4, §5), audience overlap (§6), the nine
dictionaries (§8), connected socials (§9), enrichment by handle and by email (§10) and
creator content (§12). Payloads are built in ``_creators_discovery``, ``_creators_enrich``
and ``_creators_content``; this module checks requests, bills and shapes the envelope.

Billing follows §2: ``ctx.charge`` only when data comes back, after the payload is built.
Envelopes follow the captures (§17): discovery, similar and overlap carry
``credits_left``; enrichment, socials and content carry ``credits_cost`` (and
``trial_searches_left`` on trial accounts) only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from toolkit.filters import PLATFORMS, SIMILAR_PLATFORMS

from . import _dictionaries as D
from . import _prices
from ._creators_content import (
    CONTENT_PLATFORMS,
    COUNT_RULES,
    comments_page,
    details_data,
    make_token,
    post_item,
    post_page,
    read_token,
    transcript,
)
from ._creators_discovery import (
    Match,
    account_row,
    bad_request,
    check_sort,
    clean_filters,
    excluded_handles,
    match,
    paging_window,
    remember_returned,
    require_platform,
    sort_rows,
)
from ._creators_enrich import (
    ANALYTICS_PLATFORMS,
    FULL_PLATFORMS,
    PROFILE_PLATFORMS,
    email_result,
    enrich_result,
)
from ._http import ApiError, Request, Router
from ._world import Creator, World, _h64
from ._world_audience import AUDIENCE_PLATFORMS, overlap, rank_similar, similarity

__all__ = ["email_result", "enrich_result", "router"]

router = Router()

NO_DATA = {"detail": "No data found."}
DICTIONARY_PAGE = 50  # offset paging returns a fixed page (§8: no page size documented)
SIMILAR_MIN_SCORE = 0.5  # below this a creator is not "similar" (niche must match)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ----------------------------------------------------------------------------- helpers
def _body(req: Request) -> dict[str, Any]:
    data = req.json()
    if not isinstance(data, dict):
        raise bad_request(
            ("non_field_errors",),
            f"Invalid data. Expected a dictionary, but got {type(data).__name__}.",
        )
    return data


def _text(body: Mapping[str, Any], name: str, max_len: int = 200) -> str:
    value = body.get(name)
    if value is None or value == "":
        raise bad_request((name,), "This field is required.")
    if not isinstance(value, str):
        raise bad_request((name,), "Not a valid string.")
    if len(value) > max_len:
        raise bad_request((name,), f"Ensure this field has no more than {max_len} characters.")
    return value


def _bool(body: Mapping[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")  # DRF BooleanField accepts these strings
    raise bad_request((name,), "Must be a valid boolean.")


def _choice(body: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(name) or default
    if value not in allowed:
        raise bad_request((name,), f'"{value}" is not a valid choice.')
    return value


def _find(world: World, platform: str, handle: str) -> Creator:
    creator = world.lookup(platform, handle)
    if creator is None:
        raise ApiError(404, dict(NO_DATA))
    return creator


def _cost_only(ctx: Any, cost: float) -> dict[str, Any]:
    """Envelope without ``credits_left`` (enrichment/socials/content captures)."""
    return {k: v for k, v in ctx.envelope(cost).items() if k != "credits_left"}


def _charge(ctx: Any, cost: float) -> float:
    cost = round(cost, 4)
    if cost > 0:
        ctx.charge(cost)
    return cost


# ----------------------------------------------------------------------------- discovery
@router.route("POST", "/public/v1/discovery/", name="discovery_search")
def discovery_search(ctx: Any, req: Request) -> dict[str, Any]:
    """§4: filter, rank and page the platform's creators; 0.01 per account returned."""
    body = _body(req)
    platform = require_platform(body, PLATFORMS)
    offset, limit = paging_window(body, ctx.settings.page_base, ctx.settings.max_results)
    sort_by, order = check_sort(platform, body)
    filters = clean_filters(platform, body.get("filters"))
    world: World = ctx.world
    now = ctx.clock.now()
    excluded = excluded_handles(world, ctx.account, platform, filters)
    rows = match(world, now, world.on(platform), filters, excluded)
    if filters.get("similar_to"):
        rows = _similar_to(world, platform, filters["similar_to"], rows)
    rows = sort_rows(rows, sort_by, order)
    page = rows[offset : min(offset + limit, ctx.settings.max_results)]
    accounts = [account_row(world, c, now) for _s, c in page]
    cost = _charge(ctx, _prices.DISCOVERY_PER_CREATOR * len(accounts))
    remember_returned(ctx.account, platform, [c for _s, c in page])
    return {"total": len(rows), "limit": limit, "accounts": accounts, **ctx.envelope(cost)}


def _similar_to(world: World, platform: str, handles: list[str], rows: list) -> list:
    """``similar_to`` (§4.3): keep creators like any of the given ones, likeness first."""
    refs = [c for c in (world.lookup(platform, h) for h in handles) if c is not None]
    out = []
    for score, c in rows:
        if any(c is r for r in refs):
            continue
        best = max((similarity(r, c) for r in refs), default=0.0)
        if best >= SIMILAR_MIN_SCORE:
            out.append((score + best * 1000, c))
    return out


@router.route("POST", "/public/v1/discovery/creators/similar/", name="discovery_similar_creators")
def discovery_similar_creators(ctx: Any, req: Request) -> dict[str, Any]:
    """§5: creators like a reference creator, most similar first; 0.01 per account."""
    body = _body(req)
    # twitter has no similar-creators schema (§15 #10): refused like any other bad choice
    platform = require_platform(body, SIMILAR_PLATFORMS)
    _choice(body, "filter_key", ("url", "username", "id"), "")
    value = _text(body, "filter_value")
    offset, limit = paging_window(body, ctx.settings.page_base, ctx.settings.max_results)
    filters = clean_filters(platform, body.get("filters"))
    world: World = ctx.world
    now = ctx.clock.now()
    ref = _find(world, platform, value)
    m = Match(world, now, filters, excluded_handles(world, ctx.account, platform, filters))
    rows = [
        (s, c)
        for s, c in rank_similar(world, ref, min_score=SIMILAR_MIN_SCORE)
        if (not m.terms or m.ai_score(c) > 0) and m.accepts(c)
    ]
    page = rows[offset : min(offset + limit, ctx.settings.max_results)]
    accounts = [{**account_row(world, c, now), "similarity_score": s} for s, c in page]
    cost = _charge(ctx, _prices.SIMILAR_PER_CREATOR * len(accounts))
    return {"total": len(rows), "limit": limit, "accounts": accounts, **ctx.envelope(cost)}


# ----------------------------------------------------------------------------- overlap
@router.route("POST", "/public/v1/creators/audience/overlap/", name="audience_overlap")
def audience_overlap(ctx: Any, req: Request) -> dict[str, Any]:
    """§6: shared and unique followers of 2-10 creators; 1 credit per request."""
    body = _body(req)
    platform = require_platform(body, AUDIENCE_PLATFORMS)
    handles = body.get("creators")
    if handles is None:
        raise bad_request(("creators",), "This field is required.")
    if not isinstance(handles, list) or not all(isinstance(h, str) for h in handles):
        raise bad_request(
            ("creators",), f'Expected a list of items but got type "{type(handles).__name__}".'
        )
    if not 2 <= len(handles) <= 10:
        raise bad_request(
            ("creators",),
            "Ensure this field has at least 2 elements."
            if len(handles) < 2
            else "Ensure this field has no more than 10 elements.",
        )
    world: World = ctx.world
    creators: list[Creator] = []
    for handle in handles:
        c = _find(world, platform, handle)
        if all(c is not x for x in creators):
            creators.append(c)
    if len(creators) < 2:
        raise bad_request(("creators",), "Give at least 2 different creators.")
    total_unique, shares = overlap(world, creators)
    details = []
    for c, unique in zip(creators, shares, strict=True):
        eng = int(c.followers * c.engagement_percent / 100)
        second = {"instagram": "reels", "tiktok": "videos", "youtube": "shorts"}[platform]
        user = {
            "user_id": c.id,
            "username": c.username,
            "followers": c.followers,
            "fullname": c.full_name,
            "url": c.url,
            "is_verified": c.is_verified,
            "engagements": eng,
            "stats": [
                {"post_type": "all", "engagements": eng},
                {"post_type": second, "engagements": int(eng * 0.7)},
            ],
        }
        # fractions 0-1 that add up to 1, as in the capture (the docs' example used 0-100)
        u = round(unique, 6)
        details.append(
            {
                "user": user,
                "user_id": c.id,
                "username": c.username,
                "followers": c.followers,
                "unique_percentage": u,
                "overlapping_percentage": round(1 - u, 6),
            }
        )
    cost = _charge(ctx, _prices.OVERLAP)
    env = ctx.envelope(cost)
    out = {
        "credits_cost": env["credits_cost"],
        "credits_left": env["credits_left"],
        "status": True,
        "success": True,
        "basics": {
            "total_followers": sum(c.followers for c in creators),
            "total_unique_followers": total_unique,
        },
        "details": details,
    }
    if "trial_searches_left" in env:
        out["trial_searches_left"] = env["trial_searches_left"]
    return out


# ----------------------------------------------------------------------------- dictionaries
def _offset(req: Request) -> int:
    raw = req.arg("offset")
    if raw in (None, ""):
        return 0
    if not raw.isdigit():
        raise bad_request(("offset",), "A valid integer is required.")
    return int(raw)


def _search(req: Request, items: list, text) -> list:
    term = (req.arg("search") or "").strip().lower()
    return [x for x in items if term in text(x).lower()] if term else items


def _paged(req: Request, items: list, limit: int = DICTIONARY_PAGE) -> list:
    start = _offset(req)
    return items[start : start + limit]


@router.route("GET", "/public/v1/discovery/classifier/languages/", name="dictionary_languages")
def dictionary_languages(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: every language (no query parameters)."""
    return [{"language": name, "abbreviation": code} for name, code in D.LANGUAGES]


@router.route(
    "GET", "/public/v1/discovery/classifier/locations/{platform}/", name="dictionary_locations"
)
def dictionary_locations(ctx: Any, req: Request, platform: str) -> list[str]:
    """§8: location strings of a platform; ``search``, ``offset`` and ``limit``."""
    if platform not in PLATFORMS:
        raise ApiError(404, {"detail": "Not found."})
    raw = req.arg("limit")
    limit = DICTIONARY_PAGE
    if raw not in (None, ""):
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            raise bad_request(("limit",), "Ensure this value is between 1 and 1000.")
        limit = int(raw)
    return _paged(req, _search(req, D.locations_for(platform), str), limit)


@router.route("GET", "/public/v1/discovery/classifier/brands/", name="dictionary_brands")
def dictionary_brands(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: brands ``{full_name, cleaned, username}``; ``search`` and ``offset``."""
    items = [
        {"full_name": b.full_name, "cleaned": b.cleaned, "username": b.username}
        for b in sorted(D.BRANDS, key=lambda b: b.cleaned)
    ]
    return _paged(req, _search(req, items, lambda x: f"{x['full_name']} {x['username']}"))


@router.route("GET", "/public/v1/discovery/classifier/yt-topics/", name="dictionary_yt_topics")
def dictionary_yt_topics(ctx: Any, req: Request) -> list[dict[str, Any]]:
    """§8: YouTube topics with their sub-topics."""
    return D.yt_topics()


@router.route("GET", "/public/v1/discovery/classifier/games/", name="dictionary_games")
def dictionary_games(ctx: Any, req: Request) -> list[str]:
    """§8: Twitch game names (strings, §15 #12)."""
    return list(D.GAMES)


@router.route(
    "GET",
    "/public/v1/discovery/classifier/audience-brand-categories/",
    name="dictionary_audience_brand_categories",
)
def dictionary_audience_brand_categories(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: ``[{name}]`` with ``search`` and ``offset``."""
    return _paged(
        req, _search(req, [{"name": n} for n in D.brand_categories()], lambda x: x["name"])
    )


@router.route(
    "GET",
    "/public/v1/discovery/classifier/audience-brand-names/",
    name="dictionary_audience_brand_names",
)
def dictionary_audience_brand_names(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: ``[{name}]`` with ``search`` and ``offset``."""
    names = sorted({b.full_name for b in D.BRANDS}, key=str.lower)
    return _paged(req, _search(req, [{"name": n} for n in names], lambda x: x["name"]))


@router.route(
    "GET",
    "/public/v1/discovery/classifier/audience-interests/",
    name="dictionary_audience_interests",
)
def dictionary_audience_interests(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: ``[{name}]`` with ``search`` and ``offset``."""
    return _paged(
        req, _search(req, [{"name": n} for _i, n in D.AUDIENCE_INTERESTS], lambda x: x["name"])
    )


@router.route(
    "GET",
    "/public/v1/discovery/classifier/audience-locations/",
    name="dictionary_audience_locations",
)
def dictionary_audience_locations(ctx: Any, req: Request) -> list[dict[str, str]]:
    """§8: ``[{name, type}]`` (country/state/city) with ``search`` and ``offset``."""
    return _paged(req, _search(req, D.audience_locations(), lambda x: x["name"]))


# ----------------------------------------------------------------------------- socials
@router.route("POST", "/public/v1/creators/socials/", name="connected_socials")
def connected_socials(ctx: Any, req: Request) -> dict[str, Any]:
    """§9: the creator's accounts on every platform (captured key names); 0.5."""
    body = _body(req)
    platform = require_platform(body, PROFILE_PLATFORMS)
    world: World = ctx.world
    creator = _find(world, platform, _text(body, "handle"))
    now = ctx.clock.now()
    result = []
    for c in world.connected(creator):
        yt = c.platform == "youtube"
        result.append(
            {
                "platform": c.platform,
                "url": c.url,
                "user_id": c.id,
                "username": "@" + c.username if yt else c.username,
                "full_name": c.full_name,
                "follower_count": c.followers,
                "profile_picture": world.picture_url(c, now),
                "engagement_percent": c.engagement_percent,
                "is_verified": c.is_verified,
                "has_link_in_bio": bool(c.links_in_bio),
                "links_in_bio": c.links_in_bio,
                "speaking_language": c.language,
                "has_brand_deals": c.has_brand_deals,
                "is_business": c.is_business,
                "is_creator": not c.is_business,
                "location": c.location,
                "gender": c.gender,
            }
        )
    cost = _charge(ctx, _prices.SOCIALS)
    return {"result": result, "credits_cost": cost, "response_meta": {}, **_cost_only(ctx, cost)}


# ----------------------------------------------------------------------------- enrichment
def _enrich(ctx: Any, req: Request, mode: str, platforms: tuple[str, ...]) -> dict[str, Any]:
    body = _body(req)
    handle = _text(body, "handle")
    platform = require_platform(body, platforms)
    email_required = _choice(
        body, "email_required", ("must_have", "preferred", "not_needed"), "preferred"
    )
    lookalikes = _bool(body, "include_lookalikes", False)
    # §15 #6: the single-call default is disputed; the MCP and batch default to true
    with_audience = _bool(body, "include_audience_data", True)
    world: World = ctx.world
    creator = _find(world, platform, handle)
    result = enrich_result(
        world,
        creator,
        mode,
        now=ctx.clock.now(),
        include_audience_data=with_audience,
        include_lookalikes=lookalikes,
        email_required=email_required,
    )
    if result is None:
        # must_have and no email: nothing returned, nothing charged (§10.1, §10.2)
        return {"result": {}, **_cost_only(ctx, 0.0)}
    cost = _charge(ctx, _prices.ENRICH[mode])
    return {"result": result, **_cost_only(ctx, cost)}


@router.route("POST", "/public/v1/creators/enrich/handle/full/", name="enrich_handle_full")
def enrich_handle_full(ctx: Any, req: Request) -> dict[str, Any]:
    """§10.1: everything known about one creator; 1 credit."""
    return _enrich(ctx, req, "full", FULL_PLATFORMS)


@router.route("POST", "/public/v1/creators/enrich/handle/profile/", name="enrich_handle_profile")
def enrich_handle_profile(ctx: Any, req: Request) -> dict[str, Any]:
    """§10.2: identity, contact and counters; 0.2."""
    return _enrich(ctx, req, "profile", PROFILE_PLATFORMS)


@router.route(
    "POST", "/public/v1/creators/enrich/handle/analytics/", name="enrich_handle_analytics"
)
def enrich_handle_analytics(ctx: Any, req: Request) -> dict[str, Any]:
    """§10.3: audience and performance; 0.8; 400 outside the six analytics platforms."""
    return _enrich(ctx, req, "analytics", ANALYTICS_PLATFORMS)


@router.route("POST", "/public/v1/creators/enrich/handle/raw/", name="enrich_handle_raw")
def enrich_handle_raw(ctx: Any, req: Request) -> dict[str, Any]:
    """§10.4: the platform's raw profile and posts; 0.03."""
    return _enrich(ctx, req, "raw", PROFILE_PLATFORMS)


@router.route("POST", "/public/v1/creators/enrich/email/", name="enrich_email")
def enrich_email(ctx: Any, req: Request) -> dict[str, Any]:
    """§10.5: the biggest account behind an email; ``settings.email_price``."""
    body = _body(req)
    email = _text(body, "email", 254).strip().lower()
    if not _EMAIL.match(email):
        raise bad_request(("email",), "Enter a valid email address.")
    result = email_result(ctx.world, email, now=ctx.clock.now())
    if result is None:
        raise ApiError(404, dict(NO_DATA))
    cost = _charge(ctx, ctx.settings.email_price)
    return {"result": result, **_cost_only(ctx, cost)}


# ----------------------------------------------------------------------------- content
@router.route("POST", "/public/v1/creators/content/posts/", name="content_posts")
def content_posts(ctx: Any, req: Request) -> dict[str, Any]:
    """§12.1: a page of a creator's posts, newest first, cursor-paged."""
    body = _body(req)
    platform = require_platform(body, CONTENT_PLATFORMS)
    handle = _text(body, "handle")
    default, most = COUNT_RULES[platform]
    raw_count = body.get("count")
    if raw_count is None:
        count = default
    elif isinstance(raw_count, bool) or not isinstance(raw_count, int):
        raise bad_request(("count",), "A valid integer is required.")
    elif platform == "instagram" and raw_count != 12:
        raise bad_request(("count",), "Instagram pages hold exactly 12 posts; leave count at 12.")
    elif not 1 <= raw_count <= most:
        raise bad_request(("count",), f"Ensure this value is between 1 and {most}.")
    else:
        count = raw_count
    world: World = ctx.world
    creator = _find(world, platform, handle)
    token = body.get("pagination_token")
    before = read_token(world, token, "posts", creator.id) if token else None
    now = ctx.clock.now()
    posts, more = post_page(world, creator, now, count, before)
    items = [post_item(world, creator, p, now) for p in posts]
    next_token = (
        make_token(world, "posts", creator.id, int(posts[-1].published_at.timestamp()))
        if more and posts
        else None
    )
    result = {
        "items": items,
        "num_results": len(items),
        "more_available": more,
        "next_token": next_token,
        "status": "ok",
    }
    cost = _charge(ctx, ctx.settings.posts_price if items else 0.0)
    return {"result": result, **_cost_only(ctx, cost)}


@router.route("POST", "/public/v1/creators/content/details/", name="content_details")
def content_details(ctx: Any, req: Request) -> dict[str, Any]:
    """§12.2: one post's data, comments (paged), transcript or audio; 0.03 each."""
    body = _body(req)
    platform = require_platform(body, CONTENT_PLATFORMS)
    post_id = _text(body, "post_id")
    kind = _choice(body, "content_type", ("data", "comments", "transcript", "audio"), "data")
    if kind == "audio" and platform == "youtube":
        raise bad_request(("content_type",), "Audio is not available for YouTube posts.")
    world: World = ctx.world
    now = ctx.clock.now()
    post = world.post_by_id(platform, post_id)
    if post is None or post.published_at > now:
        raise ApiError(404, dict(NO_DATA))
    creator = world.creators[post.creator_index]
    video = post.content_type in ("reel", "video", "short")
    if kind == "data":
        result: dict[str, Any] = details_data(world, creator, post, now)
    elif kind == "comments":
        token = body.get("pagination_token")
        start = read_token(world, token, "comments", post.post_id) if token else 0
        comments, total, more = comments_page(world, creator, post, now, start)
        result = {
            "comments": comments,
            "num_results": len(comments),
            "total": total,
            "more_available": more,
            "next_token": make_token(world, "comments", post.post_id, start + len(comments))
            if more
            else None,
            "status": "ok",
        }
        if not comments:
            return {"result": result, **_cost_only(ctx, 0.0)}
    elif not video:
        # a photo has nothing to transcribe or play: no data, no charge
        raise ApiError(404, {"detail": f"No {kind} found for this post."})
    elif kind == "transcript":
        result = {"transcript": transcript(creator, post)}
    else:
        expires = int(now.timestamp()) // 3600 * 3600 + 86400
        result = {
            "audio_url": f"https://media.sandbox-cdn.test/audio/{post.post_id}.m4a"
            f"?Expires={expires}&Signature={_h64(world.seed, post.post_id, expires):016x}"
        }
    cost = _charge(ctx, _prices.POST_DETAILS)
    return {"result": result, **_cost_only(ctx, cost)}
