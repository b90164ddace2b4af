"""``GET /public/v1/discovery/classifier/...``: the nine dictionaries.

Values come from :mod:`..world.dictionaries`, the very values the world draws from, so
anything a dictionary lists also filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit._facts import (
    DISCOVERY_PLATFORMS,
)

from .._http import ApiError, Request, Router
from ..world import dictionaries as D
from ._common import (
    bad_request,
)

router = Router()

DICTIONARY_PAGE = 50  # offset paging returns a fixed page (no page size documented)


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


def _names_page(req: Request, names: Iterable[str]) -> list[dict[str, str]]:
    """A page of ``[{name}]`` entries, searched by name (the audience dictionaries)."""
    return _paged(req, _search(req, [{"name": n} for n in names], lambda x: x["name"]))


@router.op("dictionary_languages")
def dictionary_languages(ctx: Any, req: Request) -> list[dict[str, str]]:
    """every language (no query parameters)."""
    return [{"language": name, "abbreviation": code} for name, code in D.LANGUAGES]


@router.op("dictionary_locations")
def dictionary_locations(ctx: Any, req: Request, platform: str) -> list[str]:
    """location strings of a platform; ``search``, ``offset`` and ``limit``."""
    if platform not in DISCOVERY_PLATFORMS:
        raise ApiError(404, {"detail": "Not found."})
    raw = req.arg("limit")
    limit = DICTIONARY_PAGE
    if raw not in (None, ""):
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            raise bad_request(("limit",), "Ensure this value is between 1 and 1000.")
        limit = int(raw)
    return _paged(req, _search(req, D.locations_for(platform), str), limit)


@router.op("dictionary_brands")
def dictionary_brands(ctx: Any, req: Request) -> list[dict[str, str]]:
    """brands ``{full_name, cleaned, username}``; ``search`` and ``offset``."""
    items = [
        {"full_name": b.full_name, "cleaned": b.cleaned, "username": b.username}
        for b in sorted(D.BRANDS, key=lambda b: b.cleaned)
    ]
    return _paged(req, _search(req, items, lambda x: f"{x['full_name']} {x['username']}"))


@router.op("dictionary_yt_topics")
def dictionary_yt_topics(ctx: Any, req: Request) -> list[dict[str, Any]]:
    """YouTube topics with their sub-topics."""
    return D.yt_topics()


@router.op("dictionary_games")
def dictionary_games(ctx: Any, req: Request) -> list[str]:
    """Twitch game names (strings)."""
    return list(D.GAMES)


@router.op("dictionary_audience_brand_categories")
def dictionary_audience_brand_categories(ctx: Any, req: Request) -> list[dict[str, str]]:
    """``[{name}]`` with ``search`` and ``offset``."""
    return _names_page(req, D.brand_categories())


@router.op("dictionary_audience_brand_names")
def dictionary_audience_brand_names(ctx: Any, req: Request) -> list[dict[str, str]]:
    """``[{name}]`` with ``search`` and ``offset``."""
    names = sorted({b.full_name for b in D.BRANDS}, key=str.lower)
    return _names_page(req, names)


@router.op("dictionary_audience_interests")
def dictionary_audience_interests(ctx: Any, req: Request) -> list[dict[str, str]]:
    """``[{name}]`` with ``search`` and ``offset``."""
    return _names_page(req, [n for _i, n in D.AUDIENCE_INTERESTS])


@router.op("dictionary_audience_locations")
def dictionary_audience_locations(ctx: Any, req: Request) -> list[dict[str, str]]:
    """``[{name, type}]`` (country/state/city) with ``search`` and ``offset``."""
    return _paged(req, _search(req, D.audience_locations(), lambda x: x["name"]))
