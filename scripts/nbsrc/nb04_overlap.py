"""Notebook 4, audience overlap: the overlap chart, the pairwise matrix, the reach planner."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "04_audience_overlap.ipynb"

CELLS = [
    md("""
# Audience overlap: how many *different* people does a line-up reach?

Five creators with a million followers each do not reach five million people if their
audiences are the same people. Overlap answers the question a media plan actually asks:
the deduplicated reach of a set of creators, and who brings people nobody else reaches.

Every overlap call costs 1 credit, whatever the number of creators (2 to 10), so this
notebook shows each cost before it spends, and the two helpers that make many calls (the
pairwise matrix and the reach planner) refuse to start until you confirm their estimate.
"""),
    code("""
import polars as pl

import toolkit as ic
from toolkit import charts

client = ic.connect()
"""),
    md("""
## 1. A shortlist from one niche

Overlap is interesting between creators who could plausibly share fans: here, the biggest
Instagram creators of one niche (an AI search for fitness).
"""),
    check("""
shortlist = client.discovery.search(
    "instagram",
    filters={"ai_search": "fitness", "number_of_followers": {"min": 20_000}},
    sort_by="number_of_followers",
    sort_order="desc",
    limit=8,
).to_polars()
handles = shortlist["username"].to_list()
shortlist.select("username", "followers", "engagement_percent")
"""),
    md("""
## 2. Unique vs shared audience of five creators

One call, 1 credit. The bars are sorted by unique reach: the creators at the top bring
the most people nobody else on the list reaches; a creator whose bar is mostly "shared"
adds little to the plan.
"""),
    check("""
print(f"this comparison costs {ic.estimate('audience_overlap'):g} credit")
overlap = client.creators.overlap("instagram", handles[:5])
overlap.to_polars().creators.select(
    "username", "followers", unique=pl.col("unique_percentage"), shared=pl.col("overlapping_percentage")
)
"""),
    code("""
charts.overlap(overlap)
"""),
    md("""
For exactly two creators the API's numbers determine every region, so a two-circle view is
exact (for three or more it would not be, which is why there is no three-circle view):
"""),
    code("""
charts.overlap_venn(client.creators.overlap("instagram", handles[:2]))
"""),
    md("""
## 3. Which pairs share the most?

The pairwise matrix makes one call per pair: 6 creators are 15 pairs, 15 credits. Without
`confirm=True` (or a budget that covers it) it refuses and says what it would cost, so a
list of ten (45 credits) never runs by accident. A pair already compared above is answered
by the cache for free.
"""),
    check("""
try:
    client.creators.overlap_matrix("instagram", handles[:6])
except ic.InfluencersClubError as err:
    print(err)
"""),
    code("""
matrix = client.creators.overlap_matrix("instagram", handles[:6], confirm=True)
charts.overlap_matrix(matrix, show_cost=True)  # the subtitle says what the calls cost
"""),
    check("""
print(f"the matrix cost {matrix.cost:g} credits")
"""),
    md("""
## 4. The reach planner: the best k creators for a budget

Which 3 of these 8 creators reach the most unique people? The planner adds, one step at a
time, the candidate with the largest gain in deduplicated reach, and stops before a step
would go over the budget. Its estimate is the worst case; pairs the matrix already paid for
come from the cache.
"""),
    code("""
plan = client.creators.plan_reach("instagram", handles, 3, budget=30, confirm=True)
charts.reach_curve(plan, show_cost=True)  # paid calls + those the cache answered
"""),
    check("""
print(f"chosen: {', '.join(plan.chosen)}; estimated {plan.estimate:g} credits, spent {plan.spent:g}")
plan.curve
"""),
    md("""
## 5. What the comparison cost

Cache hits show at cost 0 with the credits they saved.
"""),
    check("""
client.ledger.to_polars().group_by("operation", maintain_order=True).agg(
    calls=pl.len(),
    credits=pl.col("credits_cost").sum().round(2),
    saved_by_cache=pl.col("credits_saved").sum().round(2),
)
"""),
]
