"""One rate-limit window for every process on a machine that uses the same key.

Two notebooks on one API key share the server's window, so each must
count the other's requests. A :class:`SharedWindow` keeps every slot a process holds in
the local store (``toolkit.store``, namespace ``ratelimit``), keyed by a hash of the
credential (never the credential) and the owning process, with the time the slot frees;
the :class:`~toolkit.RateLimiter` counts the other owners' live slots as its own, paces
at its share of the limit, and publishes what it learned from a 429 (the lower limit and
the pause) for the others to read.

Counting the others' slots and recording one's own happen under the window's *turn*, a
claim in the store (:class:`toolkit.store._claims.Claims`, an atomic insert-if-absent), so
two processes can never both see the last free slot and both take it: a process that finds
the turn taken waits a moment and asks again. A turn whose owner died is taken over at once
on this machine, after ``TURN_TTL`` seconds otherwise.

Times are the limiter's clock (``time.monotonic`` by default, which is system-wide on
Linux, macOS and Windows, so processes agree); the store's own expiry only sweeps up
after crashed processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from toolkit.store._claims import Claims

__all__ = ["TURN_TTL", "SharedWindow"]

_NS = "ratelimit"
#: Wall seconds a turn holds if its owner never gives it back (a process on another host
#: that died; a dead process of this machine loses it at once). A turn lasts milliseconds.
TURN_TTL = 30.0


class SharedWindow:
    """The slots of every process using one credential, in a shared store.

    ``owner`` names this process (default: pid and a random suffix); ``sweep_after`` is
    how long (wall seconds) a record may outlive its process before the store drops it.
    """

    def __init__(
        self, store: Any, fingerprint: str, *, owner: str | None = None, sweep_after: float = 600.0
    ) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.owner = owner or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.sweep_after = sweep_after
        self._lock = threading.Lock()
        self._claims = Claims(store, _NS, ttl=TURN_TTL)

    def __repr__(self) -> str:
        return f"SharedWindow(owner={self.owner!r}, store={self.store!r})"

    def _slot_key(self, slot: int) -> str:
        return f"{self.fingerprint}/slot/{self.owner}/{slot}"

    @contextmanager
    def turn(self) -> Iterator[bool]:
        """Hold the window's turn while counting the others and taking a slot (True), or
        learn that another process holds it now (False: ask again in a moment)."""
        key = f"{self.fingerprint}/turn"
        if not self._claims.take(key):
            yield False
            return
        try:
            yield True
        finally:
            self._let_go(key)

    def _let_go(self, key: str) -> None:
        """Give the turn back; a store error must not fail the call that took a slot, nor
        leave the others waiting out the turn's lifetime: the record goes without the
        token check, and if even that fails, the turn lapses by itself (``TURN_TTL``)."""
        try:
            self._claims.release(key)
        except Exception:
            self._claims.forget(key)
            with contextlib.suppress(Exception):
                self._claims.store.delete(self._claims.namespace, key)

    def hold(self, slot: int, until: float) -> None:
        """Record (or move) one of this process's slots: it counts until ``until``."""
        with self._lock:
            self.store.put(_NS, self._slot_key(slot), repr(until).encode(), ttl=self.sweep_after)

    def others(self, now: float) -> tuple[int, int]:
        """(live slots other processes hold, how many other processes hold any)."""
        prefix = f"{self.fingerprint}/slot/"
        count, owners = 0, set()
        with self._lock:
            for key, value in self.store.items(_NS, prefix):
                owner = key[len(prefix) :].rsplit("/", 1)[0]
                if owner == self.owner:
                    continue
                try:
                    until = float(value)
                except ValueError:
                    continue
                if until > now:
                    count += 1
                    owners.add(owner)
        return count, len(owners)

    def publish(self, limit: int, paused_until: float) -> None:
        """Tell the other processes the pace learned from a 429 and the pause it asked for."""
        body = json.dumps({"limit": limit, "paused_until": paused_until}).encode()
        with self._lock:
            self.store.put(_NS, f"{self.fingerprint}/learned", body, ttl=self.sweep_after)

    def learned(self) -> tuple[int | None, float | None]:
        """(the lowest limit a process learned, the latest pause), if any was published."""
        with self._lock:
            raw = self.store.get(_NS, f"{self.fingerprint}/learned")
        if not raw:
            return None, None
        try:
            data = json.loads(raw)
            return int(data["limit"]), float(data["paused_until"])
        except (ValueError, KeyError, TypeError):
            return None, None
