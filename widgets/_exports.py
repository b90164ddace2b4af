"""Where a form's exports go and what they are called.

An export goes to ``exports/`` of the working directory unless the user picks a folder,
but never inside the toolkit's own folders (Voila runs a dashboard with its folder,
``widgets/``, as the working directory: its exports go beside the package instead). A file
is named after what it holds: the platform, the search's filters (or whose lookalikes) and
the number of creators, so two exports of different searches never overwrite each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["default_export_dir", "export_name"]

#: The package folders an export must never land in.
_PACKAGES = tuple(Path(__file__).resolve().parents[1] / name for name in ("widgets", "toolkit"))
_MAX_STEM = 120


def default_export_dir(cwd: Path | None = None) -> Path:
    """``exports/`` of the working directory, or of the folder above the package when
    the working directory is inside one."""
    here = (cwd or Path.cwd()).resolve()
    for package in _PACKAGES:
        if here == package or package in here.parents:
            return package.parent / "exports"
    return here / "exports"


def _slug(value: Any) -> str:
    """A value as file-name words: ``{"min": 10000}`` -> ``min-10k``, ``True`` -> ``yes``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        for div, suffix in ((1_000_000, "m"), (1_000, "k")):
            if abs(value) >= div and value % (div // 10) == 0:
                return f"{value / div:g}{suffix}"
        return f"{value:g}"
    if isinstance(value, Mapping):
        return "-".join(f"{k}-{_slug(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return "-".join(_slug(v) for v in value)
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


def export_name(platform: str, kind: str, kwargs: Mapping[str, Any], rows: int, fmt: str) -> str:
    """``instagram-location-united-states-25-creators.csv``; lookalikes are
    ``instagram-similar-to-nasa-25-creators.csv``; a search without filters is
    ``instagram-all-creators-25-creators.csv``. Long filter lists are cut."""
    if kind == "similar":
        what = f"similar-to-{_slug(kwargs.get('username', ''))}"
    else:
        filters = kwargs.get("filters") or {}
        what = "-".join(f"{_slug(k)}-{_slug(v)}" for k, v in filters.items()) or "all-creators"
    stem = re.sub(r"-+", "-", f"{platform}-{what}").strip("-")
    if len(stem) > _MAX_STEM:
        stem = stem[:_MAX_STEM].rstrip("-") + "-etc"
    return f"{stem}-{rows}-creators.{fmt}"
