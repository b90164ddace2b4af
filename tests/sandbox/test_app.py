"""The sandbox app: auth, routing errors, billing, trial, rate limit, faults, log, determinism."""

from __future__ import annotations

import json

import httpx
import pytest
from sandbox_helpers import PAID, add_paid_route, client_for

from toolkit.sandbox import Sandbox, Settings

CREDITS = "/public/v1/accounts/credits/"


def balance(http: httpx.Client) -> float:
    return http.get(CREDITS).json()["credits_available"]


# ----------------------------------------------------------------------------- auth, routing
def test_missing_credentials_is_401_with_drf_wording(sb: Sandbox) -> None:
    with httpx.Client(transport=sb.transport(), base_url="https://x") as anon:
        r = anon.get(CREDITS)
    assert r.status_code == 401
    assert r.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("header", ["Bearer sk_sandbox_nope", "Bearer Bearer {key}", "Token {key}"])
def test_bad_credentials_are_401(sb: Sandbox, header: str) -> None:
    with httpx.Client(transport=sb.transport(), base_url="https://x") as anon:
        r = anon.get(CREDITS, headers={"Authorization": header.format(key=sb.api_key)})
    assert r.status_code == 401
    assert r.json()["detail"] in (
        "Invalid token.",
        "Authentication credentials were not provided.",
    )
    if header.startswith("Bearer Bearer"):  # a doubled prefix is not forgiven
        assert r.json() == {"detail": "Invalid token."}


def test_unknown_path_is_404_and_wrong_method_405(http: httpx.Client) -> None:
    r = http.get("/public/v1/nothing-here/")
    assert (r.status_code, r.json()) == (404, {"detail": "Not found."})
    r = http.delete(CREDITS)
    assert r.status_code == 405
    assert "not allowed" in r.json()["detail"]


def test_open_oauth_routes_need_no_credentials(sb: Sandbox) -> None:
    with httpx.Client(transport=sb.transport(), base_url="https://x") as anon:
        r = anon.post(
            "/public/v1/oauth/register/",
            json={"client_name": "a", "redirect_uris": ["https://a.example/cb"]},
        )
    assert r.status_code == 201


# ----------------------------------------------------------------------------- billing
def test_charges_only_when_data_returns(sb: Sandbox, http: httpx.Client) -> None:
    add_paid_route(sb, 0.5)
    before = balance(http)
    assert http.post(PAID, json={"empty": True}).json()["credits_cost"] == 0
    assert balance(http) == before
    body = http.post(PAID, json={}).json()
    assert body["credits_cost"] == 0.5
    assert body["credits_left"] == pytest.approx(before - 0.5)
    assert balance(http) == pytest.approx(before - 0.5)
    assert http.get(CREDITS).json()["credits_used"] == pytest.approx(0.5)


def test_short_balance_is_402_and_nothing_is_billed() -> None:
    sb = Sandbox(creators=50, credits=0.3)
    add_paid_route(sb, 0.5)
    with client_for(sb) as http:
        r = http.post(PAID, json={})
        assert r.status_code == 402
        assert r.json()["detail"].startswith("Insufficient credits.")
        assert balance(http) == pytest.approx(0.3)
    assert sb.log[-2].charged == 0


def test_credits_left_as_string_setting() -> None:
    sb = Sandbox(creators=50, credits=100, settings=Settings(credits_left_as_string=True))
    add_paid_route(sb, 0.8)
    with client_for(sb) as http:
        assert http.post(PAID, json={}).json()["credits_left"] == "99.20"


def test_trial_has_ten_credits_and_counts_paid_calls_down() -> None:
    sb = Sandbox(creators=50, credits=1000, trial=True, settings=Settings(trial_searches=3))
    add_paid_route(sb, 1.0)
    with client_for(sb) as http:
        assert balance(http) == 10.0
        lefts = [http.post(PAID, json={}).json()["trial_searches_left"] for _ in range(3)]
        assert lefts == [2, 1, 0]
        assert http.post(PAID, json={"empty": True}).status_code == 200  # free: still fine
        r = http.post(PAID, json={})
        assert r.status_code == 402
        assert balance(http) == pytest.approx(7.0)


def test_non_trial_responses_have_no_trial_field(sb: Sandbox, http: httpx.Client) -> None:
    add_paid_route(sb)
    assert "trial_searches_left" not in http.post(PAID, json={}).json()


# ----------------------------------------------------------------------------- rate limit
def test_rate_limit_429_with_retry_after_and_recovery() -> None:
    sb = Sandbox(creators=50, settings=Settings(rate_limit_per_minute=3))
    with client_for(sb) as http:
        assert [http.get(CREDITS).status_code for _ in range(3)] == [200, 200, 200]
        r = http.get(CREDITS)
        assert r.status_code == 429
        wait = int(r.headers["retry-after"])
        assert 1 <= wait <= 60
        assert r.json() == {
            "detail": f"Request was throttled. Expected available in {wait} seconds."
        }
        # another account has its own window
        other = sb.add_account()
        with client_for(sb, other.api_key) as http2:
            assert http2.get(CREDITS).status_code == 200
        sb.clock.advance(seconds=61)  # the window slides on (monotonic + advanced) time
        assert http.get(CREDITS).status_code == 200


