"""``convert(operation, body, params=...)``: the one entry point the client's results call.

Maps every endpoints.json operation name (70) plus ``"ledger"`` to its converter.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import polars as pl

from toolkit import _operations

from . import _account as acc
from . import _batch, _content, _discovery, _listening, _listening_campaigns
from ._dictionary import DICTIONARIES, dictionary
from ._enrichment import enrichment
from ._gcpause import gc_paused
from ._registry import SchemaWarning
from ._tables import Tables

__all__ = ["CONVERTERS", "convert"]

Converter = Callable[[Any, Mapping[str, Any] | None], "pl.DataFrame | Tables[pl.DataFrame]"]


def _enrich(mode: str) -> Converter:
    def conv(body: Any, params: Mapping[str, Any] | None) -> Tables[pl.DataFrame]:
        return enrichment(body, mode=mode, params={**(params or {}), "mode": mode})

    return conv


def _deleted(empty: Callable[[], pl.DataFrame]) -> Converter:
    """Deletes answer 204 with no body: an empty frame of the deleted resource's table."""

    def conv(body: Any, params: Mapping[str, Any] | None) -> pl.DataFrame:
        return empty()

    return conv


def _batch_results(
    body: Any, params: Mapping[str, Any] | None
) -> Tables[pl.DataFrame] | pl.DataFrame:
    try:
        return _batch.batch_results(body, params=params)
    except ValueError as exc:  # a broken JSON body: warn, as for any malformed body
        warnings.warn(f"{exc}; no rows read", SchemaWarning, stacklevel=3)
        return _batch.batch_results([], params=params)


_EXCL_LIST_OPS = (
    "exclusion_lists_list",
    "exclusion_lists_create",
    "exclusion_lists_get",
    "exclusion_lists_rename",
    "exclusion_lists_get_default",
    "exclusion_lists_list_entries_add",
    "exclusion_lists_list_entries_remove",
    "exclusion_lists_default_entries_add",
    "exclusion_lists_default_entries_remove",
)

CONVERTERS: dict[str, Converter] = {
    "discovery_search": _discovery.discovery,
    "discovery_similar_creators": _discovery.similar,
    "audience_overlap": _discovery.overlap,
    **{op: partial(dictionary, op) for op in DICTIONARIES},
    **dict.fromkeys(_EXCL_LIST_OPS, acc.exclusion_lists),
    "exclusion_lists_delete": _deleted(acc.EXCLUSION_LISTS.empty),
    "exclusion_lists_list_entries_get": acc.exclusion_entries,
    "exclusion_lists_default_entries_get": acc.exclusion_entries,
    "connected_socials": _discovery.socials,
    "enrich_handle_full": _enrich("full"),
    "enrich_handle_profile": _enrich("profile"),
    "enrich_handle_analytics": _enrich("analytics"),
    "enrich_handle_raw": _enrich("raw"),
    "enrich_email": _discovery.email_match,
    "batch_create": _batch.batch_job,
    "batch_status": _batch.batch_job,
    "batch_resume": _batch.batch_job,
    "batch_download": _batch.batch_job,
    "batch_results": _batch_results,
    "content_posts": _content.posts,
    "content_details": _content.post_details,
    "account_credits": acc.credits,
    "api_keys_list": acc.api_keys,
    "api_keys_create": acc.api_keys,
    "api_keys_update": acc.api_keys,
    "api_keys_delete": _deleted(acc.API_KEYS.empty),
    "oauth_register": acc.oauth_registration,
    "oauth_authorize": acc.oauth_authorize,
    "oauth_token": acc.oauth_token,
    "oauth_apps_list": acc.oauth_apps,
    "oauth_apps_delete": _deleted(acc.OAUTH_APPS.empty),
    "oauth_introspect": acc.oauth_introspection,
    "social_listening_subscriptions_list": _listening.subscriptions,
    "social_listening_subscriptions_create": _listening.subscriptions,
    "social_listening_subscriptions_get": _listening.subscriptions,
    "social_listening_subscriptions_update": _listening.subscriptions,
    "social_listening_subscriptions_delete": _deleted(_listening.SUBSCRIPTIONS.empty),
    "social_listening_subscription_creators_list": _listening.subscription_creators,
    "social_listening_subscription_creators_add": _listening.creators_added,
    "social_listening_subscription_details": _listening.subscription_details,
    "social_listening_subscription_details_export": _listening.subscription_details,
    "social_listening_campaigns_list": _listening_campaigns.campaigns,
    "social_listening_campaigns_create": _listening_campaigns.campaigns,
    "social_listening_campaigns_get": _listening_campaigns.campaigns,
    "social_listening_campaigns_update": _listening_campaigns.campaigns,
    "social_listening_campaigns_archive": _deleted(_listening_campaigns.CAMPAIGNS.empty),
    "social_listening_campaign_creators_list": _listening_campaigns.campaign_creators,
    "social_listening_campaign_creators_add": _listening.creators_added,
    "social_listening_campaign_creators_remove": _listening.creators_added,
    "social_listening_campaign_overview": _listening_campaigns.campaign_overview,
    "social_listening_campaign_content": _listening_campaigns.content_feed,
    "social_listening_events_list": _listening.events,
    "social_listening_events_get": _listening.events,
    "social_listening_usage": _listening.usage,
    "ledger": acc.ledger,
}
_operations.cover_every_operation(CONVERTERS, what="toolkit.frames.CONVERTERS", own=("ledger",))


@gc_paused
def convert(
    operation: str, body: Any, *, params: Mapping[str, Any] | None = None
) -> pl.DataFrame | Tables[pl.DataFrame]:
    """Convert one parsed response body of ``operation`` into its declared table(s).

    Parameters:
        operation: the operation name in docs/api.md (``"discovery_search"``, ...) or
            ``"ledger"`` (body = the client's ledger entries).
        body: the parsed JSON body (or CSV text for CSV responses; None for 204).
        params: what the request sent; used to key tables when the body does not
            (platform, handle, page/limit, ids).

    Returns:
        A ``pl.DataFrame`` for single-table responses, else ``Tables`` (names in
        docs/frames.md). Never raises on a malformed body: wrong-typed values become null
        with a ``SchemaWarning``.

    Example:
        >>> convert("account_credits", {"credits_available": 1.5, "credits_used": 8}).row(0)
        (1.5, 8.0)
    """
    try:
        conv = CONVERTERS[operation]
    except KeyError:
        raise ValueError(f"unknown operation {operation!r}") from None
    return conv(body, params)
