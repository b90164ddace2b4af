"""Notebook 5, campaign monitoring: campaigns, trends, leaderboard, top content, events."""

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
and the event stream.

On the sandbox, time is a clock you move (`client.sandbox.clock.advance(days=30)`), so a
month of campaign happens in one cell and gives the same numbers every run. Against the
real API the same cells read a campaign that ran in real time.
"""),
    code("""
import polars as pl

import toolkit as ic
from toolkit import charts

client = ic.connect()
"""),
    md("""
## 1. Sign four creators and start the campaign

A campaign owns one listening subscription per platform. Listening is billed per creator
per day while it runs, so check `client.listening.usage()` for the account's limits first.
"""),
    check("""
signed = client.discovery.search(
    "instagram",
    filters={"ai_search": "fitness", "number_of_followers": {"min": 20_000}},
    sort_by="engagement_rate",
    sort_order="desc",
    limit=4,
).to_polars()["username"].to_list()
usage = client.listening.usage().data
print(f"signed: {', '.join(signed)}")
print(f"listening limits: {usage['remaining']['creators']:,} more creators, {usage['remaining']['subscriptions']} more subscriptions")
"""),
    check("""
campaign = client.listening.campaigns.create(
    name="Spring fitness launch",
    platforms=["instagram"],
    start_date=client.sandbox.clock.now().date() if client.is_sandbox else None,
    handles={"instagram": signed},
)
campaign_id = campaign.data["id"]
print(campaign.data["name"], "-", campaign.data["status"])
"""),
    md("""
## 2. A month later

(On the sandbox: move its clock. On the real API: come back in a month.)
"""),
    code("""
if client.is_sandbox:
    client.sandbox.clock.advance(days=30)
overview = client.listening.campaigns.overview(campaign_id)
"""),
    check("""
overview.to_polars().totals.select("creators", "posts", "views", "engagement", "er_percent", "emv")
"""),
    md("""
Daily numbers, one panel per metric because their scales differ, with a 7-day average that
evens out the swings from one day to the next. Views count videos only (reels and stories):
Instagram reports no views for photo posts, so a day of photo posts shows posts and
engagement but 0 views. The range buttons zoom to the last week or month.
"""),
    code("""
charts.campaign_trends(overview)
"""),
    md("""
## 3. Who over- or under-delivered?

A creator with 2% campaign engagement is a disappointment if they usually get 6%, and a
success if they usually get 1%. Passing each creator's enrichment as the baseline puts
their usual engagement rate beside the campaign's (4 full enrichments, 4 credits).
"""),
    code("""
creators = client.listening.campaigns.creators(campaign_id)
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
"""),
    code("""
content = client.listening.campaigns.content(campaign_id)
charts.top_content(content, n=10)
"""),
    md("""
## 5. The event stream

Every detected post is an event (webhooks deliver the same events to your own endpoint).
Counting them per creator and type is a quick health check: a creator with no `new_post`
events has not posted for the campaign.
"""),
    check("""
events = client.listening.events.list(page_size=100).to_polars().events
events.group_by("creator_handle", "type").agg(pl.len().alias("events")).sort("creator_handle")
"""),
    md("""
## 6. Wrap up

Archiving stops the daily listening charge; the data stays readable.
"""),
    check("""
client.listening.campaigns.archive(campaign_id)
spent = client.ledger.to_polars()["credits_cost"].sum()
print(f"API calls in this notebook cost {spent:.2f} credits (listening accrues separately, per creator-day)")
"""),
]
