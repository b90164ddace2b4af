"""OAuth 2.0 with PKCE: register, authorize, token, apps, introspect.

Sandbox choices (documented here because no source shows them):

* **Consent is automatic.** There is no browser or dashboard, so a valid ``authorize``
  request answers 302 straight to ``redirect_uri?code=...&state=...`` (state echoed) for
  the sandbox's default account — or for the account whose id is given as
  ``login_hint``. Invalid requests answer 400 JSON (never a redirect to an unchecked URI).
* **Confidential clients.** Registering with ``token_endpoint_auth_method:
  "client_secret_post"`` returns a ``client_secret`` once; that pair authenticates
  ``introspect`` (RFC 7662) and the RFC 8693 token exchange. Public clients (the default,
  ``none``) have no secret.
* Codes live 10 minutes and are single-use (a replayed code also revokes the tokens it
  produced, as RFC 6749 §4.1.2 recommends). Access tokens live
  ``settings.oauth_access_ttl`` s and refresh tokens ``settings.oauth_refresh_ttl`` s by the
  sandbox clock. A refresh rotates both and kills the old access token at once.
* An app appears in ``GET /oauth/apps/`` once the user approved it; deleting it revokes
  every token it holds for that user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from .._accounts import Account
from .._ctx import Ctx
from .._http import REQUIRED, ApiError, Request, Response, Router, field_error, iso, not_a_choice

if TYPE_CHECKING:  # pragma: no cover
    from .._app import Sandbox

router = Router()

CODE_TTL = timedelta(minutes=10)
GRANT_TYPES = ["authorization_code", "refresh_token"]
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


@dataclass
class Client:
    client_id: str
    client_name: str
    redirect_uris: list[str]
    scope: str
    auth_method: str
    issued_at: datetime
    secret: str | None = field(default=None, repr=False)


@dataclass
class Code:
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str
    resource: str | None
    account: Account
    expires_at: datetime
    used: bool = False
    issued: list[str] = field(default_factory=list)  # access tokens made from it


@dataclass
class Token:
    """An access or refresh token; ``value`` never shows in a repr."""

    value: str = field(repr=False)
    kind: str  # "access" | "refresh"
    client_id: str
    account: Account
    scope: str
    resource: str | None
    issued_at: datetime
    expires_at: datetime
    revoked: bool = False
    pair: str | None = field(default=None, repr=False)  # refresh -> its access token


@dataclass
class App:
    """An authorisation a user gave a client (``GET /oauth/apps/``)."""

    id: int
    client_id: str
    account: Account
    scope: str
    created_at: datetime


@dataclass
class OAuthState:
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    apps: dict[int, App] = field(default_factory=dict)


def install(sb: Sandbox) -> None:
    """Give the sandbox its OAuth state and let it accept access tokens as credentials."""
    state = OAuthState()
    sb.state["oauth"] = state

    def resolve(value: str, now: datetime) -> Account | None:
        tok = state.tokens.get(value)
        if tok is None or tok.kind != "access" or tok.revoked or now >= tok.expires_at:
            return None
        if _app_for(state, tok.client_id, tok.account) is None:
            return None  # the user disconnected the app
        return tok.account

    sb.state["oauth_resolver"] = resolve


def _state(ctx: Ctx) -> OAuthState:
    return ctx.sandbox.state["oauth"]


def _app_for(state: OAuthState, client_id: str, account: Account) -> App | None:
    for app in state.apps.values():
        if app.client_id == client_id and app.account is account:
            return app
    return None


def oauth_error(code: str, description: str | None = None, status: int = 400) -> ApiError:
    body = {"error": code}
    if description:
        body["error_description"] = description
    return ApiError(status, body)


def _params(req: Request) -> dict[str, Any]:
    """Form-urlencoded or JSON body (the token endpoint takes both)."""
    if req.content_type == "application/json" or req.body.lstrip().startswith(b"{"):
        data = req.json()
        return data if isinstance(data, dict) else {}
    return req.form()


def _valid_uri(uri: Any) -> bool:
    if not isinstance(uri, str):
        return False
    parts = urlsplit(uri)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme not in ("http", "https"))


# ----------------------------------------------------------------------------- register
@router.op("oauth_register")
def oauth_register(ctx: Ctx, req: Request) -> Response:
    """Dynamic client registration (RFC 7591 style); 201."""
    body = _params(req)
    name = body.get("client_name")
    if not isinstance(name, str) or not name.strip():
        raise field_error("client_name", REQUIRED)
    uris = body.get("redirect_uris")
    if not isinstance(uris, list) or not uris:
        raise field_error("redirect_uris", "At least one redirect URI is required.")
    for uri in uris:
        if not _valid_uri(uri):
            raise field_error("redirect_uris", f"Enter a valid URL: {uri!r}.")
    scope = body.get("scope") or "all"
    if set(str(scope).split()) != {"all"}:
        raise oauth_error("invalid_scope", "The only scope is 'all'.")
    method = body.get("token_endpoint_auth_method") or "none"
    if method not in ("none", "client_secret_post"):
        raise field_error("token_endpoint_auth_method", not_a_choice(method))
    sb = ctx.sandbox
    n = sb.next_id("oauth_client")
    client = Client(
        client_id="icc_" + sb.token_hex("oauth_client", n, 24),
        client_name=name.strip(),
        redirect_uris=list(uris),
        scope="all",
        auth_method=method,
        issued_at=ctx.now(),
        secret=("ics_" + sb.token_hex("oauth_secret", n, 40)) if method != "none" else None,
    )
    _state(ctx).clients[client.client_id] = client
    out: dict[str, Any] = {
        "client_id": client.client_id,
        "client_name": client.client_name,
        "redirect_uris": client.redirect_uris,
        "scope": client.scope,
        "token_endpoint_auth_method": method,
        "grant_types": list(GRANT_TYPES),
        "response_types": ["code"],
        "client_id_issued_at": int(client.issued_at.timestamp()),
    }
    if client.secret:
        out["client_secret"] = client.secret
        out["client_secret_expires_at"] = 0
    return Response.json(out, 201)


# ----------------------------------------------------------------------------- authorize
@router.op("oauth_authorize")
def oauth_authorize(ctx: Ctx, req: Request) -> Response:
    """Validate and auto-approve; 302 to ``redirect_uri?code=...&state=...``."""
    state = _state(ctx)
    client = state.clients.get(req.arg("client_id") or "")
    if client is None:
        raise oauth_error("invalid_client", "Unknown client_id.")
    redirect_uri = req.arg("redirect_uri")
    if redirect_uri not in client.redirect_uris:  # exact match
        raise oauth_error("invalid_request", "redirect_uri does not match a registered URI.")
    if req.arg("response_type") != "code":
        raise oauth_error("unsupported_response_type", "response_type must be 'code'.")
    challenge = req.arg("code_challenge")
    if not challenge:
        raise oauth_error("invalid_request", "code_challenge is required (PKCE).")
    if (req.arg("code_challenge_method") or "S256") != "S256":
        raise oauth_error("invalid_request", "code_challenge_method must be S256.")
    scope = req.arg("scope") or "all"
    if set(scope.split()) != {"all"}:
        raise oauth_error("invalid_scope", "The only scope is 'all'.")
    sb = ctx.sandbox
    hint = req.arg("login_hint")
    account = next((a for a in sb.accounts if a.id == hint), sb.account)
    if _app_for(state, client.client_id, account) is None:
        app_id = sb.next_id("oauth_app")
        state.apps[app_id] = App(app_id, client.client_id, account, "all", ctx.now())
    value = sb.token_hex("oauth_code", sb.next_id("oauth_code"), 40)
    state.codes[value] = Code(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        challenge=challenge,
        scope="all",
        resource=req.arg("resource"),
        account=account,
        expires_at=ctx.now() + CODE_TTL,
    )
    query = {"code": value}
    given_state = req.arg("state")
    if given_state is not None:
        query["state"] = given_state
    sep = "&" if "?" in redirect_uri else "?"
    return Response(302, b"", {"location": f"{redirect_uri}{sep}{urlencode(query)}"})


# ----------------------------------------------------------------------------- token
def _issue(
    ctx: Ctx,
    client_id: str,
    account: Account,
    scope: str,
    resource: str | None,
    *,
    refresh: bool = True,
) -> tuple[Token, Token | None]:
    sb, now, state = ctx.sandbox, ctx.now(), _state(ctx)
    n = sb.next_id("oauth_token")

    def mint(kind: str, prefix: str, ttl: float, pair: str | None = None) -> Token:
        token = Token(
            value=prefix + sb.token_hex(f"oauth_{kind}", n, 40),
            kind=kind,
            client_id=client_id,
            account=account,
            scope=scope,
            resource=resource,
            issued_at=now,
            expires_at=now + timedelta(seconds=ttl),
            pair=pair,
        )
        state.tokens[token.value] = token
        return token

    access = mint("access", "ica_", ctx.settings.oauth_access_ttl)
    rtok = None
    if refresh:
        rtok = mint("refresh", "icr_", ctx.settings.oauth_refresh_ttl, pair=access.value)
    return access, rtok


def _token_body(ctx: Ctx, access: Token, rtok: Token | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "access_token": access.value,
        "token_type": "Bearer",
        "expires_in": ctx.settings.oauth_access_ttl,
        "scope": access.scope,
    }
    if rtok is not None:
        out["refresh_token"] = rtok.value
    return out


def _required(params: dict[str, Any], *names: str) -> list[str]:
    values = []
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise oauth_error("invalid_request", f"Missing parameter: {name}.")
        values.append(value)
    return values


def _check_scope(params: dict[str, Any]) -> None:
    scope = params.get("scope")
    if scope and set(str(scope).split()) != {"all"}:
        raise oauth_error("invalid_scope")


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@router.op("oauth_token")
def oauth_token(ctx: Ctx, req: Request) -> dict[str, Any]:
    """Exchange a code (PKCE S256 checked), rotate a refresh token, or exchange a token."""
    params = _params(req)
    grant = params.get("grant_type")
    (client_id,) = _required(params, "client_id")
    state = _state(ctx)
    if client_id not in state.clients:
        raise oauth_error("invalid_client", status=401)
    _check_scope(params)
    now = ctx.now()
    if grant == "authorization_code":
        code_value, verifier, redirect_uri = _required(
            params, "code", "code_verifier", "redirect_uri"
        )
        code = state.codes.get(code_value)
        if code is None or code.client_id != client_id:
            raise oauth_error("invalid_grant", "Unknown authorization code.")
        if code.used:
            for value in code.issued:  # replay: revoke what the code produced
                state.tokens[value].revoked = True
            raise oauth_error("invalid_grant", "The authorization code was already used.")
        if now >= code.expires_at:
            raise oauth_error("invalid_grant", "The authorization code expired.")
        if redirect_uri != code.redirect_uri:
            raise oauth_error("invalid_grant", "redirect_uri does not match.")
        if not _VERIFIER.match(verifier) or not hmac.compare_digest(
            _s256(verifier), code.challenge
        ):
            raise oauth_error("invalid_grant", "PKCE verification failed.")
        resource = params.get("resource") or None
        if resource is not None and code.resource is not None and resource != code.resource:
            raise oauth_error("invalid_target")
        code.used = True
        access, rtok = _issue(ctx, client_id, code.account, code.scope, code.resource)
        code.issued.append(access.value)
        if rtok is not None:
            code.issued.append(rtok.value)
        return _token_body(ctx, access, rtok)
    if grant == "refresh_token":
        (value,) = _required(params, "refresh_token")
        old = state.tokens.get(value)
        if (
            old is None
            or old.kind != "refresh"
            or old.client_id != client_id
            or old.revoked
            or now >= old.expires_at
            or _app_for(state, client_id, old.account) is None
        ):
            raise oauth_error("invalid_grant", "The refresh token is invalid.")
        old.revoked = True
        if old.pair in state.tokens:  # the previous access token dies at once
            state.tokens[old.pair].revoked = True
        access, rtok = _issue(ctx, client_id, old.account, old.scope, old.resource)
        return _token_body(ctx, access, rtok)
    if grant == TOKEN_EXCHANGE:
        _client_secret(state, params)
        (subject,) = _required(params, "subject_token")
        if params.get("subject_token_type", ACCESS_TOKEN_TYPE) != ACCESS_TOKEN_TYPE:
            raise oauth_error("invalid_request", "Unsupported subject_token_type.")
        tok = state.tokens.get(subject)
        if tok is None or tok.kind != "access" or tok.revoked or now >= tok.expires_at:
            raise oauth_error("invalid_grant", "The subject token is not active.")
        access, _ = _issue(ctx, client_id, tok.account, tok.scope, tok.resource, refresh=False)
        if _app_for(state, client_id, tok.account) is None:
            app_id = ctx.sandbox.next_id("oauth_app")
            state.apps[app_id] = App(app_id, client_id, tok.account, "all", now)
        out = _token_body(ctx, access, None)
        out["issued_token_type"] = ACCESS_TOKEN_TYPE
        return out
    if not grant:
        raise oauth_error("invalid_request", "Missing parameter: grant_type.")
    raise oauth_error("unsupported_grant_type")


def _client_secret(state: OAuthState, params: dict[str, Any]) -> Client:
    """Authenticate a confidential client by ``client_id`` + ``client_secret`` (401)."""
    client = state.clients.get(str(params.get("client_id") or ""))
    secret = params.get("client_secret")
    if (
        client is None
        or client.secret is None
        or not isinstance(secret, str)
        or not hmac.compare_digest(secret, client.secret)
    ):
        raise oauth_error("invalid_client", "Client authentication failed.", status=401)
    return client


# ----------------------------------------------------------------------------- apps
def _app_json(state: OAuthState, app: App) -> dict[str, Any]:
    client = state.clients[app.client_id]
    return {
        "id": app.id,
        "client_id": app.client_id,
        "client_name": client.client_name,
        "scope": app.scope,
        "created_at": iso(app.created_at),
    }


@router.op("oauth_apps_list")
def oauth_apps_list(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    """Apps the caller authorised."""
    state = _state(ctx)
    apps = sorted((a for a in state.apps.values() if a.account is ctx.account), key=lambda a: a.id)
    return [_app_json(state, a) for a in apps]


@router.op("oauth_apps_delete")
def oauth_apps_delete(ctx: Ctx, req: Request, app_id: str) -> Response:
    """Disconnect an app: its tokens for this user stop working; 204."""
    state = _state(ctx)
    app = state.apps.get(int(app_id)) if app_id.isdigit() else None
    if app is None or app.account is not ctx.account:
        raise ApiError(404, {"detail": "Not found."})
    del state.apps[app.id]
    for tok in state.tokens.values():
        if tok.client_id == app.client_id and tok.account is ctx.account:
            tok.revoked = True
    return Response.empty(204)


# ----------------------------------------------------------------------------- introspect
@router.op("oauth_introspect")
def oauth_introspect(ctx: Ctx, req: Request) -> dict[str, Any]:
    """RFC 7662 for confidential clients (``client_id`` + ``client_secret``; 401 if wrong)."""
    state = _state(ctx)
    params = _params(req)
    _client_secret(state, params)
    (value,) = _required(params, "token")
    tok = state.tokens.get(value)
    now = ctx.now()
    if (
        tok is None
        or tok.revoked
        or now >= tok.expires_at
        or _app_for(state, tok.client_id, tok.account) is None
    ):
        return {"active": False}
    return {
        "active": True,
        "aud": tok.resource or tok.client_id,
        "scope": tok.scope,
        "exp": int(tok.expires_at.timestamp()),
        "iat": int(tok.issued_at.timestamp()),
        "sub": tok.account.id,
        "client_id": tok.client_id,
        "token_type": "Bearer" if tok.kind == "access" else "refresh_token",
    }
