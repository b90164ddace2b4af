"""A batch results file as it comes: a path, bytes or text, JSON or CSV told apart by content.

A JSON array (what the API's ``format=json`` download holds) is never parsed whole (that
takes 5-6x the file's size). Its records are first located without building anything
(msgspec decodes the array as ``list[Raw]``: slices of the buffer, a fraction of a parse),
then parsed one at a time, by msgspec again (as fast as orjson, and exact on integers beyond
64 bits, which orjson turns into floats), as the conversion asks for them, so memory stays at
the records not yet converted. A file is memory-mapped for that, and the pages already
read are handed back to the kernel as the reading goes on. Whatever msgspec refuses and the
stdlib takes (NaN, numbers beyond a double, lone surrogates, broken UTF-8) goes the old
way: the stdlib's C scanner (``JSONDecoder.raw_decode``) over text decoded in pieces, which
also gives the errors for broken files. A JSON object (a wrapper such as
``{"results": [...]}``) is parsed whole with orjson. Anything else is CSV (``format=csv``).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import mmap
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import orjson

__all__ = ["BatchFile", "open_batch"]

PIECE = 1 << 21
"""Bytes read and decoded at a time (2 MiB): refills cost nothing, the buffer stays small."""

_WS = re.compile(r"[\s\ufeff]*")
_SEP = re.compile(r"\s*(,)?\s*")
_DECODER = json.JSONDecoder()
_BOM = b"\xef\xbb\xbf"
_SPLIT = msgspec.json.Decoder(list[msgspec.Raw])
_RECORD = msgspec.json.Decoder()
_JSON_WS = b" \t\r\n"
_RELEASE = 1 << 24
"""Bytes of a mapped file read before their pages are handed back (16 MiB)."""
_CAN_RELEASE = hasattr(mmap, "MADV_DONTNEED") and hasattr(mmap.mmap, "madvise")


class BatchFile:
    """What :func:`open_batch` found: ``kind`` is "json" (``records()``) or "csv" (``text``)."""

    def __init__(
        self,
        kind: str,
        *,
        pieces: Iterable[str] = (),
        body: Any = None,
        array: Any = None,
    ) -> None:
        self.kind = kind
        self._pieces = pieces
        self._body = body
        self._array = array  # the array's bytes (or a file to map) for the fast reader

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
        if self._array is not None:
            yield from _fast_records(self._array, self._pieces)
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
        path = Path(source)
        return _from_pieces(_file_pieces(path), path if _CAN_RELEASE else None)
    if isinstance(source, str):
        if _names_a_file(source):
            raise FileNotFoundError(
                f"no batch results file at {source!r} (a path that does not exist; pass "
                "the file's text or bytes to read them instead)"
            )
        return _from_pieces(iter((source,)), source)
    view = memoryview(source)
    return _from_pieces(_bytes_pieces(view), view)


def _looks_like_path(text: str) -> bool:
    return 0 < len(text) < 4096 and "\n" not in text and text.lstrip()[:1] not in ("[", "{")


_FILE_SUFFIXES = (".json", ".csv", ".txt", ".ndjson")


def _names_a_file(text: str) -> bool:
    """A one-line str that ends like a file name: a mistyped path, not CSV text (a CSV
    body with one line and no data row converts to nothing, so nothing is lost)."""
    return _looks_like_path(text) and text.strip().lower().endswith(_FILE_SUFFIXES)


def _from_pieces(pieces: Iterator[str], array: Any = None) -> BatchFile:
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
        return BatchFile("json", pieces=chained, array=array)
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


def _fast_records(array: Any, pieces: Iterable[str]) -> Iterator[tuple[Any, int]]:
    """Records located by msgspec and parsed one at a time; the stdlib way
    (:func:`_array_records` over ``pieces``) for anything msgspec refuses."""
    if isinstance(array, Path):
        yield from _mapped_records(array, pieces)
        return
    if isinstance(array, str):
        try:
            array = memoryview(array.encode())
        except UnicodeEncodeError:  # lone surrogates: only the stdlib reads them
            array = None
    raws = _split(array) if array is not None else None
    if raws is None:
        yield from _array_records(iter(pieces))
        return
    yield from _parsed(raws, None)


def _split(data: Any) -> list[msgspec.Raw] | None:
    """The array's records as slices of ``data`` (no parse), or None if msgspec refuses it."""
    view = memoryview(data)
    start = 3 if view[:3] == _BOM else 0
    try:
        return _SPLIT.decode(view[start:] if start else view)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        return None


def _parsed(raws: list[Any], release: Any) -> Iterator[tuple[Any, int]]:
    """Parse each located record (its slice in ``raws`` is dropped as it is parsed);
    ``release(offset)`` drops the pages read below ``offset``."""
    done = released = 0
    for i, raw in enumerate(raws):
        view = memoryview(raw)
        raws[i] = None  # the slice is no longer needed once its record is parsed
        try:
            record = _RECORD.decode(view)
        except (msgspec.DecodeError, UnicodeDecodeError):  # e.g. NaN: the stdlib reads it
            record = json.loads(bytes(view).decode("utf-8", errors="replace"))
        size = len(view)
        view.release()
        del raw
        yield record, size
        done += size
        if release is not None and done - released > _RELEASE:
            release(done)  # records start at or after the sum of the sizes before them
            released = done


def _mapped_records(path: Path, pieces: Iterable[str]) -> Iterator[tuple[Any, int]]:
    """A file's records through a read-only map; pages already parsed go back to the kernel,
    so the file costs its pages once while located and then only the part being read."""
    with path.open("rb") as fh:
        try:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # not mappable (a pipe, an empty file)
            mapped = None
    if mapped is None:
        yield from _array_records(iter(pieces))
        return
    page = mmap.PAGESIZE

    def release(offset: int) -> None:
        end = offset // page * page
        if end:
            mapped.madvise(mmap.MADV_DONTNEED, 0, end)

    raws = _split(mapped)
    if raws is None:
        mapped.close()
        yield from _array_records(iter(pieces))
        return
    mapped.madvise(mmap.MADV_DONTNEED)  # located: read again page by page as parsed
    try:
        yield from _parsed(raws, release)
    finally:
        del raws
        with contextlib.suppress(BufferError):  # a slice still held elsewhere: freed with it
            mapped.close()
