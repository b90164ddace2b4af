"""What every resource shares: a handle on its client and one way to issue a call.

Each API area is a pair of twins (``Discovery`` / ``AsyncDiscovery``). The methods that
make one request are written once, in a base generic over what a call returns: a
:class:`~toolkit.Result` for the sync client, an awaitable of one for the async client
(its ``request`` is a coroutine function). Every request a resource makes goes through
this base, never the client directly: ``_call`` builds it (with its price), ``_send``
sends it, ``_op`` does both, ``_create`` sends a create that must not happen twice,
``_flow`` drives a flow of several calls (``ensure``) and ``_pages`` hands a page crawl (``toolkit._results.crawl``) to the client's ``paginate``.
Only pollers, which loop and sleep, are written twice.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from toolkit._reconcile import Match, create_flow
from toolkit._results import Result, crawl

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._call import Call
    from toolkit._core import BaseClient
    from toolkit._results import PageFlow

__all__ = ["R", "Resource", "arows", "csv_upload", "jsonable", "rows"]

R = TypeVar("R")

FileInput = str | os.PathLike[str] | bytes | Iterable[str]


class Resource(Generic[R]):
    """Base of every resource: ``self._op(...)`` builds a call and sends it."""

    def __init__(self, client: BaseClient[R]) -> None:
        self._client = client

    def _call(self, operation: str, **kw: Any) -> Call:
        """The call of ``operation`` (a row of ``toolkit._operations``: method and path come
        from there), built and priced but not sent (``make_call``)."""
        return self._client.make_call(operation, **kw)

    def _send(self, call: Call) -> R:
        """Send one call: the one place a resource's request leaves for the client."""
        return self._client.request(call)

    def _op(self, operation: str, **kw: Any) -> R:
        """Build the call and send it."""
        return self._send(self._call(operation, **kw))

    def _create(self, operation: str, *, match: Match | None, **kw: Any) -> R:
        """A create the API does not deduplicate (its row has a ``check``): never re-sent
        blindly after a lost answer; ``match`` finds what it made (``toolkit._reconcile``)."""
        return self._client.run_create(create_flow(self._call(operation, **kw), match))

    def _flow(self, flow: Generator[Call, Result, Result]) -> R:
        """Drive a flow of several calls (list, then get or create; ``ensure``, ``spend``):
        its calls leave one by one through the client's create driver, which throws a
        lost answer back into the flow (``toolkit._reconcile``)."""
        return self._client.run_create(flow)

    def _pages(
        self,
        build: Callable[[Any], Call],
        advance: Callable[[Result, Any], Any],
        start: Any,
    ) -> Any:
        """The pages of a crawl, as the client drives them (an iterator, or an async one)."""
        return self._paginate(crawl(build, advance, start))

    def _paginate(self, flow: PageFlow) -> Any:
        return self._client.paginate(flow)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


def rows(pages: Iterable[Result]) -> Iterator[Any]:
    """The items of every page of a crawl, in order (``iter()`` of a DRF list)."""
    for page in pages:
        yield from page.rows or []


async def arows(pages: AsyncIterable[Result]) -> AsyncIterator[Any]:
    """The items of every page of an async crawl, in order."""
    async for page in pages:
        for item in page.rows or []:
            yield item


def jsonable(value: Any) -> Any:
    """Dates and datetimes as ISO 8601 strings (JSON has no date type); the rest as is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_upload(
    data: FileInput, column: str, filename: str = "upload.csv"
) -> tuple[str, bytes, int]:
    """A CSV file part from a path, raw bytes, or a list of values: (filename, bytes, rows).

    A list is written with the one header the API wants (``handle`` or ``email``).
    """
    if isinstance(data, bytes):
        content, name = data, filename
    elif isinstance(data, str | os.PathLike):
        from toolkit._facts import MAX_UPLOAD_BYTES
        from toolkit.jobs._read import load_bytes

        # measured before it is read: a directory, a device or a 100 MB file is refused fast
        content = load_bytes(data, limit=MAX_UPLOAD_BYTES + 1, what="uploads")[0]
        name = Path(data).name
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([column])
        for value in data:
            writer.writerow([str(value).strip()])
        content, name = buf.getvalue().encode(), filename
    lines = [ln for ln in content.decode("utf-8", "replace").splitlines() if ln.strip()]
    return name, content, max(len(lines) - 1, 0)
