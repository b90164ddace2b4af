"""An error answer as its exception: the DRF error body parsed, the
``Retry-After`` header read, the request id kept.

I/O-free like the rest of the request core (:mod:`toolkit._core` reads every answer with them);
each piece is unit-tested on plain ``httpx.Response`` objects.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from toolkit._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BadRequestValidationError,
    InsufficientCreditsError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)

__all__ = ["error_for_status", "parse_error_body", "parse_retry_after", "request_id"]


def _flatten(errors: Any, prefix: str, out: dict[str, list[str]]) -> None:
    """DRF nested field errors -> ``{"filters.engagement_percent": [...]}``."""
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(errors, list) and errors and all(isinstance(e, Mapping) for e in errors):
        for i, item in enumerate(errors):  # DRF ListField of objects: one dict per item
            if item:
                _flatten(item, f"{prefix}.{i}", out)
    elif isinstance(errors, list):
        out.setdefault(prefix, []).extend(str(e) for e in errors)
    elif errors is not None:
        out.setdefault(prefix, []).append(str(errors))


def _looks_like_field_errors(body: Mapping[str, Any]) -> bool:
    return bool(body) and all(isinstance(v, list | Mapping) for v in body.values())


def parse_error_body(body: Any) -> tuple[str, dict[str, list[str]]]:
    """The human message and the per-field errors of an error body.

    Reads ``detail``, then ``message``, then ``error``, then ``response_meta.error_message``
    (the order clients use); nested ``error`` objects become dotted field names.

    >>> parse_error_body({"error": {"filters": {"engagement_percent": ["A valid number."]}}})
    ('', {'filters.engagement_percent': ['A valid number.']})
    >>> parse_error_body({"error": "invalid_grant", "error_description": "code used"})
    ('invalid_grant: code used', {})
    """
    fields: dict[str, list[str]] = {}
    if isinstance(body, str):
        return body.strip()[:200], fields
    if isinstance(body, list):  # DRF ValidationError raised with a list
        return " ".join(str(x) for x in body), fields
    if not isinstance(body, Mapping):
        return "", fields
    detail = body.get("detail")
    if isinstance(detail, list):  # FastAPI-style [{loc, msg, type}] (never observed)
        for item in detail:
            if isinstance(item, Mapping):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                fields.setdefault(loc or "detail", []).append(str(item.get("msg", "")))
        detail = None
    messages: list[str] = []
    if isinstance(detail, str | int | float):
        messages.append(str(detail))
    elif isinstance(detail, Mapping):
        _flatten(detail, "", fields)
    if isinstance(body.get("message"), str):
        messages.append(body["message"])
    error = body.get("error")
    if isinstance(error, str):
        desc = body.get("error_description")
        messages.append(f"{error}: {desc}" if isinstance(desc, str) and desc else error)
    elif isinstance(error, list):
        messages.extend(str(e) for e in error)
    elif isinstance(error, Mapping):
        _flatten(error, "", fields)
    meta = body.get("response_meta")
    if isinstance(meta, Mapping) and isinstance(meta.get("error_message"), str):
        messages.append(meta["error_message"])
    known = {"detail", "message", "error", "error_description", "response_meta"}
    if not messages and not fields and not (known & body.keys()) and _looks_like_field_errors(body):
        _flatten(body, "", fields)  # plain DRF serializer errors: {"name": ["..."]}
    for key in ("non_field_errors", "error.non_field_errors"):
        if key in fields:
            messages.extend(fields.pop(key))
    seen: list[str] = []
    for m in messages:
        if m and m not in seen:
            seen.append(m)
    return " ".join(seen), fields


#: The longest ``Retry-After`` taken at its word (a day); a longer one is read as a day.
MAX_RETRY_AFTER_HINT = 86_400.0


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).

    An unusable value (``inf``, ``nan``, garbage) is ``None``, a negative one 0, and one
    past a day is read as a day: the header is the server's hint, never a crash.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
    ...                   now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC))
    10.0
    >>> parse_retry_after("inf"), parse_retry_after("-5"), parse_retry_after("1e300")
    (None, 0.0, 86400.0)
    """
    if not value:
        return None
    value = value.strip()
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now)
    if seconds is None or not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER_HINT)


def _seconds_until(value: str, now: datetime | None) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return (when - (now or datetime.now(UTC))).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def request_id(headers: httpx.Headers) -> str | None:
    """The server's id of a request, from whichever header carries one."""
    for name in ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray"):
        if name in headers:
            return headers[name]
    return None


def _decode(response: httpx.Response) -> Any:
    ctype = response.headers.get("content-type", "")
    if "json" in ctype:
        try:
            return response.json()
        except (ValueError, RecursionError):  # not JSON, or nested past what Python reads
            pass
    return response.text


def error_for_status(operation: str, response: httpx.Response) -> APIError:
    """The exception for an error status, with the body parsed."""
    status = response.status_code
    body = _decode(response)
    detail, fields = parse_error_body(body)
    if (not detail and not fields) or (isinstance(body, str) and "<html" in body.lower()):
        detail = response.reason_phrase or detail  # gateway HTML pages: say "Bad Gateway"
    kw: dict[str, Any] = {
        "body": body,
        "detail": detail,
        "field_errors": fields,
        "request_id": request_id(response.headers),
    }
    if status == 400:
        return (BadRequestValidationError if fields else BadRequestError)(operation, status, **kw)
    if status in (401, 403):
        return AuthenticationError(operation, status, **kw)
    if status == 402:
        return InsufficientCreditsError(operation, status, **kw)
    if status == 404:
        return NotFoundError(operation, status, **kw)
    if status == 422:
        return ValidationError(operation, status, **kw)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return RateLimitError(operation, status, retry_after=retry_after, **kw)
    if status >= 500:
        return ServerError(operation, status, **kw)
    return APIError(operation, status, **kw)
