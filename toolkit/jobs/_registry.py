"""The local job registry: every batch this machine (or team) submitted, in the store.

A batch runs for minutes to hours on the server and is billed per row as it runs, so the
one thing a client must never do is lose track of one (and submit it again after a kernel
restart: every row billed twice). Each job is written here *before* its create request
is sent (state ``submitting``), and updated with the batch id as soon as the answer
arrives. A job whose create answer never came stays ``create_unknown`` (or
``submitting``, when the process died mid-request): the batch may exist on the server,
so nothing re-submits it until the user says so (docs/jobs.md, "When a create answer is
lost").

Job ids are content addresses (server and credential fingerprint, mode, platform, options,
the uploaded rows), so running the same workflow again finds its jobs instead of making
new ones. Records live in the store namespace ``"batch_jobs"``, one JSON document each.

An in-process sandbox (``toolkit.connect()`` without a key) keeps its batches in memory, so
they end with the process while the registry outlives it. Its jobs carry a token of the
sandbox instance (:func:`sandbox_instance`); a later sandbox knows such a job's batch will
never be found and submits it again (play credits) instead of polling it into a 404. Against
any server another process can reach, there is no token and a 404 is reported, never resent.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from toolkit.jobs._journal import StoreLike

__all__ = ["ACTIVE", "NAMESPACE", "UNFINISHED", "Job", "Registry", "job_id", "sandbox_instance"]

NAMESPACE = "batch_jobs"
#: Job states (docs/jobs.md, "Job states"). The API's own status is in ``Job.api_status``.
STATES = (
    "submitting",  # written before the create request; the answer is not recorded yet
    "create_unknown",  # the create answer was lost: the batch may or may not exist
    "create_failed",  # the API refused the create (nothing was created or charged)
    "submitted",  # the API answered with a batch id; queued or processing
    "paused",  # paused_insufficient_credits: add credits, then resume
    "finished",  # done on the server; results not downloaded yet
    "failed",  # the server failed the batch
    "downloaded",  # results written to the output directory
    "lost",  # the server no longer knows the batch id (404)
)
#: States a pick-up continues by polling (the batch exists and is not done).
ACTIVE = frozenset({"submitted", "paused", "finished"})
#: States listed as unfinished: they need the user or a pick-up.
UNFINISHED = frozenset({"submitting", "create_unknown", "submitted", "paused", "finished"})


def job_id(
    scope: str, mode: str, platform: str | None, options: Mapping[str, Any], rows: list[str]
) -> str:
    """The content address of one upload: same server, credential, request and rows, same id."""
    h = hashlib.sha256()
    head = json.dumps([scope, mode, platform, dict(options)], sort_keys=True, default=str)
    h.update(head.encode())
    for row in rows:
        h.update(b"\0" + row.encode())
    return "job_" + h.hexdigest()[:16]


_INSTANCES: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
_INSTANCES_LOCK = threading.Lock()


def sandbox_instance(client: Any) -> str | None:
    """A token of the in-process sandbox ``client`` runs on (``client.sandbox``), else None.

    Unique per sandbox object and process: its batches live exactly as long as it does;
    a sandbox kept in the store between processes (the command line's) carries its own
    ``instance_id``, so its jobs are found again by the next process.
    """
    sb = getattr(client, "sandbox", None)
    if sb is None:
        return None
    kept = getattr(sb, "instance_id", None)
    if isinstance(kept, str):
        return kept
    with _INSTANCES_LOCK:
        return _INSTANCES.setdefault(sb, uuid.uuid4().hex)


@dataclass
class Job:
    """One batch job as the registry knows it (JSON-able; no credential in it)."""

    job_id: str
    scope: str
    base_url: str
    mode: str
    platform: str | None
    rows: int
    state: str = "submitting"
    batch_id: str | None = None
    api_status: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    part: int = 1
    parts: int = 1
    run: str | None = None
    output: str | None = None
    processed_rows: int | None = None
    success_count: int | None = None
    failed_count: int | None = None
    credits_used: float | None = None
    status_message: str | None = None
    error: str | None = None
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    inputs: list[str] = field(default_factory=list, repr=False)
    #: the in-process sandbox it was submitted to (:func:`sandbox_instance`), else None
    sandbox: str | None = None

    def orphaned(self, instance: str | None) -> bool:
        """Made on an earlier in-process sandbox, seen from another one (``instance``): no
        server will ever know its batch. Never true for a client of a reachable server;
        callers ask only about jobs of the client's own scope (server and identity)."""
        return instance is not None and self.sandbox != instance

    @property
    def unfinished(self) -> bool:
        return self.state in UNFINISHED

    def describe(self) -> str:
        """One line for listings and messages."""
        where = self.batch_id or "no batch id"
        done = (
            f"{self.processed_rows}/{self.rows}"
            if self.processed_rows is not None
            else f"{self.rows} rows"
        )
        return f"{self.job_id} [{self.state}] {where} {self.mode} {self.platform or ''} {done}".rstrip()


class Registry:
    """Jobs in a store: save, read, list. Safe for several processes sharing one store."""

    def __init__(self, store: StoreLike) -> None:
        self.store = store

    def claim(self, job: Job) -> bool:
        """Record a new job atomically; False if one with this id is already there."""
        return self.store.add(NAMESPACE, job.job_id, _dump(job))

    def save(self, job: Job) -> Job:
        """Write ``job`` (stamping ``updated_at``) and return it."""
        job.updated_at = time.time()
        self.store.put(NAMESPACE, job.job_id, _dump(job))
        return job

    def get(self, job_id: str) -> Job | None:
        raw = self.store.get(NAMESPACE, job_id)
        return _load(raw) if raw is not None else None

    def find(self, key: str) -> Job:
        """A job by its id, a unique prefix of it, or its batch id; ``KeyError`` otherwise."""
        job = self.get(key)
        if job is not None:
            return job
        hits = [j for j in self.jobs() if j.job_id.startswith(key) or j.batch_id == key]
        if len(hits) != 1:
            raise KeyError(
                f"no job {key!r} in the registry"
                if not hits
                else f"{key!r} matches {len(hits)} jobs"
            )
        return hits[0]

    def jobs(self, *, unfinished: bool = False, scope: str | None = None) -> list[Job]:
        """Every job (oldest first), or only unfinished ones, or one scope's."""
        out = [_load(raw) for _, raw in self._items()]
        if unfinished:
            out = [j for j in out if j.unfinished]
        if scope is not None:
            out = [j for j in out if j.scope == scope]
        return sorted(out, key=lambda j: (j.created_at, j.part))

    def forget(self, job_id: str) -> None:
        """Remove a job from the registry (the batch on the server is not touched)."""
        self.store.delete(NAMESPACE, job_id)

    def _items(self) -> Iterator[tuple[str, bytes]]:
        yield from self.store.items(NAMESPACE)


def _dump(job: Job) -> bytes:
    return json.dumps(asdict(job), default=str).encode()


def _load(raw: bytes) -> Job:
    doc = json.loads(raw)
    known = Job.__dataclass_fields__
    return Job(**{k: v for k, v in doc.items() if k in known})
