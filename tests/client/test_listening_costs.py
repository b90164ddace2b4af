"""Listening's recurring costs on the sandbox: guarded creates, accruals in the ledger and on
budgets, spend(), ensure() on re-runs, every post of a campaign, checked arguments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import toolkit as ic
from toolkit import Client, charts
from toolkit._connect import sandbox_client
from toolkit.resources.listening_costs import ListeningCostWarning, RecurringCostError
from toolkit.sandbox import Sandbox

from .client_support import handles


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=7, creators=400)


@pytest.fixture
def client(sb: Sandbox) -> Any:
    with sandbox_client(sb) as c:
        yield c


def six(sb: Sandbox) -> dict[str, list[str]]:
    return {"instagram": handles(sb, "instagram", 3), "tiktok": handles(sb, "tiktok", 3)}


def end_in(sb: Sandbox, days: int) -> dt.date:
    return (sb.clock.now() + dt.timedelta(days=days)).date()


def balance(client: Client) -> float:
    return float(client.account.credits().data["credits_available"])


def create(client: Client, sb: Sandbox, name: str = "Launch", **kw: Any) -> Any:
    kw.setdefault("end_date", end_in(sb, 28))
    return client.listening.campaigns.create(
        name=name, platforms=["instagram", "tiktok"], handles=six(sb), **kw
    )


def campaigns_in(sb: Sandbox) -> int:
    return (
        len(sb.account.state.get("listening").campaigns) if "listening" in sb.account.state else 0
    )


# ------------------------------------------------------------------------ guarded creates
def test_a_campaign_under_a_budget_is_refused_when_its_projection_does_not_fit(
    client: Client, sb: Sandbox
) -> None:
    """6 creators × 0.01 × 28.5 days (through the end date) = 1.71 credits."""
    with client.budget(1.5), pytest.raises(RecurringCostError) as refused:
        create(client, sb)
    assert isinstance(refused.value, ic.BudgetExceededError)
    assert "projected 1.71 credits" in str(refused.value) and "nothing was sent" in str(
        refused.value
    )
    assert campaigns_in(sb) == 0
    with client.budget(2.0) as b:
        made = create(client, sb)
        assert made.status_code == 201
        assert b.left == pytest.approx(2.0 - 1.71)  # the projection is held until it accrues
        with pytest.raises(RecurringCostError):  # a second one no longer fits
            create(client, sb, name="Second")
    assert campaigns_in(sb) == 1


def test_an_open_ended_create_warns_with_its_daily_cost_and_a_budget_refuses_it(
    client: Client, sb: Sandbox
) -> None:
    with pytest.warns(ListeningCostWarning, match=r"6 creators accrue 0\.06 credits a day"):
        create(client, sb, end_date=ic.NOT_GIVEN)
    with client.budget(100), pytest.raises(RecurringCostError, match="no end date"):
        client.listening.subscriptions.create(
            name="Watch", platform="instagram", handles=handles(sb, "instagram", 2)
        )
    assert len(sb.account.state["listening"].subscriptions) == 2  # the campaign's two only


def test_the_rate_comes_from_the_setting_or_the_accounts_subscriptions(sb: Sandbox) -> None:
    with (
        sandbox_client(sb, listening_credits_per_creator_day=0.05) as priced,
        priced.budget(5),
        pytest.raises(RecurringCostError, match=r"0\.05 credits per creator"),
    ):
        create(priced, sb)  # 6 × 0.05 × 28.5 = 8.55
    with sandbox_client(sb) as client:
        client.listening.subscriptions.create(
            name="Watch", platform="instagram", handles=handles(sb, "instagram", 2)
        )
        with client.budget(1), pytest.raises(RecurringCostError, match="account's subscriptions"):
            create(client, sb)
    seen = ic.estimate("social_listening_campaigns_create", creators=6, days=28, rate=0.02)
    assert float(seen) == pytest.approx(3.36) and "0.02 credits per creator-day" in repr(seen)
    assert "sandbox's rate" in repr(
        ic.estimate("social_listening_campaigns_create", creators=1, days=1)
    )
    assert (
        ic.estimate("social_listening_subscriptions_create", handles=["a", "@A", "b"]).daily == 0.02
    )


def test_a_start_date_past_the_sandboxs_date_warns(client: Client, sb: Sandbox) -> None:
    with pytest.warns(ListeningCostWarning, match="days after the sandbox's date"):
        create(client, sb, start_date=dt.date(2026, 12, 7), end_date=dt.date(2026, 12, 31))


# ------------------------------------------------------------------------ accruals
def test_after_28_days_spend_and_the_ledgers_accruals_equal_the_balance_drop(
    client: Client, sb: Sandbox
) -> None:
    before = balance(client)
    with client.budget(2.0) as b:
        made = create(client, sb).data
        sb.clock.advance(days=28)
        spend = client.listening.spend()
        assert b.spent == pytest.approx(spend.total)  # accruals are spent on open budgets
    drop = before - balance(client)
    assert drop == pytest.approx(1.68, abs=0.01)
    assert spend.total == pytest.approx(drop, abs=0.01)
    ledger = client.ledger.to_polars()
    accruals = ledger.filter(kind="accrual")
    assert accruals["credits_cost"].sum() == pytest.approx(drop, abs=0.01)
    assert client.ledger.total_spent == pytest.approx(drop, abs=0.01)  # every call here is free
    (row,) = spend.to_polars().to_dicts()
    assert row["id"] == made["id"] and row["kind"] == "campaign" and row["creators"] == 6
    assert row["daily_cost"] == pytest.approx(0.06) and row["days_running"] == pytest.approx(28)
    assert row["ends"] == str(end_in(sb, 0)) and row["projected"] == pytest.approx(1.71)
    assert row["accrued_basis"] == "reported"
    assert spend.to_pandas().shape == (1, spend.to_polars().width)
    # seen again, by this client or another sharing the store: nothing is counted twice
    client.listening.campaigns.list()
    with sandbox_client(sb) as other:
        other.listening.spend()
        assert other.ledger.total_accrued == 0
    assert client.ledger.total_accrued == pytest.approx(drop, abs=0.01)
    sb.clock.advance(days=5)  # past the end date: completed, 28.5 days ran and accrued
    (done,) = client.listening.spend().to_polars().to_dicts()
    assert done["status"] == "completed" and done["days_running"] == pytest.approx(28.5)
    assert done["accrued"] == pytest.approx(1.71) == done["projected"]
    assert done["days_left"] == 0 and done["ends"] == str(end_in(sb, -5))


def test_each_run_on_a_fresh_sandbox_ledgers_its_own_accruals() -> None:
    """connect() builds a new sandbox each run with the same ids and dates; the store keeps
    the last run's baseline, which must not hide this run's accruals."""
    for run in range(2):
        sb = Sandbox(seed=7, creators=400)
        with sandbox_client(sb) as client:
            before = balance(client)
            create(client, sb)
            sb.clock.advance(days=10 + run)  # 6 creators × 0.01 a day
            client.listening.spend()
            drop = before - balance(client)
            assert drop == pytest.approx(0.06 * (10 + run), abs=0.01)
            assert client.ledger.total_accrued == pytest.approx(drop, abs=0.01), run


def test_a_client_budget_stops_once_accruals_used_it(sb: Sandbox) -> None:
    with sandbox_client(sb) as free:
        free.listening.subscriptions.create(
            name="Watch", platform="instagram", handles=handles(sb, "instagram", 3)
        )
    with sandbox_client(sb, budget=0.5) as client:
        client.listening.spend()  # first sighting: a baseline, nothing spent
        sb.clock.advance(days=20)  # 3 creators × 0.01 × 20 days = 0.6
        spend = client.listening.spend()
        assert spend.total == pytest.approx(0.6)
        assert client.budget_left == pytest.approx(-0.1)
        with pytest.raises(ic.BudgetExceededError):
            client.creators.enrich_handle(handles(sb, "instagram", 1)[0], "instagram", mode="raw")


# ------------------------------------------------------------------------ ensure
def test_ensure_twice_leaves_one_campaign_and_says_what_differs(
    client: Client, sb: Sandbox
) -> None:
    first = client.listening.campaigns.ensure(
        "Launch", platforms=["instagram", "tiktok"], handles=six(sb), end_date=end_in(sb, 28)
    )
    again = client.listening.campaigns.ensure(
        "launch ", platforms=["instagram", "tiktok"], handles=six(sb), end_date=end_in(sb, 28)
    )
    assert again.data["id"] == first.data["id"] and campaigns_in(sb) == 1
    other = {"instagram": handles(sb, "instagram", 2), "tiktok": handles(sb, "tiktok", 3)}
    with pytest.warns(UserWarning, match=r"returned as it is.*end_date.*handles\['instagram'\]"):
        same = client.listening.campaigns.ensure(
            "Launch", platforms=["instagram", "tiktok"], handles=other, end_date=end_in(sb, 10)
        )
    assert same.data["id"] == first.data["id"] and same.data["end_date"] == str(end_in(sb, 28))
    client.listening.campaigns.archive(first.data["id"])
    fresh = client.listening.campaigns.ensure(
        "Launch", platforms=["instagram"], end_date=end_in(sb, 5)
    )
    assert fresh.data["id"] != first.data["id"]  # an archived campaign is not live


def test_ensure_names_the_status_of_a_campaign_that_is_not_running(
    client: Client, sb: Sandbox
) -> None:
    kw: dict[str, Any] = {"platforms": ["instagram"], "end_date": end_in(sb, 5)}
    kw["handles"] = {"instagram": handles(sb, "instagram", 2)}
    first = client.listening.campaigns.ensure("Paused", **kw)
    client.listening.campaigns.update(first.data["id"], status="paused")
    with pytest.warns(UserWarning, match=r"'Paused' .* is paused.*status='active'"):
        again = client.listening.campaigns.ensure("Paused", **kw)
    assert again.data["id"] == first.data["id"] and campaigns_in(sb) == 1
    sb.clock.advance(days=6)
    with pytest.warns(UserWarning, match=r"is completed: returned as it is, collecting nothing$"):
        client.listening.campaigns.ensure("Paused", **kw)
    subs = client.listening.subscriptions
    sub = subs.ensure("Quiet", platform="instagram", handles=handles(sb, "instagram", 1))
    subs.update(sub.data["id"], status="paused")
    with pytest.warns(UserWarning, match=r"subscription 'Quiet' .* is paused"):
        subs.ensure("Quiet", platform="instagram", handles=handles(sb, "instagram", 1))


def test_ensure_subscriptions_and_exclusion_lists(client: Client, sb: Sandbox) -> None:
    ig = handles(sb, "instagram", 2)
    subs = client.listening.subscriptions
    one = subs.ensure("Watch", platform="instagram", handles=ig)
    two = subs.ensure("Watch", platform="instagram", handles=ig)
    assert one.data["id"] == two.data["id"] and len(list(subs.iter())) == 1
    with pytest.warns(UserWarning, match="follower_threshold"):
        subs.ensure("Watch", platform="instagram", handles=ig, follower_threshold=5000)
    tiktok = subs.ensure("Watch", platform="tiktok", handles=handles(sb, "tiktok", 1))
    assert tiktok.data["id"] != one.data["id"]  # another platform is another subscription
    lists = client.exclusion_lists
    a = lists.ensure("Competitors", "instagram")
    b = lists.ensure("competitors", "instagram")
    assert a.data["id"] == b.data["id"]
    assert sum(x["name"] == "Competitors" for x in lists.list().data) == 1


@pytest.mark.anyio
async def test_async_ensure_and_spend(sb: Sandbox) -> None:
    async with sandbox_client(sb, asynchronous=True) as client:
        kw: dict[str, Any] = {"platforms": ["instagram"], "end_date": end_in(sb, 7)}
        kw["handles"] = {"instagram": handles(sb, "instagram", 2)}
        a = await client.listening.campaigns.ensure("Async", **kw)
        b = await client.listening.campaigns.ensure("Async", **kw)
        assert a.data["id"] == b.data["id"] and campaigns_in(sb) == 1
        sb.clock.advance(days=7)
        spend = await client.listening.spend()
        assert spend.total == pytest.approx(0.14)
        assert client.ledger.total_accrued == pytest.approx(0.14)
        posts = [p async for p in client.listening.campaigns.iter_content(a.data["id"])]
        overview = await client.listening.campaigns.overview(a.data["id"])
        assert len(posts) == overview.data["totals"]["posts"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# ------------------------------------------------------------------------ every post
def test_iter_content_walks_every_page_and_top_content_ranks_them_all(
    client: Client, sb: Sandbox
) -> None:
    cid = create(client, sb, start_date=sb.clock.now().date()).data["id"]
    sb.clock.advance(days=28)
    total = client.listening.campaigns.overview(cid).data["totals"]["posts"]
    assert total > 20  # more than one default page
    posts = list(client.listening.campaigns.iter_content(cid, page_size=25))
    assert len(posts) == total and len({p["id"] for p in posts}) == total
    every = client.listening.campaigns.iter_content(cid).to_polars().content
    assert every.height == total
    fig = charts.top_content(client, cid, n=5, by="engagement")
    shown = [b for t in fig.data for b in zip(t.y, t.x, strict=True)]
    shown.sort(key=lambda yx: int(yx[0].split(".")[0]))
    best = sorted(posts, key=lambda p: (-p["metrics"]["engagement"], p["id"]))[:5]
    assert [x for _, x in shown] == [p["metrics"]["engagement"] for p in best]
    assert f"of all {total} posts" in fig.layout.title.subtitle.text
    page = client.listening.campaigns.content(cid)
    for one_page in (page, page.to_polars(), page.to_pandas()):  # the page, or its tables
        with pytest.raises(
            ValueError, match=f"one page of the campaign's content \\(20 of {total}"
        ):
            charts.top_content(one_page)
    given = charts.top_content(every, n=5, title="Best posts", subtitle=None)
    assert given.layout.title.text == "Best posts"
    assert f"of the {total} posts given" in given.layout.title.subtitle.text  # not "of all"
    assert fig.layout.title.text == "Top 5 campaign posts by engagement"
    few = charts.top_content(every.head(3), n=10, subtitle="")
    assert few.layout.title.text == "Campaign posts ranked by engagement rate"  # not "Top 10"
    assert not few.layout.title.subtitle.text
    creators = client.listening.campaigns.iter_creators(cid, page_size=2)
    assert len(list(creators)) == 6 and creators.count == 6


def test_events_convert_like_every_other_answer(client: Client, sb: Sandbox) -> None:
    create(client, sb, start_date=sb.clock.now().date())
    sb.clock.advance(days=3)
    events = client.listening.events.iter(page_size=7)
    table = events.to_polars().events
    assert table.height == events.count == client.listening.events.list().data["count"]
    assert set(table["type"].cast(str)) <= {"new_post", "bio_change", "follower_threshold"}


def test_enumerated_arguments_are_checked_before_sending(client: Client, sb: Sandbox) -> None:
    cid = create(client, sb).data["id"]
    sent = len(sb.log)
    with pytest.raises(ic.ArgumentError, match=r"did you mean '-engagement'"):
        client.listening.campaigns.creators(cid, ordering="-engagment")
    with pytest.raises(ic.ArgumentError, match="published_at, detected_at"):
        client.listening.campaigns.content(cid, ordering="date")
    with pytest.raises(ic.ArgumentError, match="new_post, bio_change, follower_threshold"):
        client.listening.events.list(type="new_posts")
    with pytest.raises(ic.ArgumentError, match="event_types"):
        client.listening.subscriptions.create(
            name="x", platform="instagram", handles=["a"], event_types=["post"]
        )
    with pytest.raises(ic.ArgumentError, match="handles, discovery_list, campaign"):
        client.listening.subscriptions.list(type="handle_list")
    assert len(sb.log) == sent
    assert client.listening.campaigns.content(cid, ordering="-engagement").status_code == 200


def test_adding_creators_under_a_budget_is_priced_to_the_end_date(
    client: Client, sb: Sandbox
) -> None:
    """3 more creators for 28.5 days: 0.855 credits; a subscription's add is open-ended."""
    made = create(client, sb).data
    more = handles(sb, "instagram", 6)[3:]
    campaigns = client.listening.campaigns
    with client.budget(0.8), pytest.raises(RecurringCostError, match=r"projected 0\.855"):
        campaigns.add_creators(made["id"], platform="instagram", handles=more)
    assert campaigns.get(made["id"]).data["creators_count"] == 6
    with client.budget(1) as b:
        added = campaigns.add_creators(made["id"], platform="instagram", handles=more)
        assert added.data["added"] == 3 and b.left == pytest.approx(1 - 0.855)
        sub = made["subscription_ids"]["instagram"]
        with pytest.raises(RecurringCostError, match="no end date"):
            client.listening.subscriptions.add_creators(sub, handles=handles(sb, "instagram", 7))
    assert campaigns.get(made["id"]).data["creators_count"] == 9
