"""One command at a time on the built-in sandbox kept in a store: a hold (a claim) on it.

Two ``influencers-club`` commands that each loaded, changed and saved the kept sandbox
would lose one's batches and charges (the last to save wins). A command that changes it
takes the hold before loading it and lets go after saving it, renewing it in between so a
long command keeps it; another command waits for it. Read-only commands take none.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from toolkit.store._claims import Claims, owner

__all__ = ["HOLD_TTL", "LOCK_NAMESPACE", "Hold", "SandboxBusy", "hold"]

#: Where the hold on a kept sandbox lives.
LOCK_NAMESPACE = "sandbox-lock"
#: Seconds a hold lasts unless renewed; its owner renews it every third of that.
HOLD_TTL = 60.0


class SandboxBusy(RuntimeError):
    """Another command holds the kept sandbox and did not let go in time."""


class Hold:
    """This process's hold on a kept sandbox: taken before ``_persist.load``, let go after
    ``_persist.save``, renewed in between so a long command keeps it (see :func:`hold`)."""

    def __init__(self, store: Any, name: str) -> None:
        self.claims = Claims(store, LOCK_NAMESPACE, ttl=HOLD_TTL)
        self.store, self.name = store, name
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def start(self) -> None:
        self._renewer = threading.Thread(target=self._renew, name="sandbox-hold", daemon=True)
        self._renewer.start()

    def _renew(self) -> None:
        me = json.dumps(owner()).encode()
        while not self._stop.wait(HOLD_TTL / 3):
            try:
                self.store.put(LOCK_NAMESPACE, self.name, me, ttl=HOLD_TTL)
            except Exception:  # the store went away: the command is ending anyway
                return

    def release(self) -> None:
        """Let the next command have the sandbox."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        self.claims.release(self.name)


def hold(
    store: Any, name: str = "cli", *, wait: float = 600.0, notice: Callable[[str], None] = print
) -> Hold:
    """Take the kept sandbox ``name`` for this process, waiting up to ``wait`` seconds for a
    command that holds it (``notice`` says so once); raises :class:`SandboxBusy` after.

    Two commands that each loaded, changed and saved the snapshot would lose one's batches
    and charges (the last to save wins) and hand out the same ids: one at a time it is."""
    lock = Hold(store, name)
    deadline = time.monotonic() + wait
    told = False
    while not lock.claims.take(name):
        who = lock.claims.holder(name) or {}
        what = f"process {who.get('pid', '?')} on {who.get('host', '?')}"
        if time.monotonic() >= deadline:
            raise SandboxBusy(
                f"another command ({what}) is using the built-in sandbox kept in this store; "
                'run this one when it ends (docs/jobs.md, "Command line")'
            )
        if not told:
            notice(f"waiting for another command ({what}) using the built-in sandbox to end")
            told = True
        time.sleep(0.2)
    lock.start()
    return lock
