"""Results of calls, the one page type, and the one crawl both clients drive.

A :class:`Result` holds the parsed body (``.data``), which operation answered it, what was
sent, what it cost and how many attempts it took. Its repr never shows the body (an OAuth
token or a new API key can be in it). Where the body is tabular (a list, or an object
holding the list of rows) a result is also a collection of those rows: ``len(result)``,
``for row in result``, ``result[0]``.

Every paged endpoint answers a :class:`Page`: a result that also knows ``total`` and
shows as a table in Jupyter. Three paging styles, each a small
"what to ask next" function, all walked by :func:`crawl`, one generator that yields the
call for each page and receives its page (the sync and async clients only send):

* page paging (discovery, similar): :func:`next_discovery_page`;
* cursor paging (creator posts): :func:`next_posts_token`;
* DRF lists (social listening): :func:`next_drf_page`.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit import _facts, _operations
from toolkit._config import Secret, mask_secret
from toolkit._format import is_number, number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import polars as pl

    from toolkit._call import Call
    from toolkit.frames import Tables

__all__ = [
    "MAX_REACHABLE",
    "PAGED_OPERATIONS",
    "Page",
    "PageFlow",
    "Result",
    "as_float",
    "crawl",
    "next_discovery_page",
    "next_drf_page",
    "next_posts_token",
    "result_class",
    "rows_of",
]

#: a discovery query reaches at most its first 10,000 results (``toolkit._facts``).
MAX_REACHABLE = _facts.MAX_REACHABLE


def as_float(value: Any) -> float | None:
    """``"99.2"`` -> 99.2, ``5`` -> 5.0, junk -> None (credits fields arrive as both)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Result:
    """One call's answer.

    Attributes: ``data`` (parsed JSON; text for CSV answers; ``None`` for 204),
    ``operation`` (its name in docs/api.md), ``params`` (what was sent, secrets masked),
    ``status_code``, ``attempts``, ``credits_cost``/``credits_left`` (floats, or ``None``
    when the API did not say), ``trial_searches_left``, ``request_id``; ``cached`` (True
    when the response cache answered: then ``credits_cost`` is 0, ``attempts`` 0 and
    ``credits_saved`` what the original answer cost), ``cached_at`` (epoch seconds).
    """

    data: Any
    operation: str
    params: dict[str, Any] = field(default_factory=dict)
    status_code: int = 200
    attempts: int = 1
    credits_cost: float | None = None
    credits_left: float | None = None
    trial_searches_left: int | None = None
    request_id: str | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    cached: bool = False
    credits_saved: float = 0.0
    cached_at: float | None = None

    @classmethod
    def from_body(cls, data: Any, operation: str, **kw: Any) -> Result:
        """Build a result, lifting the credits envelope out of a JSON object body."""
        cost = left = trial = None
        if isinstance(data, Mapping):
            cost = as_float(data.get("credits_cost"))
            left = as_float(data.get("credits_left"))
            if left is None and operation == "account_credits":
                # the balance check answers {credits_available, credits_used}: it is
                # the freshest balance there is, so the ledger shows it too
                left = as_float(data.get("credits_available"))
            raw_trial = data.get("trial_searches_left")
            trial = int(raw_trial) if isinstance(raw_trial, int | float) else None
        return cls(
            data=data,
            operation=operation,
            credits_cost=cost,
            credits_left=left,
            trial_searches_left=trial,
            **kw,
        )

    def __repr__(self) -> str:
        if isinstance(self.data, list):
            shape = f"list[{len(self.data)}]"
        elif isinstance(self.data, Mapping):
            shape = "{" + ", ".join(list(self.data)[:6]) + (", …}" if len(self.data) > 6 else "}")
        else:
            shape = type(self.data).__name__
        cost = f", credits_cost={self.credits_cost:g}" if self.credits_cost is not None else ""
        if self.cached:
            cost += f", cached, credits_saved={self.credits_saved:g}"
        return (
            f"{type(self).__name__}({self.operation}, status={self.status_code}, "
            f"attempts={self.attempts}{cost}, data={shape})"
        )

    # ----------------------------------------------------------------- as a collection
    @property
    def rows(self) -> list[Any] | None:
        """The body's rows when it is tabular (see :func:`rows_of`), else None."""
        return rows_of(self.data)

    def _rows_or_raise(self) -> list[Any]:
        rows = self.rows
        if rows is None:
            raise TypeError(
                f"the {self.operation} answer is not a list of rows; use .data or .to_polars()"
            )
        return rows

    def __len__(self) -> int:
        """How many rows the answer holds (``TypeError`` when it is not tabular)."""
        return len(self._rows_or_raise())

    def __iter__(self) -> Iterator[Any]:
        """The rows, in the API's order."""
        return iter(self._rows_or_raise())

    def __bool__(self) -> bool:
        return True  # a result is a result, even with no rows (``len`` says how many)

    def __getitem__(self, key: Any) -> Any:
        """``result["accounts"]`` is ``result.data["accounts"]``; ``result[0]`` is the first row."""
        if isinstance(key, int | slice) and not isinstance(key, bool):
            return self._rows_or_raise()[key]
        return self.data[key]

    def _repr_html_(self) -> str | None:
        """Jupyter shows a tabular answer as a table (first rows) with what it cost."""
        rows = self.rows
        if rows is None:
            return None
        return _html_table(self, rows)

    def to_polars(self) -> pl.DataFrame | Tables[pl.DataFrame]:
        """The body as a polars DataFrame (or named tables for nested bodies)."""
        from toolkit.frames import convert

        return convert(self.operation, self.data, params=self.params)

    def to_pandas(self) -> pd.DataFrame | Tables[pd.DataFrame]:
        """The same as :meth:`to_polars`, in pandas (derived through Arrow)."""
        from toolkit.frames import to_pandas

        return to_pandas(self.to_polars())

    def _tables(self) -> Any:
        from toolkit.frames import Tables

        got = self.to_polars()
        return got if isinstance(got, Tables) else Tables({self.operation: got})

    def to_excel(self, path: str | os.PathLike[str]) -> Any:
        """Write the answer's tables to an ``.xlsx`` workbook, one sheet per non-empty table
        (``Tables.to_excel``: times in UTC without the zone, nested values as JSON text)."""
        return self._tables().to_excel(path)

    def to_csv(self, folder: str | os.PathLike[str]) -> Any:
        """Write ``folder/<table>.csv`` per non-empty table (``Tables.to_csv``)."""
        return self._tables().to_csv(folder)

    def to_parquet(self, folder: str | os.PathLike[str]) -> Any:
        """Write ``folder/<table>.parquet`` per non-empty table (``Tables.to_parquet``)."""
        return self._tables().to_parquet(folder)


