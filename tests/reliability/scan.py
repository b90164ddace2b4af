"""What the secrets scan looks for, and where: a secret in the forms it could leak in, and
the text of every file a run wrote (Parquet and SQLite read back, compressed values
inflated), so a key cannot hide in a compressed cache entry or a Parquet column."""

from __future__ import annotations

import base64
import contextlib
import sqlite3
import zlib
from pathlib import Path

import polars as pl

#: Characters of a secret's random part that already count as a leak (the toolkit's own
#: mask, ``sk_…4068``, shows four; eight random hex characters match by chance about
#: once in four billion positions).
PIECE = 8


def leak_forms(secret: str) -> list[str]:
    """``secret`` whole, every ``PIECE``-character piece of its random part (after the
    label, up to the last ``_`` of its first 20 characters), so a key with its middle cut
    out (``sk_fake_SECRETSCAN_7f3a9c1e…5b2d4068``) is still found, and its base64 (standard
    and URL-safe, at each of the three alignments it can have inside a longer encoded
    text, such as a Basic auth header)."""
    tail = secret[secret.rfind("_", 0, 20) + 1 :]
    forms = [secret, *(tail[i : i + PIECE] for i in range(len(tail) - PIECE + 1))]
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * pad + secret.encode()).decode()
            forms.append(encoded[4:-4])  # the part no neighbouring byte can change
    return forms


def leaks(secrets: list[str], texts: dict[str, str]) -> list[tuple[str, str]]:
    """(where, which form) for every form of every secret found in ``texts``."""
    found = []
    for secret in secrets:
        for form in leak_forms(secret):
            found += [(where, form) for where, text in texts.items() if form in text]
    return found


def _sqlite_text(path: Path) -> str:
    parts: list[str] = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"'):
                parts += [_value_text(v) for v in row]
    finally:
        con.close()
    return "\n".join(parts)


def _value_text(value: object) -> str:
    if isinstance(value, bytes):
        return _bytes_text(value)
    return str(value)


def _bytes_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for inflate in (zlib.decompress, lambda b: zlib.decompress(b, 47)):  # zlib, gzip
        with contextlib.suppress(zlib.error):
            text += "\n" + inflate(raw).decode("utf-8", "replace")
    return text


def file_texts(root: Path) -> dict[str, str]:
    """Every file under ``root`` as text: Parquet and SQLite read back, bytes inflated."""
    out: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        text = _bytes_text(raw)
        if path.suffix == ".parquet":
            text += "\n" + str(pl.read_parquet(path).to_dicts())
        elif raw.startswith(b"SQLite format 3\0"):
            text += "\n" + _sqlite_text(path)
        out[str(path.relative_to(root))] = text
    return out
