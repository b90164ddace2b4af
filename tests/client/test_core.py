"""The I/O-free core: error-body parsing, Retry-After, backoff, status mapping, call building."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from toolkit import (
    APIError,
    AuthenticationError,
    BadRequestError,
    InsufficientCreditsError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from toolkit._call import compact
from toolkit._config import NOT_GIVEN
from toolkit._core import BaseClient
from toolkit._status import error_for_status, parse_error_body, parse_retry_after


# ----------------------------------------------------------------- DRF bodies (§3.3)
@pytest.mark.parametrize(
    ("body", "detail", "fields"),
    [
        ({"detail": "Invalid token."}, "Invalid token.", {}),
        ({"error": "Exclusion list not found."}, "Exclusion list not found.", {}),
        (
            {"error": ["The default exclusion list cannot be renamed."]},
            "The default exclusion list cannot be renamed.",
            {},
        ),
        (
            {"error": {"name": ["A list with this name already exists for this platform."]}},
            "",
            {"name": ["A list with this name already exists for this platform."]},
        ),
        (
            {"error": {"filters": {"engagement_percent": ["A valid number is required."]}}},
            "",
            {"filters.engagement_percent": ["A valid number is required."]},
        ),
        ({"message": "Something broke"}, "Something broke", {}),
        ({"error": "invalid_grant"}, "invalid_grant", {}),
        ({"response_meta": {"error_message": "No data found"}}, "No data found", {}),
        ({"handle": ["This field is required."]}, "", {"handle": ["This field is required."]}),
        (
            {"detail": [{"loc": ["body", "paging", "limit"], "msg": "too big", "type": "x"}]},
            "",
            {"paging.limit": ["too big"]},
        ),
        (
            {"error": {"non_field_errors": ["Give handles or a list."]}},
            "Give handles or a list.",
            {},
        ),
    ],
)
def test_parse_error_body_reads_every_observed_shape(body, detail, fields) -> None:
    assert parse_error_body(body) == (detail, fields)


def _response(status: int, *, json=None, text=None, headers=None) -> httpx.Response:
    request = httpx.Request("POST", "https://x.invalid/public/v1/discovery/")
    if json is not None:
        return httpx.Response(status, json=json, headers=headers, request=request)
    return httpx.Response(status, text=text or "", headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, AuthenticationError),
        (402, InsufficientCreditsError),
        (404, NotFoundError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (504, ServerError),
        (405, APIError),
    ],
)
def test_status_maps_to_its_exception(status: int, cls: type[APIError]) -> None:
    err = error_for_status("discovery_search", _response(status, json={"detail": "nope"}))
    assert type(err) is cls
    assert err.status == status
    assert str(err).startswith(f"discovery_search: {status} nope")


def test_400_with_field_errors_is_both_bad_request_and_validation() -> None:
    body = {"error": {"paging": {"limit": ["Ensure this value is less than or equal to 50."]}}}
    err = error_for_status("discovery_search", _response(400, json=body))
    assert isinstance(err, BadRequestError) and isinstance(err, ValidationError)
    assert err.field_errors == {"paging.limit": ["Ensure this value is less than or equal to 50."]}
    assert "paging.limit" in str(err)


def test_gateway_html_becomes_the_reason_phrase() -> None:
    html = "<html><head><title>502 Bad Gateway</title></head></html>"
    err = error_for_status(
        "enrich_handle_full", _response(502, text=html, headers={"content-type": "text/html"})
    )
    assert isinstance(err, ServerError)
    assert str(err) == "enrich_handle_full: 502 Bad Gateway"


def test_request_id_and_retry_after_are_kept() -> None:
    resp = _response(
        429, json={"detail": "throttled"}, headers={"retry-after": "7", "x-request-id": "req_1"}
    )
    err = error_for_status("discovery_search", resp)
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 7.0
    assert err.request_id == "req_1"


# ----------------------------------------------------------------- Retry-After, backoff
def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("12", now=now) == 12.0
    assert parse_retry_after("Fri, 01 May 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Fri, 01 May 2026 11:00:00 GMT", now=now) == 0.0  # in the past
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def _base(**settings) -> BaseClient:
    return BaseClient(api_key="sk_fake_0123456789abcdef", transport_given=True, **settings)


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    core = _base(backoff_base=0.5, backoff_max=4.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
        delays = [core._backoff(attempt) for _ in range(200)]
        assert all(0.75 * ceiling <= d <= ceiling for d in delays), attempt
        assert len(set(delays)) > 1  # jittered, so retries from many clients spread out


def test_retry_after_past_the_cap_ends_the_call_instead_of_retrying_early() -> None:
    core = _base(max_retry_after=5.0)
    call = core.make_call("account_credits")
    assert core._retry_delay(call, 1, RateLimitError("account_credits", 429, retry_after=4)) == 4
    err = RateLimitError("account_credits", 429, retry_after=3600)
    assert core._retry_delay(call, 1, err) is None
    assert "try again after" in str(err) and err.retry_at is not None


def test_only_transient_errors_are_retried() -> None:
    core = _base(max_retries=2)
    call = core.make_call("account_credits")
    assert core._retry_delay(call, 1, ServerError("account_credits", 503)) is not None
    assert core._retry_delay(call, 3, ServerError("account_credits", 503)) is None  # out of tries
    for err in (
        BadRequestError("account_credits", 400),
        AuthenticationError("account_credits", 401),
        NotFoundError("account_credits", 404),
        InsufficientCreditsError("account_credits", 402),
    ):
        assert core._retry_delay(call, 1, err) is None, type(err)


# ----------------------------------------------------------------- building calls
def test_not_given_is_dropped_but_none_is_sent() -> None:
    assert compact({"a": 1, "b": NOT_GIVEN, "c": None}) == {"a": 1, "c": None}
    core = _base()
    call = core.make_call(
        "api_keys_update", path_params={"token_id": 5}, json={"name": NOT_GIVEN, "expires_at": None}
    )
    assert call.json == {"expires_at": None}
    assert call.path == "/public/v1/accounts/tokens/5/"


def test_path_parameters_are_escaped() -> None:
    core = _base()
    call = core.make_call("batch_status", path_params={"batch_id": "../accounts"})
    assert call.path == "/public/v1/enrichment/batch/..%2Faccounts/status/"


def test_params_mask_secrets() -> None:
    core = _base()
    call = core.make_call(
        "oauth_token",
        form={"grant_type": "refresh_token", "client_id": "c1", "refresh_token": "icr_secret"},
    )
    assert call.params == {"grant_type": "refresh_token", "client_id": "c1", "refresh_token": "***"}


def test_paid_and_estimate_come_from_the_price_table() -> None:
    core = _base()
    search = core.make_call("discovery_search", estimate_params={"limit": 40})
    assert search.paid and search.estimate == pytest.approx(0.4)
    free = core.make_call("account_credits")
    assert not free.paid and free.estimate == 0.0
