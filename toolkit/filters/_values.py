"""Filter values checked against their dictionaries before a search is paid for.

A location, language, brand, topic or game the API does not know is not an error there: the
search silently matches nothing (or everything) and is charged all the same. So before a
discovery call, every dictionary-backed value is looked up in its (free, cached) dictionary
and a miss is refused with the closest known value as a suggestion. Long dictionaries are
searched, and a search answers one page of undocumented size, so a value is refused only
when its search finds nothing containing it (a typo) or finds it in another case; when the
page holds longer names containing it, the value goes through rather than being refused on
a guess.

The check is written once, as a generator that yields the dictionary lists it needs
(``(dictionary, platform, search)``) and receives their options; :func:`check_values` drives
it with a sync client, :func:`acheck_values` with an async one, both through the client's
session-wide :class:`DictionaryLookup` cache.
"""

from __future__ import annotations

import difflib
import logging
import weakref
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit._exceptions import InfluencersClubError
from toolkit.filters._dictionaries import SOURCES, DictionaryLookup, Option

__all__ = ["ValueRef", "acheck_values", "check_values", "lookup_for"]

log = logging.getLogger("toolkit.filters")

#: ``(dictionary, platform or None, search text or None)``: one list the check needs.
Fetch = tuple[str, str | None, str | None]
#: Shortest text a suggestion search is sent with (shorter ones match too much).
_SEARCH_PREFIX = 3

_LOOKUPS: weakref.WeakKeyDictionary[Any, DictionaryLookup] = weakref.WeakKeyDictionary()


def lookup_for(client: Any) -> DictionaryLookup:
    """The client's session-wide dictionary cache, shared by the checks and the forms."""
    lookup = _LOOKUPS.get(client)
    if lookup is None:
        lookup = _LOOKUPS.setdefault(client, DictionaryLookup(client))
    return lookup


@dataclass(frozen=True)
class ValueRef:
    """One dictionary-backed value in a filter: where it is, which list, what was given."""

    path: str  # the filter key, dotted for nested ones ("audience.location")
    dictionary: str
    value: str


def _flow(platform: str, refs: list[ValueRef]) -> Generator[Fetch, list[Option], dict[str, str]]:
    """Problems (path -> message) of the values no dictionary knows, with suggestions."""
    problems: dict[str, str] = {}
    for ref in refs:
        if ref.path in problems:
            continue
        source = SOURCES[ref.dictionary]
        where = platform if source.per_platform else None
        by_search = source.searchable and not source.short
        options = yield (ref.dictionary, where, ref.value.lower() if by_search else None)
        if any(value == ref.value for _label, value in options):
            continue
        wanted = ref.value.strip().casefold()
        folded = [v.casefold() for _label, v in options]
        if by_search and wanted not in folded and any(wanted in v for v in folded):
            # the search matched longer names only; its answer is one page of unknown
            # size, so the exact value may be further on: not refused on a guess
            continue
        if by_search:  # the exact search found nothing like it: ask for near spellings
            prefix = ref.value.strip().lower()[:_SEARCH_PREFIX]
            if len(prefix) == _SEARCH_PREFIX:
                options = yield (ref.dictionary, where, prefix)
            if _closest(ref.value, options) is None:  # a typo in the first letters
                options = yield (ref.dictionary, where, None)
        problems[ref.path] = _message(ref, options)
    return problems


def _closest(given: str, options: list[Option]) -> Option | None:
    """The option ``given`` most likely meant: same text in another case, else the nearest
    spelling of a value or of its label (a language's name for its code)."""
    wanted = given.strip().casefold()
    for option in options:
        if wanted in (option[0].casefold(), option[1].casefold()):
            return option
    by_text = {text: option for option in options for text in option}
    close = difflib.get_close_matches(given, list(by_text), n=1, cutoff=0.6)
    return by_text[close[0]] if close else None


def _message(ref: ValueRef, options: list[Option]) -> str:
    near = _closest(ref.value, options)
    if near is None:
        hint = f"; client.dictionary.{ref.dictionary}() lists the values"
    elif near[0] != near[1]:
        hint = f" (did you mean {near[1]!r}, {near[0]}?)"
    else:
        hint = f" (did you mean {near[1]!r}?)"
    return f"{ref.value!r} is not in the {ref.dictionary} dictionary{hint}"


def _run(flow: Generator[Fetch, list[Option], dict[str, str]], fetch: Any) -> dict[str, str]:
    try:
        need = next(flow)
        while True:
            need = flow.send(fetch(*need))
    except StopIteration as done:
        return dict(done.value)


def check_values(client: Any, platform: str, refs: list[ValueRef]) -> dict[str, str]:
    """Problems of ``refs`` against the sync ``client``'s dictionaries (empty: all known).

    A dictionary that cannot be fetched (offline cache mode, an outage) skips the check of
    its values rather than block the search: the check saves money, it is not the API.
    """
    if not refs:
        return {}
    lookup = lookup_for(client)
    try:
        return _run(_flow(platform, refs), lookup.fetch)
    except InfluencersClubError as err:
        log.debug("dictionary values not checked: %s", err)
        return {}


async def acheck_values(client: Any, platform: str, refs: list[ValueRef]) -> dict[str, str]:
    """:func:`check_values` for an :class:`~toolkit.AsyncClient`."""
    if not refs:
        return {}
    lookup = lookup_for(client)
    flow = _flow(platform, refs)
    try:
        need = next(flow)
        while True:
            need = flow.send(await lookup.afetch(*need))
    except StopIteration as done:
        return dict(done.value)
    except InfluencersClubError as err:
        log.debug("dictionary values not checked: %s", err)
        return {}


def refs_of(spec_dictionary: str | None, path: str, value: Any) -> list[ValueRef]:
    """The dictionary values inside one checked filter value (strings or weighted items)."""
    if spec_dictionary is None:
        return []
    out = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name", item.get("language_abbr")) if isinstance(item, Mapping) else item
        if isinstance(name, str) and name.strip():
            out.append(ValueRef(path, spec_dictionary, name))
    return out
