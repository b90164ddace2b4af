"""Get-or-create (``ensure``) helpers: which existing object a name means, and what differs.

``ensure`` returns an existing live object instead of creating a second one, so a re-run
creates nothing; it never changes that object, it says where its settings differ from the
arguments.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from toolkit._config import NotGiven
from toolkit._exceptions import caller_stacklevel

__all__ = ["differences", "pick_live", "warn_differences", "warn_not_running"]


def differences(have: Mapping[str, Any], want: Mapping[str, Any]) -> list[str]:
    """``name: existing vs asked`` for each argument given that the existing object does not
    match (lists compared as sets, strings without case)."""

    def norm(v: Any) -> Any:
        if isinstance(v, list | tuple | set):
            return sorted({str(x).strip().lstrip("@").casefold() for x in v})
        if isinstance(v, str):
            return v.strip().casefold()
        return v

    out = []
    for key, value in want.items():
        if isinstance(value, NotGiven):
            continue
        if norm(have.get(key)) != norm(value):
            out.append(f"{key}: {have.get(key)!r} there, {value!r} asked")
    return out


def warn_differences(kind: str, obj: Mapping[str, Any], diffs: list[str]) -> None:
    """Say that an existing object was returned as it is although arguments differ."""
    if diffs:
        warnings.warn(
            f"{kind} {obj.get('name')!r} ({obj.get('id')}) exists and was returned as it is; "
            f"its settings differ from the arguments, which were not applied: " + "; ".join(diffs),
            UserWarning,
            stacklevel=caller_stacklevel(),
        )


def warn_not_running(kind: str, obj: Mapping[str, Any], resume: str | None) -> None:
    """Say that the existing object returned is not running (paused, completed...): it
    collects nothing, and ``ensure`` does not resume it. ``resume``: how to, if it can be."""
    status = obj.get("status")
    if status is None or status == "active":
        return
    how = f"; resume it with {resume}" if resume and status == "paused" else ""
    warnings.warn(
        f"{kind} {obj.get('name')!r} ({obj.get('id')}) exists and is {status}: returned as it "
        f"is, collecting nothing{how}",
        UserWarning,
        stacklevel=caller_stacklevel(),
    )


def pick_live(kind: str, name: str, found: list[Any]) -> Any | None:
    """The one object of ``name`` to return; with several, the newest (and a warning)."""
    if not found:
        return None
    found = sorted(found, key=lambda o: str(o.get("created_at") or ""))
    if len(found) > 1:
        warnings.warn(
            f"{len(found)} {kind}s are named {name!r} ({', '.join(str(o.get('id')) for o in found)}); "
            f"using the newest, {found[-1].get('id')}",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    return found[-1]
