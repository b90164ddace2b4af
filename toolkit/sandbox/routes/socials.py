"""``POST /public/v1/creators/socials/``: every account of the creator's
person, in the captured key names; 0.5 credits."""

from __future__ import annotations

from typing import Any

from toolkit._facts import (
    ENRICH_PLATFORMS,
)

from .._http import Request, Router
from ..world import World
from ._common import (
    charge,
    cost_only,
    find_creator,
    json_body,
    price_of,
    require_platform,
    text_field,
)

router = Router()


@router.op("connected_socials")
def connected_socials(ctx: Any, req: Request) -> dict[str, Any]:
    """the creator's accounts on every platform (captured key names); 0.5."""
    body = json_body(req)
    platform = require_platform(body, ENRICH_PLATFORMS)
    world: World = ctx.world
    creator = find_creator(world, platform, text_field(body, "handle"))
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
    cost = charge(ctx, price_of(ctx, "connected_socials"))
    return {"result": result, "credits_cost": cost, "response_meta": {}, **cost_only(ctx, cost)}
