"""The send loops over the sandbox: auth, error types, retries, Retry-After, lost answers,
budget, ledger, and that the credential never shows up anywhere it should not."""

from __future__ import annotations

import logging
from datetime import UTC

import pytest

import toolkit
from toolkit import (
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    Client,
    ConfigurationError,
    InsufficientCreditsError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from toolkit._config import SANDBOX_BASE_URL
from toolkit.credits import LEDGER_KEYS
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, handles, make_client, requires, top_creator


def _batch_rows(sb: Sandbox, n: int = 2) -> list[str]:
    return handles(sb, "instagram", n)


# ----------------------------------------------------------------- auth and credentials
def test_env_key_with_pasted_bearer_prefix_works(sb: Sandbox, monkeypatch) -> None:
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", f"  Bearer {sb.api_key}\n")
    with Client(base_url=SANDBOX_BASE_URL, transport=sb.transport()) as c:
        assert c.account.credits().data["credits_available"] == 1000.0


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_key_copied_with_its_env_file_quotes_works(sb: Sandbox, monkeypatch, quote: str) -> None:
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", f"{quote}{sb.api_key}{quote}")
    with Client(base_url=SANDBOX_BASE_URL, transport=sb.transport()) as c:
        assert c.account.credits().data["credits_available"] == 1000.0


def test_base_url_from_env(sb: Sandbox, monkeypatch, recorder: Recorder) -> None:
    monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", "https://other.example.invalid/")
    from .client_support import RecordingTransport

    with Client(api_key=sb.api_key, transport=RecordingTransport(sb.transport(), recorder)) as c:
        c.account.credits()
    assert c.base_url == "https://other.example.invalid"
    assert recorder.last.headers["host"] == "other.example.invalid"


def test_no_credential_is_a_configuration_error(monkeypatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="INFLUENCERS_CLUB_API_KEY"):
        Client()


def test_access_token_is_sent_as_bearer(sb: Sandbox, client: Client, recorder: Recorder) -> None:
    app = client.oauth.register("nb", ["http://127.0.0.1/cb"]).data
    pair = client.oauth.pkce()
    code = client.oauth.authorize(
        app["client_id"], "http://127.0.0.1/cb", code_challenge=pair.challenge
    ).data["code"]
    tokens = client.oauth.exchange_code(
        code,
        client_id=app["client_id"],
        code_verifier=pair.verifier,
        redirect_uri="http://127.0.0.1/cb",
    ).data
    with Client(
        access_token=tokens["access_token"], base_url=SANDBOX_BASE_URL, transport=sb.transport()
    ) as oc:
        assert oc.account.credits().status_code == 200
        assert "access_token=" in repr(oc)
        assert tokens["access_token"] not in repr(oc)


def test_wrong_key_is_an_authentication_error_without_the_key(
    sb: Sandbox, recorder, sleeps
) -> None:
    bad = "sk_wrong_" + "f" * 32
    with (
        make_client(sb, recorder, sleeps, api_key=bad) as c,
        pytest.raises(AuthenticationError) as info,
    ):
        c.account.credits()
    err = info.value
    assert err.status == 401 and err.operation == "account_credits"
    assert str(err).startswith("account_credits: 401")
    assert "INFLUENCERS_CLUB_API_KEY" in str(err)  # says where the rejected key came from
    assert bad not in str(err) and bad not in repr(err) and bad not in str(err.body)
    assert len(recorder.sent) == 1  # 401 is not retried


def test_credential_never_in_repr_ledger_params_or_logs(
    client: Client, sb: Sandbox, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    result = client.account.credits()
    with pytest.raises(NotFoundError):
        client.exclusion_lists.get(999_999)
    key = sb.api_key
    assert key not in repr(client) and key[-4:] in repr(client)  # masked: sk_…abcd
    assert key not in repr(result) and key not in str(result.params)
    assert key not in str(client.ledger.entries)
    assert key not in caplog.text


# ----------------------------------------------------------------- error types (§3.3)
def test_unknown_id_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError) as info:
        client.exclusion_lists.get(424242)
    assert info.value.detail == "Exclusion list not found."


def test_duplicate_name_400_exposes_field_errors(client: Client) -> None:
    client.exclusion_lists.create("dupe", "instagram")
    with pytest.raises(ValidationError) as info:
        client.exclusion_lists.create("dupe", "instagram")
    err = info.value
    assert isinstance(err, BadRequestError) and err.status == 400
    assert list(err.field_errors) == ["name"]


def test_limit_over_50_bypassing_validation_gets_the_sandbox_field_error(
    client: Client, sb: Sandbox
) -> None:
    requires(sb, "discovery_search")
    with pytest.raises(ValueError, match="1-50"):
        client.discovery.search("instagram", limit=99)  # the client refuses first
    call = client.make_call(
        "discovery_search", json={"platform": "instagram", "paging": {"limit": 99, "page": 0}}
    )
    with pytest.raises(ValidationError) as info:
        client.request(call)
    assert any(k.endswith("limit") for k in info.value.field_errors), info.value.field_errors


def test_tiny_balance_is_insufficient_credits(recorder, sleeps) -> None:
    poor = Sandbox(seed=7, creators=400, credits=0.001)
    requires(poor, "enrich_handle_full")
    with make_client(poor, recorder, sleeps) as c, pytest.raises(InsufficientCreditsError) as info:
        c.creators.enrich_handle(top_creator(poor, "instagram").username, "instagram")
    assert str(info.value).startswith("enrich_handle_full: 402")


# ----------------------------------------------------------------- retries
def test_503_twice_then_success_on_attempt_three(
    client: Client, sb: Sandbox, sleeps: Sleeps, recorder: Recorder
) -> None:
    sb.faults.add("status", status=503, times=2)
    result = client.account.credits()
    assert result.attempts == 3
    assert len(recorder.sent) == 3
    assert len(sleeps) == 2 and sleeps[0] < sleeps[1]  # exponential
    assert client.ledger.entries[-1]["attempts"] == 3
    # one idempotency key for all three attempts of the call
    assert len({s.headers.get("idempotency-key") for s in recorder.sent}) <= 1


def test_retry_after_is_honoured(client: Client, sb: Sandbox, sleeps: Sleeps) -> None:
    sb.faults.add("rate_limit", retry_after=2, times=1)
    assert client.exclusion_lists.list().attempts == 2
    assert sleeps == [2.0]


def test_rate_limit_error_after_retries_run_out(sb: Sandbox, recorder, sleeps) -> None:
    sb.faults.add("rate_limit", retry_after=1)
    with (
        make_client(sb, recorder, sleeps, max_retries=1) as c,
        pytest.raises(RateLimitError) as info,
    ):
        c.account.credits()
    assert info.value.retry_after == 1.0
    assert len(recorder.sent) == 2 and sleeps == [1.0]


def test_server_error_after_retries_is_recorded(client: Client, sb: Sandbox) -> None:
    sb.faults.add("status", status=502)
    with pytest.raises(ServerError) as info:
        client.account.credits()
    assert str(info.value) == "account_credits: 502 Bad Gateway"
    last = client.ledger.entries[-1]
    assert last["status"] == 502 and last["attempts"] == 3 and last["credits_cost"] == 0.0


def test_4xx_is_not_retried(client: Client, recorder: Recorder, sleeps: Sleeps) -> None:
    with pytest.raises(NotFoundError):
        client.batch.status("bch_" + "0" * 32)
    assert len(recorder.sent) == 1 and sleeps == []


def test_dropped_connection_on_free_call_is_retried(client: Client, sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations=["account_credits"])
    assert client.account.credits().attempts == 2


# ----------------------------------------------------------------- lost answers on paid calls
def test_slow_paid_call_is_outcome_unknown_and_not_retried(sb: Sandbox, recorder, sleeps) -> None:
    sb.faults.add("slow", seconds=2.0, operations=["batch_create"])
    with (
        make_client(sb, recorder, sleeps, timeout=0.05) as c,
        pytest.raises(OutcomeUnknownError) as info,
    ):
        c.batch.create(handles=_batch_rows(sb), enrichment_mode="raw", platform="instagram")
    assert "credits may have been charged" in str(info.value)
    assert info.value.credits_may_have_been_charged
    assert len(recorder.sent) == 1 and sleeps == []
    processed = [e for e in sb.log if e.operation == "batch_create"]
    assert len(processed) == 1 and processed[0].status == 200  # the sandbox did process it once
    entry = c.ledger.entries[-1]
    assert entry["status"] is None and entry["operation"] == "batch_create"
    assert c.ledger.uncertain > 0  # its worst case is counted against a budget


def test_slow_free_call_ends_at_its_deadline(sb: Sandbox, recorder, sleeps) -> None:
    """``timeout`` is the call's deadline, retries included: a free call that spent it
    waiting is not sent again (a fast failure within it still is: the tests above)."""
    sb.faults.add("slow", seconds=2.0, times=1, operations=["account_credits"])
    with (
        make_client(sb, recorder, sleeps, timeout=0.05) as c,
        pytest.raises(toolkit.APITimeoutError),
    ):
        c.account.credits()
    assert len(recorder.sent) == 1 and sleeps == []


def test_malformed_answer_to_paid_call_is_not_repaid(sb: Sandbox, recorder, sleeps) -> None:
    """A batch upload whose answer is unreadable is a create whose outcome is unknown, like
    every create the API does not deduplicate: reported with what to check, never re-sent."""
    sb.faults.add("malformed", operations=["batch_create"])
    with make_client(sb, recorder, sleeps) as c, pytest.raises(OutcomeUnknownError) as info:
        c.batch.create(handles=_batch_rows(sb), enrichment_mode="raw", platform="instagram")
    assert "the answer came back unreadable" in str(info.value)
    assert "credits may have been charged" in str(info.value)
    assert isinstance(info.value.__cause__, MalformedResponseError)
    assert len(recorder.sent) == 1


def test_malformed_answer_to_free_call_is_retried(client: Client, sb: Sandbox) -> None:
    sb.faults.add("truncated", times=1, operations=["account_credits"])
    assert client.account.credits().attempts == 2


# ----------------------------------------------------------------- budget and ledger
def test_budget_refuses_before_sending(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> None:
    with make_client(sb, recorder, sleeps, budget=0.5) as c:
        with pytest.raises(BudgetExceededError, match="batch_create: worst case 3"):
            c.batch.create(
                handles=[f"h{i}" for i in range(100)], enrichment_mode="raw", platform="instagram"
            )
        assert recorder.sent == []
        c.batch.create(handles=_batch_rows(sb, 10), enrichment_mode="raw", platform="instagram")
        assert len(recorder.sent) == 1  # 10 x 0.03 = 0.3 fits


def test_ledger_records_every_call_with_exact_keys(client: Client) -> None:
    client.account.credits()
    with pytest.raises(NotFoundError):
        client.exclusion_lists.get(1234)
    entries = client.ledger.entries
    assert [e["operation"] for e in entries] == ["account_credits", "exclusion_lists_get"]
    assert all(tuple(e) == LEDGER_KEYS for e in entries)
    assert entries[0]["time"].tzinfo is UTC
    assert (
        entries[1]["status"] == 404
        and entries[1]["path"] == "/public/v1/discovery/exclusion-lists/1234/"
    )
    assert client.ledger.total_spent == 0.0


def test_ledger_tracks_spend_from_responses(client: Client, sb: Sandbox) -> None:
    requires(sb, "enrich_handle_raw")
    handle = top_creator(sb, "instagram").username
    result = client.creators.enrich_raw(handle, "instagram")
    assert result.credits_cost == pytest.approx(0.03)
    assert result.credits_left is None  # enrichment sends no balance (§10)
    assert client.ledger.total_spent == pytest.approx(0.03)
    assert client.ledger.total_spent == pytest.approx(1000.0 - sb.credits)


def test_credits_left_sent_as_string_becomes_a_float(recorder, sleeps) -> None:
    from toolkit.sandbox import Settings

    sb = Sandbox(seed=7, creators=400, settings=Settings(credits_left_as_string=True))
    requires(sb, "discovery_search")
    with make_client(sb, recorder, sleeps) as c:
        result = c.discovery.search("instagram", limit=3)
    assert isinstance(result.data["credits_left"], str)
    assert result.credits_left == pytest.approx(float(result.data["credits_left"]))


# ----------------------------------------------------------------- the real network path
@pytest.mark.loopback
def test_loopback_server_round_trip_and_lost_answer(sb: Sandbox, sleeps: Sleeps) -> None:
    with (
        sb.serve() as url,
        Client(api_key=sb.api_key, base_url=url, sleep=sleeps, timeout=0.3) as c,
    ):
        assert c.account.credits().data["credits_used"] == 0.0
        sb.faults.add("slow", seconds=1.0, operations=["batch_create"])
        with pytest.raises(OutcomeUnknownError):
            c.batch.create(handles=_batch_rows(sb), enrichment_mode="raw", platform="instagram")
        assert sum(e.operation == "batch_create" for e in sb.log) == 1


def test_sync_client_has_no_asyncio_run() -> None:
    """The sync client must work inside a running Jupyter kernel's event loop."""
    import inspect

    import toolkit._client as mod

    assert "asyncio.run" not in inspect.getsource(mod)
    assert toolkit.Client is Client
