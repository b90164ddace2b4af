"""Where the contract lives: ``../shared/api/endpoints.json`` beside the clone (preferred),
else the copy committed here; when both exist they must be identical so drift is noticed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "api" / "endpoints.json"
COPY = Path(__file__).with_name("endpoints.json")


def load_operations() -> list[dict[str, Any]]:
    """The 70 operations; the shared file wins, the committed copy is the fallback."""
    path = SHARED if SHARED.exists() else COPY
    if not path.exists():
        pytest.skip(f"no endpoints.json at {SHARED} or {COPY}")
    return json.loads(path.read_text(encoding="utf-8"))
