"""OAuth login end to end against the sandbox: register once, S256 + state, a one-shot
loopback listener, code exchange, user-only token file, refresh, rotation, logout."""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

import toolkit as ic
from toolkit._config import SANDBOX_BASE_URL
from toolkit._login import (
    FileTokenStore,
    LoginError,
    login,
    login_main,
    logout,
    session_client,
    stored_client,
)
from toolkit.sandbox import Sandbox


def browser(sb: Sandbox, seen: dict[str, Any], tamper: Callable[[dict], dict] | None = None):
    """A stand-in for the user's browser: the sandbox approves, the redirect goes to the
    toolkit's real 127.0.0.1 listener (over the loopback network)."""

    def open_url(url: str) -> None:
        seen["authorize_url"] = url
        with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as http:
            location = http.get(url).headers["location"]
        parts = urlsplit(location)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seen["code"] = query.get("code")
        if tamper is not None:
            query = tamper(query)
        target = f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
        seen["page"] = httpx.get(target).text
        seen["done"].set()

    seen["done"] = threading.Event()
    return open_url


def _login(sb: Sandbox, store: FileTokenStore, seen: dict[str, Any], **kw: Any) -> ic.Client:
    return login(
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store=store,
        open_browser=browser(sb, seen, kw.pop("tamper", None)),
        timeout=20,
        **kw,
    )


@pytest.fixture
def store(tmp_path: Path) -> FileTokenStore:
    return FileTokenStore(tmp_path / "cfg" / "tokens.json")


def test_login_signs_in_and_stores_tokens_for_the_user_only(
    sb: Sandbox, store: FileTokenStore
) -> None:
    seen: dict[str, Any] = {}
    client = _login(sb, store, seen)
    query = parse_qs(urlsplit(seen["authorize_url"]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["state"][0]) >= 16
    assert seen["done"].wait(10) and "Signed in" in seen["page"]
    assert client.account.credits().status_code == 200
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    token = client.oauth_session.access_token  # type: ignore[attr-defined]
    assert token not in repr(client) and token not in repr(client.oauth_session)  # type: ignore[attr-defined]
    first_id = store.load(SANDBOX_BASE_URL)["client_id"]
    _login(sb, store, {})  # a second login reuses the registration
    assert store.load(SANDBOX_BASE_URL)["client_id"] == first_id
    assert [e.operation for e in sb.log].count("oauth_register") == 1


def test_a_wrong_state_is_refused_and_nothing_is_stored(sb: Sandbox, store: FileTokenStore) -> None:
    def forge(query: dict) -> dict:
        return {**query, "state": "forged-state-value"}

    with pytest.raises(LoginError, match="wrong state"):
        _login(sb, store, {}, tamper=forge)
    assert "access_token" not in (store.load(SANDBOX_BASE_URL) or {})
    assert "oauth_token" not in [e.operation for e in sb.log]  # the code was never exchanged


def test_a_reused_code_and_a_wrong_verifier_are_refused(sb: Sandbox, store: FileTokenStore) -> None:
    seen: dict[str, Any] = {}
    client = _login(sb, store, seen)
    entry = store.load(SANDBOX_BASE_URL)
    with pytest.raises(ic.BadRequestError, match="already used"):
        client.oauth.exchange_code(
            seen["code"],
            client_id=entry["client_id"],
            code_verifier="x" * 64,
            redirect_uri=entry["redirect_uri"],
        )
    pair = ic.Client(access_token="unused", base_url=SANDBOX_BASE_URL).oauth.pkce()
    location = client.oauth.authorize(
        entry["client_id"], entry["redirect_uri"], code_challenge=pair.challenge
    ).data
    with pytest.raises(ic.BadRequestError, match="PKCE"):
        client.oauth.exchange_code(
            location["code"],
            client_id=entry["client_id"],
            code_verifier="not-the-verifier-" + "y" * 50,
            redirect_uri=entry["redirect_uri"],
        )


def test_an_expired_token_is_refreshed_and_the_refresh_token_rotates(
    sb: Sandbox, store: FileTokenStore
) -> None:
    client = _login(sb, store, {})
    session = client.oauth_session  # type: ignore[attr-defined]
    old_access, old_refresh = session.access_token, session.refresh_token
    sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 5)  # the server says: expired
    assert client.account.credits().status_code == 200  # 401, refreshed, sent again
    assert session.access_token != old_access and session.refresh_token != old_refresh
    assert store.load(SANDBOX_BASE_URL)["refresh_token"] == session.refresh_token
    with pytest.raises(ic.BadRequestError, match="invalid"):
        client.oauth.refresh(old_refresh, client_id=session.client_id)  # rotated away


