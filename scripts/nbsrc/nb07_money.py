"""Notebook 7, money and safety: ledger, estimates, budgets, the cache, keys and sign-in."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "07_money_and_safety.ipynb"

CELLS = [
    md("""
# Money and safety: spend credits on purpose, keep keys out of sight

Every search and enrichment costs credits, and a notebook is easy to re-run by accident:
a loop over 5,000 handles, a cell run twice, a filter name misspelt so the API silently
returns (and bills) unfiltered results. This notebook shows each guard the toolkit puts
between a cell and your credits, and how it keeps credentials out of everything it prints.

It runs on the offline sandbox unless `INFLUENCERS_CLUB_API_KEY` is set.
"""),
    code("""
import polars as pl

import toolkit as ic
from toolkit import charts

client = ic.connect()
"""),
    md("""
## 1. Estimate first

`ic.estimate` gives the worst case of a call without sending anything. Discovery is priced
per creator returned, enrichment per creator, a batch per row (counted after the same
de-duplication the upload does: `@Nike`, `nike` and `NIKE` are one row), and free
operations cost 0.
"""),
    check("""
pl.DataFrame(
    [
        ("a discovery page of 50", ic.estimate("discovery_search", limit=50)),
        ("one full enrichment", ic.estimate("enrich_handle_full")),
        ("one profile enrichment", ic.estimate("enrich_handle_profile")),
        ("a raw batch of 1,000 rows", ic.estimate("batch_create", enrichment_mode="raw", rows=1000)),
        ("full batch: @Nike nike NIKE", ic.estimate("batch_create", enrichment_mode="full", rows=["@Nike", "nike", "NIKE"])),
        ("a page of posts", ic.estimate("content_posts")),
        ("the credit balance", ic.estimate("account_credits")),
    ],
    schema=["call", "worst_case_credits"],
    orient="row",
)
"""),
    md("""
A misspelt operation name raises instead of quietly reading as free:
"""),
    check("""
try:
    ic.estimate("discovery_serach", limit=50)
except ValueError as err:
    print(err)
"""),
    md("""
## 2. A typo'd filter is refused before it is sent

The API ignores a filter it does not know and charges for the unfiltered results. The
toolkit knows every platform's filters, so this never leaves the notebook:
"""),
    check("""
try:
    client.discovery.search("instagram", filters={"number_of_folowers": {"min": 10_000}}, limit=50)
except ic.FilterError as err:
    print(err)
"""),
    md("""
## 3. A budget for a block of work

`with client.budget(credits)` caps what the cells inside may spend. A call whose worst case
would overrun what is left is refused **before it is sent**, so a budget is a promise, not
a report after the fact. Here one search of 50 creators (at most 0.5 credits) fits a budget
of 0.6 credits, and a full enrichment (1 credit) does not:
"""),
    check("""
with client.budget(0.6) as budget:
    shortlist = client.discovery.search(
        "instagram", filters={"number_of_followers": {"min": 50_000}}, sort_by="number_of_followers", sort_order="desc", limit=50
    )
    print(f"search: {shortlist.credits_cost:g} credits; {budget.left:g} left in the budget")
    try:
        client.creators.enrich_handle(shortlist.to_polars()["username"][0], "instagram", mode="full")
    except ic.BudgetExceededError as err:
        print(err)
"""),
    md("""
## 4. The ledger: what every call cost

`client.ledger` records every request with its cost, the balance after it, and whether the
cache answered it. The refused enrichment is not there: it was never sent.
"""),
    check("""
client.ledger.to_polars().select("operation", "status", "credits_cost", "credits_left", "cached")
"""),
    md("""
## 5. The cache: running a cell twice is free

An identical request (same method, path, query and body, under the same credential) is
answered from a local cache within a time to live (paid reads: 1 day), so re-running a
notebook top to bottom does not pay again. The same TikTok search twice: the first is paid,
the second is in the ledger with `cached=True`, cost 0, and the credits it saved:
"""),
    code("""
query = dict(filters={"number_of_followers": {"min": 100_000}}, sort_by="number_of_followers", sort_order="desc", limit=25)
first = client.discovery.search("tiktok", **query)
second = client.discovery.search("tiktok", **query)
"""),
    check("""
client.ledger.to_polars().tail(2).select("operation", "credits_cost", "cached", "credits_saved")
"""),
    md("""
`client.cache.stats()` counts what the cache did for this client (`entries` is what the
store holds for this credential, from earlier sessions too):
"""),
    code("""
stats = client.cache.stats()
stats
"""),
    check("""
print(f"{stats.hits} answered from the cache, {stats.credits_saved:g} credits saved")
"""),
    md("""
Offline, on a train: `with client.cache.mode("only-cache")` answers what the cache holds and
raises `CacheMissError` instead of sending anything it does not hold:
"""),
    check("""
with client.cache.mode("only-cache"):
    again = client.discovery.search("tiktok", **query)
    try:
        client.discovery.search("tiktok", **{**query, "limit": 10})
    except ic.CacheMissError as err:
        print(f"not in the cache, nothing sent: {type(err).__name__}")
print(f"same {len(again)} creators, from the cache")
"""),
    md("""
When you do want today's numbers (a creator's follower count the morning of a pitch),
`with client.cache.mode("refresh"): ...` sends the request anyway and stores the new
answer; it is paid again, so it is not run here.
"""),
    md("""
The last mode is `"off"`; `client.cache.clear()` forgets what is kept. Balances, batch status and
writes are never cached.
"""),
    md("""
## 6. API keys: one per machine or job

Keep the key in `INFLUENCERS_CLUB_API_KEY` in the shell that starts JupyterLab, never in a
cell (a cell's source and output are saved with the notebook). Make one key per machine or
job, so a leaked or retired one can be switched off without touching the others. As a
table, keys show only their last characters (`token_hint`):
"""),
    check("""
client.account.api_keys.list().to_polars().select("id", "name", "active", "scopes", "token_hint")
"""),
    code("""
ci = client.account.api_keys.create("ci-nightly")
ci
"""),
    md("""
The answer to `create` holds the full key in `ci.data["token"]`: copy it from there into
your CI's secret store, and never print it in a cell (the output would be saved with the
notebook). The result's repr names the fields, never their values. When the job is retired, deactivate the key (`.activate(id)` turns it back on,
`.expire(id, at)` gives it an end date, `.delete(id)` removes it):
"""),
    check("""
client.account.api_keys.deactivate(ci.data["id"])
client.account.api_keys.list().to_polars().select("id", "name", "active", "token_hint")
"""),
    md("""
Spend over the session, per operation, with what the cache saved:
"""),
    code("""
charts.spend(client.ledger)
"""),
    md("""
## 7. Signing in with OAuth instead of a key

For an app that acts for other users, or when you would rather keep no long-lived key on
disk, sign in in the browser. It opens the consent page, waits for the answer on
127.0.0.1, and keeps a short-lived token that refreshes itself (in the system keyring, or
a file only you can read). It needs a browser, so it is not run here:

```python
client = ic.login()     # opens the sign-in page; returns a client acting for you
ic.logout(client)       # revokes the token and forgets it
```

From a shell: `influencers-club login`.
"""),
    md("""
## 8. What is never shown

The client's repr says which API it talks to and which credential, masked; the same holds
for every error message and log line, and nothing of the key is written to the cache or
the job registry (their keys hold a fingerprint of it).
"""),
    check("""
client
"""),
]
