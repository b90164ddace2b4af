"""What an enrichment says about the person beyond one platform: the other accounts, links,
niches and brand deals (``full``/``profile`` tiers), lookalikes, and enrichment by email."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from ..world import Creator, World
from ..world import dictionaries as D
from ..world.audiences import most_similar

__all__ = ["email_result", "identity", "lookalikes", "pointer_block"]


def pointer_block(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """A short block for the person's other accounts (profile capture shapes)."""
    pic = world.picture_url(c, now)
    if c.platform == "twitch":
        return {
            "profileImageURL": pic,
            "total_followers": c.followers,
            "user_id": c.id,
            "username": c.username,
        }
    if c.platform == "youtube":
        return {
            "id": c.id,
            "custom_url": "@" + c.username,
            "profile_picture": pic,
            "is_verified": c.is_verified,
            "engagement_percent": c.engagement_percent,
            "first_name": "@" + c.username,
            "subscriber_count": c.followers,
        }
    key = "user_id" if c.platform in ("tiktok", "onlyfans") else "userid"
    return {
        key: c.id,
        "username": c.username,
        "full_name": c.full_name,
        "follower_count": c.followers,
        "profile_picture": pic,
        "is_verified": c.is_verified,
        "engagement_percent": c.engagement_percent,
    }


def _link(c: Creator) -> str:
    if c.platform == "twitter":
        return f"https://www.twitter.com/{c.username}"
    return c.url


def identity(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    p = c.person
    out: dict[str, Any] = {}
    for other in world.connected(c)[1:]:
        out[other.platform] = pointer_block(world, other, now)
    out["has_link_in_bio"] = bool(c.links_in_bio)
    out["speaking_language"] = c.language
    for acct in world.connected(c):
        out[f"{acct.platform}_link"] = _link(acct)
    out["has_brand_deals"] = c.has_brand_deals
    out["first_name"] = p.first_name
    out["email"] = c.email
    out["is_business"] = c.is_business
    out["email_type"] = c.email_type
    out["is_creator"] = not c.is_business
    out["location"] = c.location
    if c.gender is not None:  # business accounts carry no gender: the key is left out, not null
        out["gender"] = c.gender
    out["creator_has"] = {a.platform: True for a in world.connected(c)}
    out["other_links"] = [f"https://www.{b}.com" for b in p.brands]
    out["links_in_bio"] = c.links_in_bio
    r = random.Random(c.seed ^ 0xA1)
    main = round(r.uniform(0.55, 0.85), 2)
    out["ai_niches"] = [{"niche": p.niche.name, "percentage": main}] + (
        [{"niche": p.niche2.name, "percentage": round(1 - main, 2)}] if p.niche2 else []
    )
    out["ai_subniches"] = [{"subniche": p.subniche, "percentage": round(r.uniform(0.3, 0.7), 2)}]
    out["ai_brand_collaborations"] = [
        {"brand": D.BRAND_BY_CLEANED[b].full_name, "percentage": r.randint(5, 40)} for b in p.brands
    ]
    return out


def lookalikes(world: World, c: Creator, now: datetime) -> list[dict[str, Any]]:
    """``result.lookalikes`` when ``include_lookalikes`` is set."""
    return [
        {
            "username": o.username,
            "profile_url": o.url,
            "engagement_percent": o.engagement_percent,
            "follower_count": o.followers,
        }
        for _s, o in most_similar(world, c)
    ]


def email_result(world: World, email: str, *, now: datetime | None = None) -> dict[str, Any] | None:
    """``result`` of enrichment by email: the person's biggest account, or None."""
    c = world.by_email(email)
    if c is None:
        return None
    when = now or world.epoch
    return {
        "platform": c.platform,
        "userId": c.id,
        "url": c.url,
        "username": c.username,
        "fullname": c.full_name,
        "picture": world.picture_url(c, when),
        "followers": c.followers,
    }
