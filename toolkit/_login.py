"""OAuth login for notebook and command-line users: ``ic.login()``, ``influencers-club login``.

The flow (RFC 6749, 7636 and 8252 §7.3 for the loopback redirect):

1. register the app once (``client_id`` kept in the token store with its redirect URI);
2. open the authorize URL with a fresh S256 challenge and a random ``state``;
3. receive the redirect on a one-shot listener on 127.0.0.1 and check ``state``;
4. exchange the code (with the verifier) for tokens and store them: the system keyring
   when the ``keyring`` package has a usable backend, else a file readable by the user
   only (``~/.config/influencers-club/tokens.json``, or ``$INFLUENCERS_CLUB_TOKEN_FILE``);
5. afterwards every request carries the current access token; it is refreshed shortly
   before it expires or after a 401, and the rotated tokens are stored again. A refresh is
   an ordinary call of the client (rate limiter, ledger, error tree; never re-sent blindly,
   since a rotated refresh token works once) and single-flight: concurrent callers that
   need one wait for the one in progress and use its tokens;
6. :func:`logout` disconnects the app (its tokens stop working) and forgets them.

Authlib's httpx client was considered: it is a second HTTP client beside the toolkit's
(its own retries, no ledger, no limiter, no error tree), and what it would add here, the
PKCE pair and the URL, is already in ``toolkit.resources.oauth``. An ``httpx.Auth`` flow
only puts the current token on each request; the refresh is a call of the client itself.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Generator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from toolkit._call import Call
from toolkit._client import Client
from toolkit._config import resolve_base_url
from toolkit._core import Outcome
from toolkit._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    InfluencersClubError,
    LoginError,
    finish_error,
)
from toolkit._results import Result
from toolkit._tokens import FileTokenStore, OAuthSession, default_store
from toolkit.resources.oauth import pkce

__all__ = [
    "FileTokenStore",
    "LoginError",
    "OAuthSession",
    "SessionClient",
    "TokenAuth",
    "default_store",
    "login",
    "login_main",
    "logout",
]


class TokenAuth(httpx.Auth):
    """Puts the session's current access token on every request that carries a credential.

    Requests without an ``Authorization`` header (the open OAuth endpoints) pass untouched.
    Refreshing is not done here but by :class:`SessionClient`, outside any rate-limiter
    slot, as a call of its own.
    """

    def __init__(self, session: OAuthSession) -> None:
        self.session = session

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "authorization" in request.headers:
            request.headers["Authorization"] = f"Bearer {self.session.access_token}"
        yield request


class SessionClient(Client):
    """A :class:`~toolkit.Client` acting with an :class:`OAuthSession`'s tokens.

    Before a call whose token is about to expire, and once after a call met a 401, the
    tokens are refreshed with ``client.oauth.refresh`` (so the refresh waits for the rate
    limiter and is in the ledger like any free call). One refresh at a time per session:
    a caller that finds a refresh in progress waits for it and uses the new token, so a
    rotated refresh token is never sent twice; sessions of the same login (two clients
    from the stored tokens) take the tokens one of them stored instead of refreshing again. A call refused with 401 stays in the ledger
    as such (nothing was charged); its re-send is the next entry.
    """

    oauth_session: OAuthSession

    def request(self, call: Call) -> Result:
        s = self.oauth_session
        if not call.auth or not s.refresh_token:
            return super().request(call)
        if s.expiring:
            with contextlib.suppress(APIError):  # refused: the token may still work; a 401 says
                self._refresh(stale=None)
        used = s.access_token
        try:
            return super().request(call)
        except AuthenticationError as err:
            if err.status != 401:
                raise
            try:
                self._refresh(stale=used)
            except (BadRequestError, AuthenticationError) as exc:  # invalid_grant: signed out
                raise LoginError(
                    "the OAuth session has expired and could not be refreshed "
                    f"({exc.detail or exc.status}); sign in again with ic.login()"
                ) from exc
        return super().request(call)  # once, with the new token

    def _refresh(self, *, stale: str | None) -> None:
        """Refresh unless another caller did while this one waited (single-flight).

        ``stale`` is the token a 401 refused (refresh unless the session moved on from
        it), or ``None`` before expiry (refresh unless it is no longer expiring).
        """
        s = self.oauth_session
        with s.lock:
            s.adopt_stored()
            if (s.access_token != stale) if stale is not None else not s.expiring:
                return
            if not s.refresh_token:
                return
            s.update(self.oauth.refresh(s.refresh_token, client_id=s.client_id).data)

    def _scrub(self, call: Call, outcome: Outcome) -> Outcome:
        if isinstance(outcome, InfluencersClubError):  # tokens rotate: scrub the current ones
            s = self.oauth_session
            for token in (s.access_token, s.refresh_token):
                if token:
                    finish_error(outcome, call.method, call.path, secret=token)
        return super()._scrub(call, outcome)


# ----------------------------------------------------------------------------- listener
class _Redirect(BaseHTTPRequestHandler):
    result: dict[str, str] | None = None

    def do_GET(self) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if "code" not in query and "error" not in query:
            self.send_error(404)
            return
        type(self).result = query
        ok = "code" in query
        body = (
            "<!doctype html><title>Influencers Club</title><p>"
            + ("Signed in. You can close this window." if ok else "Sign-in was not completed.")
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the query holds the authorization code."""


