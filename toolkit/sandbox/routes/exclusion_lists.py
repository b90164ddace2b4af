"""Exclusion lists: handles that discovery leaves out. All free.

Each account has, per platform, a default list created empty on first use, plus named
lists. Handles are stored normalised by ``world.normalize_handle`` (lower-case username,
no ``@``, no URL), so ``@Nasa`` and ``https://instagram.com/nasa`` are one entry. The
discovery handlers read ``ctx.account.exclusion_lists``.

Inferred (not in the sources): deleting a default list is refused like renaming it, and
an unknown platform in a ``default/{platform}/`` path is a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from toolkit._facts import DISCOVERY_PLATFORMS

from .._ctx import Ctx
from .._http import REQUIRED, ApiError, Request, Response, Router, field_error, iso, not_a_choice

router = Router()

DEFAULT_NAME = "Default exclusion list"
NOT_FOUND = {"error": "Exclusion list not found."}


@dataclass
class ExclusionList:
    """One list; ``handles`` are normalised usernames."""

    id: int
    name: str
    platform: str
    is_default: bool
    created_at: datetime
    updated_at: datetime
    handles: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "platform": self.platform,
            "is_default": self.is_default,
            "handle_count": len(self.handles),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.)?[a-z0-9.-]+\.[a-z]{2,}/+(?:@)?([^/?#]+)", re.I)


def normalize(ctx: Ctx, handle: str) -> str:
    """What a list stores for ``handle`` (the world's rule; a plain fallback before it exists)."""
    world_norm = getattr(ctx.world, "normalize_handle", None)
    if world_norm is not None:
        return world_norm(handle)
    value = handle.strip()
    m = _URL.match(value)
    if m:
        value = m.group(1)
    return value.lstrip("@").lower()


def _lists(ctx: Ctx) -> dict[int, ExclusionList]:
    return ctx.account.exclusion_lists


def _new(ctx: Ctx, name: str, platform: str, is_default: bool) -> ExclusionList:
    now = ctx.now()
    xl = ExclusionList(
        id=ctx.sandbox.next_id("exclusion_list"),
        name=name,
        platform=platform,
        is_default=is_default,
        created_at=now,
        updated_at=now,
    )
    _lists(ctx)[xl.id] = xl
    return xl


def default_list(ctx: Ctx, platform: str) -> ExclusionList:
    """The platform's default list, created empty on first use."""
    if platform not in DISCOVERY_PLATFORMS:
        raise ApiError(404, NOT_FOUND)
    with ctx.account.lock:
        for xl in _lists(ctx).values():
            if xl.is_default and xl.platform == platform:
                return xl
        return _new(ctx, DEFAULT_NAME, platform, True)


def _get(ctx: Ctx, list_id: str) -> ExclusionList:
    xl = _lists(ctx).get(int(list_id)) if list_id.isdigit() else None
    if xl is None:
        raise ApiError(404, NOT_FOUND)
    return xl


def _check_name(ctx: Ctx, name: Any, platform: str, own_id: int | None = None) -> str:
    if name is None:
        raise field_error("name", REQUIRED)
    if not isinstance(name, str) or not name.strip():
        raise field_error("name", "This field may not be blank.")
    if len(name) > 255:
        raise field_error("name", "Ensure this field has no more than 255 characters.")
    clean = name.strip()
    for xl in _lists(ctx).values():
        if xl.platform == platform and xl.id != own_id and xl.name.lower() == clean.lower():
            raise field_error("name", "A list with this name already exists for this platform.")
    return clean


def _handles(req: Request) -> list[str]:
    handles = req.json_object().get("handles")
    if handles is None:
        raise field_error("handles", REQUIRED)
    if not isinstance(handles, list) or not all(isinstance(h, str) for h in handles):
        raise field_error("handles", "Expected a list of items.")
    if not handles:
        raise field_error("handles", "This list may not be empty.")
    return handles


# ----------------------------------------------------------------------------- lists
@router.op("exclusion_lists_list")
def exclusion_lists_list(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    """Every list of the account, all platforms, oldest first."""
    return [xl.to_json() for xl in sorted(_lists(ctx).values(), key=lambda x: x.id)]


@router.op("exclusion_lists_create")
def exclusion_lists_create(ctx: Ctx, req: Request) -> Response:
    """A named list for one platform; duplicate names per platform are a 400."""
    body = req.json_object()
    platform = body.get("platform")
    if platform is None:
        raise field_error("platform", REQUIRED)
    if platform not in DISCOVERY_PLATFORMS:
        raise field_error("platform", not_a_choice(platform))
    with ctx.account.lock:
        name = _check_name(ctx, body.get("name"), platform)
        xl = _new(ctx, name, platform, False)
    return Response.json(xl.to_json(), 201)


@router.op("exclusion_lists_get")
def exclusion_lists_get(ctx: Ctx, req: Request, list_id: str) -> dict[str, Any]:
    return _get(ctx, list_id).to_json()


@router.op("exclusion_lists_rename")
def exclusion_lists_rename(ctx: Ctx, req: Request, list_id: str) -> dict[str, Any]:
    """Rename; the default list keeps its name (400)."""
    xl = _get(ctx, list_id)
    if xl.is_default:
        raise ApiError(400, {"error": ["The default exclusion list cannot be renamed."]})
    with ctx.account.lock:
        xl.name = _check_name(ctx, req.json_object().get("name"), xl.platform, xl.id)
        xl.updated_at = ctx.now()
    return xl.to_json()


@router.op("exclusion_lists_delete")
def exclusion_lists_delete(ctx: Ctx, req: Request, list_id: str) -> Response:
    xl = _get(ctx, list_id)
    if xl.is_default:
        raise ApiError(400, {"error": ["The default exclusion list cannot be deleted."]})
    del _lists(ctx)[xl.id]
    return Response.empty(204)


@router.op("exclusion_lists_get_default")
def exclusion_lists_get_default(ctx: Ctx, req: Request, platform: str) -> dict[str, Any]:
    return default_list(ctx, platform).to_json()


# ----------------------------------------------------------------------------- entries
def _int_arg(req: Request, name: str, default: int, lo: int, hi: int | None = None) -> int:
    raw = req.arg(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise field_error(name, "A valid integer is required.") from None
    if value < lo or (hi is not None and value > hi):
        raise field_error(name, f"Ensure this value is between {lo} and {hi or 'any'}.")
    return value


def _entries(xl: ExclusionList, req: Request) -> dict[str, Any]:
    offset = _int_arg(req, "offset", 0, 0)
    limit = _int_arg(req, "limit", 1000, 1, 10000)
    handles = sorted(xl.handles)
    return {
        "total": len(handles),
        "offset": offset,
        "limit": limit,
        "handles": handles[offset : offset + limit],
    }


def _add(ctx: Ctx, xl: ExclusionList, req: Request) -> dict[str, Any]:
    handles = _handles(req)
    with ctx.account.lock:
        xl.handles.update(n for n in (normalize(ctx, h) for h in handles) if n)
        xl.updated_at = ctx.now()
    return xl.to_json()


def _remove(ctx: Ctx, xl: ExclusionList, req: Request) -> dict[str, Any]:
    handles = _handles(req)
    with ctx.account.lock:
        xl.handles.difference_update(normalize(ctx, h) for h in handles)
        xl.updated_at = ctx.now()
    return xl.to_json()


@router.op("exclusion_lists_list_entries_get")
def list_entries_get(ctx: Ctx, req: Request, list_id: str) -> dict[str, Any]:
    """``{total, offset, limit, handles}``; offset/limit default 0/1000."""
    return _entries(_get(ctx, list_id), req)


@router.op("exclusion_lists_list_entries_add")
def list_entries_add(ctx: Ctx, req: Request, list_id: str) -> dict[str, Any]:
    return _add(ctx, _get(ctx, list_id), req)


@router.op("exclusion_lists_list_entries_remove")
def list_entries_remove(ctx: Ctx, req: Request, list_id: str) -> dict[str, Any]:
    """DELETE with a JSON body ``{handles}``."""
    return _remove(ctx, _get(ctx, list_id), req)


@router.op("exclusion_lists_default_entries_get")
def default_entries_get(ctx: Ctx, req: Request, platform: str) -> dict[str, Any]:
    return _entries(default_list(ctx, platform), req)


@router.op("exclusion_lists_default_entries_add")
def default_entries_add(ctx: Ctx, req: Request, platform: str) -> dict[str, Any]:
    return _add(ctx, default_list(ctx, platform), req)


@router.op("exclusion_lists_default_entries_remove")
def default_entries_remove(ctx: Ctx, req: Request, platform: str) -> dict[str, Any]:
    return _remove(ctx, default_list(ctx, platform), req)
