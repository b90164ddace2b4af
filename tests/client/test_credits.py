"""Prices and worst-case estimates against the contract's figures (endpoints.json credits)."""

from __future__ import annotations

import pytest

from contract import operations_by_name
from toolkit._operations import BY_NAME
from toolkit.credits import PRICES, RECURRING, Ledger, Prices, estimate

OPS = operations_by_name()


@pytest.mark.parametrize("name", sorted(OPS))
def test_fixed_prices_match_the_contract(name: str) -> None:
    """Per-request prices equal endpoints.json's amount; free operations estimate 0."""
    credits = OPS[name]["credits"]
    amount, unit = credits.get("amount"), credits.get("unit", "")
    if name in ("discovery_search", "discovery_similar_creators"):
        assert estimate(name, limit=1) == pytest.approx(amount)
    elif name == "batch_create":
        assert amount is None and BY_NAME[name].paid
    elif name in RECURRING:  # a free request starting a cost per creator-day: priced, not 0
        assert not amount and not BY_NAME[name].paid
        with pytest.raises(ValueError, match="recurring cost"):
            estimate(name)
        assert estimate(name, creators=6, days=28) == pytest.approx(6 * 0.01 * 28)
    elif not amount:
        assert estimate(name) == 0.0 and not BY_NAME[name].paid, name
    else:
        assert "per" in unit
        assert estimate(name) == pytest.approx(amount), name


def test_worst_cases() -> None:
    assert estimate("discovery_search", paging={"limit": 50, "page": 3}) == pytest.approx(0.5)
    assert estimate("batch_create", enrichment_mode="full", rows=12) == pytest.approx(12.0)
    assert estimate("batch_create", enrichment_mode="advanced", rows=2) == pytest.approx(4.0)
    assert estimate("content_posts", prices=Prices(posts_page=0.15)) == pytest.approx(0.15)
    assert PRICES.email == 0.05


def test_ledger_sums_and_uncertain() -> None:
    from datetime import UTC, datetime

    ledger = Ledger()
    common = {
        "time": datetime.now(UTC),
        "method": "POST",
        "path": "/x/",
        "attempts": 1,
        "duration_s": 0.1,
    }
    ledger.record(operation="a", status=200, credits_cost=0.5, credits_left=9.5, **common)
    ledger.record(
        operation="b",
        status=None,
        credits_cost=None,
        credits_left=None,
        uncertain_cost=1.0,
        **common,
    )
    assert ledger.total_spent == 0.5 and ledger.uncertain == 1.0 and ledger.credits_left == 9.5
    assert len(ledger) == 2 and "total_spent=0.5" in repr(ledger)


def test_estimate_knows_exactly_the_contract_operations() -> None:
    from toolkit.credits import OPERATIONS

    assert set(OPERATIONS) == set(OPS)


def test_estimate_refuses_an_unknown_operation() -> None:
    with pytest.raises(ValueError, match="did you mean 'enrich_handle_full'"):
        estimate("enrich_handel_full")
    with pytest.raises(ValueError, match="unknown operation 'frobnicate'"):
        estimate("frobnicate")


def test_estimate_refuses_a_misspelt_parameter_instead_of_pricing_the_default() -> None:
    with pytest.raises(TypeError, match="'limt'; did you mean 'limit'"):
        estimate("discovery_search", limt=5)
    with pytest.raises(TypeError, match="did you mean 'rows'"):
        estimate("batch_create", enrichment_mode="full", row=10)
    # other request parameters are not estimate's business, and pass
    assert estimate("discovery_search", limit=5, filters={}, page=2) == pytest.approx(0.05)


def test_batch_estimate_takes_the_handles_as_batch_create_names_them_and_needs_rows() -> None:
    assert estimate("batch_create", enrichment_mode="raw", handles=["a", "b", "@A"]) == (
        pytest.approx(0.06)
    )
    assert estimate("batch_create", enrichment_mode="basic", emails=["a@x.com"]) > 0
    with pytest.raises(ValueError, match="rows= is needed"):
        estimate("batch_create", enrichment_mode="raw")
    with pytest.raises(ValueError, match="does not read files"):
        estimate("batch_create", enrichment_mode="raw", file="creators.csv")


def test_a_crawl_is_estimated_at_every_creator_it_may_reach() -> None:
    assert estimate("discovery_search", max_results=1000) == pytest.approx(10.0)
    # 75 in pages of at most 50: two pages of 38, up to 76 creators charged
    assert estimate("discovery_search", max_results=75) == pytest.approx(0.76)
    assert estimate("discovery_similar_creators", max_results=10**6) == pytest.approx(100.0)


@pytest.mark.parametrize("mode", [None, "ful", "FULL", ""])
def test_batch_estimate_needs_a_known_mode_because_the_price_depends_on_it(mode: object) -> None:
    params = {} if mode is None else {"enrichment_mode": mode}
    with pytest.raises(ValueError, match="give one of raw, full, basic, advanced"):
        estimate("batch_create", rows=10, **params)


def test_batch_estimate_counts_rows_after_deduplication() -> None:
    rows = ["Nike", "@nike", "https://www.instagram.com/nike/", " nike ", "adidas", ""]
    assert estimate("batch_create", enrichment_mode="full", rows=rows) == pytest.approx(2.0)
    emails = ["A@x.com", "a@x.com", "b@x.com"]
    assert estimate("batch_create", enrichment_mode="advanced", rows=emails) == pytest.approx(4.0)
    assert estimate("batch_create", enrichment_mode="raw", rows=3) == pytest.approx(0.09)


def test_the_batch_estimate_counts_what_the_batch_workflow_would_upload() -> None:
    """One definition of "a row": the estimate and the upload prepare inputs the same way."""
    from toolkit.jobs import prepare

    rows = ["Nike", "bad handle", None, "https://www.tiktok.com/@Dancer", "dancer", "x" * 300]
    uploaded = prepare(rows, "tiktok").values
    assert uploaded == ["nike", "dancer"]
    assert estimate(
        "batch_create", enrichment_mode="raw", rows=rows, platform="tiktok"
    ) == pytest.approx(len(uploaded) * 0.03)
    # an instagram URL is not a tiktok row; without a platform any known URL is read
    other = ["https://www.instagram.com/nike/", "nike"]
    assert estimate("batch_create", enrichment_mode="raw", rows=other, platform="tiktok") == (
        pytest.approx(0.03)
    )
    assert estimate("batch_create", enrichment_mode="raw", rows=other) == pytest.approx(0.03)
    emails = ["a@x.com", "not an email", "A@X.COM"]
    assert estimate("batch_create", enrichment_mode="advanced", rows=emails) == pytest.approx(2.0)


def test_every_paid_operation_has_a_positive_estimate() -> None:
    for name in OPS:
        if BY_NAME[name].paid:
            params = {"enrichment_mode": "raw", "rows": 1} if name == "batch_create" else {}
            assert estimate(name, **params) > 0, name
