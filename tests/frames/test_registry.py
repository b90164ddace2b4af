"""The table registry survives importlib.reload, and the GC pause is safe across threads."""

from __future__ import annotations

import gc
import importlib
import threading

import pytest

from toolkit import frames
from toolkit.frames import _audience, _gcpause, _registry


def test_reloading_a_converter_module_replaces_its_tables() -> None:
    names = list(frames.TABLES)
    old = frames.TABLES["enrichment.audience_ages"]
    importlib.reload(_audience)
    assert list(frames.TABLES) == names
    new = frames.TABLES["enrichment.audience_ages"]
    assert new is _audience.SIMPLE["audience_ages"] and new is not old
    assert frames.SCHEMAS["enrichment.audience_ages"] == old.columns


def test_reloading_the_registry_keeps_every_table() -> None:
    names = list(frames.TABLES)
    importlib.reload(_registry)
    assert list(_registry.TABLES) == names
    assert _registry.TABLES is frames.TABLES


def test_another_module_cannot_claim_a_declared_name() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        _registry.declare("enrichment.audience_ages", "x", [])


def test_gc_pause_is_reference_counted_across_threads() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def long_conversion() -> None:
        with _gcpause.paused_gc():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=long_conversion)
    t.start()
    inside.wait(5)
    with _gcpause.paused_gc():  # a short conversion in this thread starts and ends
        assert not gc.isenabled()
    assert not gc.isenabled()  # ... without switching the collector back on under the other
    release.set()
    t.join(5)
    assert gc.isenabled()


def test_gc_pause_keeps_a_collector_the_user_switched_off() -> None:
    gc.disable()
    try:
        with _gcpause.paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
