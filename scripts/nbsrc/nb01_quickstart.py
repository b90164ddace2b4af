"""Notebook 1, quickstart: connect, credits, a first search as a DataFrame, the ledger."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "01_quickstart.ipynb"

CELLS = [
    md("""
# Quickstart: from zero to a table of creators

This notebook connects to the Influencers Club API, checks what your credits allow, runs one
discovery search and turns it into a DataFrame.

With no `INFLUENCERS_CLUB_API_KEY` in the environment it runs on the **offline sandbox**: a
synthetic world of creators that answers exactly like the real API, costs nothing and gives
the same answers every time. Set the key (in the shell that starts JupyterLab, never in a
cell) and the same cells run against the real service.
"""),
    md("""
## 1. Connect

`connect()` picks the real API when a key is present and the sandbox otherwise, and says which
one you are on, so you never spend real credits by surprise.
"""),
    check("""
import toolkit as ic

client = ic.connect()
client
"""),
    md("""
## 2. Check your credits

Every search, enrichment and overlap costs credits; dictionaries and status checks are free.
Looking at the balance first tells you how much room a piece of analysis has.
"""),
    check("""
credits = client.account.credits()
print(f"available: {credits.data['credits_available']:.2f} credits, used so far: {credits.data['credits_used']:.2f}")
"""),
    md("""
## 3. Estimate before you spend

Discovery costs 0.01 credits per creator returned. `ic.estimate` gives the worst case of a
call before you make it, so a page of 25 creators can never cost more than this:
"""),
    check("""
ic.estimate("discovery_search", limit=25)
"""),
    md("""
## 4. Filters are checked before anything is sent

The API silently ignores a filter name it does not know and still charges for the unfiltered
results. The toolkit knows every platform's filters and stops a typo before it costs you:
"""),
    check("""
try:
    client.discovery.search("instagram", filters={"number_of_subscribers": {"min": 10_000}})
except ic.FilterError as err:
    print(err)
"""),
    md("""
## 5. Search and look at the result as a DataFrame

Instagram creators with 50k to 500k followers and an engagement rate of at least 2%, sorted
by followers. The result knows what it cost, and converts to pandas (or polars) with a
declared schema: the same columns and types every time, even for an empty page.
"""),
    code("""
result = client.discovery.search(
    "instagram",
    filters={"number_of_followers": {"min": 50_000, "max": 500_000}, "engagement_percent": {"min": 2}},
    sort_by="number_of_followers",
    sort_order="desc",
    limit=25,
)
print(f"{result.data['total']} creators match; this page cost {result.credits_cost} credits, {result.credits_left} left")
"""),
    check("""
creators = result.to_pandas()
creators[["rank", "username", "full_name", "followers", "engagement_percent"]].head(10)
"""),
    check("""
creators.dtypes
"""),
    md("""
## 6. What did this session cost?

`client.ledger` records every call with its cost and the balance after it. Keep an eye on it
in long sessions.
"""),
    check("""
ledger = client.ledger.to_pandas()
ledger[["operation", "status", "credits_cost", "credits_left"]]
"""),
    md("""
Next steps with the same client: `client.creators.enrich_handle(username, "instagram")` pulls
a full profile (`.to_polars()` gives its tidy tables: creator, posts, audience ages, ...),
`client.creators.overlap("instagram", [...])` compares audiences, and
`client.listening.campaigns` follows a campaign's daily numbers.
"""),
]
