"""Notebook 8, the warehouse: load a shortlist and a campaign with dlt, read them with DuckDB."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "08_warehouse.ipynb"

CELLS = [
    md("""
# The warehouse: the same data every night, next to the rest

A notebook answers today's question; the team then wants the answers every night in its
warehouse. `toolkit.pipelines` is a [dlt](https://dlthub.com) source over the client, so
every request still goes through the cache, the budget, the rate limiter and the journal:
a second run the same day pays nothing, profiles are bought again only once they are older
than `refresh_after` (30 days), and a campaign's posts and events load incrementally.

This notebook loads a shortlist and a campaign into a DuckDB file, then reads it back with
SQL and draws the campaign from the warehouse. The same source loads PostgreSQL, BigQuery,
Snowflake or Parquet files ([docs/pipelines.md](../docs/pipelines.md)), and the same run is
one shell command: `influencers-club pipeline run --destination duckdb --handles shortlist.csv`.
"""),
    code("""
import tempfile
from datetime import date, timedelta
from pathlib import Path

import dlt
import duckdb
import polars as pl

import toolkit as ic
from toolkit import charts, pipelines

client = ic.connect()
work = Path(tempfile.mkdtemp(prefix="warehouse-"))   # your project folder in real use
warehouse = dlt.destinations.duckdb(str(work / "warehouse.duckdb"))
pl.Config.set_fmt_str_lengths(48)   # whole operation names in the tables below
"""),
    md("""
## 1. What to load

A shortlist from a search, and a campaign that follows it. A saved search from the
discovery form (`form.save("search.json")`) works in place of the dict.
"""),
    check("""
search = {"platform": "instagram", "filters": {"ai_search": "fitness"}, "limit": 10}
shortlist = client.discovery.search(**search).to_polars()["username"][:4].to_list()

start = client.sandbox.clock.now().date() if client.is_sandbox else date.today()
campaign_id = client.listening.campaigns.ensure(   # a re-run finds it: never a second one
    "Warehouse demo",
    platforms=["instagram"],
    start_date=start,
    end_date=start + timedelta(days=28),
    handles={"instagram": shortlist},
).data["id"]
if client.is_sandbox:
    client.sandbox.clock.advance(days=14)   # on the real API: a fortnight passes
print(f"shortlist: {', '.join(shortlist)}")
"""),
    md("""
## 2. Load it

`pipelines.run` loads the data resources, then the `ledger` of the calls they made, and
says what it cost. `budget=` caps the run: a run that reaches it stops cleanly, keeps what
it paid for, and the next run buys the rest.
"""),
    check("""
first = pipelines.run(
    client,
    destination=warehouse,
    dataset="marketing",
    pipelines_dir=work / "dlt",
    searches=[search],
    handles=shortlist,
    campaigns=[campaign_id],
    budget=10,
)
print(f"{first.credits_spent:.2f} credits, {sum(first.rows.values()):,} rows in {len(first.rows)} tables")
"""),
    md("""
A second run the same day is answered by the cache and the refresh window: no credits,
and the tables keep their row counts (rows are merged on their keys). Only the `ledger`
grows, by this run's free calls.
"""),
    check("""
second = pipelines.run(
    client, destination=warehouse, dataset="marketing", pipelines_dir=work / "dlt",
    searches=[search], handles=shortlist, campaigns=[campaign_id],
)
print(f"second run: {second.credits_spent:.2f} credits, {second.skipped_fresh} profiles still fresh")
"""),
    md("""
## 3. Read it with SQL

Every table of `toolkit.frames` is a table here, with the same columns: `creators` from the
searches, `creator`, `posts`, `audience_*` from the profiles, `campaign_content` and
`events` from the campaign, and `ledger`.
"""),
    check("""
db = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
db.sql('''
    SELECT c.username, c.followers, round(c.engagement_percent, 2) AS er,
           count(p.post_id) AS posts_loaded
    FROM marketing.creator c LEFT JOIN marketing.posts p USING (platform, username)
    GROUP BY ALL ORDER BY followers DESC
''').pl()
"""),
    md("""
## 4. The campaign, drawn from the warehouse

The charts take tables, so a query is enough: the daily totals of the posts loaded, and the
posts that carried the campaign, ranked over every post in the warehouse (not one page).
"""),
    code("""
daily = db.sql('''
    SELECT published_at::DATE AS date, count(*) AS posts, sum(views) AS views,
           sum(engagement) AS engagement, sum(emv) AS emv
    FROM marketing.campaign_content GROUP BY 1 ORDER BY 1
''').pl()
charts.campaign_trends(daily)
"""),
    code("""
charts.top_content(db.sql("SELECT * FROM marketing.campaign_content").pl(), n=5)
"""),
    check("""
db.sql('''
    SELECT operation, count(*) AS calls, sum(credits_cost) AS credits
    FROM marketing.ledger GROUP BY 1 ORDER BY credits DESC NULLS LAST, 1
''').pl()
"""),
    code("""
db.close()
"""),
]
