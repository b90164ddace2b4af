"""One error tree: every error the toolkit raises is an InfluencersClubError that says
which call failed, keeps the lower error as its cause, and still passes ``except ValueError``."""

from __future__ import annotations

import httpx
import pytest

import toolkit as ic
from toolkit.sandbox import Sandbox

from .support import client_on


def test_argument_errors_are_toolkit_errors_and_builtin_ones() -> None:
    assert issubclass(ic.FilterError, ic.ArgumentError)
    assert issubclass(ic.ArgumentError, ic.InfluencersClubError)
    assert issubclass(ic.ArgumentError, ValueError)
    assert issubclass(ic.ArgumentTypeError, TypeError)
    assert issubclass(ic.ArgumentTypeError, ic.ArgumentError)


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda c: c.discovery.search("instagram", limit=0), ValueError),
        (lambda c: c.discovery.search("instagram", filters={"nope": 1}), ValueError),
        (lambda c: c.discovery.search("instagram", sort_by="loudness"), ValueError),
        (lambda c: c.discovery.similar("instagram"), TypeError),
        (lambda c: c.creators.enrich_handle("a", "instagram", mode="deep"), ValueError),
        (lambda c: c.exclusion_lists.entries(), TypeError),
        (lambda c: c.batch.results("b1", format="xml"), ValueError),
    ],
)
def test_bad_arguments_raise_the_toolkit_error_and_send_nothing(
    sb: Sandbox, call: object, kind: type[Exception]
) -> None:
    with client_on(sb) as client, pytest.raises(ic.InfluencersClubError) as info:
        call(client)  # type: ignore[operator]
    assert isinstance(info.value, kind)
    assert isinstance(info.value, ic.ArgumentError)
    assert len(sb.log) == 0


def test_api_errors_carry_operation_method_path_and_status(sb: Sandbox) -> None:
    with client_on(sb) as client, pytest.raises(ic.NotFoundError) as info:
        client.exclusion_lists.get(999)
    err = info.value
    assert (err.operation, err.method, err.status) == ("exclusion_lists_get", "GET", 404)
    assert err.path == "/public/v1/discovery/exclusion-lists/999/"


def test_a_lost_connection_chains_the_transport_error(sb: Sandbox) -> None:
    sb.faults.add("drop", phase="before")
    with client_on(sb, max_retries=1) as client, pytest.raises(ic.APIConnectionError) as info:
        client.account.credits()
    err = info.value
    assert isinstance(err.__cause__, httpx.TransportError)
    assert (err.operation, err.method, err.path) == (
        "account_credits",
        "GET",
        "/public/v1/accounts/credits/",
    )
    assert err.status is None


def test_a_lost_paid_answer_chains_its_cause_and_says_what_to_check(sb: Sandbox) -> None:
    sb.faults.add("drop", operations={"enrich_handle_raw"})
    handle = max(sb.world.on("instagram"), key=lambda c: c.followers).username
    with client_on(sb) as client, pytest.raises(ic.OutcomeUnknownError) as info:
        client.creators.enrich_handle(handle, "instagram", mode="raw")
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert info.value.credits_may_have_been_charged
    assert "credits may have been charged" in str(info.value)
    assert "client.account.credits()" in str(info.value)
    assert [e.operation for e in sb.log] == ["enrich_handle_raw"]  # sent once, never again


def test_budget_errors_name_the_request_they_refused(sb: Sandbox) -> None:
    with client_on(sb, budget=0.01) as client, pytest.raises(ic.BudgetExceededError) as info:
        client.discovery.search("instagram", limit=50)
    assert (info.value.method, info.value.path) == ("POST", "/public/v1/discovery/")
    assert len(sb.log) == 0
