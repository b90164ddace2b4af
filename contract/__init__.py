"""The API contract kept in the repository, and the one loader of it.

Tests, benchmarks and scripts read the contract (``endpoints.json``) and the real captured
answers (``samples/``) through these functions only, so a fresh clone needs nothing beside
it. Where the copy comes from, and how to refresh it, is in ``contract/README.md``.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ENDPOINTS = HERE / "endpoints.json"
REFERENCE = HERE / "REFERENCE.md"
SAMPLES = HERE / "samples"
CHECKSUMS = HERE / "SHA256SUMS"
# CI's copy beside the clone, the source this one is checked against; only the drift check
# reads it, and only when it is there
UPSTREAM = HERE.parent.parent / "shared" / "api"


@cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def operations() -> list[dict[str, Any]]:
    """The contract's operations in its order (a fresh copy: callers may change it)."""
    ops: list[dict[str, Any]] = json.loads(_text(ENDPOINTS))
    return ops


def operations_by_name() -> dict[str, dict[str, Any]]:
    """The contract's operations keyed by name (a fresh copy)."""
    return {op["name"]: op for op in operations()}


def sample_names() -> list[str]:
    """File names of the real captured answers (``*.json`` in samples/), sorted."""
    return sorted(p.name for p in SAMPLES.glob("*.json"))


def sample_bytes(name: str) -> bytes:
    """One captured answer exactly as saved; a name that is not there raises."""
    return (SAMPLES / name).read_bytes()


def sample(name: str) -> Any:
    """One captured answer, parsed (a fresh copy)."""
    return json.loads(_text(SAMPLES / name))


def checksums() -> dict[str, str]:
    """``SHA256SUMS`` as {relative path: hex digest}: what the committed copy must hash to."""
    out: dict[str, str] = {}
    for line in _text(CHECKSUMS).splitlines():
        digest, _, rel = line.partition("  ")
        out[rel] = digest
    return out


def digests(root: Path) -> dict[str, str]:
    """SHA-256 of every contract file under ``root`` (endpoints.json, REFERENCE.md, samples/*)."""
    files = [root / "endpoints.json", root / "REFERENCE.md", *sorted((root / "samples").iterdir())]
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.is_file()
    }
