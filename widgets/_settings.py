"""What a ``DiscoveryForm`` accepts from code and files: its settings (platform, page size,
sort), saved searches, the filters that survive a platform switch, and the static picture
shown where the live form cannot render.

A wrong value set in code or read from a file is a toolkit error with a message
(``ArgumentError``, ``ArgumentTypeError``, ``FilterError``), never a bare ``TraitError``,
``TypeError`` or ``JSONDecodeError``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from toolkit._exceptions import ArgumentError, ArgumentTypeError
from toolkit.filters import (
    FOLLOWER_FILTER,
    PLATFORMS,
    SOURCES,
    DictionaryLookup,
    DictionaryUnreachableError,
    filters_for,
)

__all__ = [
    "carry_over",
    "choice",
    "page_size",
    "platform",
    "read_saved",
    "saved_search",
    "static_picture",
]


def platform(value: Any) -> str:
    """A discovery platform, in any case."""
    if not isinstance(value, str) or value.strip().lower() not in PLATFORMS:
        raise ArgumentError(f"platform must be one of {', '.join(PLATFORMS)}, got {value!r}")
    return value.strip().lower()


def page_size(value: Any, sizes: Iterable[int]) -> int:
    """One of the form's page sizes (``"10"`` is understood)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"limit must be a whole number, got {value!r}")
    allowed = tuple(sizes)
    if value not in allowed:
        listed = ", ".join(map(str, allowed))
        raise ArgumentError(f"limit (the page size) must be one of {listed}, got {value}")
    return value


def choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """``value`` if it is one of ``allowed`` (a sort setting)."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ArgumentError(f"{name} must be one of {listed}, got {value!r}")
    return value


def read_saved(path: str | Path) -> Mapping[str, Any]:
    """The saved search in ``path`` (a JSON object written by ``DiscoveryForm.save``)."""
    try:
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ArgumentError(
            f"{path} is not a saved search (DiscoveryForm.save writes JSON): {err}"
        ) from err
    if not isinstance(saved, Mapping):
        raise ArgumentError(f"{path} is not a saved search: its JSON is not an object")
    return saved


def static_picture(platform: str, filters: Mapping[str, Any]) -> dict[str, str]:
    """``text/html`` and ``text/plain`` of a form that is not running (a notebook opened
    before it was run shows these instead of the widget's bare repr)."""
    shown = json.dumps(filters) if filters else "no filters yet"
    return {
        "text/plain": f"DiscoveryForm ({platform}, {shown}): run the cell to use the form",
        "text/html": (
            "<div class='ic-static'><b>Discovery form</b> for "
            f"<code>{html.escape(platform)}</code> · filters <code>{html.escape(shown)}"
            "</code><br><small>Run this cell (or the notebook) to get the interactive form: "
            "pick a platform, fill filters, see the cost, search.</small></div>"
        ),
    }


def saved_search(filters: Mapping[str, Any] | None, platform: str | None) -> dict[str, Any]:
    """A saved search (``to_dict()``) or bare filters, with ``platform`` winning."""
    if filters is not None and not isinstance(filters, Mapping):
        raise ArgumentTypeError(
            f"filters must be a saved search (a mapping), got {type(filters).__name__}"
        )
    saved = dict(filters or {})
    if "filters" not in saved and "platform" not in saved:
        saved = {"filters": saved}
    if platform is not None:
        saved["platform"] = platform
    return saved


def carry_over(
    values: Mapping[str, Any], old: str, new: str, lookup: DictionaryLookup
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Which field values still apply on ``new``: same key and kind (the follower range
    moves to the new platform's follower key), dictionary values the new platform lists."""
    specs = {s.key: s for s in filters_for(new)}
    keep: dict[str, Any] = {}
    dropped: list[tuple[str, str]] = []
    follower_old, follower_new = FOLLOWER_FILTER[old], FOLLOWER_FILTER[new]
    for key, value in values.items():
        target = follower_new if key == follower_old and follower_new else key
        spec = specs.get(target)
        if spec is None:
            dropped.append((key, f"not a filter on {new}"))
            continue
        if spec.dictionary and SOURCES[spec.dictionary].per_platform and isinstance(value, list):
            try:
                ok = [v for v in value if lookup.contains(spec.dictionary, v, platform=new)]
            except DictionaryUnreachableError:
                ok = list(value)  # kept: Search checks them again (and sends nothing unchecked)
            if len(ok) < len(value):
                gone = ", ".join(v for v in value if v not in ok)
                dropped.append((key, f"{gone} not listed for {new}"))
            value = ok or None
        if value is not None:
            keep[target] = value
    return keep, dropped
