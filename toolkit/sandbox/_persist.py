"""An in-process sandbox that outlives its process: its state kept in the toolkit's store.

The ``influencers-club`` command runs a fresh process per command; without this, each
started a new sandbox, so an ``enrich`` left ``credits`` and ``jobs list`` nothing to show.
:func:`load` rebuilds the sandbox a store holds (or makes a new one) and :func:`save` puts
it back at the end: accounts (balances, charges, API keys, batches, listening
subscriptions and campaigns), OAuth state, id counters, the rate window and the clock. The
synthetic world is not kept: it is rebuilt from the seed, as it always is.

The snapshot is a pickle read back with an unpickler that builds only an exact list of
the sandbox's own state classes and plain values, by (module, name), never a dotted name:
a snapshot in a shared team store is data, never code. A clock that
followed the wall clock is kept as a fixed one at the instant it was saved, and moves on
with each poll like the command's own sandbox clock.
"""

from __future__ import annotations

import _thread
import io
import pickle
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from ._app import Sandbox

__all__ = ["NAMESPACE", "forget", "load", "save"]

#: Where the snapshot lives in the store (key: the snapshot's name).
NAMESPACE = "sandbox"
_VERSION = 1
#: Attributes of a :class:`Sandbox` that hold its state (the rest is rebuilt).
_KEPT = ("clock", "charges", "accounts", "account", "_counters", "_limiter")
#: Exactly the classes a snapshot may build, as (module, name): the sandbox's own state
#: classes and the plain values they hold. Nothing else, and never a dotted name (the
#: unpickler follows ``a.b`` inside a module, which would reach any function it imports).
_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("toolkit.sandbox._accounts", "Account"),
        ("toolkit.sandbox._accounts", "ApiKey"),
        ("toolkit.sandbox._accounts", "Charge"),
        ("toolkit.sandbox._accounts", "ChargeLog"),
        ("toolkit.sandbox._clock", "Clock"),
        ("toolkit.sandbox._ratelimit", "RateLimiter"),
        ("toolkit.sandbox._settings", "Settings"),
        ("toolkit.sandbox.routes.batch", "Batch"),
        ("toolkit.sandbox.routes.exclusion_lists", "ExclusionList"),
        ("toolkit.sandbox.routes._listening_state", "Link"),
        ("toolkit.sandbox.routes._listening_state", "Endpoint"),
        ("toolkit.sandbox.routes._listening_state", "Subscription"),
        ("toolkit.sandbox.routes._listening_state", "Campaign"),
        ("toolkit.sandbox.routes._listening_state", "Listening"),
        ("toolkit.sandbox.routes.oauth", "Client"),
        ("toolkit.sandbox.routes.oauth", "Code"),
        ("toolkit.sandbox.routes.oauth", "Token"),
        ("toolkit.sandbox.routes.oauth", "App"),
        ("toolkit.sandbox.routes.oauth", "OAuthState"),
        ("datetime", "datetime"),
        ("datetime", "date"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("decimal", "Decimal"),
        ("collections", "deque"),
        ("collections", "OrderedDict"),
        ("_thread", "allocate_lock"),
        ("_thread", "RLock"),
        ("threading", "Lock"),
        *(("builtins", n) for n in ("set", "frozenset", "dict", "list", "tuple", "bytes")),
        *(("builtins", n) for n in ("bytearray", "complex")),
    }
)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _thread.LockType):
            return (_thread.allocate_lock, ())  # a lock is kept as a new, free lock
        if isinstance(obj, _thread.RLock):
            return (_thread.RLock, ())
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        allowed = "." not in name and (module, name) in _ALLOWED
        if not allowed:
            raise pickle.UnpicklingError(f"a sandbox snapshot holds no {module}.{name}")
        return super().find_class(module, name)


def _data_state(sb: Sandbox) -> dict[str, Any]:
    """The sandbox-wide state that is data (hooks and resolvers are installed anew)."""
    return {
        k: v
        for k, v in sb.state.items()
        if not callable(v) and not (isinstance(v, list) and v and all(callable(h) for h in v))
    }


def save(sb: Sandbox, store: Any, name: str = "cli", *, downloaded: Iterable[str] = ()) -> None:
    """Put ``sb``'s state in ``store`` under ``name`` (replacing what was there).

    The rows of the finished batches in ``downloaded`` (batch ids whose results are on disk)
    are not kept: only each row's input and status, so the snapshot stays small; their
    results then answer 410. This changes ``sb`` (the command that saves it is ending)."""
    _drop_payloads(sb, set(downloaded))
    clock = sb.clock
    if not clock.frozen:  # a wall clock cannot be carried to another process as it is
        from ._clock import Clock

        clock = Clock.fixed(clock.now())
    doc = {
        "version": _VERSION,
        "seed": sb.seed,
        "size": sb.size,
        "settings": sb.settings,
        "instance": getattr(sb, "instance_id", None) or uuid.uuid4().hex,
        "attrs": {k: (clock if k == "clock" else getattr(sb, k)) for k in _KEPT},
        "state": _data_state(sb),
    }
    buf = io.BytesIO()
    with sb._lock:
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(doc)
    store.put(NAMESPACE, name, buf.getvalue())


def _drop_payloads(sb: Sandbox, downloaded: set[str]) -> None:
    if not downloaded:
        return
    for account in sb.accounts:
        with account.lock:
            for batch in account.state.get("batches", {}).values():
                if batch.id in downloaded and batch.status in ("finished", "failed"):
                    batch.results = [
                        {"input_value": r["input_value"], "status": r["status"]}
                        for r in batch.results
                    ]
                    batch.payload_dropped = True


def load(store: Any, name: str = "cli", **new: Any) -> tuple[Sandbox, str]:
    """The sandbox kept in ``store`` under ``name`` and ``"continued"``; else a new one
    (``Sandbox(**new)``) and ``"new"``, or why the kept one could not be read (a damaged,
    foreign or older snapshot: the sandbox starts afresh rather than failing)."""
    raw = store.get(NAMESPACE, name)
    doc: Any = None
    why = "new"
    if raw is not None:
        try:
            doc = _Unpickler(io.BytesIO(raw)).load()
        except Exception as exc:
            why = f"the kept sandbox could not be read ({type(exc).__name__}: {exc})"
        else:
            if not isinstance(doc, dict) or doc.get("version") != _VERSION:
                why = "the kept sandbox is of another toolkit version"
    if why != "new" or not isinstance(doc, dict):
        sb = Sandbox(**new)
        sb.instance_id = uuid.uuid4().hex  # type: ignore[attr-defined]
        sb.id_salt = uuid.uuid4().hex[:8]
        return sb, why
    attrs = doc["attrs"]
    sb = Sandbox(
        seed=doc["seed"], creators=doc["size"], clock=attrs["clock"], settings=doc["settings"]
    )
    for key, value in attrs.items():
        setattr(sb, key, value)
    for key, value in doc["state"].items():
        current = sb.state.get(key)
        if current is not None and type(current) is type(value) and hasattr(current, "__dict__"):
            vars(current).update(vars(value))  # resolvers installed anew close over this one
        else:
            sb.state[key] = value
    sb.instance_id = doc["instance"]  # type: ignore[attr-defined]
    sb._lock = threading.RLock()
    sb.id_salt = uuid.uuid4().hex[:8]  # ids made in this process are its own
    return sb, "continued"


def forget(store: Any, name: str = "cli") -> None:
    """Drop the sandbox kept under ``name``: the next :func:`load` starts afresh."""
    store.delete(NAMESPACE, name)
