"""``POST /public/v1/creators/enrich/handle/{full,profile,analytics,raw}/`` and
``POST /public/v1/creators/enrich/email/``.

Payloads are built by :mod:`..profiles` (one builder per platform); this module checks
requests and bills the tier's price only when a result comes back.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit._facts import (
    EMAIL_PATTERN,
    ENRICH_ANALYTICS_PLATFORMS,
    ENRICH_FULL_PLATFORMS,
    ENRICH_PLATFORMS,
)

from .._http import ApiError, Request, Router
from ..profiles import email_result, enrich_result
from ..world import World
from ._common import (
    NO_DATA,
    bad_request,
    bool_field,
    charge,
    choice_field,
    cost_only,
    find_creator,
    json_body,
    price_of,
    require_platform,
    text_field,
)

router = Router()

_EMAIL = re.compile(EMAIL_PATTERN)


def _enrich(ctx: Any, req: Request, mode: str, platforms: tuple[str, ...]) -> dict[str, Any]:
    body = json_body(req)
    handle = text_field(body, "handle")
    platform = require_platform(body, platforms)
    email_required = choice_field(
        body, "email_required", ("must_have", "preferred", "not_needed"), "preferred"
    )
    lookalikes = bool_field(body, "include_lookalikes", False)
    # the single-call default is disputed; the MCP and batch default to true
    with_audience = bool_field(body, "include_audience_data", True)
    world: World = ctx.world
    creator = find_creator(world, platform, handle)
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
        # must_have and no email: nothing returned, nothing charged
        return {"result": {}, **cost_only(ctx, 0.0)}
    cost = charge(ctx, price_of(ctx, f"enrich_handle_{mode}"), f"{platform}:{creator.username}")
    return {"result": result, **cost_only(ctx, cost)}


@router.op("enrich_handle_full")
def enrich_handle_full(ctx: Any, req: Request) -> dict[str, Any]:
    """everything known about one creator; 1 credit."""
    return _enrich(ctx, req, "full", ENRICH_FULL_PLATFORMS)


@router.op("enrich_handle_profile")
def enrich_handle_profile(ctx: Any, req: Request) -> dict[str, Any]:
    """identity, contact and counters; 0.2."""
    return _enrich(ctx, req, "profile", ENRICH_PLATFORMS)


@router.op("enrich_handle_analytics")
def enrich_handle_analytics(ctx: Any, req: Request) -> dict[str, Any]:
    """audience and performance; 0.8; 400 outside the six analytics platforms."""
    return _enrich(ctx, req, "analytics", ENRICH_ANALYTICS_PLATFORMS)


@router.op("enrich_handle_raw")
def enrich_handle_raw(ctx: Any, req: Request) -> dict[str, Any]:
    """the platform's raw profile and posts; 0.03."""
    return _enrich(ctx, req, "raw", ENRICH_PLATFORMS)


@router.op("enrich_email")
def enrich_email(ctx: Any, req: Request) -> dict[str, Any]:
    """the biggest account behind an email; ``settings.email_price``."""
    body = json_body(req)
    email = text_field(body, "email", 254).strip().lower()
    if not _EMAIL.match(email):
        raise bad_request(("email",), "Enter a valid email address.")
    result = email_result(ctx.world, email, now=ctx.clock.now())
    if result is None:
        raise ApiError(404, dict(NO_DATA))
    cost = charge(ctx, price_of(ctx, "enrich_email"), email)
    return {"result": result, **cost_only(ctx, cost)}
