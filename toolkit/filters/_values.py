"""Filter values checked against their dictionaries before a search is paid for.

A location, language, brand, topic or game the API does not know is not an error there: the
search silently matches nothing (or everything) and is charged all the same. So before a
discovery call, every dictionary-backed value is looked up in its (free, cached) dictionary.
A value is taken only when the dictionary holds it: exactly, or but for case and spacing
(``united  states`` is ``United States``, and the request then carries the dictionary's
spelling). Anything else is refused with the closest values the dictionary holds.

Long dictionaries are searched, and a search answers one page of undocumented size, so the
pages of a search are followed (``offset``) until the value is found, a page comes back
empty, short or unchanged (an endpoint that ignores ``offset``), or :data:`MAX_PAGES`; a
search that only finds longer names containing the value ("fitness" in "Fitness & Yoga")
does not make the value known.

The check is written once, as a generator that yields the dictionary pages it needs
(``(dictionary, platform, search, offset)``) and receives their options; :func:`check_values`
drives it with a sync client, :func:`acheck_values` with an async one, both through the
client's session-wide :class:`DictionaryLookup` cache. The form and saved searches use the
same functions. A dictionary that cannot be fetched (after the client's own retries) refuses
the search with :class:`DictionaryUnreachableError`: sending the values unchecked would pay
for a search that may match nothing.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit._exceptions import AuthenticationError, InfluencersClubError
from toolkit.filters._aliases import alias_of
from toolkit.filters._dictionaries import SOURCES, DictionaryLookup, Option

__all__ = [
    "MAX_PAGES",
    "Checked",
    "DictionaryUnreachableError",
    "ValueRef",
    "acheck_values",
    "apply_fixes",
    "check_values",
    "closest",
    "lookup_for",
    "normalize",
    "run_check",
    "suggestion_text",
    "tie_rank",
]


#: ``(dictionary, platform or None, search text or None, offset or None)``: one page.
Fetch = tuple[str, str | None, str | None, int | None]
Flow = Generator[Fetch, list[Option], Any]
#: Most pages of one search followed before a value is called not found.
MAX_PAGES = 20
#: Shortest text a suggestion search is sent with (shorter ones match too much).
_PROBE = 3

_LOOKUPS: weakref.WeakKeyDictionary[Any, DictionaryLookup] = weakref.WeakKeyDictionary()


def lookup_for(client: Any) -> DictionaryLookup:
    """The client's session-wide dictionary cache, shared by the checks and the forms."""
    lookup = _LOOKUPS.get(client)
    if lookup is None:
        lookup = _LOOKUPS.setdefault(client, DictionaryLookup(client))
    return lookup


def normalize(text: str) -> str:
    """``text`` as the check compares it: case folded, runs of spaces made one, trimmed."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class ValueRef:
    """One dictionary-backed value in a filter: where it is, which list, what was given."""

    path: str  # the filter key, dotted for nested ones ("audience.location")
    dictionary: str
    value: str


@dataclass
class Checked:
    """What the check found: ``problems`` (path -> message) and ``fixes``
    (``(path, given)`` -> the dictionary's spelling, for values that differed in case or
    spacing only); ``hints`` holds each problem's suggestion alone, for forms."""

    problems: dict[str, str] = field(default_factory=dict)
    fixes: dict[tuple[str, str], str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)  # path -> "did you mean ...?"


class DictionaryUnreachableError(InfluencersClubError):
    """A dictionary the filter values are checked against could not be fetched; nothing
    was sent. ``dictionary`` names it, ``paths`` the filters waiting on it, ``__cause__``
    is the error the fetch ended with."""

    def __init__(self, dictionary: str, paths: list[str], cause: InfluencersClubError) -> None:
        self.dictionary = dictionary
        self.paths = paths
        self.operation = cause.operation
        self.status = cause.status
        fields = ", ".join(paths) or "the filters"
        super().__init__(
            f"the {dictionary} dictionary could not be reached to check {fields} "
            f"({type(cause).__name__}: {cause}); nothing was sent. Retry in a moment, or "
            "pass ClientConfig(check_filter_values=False) to send the values unchecked "
            "(docs/filters.md)"
        )


def _unreachable(need: Fetch, refs: list[ValueRef], err: InfluencersClubError) -> Exception:
    """The error a failed dictionary fetch becomes: a refused key stays itself (the
    search would be refused the same way), anything else is a dictionary not reached."""
    if isinstance(err, AuthenticationError):
        return err
    paths = list(dict.fromkeys(r.path for r in refs if r.dictionary == need[0]))
    return DictionaryUnreachableError(need[0], paths, err)


def _exact(given: str, options: list[Option]) -> str | None:
    """The dictionary value ``given`` is: itself, else the one value equal but for case
    and spacing (``None`` if none, or if several are and none is ``given`` itself)."""
    if any(value == given for _label, value in options):
        return given
    wanted = normalize(given)
    same = {value for _label, value in options if normalize(value) == wanted}
    return same.pop() if len(same) == 1 else None


