"""A world's pickled state by column, so a cached world of 100,000 creators loads fast.

Pickled one object at a time, every creator and person costs the unpickler a tuple, a
``__setstate__`` call and its numbers one by one (a 64-bit seed is a bytes object of its
own). By column, numbers travel as one ``array`` each (turned back into lists in C), the
objects are rebuilt in one loop, and the lookups (per-platform lists, handle and email
indexes, a person's accounts) are joined back from positions instead of pickled entry by
entry. :meth:`World.__getstate__`/``__setstate__`` use it; nothing else reads the format.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any, TypeVar

from .people import _PERSON_FIELDS, Person
from .platforms import _CREATOR_FIELDS, Creator

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

__all__ = ["join_index", "pack", "unpack"]

_T = TypeVar("_T")

#: array typecodes of the numeric fields (others are pickled as plain lists)
_CREATOR_ARRAYS = {
    "followers": "q",
    "engagement_percent": "d",
    "seed": "Q",
    "posts_per_week": "d",
    "growth_monthly": "d",
}
_PERSON_ARRAYS = {"size": "d"}
_FORMAT = 1


def _columns(objects: list, names: tuple[str, ...], arrays: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        values = [getattr(o, name) for o in objects]
        code = arrays.get(name)
        out[name] = array(code, values) if code else values
    return out


def _rows(columns: dict[str, Any], names: tuple[str, ...], cls: type[_T]) -> list[_T]:
    """Objects of ``cls`` whose ``__dict__`` is one row of ``columns`` each."""
    cols = [columns[k].tolist() if isinstance(columns[k], array) else columns[k] for k in names]
    new = object.__new__
    out: list[_T] = []
    append = out.append
    for values in zip(*cols, strict=True):
        o: Any = new(cls)
        o.__dict__ = dict(zip(names, values, strict=False))  # lengths checked above
        append(o)
    return out


def pack(world: World) -> dict[str, Any]:
    """The world's state: creators and persons by column, lookups as positions."""
    d = dict(world.__dict__)
    creators, persons = d.pop("creators"), d.pop("persons")
    pos = {id(c): i for i, c in enumerate(creators)}
    ppos = {id(p): i for i, p in enumerate(persons)}
    cfields = tuple(n for n in _CREATOR_FIELDS if n not in ("index", "person"))
    ccols = _columns(creators, cfields, _CREATOR_ARRAYS)
    ccols["person"] = array("l", [ppos[id(c.person)] for c in creators])
    days: dict[Any, Any] = {}
    ccols["joined"] = [days.setdefault(j, j) for j in ccols["joined"]]  # one object per day
    pfields = tuple(n for n in _PERSON_FIELDS if n != "accounts")
    pcols = _columns(persons, pfields, _PERSON_ARRAYS)
    on = {p: array("l", [pos[id(c)] for c in cs]) for p, cs in d.pop("_on").items()}
    index = dict(d.pop("_packed_index"))  # platforms not looked up since a load
    index.update(
        (p, (list(idx), array("l", [pos[id(c)] for c in idx.values()])))
        for p, idx in d.pop("_index").items()
        if p not in index or idx
    )
    emails = d.pop("_emails")
    return {
        "format": _FORMAT,
        "creators": (len(creators), ccols),
        "persons": (len(persons), pcols),
        "on": on,
        "index": index,
        "emails": (list(emails), array("l", [ppos[id(p)] for p in emails.values()])),
        "rest": d,
    }


def unpack(world: World, state: dict[str, Any]) -> None:
    """Set ``world`` up from :func:`pack`'s state: the same objects, links and lookups."""
    if state.get("format") != _FORMAT:
        raise ValueError("unknown packed world format")
    np, pcols = state["persons"]
    accounts: list[list[Creator]] = [[] for _ in range(np)]
    persons = _rows({**pcols, "accounts": accounts}, _PERSON_FIELDS, Person)
    n, ccols = state["creators"]
    person = list(map(persons.__getitem__, ccols["person"].tolist()))
    creators = _rows({**ccols, "index": range(n), "person": person}, _CREATOR_FIELDS, Creator)
    for c in creators:
        c.person.accounts.append(c)  # world order is each person's account order
    at = creators.__getitem__
    world.__dict__.update(state["rest"])
    world.creators = creators
    world.persons = persons
    world._on = {p: list(map(at, positions.tolist())) for p, positions in state["on"].items()}
    world._index = {}  # joined per platform on first lookup (join_index): not every
    world._packed_index = state["index"]  # session looks creators up by handle
    keys, positions = state["emails"]
    world._emails = dict(zip(keys, map(persons.__getitem__, positions.tolist()), strict=True))


def join_index(world: World, packed: tuple[list[str], array]) -> dict[str, Creator]:
    """One platform's handle index (keys -> creators) from its packed keys and positions."""
    keys, positions = packed
    return dict(zip(keys, map(world.creators.__getitem__, positions.tolist()), strict=True))
