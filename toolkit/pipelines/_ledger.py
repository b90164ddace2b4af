"""The ``ledger`` resource: every call of a run, kept in the store until it is loaded.

Each call's ledger row is written to the client's store under ``NAMESPACE`` as the call is
recorded (:func:`follow`), one entry per row keyed by its ``row_id`` (the client's ledger
and the call's position there). A run whose data step fails, or that is killed
mid-way (SIGKILL, the machine dying), has still paid for what it fetched (the journal and
the cache keep those answers, so the next run reads them at cost 0); its rows wait in the
store and load with the next ledger step, so the warehouse shows what the data cost even
when the run that paid for it did not load. Writing a row again (the end-of-run
:func:`stash`) overwrites it, and the table is merged on ``row_id``, so no call loads twice.
"""

from __future__ import annotations

import json
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import dlt
import polars as pl

from ._arrow import arrow

if TYPE_CHECKING:  # pragma: no cover
    from ._source import Run

__all__ = ["NAMESPACE", "follow", "forget_loaded", "ledger", "stash"]

NAMESPACE = "pipeline_ledger"
#: the resource-state key of the rows the last ledger extraction read (see :func:`ledger`)
_EXTRACTED = "extracted_rows"


def _store(run: Run) -> Any:
    from toolkit.jobs._journal import client_store

    return client_store(run.client)


def _prefix(run: Run) -> str:
    return run.client.identity_fingerprint + "/"


#: a random id per client ledger (per process): with a call's position, the call's row_id
_SESSIONS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
#: the one run writing each client ledger's calls to the store (the newest source's), by a
#: weak reference to its stop function: the run keeps it (``Run.stop_following``), and a
#: client dropped without ``pipelines.run`` ending its follower is not kept alive by it
_FOLLOWERS: weakref.WeakKeyDictionary[Any, weakref.ref[Callable[[], None]]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def _row_id(run: Run, position: int) -> str:
    """A call's stable id: its client's ledger and its position there. The same call
    written by two runs (a source built while another still follows the client) is one
    row, not two."""
    with _LOCK:
        session = _SESSIONS.setdefault(run.client.ledger, uuid.uuid4().hex)
    return f"{session}/{position:08d}"


def _put(run: Run, store: Any, position: int, entry: dict[str, Any]) -> None:
    row_id = _row_id(run, position)
    body = json.dumps({**entry, "run_id": run.run_id, "row_id": row_id}, default=str)
    store.put(NAMESPACE, _prefix(run) + row_id, body.encode(), ttl=None)


def follow(run: Run) -> Callable[[], None]:
    """Write each call of the client to the store as it is recorded (and those recorded
    since the run began), until the returned function is called or a newer run of the same
    client follows it instead."""
    store = _store(run)
    book = run.client.ledger

    def keep(position: int, entry: dict[str, Any]) -> None:
        _put(run, store, position, entry)

    unsubscribe = book.subscribe(keep)

    def stop() -> None:
        unsubscribe()
        with _LOCK:
            current = _FOLLOWERS.get(book)
            if current is not None and current() is stop:
                del _FOLLOWERS[book]

    with _LOCK:
        earlier = _FOLLOWERS.get(book)
        _FOLLOWERS[book] = weakref.ref(stop)
    previous = earlier() if earlier is not None else None
    if previous is not None:
        previous()
    try:
        stash(run)  # the calls of the checks, made before there was a run to follow
    except BaseException:
        stop()
        raise
    return stop


def stash(run: Run) -> None:
    """Write every row of this run to the store again (rows a listener could not write,
    e.g. while the store was down); rewriting a row overwrites it, so nothing doubles."""
    store = _store(run)
    for offset, entry in enumerate(run.client.ledger.entries[run.ledger_start :]):
        _put(run, store, run.ledger_start + offset, entry)


def _rows(body: bytes) -> list[dict[str, Any]]:
    """The rows of one stored entry; a list is an earlier version's whole run (one key per
    run), given row ids of the same shape."""
    doc = json.loads(body)
    if isinstance(doc, dict):
        return [doc]
    return [{**r, "row_id": f"{r['run_id']}/legacy{i:08d}"} for i, r in enumerate(doc)]


def ledger(run: Run) -> Iterator[Any]:
    """This run's calls so far and those of earlier runs whose ledger never loaded.

    Rows the previous extraction read (named in this resource's dlt state) are dropped
    from the store first: that extraction's package has loaded, or is pending and dlt
    loads it before any new one. ``pipelines.run`` drops them at once after its load
    (:func:`forget_loaded`); this covers a source run by hand.
    """
    from toolkit.frames import convert

    store = _store(run)
    prefix = _prefix(run)
    state = dlt.current.resource_state()
    for key in state.pop(_EXTRACTED, []):
        store.delete(NAMESPACE, prefix + key)
    rows: list[dict[str, Any]] = []
    keys: list[str] = []
    for key, body in store.items(NAMESPACE, prefix=prefix):
        rows.extend(_rows(body))
        keys.append(key[len(prefix) :])
    run.loaded_rows = keys
    if rows:
        state[_EXTRACTED] = keys
        meta = ("run_id", "row_id")
        table = convert("ledger", [{k: v for k, v in r.items() if k not in meta} for r in rows])
        assert isinstance(table, pl.DataFrame)  # the ledger is one flat table
        extra = [pl.Series(m, [r[m] for r in rows], dtype=pl.String) for m in meta]
        yield arrow(table.with_columns(extra), ())


def forget_loaded(run: Run) -> None:
    """Drop the stashed rows that the last ledger step loaded."""
    store = _store(run)
    prefix = _prefix(run)
    for key in run.loaded_rows:
        store.delete(NAMESPACE, prefix + key)
