"""Request checks every creator-data route shares: body fields the DRF way, the creator a
handle names, billing and the envelope.

Billing: ``charge`` only when data comes back, after the payload is built.
Envelopes follow the captures: discovery, similar and overlap carry
``credits_left``; enrichment, socials and content carry ``credits_cost`` (and
``trial_searches_left`` on trial accounts) only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit._prices import PRICES

from .._http import REQUIRED, ApiError, Request, not_a_choice
from ..world import Creator, World

__all__ = [
    "NO_DATA",
    "bad_request",
    "bool_field",
    "charge",
    "choice_field",
    "cost_only",
    "find_creator",
    "json_body",
    "require_platform",
    "text_field",
]

NO_DATA = {"detail": "No data found."}


def json_body(req: Request) -> dict[str, Any]:
    """The request's JSON object (DRF's 400 ``non_field_errors`` otherwise)."""
    return req.json_object()


def bad_request(path: tuple[str, ...], message: str) -> ApiError:
    """A DRF field error nested along ``path``: ``{"error": {"a": {"b": [message]}}}``."""
    node: Any = [message]
    for key in reversed(path):
        node = {key: node}
    return ApiError(400, {"error": node})


def require_platform(body: Mapping[str, Any], allowed: tuple[str, ...]) -> str:
    """``body["platform"]`` checked against ``allowed`` (DRF choice field wording)."""
    platform = body.get("platform")
    if platform is None or platform == "":
        raise bad_request(("platform",), REQUIRED)
    if not isinstance(platform, str) or platform not in allowed:
        raise bad_request(("platform",), not_a_choice(platform))
    return platform


def text_field(body: Mapping[str, Any], name: str, max_len: int = 200) -> str:
    value = body.get(name)
    if value is None or value == "":
        raise bad_request((name,), REQUIRED)
    if not isinstance(value, str):
        raise bad_request((name,), "Not a valid string.")
    if len(value) > max_len:
        raise bad_request((name,), f"Ensure this field has no more than {max_len} characters.")
    return value


def bool_field(body: Mapping[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")  # DRF BooleanField accepts these strings
    raise bad_request((name,), "Must be a valid boolean.")


def choice_field(body: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(name) or default
    if value not in allowed:
        raise bad_request((name,), not_a_choice(value))
    return value


def find_creator(world: World, platform: str, handle: str) -> Creator:
    creator = world.lookup(platform, handle)
    if creator is None:
        raise ApiError(404, dict(NO_DATA))
    return creator


def cost_only(ctx: Any, cost: float) -> dict[str, Any]:
    """Envelope without ``credits_left`` (enrichment/socials/content captures)."""
    return {k: v for k, v in ctx.envelope(cost).items() if k != "credits_left"}


def price_of(ctx: Any, operation: str) -> float:
    """What one answered call of ``operation`` costs here: the price its row names
    (``toolkit._operations``) in the client's default table, but the two contested prices
    from the sandbox's settings (``email_price``, ``posts_price``)."""
    if operation == "enrich_email":
        return float(ctx.settings.email_price)
    if operation == "content_posts":
        return float(ctx.settings.posts_price)
    return PRICES.per_call()[operation]


def batch_row_price(settings: Any, mode: str) -> float:
    """What one enriched batch row of ``mode`` costs (basic email rows: ``email_price``)."""
    return float(settings.email_price) if mode == "basic" else PRICES.batch_row(mode)


def charge(ctx: Any, cost: float, reference: str | None = None) -> float:
    cost = round(cost, 4)
    if cost > 0:
        ctx.charge(cost, reference=reference)
    return cost
