"""Notebook 3, enrichment: from a shortlist to profiles, one creator, many, then a batch file."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "03_enrichment.ipynb"

CELLS = [
    md("""
# Enrichment: from a shortlist of handles to full creator profiles

Discovery tells you *who* matches a brief; enrichment tells you everything you need to
decide: contact email, every platform the creator is on, and who their audience is
(countries, ages, how many followers look fake). It is also where credits go, so this
notebook goes from one creator to many the careful way: estimate, enrich one, then many,
then a batch file for the long lists.

It runs on the offline sandbox unless `INFLUENCERS_CLUB_API_KEY` is set.
"""),
    code("""
import tempfile
from pathlib import Path

import polars as pl

import toolkit as ic
from toolkit import charts
from toolkit.jobs import read_csv

client = ic.connect()
"""),
    md("""
## 1. A shortlist from discovery

Mid-size Instagram creators (50k to 500k followers), the largest first.

Discovery's `user_id` and enrichment's id name the same creator differently (discovery uses
its own index ids, enrichment the platform's), so they never join. **`username` is the join
key**: it is what enrichment takes as input, and what comes back in every enriched table;
`frames.join_creators` joins on it (section 4).
"""),
    check("""
shortlist = client.discovery.search(
    "instagram",
    filters={"number_of_followers": {"min": 50_000, "max": 500_000}},
    sort_by="number_of_followers",
    sort_order="desc",
    limit=10,
).to_polars()
shortlist.select("rank", "user_id", "username", "followers", "engagement_percent")
"""),
    md("""
## 2. Choose the tier before paying for it

Enrichment comes in tiers at different prices. `full` has everything, `profile` only
identity and contact, `analytics` the audience without contacts, `raw` the platform block as
scraped. `ic.estimate` gives each price without sending anything, so you pick the cheapest
tier that answers your question:
"""),
    check("""
pl.DataFrame(
    {
        "tier": ["full", "profile", "analytics", "raw"],
        "credits_per_creator": [ic.estimate(f"enrich_handle_{tier}") for tier in ["full", "profile", "analytics", "raw"]],
    }
)
"""),
    md("""
## 3. One creator in full, as tidy tables

One full enrichment (1 credit the first time; a re-run reads it from the client's cache
for free) returns a deeply nested profile. `to_polars()` (or
`to_pandas()`) flattens it into tidy tables, one row per fact, every table carrying
`platform`, `user_id` and `username`, so they join to each other and to your shortlist.
"""),
    code("""
handle = shortlist["username"][0]
profile = client.creators.enrich_handle(handle, "instagram", mode="full")
tables = profile.to_polars()
tables
"""),
    md("""
The tables are attributes. The `creator` row is the identity and the headline numbers:
"""),
    check("""
tables.creator.select("username", "full_name", "followers", "engagement_percent", "platforms")
"""),
    md("""
Where does the audience live? A brand selling only in one market needs that market's share,
not the follower count. (Audience tables have a `source` column: the audience of the
`followers`, or of the people who like the posts; here the followers.)
"""),
    check("""
(
    tables.audience_countries.filter(source="followers")
    .sort("weight", descending=True)
    .select("name", "code", pl.col("weight").round(3))
    .head(5)
)
"""),
    md("""
How real is it? `audience_types` splits followers into real people, mass followers,
influencers and suspicious accounts. A high `suspicious` share means paying for reach that
does not exist:
"""),
    check("""
tables.audience_types.filter(source="followers").sort("weight", descending=True).select("code", pl.col("weight").round(3))
"""),
    md("""
The audience at a glance: ages by gender, top countries and interests, from the same
answer (no new call):
"""),
    code("""
charts.demographics(profile)
"""),
    md("""
Is the account growing, and do its posts hold their engagement?
"""),
    code("""
charts.follower_growth(profile)
"""),
    code("""
charts.post_engagement(profile)
"""),
    md("""
The same tables come as pandas DataFrames with `to_pandas()` (converted from the same
answer, nothing is fetched again). The followers' ages, for a brand whose buyers are 25 to
44:
"""),
    check("""
ages = profile.to_pandas().audience_ages
ages[ages["source"] == "followers"][["code", "weight"]].round(3)
"""),
    md("""
## 4. The rest of the shortlist with `enrich_many`

For the other nine, contact details are enough, so the `profile` tier (0.2 credits) instead of
`full` (1 credit). `enrich_many` sends them concurrently under the rate limiter. Real lists
are messy, so this one has a duplicate in another spelling (`@` and capitals: the same
creator, which the API would bill twice), a handle that does not exist and one with a space.
`progress=False` turns off the progress bar.
"""),
    code("""
messy = shortlist["username"][1:].to_list() + ["@" + shortlist["username"][1].upper(), "nobody_xyz_123", "bad handle"]
many = client.creators.enrich_many(messy, "instagram", mode="profile", progress=False)
many
"""),
    md("""
Every input is accounted for, in exactly one of two tables. `results` has one row per input
with a profile (the duplicate is marked and cost nothing):
"""),
    check("""
many.results.select("input", "value", "credits_cost", "from_journal", "duplicate")
"""),
    md("""
`failures` says why the others have none: `not_found` costs nothing, `invalid` was refused
before anything was sent.
"""),
    check("""
many.failures.select("input", "reason", "message")
"""),
    check("""
print(f"{len(messy)} inputs = {many.results.height} with a profile + {many.failures.height} without; {many.credits_spent:g} credits")
"""),
    md("""
The shortlist with its contacts: `frames.join_creators` puts each discovery row beside the
profile of the same creator, matching the handle whatever its case or `@` (the numeric ids
differ, see section 1). The creator enriched in section 3 was not in this call, so its
contact columns are empty here.
"""),
    check("""
from toolkit import frames

contacts = frames.join_creators(shortlist, many)
contacts.select("username", "followers", "email", "location")
"""),
    md("""
## 5. Running it again costs nothing

Every answer was written to a journal in the client's store as it arrived. Run the same
call again (after a crash, a kernel restart, or by accident) and the answers are read back
instead of bought again: only what is missing is paid for.
"""),
    check("""
again = client.creators.enrich_many(messy, "instagram", mode="profile", progress=False)
print(f"{again.results['from_journal'].sum()} profiles from the journal, {again.credits_spent:g} credits spent")
"""),
    md("""
The ledger, which records every request the client sent, agrees. On a first run it has one
paid `enrich_handle_profile` request per creator found (the duplicate spelling was never
sent) and none from the second call. The 404s are the handle that was not found, asked
again by the second call: failures cost nothing, so they are not kept, and a creator who
appears on the platform later is found next time. Run the whole notebook again with the
same store and even the first call reads its answers from the journal: the profile rows
are gone and every credit figure above reads 0.
"""),
    check("""
client.ledger.to_polars().group_by("operation", "status").agg(
    requests=pl.len(), credits=pl.col("credits_cost").sum().round(2)
).sort("operation", "status")
"""),
    md("""
## 6. Long lists: a batch job from a CSV file

For thousands of creators the batch endpoint is the better tool: you upload a CSV, the
server works through it, you download the results. `client.batch.run` does all of it and
writes every table as Parquet. Here the CSV is written by the notebook to a folder of its
own under the system's temporary directory (the same folder on every run, so a re-run finds
the results it already paid for), with what a spreadsheet export has: `@` prefixes, a creator listed twice in
different case, and a handle nobody has. The header `handle` names the column.
"""),
    code("""
