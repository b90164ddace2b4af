"""enrich_many reading a journal that another process is writing: a creator the other
process delivers while this one reads is taken from the journal, never filed as "may have
been charged" (the other process journals the answer before it releases its claim)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit import WaitingWarning
from toolkit._config import SANDBOX_BASE_URL
from toolkit.jobs._journal import CLAIMS, INTENTS, NAMESPACE
from toolkit.jobs._many import run_sync, start
from toolkit.sandbox import Sandbox
from toolkit.store import Store, open_store


class _FinishesWhenAsked:
    """The store as this process sees it while another delivers ``key``: the moment this
    process asks who holds that claim, the other has journaled the answer, closed its
    intent and released its claim."""

    def __init__(self, inner: Store, key: str, answer: bytes) -> None:
        self.inner, self.key, self.answer, self.asked = inner, key, answer, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def get(self, namespace: str, key: str) -> bytes | None:
        if namespace == CLAIMS and key == self.key and not self.asked:
            self.asked += 1
            self.inner.put(NAMESPACE, key, self.answer)
            self.inner.delete(INTENTS, key)
            self.inner.delete(CLAIMS, key)
        return self.inner.get(namespace, key)


def test_a_creator_delivered_elsewhere_while_reading_is_taken_not_called_unknown(
    tmp_path: Path,
) -> None:
    sb = Sandbox(seed=5, creators=60)
    first, other = (c.username for c in sb.world.on("instagram")[:2])
    store = open_store(str(tmp_path / "s.sqlite3"))

    def client(s: Any) -> ic.Client:
        return ic.Client(
            api_key=sb.api_key,
            base_url=SANDBOX_BASE_URL,
            transport=sb.transport(),
            store=s,
            cache="off",
        )

    with client(store) as c:  # pays for `first`, to learn the journal's keys
        c.creators.enrich_many([first], "instagram", mode="raw", progress=False)
    [(first_key, answer)] = list(store.items(NAMESPACE))
    key = first_key.rsplit("/", 1)[0] + "/" + other.lower()
    far = {"host": "another-machine", "pid": 1, "token": "x"}  # paying for `other` now
    store.put(CLAIMS, key, json.dumps(far).encode(), ttl=300)
    store.put(INTENTS, key, json.dumps({**far, "at": 1.0}).encode(), ttl=300)

    racing = _FinishesWhenAsked(store, key, answer)
    with client(racing) as c, warnings.catch_warnings():
        warnings.simplefilter("error")  # no "may have been charged" warning
        out = c.creators.enrich_many([first, other], "instagram", mode="raw", progress=False)
    assert racing.asked == 1  # the race happened where it can
    assert not out.in_flight and len(out.failures) == 0
    assert out.results["from_journal"].to_list() == [True, True]
    assert sum(1 for ch in sb.charges if ch.operation == "enrich_handle_raw") == 1
    store.close()


def test_values_another_process_pays_for_are_counted_in_the_progress(tmp_path: Path) -> None:
    sb = Sandbox(seed=5, creators=60)
    names = [c.username for c in sb.world.on("instagram")[:3]]
    store = open_store(str(tmp_path / "s.sqlite3"))
    with ic.Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store=store,
        cache="off",
    ) as c:
        run = start(
            c,
            names,
            "instagram",
            mode="raw",
            options={},
            concurrency=2,
            progress=False,
            store=store,
            journal=True,
            journal_ttl=None,
            on_result=None,
        )
        assert run.journal is not None
        far = {"host": "another-machine", "pid": 1, "token": "x"}  # paying for names[0]
        store.put(CLAIMS, run.journal.key(names[0].lower()), json.dumps(far).encode(), ttl=1)
        assert "held elsewhere" not in run._postfix()
        assert run.admit(names[0].lower()) is False  # put back: another process pays
        assert run._postfix().endswith(", waiting for 1 held elsewhere")
        with pytest.warns(WaitingWarning, match="waiting for 1 creator that another process"):
            out = run_sync(run)  # the claim expires (its owner is presumed gone): bought here
    assert "held elsewhere" not in run._postfix()
    assert len(out.results) == 3 and sb.charges
    store.close()
