"""Where dictionary-backed filters get their values, and a per-session cache of them.

Each :class:`DictionarySource` declares, for one ``FilterSpec.dictionary`` name, the
``client.dictionary`` method to call, which item field is sent in the filter and which
one is shown, and whether the list is short enough to show whole (a multi-select) or
long (type-ahead over the endpoint's ``search``). :class:`DictionaryLookup` fetches each
list or search once per session: forms ask it on every keystroke, the API is asked once.

>>> import toolkit as ic
>>> lookup = DictionaryLookup(ic.connect(quiet=True))
>>> lookup.suggest("locations", "york", platform="instagram")[0]
('New York, New York, United States', 'New York, New York, United States')
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["SOURCES", "DictionaryLookup", "DictionarySource", "Option"]

#: ``(label, value)``: what a form shows, what the filter sends.
Option = tuple[str, str]


@dataclass(frozen=True)
class DictionarySource:
    """One dictionary endpoint as a form and the validator see it."""

    name: str  # the client.dictionary method
    value: str | None = None  # item field sent in the filter; None: items are strings
    label: str | None = None  # item field shown; None: the value
    detail: str | None = None  # a second field shown in brackets ("city", "en")
    children: str | None = None  # a list field whose strings are values too (yt sub-topics)
    per_platform: bool = False  # the path takes the platform (locations)
    searchable: bool = False  # the endpoint takes ``search``: long lists are searched
    short: bool = False  # small and static: shown whole as a multi-select

    def options(self, items: Any) -> list[Option]:
        """The ``(label, value)`` pairs of an endpoint's answer (strings or objects)."""
        out: dict[str, str] = {}
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str):
                out.setdefault(item, item)
                continue
            if not isinstance(item, dict) or not isinstance(item.get(self.value or ""), str):
                continue
            value = item[self.value or ""]
            label = str(item.get(self.label or self.value or "") or value)
            if self.detail and item.get(self.detail):
                label = f"{label} ({item[self.detail]})"
            out.setdefault(value, label)
            for child in item.get(self.children or "", None) or []:
                if isinstance(child, str):
                    out.setdefault(child, f"{value} › {child}")
        return [(label, value) for value, label in out.items()]


#: Every dictionary a filter names, by ``FilterSpec.dictionary``.
SOURCES: dict[str, DictionarySource] = {
    s.name: s
    for s in (
        DictionarySource("languages", "abbreviation", "language", "abbreviation", short=True),
        DictionarySource("locations", per_platform=True, searchable=True),
        DictionarySource("brands", "cleaned", "full_name", searchable=True),
        DictionarySource("yt_topics", "topic_details", children="sub_topic_details", short=True),
        DictionarySource("games", short=True),
        DictionarySource("audience_brand_categories", "name", searchable=True),
        DictionarySource("audience_brand_names", "name", searchable=True),
        DictionarySource("audience_interests", "name", searchable=True),
        DictionarySource("audience_locations", "name", detail="type", searchable=True),
    )
}


class DictionaryLookup:
    """Dictionary values for one session: every list and every search is fetched once.

    ``suggest`` is what a type-ahead calls on each keystroke: nothing below
    ``min_chars`` characters, then the endpoint's ``search`` (cached by text), filtered
    here too because some endpoints ignore ``search`` and answer their whole list;
    prefix matches first, at most ``limit`` options. ``calls`` counts
    the requests actually sent.
    """

    def __init__(self, client: Any, *, min_chars: int = 3, limit: int = 20) -> None:
        self._client = client
        self.min_chars = min_chars
        self.limit = limit
        self.calls = 0
        self._cache: dict[tuple[Any, ...], list[Option]] = {}
        self._lock = threading.Lock()

    @property
    def checks_values(self) -> bool:
        """Whether the client checks filter values (``ClientConfig(check_filter_values=)``)."""
        return bool(getattr(getattr(self._client, "config", None), "check_filter_values", True))

    def _key(
        self, name: str, platform: str | None, search: str | None, offset: int | None
    ) -> tuple[Any, ...]:
        return (name, platform if SOURCES[name].per_platform else None, search, offset or None)

    def _call(self, name: str, platform: str | None, search: str | None, offset: int | None) -> Any:
        """The dictionary request (its result, or its awaitable on an async client)."""
        method: Callable[..., Any] = getattr(self._client.dictionary, name)
        args = (platform,) if SOURCES[name].per_platform else ()
        kwargs: dict[str, Any] = {"search": search} if search is not None else {}
        if offset:  # only the searchable endpoints take it
            kwargs["offset"] = offset
        return method(*args, **kwargs)

    def _store(self, key: tuple[Any, ...], result: Any) -> list[Option]:
        options = SOURCES[key[0]].options(result.data)
        with self._lock:
            self.calls += 1
            self._cache[key] = options
        return options

    def fetch(
        self, name: str, platform: str | None, search: str | None, offset: int | None = None
    ) -> list[Option]:
        """One page of a list (or of a search) of a dictionary, fetched once per session."""
        key = self._key(name, platform, search, offset)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        return self._store(key, self._call(name, platform, search, offset))

    async def afetch(
        self, name: str, platform: str | None, search: str | None, offset: int | None = None
    ) -> list[Option]:
        """:meth:`fetch` for a lookup over an :class:`~toolkit.AsyncClient`."""
        key = self._key(name, platform, search, offset)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        return self._store(key, await self._call(name, platform, search, offset))

    def options(self, name: str, *, platform: str | None = None) -> list[Option]:
        """The whole list of a dictionary (for the short ones: languages, topics, games)."""
        return list(self.fetch(name, platform, None))

    def suggest(
        self, name: str, text: str, *, platform: str | None = None, limit: int | None = None
    ) -> list[Option]:
        """Up to ``limit`` options matching ``text`` (case-insensitive): prefixes first, then
        as :func:`~toolkit.filters._values.tie_rank` orders equals (closest first part,
        larger place, alphabetical)."""
        from toolkit.filters._values import tie_rank

        needle = text.strip().lower()
        if len(needle) < self.min_chars:
            return []
        source = SOURCES[name]
        found = self.fetch(name, platform, needle if source.searchable else None)
        hits = [o for o in found if needle in o[0].lower() or needle in o[1].lower()]
        hits.sort(key=lambda o: (not o[0].lower().startswith(needle), *tie_rank(needle, o)))
        return hits[: limit or self.limit]

    def label(self, name: str, value: str, *, platform: str | None = None) -> str:
        """The label of a value already seen in a list or a search (else the value)."""
        with self._lock:
            for (n, p, _s, _o), options in self._cache.items():
                if n == name and p in (None, platform):
                    for label, v in options:
                        if v == value:
                            return label
        return value

    def contains(self, name: str, value: str, *, platform: str | None = None) -> bool:
        """Whether ``value`` is a value of the dictionary, as written (the check of
        :mod:`toolkit.filters._values`, which pages through a search's answers)."""
        return self.resolve(name, value, platform=platform) == value

    def resolve(self, name: str, value: str, *, platform: str | None = None) -> str | None:
        """The dictionary's own spelling of ``value`` (case and spacing forgiven), or
        ``None`` when the dictionary does not hold it."""
        from toolkit.filters._values import ValueRef, run_check

        ref = ValueRef(name, name, value)
        checked = run_check(self.fetch, platform or "", [ref])
        if checked.problems:
            return None
        return checked.fixes.get((name, value), value)
