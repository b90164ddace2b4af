"""Notebook 5, campaign monitoring: a guarded campaign, trends, leaderboard, every post, spend."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "05_campaign_monitoring.ipynb"

CELLS = [
    md("""
# Campaign monitoring: what did the creators actually deliver?

Once creators are signed, social listening watches what they post: every new post is
detected, measured (views, likes, comments, shares, earned media value) and rolled up per
campaign. This notebook sets up a campaign for four creators, lets a month pass, and reads
the daily trends, the leaderboard against each creator's usual engagement, the top posts
over every post, the event stream, and what the monitoring cost.

On the sandbox, time is a clock you move: it starts at its own date (the connect line
says which; `client.sandbox.clock.now()` reads it) and stands still until
`client.sandbox.clock.advance(days=30)`, so a month of campaign happens in one cell and
gives the same numbers every run. Against the real API (or a sandbox served with
`python -m toolkit.sandbox`) the same cells read a campaign that runs in real time.
"""),
    code("""
from datetime import UTC, datetime, timedelta

import polars as pl

import toolkit as ic
from toolkit import charts

client = ic.connect()
now = client.sandbox.clock.now() if client.sandbox is not None else datetime.now(UTC)
"""),
    md("""
## 1. Sign four creators and price the campaign

A campaign owns one listening subscription per platform. The requests are free, but
listening is billed **per creator and day** while it runs (each subscription reports its
`daily_cost`), so a campaign is a recurring cost: give it an end date and price it first.
`ic.estimate` says what it assumed.
"""),
    check("""
signed = client.discovery.search(
    "instagram",
    filters={"ai_search": "fitness", "number_of_followers": {"min": 20_000}},
    sort_by="engagement_rate",
    sort_order="desc",
    limit=4,
).to_polars()["username"].to_list()
start, end = now.date(), (now + timedelta(days=30)).date()
print(f"signed: {', '.join(signed)}")
ic.estimate("social_listening_campaigns_create", handles={"instagram": signed}, end_date=end, now=now)
"""),
    md("""
`ensure` returns the live campaign of that name if there is one, and creates it only when
there is none, so running this notebook again creates nothing new (a setting that differs
from the existing campaign is reported, never silently changed). Under a budget, a
campaign is refused unless it has an end date and its projected cost fits. The API documents
no price per creator and day: the toolkit reads it from the account's subscriptions (on the
sandbox, from the sandbox's rate); on an account with none yet, connect with
`ic.connect(listening_credits_per_creator_day=...)` to price it.
"""),
    check("""
with client.budget(2):
    campaign = client.listening.campaigns.ensure(
        "Spring fitness launch",
        platforms=["instagram"],
        start_date=start,
        end_date=end,
        handles={"instagram": signed},
    )
campaign_id = campaign.data["id"]
print(campaign.data["name"], "-", campaign.data["status"], "- ends", campaign.data["end_date"])
"""),
    md("""
## 2. A month later

(On the in-process sandbox: move its clock. Anywhere else: come back in a month.)
"""),
    code("""
if client.sandbox is not None:
    client.sandbox.clock.advance(days=30)
overview = client.listening.campaigns.overview(campaign_id)
"""),
    check("""
overview.to_polars().totals.select("creators", "posts", "views", "engagement", "er_percent", "emv")
"""),
    md("""
Daily numbers, one panel per metric because their scales differ. The lines are 7-day
means of complete days: the last day is today's numbers so far, so it is shaded and left
out of the means instead of dragging every line down. Views count videos only (reels and
stories): Instagram reports no views for photo posts, so a day of photo posts shows posts
and engagement but 0 views. The range buttons zoom to the last week or month.
"""),
    code("""
charts.campaign_trends(overview)
"""),
    md("""
## 3. Who over- or under-delivered?

A creator with 2% campaign engagement is a disappointment if they usually get 6%, and a
success if they usually get 1%. Passing each creator's enrichment as the baseline puts
their usual engagement rate beside the campaign's (4 full enrichments, 4 credits; a
re-run reads them from the cache).
"""),
    code("""
creators = client.listening.campaigns.iter_creators(campaign_id)   # every page of creators
baseline = [client.creators.enrich_handle(h, "instagram", mode="full") for h in signed]
charts.leaderboard(creators, baseline=baseline)
"""),
    check("""
creators.to_polars().creators.select("handle", "posts", "views", "engagement", "er_percent", "emv").sort(
    "engagement", descending=True
)
"""),
    md("""
## 4. The posts that carried the campaign

`campaigns.content(campaign_id)` is one page (the newest 20 posts); a top list of one page
would miss the rest, so `top_content` reads every page itself (free) and ranks all of them,
by engagement rate or by any metric (`by="engagement"`, `"views"`, `"emv"` ...).
`iter_content` gives the same complete table for your own analysis.
"""),
    code("""
charts.top_content(client, campaign_id, n=10, by="engagement")
"""),
    check("""
posts = client.listening.campaigns.iter_content(campaign_id).to_polars().content
print(f"{posts.height} posts; the most engaging:")
posts.sort(["engagement", "id"], descending=[True, False]).select(
    "creator_handle", "content_type", "engagement", "er_percent"
).head(3)
"""),
    md("""
## 5. The event stream

Every detected post is an event (webhooks deliver the same events to your own endpoint).
Counting them per creator and type is a quick health check: a creator with no `new_post`
events has not posted for the campaign.
"""),
    check("""
sub_id = campaign.data["subscription_ids"]["instagram"]
events = client.listening.events.iter(subscription_id=sub_id).to_polars().events
events.group_by("creator_handle", "type").agg(pl.len().alias("events")).sort("creator_handle", "type")
"""),
    md("""
## 6. What the monitoring cost

`client.listening.spend()` lists every campaign and subscription with its daily cost,
what it has accrued and what it will have cost by its end date. Reading them also writes
what they accrued since the toolkit last looked to `client.ledger`, as rows of kind
`accrual`, so the ledger and the spend chart add up to what the balance lost (each
accrual once, also across re-runs sharing the store).
"""),
    check("""
spend = client.listening.spend()
print(spend)
spend.to_polars().select("name", "status", "creators", "daily_cost", "days_running", "accrued", "ends", "projected")
"""),
    check("""
ledger = client.ledger.to_polars()
print(f"accrued listening in this ledger: {ledger.filter(kind='accrual')['credits_cost'].sum():.2f} credits")
print(f"all calls and accruals: {client.ledger.total_spent:.2f} credits")
"""),
    md("""
The campaign stops accruing on its end date by itself (`status` becomes `completed`).
To stop one earlier, `client.listening.campaigns.archive(campaign_id)`: detection and the
daily charge stop, the data stays readable.
"""),
]
