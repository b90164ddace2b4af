"""Account credits and API keys. All free.

The token object's ``token`` is the full key on every read, as documented; here it is the
sandbox's own fake key (``sk_sandbox_`` + hex), so returning it leaks nothing real. A key
that is deactivated (``active: false``) or past ``expires_at`` (by the sandbox clock)
answers 401 ``Invalid token.``.
"""

from __future__ import annotations

from typing import Any

from .._accounts import ApiKey
from .._accounts import credits_json as _num
from .._ctx import Ctx
from .._http import (
    ApiError,
    Request,
    Response,
    Router,
    field_error,
    iso,
    not_a_choice,
    parse_datetime,
)

router = Router()

_NOT_FOUND = {"detail": "Not found."}


def token_object(key: ApiKey) -> dict[str, Any]:
    """The documented token object."""
    return {
        "id": key.id,
        "name": key.name,
        "scopes": list(key.scopes),
        "active": key.active,
        "expires_at": iso(key.expires_at),
        "token": key.token,
        "created_at": iso(key.created_at),
        "last_used_at": iso(key.last_used_at),
    }


@router.op("account_credits")
def account_credits(ctx: Ctx, req: Request) -> dict[str, Any]:
    """Balance and what was spent so far (capture account-credits-any-1.json)."""
    return {
        "credits_available": _num(ctx.account.balance),
        "credits_used": _num(ctx.account.used),
    }


@router.op("api_keys_list")
def api_keys_list(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    """Every key of the account, inactive ones included."""
    return [token_object(k) for k in ctx.account.api_keys]


def _scopes(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise field_error("scopes", "Expected a list of items.")
    bad = [s for s in value if s != "all"]
    if bad:
        raise field_error("scopes", not_a_choice(bad[0]))
    return value or ["all"]


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise field_error("name", "This field may not be blank.")
    if len(value) > 100:
        raise field_error("name", "Ensure this field has no more than 100 characters.")
    return value.strip()


@router.op("api_keys_create")
def api_keys_create(ctx: Ctx, req: Request) -> Response:
    """Mint a key: ``name``, optional ``expires_at`` and ``scopes``; 201 (inferred)."""
    body = req.json_object()
    name = _name(body["name"]) if "name" in body else "API key"
    expires_at = parse_datetime(body.get("expires_at"), "expires_at")
    scopes = _scopes(body["scopes"]) if "scopes" in body else ["all"]
    key = ctx.sandbox.new_api_key(ctx.account, name, expires_at=expires_at, scopes=scopes)
    return Response.json(token_object(key), 201)


def _find(ctx: Ctx, token_id: str) -> ApiKey:
    for key in ctx.account.api_keys:
        if str(key.id) == token_id:
            return key
    raise ApiError(404, _NOT_FOUND)


@router.op("api_keys_update")
def api_keys_update(ctx: Ctx, req: Request, token_id: str) -> dict[str, Any]:
    """Rename, (de)activate, change expiry (null = never) or replace scopes."""
    key = _find(ctx, token_id)
    body = req.json_object()
    if "active" in body and not isinstance(body["active"], bool):
        raise field_error("active", "Must be a valid boolean.")
    name = _name(body["name"]) if "name" in body else key.name
    scopes = _scopes(body["scopes"]) if "scopes" in body else key.scopes
    expires_at = (
        parse_datetime(body["expires_at"], "expires_at") if "expires_at" in body else key.expires_at
    )
    key.name, key.scopes, key.expires_at = name, scopes, expires_at
    if "active" in body:
        key.active = body["active"]
    return token_object(key)


@router.op("api_keys_delete")
def api_keys_delete(ctx: Ctx, req: Request, token_id: str) -> Response:
    """Revoke a key for good; 204 (inferred)."""
    key = _find(ctx, token_id)
    ctx.account.api_keys.remove(key)
    return Response.empty(204)
