"""Where a form's exports go and what they are called.

An export goes to ``exports/`` of the working directory unless the user picks a folder,
but never inside the toolkit's own folders (Voila runs a dashboard with its folder,
``widgets/``, as the working directory: its exports go beside the package instead) nor
inside installed packages (then ``~/influencers-club-exports``, and the form says so). A file
is named after what it holds: the platform, the search's filters (or whose lookalikes), its
sort and the number of creators; a name cut for length ends in a digest of the whole, and a
file already there is never replaced (:func:`free_path` adds ``-2``, ``-3`` ...).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["HOME_FOLDER", "default_export_dir", "default_export_place", "export_name", "free_path"]

#: The package folders an export must never land in.
_PACKAGES = tuple(Path(__file__).resolve().parents[1] / name for name in ("widgets", "toolkit"))
_MAX_STEM = 120
#: Folders that hold installed packages; the default folder under the home directory.
_INSTALLED = ("site-packages", "dist-packages")
HOME_FOLDER = "influencers-club-exports"
#: Most files of one export name (``name``, ``name-2`` ... ``name-999``) before refusing.
_MAX_COPIES = 999


def default_export_place(cwd: Path | None = None, home: Path | None = None) -> tuple[Path, str]:
    """Where exports go by default, and why when it is not the working directory's
    ``exports/``: beside the package in a source checkout run from inside it (Voila runs
    a dashboard in ``widgets/``); ``~/influencers-club-exports`` when the working directory
    is inside installed packages (``site-packages``), which are no place for a user's files."""
    here = (cwd or Path.cwd()).resolve()
    if any(part in _INSTALLED for part in here.parts):
        place = (home or Path.home()) / HOME_FOLDER
        return place, f"the working directory is inside installed packages: exports go to {place}"
    for package in _PACKAGES:
        if here == package or package in here.parents:
            return package.parent / "exports", ""
    return here / "exports", ""


def default_export_dir(cwd: Path | None = None, home: Path | None = None) -> Path:
    """The folder of :func:`default_export_place`."""
    return default_export_place(cwd, home)[0]


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
    """``instagram-location-united-states-25-creators.csv``; sorted other than by relevancy,
    ``...-by-number-of-followers-asc-25-creators.csv``; lookalikes are
    ``instagram-similar-to-nasa-25-creators.csv``; a search without filters is
    ``instagram-all-creators-25-creators.csv``. A long name is cut and ends in 8 hex digits
    of the whole (two long filter sets get two names)."""
    if kind == "similar":
        what = f"similar-to-{_slug(kwargs.get('username', ''))}"
    else:
        filters = kwargs.get("filters") or {}
        what = "-".join(f"{_slug(k)}-{_slug(v)}" for k, v in filters.items()) or "all-creators"
        sort_by = kwargs.get("sort_by") or "relevancy"
        if sort_by != "relevancy":
            what += f"-by-{_slug(sort_by)}-{_slug(kwargs.get('sort_order') or 'desc')}"
    stem = re.sub(r"-+", "-", f"{platform}-{what}").strip("-")
    if len(stem) > _MAX_STEM:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:8]
        stem = f"{stem[: _MAX_STEM - 9].rstrip('-')}-{digest}"
    return f"{stem}-{rows}-creators.{fmt}"


def free_path(path: Path, data: bytes) -> tuple[Path, bool]:
    """Where ``data`` goes without replacing another file: ``path``, else ``name-2.csv``,
    ``name-3.csv`` ...; one that already holds exactly ``data`` is taken as it is (an
    export pressed twice is saved once). ``(path, written)``; the file is created here,
    exclusively, so two exports at once cannot take the same name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, _MAX_COPIES + 1):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            with candidate.open("xb") as out:
                out.write(data)
            return candidate, True
        except FileExistsError:
            if candidate.is_file() and candidate.read_bytes() == data:
                return candidate, False
    raise FileExistsError(
        f"{path} and {_MAX_COPIES - 1:,} numbered copies exist; choose another folder"
    )
