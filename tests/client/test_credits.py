"""Prices and worst-case estimates against the contract's figures (endpoints.json credits)."""

from __future__ import annotations

import pytest

from toolkit.credits import PRICES, Ledger, Prices, estimate, is_paid

from .client_support import load_operations

OPS = {op["name"]: op for op in load_operations()}


@pytest.mark.parametrize("name", sorted(OPS))
def test_fixed_prices_match_the_contract(name: str) -> None:
    """Per-request prices equal endpoints.json's amount; free operations estimate 0."""
    credits = OPS[name]["credits"]
    amount, unit = credits.get("amount"), credits.get("unit", "")
    if name in ("discovery_search", "discovery_similar_creators"):
        assert estimate(name, limit=1) == pytest.approx(amount)
    elif name == "batch_create":
        assert amount is None and is_paid(name)
    elif not amount:
        assert estimate(name) == 0.0 and not is_paid(name), name
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