@dataclass(repr=False)
class Page(Result):
    """One page of a paged endpoint: a :class:`Result` that is a sequence of its rows.

    ``len(page)``, ``for row in page``, ``page[0]``, ``page.total`` (the API's count of
    matches, ``None`` when it does not say), a table in Jupyter, and ``to_polars()``.

    >>> page = client.discovery.search("instagram", limit=10)     # doctest: +SKIP
    >>> len(page), page.total, page[0]["profile"]["username"]     # doctest: +SKIP
    """

    @property
    def rows(self) -> list[Any]:
        return rows_of(self.data) or []

    def to_polars(self) -> pl.DataFrame | Tables[pl.DataFrame]:
        """As :meth:`Result.to_polars`; named tables of one page of several say so in
        ``Tables.page`` (rows here, rows in all), so a chart can refuse to rank a page."""
        got = super().to_polars()
        body = self.data if isinstance(self.data, Mapping) else {}
        here, total = len(self.rows), self.total
        more = bool(body.get("next")) or (total is not None and total > here)
        if more and isinstance(got, Mapping):  # Tables (polars is not imported here)
            from toolkit.frames import Tables

            return Tables(dict(got), page=(here, total))
        return got

    @property
    def total(self) -> int | None:
        """Matches for the query: ``total`` (discovery) or ``count`` (DRF lists)."""
        body = self.data if isinstance(self.data, Mapping) else {}
        for key in ("total", "count"):
            value = body.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None


#: Operations answered by a :class:`Page` (every paged endpoint of the API).
PAGED_OPERATIONS = frozenset(op.name for op in _operations.BY_NAME.values() if op.paged)


def result_class(operation: str) -> type[Result]:
    """:class:`Page` for a paged operation, else :class:`Result`."""
    return Page if operation in PAGED_OPERATIONS else Result


def rows_of(data: Any) -> list[Any] | None:
    """The rows of a body: a list itself, or the list an object holds under ``accounts``
    (discovery), ``results`` (DRF lists), ``items`` or ``result.items`` (posts). None when
    the body is not tabular (one object, text, nothing).
    """
    if isinstance(data, list):
        return data
    if not isinstance(data, Mapping):
        return None
    for key in ("accounts", "results", "items"):
        rows = data.get(key)
        if isinstance(rows, list):
            return rows
    inner = data.get("result")
    items = inner.get("items") if isinstance(inner, Mapping) else None
    return items if isinstance(items, list) else None


_HTML_ROWS = 10


def _cell(value: Any, column: str = "") -> str:
    if is_number(value) and not _UNGROUPED.search(column.rsplit(".", 1)[-1]):
        return number(value)  # ids, years and timestamps stay as they are: 4590464830
    if isinstance(value, Mapping):
        for key in ("username", "name", "full_name", "id"):
            if key in value:
                return html.escape(str(value[key]))
        return html.escape(f"{{{len(value)} fields}}")
    if isinstance(value, list):
        return html.escape(f"[{len(value)}]")
    if isinstance(value, Secret):  # a key or token in the answer: the table shows its hint
        return html.escape(mask_secret(value))
    text = str(value)
    return html.escape(text if len(text) <= 60 else text[:57] + "…")


def _flat(row: Any) -> dict[str, Any]:
    """A row's fields one level deep (``profile.username``), so nested rows read as a table."""
    if not isinstance(row, Mapping):
        return {"value": row}
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping) and value:
            for sub, inner in value.items():
                out[f"{key}.{sub}"] = inner
        else:
            out[str(key)] = value
    return out


