"""Notebook 6, content analysis: posts and post details for a brand-safety review."""

from __future__ import annotations

from ._cells import check, code, md

NAME = "06_content_analysis.ipynb"

CELLS = [
    md("""
# Content analysis: a brand-safety review before you sign a creator

A creator's numbers say how many people they reach; their posts say *what* those people
see next to your brand. Before a deal, a brand-safety review reads the recent content:
which brands the creator already works with (a competitor's sponsorship is a conflict),
whether paid posts are disclosed (undisclosed ads are a legal risk for the brand too), what
the creator says on camera, and what their commenters ask.

This notebook does that review for one YouTube creator, on the offline sandbox unless
`INFLUENCERS_CLUB_API_KEY` is set.
"""),
    code("""
import polars as pl

import toolkit as ic
from toolkit import charts

client = ic.connect()
"""),
    md("""
## 1. Pick the creator

In practice the handle comes from a discovery search or a brief. Here: the largest of a
few YouTube channels with 100k+ subscribers that have done brand deals before (the ones a
review has something to read).
"""),
    check("""
shortlist = client.discovery.search(
    "youtube",
    filters={"number_of_subscribers": {"min": 100_000}, "has_done_brand_deals": True},
    sort_by="number_of_followers",
    sort_order="desc",
    limit=5,
).to_polars()
handle = shortlist["username"][0]
shortlist.select("username", "full_name", "followers")
"""),
    md("""
## 2. Read the recent posts, knowing what it costs first

Posts come in pages (YouTube: 30 a page, up to 50 with `count=50`), and **every page is
paid** (0.03 credits).
`iter_posts` follows the pages for you; `max_pages` is the spending cap, so a creator with
years of uploads cannot drain your credits.
"""),
    check("""
max_pages = 2
print(f"at most {max_pages * ic.estimate('content_posts'):.2f} credits for {max_pages} pages of posts")
"""),
    code("""
pages = list(client.creators.iter_posts(handle, "youtube", max_pages=max_pages))
posts = pl.concat([page.to_polars() for page in pages])
print(f"{posts.height} posts from {posts['created_at'].min():%d %b %Y} to {posts['created_at'].max():%d %b %Y}")
"""),
    code("""
charts.post_engagement(posts)
"""),
    md("""
## 3. Which posts carried the channel?

Engagement rate per post (likes and comments over views) shows whether the audience is
actually reacting, and which videos are worth a closer look.
"""),
    check("""
top = (
    posts.with_columns(
        engagement_rate=(pl.col("likes") + pl.col("comments")) / pl.col("views")
    )
    .sort("views", descending=True)
    .head(5)
)
top.select("post_id", "created_at", "views", "likes", "comments", pl.col("engagement_rate").round(3))
"""),
    md("""
## 4. Who pays, and is it disclosed?

Brand partners show up as `@mentions` in captions. A paid post needs a clear disclosure:
`#ad`, `#sponsored` or "paid partnership" are clear; `#partner` or `#collab` alone are the
ambiguous tags regulators warn about; nothing at all is the finding a review exists for.
"""),
    check("""
disclosure = (
    pl.when(pl.col("caption").str.contains(r"(?i)#ad\\b|#sponsored|paid partnership"))
    .then(pl.lit("clear"))
    .when(pl.col("caption").str.contains(r"(?i)#partner|#collab"))
    .then(pl.lit("ambiguous"))
    .otherwise(pl.lit("none"))
)
paid = posts.with_columns(
    brand=pl.col("caption").str.extract(r"@([A-Za-z0-9_.]+)"), disclosure=disclosure
).filter(pl.col("brand").is_not_null())
paid.group_by("brand", "disclosure").agg(posts=pl.len()).sort(["brand", "disclosure"])
"""),
    md("""
## 5. What is said on camera?

`post_details` reads one post's transcript, comments, data or audio (0.03 credits per
request). Reading the transcripts of the paid posts shows whether the sponsor is also named
out loud, which is what a viewer who never reads captions hears.
"""),
    check("""
transcripts = pl.concat(
    [
        client.creators.post_details(post_id, "youtube", "transcript").to_polars().transcript
        for post_id in paid["post_id"]
    ]
)
said = transcripts.group_by("post_id", maintain_order=True).agg(pl.col("text").str.join(" "))
on_camera = paid.join(said, on="post_id", how="left").select(
    "post_id",
    "brand",
    "disclosure",
    named_on_camera=pl.col("text")
    .str.to_lowercase()
    .str.contains(pl.col("brand").str.to_lowercase(), literal=True)
    .fill_null(False),  # no transcript: not named
)
on_camera
"""),
    md("""
**Finding:** every paid post names its sponsor on camera, but several are tagged only
`#partner` in writing. That is what to raise with the creator before signing: clear `#ad`
disclosure in every caption.
"""),
    md("""
## 6. What do the commenters say?

Comments come twenty to a page. Questions ("where did you get it?") are purchase intent;
a wall of bot-like one-word comments is a warning sign about the audience.
"""),
    code("""
comments = client.creators.post_details(top["post_id"][0], "youtube", "comments").to_polars().comments
"""),
    check("""
(
    comments.with_columns(question=pl.col("text").str.contains(r"\\?"))
    .group_by("text")
    .agg(pl.len().alias("times"), pl.col("question").first())
    .sort(["times", "text"], descending=[True, False])
    .head(8)
)
"""),
    md("""
## 7. What did the review cost?

Every page of posts and every detail request is in the ledger.
"""),
    check("""
spent = client.ledger.to_polars().group_by("operation", maintain_order=True).agg(
    calls=pl.len(), credits=pl.col("credits_cost").sum().round(2)
)
spent
"""),
]