def test_a_token_about_to_expire_is_refreshed_before_the_call(
    sb: Sandbox, store: FileTokenStore
) -> None:
    now = [1_000_000.0]
    client = _login(sb, store, {}, clock=lambda: now[0])
    session = client.oauth_session  # type: ignore[attr-defined]
    before = session.access_token
    now[0] = session.expires_at - 10  # inside the refresh margin
    client.account.credits()
    ops = [e.operation for e in sb.log]
    assert session.access_token != before
    assert ops[-2:] == ["oauth_token", "account_credits"]  # refreshed first, no 401 met
    assert all(e.status != 401 for e in sb.log)


def test_logout_disconnects_the_app_and_forgets_the_tokens(
    sb: Sandbox, store: FileTokenStore
) -> None:
    client = _login(sb, store, {})
    token = client.oauth_session.access_token  # type: ignore[attr-defined]
    assert logout(client) is True
    revoked = ic.Client(access_token=token, base_url=SANDBOX_BASE_URL, transport=sb.transport())
    with revoked, pytest.raises(ic.AuthenticationError):
        revoked.account.credits()
    assert "access_token" not in store.load(SANDBOX_BASE_URL)
    assert stored_client(base_url=SANDBOX_BASE_URL, store=store) is None


def test_login_main_reports_status_without_the_token(
    sb: Sandbox, store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _login(sb, store, {})
    monkeypatch.setenv("INFLUENCERS_CLUB_TOKEN_FILE", str(store.path))
    token = store.load(SANDBOX_BASE_URL)["access_token"]
    assert login_main(["status", "--base-url", SANDBOX_BASE_URL]) == 0
    out = capsys.readouterr().out
    assert "signed in" in out and token not in out


def test_api_key_helpers_rename_deactivate_expire_delete(sb: Sandbox) -> None:
    with ic.Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport()) as c:
        key = c.account.api_keys.create("ci").data
        use = ic.Client(api_key=key["token"], base_url=SANDBOX_BASE_URL, transport=sb.transport())
        assert c.account.api_keys.rename(key["id"], "ci nightly").data["name"] == "ci nightly"
        c.account.api_keys.deactivate(key["id"])
        with pytest.raises(ic.AuthenticationError):
            use.account.credits()
        c.account.api_keys.activate(key["id"])
        assert use.account.credits().status_code == 200
        c.account.api_keys.expire(key["id"], at=sb.clock.now())
        with pytest.raises(ic.AuthenticationError):
            use.account.credits()
        c.account.api_keys.delete(key["id"])
        assert key["id"] not in [k["id"] for k in c.account.api_keys.list().data]
        use.close()


def _threads(n: int, work: Callable[[], Any]) -> list[Any]:
    """Run ``work`` in ``n`` threads released together; their results (or exceptions)."""
    start = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        start.wait()
        try:
            out[i] = work()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


@pytest.mark.parametrize("expired_by", ["server", "client clock"])
def test_concurrent_calls_with_an_expired_token_refresh_once_through_limiter_and_ledger(
    sb: Sandbox, store: FileTokenStore, expired_by: str
) -> None:
    now = [1_000_000.0]
    session = _login(sb, store, {}, clock=lambda: now[0]).oauth_session  # type: ignore[attr-defined]
    limiter = ic.RateLimiter(10**6)
    client = session_client(session, transport=sb.transport(), rate_limiter=limiter)
    before, first = session.access_token, len(sb.log)
    if expired_by == "server":  # the client believes the token valid: every call meets a 401
        sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 5)
    else:  # the client sees it expiring before sending
        now[0] = session.expires_at - 1
    results = _threads(12, lambda: client.account.credits().status_code)
    assert results == [200] * 12, results
    seen = list(sb.log)[first:]
    assert [e.operation for e in seen].count("oauth_token") == 1  # one refresh for all twelve
    assert all(e.status == 200 for e in seen if e.operation == "oauth_token")
    assert session.access_token != before
    assert store.load(SANDBOX_BASE_URL)["refresh_token"] == session.refresh_token
    assert len(limiter.granted) == len(seen)  # every request the server saw, the refresh too
    ops = [(e["operation"], e["status"]) for e in client.ledger.entries]
    assert ops.count(("oauth_token", 200)) == 1 and ops.count(("account_credits", 200)) == 12
    refused = [e for e in seen if e.status == 401]  # each such call is re-sent once, after
    assert ops.count(("account_credits", 401)) == len(refused) <= 12
    refresh = next(e for e in client.ledger.entries if e["operation"] == "oauth_token")
    assert not refresh["credits_cost"]  # recorded as a free call
    client.close()


