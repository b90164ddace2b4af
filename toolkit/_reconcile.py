"""Creates that must never happen twice: what to do when their answer is lost.

The API does not deduplicate creates (API keys, exclusion lists, listening subscriptions
and campaigns, OAuth registrations; a batch upload is billed per row). Once such a request
may have reached the server (dropped connection, timeout, unreadable answer, or a 5xx, which
a gateway may answer after the server made the object) the client does not re-send it
blindly (``Call.idempotent=False``, from the row's ``check`` in ``toolkit._operations``).
Instead :func:`create_flow` lists what exists and matches what was just asked for:

* exactly one match: the create happened; its object is returned as the call's result;
* no match: the create did not happen; it is sent once more (safe: nothing exists);
* several matches, or no way to list: :class:`~toolkit.OutcomeUnknownError` naming what to
  check before asking again.

A match is an object whose fields equal what was sent (the name, the platform ...). An
older object with the same name is indistinguishable from the new one, so when several
match nothing is guessed. The flow is a generator both clients drive (STYLE §2, httpx
``Auth.auth_flow``): it yields calls and receives their results or errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit._exceptions import (
    InfluencersClubError,
    MalformedResponseError,
    OutcomeUnknownError,
    ServerError,
)
from toolkit._operations import BY_NAME
from toolkit._results import Result, next_drf_page

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._call import Call

__all__ = [
    "CreateFlow",
    "Match",
    "adrive_create",
    "create_flow",
    "drive_create",
    "what_to_check",
]

#: A create as a flow: yields the calls to send, is sent their results, returns the result.
CreateFlow = Generator["Call", Result, Result]


#: Errors meaning "the request may have reached the server, its answer did not reach us":
#: a 5xx counts, since a gateway may answer it after the server made the object.
_LOST = (OutcomeUnknownError, MalformedResponseError, ServerError)


def what_to_check(operation: str) -> str | None:
    """The advice an unknown outcome of ``operation`` carries, if there is specific advice."""
    row = BY_NAME.get(operation)
    return row.check if row is not None else None


@dataclass(frozen=True)
class Match:
    """How to find, after a lost answer, the object a create made.

    ``list_call(page)`` builds the call listing page ``page`` (1 for unpaged lists);
    ``fields`` are the values the new object must have; ``paged`` says the list is a DRF
    page (``{"results": [...], "next": ...}``) rather than a plain JSON list.
    """

    list_call: Callable[[int], Call]
    fields: Mapping[str, Any]
    paged: bool = False
    exclude: Callable[[Mapping[str, Any]], bool] | None = None

    def matches(self, obj: Any) -> bool:
        if not isinstance(obj, Mapping) or (self.exclude is not None and self.exclude(obj)):
            return False
        return all(_same(obj.get(k), v) for k, v in self.fields.items())


def _same(have: Any, want: Any) -> bool:
    if isinstance(want, str) and isinstance(have, str):
        return have.strip().casefold() == want.strip().casefold()
    if isinstance(want, list | tuple) and isinstance(have, list | tuple):
        return sorted(map(str, have)) == sorted(map(str, want))
    return bool(have == want)


def _unknown(call: Call, lost: InfluencersClubError, extra: str = "") -> OutcomeUnknownError:
    if isinstance(lost, ServerError):
        what = f"the server answered {lost.status}"
    elif isinstance(lost, MalformedResponseError):
        what = "the answer came back unreadable"
    else:
        what = "the answer was lost"
    reason = what + (f" ({extra})" if extra else "")
    err = OutcomeUnknownError(
        call.operation, reason, paid=call.paid, check=what_to_check(call.operation)
    )
    err.__cause__ = lost
    return err.at(call.method, call.path)


def create_flow(call: Call, match: Match | None) -> CreateFlow:
    """Send a non-idempotent create; on a lost answer, reconcile (see the module docstring)."""
    for attempt in (1, 2):
        try:
            return (yield call)
        except _LOST as lost:
            if match is None:
                raise _unknown(call, lost) from lost
            found: list[Mapping[str, Any]] = []
            page = 1
            while True:
                try:
                    listed = yield match.list_call(page)
                except InfluencersClubError as err:
                    raise _unknown(call, lost, f"listing to check failed: {err}") from lost
                items = (listed.data or {}).get("results") if match.paged else listed.data
                found += [o for o in items or [] if match.matches(o)]
                nxt = next_drf_page(listed, page) if match.paged else None
                if nxt is None:
                    break
                page = nxt
            if len(found) == 1:
                return Result.from_body(
                    dict(found[0]),
                    call.operation,
                    params=call.params,
                    status_code=201,
                    attempts=attempt,
                )
            if found:
                ids = ", ".join(str(o.get("id")) for o in found)
                raise _unknown(
                    call, lost, f"{len(found)} objects match what was sent, ids {ids}"
                ) from lost
            if attempt == 2:
                raise _unknown(call, lost, "it was not created; sent twice") from lost
            # nothing matches: the create did not happen, so sending it again is safe
    raise AssertionError("unreachable")  # pragma: no cover


def drive_create(send: Callable[[Call], Result], flow: CreateFlow) -> Result:
    """Run a create flow with a sync client's ``request``."""
    try:
        call = next(flow)
        while True:
            try:
                result = send(call)
            except InfluencersClubError as err:
                call = flow.throw(err)
            else:
                call = flow.send(result)
    except StopIteration as stop:
        done: Result = stop.value
        return done


async def adrive_create(send: Callable[[Call], Awaitable[Result]], flow: CreateFlow) -> Result:
    """Run a create flow with an async client's ``request`` (the same steps, awaited)."""
    try:
        call = next(flow)
        while True:
            try:
                result = await send(call)
            except InfluencersClubError as err:
                call = flow.throw(err)
            else:
                call = flow.send(result)
    except StopIteration as stop:
        done: Result = stop.value
        return done
