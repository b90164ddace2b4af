"""Notebook 2, discovery: the filter form and the same search in code, paging, similar creators,
saved searches, export."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "02_discovery.ipynb"

CELLS = [
    md("""
# Discovery: from a brief to a shortlist

The brief: *Instagram creators who post about fitness, 20k to 500k followers, at least 1%
engagement, active in the last month.* This notebook finds them twice:
with the filter form (no filter names to remember: every field comes from the API's own
filter list and dictionaries), and with the same search in code, which is what a notebook
re-runs next week without clicking.

Discovery costs 0.01 credits per creator returned; the form shows the worst case before
you press Search.
"""),
    code("""
import tempfile
from pathlib import Path

import polars as pl

import toolkit as ic
from toolkit import charts
from widgets import DiscoveryForm

client = ic.connect()
"""),
    md("""
## 1. The form

Pick a platform and the fields follow it (YouTube has subscribers, not followers). The
location and brand fields suggest real dictionary values as you type; nothing is sent
until **Search**, and a value the API would not accept is flagged under its field first.
Here the form is filled in code so the notebook runs top to bottom; try it by hand.
"""),
    code("""
brief = {
    "ai_search": "fitness",
    "number_of_followers": {"min": 20_000, "max": 500_000},
    "engagement_percent": {"min": 1},
    "last_post": 30,
}
form = DiscoveryForm(client, platform="instagram", filters=brief, export_dir=tempfile.mkdtemp())
form
"""),
    check("""
found = form.search()
print(f"{len(found)} of {form.total} creators on this page")
found[["username", "followers", "engagement_percent"]].head(5)
"""),
    md("""
`form.request` is the exact body that was sent: paste it into code, or keep it as the
record of what a shortlist was based on.
"""),
    check("""
form.request
"""),
    md("""
## 2. The same search in code

The filter names are checked before sending (a typo would otherwise be silently ignored by
the API and charged for the unfiltered result); [docs/filters.md](../docs/filters.md)
lists every platform's filters.
"""),
    check("""
page = client.discovery.search(
    "instagram",
    filters=brief,
    sort_by="engagement_rate",
    sort_order="desc",
    limit=25,
)
print(f"{len(page)} creators on this page of {page.total}; cost {page.credits_cost} credits")
page.to_polars().select("username", "followers", "engagement_percent").head(5)
"""),
    md("""
Values are checked too. A location, language or brand the API does not know is not an error
there: the search matches nothing and is charged all the same. So the client looks each one
up in its dictionary first (free, and cached), and refuses a miss with the nearest value:
"""),
    check("""
try:
    client.discovery.search("instagram", filters={**brief, "location": ["Untied States"]})
except ic.FilterError as err:
    print(err)
"""),
    md("""
A page is a collection: `len(page)`, `page[0]`, `for row in page`. Followers against
engagement shows who is worth a closer look (the top right quadrant beats both medians):
"""),
    code("""
charts.followers_vs_er(page)
"""),
    md("""
## 3. More than one page

`search_all` follows the pages for you and stops at `max_results`, so the cost is bounded
before it starts: at most 60 × 0.01 = 0.6 credits here.
"""),
    check("""
print(f"worst case {ic.estimate('discovery_search', limit=60):g} credits")
everyone = client.discovery.search_all("instagram", filters=brief, max_results=60)
shortlist = everyone.to_polars()
print(f"{shortlist.height} creators, {shortlist['username'].n_unique()} distinct")
"""),
    md("""
## 4. Creators like the best one

Similar-creator search takes one creator and finds lookalikes, with the same filters if
you want them. Same price: 0.01 per creator returned.
"""),
    check("""
best = shortlist.sort("engagement_percent", descending=True)["username"][0]
lookalikes = client.discovery.similar("instagram", username=best, limit=10).to_polars()
print(f"like {best}:")
lookalikes.select("username", "followers", "engagement_percent").head(5)
"""),
    md("""
## 5. Save the search, re-run it without clicking

A saved search is a small JSON file: commit it beside the notebook, and next month's run
uses exactly the same filters.
"""),
    check("""
saved = form.save(Path(tempfile.mkdtemp()) / "fitness_us.json")
again = DiscoveryForm.load(client, saved)
rerun = again.search()
print(f"same request: {again.request == form.request}; same creators: {list(rerun.username) == list(found.username)}")
"""),
    md("""
The re-run was answered from the cache: identical requests within a day cost nothing.

## 6. Export

CSV for a spreadsheet, Parquet to keep the types (the form's Export buttons do the same).
"""),
    check("""
out = Path(tempfile.mkdtemp())
shortlist.write_csv(out / "shortlist.csv")
shortlist.write_parquet(out / "shortlist.parquet")
back = pl.read_parquet(out / "shortlist.parquet")
print(f"{back.height} rows, {back.width} columns; dtypes kept: {back.schema == shortlist.schema}")
"""),
    check("""
client.ledger.to_polars().select("operation", "credits_cost", "cached", "credits_saved")
"""),
]