def test_a_refresh_token_that_no_longer_works_says_sign_in_again(
    sb: Sandbox, store: FileTokenStore
) -> None:
    client = _login(sb, store, {})
    session = client.oauth_session  # type: ignore[attr-defined]
    client.oauth.refresh(session.refresh_token, client_id=session.client_id)  # rotated elsewhere
    with pytest.raises(LoginError, match="sign in again") as info:
        client.account.credits()
    assert isinstance(info.value.__cause__, ic.BadRequestError)
    assert [e.operation for e in sb.log][-2:] == ["account_credits", "oauth_token"]


def test_two_clients_of_one_stored_login_refresh_once_between_them(
    sb: Sandbox, store: FileTokenStore
) -> None:
    _login(sb, store, {})
    a, b = (
        stored_client(base_url=SANDBOX_BASE_URL, store=store, transport=sb.transport())
        for _ in range(2)
    )
    assert a is not None and b is not None
    sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 5)
    first = len(sb.log)
    clients = [a, b] * 5
    results = _threads(10, lambda: clients.pop().account.credits().status_code)
    assert results == [200] * 10, results
    assert [e.operation for e in list(sb.log)[first:]].count("oauth_token") == 1
    assert a.oauth_session.access_token == b.oauth_session.access_token  # type: ignore[attr-defined]
    a.close()
    b.close()


def test_a_refreshed_login_after_a_restart_finds_what_it_already_paid_for(
    sb: Sandbox, store: FileTokenStore, tmp_path: Path
) -> None:
    """The journal, the job registry and the cache are filed under the login, not under its
    access token (which every refresh replaces): a refresh plus a kernel restart must not
    lead to paying for the same creators again."""
    from toolkit.store import open_store

    data = open_store(str(tmp_path / "store.sqlite3"))
    names = [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)][:4]
    first = _login(sb, store, {})
    before = first.identity_fingerprint
    paid = first.creators.enrich_many(names, "instagram", mode="raw", store=data, progress=False)
    assert paid.credits_spent > 0
    first.close()
    sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 5)  # the token expires...
    again = stored_client(base_url=SANDBOX_BASE_URL, store=store, transport=sb.transport())
    assert again is not None
    again.account.credits()  # ...is refreshed (a new access token)...
    assert again.oauth_session.access_token != first.oauth_session.access_token  # type: ignore[attr-defined]
    # ...and the restarted client is still the same login
    assert again.identity_fingerprint == before
    used = float(sb.account.used)
    redo = again.creators.enrich_many(names, "instagram", mode="raw", store=data, progress=False)
    assert redo.credits_spent == 0 and redo.results["from_journal"].all()
    assert float(sb.account.used) == used
    # a new sign-in is a new login: it starts its own journal
    assert _login(sb, store, {}).identity_fingerprint != before
    again.close()
    data.close()


def test_a_session_never_adopts_the_tokens_of_another_sign_in(
    sb: Sandbox, store: FileTokenStore
) -> None:
    """Two sign-ins on one app registration (two users, one machine): when the first
    refreshes it must not take the second's tokens, or it would act as the other user
    while filing the answers under its own login."""
    first = _login(sb, store, {})
    mine = first.oauth_session  # type: ignore[attr-defined]
    second = _login(sb, store, {})  # stores its own tokens over the first's
    theirs = second.oauth_session  # type: ignore[attr-defined]
    assert theirs.client_id == mine.client_id and theirs.login_id != mine.login_id
    their_refresh = theirs.refresh_token
    sb.clock.advance(seconds=sb.settings.oauth_access_ttl + 5)
    assert first.account.credits().status_code == 200  # refreshed with its own token...
    # ...so the other sign-in's refresh token was never spent (rotation would void it)
    assert second.oauth.refresh(their_refresh, client_id=theirs.client_id).status_code == 200
    first.close()
    second.close()