work = Path(tempfile.gettempdir()) / "influencers-club-batch-demo"
work.mkdir(exist_ok=True)
csv = work / "creators.csv"
rows = [f"{name},@{username}" for name, username in shortlist.select("full_name", "username").iter_rows()]
rows += [f"Nomad Life,@{shortlist['username'][0].upper()}", "Nobody,nobody_xyz_123"]
csv.write_text("name,handle\\n" + "\\n".join(rows) + "\\n")
print(csv.read_text())
"""),
    md("""
A batch costs the same per row as the single call (`raw` here: 0.03 credits per creator),
and the estimate counts rows after the same de-duplication the upload does: 12 rows in the
file, 11 distinct creators, at most 11 paid (a row the API finds nothing for is free).
"""),
    check("""
handles = read_csv(csv)
print(f"column {handles.column!r}: {len(handles.values)} rows")
print(f"at most {ic.estimate('batch_create', enrichment_mode='raw', rows=handles.values):.2f} credits")
"""),
    md("""
On the real API a batch takes minutes to hours and `run` polls its status every 30 s (status
calls are free). Here `timeout=0` submits the job and stops waiting at once: the job is kept
in the client's registry, so nothing is lost and nothing is submitted twice.
"""),
    check("""
try:  # a re-run of this notebook finds the job already done in the registry: nothing is sent
    run = client.batch.run(csv, mode="raw", platform="instagram", out=work / "out", timeout=0, progress=False)
except TimeoutError as err:
    run = None
    print(err)
"""),
    md("""
Then `pick_up()` finds every unfinished job of this credential, polls it and downloads it,
into the folder recorded when it was submitted (after a kernel restart too, on the real
API). On the sandbox each poll's 30 s wait moves the sandbox's clock instead of sleeping,
so this takes a moment; on the real API it waits as long as the job runs:
"""),
    code("""
if run is None:
    run = client.batch.pick_up(progress=False)
"""),
    check("""
print(run.jobs[0].state, "-", run.jobs[0].rows, "rows")
sorted(p.name for p in run.out.iterdir())
"""),
    md("""
## 7. Reading the Parquet back

One folder per table, the same declared columns in every part, so polars, DuckDB, Spark or
Dask read a whole folder as one dataset. `run.read(table)` reads all parts of one. Ten
creators found, the duplicate uploaded once:
"""),
    check("""
run.read("creator").select("username", "input_value", "followers").sort("followers", descending=True)
"""),
    md("""
Every input is in the output: what the API found nothing for is in `failures`, with the
API's status (and no charge). `row` numbers the rows of the de-duplicated upload from 0,
not the lines of your CSV (the file above has a header and a duplicate the upload
dropped), so match a failure to your file by `input_value`.
"""),
    check("""
run.read("failures").select("row", "input_value", "status", "reason")
"""),
]
