"""``POST /public/v1/creators/audience/overlap/``: shared and unique
followers of 2-10 creators, from the world's audiences; 1 credit per request."""

from __future__ import annotations

from typing import Any

from toolkit._facts import (
    AUDIENCE_PLATFORMS,
)

from .._http import REQUIRED, Request, Router
from ..world import Creator, World
from ..world.audiences import overlap
from ._common import (
    bad_request,
    charge,
    find_creator,
    json_body,
    price_of,
    require_platform,
)

router = Router()


@router.op("audience_overlap")
def audience_overlap(ctx: Any, req: Request) -> dict[str, Any]:
    """shared and unique followers of 2-10 creators; 1 credit per request."""
    body = json_body(req)
    platform = require_platform(body, AUDIENCE_PLATFORMS)
    handles = body.get("creators")
    if handles is None:
        raise bad_request(("creators",), REQUIRED)
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
        c = find_creator(world, platform, handle)
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
    cost = charge(ctx, price_of(ctx, "audience_overlap"))
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
