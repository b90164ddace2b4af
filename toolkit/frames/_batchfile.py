"""A batch results file as it comes: a path, bytes or text, JSON or CSV told apart by content.

A JSON array (what the API's ``format=json`` download holds) is read one record at a time
with the stdlib's C scanner (``JSONDecoder.raw_decode``) over text decoded in pieces, so
the whole file is never parsed, or even read, at once: memory stays at one piece plus the
records not yet converted, whatever the file's size. A JSON object (a wrapper such as
``{"results": [...]}``) is parsed whole with orjson. Anything else is CSV (``format=csv``).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

__all__ = ["BatchFile", "open_batch"]

PIECE = 1 << 21
"""Bytes read and decoded at a time (2 MiB): refills cost nothing, the buffer stays small."""

_WS = re.compile(r"[\s\ufeff]*")
_SEP = re.compile(r"\s*(,)?\s*")
_DECODER = json.JSONDecoder()
_BOM = b"\xef\xbb\xbf"


class BatchFile:
    """What :func:`open_batch` found: ``kind`` is "json" (``records()``) or "csv" (``text``)."""

    def __init__(self, kind: str, *, pieces: Iterable[str] = (), body: Any = None) -> None:
        self.kind = kind
        self._pieces = pieces
        self._body = body

    @property
    def text(self) -> str:
        """The CSV text (kind "csv")."""
        return "".join(self._pieces)

    def records(self) -> Iterator[Any]:
        """Each record of the JSON array in order, parsed one at a time (kind "json")."""
        for record, _ in self.sized_records():
            yield record

    def sized_records(self) -> Iterator[tuple[Any, int]]:
        """Each record with the number of characters it took in the file (0 if unknown)."""
        if self._body is not None:
            from ._common import items

            for record in items(self._body, "results", "data"):
                yield record, 0
            return
        yield from _array_records(iter(self._pieces))


def open_batch(source: str | bytes | bytearray | memoryview | os.PathLike[str]) -> BatchFile:
    """Classify a batch results file by its first character: ``[`` or ``{`` is JSON.

    ``source`` is a path (``os.PathLike``, or a str naming an existing file), the file's
    bytes, or its text. Nothing but the first piece is read here.
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and _looks_like_path(source) and os.path.isfile(source)
    ):
        return _from_pieces(_file_pieces(Path(source)))
    if isinstance(source, str):
        return _from_pieces(iter((source,)))
    return _from_pieces(_bytes_pieces(memoryview(source)))


def _looks_like_path(text: str) -> bool:
    return 0 < len(text) < 4096 and "\n" not in text and text.lstrip()[:1] not in ("[", "{")


def _from_pieces(pieces: Iterator[str]) -> BatchFile:
    head: list[str] = []
    first = ""
    for piece in pieces:
        head.append(piece)
        ws = _WS.match(piece)
        assert ws is not None  # \s* matches everywhere, if only the empty string
        rest = piece[ws.end() :]
        if rest:
            first = rest[0]
            break
    chained = _chain(head, pieces)
    if first == "[":
        return BatchFile("json", pieces=chained)
    if first == "{":
        return BatchFile("json", body=orjson.loads("".join(chained)))
    return BatchFile("csv", pieces=chained)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _bytes_pieces(data: memoryview) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    for start in range(0, len(data), PIECE):
        yield decoder.decode(data[start : start + PIECE])
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _file_pieces(path: Path) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    with path.open("rb") as fh:
        while chunk := fh.read(PIECE):
            yield decoder.decode(chunk)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _array_records(pieces: Iterator[str]) -> Iterator[tuple[Any, int]]:
    """Records of a top-level JSON array spread over ``pieces``, one ``raw_decode`` each.

    A record cut by the end of the buffer fails to decode (or, for a bare number, ends at
    the buffer's end): the next piece is appended and the record decoded again.
    """
    buf, i, eof = "", 0, False

    def refill() -> bool:
        nonlocal buf, i, eof
        piece = next(pieces, None)
        if piece is None:
            eof = True
            return False
        buf, i = buf[i:] + piece, 0
        return True

    while True:  # up to the opening bracket
        ws = _WS.match(buf, i)
        assert ws is not None  # \s* matches everywhere
        i = ws.end()
        if i < len(buf) or not refill():
            break
    if buf[i : i + 1] != "[":
        raise ValueError("batch results: expected a JSON array")
    i += 1
    first = True
    while True:
        m = (_WS if first else _SEP).match(buf, i)
        assert m is not None  # both patterns match the empty string
        j = m.end()
        if j == len(buf):
            if refill():
                continue
            raise ValueError("batch results: the JSON array ends before its closing ']'")
        if buf[j] == "]":
            return
        if not first and m.group(1) is None:
            raise ValueError(f"batch results: expected ',' or ']' at character {j} of a piece")
        try:
            record, end = _DECODER.raw_decode(buf, j)
        except json.JSONDecodeError as exc:
            if refill():
                continue
            raise ValueError(f"batch results: invalid JSON ({exc.msg})") from None
        if end == len(buf) and refill():
            continue  # a bare number may go on in the next piece
        yield record, end - j
        i, first = end, False
