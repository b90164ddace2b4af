"""One command's client and store: the real API when a key is set, else the built-in sandbox
kept in the store, held by one command at a time and saved back when the command ends."""

from __future__ import annotations

import argparse
import os
from typing import Any

from toolkit.cli._output import say

__all__ = ["open_client", "store_where"]


def open_client(args: argparse.Namespace) -> tuple[Any, Any]:
    """A client and the store for this invocation (see the docstring of :mod:`toolkit.cli`)."""
    from toolkit import Client
    from toolkit._config import ENV_API_KEY
    from toolkit.store import open_store

    budget = getattr(args, "budget", None)
    store = open_store(args.store)
    args.opened.append(store)
    if os.environ.get(ENV_API_KEY, "").strip():
        client = Client(budget=budget, store=store)
        args.opened.append(client)
        return client, store
    from toolkit._clihold import hold
    from toolkit._connect import sandbox_client
    from toolkit.sandbox import persist

    where = store_where(store)
    changes = not getattr(args, "read_only", False)
    lock = None
    if where is not None and changes:  # one command at a time changes the kept sandbox
        lock = hold(store, wait=_hold_wait(), notice=say)
    try:
        sb, kept = persist.load(store)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if kept not in ("new", "continued"):
        say(f"warning: {kept}; it starts afresh")
    if where is None:
        say(
            "No INFLUENCERS_CLUB_API_KEY set: using the built-in sandbox (play credits) on a "
            "memory store: nothing it does is kept after this command."
        )
    else:
        say(
            f"No INFLUENCERS_CLUB_API_KEY set: using the built-in sandbox (play credits), "
            f"{'continued from' if kept == 'continued' else 'kept in'} the store {where} "
            "(`influencers-club sandbox reset` starts afresh)."
        )
    client = sandbox_client(sb, budget=budget, store=store)
    # closed in reverse: the sandbox is saved first, while its store is still open
    args.opened += [client, _SandboxSaver(sb, store, where is not None and changes, lock)]
    return client, store


def _hold_wait() -> float:
    """Seconds a command waits for another one using the built-in sandbox (env override)."""
    raw = os.environ.get("INFLUENCERS_CLUB_SANDBOX_WAIT", "").strip()
    try:
        return max(0.0, float(raw)) if raw else 600.0
    except ValueError:
        return 600.0


class _SandboxSaver:
    """Puts the built-in sandbox back in the store when the command ends (even on an error:
    what it charged and created happened), then lets the next command have it. A read-only
    command (``credits``, ``jobs list``) neither holds nor saves it."""

    def __init__(self, sb: Any, store: Any, keep: bool, lock: Any = None) -> None:
        self.sb, self.store, self.keep, self.lock = sb, store, keep, lock

    def close(self) -> None:
        from toolkit.sandbox import persist

        try:
            if self.keep:
                try:
                    persist.save(self.sb, self.store, downloaded=_downloaded_batches(self.store))
                except Exception as exc:  # the command's own outcome stands; say what is lost
                    say(f"warning: the built-in sandbox could not be kept in the store ({exc})")
        finally:
            if self.lock is not None:
                self.lock.release()


def _downloaded_batches(store: Any) -> set[str]:
    """Batch ids whose results are on disk: the kept sandbox need not keep their rows."""
    from toolkit.jobs import Registry

    return {j.batch_id for j in Registry(store).jobs() if j.state == "downloaded" and j.batch_id}


def store_where(store: Any) -> str | None:
    """Where a store keeps its data, for a notice: a path, a database, or None (memory)."""
    path = getattr(store, "path", "-")
    if path is None:
        return None
    return str(path) if path != "-" else repr(store)