def _pages(
    name: str, where: str | None, search: str | None, given: str | None
) -> Generator[Fetch, list[Option], tuple[list[Option], bool]]:
    """Every option of a search (``search=None``: of the whole list), page by page, until
    ``given`` is among them or the pages end; ``(options, complete)``."""
    seen: list[Option] = []
    first: list[Option] | None = None
    previous: list[Option] | None = None
    for _ in range(MAX_PAGES):
        page = yield (name, where, search, len(seen) or None)
        if not page or page in (previous, first):
            return seen, True  # the end, or an endpoint that ignores offset
        seen += page
        if given is not None and _exact(given, page) is not None:
            return seen, True
        if first is not None and len(page) < len(first):
            return seen, True  # a short page is the last
        first, previous = first or page, page
    return seen, False


def _flow(platform: str, refs: list[ValueRef]) -> Flow:
    """The :class:`Checked` of ``refs``: fixes for case and spacing, problems with
    suggestions for the rest."""
    out = Checked()
    for ref in refs:
        if ref.path in out.problems:
            continue
        source = SOURCES[ref.dictionary]
        where = platform if source.per_platform else None
        searched = source.searchable and not source.short
        complete = True
        if searched:
            # searched as written (spacing tidied): right whether or not the endpoint's
            # search minds case
            text = " ".join(ref.value.split())
            options, complete = yield from _pages(ref.dictionary, where, text, ref.value)
        else:
            options = yield (ref.dictionary, where, None, None)
        match = _exact(ref.value, options)
        if match is not None:
            if match != ref.value:
                out.fixes[(ref.path, ref.value)] = match
            continue
        if searched and not closest(ref.value, options):  # more to suggest from
            options = options + (yield from _probes(ref, where, options))
        out.problems[ref.path] = _message(ref, options, complete)
        out.hints[ref.path] = suggestion_text(ref.value, options)
    return out


def _probes(ref: ValueRef, where: str | None, found: list[Option]) -> Flow:
    """More options to suggest from, for a value its own search did not find: the country
    it abbreviates, its words, its first and last letters (a page of each search); the
    whole list last."""
    name = ref.dictionary
    wanted = normalize(ref.value)
    alias = alias_of(ref.value) if name in ("locations", "audience_locations") else None
    texts = [normalize(alias)] if alias else []
    texts += [w for w in wanted.split() if len(w) >= _PROBE]
    if len(wanted) > _PROBE:
        texts += [wanted[:_PROBE], wanted[-_PROBE:]]
    options: list[Option] = []
    for text in dict.fromkeys(t for t in texts if t != wanted):
        options += yield (name, where, text, None)  # one page each: these only suggest
        if closest(ref.value, found + options):
            return options
    whole, _complete = yield from _pages(name, where, None, None)
    return options + whole


def _texts(option: Option) -> tuple[str, ...]:
    """What an option can be recognised by: its value and its label's name (``English``
    of ``English (en)``, ``Tennis`` of ``Sports › Tennis``)."""
    label, value = option
    name = label.split(" (")[0].split(" › ")[-1]
    return tuple(dict.fromkeys(normalize(t) for t in (value, name)))


def closest(given: str, options: list[Option], n: int = 3) -> list[Option]:
    """Up to ``n`` options ``given`` most likely meant, best first: the country it
    abbreviates (``US``), a label it names (``English`` for ``en``), a value containing it
    (``fitness`` in ``Fitness & Yoga``), then the nearest spellings (``Nkie``: ``nike``)."""
    wanted = normalize(given)
    alias = alias_of(given)
    scores: dict[Option, float] = {}
    for option in dict.fromkeys(options):
        texts = _texts(option)
        if alias and normalize(alias) in texts:
            score = 4.0
        elif wanted in texts:
            score = 3.0
        elif len(wanted) >= _PROBE and any(
            wanted in t.split() or t.startswith(wanted) for t in texts
        ):
            score = 2.0
        elif len(wanted) >= _PROBE and any(wanted in t for t in texts):
            score = 1.5
        else:
            score = max(difflib.SequenceMatcher(None, wanted, t).ratio() for t in texts)
            if score < 0.6:
                continue
        scores[option] = score
    ranked = sorted(scores, key=lambda o: (-scores[o], *tie_rank(given, o)))
    if ranked and scores[ranked[0]] >= 2:  # a name or a containing value: not the near misses
        ranked = [o for o in ranked if scores[o] >= 2]
    return ranked[:n]


#: How large a place an audience location's type says it is (its label's detail).
_SIZES = {"country": 3, "state": 2, "region": 2, "city": 1}


