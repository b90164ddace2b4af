"""Where an OAuth login's tokens are kept: the system keyring, else a user-only file.

``default_store()`` picks the keyring when the optional ``keyring`` package has a real
backend; otherwise :class:`FileTokenStore` writes ``~/.config/influencers-club/tokens.json``
(or ``$INFLUENCERS_CLUB_TOKEN_FILE``) with mode 0600 in a 0700 directory, replaced
atomically so no other user can ever read it. One entry per API base URL.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["ENV_TOKEN_FILE", "FileTokenStore", "KeyringTokenStore", "default_store"]

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
