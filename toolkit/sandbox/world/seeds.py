"""Stable hashing for the world: every draw comes from a seed derived from these.

stdlib ``random`` with hashed seeds rather than numpy: numpy is not a declared dependency,
and per-creator ``Random`` streams make creator ``i`` independent of every other creator.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import unicodedata

__all__ = ["DAY", "ascii_fold", "b64", "h64", "mix", "unit"]

DAY = 86400


def h64(*parts: object) -> int:
    """A stable 64-bit hash of ``parts`` (not Python's salted ``hash``)."""
    raw = "\x1f".join(map(str, parts)).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


def mix(x: int) -> int:
    """splitmix64 finaliser: a cheap stable hash of an integer (per-day post rolls)."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def unit(x: int) -> float:
    return (mix(x) >> 11) / float(1 << 53)


@functools.lru_cache(maxsize=4096)
def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