def tie_rank(given: str, option: Option) -> tuple[float, int, str]:
    """The order of options that match ``given`` equally well, best first: the closer
    their first part (before a comma) is to ``given``, then the larger the place the
    dictionary says it is (a country before a city by an audience location's type; a
    location of fewer parts, ``England, United Kingdom``, before one of more), then
    alphabetical (``London, England, ...`` before ``London, Ontario, ...``)."""
    wanted = normalize(given)
    near = max(
        difflib.SequenceMatcher(None, wanted, t.split(",")[0].strip()).ratio()
        for t in _texts(option)
    )
    label, value = option
    kind = label.rpartition(" (")[2].rstrip(")").casefold() if label.endswith(")") else ""
    size = _SIZES.get(kind, 0) * 100 - value.count(",")
    return -near, -size, normalize(value)


def suggestion_text(given: str, options: list[Option]) -> str:
    """``"did you mean 'France'?"`` (or ``'A', 'B' or 'C'``) for ``given``; ``""`` if none."""
    near = closest(given, options)
    if not near:
        return ""
    shown = []
    for label, value in near:
        name = label.removesuffix(f" ({value})")
        same = normalize(name) == normalize(value) or value in name
        shown.append(repr(value) if same else f"{value!r} ({name})")
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return f"did you mean {listed}?"


def _message(ref: ValueRef, options: list[Option], complete: bool) -> str:
    hint = suggestion_text(ref.value, options)
    where = f"client.dictionary.{ref.dictionary}() lists the values"
    text = f"{ref.value!r} is not in the {ref.dictionary} dictionary"
    if not complete:
        text = (
            f"{ref.value!r} is not among the first {MAX_PAGES} pages of the "
            f"{ref.dictionary} dictionary's search for it"
        )
    return f"{text} ({hint})" if hint else f"{text}; {where}"


def run_check(
    fetch: Callable[[str, str | None, str | None, int | None], list[Option]],
    platform: str,
    refs: list[ValueRef],
) -> Checked:
    """:class:`Checked` of ``refs`` with ``fetch`` answering each page;
    :class:`DictionaryUnreachableError` when a page cannot be fetched."""
    flow = _flow(platform, refs)
    try:
        need = next(flow)
        while True:
            try:
                options = fetch(*need)
            except InfluencersClubError as err:
                raise _unreachable(need, refs, err) from err
            need = flow.send(options)
    except StopIteration as done:
        result: Checked = done.value
        return result


def check_values(client: Any, platform: str, refs: list[ValueRef]) -> Checked:
    """The :class:`Checked` of ``refs`` against the sync ``client``'s dictionaries.

    A dictionary that cannot be fetched (an outage past the client's retries, offline cache
    mode without it) raises :class:`DictionaryUnreachableError`: nothing is sent unchecked.
    """
    if not refs:
        return Checked()
    return run_check(lookup_for(client).fetch, platform, refs)


async def acheck_values(client: Any, platform: str, refs: list[ValueRef]) -> Checked:
    """:func:`check_values` for an :class:`~toolkit.AsyncClient`."""
    if not refs:
        return Checked()
    lookup = lookup_for(client)
    flow = _flow(platform, refs)
    try:
        need = next(flow)
        while True:
            try:
                options = await lookup.afetch(*need)
            except InfluencersClubError as err:
                raise _unreachable(need, refs, err) from err
            need = flow.send(options)
    except StopIteration as done:
        result: Checked = done.value
        return result


def _item_key(item: Mapping[str, Any]) -> str | None:
    """The field of a weighted item that holds its dictionary value."""
    for key in ("name", "language_abbr"):
        if isinstance(item.get(key), str):
            return key
    return None


def refs_of(spec_dictionary: str | None, path: str, value: Any) -> list[ValueRef]:
    """The dictionary values inside one checked filter value (strings or weighted items)."""
    if spec_dictionary is None:
        return []
    out = []
    for item in value if isinstance(value, list) else [value]:
        key = _item_key(item) if isinstance(item, Mapping) else None
        name = item[key] if isinstance(item, Mapping) and key else item
        if isinstance(name, str) and name.strip():
            out.append(ValueRef(path, spec_dictionary, name))
    return out


def apply_fixes(filters: Mapping[str, Any], fixes: Mapping[tuple[str, str], str]) -> dict[str, Any]:
    """``filters`` (wire form) with each fixed value replaced by the dictionary's spelling."""
    out = dict(filters)
    if not fixes:
        return out
    for (path, given), value in fixes.items():
        parent, _, child = path.partition(".")
        holder = out
        key = parent
        if child:
            if not isinstance(out.get(parent), Mapping):
                continue
            holder = out[parent] = dict(out[parent])
            key = child
        holder[key] = _replaced(holder.get(key), given, value)
    return out


def _replaced(current: Any, given: str, value: str) -> Any:
    if isinstance(current, list):
        return [_replaced(item, given, value) for item in current]
    if isinstance(current, Mapping):
        key = _item_key(current)
        if key and current[key] == given:
            return {**current, key: value}
        return dict(current)
    return value if current == given else current