def test_retry_after_header_can_be_dropped() -> None:
    settings = Settings(rate_limit_per_minute=1, retry_after_header=False)
    sb = Sandbox(creators=50, settings=settings)
    with client_for(sb) as http:
        http.get(CREDITS)
        r = http.get(CREDITS)
    assert r.status_code == 429
    assert "retry-after" not in r.headers


# ----------------------------------------------------------------------------- faults
def test_status_fault_fires_n_times_then_stops(sb: Sandbox, http: httpx.Client) -> None:
    fault = sb.faults.add("status", status=503, times=2)
    codes = [http.get(CREDITS).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert fault.fired == 2


def test_injected_rate_limit_has_retry_after(sb: Sandbox, http: httpx.Client) -> None:
    sb.faults.add("rate_limit", retry_after=3)
    r = http.get(CREDITS)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "3"
    sb.faults.clear()
    assert http.get(CREDITS).status_code == 200


def test_faults_can_target_operations(sb: Sandbox, http: httpx.Client) -> None:
    sb.faults.add("status", status=500, operations={"api_keys_list"})
    assert http.get(CREDITS).status_code == 200
    r = http.get("/public/v1/accounts/tokens/")
    assert r.status_code == 500
    assert r.json() == {"detail": "A server error occurred."}


def test_gateway_errors_are_html(sb: Sandbox, http: httpx.Client) -> None:
    sb.faults.add("status", status=502, times=1)
    r = http.get(CREDITS)
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")


def test_before_faults_do_not_bill_but_after_faults_do(sb: Sandbox, http: httpx.Client) -> None:
    add_paid_route(sb, 0.5)
    sb.faults.add("status", status=503, times=1)
    assert http.post(PAID, json={}).status_code == 503
    assert balance(http) == 1000.0
    sb.faults.clear()
    sb.faults.add("truncated", times=1, operations={"test_paid"})
    r = http.post(PAID, json={})
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert balance(http) == pytest.approx(999.5)  # processed and billed; the body was cut


def test_malformed_body_is_not_json(sb: Sandbox, http: httpx.Client) -> None:
    sb.faults.add("malformed", times=1)
    r = http.get(CREDITS)
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_fault_rates_repeat_for_the_same_seed() -> None:
    def pattern() -> list[int]:
        sb = Sandbox(seed=3, creators=50)
        sb.faults.add("status", rate=0.5, status=500)
        with client_for(sb) as http:
            return [http.get(CREDITS).status_code for _ in range(40)]

    first = pattern()
    assert first == pattern()
    assert 5 < first.count(500) < 35  # a rate, not always or never


def test_unknown_fault_kind_is_refused(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sb.faults.add("explode")


# ----------------------------------------------------------------------------- log, secrets
def test_request_log_records_calls_without_the_key(sb: Sandbox, http: httpx.Client) -> None:
    add_paid_route(sb, 0.5)
    http.post(PAID, json={})
    http.get(CREDITS, params={"token": sb.api_key})  # even a key in the query stays out
    entry = sb.log[-2]
    assert (entry.method, entry.path, entry.operation, entry.status) == (
        "POST",
        PAID,
        "test_paid",
        200,
    )
    assert entry.charged == 0.5
    dump = json.dumps(sb.log.to_dicts()) + repr(list(sb.log))
    assert sb.api_key not in dump
    assert sb.api_key not in repr(sb) + repr(sb.account) + repr(sb.account.api_keys)


# ----------------------------------------------------------------------------- determinism
def _session(sb: Sandbox) -> list[bytes]:
    out = []
    with client_for(sb) as http:
        out.append(http.get("/public/v1/accounts/tokens/").content)
        out.append(
            http.post(
                "/public/v1/discovery/exclusion-lists/", json={"name": "a", "platform": "tiktok"}
            ).content
        )
        handles = [c.username for c in sb.world.on("instagram")[:3]]
        cmp = http.post(
            "/public/v1/social/listening/campaign/",
            json={"name": "c", "platforms": ["instagram"], "handles": {"instagram": handles}},
        )
        out.append(cmp.content)
        sb.clock.advance(days=3)
        cid = cmp.json()["id"]
        out.append(http.get(f"/public/v1/social/listening/campaign/{cid}/overview/").content)
        out.append(http.get(f"/public/v1/social/listening/campaign/{cid}/content/").content)
        out.append(http.get("/public/v1/social/listening/events/").content)
    return out


def test_same_seed_gives_byte_identical_responses() -> None:
    first = _session(Sandbox(seed=11, creators=300))
    assert first == _session(Sandbox(seed=11, creators=300))
    assert first != _session(Sandbox(seed=12, creators=300))
