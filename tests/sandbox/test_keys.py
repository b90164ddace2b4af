"""Credits and API keys."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

TOKENS = "/public/v1/accounts/tokens/"
CREDITS = "/public/v1/accounts/credits/"


def test_credits_shape_and_top_up(sb: Sandbox, http: httpx.Client) -> None:
    assert http.get(CREDITS).json() == {"credits_available": 1000.0, "credits_used": 0.0}
    sb.add_credits(25.5)
    assert http.get(CREDITS).json()["credits_available"] == 1025.5


def test_list_shows_the_sandbox_key_in_full(sb: Sandbox, http: httpx.Client) -> None:
    keys = http.get(TOKENS).json()
    assert [k["token"] for k in keys] == [sb.api_key]
    assert keys[0]["scopes"] == ["all"] and keys[0]["active"] is True
    assert keys[0]["expires_at"] is None


def test_created_key_authenticates(sb: Sandbox, http: httpx.Client) -> None:
    r = http.post(TOKENS, json={"name": "etl"})
    assert r.status_code == 201
    new = r.json()
    assert new["name"] == "etl" and new["token"].startswith("sk_sandbox_")
    assert new["token"] != sb.api_key
    with client_for(sb, new["token"]) as other:
        assert other.get(CREDITS).status_code == 200
    listed = {k["id"]: k for k in http.get(TOKENS).json()}
    assert listed[new["id"]]["last_used_at"] is not None


def test_deactivated_key_is_401_until_reactivated(sb: Sandbox, http: httpx.Client) -> None:
    new = http.post(TOKENS, json={"name": "temp"}).json()
    patched = http.patch(f"{TOKENS}{new['id']}/", json={"active": False}).json()
    assert patched["active"] is False
    with client_for(sb, new["token"]) as other:
        r = other.get(CREDITS)
        assert (r.status_code, r.json()) == (401, {"detail": "Invalid token."})
        http.patch(f"{TOKENS}{new['id']}/", json={"active": True})
        assert other.get(CREDITS).status_code == 200


def test_key_expires_by_the_sandbox_clock(sb: Sandbox, http: httpx.Client) -> None:
    when = (sb.clock.now() + timedelta(hours=1)).isoformat()
    new = http.post(TOKENS, json={"name": "short", "expires_at": when}).json()
    with client_for(sb, new["token"]) as other:
        assert other.get(CREDITS).status_code == 200
        sb.clock.advance(hours=2)
        assert other.get(CREDITS).status_code == 401
        http.patch(f"{TOKENS}{new['id']}/", json={"expires_at": None})  # never expires
        assert other.get(CREDITS).status_code == 200


def test_deleted_key_is_gone(sb: Sandbox, http: httpx.Client) -> None:
    new = http.post(TOKENS, json={"name": "bye"}).json()
    r = http.delete(f"{TOKENS}{new['id']}/")
    assert (r.status_code, r.content) == (204, b"")
    assert new["id"] not in [k["id"] for k in http.get(TOKENS).json()]
    with client_for(sb, new["token"]) as other:
        assert other.get(CREDITS).status_code == 401
    assert http.delete(f"{TOKENS}{new['id']}/").status_code == 404


def test_invalid_input_is_a_drf_400(http: httpx.Client) -> None:
    r = http.post(TOKENS, json={"name": "x", "scopes": ["read"]})
    assert r.status_code == 400
    assert "scopes" in r.json()["error"]
    r = http.post(TOKENS, json={"expires_at": "next tuesday"})
    assert r.status_code == 400 and "expires_at" in r.json()["error"]


def test_other_accounts_keys_are_404(sb: Sandbox, http: httpx.Client) -> None:
    other = sb.add_account()
    assert http.patch(f"{TOKENS}{other.api_keys[0].id}/", json={"name": "x"}).status_code == 404