def _listener(port: int) -> tuple[HTTPServer, type[_Redirect]]:
    handler = type("Redirect", (_Redirect,), {"result": None})
    return HTTPServer(("127.0.0.1", port), handler), handler


def _wait_for_redirect(
    server: HTTPServer, handler: type[_Redirect], timeout: float
) -> dict[str, str]:
    server.timeout = 0.2
    deadline = time.monotonic() + timeout
    try:
        while (result := handler.result) is None:
            if time.monotonic() > deadline:
                raise LoginError(f"no sign-in arrived within {timeout:g} s; run login() again")
            server.handle_request()
    finally:
        server.server_close()
    return result


# ----------------------------------------------------------------------------- login
def _public_client(base_url: str, transport: Any) -> Client:
    """A client for the open OAuth endpoints (no credential is sent to them)."""
    return Client(access_token="oauth-login", base_url=base_url, transport=transport)


def login(
    *,
    base_url: str | None = None,
    transport: httpx.BaseTransport | None = None,
    store: Any = None,
    open_browser: Callable[[str], Any] = webbrowser.open,
    timeout: float = 300.0,
    client_name: str = "Influencers Club toolkit",
    clock: Callable[[], float] = time.time,
) -> SessionClient:
    """Sign in with OAuth in a browser and return a client acting for the user.

    Registers the app on first use (the ``client_id`` is kept), opens the consent page,
    waits for the redirect on 127.0.0.1, checks ``state``, exchanges the code with the
    PKCE verifier and stores the tokens (keyring, else a user-only file). The client
    refreshes its token by itself.

    >>> client = ic.login()          # doctest: +SKIP
    """
    base = resolve_base_url(base_url)
    store = store if store is not None else default_store()
    public = _public_client(base, transport)
    saved = store.load(base) or {}
    listener: tuple[HTTPServer, type[_Redirect]] | None = None
    if saved.get("client_id") and saved.get("redirect_uri"):
        with contextlib.suppress(OSError):  # its port may be taken now: register anew
            listener = _listener(urlsplit(saved["redirect_uri"]).port or 0)
    if listener is None:
        listener = _listener(0)
        server = listener[0]
        redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
        reg = public.oauth.register(client_name, [redirect_uri]).data
        saved = {"client_id": reg["client_id"], "redirect_uri": redirect_uri}
        store.save(base, saved)
    server, handler = listener
    client_id, redirect_uri = saved["client_id"], saved["redirect_uri"]
    pair = pkce()
    url = public.oauth.authorize_url(
        client_id, redirect_uri, code_challenge=pair.challenge, state=pair.state
    )
    print(
        f"[toolkit] opening the sign-in page; if no browser opens, visit:\n{url}", file=sys.stderr
    )
    threading.Thread(target=open_browser, args=(url,), daemon=True).start()
    answer = _wait_for_redirect(server, handler, timeout)
    if not secrets.compare_digest(answer.get("state", ""), pair.state):
        raise LoginError("the sign-in answer carries the wrong state (possible forgery); ignored")
    if "error" in answer:
        raise LoginError(
            f"sign-in refused: {answer['error']} {answer.get('error_description', '')}"
        )
    tokens = public.oauth.exchange_code(
        answer["code"], client_id=client_id, code_verifier=pair.verifier, redirect_uri=redirect_uri
    ).data
    public.close()
    session = OAuthSession(base, client_id, redirect_uri, "", None, 0.0, store=store, clock=clock)
    session.update(tokens)
    return session_client(session, transport=transport)


