"""Enrichment payloads built from the synthetic world: one builder per platform.

One full platform block is built per creator and the tiers select from it: ``profile``
(identity and counters), ``analytics`` (medians, growth, income, audience, sponsors) and
``full`` (both, plus posts). ``raw`` is the platform's own profile with raw posts. Key
names, order and quirks follow the captures in contract/samples (they outrank the docs):
Twitch's camelCase keys, YouTube post engagement as strings, floats like ``1508.0``, the
audience block's ``{success, data | error}`` parts.

==============  ==========================================================
module          builds
==============  ==========================================================
``instagram``   the instagram block and post objects (also ``youtube``,
                ``tiktok``, ``twitter``, ``twitch``, ``onlyfans``: one each)
``common``      the inputs and analytics keys every block shares
``audience``    the ``audience`` block (instagram, tiktok, youtube)
``identity``    the person beyond one platform; lookalikes; email results
==============  ==========================================================

To add a platform: a module with a ``BUILDER`` (:class:`~.common.PlatformBuilder`), one
line in :data:`BUILDERS`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from toolkit._facts import AUDIENCE_PLATFORMS

from ..world import Creator, World
from . import instagram, onlyfans, tiktok, twitch, twitter, youtube
from .audience import audience_block
from .common import PlatformBuilder, basics, recent_posts
from .identity import email_result, identity, lookalikes

__all__ = ["BUILDERS", "email_result", "enrich_result", "platform_block"]

#: the builder of each platform the world holds creators on
BUILDERS: dict[str, PlatformBuilder] = {
    "instagram": instagram.BUILDER,
    "youtube": youtube.BUILDER,
    "tiktok": tiktok.BUILDER,
    "twitch": twitch.BUILDER,
    "twitter": twitter.BUILDER,
    "onlyfans": onlyfans.BUILDER,
}
#: keys only the ``full`` tier carries (neither profile nor analytics)
_FULL_ONLY = {"post_data", "has_paid_partnership"}


def platform_block(
    world: World, c: Creator, now: datetime, *, audience_data: bool
) -> dict[str, Any]:
    """Every key this platform's block can carry (tiers pick from it)."""
    builder = BUILDERS[c.platform]
    k = basics(world, c, now, builder)
    b = builder.block(world, c, now, k)
    for key, value in k.an.items():  # analytics keys the builder did not place
        b.setdefault(key, value)
    if audience_data and c.platform in AUDIENCE_PLATFORMS:
        b["audience"] = audience_block(world, c, now)
    if builder.tail is not None:
        b.update(builder.tail(world, c))
    return b


def enrich_result(
    world: World,
    creator: Creator,
    mode: str,
    *,
    now: datetime,
    include_audience_data: bool = True,
    include_lookalikes: bool = False,
    email_required: str = "preferred",
) -> dict[str, Any] | None:
    """The ``result`` of a single enrichment in ``mode`` full|profile|analytics|raw.

    ``None`` when nothing is returned: ``email_required="must_have"`` and no email.
    """
    if email_required == "must_have" and mode != "analytics" and not creator.email:
        return None
    p = creator.platform
    builder = BUILDERS[p]
    if mode == "raw":
        block = platform_block(world, creator, now, audience_data=False)
        raw = {k: block.get(k) for k in builder.raw_keys}
        if builder.raw_post is None:
            raw["post_data"] = block["post_data"]
        else:
            posts = recent_posts(world, creator, now, builder.posts_in_block)
            raw["post_data"] = [builder.raw_post(world, creator, x, now) for x in posts]
        return {p: raw}
    block = platform_block(
        world, creator, now, audience_data=include_audience_data or mode == "analytics"
    )
    profile_keys = set(builder.profile_keys)
    if mode == "profile":
        selected = {k: v for k, v in block.items() if k in profile_keys}
    elif mode == "analytics":
        selected = {k: v for k, v in block.items() if k not in profile_keys and k not in _FULL_ONLY}
    else:
        selected = block
    result: dict[str, Any] = {p: selected}
    if mode in ("full", "profile"):
        result.update(identity(world, creator, now))
    if include_lookalikes and mode in ("full", "analytics"):
        result["lookalikes"] = lookalikes(world, creator, now)
    return result
