"""A disk cache of built worlds, keyed by seed, size, epoch and the world code's own hash.

Generating 100,000 creators takes seconds of pure Python; unpickling them takes a fraction
of that. The key includes a hash of every module of this package, so a change to how the
world is drawn can never be answered by a stale file. Files are written to a temporary
name and renamed into place, so two processes building the same world at once are safe.

``TOOLKIT_SANDBOX_CACHE`` chooses the folder (default: the user's cache folder, from
platformdirs; created readable by the user only); set it to ``off`` to always build. Writing a
world removes the same world's files of other code versions unused for a week (a load
marks its file used), so the folder does not grow with every upgrade while two installs
of different versions still keep theirs. The state is pickled by column (:mod:`.packed`). Worlds smaller than :data:`MIN_CACHED` are built every time: they
take milliseconds, and caching every size a test suite uses would only fill the disk.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

__all__ = ["MIN_CACHED", "cache_dir", "cache_path", "code_version", "load_or_build"]

MIN_CACHED = 20_000
STALE_AFTER = 7 * 86400
"""Seconds unused after which another code version's file of the same world is removed."""
_ENV = "TOOLKIT_SANDBOX_CACHE"
_HERE = Path(__file__).resolve().parent
_version: str | None = None


def code_version() -> str:
    """A short hash of this package's source (and the Python version pickles depend on)."""
    global _version
    if _version is None:
        digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
        for path in sorted(_HERE.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        clock = _HERE.parent / "_clock.py"  # DEFAULT_EPOCH feeds the statistics
        digest.update(clock.read_bytes())
        _version = digest.hexdigest()[:16]
    return _version


def cache_dir() -> Path | None:
    """Where worlds are kept, or None when caching is off."""
    chosen = os.environ.get(_ENV, "").strip()
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen)
    import platformdirs

    base = platformdirs.user_cache_dir("influencers-club-toolkit", appauthor=False)
    return Path(base) / "sandbox-worlds"


def cache_path(seed: int, size: int, epoch: datetime) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"world-{code_version()}-s{seed}-n{size}-e{int(epoch.timestamp())}.pickle"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cyclic GC while a world's ~200,000 objects are made.

    Every batch of allocations triggers a collection that finds nothing to free (the
    world is all live), which makes loading 5x slower. Only the collector's schedule
    changes: objects are still freed by reference counting, and if another thread paused
    it too, whoever paused it first switches it back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_or_build(cls: type[World], seed: int, size: int, epoch: datetime) -> World:
    """The cached world if there is a readable one, else a fresh build (then cached)."""
    path = cache_path(seed, size, epoch) if size >= MIN_CACHED else None
    with _gc_paused():
        if path is not None:
            try:
                with path.open("rb") as fh:
                    world = pickle.load(fh)
                if isinstance(world, cls) and (world.seed, world.size) == (seed, size):
                    with contextlib.suppress(OSError):
                        os.utime(path)  # "last used", for the clean-up in _write
                    return world
            except Exception:  # missing, damaged or foreign: rebuilt, never trusted
                pass
        world = cls(seed=seed, size=size, epoch=epoch)
        if path is not None:
            _write(path, world)
    return world


def _write(path: Path, world: World) -> None:
    """Write atomically (a private temporary file renamed into place, readable by the user
    only), then remove the same world's files from older versions of the code."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(world, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _, _, key = path.name.partition(f"world-{code_version()}-")
        unused_since = time.time() - STALE_AFTER
        for old in path.parent.glob(f"world-*-{key}"):
            with contextlib.suppress(OSError):
                if old != path and old.stat().st_mtime < unused_since:
                    old.unlink()
    except OSError:  # a read-only or full disk only costs the next session a rebuild
        pass
