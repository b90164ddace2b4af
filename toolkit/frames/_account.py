"""Account-side tables: credits, API keys, OAuth, exclusion lists, and the client's ledger.

Credentials never reach a frame: API-key ``token`` values become a ``token_hint`` (last four
characters), OAuth token responses keep only their non-secret fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import SECRET_FIELDS, build
from ._common import as_int, items, obj, one_row, param, records
from ._registry import declare

__all__ = [
    "api_keys",
    "credits",
    "exclusion_entries",
    "exclusion_lists",
    "ledger",
    "oauth_apps",
    "oauth_introspection",
    "oauth_registration",
    "oauth_token",
]

_I, _F, _S, _B, _C = pl.Int64, pl.Float64, pl.String, pl.Boolean, pl.Categorical
_DT = pl.Datetime("us", "UTC")

CREDITS = declare(
    "account.credits",
    "the account's credit balance",
    [("credits_available", _F), ("credits_used", _F)],
)
API_KEYS = declare(
    "account.api_keys",
    "one API key; the secret is reduced to its last four characters",
    [
        ("id", _I),
        ("name", _S),
        ("active", _B),
        ("scopes", pl.List(_S)),
        ("token_hint", _S),
        ("expires_at", _DT),
        ("created_at", _DT),
        ("last_used_at", _DT),
    ],
)
EXCLUSION_LISTS = declare(
    "exclusion_lists.lists",
    "one exclusion list",
    [
        ("id", _I),
        ("name", _S),
        ("platform", _C),
        ("is_default", _B),
        ("handle_count", _I),
        ("created_at", _DT),
        ("updated_at", _DT),
    ],
)
EXCLUSION_ENTRIES = declare(
    "exclusion_lists.entries",
    "one handle on an exclusion list (offset paging; position counts from 0)",
    [
        ("list_id", _S),
        ("platform", _C),
        ("position", _I),
        ("handle", _S),
        ("total", _I),
    ],
)
OAUTH_CLIENT = declare(
    "oauth.client",
    "a registered OAuth client (dynamic registration; public, no secret kept)",
    [
        ("client_id", _S),
        ("client_name", _S),
        ("redirect_uris", pl.List(_S)),
        ("scope", _S),
        ("token_endpoint_auth_method", _S),
        ("grant_types", pl.List(_S)),
        ("response_types", pl.List(_S)),
        ("client_id_issued_at", _DT),
    ],
)
OAUTH_TOKEN = declare(
    "oauth.token",
    "an OAuth token response without the tokens themselves",
    [
        ("token_type", _S),
        ("expires_in", _I),
        ("scope", _S),
        ("has_access_token", _B),
        ("has_refresh_token", _B),
    ],
)
OAUTH_APPS = declare(
    "oauth.apps",
    "one app the user authorised (fields inferred)",
    [
        ("id", _S),
        ("client_id", _S),
        ("client_name", _S),
        ("scope", _S),
        ("created_at", _DT),
        ("authorized_at", _DT),
    ],
)
OAUTH_INTROSPECTION = declare(
    "oauth.introspection",
    "RFC 7662 introspection of a token (the token itself is not shown)",
    [("active", _B), ("aud", pl.List(_S)), ("scope", _S), ("exp", _DT), ("sub", _S)],
)
OAUTH_AUTHORIZE = declare(
    "oauth.authorize",
    "the authorize redirect target, without the one-time code",
    [("location", _S), ("state", _S)],
)
LEDGER = declare(
    "client.ledger",
    "one API call made by this client (every attempt sequence, failures included), or a "
    "recurring listening cost it observed (kind 'accrual')",
    [
        ("time", _DT),
        ("operation", _S),
        ("method", _C),
        ("path", _S),
        ("status", _I),
        ("credits_cost", _F),
        ("credits_left", _F),
        ("attempts", _I),
        ("duration_s", _F),
        ("cached", _B),
        ("credits_saved", _F),
        ("kind", _C),
        ("uncertain_cost", _F),
    ],
)


def credits(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Credit balance as one row."""
    return one_row(CREDITS, body)


def _hint(token: Any) -> str | None:
    if not isinstance(token, str) or not token:
        return None
    return "…" + token[-4:] if len(token) > 8 else "…"


def api_keys(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """API keys (a list, or one key object) with ``token`` reduced to ``token_hint``."""
    rows = []
    for k in records(body, "results"):
        if type(k) is dict:
            row = {f: v for f, v in k.items() if f not in SECRET_FIELDS}
            row["token_hint"] = _hint(k.get("token"))
            rows.append(row)
        else:
            rows.append(k)
    return build(API_KEYS, rows)


def exclusion_lists(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Exclusion lists (the list, or one list object after create/get/rename/add/remove)."""
    return build(EXCLUSION_LISTS, records(body, "results"))


def exclusion_entries(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """An entries page ``{total, offset, limit, handles}`` as one row per handle."""
    body = obj(body)
    offset = as_int(body.get("offset")) or 0
    list_id = param(params, "list_id")
    key = {
        "list_id": None if list_id is None else str(list_id),
        "platform": param(params, "platform"),
        "total": body.get("total"),
    }
    rows = [
        {**key, "position": offset + i, "handle": h}
        for i, h in enumerate(items(body.get("handles")))
    ]
    return build(EXCLUSION_ENTRIES, rows)


def oauth_registration(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A dynamic client registration as one row (any client_secret dropped)."""
    return one_row(OAUTH_CLIENT, body)


def oauth_token(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A token response as one row of its non-secret fields and two ``has_*`` flags."""
    if type(body) is not dict:
        return one_row(OAUTH_TOKEN, body)
    return one_row(
        OAUTH_TOKEN,
        body,
        has_access_token=bool(body.get("access_token")),
        has_refresh_token=bool(body.get("refresh_token")),
    )


def oauth_apps(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Connected apps, one row each."""
    return build(OAUTH_APPS, records(body, "results", "apps"))


def oauth_introspection(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Introspection as one row; ``aud`` (string or list) is always a list."""
    if type(body) is dict and isinstance(body.get("aud"), str):
        body = {**body, "aud": [body["aud"]]}
    return one_row(OAUTH_INTROSPECTION, body)


def oauth_authorize(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """The authorize step's redirect (a 302): where it goes, minus the ``code`` query value."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    body = obj(body)
    location = body.get("location") or body.get("Location") or body.get("redirect_uri")
    state = body.get("state")
    if isinstance(location, str):
        parts = urlsplit(location)
        query = parse_qsl(parts.query, keep_blank_values=True)
        state = state or dict(query).get("state")
        kept = [(k, v) for k, v in query if k != "code"]
        location = urlunsplit(parts._replace(query=urlencode(kept)))
    if location is None and state is None:
        return OAUTH_AUTHORIZE.empty()
    return build(OAUTH_AUTHORIZE, [{"location": location, "state": state}], extras=False)


def ledger(entries: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """The client's call ledger (``client.ledger.entries``), one row per call."""
    return build(LEDGER, items(entries, "entries"))
