"""Claims (``toolkit.store._claims``): one owner at a time, on every backend; a claim whose
owner died on this machine is taken over at once, one of another machine when it expires."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from toolkit.store import Store
from toolkit.store._claims import Claims, owner


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_one_owner_at_a_time(store: Store) -> None:
    claims = Claims(store, "t_claims")
    assert claims.take("k") is True
    assert claims.take("k") is False  # held by this process (another thread would wait)
    assert claims.holder("k") == owner()
    claims.release("k")
    assert claims.holder("k") is None
    assert claims.take("k") is True
    claims.release("k")


def test_a_dead_local_owner_is_taken_over_once(store: Store) -> None:
    dead = {**owner(), "pid": _dead_pid(), "token": "gone"}
    store.put("t_claims", "k", json.dumps(dead).encode(), ttl=300)
    claims = Claims(store, "t_claims")
    assert claims.holder("k") is None  # its owner no longer runs
    assert claims.take("k") is True
    assert claims.holder("k") == owner()
    claims.release("k")


def test_an_owner_on_another_machine_holds_until_expiry(store: Store) -> None:
    far = {"host": "another-machine", "pid": 1, "token": "x"}
    store.put("t_claims", "k", json.dumps(far).encode(), ttl=0.5)
    claims = Claims(store, "t_claims")
    assert claims.take("k") is False and claims.holder("k") == far
    time.sleep(0.6)  # the claim expires: its owner is presumed gone
    assert claims.take("k") is True
    claims.release("k")


def test_an_interrupted_claim_of_this_process_is_stale(store: Store) -> None:
    claims = Claims(store, "t_claims")
    assert claims.take("k") is True
    claims.forget("k")  # as if the call holding it had died without releasing
    assert claims.holder("k") is None
    assert claims.take("k") is True
    claims.release("k")
