"""Exclusion lists: handles discovery should leave out. Free.

Entry operations address either a list by id or a platform's default list
(``platform="instagram"``), which the API creates empty on first use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence

from toolkit._call import Call
from toolkit._checks import (
    DISCOVERY_PLATFORMS,
    check_handles,
    check_id,
    check_int,
    check_name,
    check_platform,
)
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._exceptions import ArgumentTypeError
from toolkit._reconcile import Match, create_flow
from toolkit._results import Result
from toolkit.resources._base import R, Resource
from toolkit.resources._same import pick_live
from toolkit.resources.listening_costs import Flow

__all__ = ["AsyncExclusionLists", "ExclusionLists"]


def _target(list_id: int | None, platform: str | None) -> tuple[str, dict[str, object]]:
    """(operation infix, path params) for a list or a platform's default list."""
    if (list_id is None) == (platform is None):
        raise ArgumentTypeError(
            "pass a list_id or platform= (for the platform's default list), not both"
        )
    if list_id is not None:
        return "list", {"list_id": check_id(list_id, "list_id")}
    platform = check_platform(platform, DISCOVERY_PLATFORMS)
    return "default", {"platform": platform}


class _ExclusionListsBase(Resource[R]):
    def list(self) -> R:
        """GET /public/v1/discovery/exclusion-lists/ — every list, all platforms."""
        return self._op("exclusion_lists_list")

    def _create_parts(self, name: str, platform: str) -> tuple[Call, Match]:
        name = check_name(name, "exclusion_lists_create")
        platform = check_platform(platform, DISCOVERY_PLATFORMS, operation="exclusion_lists_create")
        match = Match(
            list_call=lambda _page: self._call("exclusion_lists_list"),
            fields={"name": name, "platform": platform},
        )
        call = self._call("exclusion_lists_create", json={"name": name, "platform": platform})
        return call, match

    def create(self, name: str, platform: str) -> R:
        """POST /public/v1/discovery/exclusion-lists/ — a new named list for one platform
        (``ensure`` returns an existing one of that name instead)."""
        return self._flow(create_flow(*self._create_parts(name, platform)))

    def ensure(self, name: str, platform: str) -> R:
        """The list named ``name`` for ``platform``, else a new one (:meth:`create`): safe to
        re-run, it never makes a second list of that name. Several of that name: the newest
        (highest id), with a warning."""
        return self._flow(self._ensure_flow(name, platform))

    def _ensure_flow(self, name: str, platform: str) -> Flow[Result]:
        op = "exclusion_lists_create"
        name = check_name(name, op)
        platform = check_platform(platform, DISCOVERY_PLATFORMS, operation=op)
        listed = yield self._call("exclusion_lists_list")
        same = [
            xl
            for xl in listed.rows or []
            if isinstance(xl, Mapping)
            and str(xl.get("name", "")).strip().casefold() == name.casefold()
            and xl.get("platform") == platform
            and not xl.get("is_default")
        ]
        same.sort(key=lambda xl: int(xl.get("id") or 0))
        found = pick_live("exclusion list", name, same)
        if found is not None:
            return (yield self._get_call(found["id"]))
        return (yield from create_flow(*self._create_parts(name, platform)))

    def _get_call(self, list_id: int) -> Call:
        list_id = check_id(list_id, "list_id", operation="exclusion_lists_get")
        return self._call("exclusion_lists_get", path_params={"list_id": list_id})

    def get(self, list_id: int) -> R:
        """GET /public/v1/discovery/exclusion-lists/{list_id}/ — one list."""
        return self._send(self._get_call(list_id))

    def rename(self, list_id: int, name: str) -> R:
        """PATCH /public/v1/discovery/exclusion-lists/{list_id}/ — rename (not the default list)."""
        list_id = check_id(list_id, "list_id", operation="exclusion_lists_rename")
        name = check_name(name, "exclusion_lists_rename")
        return self._op(
            "exclusion_lists_rename", path_params={"list_id": list_id}, json={"name": name}
        )

    def delete(self, list_id: int) -> R:
        """DELETE /public/v1/discovery/exclusion-lists/{list_id}/ — remove a list (204)."""
        list_id = check_id(list_id, "list_id", operation="exclusion_lists_delete")
        return self._op("exclusion_lists_delete", path_params={"list_id": list_id})

    def get_default(self, platform: str) -> R:
        """GET /public/v1/discovery/exclusion-lists/default/{platform}/ — the platform default."""
        platform = check_platform(platform, DISCOVERY_PLATFORMS)
        return self._op("exclusion_lists_get_default", path_params={"platform": platform})

    def entries(
        self,
        list_id: int | None = None,
        *,
        platform: str | None = None,
        offset: int | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET .../{list_id}/entries/ or .../default/{platform}/entries/ — handles, paged."""
        kind, path = _target(list_id, platform)
        if not isinstance(offset, NotGiven):
            offset = check_int(offset, "offset", lo=0)
        if not isinstance(limit, NotGiven):
            limit = check_int(limit, "limit", lo=1)
        return self._op(
            f"exclusion_lists_{kind}_entries_get",
            path_params=path,
            query={"offset": offset, "limit": limit},
        )

    def add_entries(
        self, list_id: int | None = None, *, handles: Sequence[str], platform: str | None = None
    ) -> R:
        """POST .../entries/ — add handles (``@name`` or URLs; the API normalises)."""
        kind, path = _target(list_id, platform)
        handles = check_handles(handles)
        return self._op(
            f"exclusion_lists_{kind}_entries_add", path_params=path, json={"handles": list(handles)}
        )

    def remove_entries(
        self, list_id: int | None = None, *, handles: Sequence[str], platform: str | None = None
    ) -> R:
        """DELETE .../entries/ with a JSON body — remove handles from a list."""
        kind, path = _target(list_id, platform)
        handles = check_handles(handles)
        return self._op(
            f"exclusion_lists_{kind}_entries_remove",
            path_params=path,
            json={"handles": list(handles)},
        )


class ExclusionLists(_ExclusionListsBase[Result]):
    """Exclusion lists for the sync client."""


class AsyncExclusionLists(_ExclusionListsBase[Awaitable[Result]]):
    """Exclusion lists for the async client (methods are awaitable)."""
