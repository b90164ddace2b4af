"""Every API response as typed, tidy polars tables, and pandas tables derived from them.

``convert(operation, body, params=...)`` is what result objects' ``.to_polars()`` call; the
named functions below are the same converters for raw JSON (e.g. a downloaded batch file).
Each table has a declared schema (``SCHEMAS``, documented in docs/frames.md): declared
columns first with fixed dtypes, then any undeclared field kept as an extra column. A value
of the wrong type becomes null with a ``SchemaWarning``; numbers sent as strings become
numbers; pandas frames come from the polars ones through Arrow (``to_pandas``).

Example:
    >>> from toolkit import frames
    >>> df = frames.discovery({"accounts": [{"user_id": "1", "profile": {"followers": "12"}}]})
    >>> df["followers"].to_list()
    [12]
"""

from ._account import api_keys, credits, exclusion_entries, exclusion_lists, ledger
from ._batch import batch_job, batch_results
from ._content import post_details, posts
from ._convert import CONVERTERS, convert
from ._dictionary import dictionary
from ._discovery import discovery, email_match, overlap, similar, socials
from ._enrichment import MODES, enrichment
from ._join import join_creators
from ._listening import events, subscription_details, subscriptions, usage
from ._listening_campaigns import campaign_creators, campaign_overview, campaigns, content_feed
from ._registry import SCHEMAS, TABLES, SchemaWarning, TableSpec
from ._tables import Tables, to_pandas

__all__ = [
    "CONVERTERS",
    "MODES",
    "SCHEMAS",
    "TABLES",
    "SchemaWarning",
    "TableSpec",
    "Tables",
    "api_keys",
    "batch_job",
    "batch_results",
    "campaign_creators",
    "campaign_overview",
    "campaigns",
    "content_feed",
    "convert",
    "credits",
    "dictionary",
    "discovery",
    "email_match",
    "enrichment",
    "events",
    "exclusion_entries",
    "exclusion_lists",
    "join_creators",
    "ledger",
    "overlap",
    "post_details",
    "posts",
    "similar",
    "socials",
    "subscription_details",
    "subscriptions",
    "to_pandas",
    "usage",
]
