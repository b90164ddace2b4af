"""OAuth 2.0 with PKCE."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

P = "/public/v1/oauth/"
CREDITS = "/public/v1/accounts/credits/"
REDIRECT = "http://127.0.0.1:8400/callback"


@pytest.fixture
def anon(sb: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sb.transport(), base_url="https://sandbox.test") as client:
        yield client


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register(anon: httpx.Client, **extra: Any) -> dict[str, Any]:
    r = anon.post(
        P + "register/", json={"client_name": "App", "redirect_uris": [REDIRECT], **extra}
    )
    assert r.status_code == 201, r.text
    return r.json()


def authorize(
    anon: httpx.Client, client: dict[str, Any], challenge: str, **over: str
) -> httpx.Response:
    params = {
        "client_id": client["client_id"],
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "st-42",
        **over,
    }
    return anon.get(P + "authorize/", params=params)


def login(anon: httpx.Client, client: dict[str, Any]) -> dict[str, Any]:
    verifier, challenge = pkce()
    code = parse_qs(urlsplit(authorize(anon, client, challenge).headers["location"]).query)
    r = anon.post(
        P + "token/",
        data={
            "grant_type": "authorization_code",
            "code": code["code"][0],
            "code_verifier": verifier,
            "redirect_uri": REDIRECT,
            "client_id": client["client_id"],
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_register_answers_the_documented_fields(anon: httpx.Client) -> None:
    client = register(anon)
    assert client["token_endpoint_auth_method"] == "none"
    assert client["grant_types"] == ["authorization_code", "refresh_token"]
    assert client["response_types"] == ["code"] and client["scope"] == "all"
    assert "client_secret" not in client
    assert anon.post(P + "register/", json={"client_name": "x"}).status_code == 400


def test_authorize_redirects_with_code_and_echoed_state(anon: httpx.Client) -> None:
    client = register(anon)
    r = authorize(anon, client, pkce()[1])
    assert r.status_code == 302
    target = urlsplit(r.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT
    query = parse_qs(target.query)
    assert query["state"] == ["st-42"] and query["code"][0]


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"redirect_uri": REDIRECT + "/other"}, "invalid_request"),  # exact match only
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"client_id": "icc_unknown"}, "invalid_client"),
    ],
)
def test_authorize_refuses_bad_requests_without_redirecting(
    anon: httpx.Client, override: dict[str, str], error: str
) -> None:
    r = authorize(anon, register(anon), pkce()[1], **override)
    assert r.status_code == 400 and "location" not in r.headers
    assert r.json()["error"] == error


def test_access_token_is_a_bearer_credential(sb: Sandbox, anon: httpx.Client) -> None:
    tokens = login(anon, register(anon))
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == "all"
    assert tokens["expires_in"] == sb.settings.oauth_access_ttl
    with client_for(sb, tokens["access_token"]) as http:
        assert http.get(CREDITS).status_code == 200


def test_pkce_is_verified_and_codes_are_single_use(anon: httpx.Client) -> None:
    client = register(anon)
    verifier, challenge = pkce()
    code = parse_qs(urlsplit(authorize(anon, client, challenge).headers["location"]).query)
    form = {
        "grant_type": "authorization_code",
        "code": code["code"][0],
        "code_verifier": pkce()[0],  # not the one behind the challenge
        "redirect_uri": REDIRECT,
        "client_id": client["client_id"],
    }
    r = anon.post(P + "token/", data=form)
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    form["code_verifier"] = verifier
    assert anon.post(P + "token/", json=form).status_code == 200  # JSON works too
    r = anon.post(P + "token/", data=form)
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")


def test_refresh_rotates_and_kills_the_old_access_token(sb: Sandbox, anon: httpx.Client) -> None:
    client = register(anon)
    first = login(anon, client)
    form = {
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "client_id": client["client_id"],
    }
    second = anon.post(P + "token/", data=form).json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    with client_for(sb, first["access_token"]) as old:
        assert old.get(CREDITS).status_code == 401
    with client_for(sb, second["access_token"]) as new:
        assert new.get(CREDITS).status_code == 200
    r = anon.post(P + "token/", data=form)  # the old refresh token is spent
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")


def test_access_tokens_expire_by_the_sandbox_clock(sb: Sandbox, anon: httpx.Client) -> None:
    tokens = login(anon, register(anon))
    with client_for(sb, tokens["access_token"]) as http:
        sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 1)
        assert http.get(CREDITS).status_code == 401


def test_disconnecting_an_app_revokes_its_tokens(sb: Sandbox, anon: httpx.Client) -> None:
    client = register(anon)
    tokens = login(anon, client)
    with client_for(sb) as owner:
        apps = owner.get(P + "apps/").json()
        assert [a["client_id"] for a in apps] == [client["client_id"]]
        assert owner.delete(f"{P}apps/{apps[0]['id']}/").status_code == 204
        assert owner.get(P + "apps/").json() == []
        assert owner.delete(f"{P}apps/{apps[0]['id']}/").status_code == 404
    with client_for(sb, tokens["access_token"]) as http:
        assert http.get(CREDITS).status_code == 401


def test_introspection_needs_a_confidential_client(anon: httpx.Client) -> None:
    client = register(anon, token_endpoint_auth_method="client_secret_post")
    assert client["client_secret"].startswith("ics_")
    tokens = login(anon, client)
    form = {
        "token": tokens["access_token"],
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    out = anon.post(P + "introspect/", data=form).json()
    assert out["active"] is True and out["scope"] == "all"
    assert out["aud"] == client["client_id"] and isinstance(out["exp"], int)
    assert anon.post(P + "introspect/", data={**form, "token": "nope"}).json() == {"active": False}
    r = anon.post(P + "introspect/", data={**form, "client_secret": "wrong"})
    assert (r.status_code, r.json()["error"]) == (401, "invalid_client")
    public = register(anon)
    r = anon.post(P + "introspect/", data={**form, "client_id": public["client_id"]})
    assert r.status_code == 401


def test_unknown_grant_type(anon: httpx.Client) -> None:
    client = register(anon)
    r = anon.post(P + "token/", data={"grant_type": "password", "client_id": client["client_id"]})
    assert (r.status_code, r.json()["error"]) == (400, "unsupported_grant_type")
