"""OAuth 2.0 with PKCE: apps that act for a user. Free.

Order: :meth:`register` once, build the consent link with :meth:`authorize_url` (using a
fresh :func:`pkce` pair), let the user approve in a browser, then :meth:`token` (or
:meth:`exchange_code`) turns the returned ``code`` into tokens. :meth:`authorize` performs
the authorize GET itself and reads ``code``/``state`` off the redirect (what the sandbox
auto-approves; the real API redirects to a consent page instead).

>>> pair = pkce()
>>> len(pair.verifier) >= 43 and pair.method == "S256"
True
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._operations import operation
from toolkit._results import Result
from toolkit.resources._base import R, Resource

__all__ = ["PKCE", "AsyncOAuth", "OAuth", "pkce"]


@dataclass(frozen=True)
class PKCE:
    """A PKCE verifier, its S256 challenge and a CSRF ``state`` (RFC 7636). Repr hides the verifier."""

    verifier: str = field(repr=False)
    challenge: str
    state: str = field(repr=False)
    method: str = "S256"


def pkce() -> PKCE:
    """A fresh verifier (64 url-safe chars), ``BASE64URL(SHA256(verifier))`` and a state."""
    verifier = secrets.token_urlsafe(48)  # 64 chars, inside RFC 7636's 43-128
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return PKCE(verifier=verifier, challenge=challenge, state=secrets.token_urlsafe(16))


class _OAuthBase(Resource[R]):
    pkce = staticmethod(pkce)

    def register(
        self,
        client_name: str,
        redirect_uris: Sequence[str],
        *,
        scope: str | NotGiven = NOT_GIVEN,
        token_endpoint_auth_method: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/oauth/register/ — register an app (no credential; answers 201)."""
        # registrations cannot be listed: a lost answer is reported (match=None)
        return self._create(
            "oauth_register",
            match=None,
            json={
                "client_name": client_name,
                "redirect_uris": list(redirect_uris),
                "scope": scope,
                "token_endpoint_auth_method": token_endpoint_auth_method,
            },
        )

    def _authorize_query(
        self, client_id: str, redirect_uri: str, code_challenge: str, **optional: Any
    ) -> dict[str, Any]:
        query = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        query.update({k: v for k, v in optional.items() if v is not NOT_GIVEN and v is not None})
        return query

    def authorize_url(
        self,
        client_id: str,
        redirect_uri: str,
        *,
        code_challenge: str,
        state: str | NotGiven = NOT_GIVEN,
        scope: str | NotGiven = NOT_GIVEN,
        resource: str | NotGiven = NOT_GIVEN,
    ) -> str:
        """The consent link to open in a browser (GET /public/v1/oauth/authorize/); sends nothing."""
        query = self._authorize_query(
            client_id, redirect_uri, code_challenge, state=state, scope=scope, resource=resource
        )
        return f"{self._client.base_url}{operation('oauth_authorize').path}?{urlencode(query)}"

    def authorize(
        self,
        client_id: str,
        redirect_uri: str,
        *,
        code_challenge: str,
        state: str | NotGiven = NOT_GIVEN,
        scope: str | NotGiven = NOT_GIVEN,
        resource: str | NotGiven = NOT_GIVEN,
        login_hint: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/oauth/authorize/ — perform it; ``.data`` has ``code``, ``state``, ``location``.

        The redirect is not followed: its query is the answer.
        """
        query = self._authorize_query(
            client_id,
            redirect_uri,
            code_challenge,
            state=state,
            scope=scope,
            resource=resource,
            login_hint=login_hint,
        )
        return self._op("oauth_authorize", query=query, expect="redirect")

    def token(
        self,
        *,
        grant_type: str,
        client_id: str,
        code: str | NotGiven = NOT_GIVEN,
        code_verifier: str | NotGiven = NOT_GIVEN,
        redirect_uri: str | NotGiven = NOT_GIVEN,
        refresh_token: str | NotGiven = NOT_GIVEN,
        resource: str | NotGiven = NOT_GIVEN,
        client_secret: str | NotGiven = NOT_GIVEN,
        subject_token: str | NotGiven = NOT_GIVEN,
        subject_token_type: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/oauth/token/ (form-urlencoded, no credential) — get or rotate tokens."""
        form = {
            "grant_type": grant_type,
            "client_id": client_id,
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
            "refresh_token": refresh_token,
            "resource": resource,
            "client_secret": client_secret,
            "subject_token": subject_token,
            "subject_token_type": subject_token_type,
        }
        # a code and (with rotation) a refresh token work once: never re-sent blindly
        return self._create("oauth_token", form=form, match=None)

    def exchange_code(
        self, code: str, *, client_id: str, code_verifier: str, redirect_uri: str
    ) -> R:
        """POST /public/v1/oauth/token/ — ``grant_type=authorization_code`` with the PKCE verifier."""
        return self.token(
            grant_type="authorization_code",
            client_id=client_id,
            code=code,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )

    def refresh(self, refresh_token: str, *, client_id: str) -> R:
        """POST /public/v1/oauth/token/ — ``grant_type=refresh_token``; the old access token dies."""
        return self.token(
            grant_type="refresh_token", client_id=client_id, refresh_token=refresh_token
        )

    def apps(self) -> R:
        """GET /public/v1/oauth/apps/ — apps the user has authorised."""
        return self._op("oauth_apps_list")

    def delete_app(self, app_id: int | str) -> R:
        """DELETE /public/v1/oauth/apps/{app_id}/ — disconnect an app; its tokens stop working."""
        return self._op("oauth_apps_delete", path_params={"app_id": app_id})

    def introspect(self, token: str, *, client_id: str, client_secret: str) -> R:
        """POST /public/v1/oauth/introspect/ — RFC 7662 for confidential clients (form fields)."""
        return self._op(
            "oauth_introspect",
            form={"token": token, "client_id": client_id, "client_secret": client_secret},
        )


class OAuth(_OAuthBase[Result]):
    """OAuth for the sync client."""


class AsyncOAuth(_OAuthBase[Awaitable[Result]]):
    """OAuth for the async client (methods are awaitable)."""
