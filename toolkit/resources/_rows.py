"""Every row of a paged list, as an iterator that also converts: ``iter_*`` of listening.

``for item in client.listening.events.iter(): ...`` yields the items of every page, like
``rows``; ``client.listening.events.iter().to_polars()`` reads every page and gives the
same table(s) one page's ``to_polars()`` gives, for all of them (``toolkit.frames``).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from toolkit._results import Result

__all__ = ["AsyncRows", "Rows"]


class _Seen:
    """What the pages walked so far showed: their items, operation, params and count."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.operation: str | None = None
        self.params: dict[str, Any] = {}
        self.count: int | None = None

    def page(self, page: Result) -> list[Any]:
        if self.operation is None:
            self.operation = page.operation
            self.params = {k: v for k, v in page.params.items() if k not in ("page", "page_size")}
            data = page.data
            count = data.get("count") if isinstance(data, dict) else None
            self.count = count if isinstance(count, int) else None
        return list(page.rows or [])

    def convert(self, *, pandas: bool = False) -> Any:
        from toolkit.frames import convert, to_pandas

        if self.operation is None:
            raise ValueError("the list has no page (nothing was read)")
        out = convert(
            self.operation, {"count": self.count, "results": self.items}, params=self.params
        )
        return to_pandas(out) if pandas else out


class Rows(Iterator[Any]):
    """The items of every page of a list, in order; ``to_polars()``/``to_pandas()`` read
    the rest and convert all of them; ``count`` is the API's total once a page is read."""

    def __init__(self, pages: Iterable[Result]) -> None:
        self._pages = iter(pages)
        self._buffer: list[Any] = []
        self._seen = _Seen()

    @property
    def count(self) -> int | None:
        """How many items the list holds (the first page's ``count``), once one page is read."""
        return self._seen.count

    def __iter__(self) -> Rows:
        return self

    def __next__(self) -> Any:
        while not self._buffer:
            self._buffer = self._seen.page(next(self._pages))
        item = self._buffer.pop(0)
        self._seen.items.append(item)
        return item

    def to_list(self) -> list[Any]:
        """Every item (read so far and still to read), as a list."""
        for _ in self:
            pass
        return list(self._seen.items)

    def to_polars(self) -> Any:
        """Every item as the list's table(s), the same a page converts to."""
        self.to_list()
        return self._seen.convert()

    def to_pandas(self) -> Any:
        """The same as :meth:`to_polars`, in pandas."""
        self.to_list()
        return self._seen.convert(pandas=True)


class AsyncRows(AsyncIterator[Any]):
    """The async twin of :class:`Rows`: ``async for``, and ``await rows.to_polars()``."""

    def __init__(self, pages: AsyncIterable[Result]) -> None:
        self._pages = aiter(pages)
        self._buffer: list[Any] = []
        self._seen = _Seen()

    @property
    def count(self) -> int | None:
        """How many items the list holds (the first page's ``count``), once one page is read."""
        return self._seen.count

    def __aiter__(self) -> AsyncRows:
        return self

    async def __anext__(self) -> Any:
        while not self._buffer:
            self._buffer = self._seen.page(await anext(self._pages))
        item = self._buffer.pop(0)
        self._seen.items.append(item)
        return item

    async def to_list(self) -> list[Any]:
        """Every item (read so far and still to read), as a list."""
        async for _ in self:
            pass
        return list(self._seen.items)

    async def to_polars(self) -> Any:
        """Every item as the list's table(s)."""
        await self.to_list()
        return self._seen.convert()

    async def to_pandas(self) -> Any:
        """The same as :meth:`to_polars`, in pandas."""
        await self.to_list()
        return self._seen.convert(pandas=True)
