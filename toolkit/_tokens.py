"""An OAuth login's tokens: :class:`OAuthSession`, and where they are kept (the system
keyring, else a user-only file).

``default_store()`` picks the keyring when the optional ``keyring`` package has a real
backend; otherwise :class:`FileTokenStore` writes ``~/.config/influencers-club/tokens.json``
(or ``$INFLUENCERS_CLUB_TOKEN_FILE``) with mode 0600 in a 0700 directory, replaced
atomically so no other user can ever read it. One entry per API base URL.

Below the clients: ``Client.oauth_session`` names an :class:`OAuthSession` and
``toolkit._login`` (sign-in, refresh) makes one, so neither imports the other for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._config import mask_secret
from toolkit._exceptions import LoginError

__all__ = [
    "ENV_TOKEN_FILE",
    "REFRESH_MARGIN",
    "FileTokenStore",
    "KeyringTokenStore",
    "OAuthSession",
    "default_store",
]

ENV_TOKEN_FILE = "INFLUENCERS_CLUB_TOKEN_FILE"
_KEYRING_SERVICE = "influencers-club-toolkit"


class FileTokenStore:
    """Tokens as JSON in a file only its owner can read or write (mode 0600, dir 0700)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        default = os.environ.get(ENV_TOKEN_FILE) or (
            Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
            / "influencers-club"
            / "tokens.json"
        )
        self.path = Path(path or default)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def _all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, base_url: str) -> dict[str, Any] | None:
        entry = self._all().get(base_url)
        return dict(entry) if isinstance(entry, dict) else None

    def save(self, base_url: str, entry: dict[str, Any]) -> None:
        data = self._all()
        data[base_url] = entry
        self._write(data)

    def delete(self, base_url: str) -> None:
        data = self._all()
        if data.pop(base_url, None) is not None:
            self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        """Replace the file atomically; created 0600 so no other user can ever read it."""
        if not data:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.chmod(tmp, 0o600)  # in case an older file of that name was wider
        os.replace(tmp, self.path)


class KeyringTokenStore:
    """Tokens in the system keyring (one entry per base URL)."""

    def __init__(self, keyring: Any) -> None:
        self._keyring = keyring

    def __repr__(self) -> str:
        return "KeyringTokenStore()"

    def load(self, base_url: str) -> dict[str, Any] | None:
        raw = self._keyring.get_password(_KEYRING_SERVICE, base_url)
        return json.loads(raw) if raw else None

    def save(self, base_url: str, entry: dict[str, Any]) -> None:
        self._keyring.set_password(_KEYRING_SERVICE, base_url, json.dumps(entry))

    def delete(self, base_url: str) -> None:
        with contextlib.suppress(Exception):
            self._keyring.delete_password(_KEYRING_SERVICE, base_url)


def default_store() -> FileTokenStore | KeyringTokenStore:
    """The system keyring when ``keyring`` is installed with a real backend, else the file."""
    try:
        import keyring  # optional: not a dependency
        from keyring.backends import fail
    except ImportError:
        return FileTokenStore()
    if isinstance(keyring.get_keyring(), fail.Keyring):
        return FileTokenStore()
    return KeyringTokenStore(keyring)


#: Refresh this many seconds before the access token expires, so no call meets a 401.
REFRESH_MARGIN = 60.0


_REFRESH_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_REFRESH_LOCKS_GUARD = threading.Lock()


def _refresh_lock(base_url: str, client_id: str) -> threading.Lock:
    """One lock per app and server in the process: every session of it refreshes in turn."""
    with _REFRESH_LOCKS_GUARD:
        return _REFRESH_LOCKS.setdefault((base_url, client_id), threading.Lock())


@dataclass
class OAuthSession:
    """The tokens of one login; saved to ``store`` whenever they change. Repr masks them."""

    base_url: str
    client_id: str
    redirect_uri: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float
    store: Any = field(repr=False, default=None)
    clock: Callable[[], float] = field(repr=False, default=time.time)
    #: names this sign-in for as long as its tokens are refreshed (a new ``login()`` gets a
    #: new one): what the cache, the journal and the job registry are keyed by, since the
    #: access token changes at every refresh
    login_id: str = field(default_factory=lambda: secrets.token_hex(8))
    #: held while a refresh is in flight: one at a time for every session of this app and
    #: server in the process (:class:`SessionClient`)
    lock: threading.Lock = field(repr=False, init=False)

    def __post_init__(self) -> None:
        self.lock = _refresh_lock(self.base_url, self.client_id)

    def __repr__(self) -> str:
        return (
            f"OAuthSession(base_url={self.base_url!r}, client_id={self.client_id!r}, "
            f"access_token={mask_secret(self.access_token)!r}, "
            f"expires_in={self.expires_at - self.clock():.0f}s)"
        )

    def entry(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "login_id": self.login_id,
        }

    def update(self, body: Any) -> None:
        """Take a token answer (``access_token``, ``refresh_token``, ``expires_in``)."""
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise LoginError("oauth_token: the answer holds no access token")
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token") or self.refresh_token
        self.expires_at = self.clock() + float(body.get("expires_in") or 3600)
        if self.store is not None:
            self.store.save(self.base_url, self.entry())

    @property
    def expiring(self) -> bool:
        return self.clock() >= self.expires_at - REFRESH_MARGIN

    def adopt_stored(self) -> None:
        """Take newer tokens another session (or process) of this login stored, if any:
        with rotation, refreshing with the old refresh token would fail."""
        entry = self.store.load(self.base_url) if self.store is not None else None
        if (
            isinstance(entry, dict)
            and entry.get("client_id") == self.client_id
            # the same sign-in only: another login() (perhaps another user) on this app is
            # not this session's to adopt; entries from before login ids count as the app's
            and str(entry.get("login_id") or entry.get("client_id")) == self.login_id
            and isinstance(entry.get("access_token"), str)
            and float(entry.get("expires_at") or 0) > self.expires_at
        ):
            self.access_token = entry["access_token"]
            self.refresh_token = entry.get("refresh_token") or self.refresh_token
            self.expires_at = float(entry["expires_at"])
