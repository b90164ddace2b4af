"""Discovery's request checks: paging, sort and filters.

The filter schema comes from :mod:`toolkit.filters`; unknown keys and keys of another
platform are dropped silently (the real API does that); known keys with a wrong
type answer a DRF-style 400 worded as DRF words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit._facts import DISCOVERY_MAX_LIMIT
from toolkit.filters import (
    CREATOR_HAS_KEYS,
    MAX_DAYS,
    SORT_BY,
    FilterError,
    filters_for,
    validate_filters,
)
from toolkit.filters import validate_sort as _validate_sort

from .._http import REQUIRED, not_a_choice, not_a_dict
from ._common import (
    bad_request,
)

__all__ = ["check_sort", "clean_filters", "paging_window"]

MAX_LIMIT = DISCOVERY_MAX_LIMIT


def _int_field(value: Any, path: tuple[str, ...], lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise bad_request(path, "A valid integer is required.")
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except ValueError:
        number = None
    if number is None:
        raise bad_request(path, "A valid integer is required.")
    if number < lo:
        raise bad_request(path, f"Ensure this value is greater than or equal to {lo}.")
    if hi is not None and number > hi:
        raise bad_request(path, f"Ensure this value is less than or equal to {hi}.")
    return number


def paging_window(body: Mapping[str, Any], page_base: int, max_results: int) -> tuple[int, int]:
    """``(offset, limit)`` of ``body["paging"]``: limit 1-50, page from the page
    base, and no page whose first row lies beyond the first ``max_results`` results."""
    paging = body.get("paging")
    if paging is None:
        raise bad_request(("paging",), REQUIRED)
    if not isinstance(paging, Mapping):
        raise bad_request(
            ("paging", "non_field_errors"),
            not_a_dict(paging),
        )
    if paging.get("limit") is None:
        raise bad_request(("paging", "limit"), REQUIRED)
    if paging.get("page") is None:
        raise bad_request(("paging", "page"), REQUIRED)
    limit = _int_field(paging["limit"], ("paging", "limit"), 1, MAX_LIMIT)
    page = _int_field(paging["page"], ("paging", "page"), page_base)
    offset = (page - page_base) * limit
    if offset >= max_results:
        raise bad_request(
            ("paging", "page"),
            f"Only the first {max_results} results of a search can be retrieved; "
            f"this page starts at result {offset + 1}.",
        )
    return offset, limit


def check_sort(platform: str, body: Mapping[str, Any]) -> tuple[str, str]:
    """``(sort_by, sort_order)``, refusing what the API documents as unsupported."""
    sort = body.get("sort")
    if sort is None:
        return "relevancy", "desc"
    if not isinstance(sort, Mapping):
        raise bad_request(
            ("sort", "non_field_errors"),
            not_a_dict(sort),
        )
    sort_by = sort.get("sort_by") or "relevancy"
    order = sort.get("sort_order") or "desc"
    if sort_by not in SORT_BY:
        raise bad_request(("sort", "sort_by"), not_a_choice(sort_by))
    if order not in ("asc", "desc"):
        raise bad_request(("sort", "sort_order"), not_a_choice(order))
    try:
        _validate_sort(platform, sort_by, order)
    except ValueError as exc:
        raise bad_request(("sort", "sort_by"), str(exc)) from None
    return sort_by, order


def clean_filters(platform: str, filters: Any) -> dict[str, Any]:
    """The filters the API would apply: unknown/other-platform keys dropped, types checked."""
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise bad_request(
            ("filters", "non_field_errors"),
            not_a_dict(filters),
        )
    known = {s.key: s for s in filters_for(platform)}
    kept: dict[str, Any] = {}
    for key, value in filters.items():
        spec = known.get(key)
        if spec is None or spec.parent:
            continue  # silently ignored, as the real API does
        if spec.kind == "object" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if f"{key}.{k}" in known}
        elif spec.kind == "flags" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k in CREATOR_HAS_KEYS}
        kept[key] = value
    try:
        return validate_filters(platform, kept)
    except FilterError as exc:
        path, message = next(iter(exc.problems.items()))
        spec = known.get(path)
        raise bad_request(
            ("filters", *path.split(".")),
            _drf_message(spec.kind if spec else "", message, kept, path),
        ) from None


def _drf_message(kind: str, message: str, kept: Mapping[str, Any], path: str) -> str:
    """Our schema's problem text reworded the way Django REST framework says it."""
    value: Any = kept
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if kind in ("range", "growth", "number"):
        if kind != "number" and not isinstance(value, Mapping):
            return f'Expected a dictionary of items but got type "{type(value).__name__}".'
        if "greater than" in message:
            return "Ensure min is less than or equal to max."
        if "time_range_months" in message:
            return "A valid integer is required."
        return "A valid number is required."
    if kind in ("string_list", "integer_list"):
        if not isinstance(value, list):
            return f'Expected a list of items but got type "{type(value).__name__}".'
        if "at most" in message:
            return message.replace("at most", "Ensure this field has no more than")
        return "Not a valid string." if kind == "string_list" else "A valid integer is required."
    if kind == "boolean" or kind == "flags":
        return "Must be a valid boolean."
    if kind in ("days", "integer"):
        if "at most" in message:  # a huge number of days: a 400, as DRF bounds it
            return f"Ensure this value is less than or equal to {MAX_DAYS}."
        return "A valid integer is required."
    if kind == "string":
        if not isinstance(value, str):
            return "Not a valid string."
        if "one of" in message:
            return not_a_choice(value)
        if "at least" in message:
            return message.replace("must be at least", "Ensure this field has at least") + "."
        return message.replace("must be at most", "Ensure this field has no more than") + "."
    return "Invalid data."