def session_client(session: OAuthSession, *, transport: Any = None, **kw: Any) -> SessionClient:
    """A client that sends ``session``'s token and keeps it fresh."""
    client = SessionClient(
        access_token=session.access_token,
        base_url=session.base_url,
        transport=transport,
        identity=f"oauth:{session.client_id}:{session.login_id}",
        **kw,
    )
    client._http.auth = TokenAuth(session)
    client.oauth_session = session
    return client


def stored_client(
    *, base_url: str | None = None, store: Any = None, transport: Any = None, **kw: Any
) -> Client | None:
    """A client from tokens a previous :func:`login` stored, or ``None`` if there are none."""
    base = resolve_base_url(base_url)
    store = store if store is not None else default_store()
    entry = store.load(base)
    if not entry or not entry.get("access_token"):
        return None
    session = OAuthSession(
        base,
        entry["client_id"],
        entry["redirect_uri"],
        entry["access_token"],
        entry.get("refresh_token"),
        float(entry.get("expires_at") or 0),
        store=store,
        # tokens stored before login ids existed: the app's id is the steadiest name left
        login_id=str(entry.get("login_id") or entry["client_id"]),
    )
    return session_client(session, transport=transport, **kw)


def logout(client: Client, *, store: Any = None) -> bool:
    """Disconnect the app (its tokens stop working) and forget the stored tokens.

    Returns whether an authorised app was found and removed.
    """
    session: OAuthSession | None = getattr(client, "oauth_session", None)
    if session is None:
        raise LoginError("this client was not made by login(); nothing to log out of")
    apps = client.oauth.apps().data
    items = apps.get("results", apps) if isinstance(apps, dict) else apps
    mine = [
        a for a in items or [] if isinstance(a, dict) and a.get("client_id") == session.client_id
    ]
    for app in mine:
        client.oauth.delete_app(app["id"])
    entry = {"client_id": session.client_id, "redirect_uri": session.redirect_uri}
    (store or session.store).save(session.base_url, entry)  # keep the registration only
    return bool(mine)


# ----------------------------------------------------------------------------- CLI
def login_main(argv: list[str] | None = None) -> int:
    """``influencers-club login|logout|status``: sign in, out, or show who is signed in."""
    parser = argparse.ArgumentParser(prog="influencers-club", description=login_main.__doc__)
    parser.add_argument("action", choices=("login", "logout", "status"), nargs="?", default="login")
    parser.add_argument("--base-url", default=None, help="API server (default: production)")
    parser.add_argument("--no-browser", action="store_true", help="print the URL, open nothing")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    try:
        if args.action == "login":
            opener: Callable[[str], Any] = (
                (lambda _url: None) if args.no_browser else webbrowser.open
            )
            signed_in = login(base_url=args.base_url, open_browser=opener, timeout=args.timeout)
            print(f"signed in: {signed_in.oauth_session!r}")
            return 0
        client = stored_client(base_url=args.base_url)
        if client is None:
            print("not signed in (run: influencers-club login)")
            return 1 if args.action == "logout" else 0
        if args.action == "status":
            print(f"signed in: {client.oauth_session!r}")
            return 0
        removed = logout(client)
        print("signed out" + ("" if removed else " (the app was already disconnected)"))
        return 0
    except InfluencersClubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
