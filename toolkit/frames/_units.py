"""The unit and scale of a table column, by its name: one place for what "weight" or
"engagement_percent" hold, read by ``TableSpec.unit`` and docs/frames.md.

Shares are fractions 0-1 in every table (charts show them as %); the API's ``*_percent``
engagement rates and a few ``*_percentage`` fields are percent 0-100; some fields the API
names "percentage" hold fractions (a declaration says so with its own unit). A table's
declaration may give any column its own unit, which wins over these.
"""

from __future__ import annotations

import re

import polars as pl

__all__ = ["FRACTION", "PERCENT", "default_unit"]

FRACTION = "share, fraction 0-1"
PERCENT = "percent 0-100"

#: (column name pattern, unit), first match wins
_BY_NAME: tuple[tuple[str, str], ...] = (
    (r"engagement_percent(_long|_shorts)?|er_percent", "percent 0-100 (of followers)"),
    (r"reels_percentage_last_12_posts|shorts_percentage", PERCENT),
    (r"growth_\d+_months_ago", "percent change (followers since then)"),
    (r"weight|male|female|audience_credibility|notable_users_ratio|shared_share", FRACTION),
    (r"affinity", "ratio to the average audience (1 = same)"),
    (r"credits_\w+|uncertain_cost|daily_cost|accrued|projected|budget", "credits"),
    (r"days_running|days_left", "days"),
    (r"emv|income_(min|max)", "USD"),
    (r"duration_s|start_s|end_s|expires_in", "seconds"),
    (
        r"(total_|creator_|other_|pair_unique_|total_unique_|payload_)?followers"
        r"|follower_count|subscriber_count|following_count|unique_reach|gain",
        "people",
    ),
    (
        r"(avg_|total_|reels_avg_|reels_median_|median_)?(likes?|comments?|views?|shares|saves"
        r"|plays?|replies|retweets|quotes|engagements?)(_count)?(_avg|_median|_long|_shorts)?"
        r"|play_count_(avg|median)|comment_count_avg|view_count|least_views",
        "count (per post where averaged)",
    ),
    (r"avg_reply|avg_retweet|total_comments_last_50", "count (per post where averaged)"),
    (r"follower_threshold|payload_threshold", "people"),
    (r"streamed_hours_last_30_days", "hours"),
    (r"days_ago", "days"),
    (r"lat|lon", "degrees"),
    (r"\w*_id|id|brand_id", "identifier (not a quantity)"),
    (
        r"\w*_count|count|posts|creators|events|added|removed|failed|completed|pending|sent"
        r"|paused|archived|retrying|total(_\w+)?|tweets_\w+|favorites|downloads"
        r"|skipped_duplicates|invalid_records|processed_rows|active(_\w+)?|remaining_\w+"
        r"|limits_\w+|by_type_\w+|streams_count_last_30_days|media_count|video_count",
        "count",
    ),
)


def default_unit(column: str, dtype: pl.DataType) -> str:
    """The unit of ``column`` by its name, "UTC" for datetimes, "" when nothing is known."""
    if isinstance(dtype, pl.Datetime):
        return f"UTC ({dtype.time_unit})" if dtype.time_zone == "UTC" else ""
    if not dtype.is_numeric():
        return ""
    for pattern, unit in _BY_NAME:
        if re.fullmatch(pattern, column):
            return unit
    return ""
