"""What every resource shares: a handle on its client and one way to issue a call.

Each API area is a pair of twins (``Discovery`` / ``AsyncDiscovery``). The methods that
make one request are written once, in a base generic over what a call returns: a
:class:`~toolkit.Result` for the sync client, an awaitable of one for the async client
(its ``request`` is a coroutine function). Only iterators and pollers, which loop, are
written twice.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._core import BaseClient

__all__ = ["R", "Resource", "csv_upload", "jsonable"]

R = TypeVar("R")

FileInput = str | os.PathLike[str] | bytes | Iterable[str]


class Resource(Generic[R]):
    """Base of every resource: ``self._op(...)`` builds a call and sends it."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def _op(self, operation: str, method: str, template: str, **kw: Any) -> R:
        call = self._client.make_call(operation, method, template, **kw)
        return self._client.request(call)  # type: ignore[attr-defined, no-any-return]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


def jsonable(value: Any) -> Any:
    """Dates and datetimes as ISO 8601 strings (JSON has no date type); the rest as is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_upload(
    data: FileInput, column: str, filename: str = "upload.csv"
) -> tuple[str, bytes, int]:
    """A CSV file part from a path, raw bytes, or a list of values: (filename, bytes, rows).

    A list is written with the one header the API wants (``handle`` or ``email``, §11.1).
    """
    if isinstance(data, bytes):
        content, name = data, filename
    elif isinstance(data, str | os.PathLike):
        path = Path(data)
        content, name = path.read_bytes(), path.name
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([column])
        for value in data:
            writer.writerow([str(value).strip()])
        content, name = buf.getvalue().encode(), filename
    lines = [ln for ln in content.decode("utf-8", "replace").splitlines() if ln.strip()]
    return name, content, max(len(lines) - 1, 0)
