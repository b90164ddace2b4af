"""Every test gets its own store, so no test reads or writes the user's real cache dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.store import STORE_URL_ENV


@pytest.fixture(autouse=True)
def _private_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point INFLUENCERS_CLUB_STORE_URL at a fresh SQLite file for the length of one test."""
    path = tmp_path_factory.mktemp("store") / "store.sqlite3"
    monkeypatch.setenv(STORE_URL_ENV, str(path))
    return path
