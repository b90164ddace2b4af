"""Claims: "I am paying for this request now", written to the store before paying.

Processes sharing a store (a team on PostgreSQL, notebooks on one machine's SQLite) would
each pay for the same creator or page if they only read the cache and the journal before
sending. So a paid request is first *claimed*: an atomic insert-if-absent (``Store.add``)
of a record naming the owner (host, process id, a per-process token) with an expiry. Who
gets the claim pays; another process that wants the same answer waits for it and takes
it from the store. A claim ends when its owner releases it (answer stored, or the call
failed), when it expires (``CLAIM_TTL``: an owner on another machine that died), or at
once when its owner is a process of this machine that no longer runs.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from typing import Any

__all__ = ["CLAIM_TTL", "Claims", "owner"]

#: Seconds a claim holds without being released: longer than one paid call with its
#: retries and rate-limit waits takes, short enough that a dead owner does not block long.
CLAIM_TTL = 300.0

_HOST = socket.gethostname()
_TOKENS: dict[int, str] = {}
_ACTIVE: set[tuple[str, str]] = set()  # (namespace, key) claims this process holds now
_LOCK = threading.Lock()


def owner() -> dict[str, Any]:
    """Who this process is, for a claim or an intent: host, pid and a per-process token."""
    pid = os.getpid()
    with _LOCK:
        token = _TOKENS.setdefault(pid, uuid.uuid4().hex[:12])
    return {"host": _HOST, "pid": pid, "token": token}


def _alive(doc: dict[str, Any], namespace: str, key: str) -> bool:
    """Whether the owner of a claim may still be working on it.

    This process: only while it holds the claim (an earlier, interrupted run's claim is
    stale). Another process of this machine: while it runs. Another machine: until the
    claim expires, since it cannot be asked.
    """
    if doc.get("host") != _HOST:
        return True
    me = owner()
    if doc.get("pid") == me["pid"]:
        if doc.get("token") != me["token"]:
            return False  # a pid reused after a restart
        with _LOCK:
            return (namespace, key) in _ACTIVE
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: wait for expiry
        return True
    try:
        os.kill(int(doc.get("pid") or 0), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, OverflowError):
        return True
    return True


class Claims:
    """Claims of one namespace of a store; see the module docstring."""

    def __init__(self, store: Any, namespace: str, ttl: float = CLAIM_TTL) -> None:
        self.store = store
        self.namespace = namespace
        self.ttl = ttl

    def take(self, key: str) -> bool:
        """Claim ``key``: True if this process now holds it, False if a live owner does.

        A claim whose owner is gone is taken over: one takeover record per dead owner
        (itself an insert-if-absent) decides which of several waiting processes gets it.
        Raises :class:`~toolkit.store.StoreError` if the store fails.
        """
        me = json.dumps(owner()).encode()
        if self.store.add(self.namespace, key, me, ttl=self.ttl):
            return self._held(key)
        raw = self.store.get(self.namespace, key)
        if raw is None:  # released between the two statements
            return self.store.add(self.namespace, key, me, ttl=self.ttl) and self._held(key)
        doc = _doc(raw)
        if _alive(doc, self.namespace, key):
            return False
        dead = f"{key}#takeover:{doc.get('host')}:{doc.get('pid')}:{doc.get('token')}"
        if not self.store.add(self.namespace, dead, me, ttl=self.ttl):
            return False  # another process is taking it over
        self.store.put(self.namespace, key, me, ttl=self.ttl)
        return self._held(key)

    def holder(self, key: str) -> dict[str, Any] | None:
        """The live owner of ``key`` (None if unclaimed, expired or its owner is gone)."""
        raw = self.store.get(self.namespace, key)
        if raw is None:
            return None
        doc = _doc(raw)
        return doc if _alive(doc, self.namespace, key) else None

    def release(self, key: str) -> None:
        """Drop this process's claim on ``key`` (after its answer is stored, or it failed)."""
        with _LOCK:
            held = (self.namespace, key) in _ACTIVE
            _ACTIVE.discard((self.namespace, key))
        if held:
            raw = self.store.get(self.namespace, key)
            if raw is not None and _doc(raw).get("token") == owner()["token"]:
                self.store.delete(self.namespace, key)

    def forget(self, key: str) -> None:
        """Stop holding ``key`` in this process without touching the store (it failed)."""
        with _LOCK:
            _ACTIVE.discard((self.namespace, key))

    def _held(self, key: str) -> bool:
        with _LOCK:
            _ACTIVE.add((self.namespace, key))
        return True


def _doc(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}
