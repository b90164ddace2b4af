"""Free creates the API does not deduplicate are never sent twice blindly: after a lost
answer the client lists, matches and returns what was made, or says what to check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import toolkit as ic
from toolkit.sandbox import Sandbox

from .support import async_client_on, client_on


def _handles(sb: Sandbox, n: int = 2) -> list[str]:
    return [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:n]]


def _keys(sb: Sandbox, name: str) -> list[Any]:
    return [k for k in sb.account.api_keys if k.name == name]


def _lists(sb: Sandbox, name: str) -> list[Any]:
    return [x for x in sb.account.exclusion_lists.values() if x.name == name]


def _subs(sb: Sandbox, name: str) -> list[Any]:
    state = sb.account.state.get("listening")
    subs = getattr(state, "subscriptions", {}) if state is not None else {}
    return [s for s in subs.values() if s.name == name and s.campaign_id is None]


def _campaigns(sb: Sandbox, name: str) -> list[Any]:
    state = sb.account.state.get("listening")
    cmps = getattr(state, "campaigns", {}) if state is not None else {}
    return [c for c in cmps.values() if c.name == name]


CREATES: dict[str, tuple[Callable[[Any, Sandbox], Any], Callable[[Sandbox], list[Any]]]] = {
    "api_keys_create": (
        lambda c, sb: c.account.api_keys.create("ci key"),
        lambda sb: _keys(sb, "ci key"),
    ),
    "exclusion_lists_create": (
        lambda c, sb: c.exclusion_lists.create("Competitors", "instagram"),
        lambda sb: _lists(sb, "Competitors"),
    ),
    "social_listening_subscriptions_create": (
        lambda c, sb: c.listening.subscriptions.create(
            name="Watch", platform="instagram", handles=_handles(sb)
        ),
        lambda sb: _subs(sb, "Watch"),
    ),
    "social_listening_campaigns_create": (
        lambda c, sb: c.listening.campaigns.create(
            name="Spring", platforms=["instagram"], handles={"instagram": _handles(sb)}
        ),
        lambda sb: _campaigns(sb, "Spring"),
    ),
}


@pytest.mark.parametrize("fault", ["drop", "malformed", "truncated"])
@pytest.mark.parametrize("operation", sorted(CREATES))
def test_a_lost_answer_leaves_exactly_one_object_and_returns_it(
    sb: Sandbox, operation: str, fault: str
) -> None:
    create, existing = CREATES[operation]
    sb.faults.add(fault, times=1, operations={operation})
    with client_on(sb) as client:
        result = create(client, sb)
    objects = existing(sb)
    assert len(objects) == 1
    assert str(result.data["id"]) == str(objects[0].id)
    assert [e.operation for e in sb.log].count(operation) == 1  # sent once, never re-sent


def test_the_reconciled_api_key_is_usable(sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations={"api_keys_create"})
    with client_on(sb) as client:
        token = client.account.api_keys.create("ci key").data["token"]
    with client_on(sb, api_key=token) as other:
        assert other.account.credits().status_code == 200


def test_a_create_lost_on_the_way_in_is_sent_again_once(sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, phase="before", operations={"exclusion_lists_create"})
    with client_on(sb) as client:
        result = client.exclusion_lists.create("Competitors", "instagram")
    assert len(_lists(sb, "Competitors")) == 1
    assert result.data["name"] == "Competitors"
    assert [e.operation for e in sb.log].count("exclusion_lists_create") == 2


def test_two_matching_objects_are_not_guessed_between(sb: Sandbox) -> None:
    with client_on(sb) as client:
        client.account.api_keys.create("ci key")
        sb.faults.add("drop", times=1, operations={"api_keys_create"})
        with pytest.raises(ic.OutcomeUnknownError) as info:
            client.account.api_keys.create("ci key")
    assert len(_keys(sb, "ci key")) == 2  # the one made before and the lost one; no third
    assert "api_keys.list()" in str(info.value)
    assert not info.value.credits_may_have_been_charged


def test_an_unlistable_create_reports_an_unknown_outcome(sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations={"oauth_register"})
    with client_on(sb) as client, pytest.raises(ic.OutcomeUnknownError) as info:
        client.oauth.register("My app", ["http://127.0.0.1:8000/cb"])
    assert "registered" in str(info.value)
    assert [e.operation for e in sb.log].count("oauth_register") == 1


def test_a_lost_batch_upload_is_never_uploaded_again(sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations={"batch_create"})
    with client_on(sb) as client, pytest.raises(ic.OutcomeUnknownError) as info:
        client.batch.create(handles=_handles(sb, 3), enrichment_mode="raw", platform="instagram")
    assert "do NOT upload the same rows again" in str(info.value)
    assert info.value.credits_may_have_been_charged
    assert [e.operation for e in sb.log].count("batch_create") == 1


@pytest.mark.anyio
async def test_the_async_client_reconciles_too(sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations={"exclusion_lists_create"})
    async with async_client_on(sb) as client:
        result = await client.exclusion_lists.create("Competitors", "instagram")
    assert len(_lists(sb, "Competitors")) == 1
    assert result.data["platform"] == "instagram"


@pytest.mark.parametrize("phase", ["before", "after"])
@pytest.mark.parametrize("operation", sorted(CREATES))
def test_a_5xx_on_a_create_is_looked_for_before_it_is_sent_again(
    sb: Sandbox, operation: str, phase: str
) -> None:
    """A gateway's 502 may come before the server made the object or after: either way one
    object exists at the end, and a create the server made is never sent again."""
    create, existing = CREATES[operation]
    sb.faults.add("status", status=502, times=1, phase=phase, operations={operation})
    with client_on(sb) as client:
        result = create(client, sb)
    objects = existing(sb)
    assert len(objects) == 1
    assert str(result.data["id"]) == str(objects[0].id)
    sent = [e.operation for e in sb.log].count(operation)
    assert sent == (2 if phase == "before" else 1)


def test_a_batch_upload_answered_5xx_is_never_uploaded_again(sb: Sandbox) -> None:
    sb.faults.add("status", status=502, times=1, phase="after", operations={"batch_create"})
    with client_on(sb) as client, pytest.raises(ic.OutcomeUnknownError) as info:
        client.batch.create(handles=_handles(sb, 3), enrichment_mode="raw", platform="instagram")
    assert "answered 502" in str(info.value)
    assert "do NOT upload the same rows again" in str(info.value)
    assert [e.operation for e in sb.log].count("batch_create") == 1
