"""OAuth: PKCE pair, consent URL, the authorize redirect read without following it."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from toolkit import AuthenticationError, BadRequestError, Client
from toolkit.resources.oauth import pkce

REDIRECT = "http://127.0.0.1:8888/callback"


def test_pkce_pair_is_s256_and_fresh() -> None:
    a, b = pkce(), pkce()
    assert a.verifier != b.verifier and a.state != b.state
    assert 43 <= len(a.verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(a.verifier.encode()).digest()).rstrip(b"=")
    assert a.challenge == expected.decode()
    assert a.verifier not in repr(a)


def test_authorize_url_sends_nothing(client: Client, recorder) -> None:
    pair = pkce()
    url = client.oauth.authorize_url(
        "icc_1", REDIRECT, code_challenge=pair.challenge, state=pair.state
    )
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(client.base_url + "/public/v1/oauth/authorize/?")
    assert query == {
        "client_id": "icc_1",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "code_challenge": pair.challenge,
        "code_challenge_method": "S256",
        "state": pair.state,
    }
    assert recorder.sent == []


def test_full_flow_and_refresh_rotation(client: Client) -> None:
    app = client.oauth.register("Notebook", [REDIRECT]).data
    pair = pkce()
    got = client.oauth.authorize(
        app["client_id"], REDIRECT, code_challenge=pair.challenge, state=pair.state
    )
    assert got.status_code == 302 and got.data["state"] == pair.state
    tokens = client.oauth.exchange_code(
        got.data["code"],
        client_id=app["client_id"],
        code_verifier=pair.verifier,
        redirect_uri=REDIRECT,
    )
    assert tokens.params["code"] == "***" and tokens.params["code_verifier"] == "***"
    new = client.oauth.refresh(tokens.data["refresh_token"], client_id=app["client_id"]).data
    old = Client(
        access_token=tokens.data["access_token"],
        base_url=client.base_url,
        transport=client._http._transport,
    )
    with pytest.raises(AuthenticationError):
        old.account.credits()  # refreshing killed the previous access token (§13.3)
    fresh = Client(
        access_token=new["access_token"],
        base_url=client.base_url,
        transport=client._http._transport,
    )
    assert fresh.account.credits().status_code == 200
    with pytest.raises(BadRequestError) as info:  # codes are single-use (RFC 6749)
        client.oauth.exchange_code(
            got.data["code"],
            client_id=app["client_id"],
            code_verifier=pair.verifier,
            redirect_uri=REDIRECT,
        )
    assert "invalid_grant" in str(info.value)