_HTML_COLUMNS = 8
#: Number columns that name or date something rather than count it: never grouped.
_UNGROUPED = re.compile(r"(id|_at|time|timestamp|date|year|ts)$", re.IGNORECASE)
_RIGHT = ' style="text-align:right"'  # numbers line up by their last digit


def _html_table(result: Result, rows: list[Any]) -> str:
    """The first rows as a plain HTML table, with a caption of what they cost."""
    shown = [_flat(row) for row in rows[:_HTML_ROWS]]
    columns: list[str] = []
    for row in shown:
        for key in row:
            if key not in columns and len(columns) < _HTML_COLUMNS:
                columns.append(key)
    total = getattr(result, "total", None)
    what = f"{number(len(rows))} rows" + (f" of {number(total)}" if isinstance(total, int) else "")
    if result.cached:
        what += f" · from the cache (saved {number(result.credits_saved)} credits)"
    elif result.credits_cost is not None:
        what += f" · {number(result.credits_cost)} credits"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{_RIGHT if is_number(row.get(c)) else ''}>{_cell(row.get(c, ''), c)}</td>"
            for c in columns
        )
        + "</tr>"
        for row in shown
    )
    more = f"<p>… {number(len(rows) - len(shown))} more rows</p>" if len(rows) > len(shown) else ""
    return (
        f"<div><p><b>{html.escape(result.operation)}</b>: {html.escape(what)} "
        "(<code>.to_pandas()</code> for every column)</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>"
    )


#: A crawl: yields the call for the next page, is sent the page that call answered.
PageFlow = Generator["Call", Result, None]


def crawl(
    build: Callable[[Any], Call], advance: Callable[[Result, Any], Any], start: Any
) -> PageFlow:
    """Walk pages: ``build(cursor)`` is the call for a page, ``advance(page, cursor)`` the
    next cursor (None: done). Written once; ``Client`` and ``AsyncClient`` drive it.

    >>> flow = crawl(lambda n: f"ask for page {n}", lambda page, n: n + 1 if n < 2 else None, 1)
    >>> next(flow), flow.send("page 1 answered")
    ('ask for page 1', 'ask for page 2')
    """
    cursor = start
    while True:
        page = yield build(cursor)
        cursor = advance(page, cursor)
        if cursor is None:
            return


def no_pages() -> PageFlow:
    """A crawl of no pages (``max_pages=0``): asks for nothing."""
    yield from ()


def discovery_advance(
    *, limit: int, page_base: int, max_results: int | None
) -> Callable[[Result, Any], int | None]:
    """The ``advance`` of a discovery crawl: counts rows fetched, stops at the 10,000-result cap."""
    fetched = 0

    def advance(page: Result, current: int) -> int | None:
        nonlocal fetched
        fetched += len(rows_of(page.data) or [])
        return next_discovery_page(
            page,
            page=current,
            limit=limit,
            page_base=page_base,
            fetched=fetched,
            max_results=max_results,
        )

    return advance


def posts_advance(max_pages: int | None) -> Callable[[Result, Any], Any]:
    """The ``advance`` of a posts crawl: the next cursor, until ``max_pages`` pages."""
    pages = 0

    def advance(page: Result, current: Any) -> str | None:
        nonlocal pages
        pages += 1
        if max_pages is not None and pages >= max_pages:
            return None
        return next_posts_token(page)

    return advance


def drf_advance(page: Result, current: int) -> int | None:
    """The ``advance`` of a DRF list crawl (pages 1, 2, ...)."""
    return next_drf_page(page, current)


def next_discovery_page(
    result: Result, *, page: int, limit: int, page_base: int, fetched: int, max_results: int | None
) -> int | None:
    """The page to ask for after ``page``, or ``None`` when the crawl is done.

    Stops on a short page, at ``total``, at ``max_results`` and before the first row of
    the next page would lie beyond result 10,000.
    """
    body = result.data if isinstance(result.data, Mapping) else {}
    accounts = body.get("accounts") or []
    if len(accounts) < limit:
        return None
    total = body.get("total")
    if isinstance(total, int) and fetched >= min(total, MAX_REACHABLE):
        return None
    if max_results is not None and fetched >= max_results:
        return None
    nxt = page + 1
    if (nxt - page_base) * limit >= MAX_REACHABLE:
        return None
    return nxt


def next_posts_token(result: Result) -> str | None:
    """The cursor for the next posts page (``result.next_token``), ``None`` when done."""
    body = result.data if isinstance(result.data, Mapping) else {}
    inner = body.get("result")
    if not isinstance(inner, Mapping):
        return None
    token = inner.get("next_token")
    if not token or inner.get("more_available") is False:
        return None
    return str(token)


def next_drf_page(result: Result, page: int) -> int | None:
    """The next page of a DRF list (``{count, next, previous, results}``), or ``None``."""
    body = result.data if isinstance(result.data, Mapping) else {}
    if not body.get("next") or not body.get("results"):
        return None
    return page + 1
