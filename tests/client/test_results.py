"""Result objects: numbers from strings, a repr without secrets, DataFrames via frames."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit import Client, Result
from toolkit._results import as_float, next_drf_page, next_posts_token
from toolkit.sandbox import Sandbox

from .client_support import requires


def test_credits_envelope_is_lifted_as_numbers() -> None:
    r = Result.from_body(
        {"credits_cost": "0.5", "credits_left": "99.2", "trial_searches_left": 42, "result": []},
        "connected_socials",
    )
    assert (r.credits_cost, r.credits_left, r.trial_searches_left) == (0.5, 99.2, 42)
    assert as_float("n/a") is None and as_float(True) is None and as_float(3) == 3.0


def test_repr_never_shows_the_body() -> None:
    r = Result.from_body({"access_token": "ica_secret", "token_type": "Bearer"}, "oauth_token")
    assert "ica_secret" not in repr(r)
    assert "oauth_token" in repr(r)


def test_cursor_and_drf_next() -> None:
    more = Result({"result": {"next_token": "abc", "more_available": True}}, "content_posts")
    done = Result({"result": {"next_token": None, "more_available": False}}, "content_posts")
    assert next_posts_token(more) == "abc" and next_posts_token(done) is None
    page = Result({"count": 3, "next": "http://x/?page=2", "results": [1]}, "x")
    last = Result({"count": 3, "next": None, "results": [1]}, "x")
    assert next_drf_page(page, 1) == 2 and next_drf_page(last, 2) is None


def test_to_polars_and_to_pandas_go_through_frames(client: Client, sb: Sandbox) -> None:
    requires(sb, "discovery_search")
    result = client.discovery.search("instagram", limit=4)
    df = result.to_polars()
    assert isinstance(df, pl.DataFrame) and df.height == len(result.data["accounts"])
    assert df["platform"].cast(pl.Utf8).to_list() == ["instagram"] * df.height  # from params
    assert len(result.to_pandas()) == df.height


def test_ledger_as_dataframes(client: Client) -> None:
    client.account.credits()
    client.exclusion_lists.list()
    df = client.ledger.to_polars()
    assert df.height == 2 and df["operation"].to_list() == [
        "account_credits",
        "exclusion_lists_list",
    ]
    assert len(client.ledger.to_pandas()) == 2


@pytest.mark.parametrize("mode", ["raw", "full"])
def test_enrichment_params_name_the_tier(client: Client, sb: Sandbox, mode: str) -> None:
    requires(sb, f"enrich_handle_{mode}")
    handle = sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[0].username
    r = client.creators.enrich_handle(handle, "instagram", mode=mode)
    assert r.params == {"handle": handle, "platform": "instagram", "mode": mode}


def test_balance_check_sets_the_ledger_balance(client: Client, sb: Sandbox) -> None:
    client.discovery.search("instagram", limit=3)
    spent = client.ledger.entries[-1]["credits_cost"]
    client.account.credits()
    last = client.ledger.entries[-1]
    assert last["operation"] == "account_credits"
    assert last["credits_left"] == pytest.approx(1000.0 - spent)
