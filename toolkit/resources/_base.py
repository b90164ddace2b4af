"""What every resource shares: a handle on its client and one way to issue a call.

Each API area is a pair of twins (``Discovery`` / ``AsyncDiscovery``). The methods that
make one request are written once, in a base generic over what a call returns: a
:class:`~toolkit.Result` for the sync client, an awaitable of one for the async client
(its ``request`` is a coroutine function). Page crawls are written once too, as a flow
(``toolkit._results.crawl``) that each client's ``paginate`` drives; only pollers, which
loop and sleep, are written twice.
"""

from __future__ import annotations

import copy
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

    def _calls(self) -> Any:
        """This resource with calls built but not sent: ``self._calls().list(page=2)`` is the
        :class:`~toolkit._core.Call` that ``self.list(page=2)`` would send. Crawls use it, so
        each endpoint's call is still written in one method."""
        clone = copy.copy(self)
        clone._client = _Unsent(self._client)
        return clone

    def _pages(self, build: Any, advance: Any, start: Any) -> Any:
        """The pages of a crawl, as the client drives them (an iterator, or an async one)."""
        from toolkit._results import crawl

        return self._client.paginate(crawl(build, advance, start))  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class _Unsent:
    """A client stand-in whose ``request`` hands the call back instead of sending it."""

    def __init__(self, client: BaseClient) -> None:
        self._wrapped = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    def request(self, call: Any) -> Any:
        return call


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
