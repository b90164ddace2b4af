"""Every operation of the API, declared once: method, path, price rule, cache life, paging,
what to check after a lost create, and whether it sends a credential.

One row per operation, in the contract's order (the order error messages list them in).
The resources send by name (``self._op("enrich_email", json=...)``), the price table, the
response cache, the ledger, the result classes, the create reconciliation and the
sandbox's router all read these rows, and a test checks every row against the contract
(``contract/endpoints.json``). Adding an operation is one row here, one resource method,
one sandbox handler, one converter if it has a table, and one test case
(docs/architecture.md, "Adding an operation"). This module imports nothing of the toolkit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BY_NAME",
    "OPERATIONS",
    "Operation",
    "cover_every_operation",
    "operation",
    "operations",
]

_DAY = 86_400.0
_WEEK = 7 * _DAY

_BATCH = (
    "do NOT upload the same rows again (every row is billed): the batch may be running; "
    "check client.account.credits() and the dashboard's batch list"
)
_OAUTH_REGISTER = (
    "the app may have been registered (the API cannot list registrations); "
    "registering again leaves an unused client id, which is harmless"
)
_OAUTH_TOKEN = "the code or refresh token may be used up by now: sign in again (ic.login())"


@dataclass(frozen=True)
class Operation:
    """One operation of the API and the client's rules for it."""

    #: the contract's name: what the ledger, the prices and the converters are keyed by
    name: str
    method: str
    #: the path template, ``{name}`` for each path parameter
    path: str
    #: the :class:`~toolkit.credits.Prices` field it is charged by (``per_creator``: per
    #: creator returned; ``batch_row``: per enriched row of the mode); None when free
    price: str | None = None
    #: seconds a cached answer stays fresh; None: never cached (balances, writes, jobs)
    ttl: float | None = None
    #: answered by a :class:`~toolkit.Page` (a page of a longer list)
    paged: bool = False
    #: a create the API does not deduplicate: never re-sent blindly after a lost answer,
    #: and this is what the user should check before trying again
    check: str | None = None
    #: False for the open OAuth endpoints, which take no credential
    auth: bool = True

    @property
    def paid(self) -> bool:
        """Whether a call of it can spend credits (free ones may be retried freely)."""
        return self.price is not None

    @property
    def creates(self) -> bool:
        """A create that must not happen twice (``toolkit._reconcile``)."""
        return self.check is not None


_ROWS: tuple[Operation, ...] = (
    Operation(
        "discovery_search",
        "POST",
        "/public/v1/discovery/",
        price="per_creator",
        ttl=_DAY,
        paged=True,
    ),
    Operation(
        "discovery_similar_creators",
        "POST",
        "/public/v1/discovery/creators/similar/",
        price="per_creator",
        ttl=_DAY,
        paged=True,
    ),
    Operation(
        "audience_overlap",
        "POST",
        "/public/v1/creators/audience/overlap/",
        price="overlap",
        ttl=_DAY,
    ),
    Operation(
        "dictionary_languages", "GET", "/public/v1/discovery/classifier/languages/", ttl=_WEEK
    ),
    Operation(
        "dictionary_locations",
        "GET",
        "/public/v1/discovery/classifier/locations/{platform}/",
        ttl=_WEEK,
    ),
    Operation("dictionary_brands", "GET", "/public/v1/discovery/classifier/brands/", ttl=_WEEK),
    Operation(
        "dictionary_yt_topics", "GET", "/public/v1/discovery/classifier/yt-topics/", ttl=_WEEK
    ),
    Operation("dictionary_games", "GET", "/public/v1/discovery/classifier/games/", ttl=_WEEK),
    Operation(
        "dictionary_audience_brand_categories",
        "GET",
        "/public/v1/discovery/classifier/audience-brand-categories/",
        ttl=_WEEK,
    ),
    Operation(
        "dictionary_audience_brand_names",
        "GET",
        "/public/v1/discovery/classifier/audience-brand-names/",
        ttl=_WEEK,
    ),
    Operation(
        "dictionary_audience_interests",
        "GET",
        "/public/v1/discovery/classifier/audience-interests/",
        ttl=_WEEK,
    ),
    Operation(
        "dictionary_audience_locations",
        "GET",
        "/public/v1/discovery/classifier/audience-locations/",
        ttl=_WEEK,
    ),
    Operation("exclusion_lists_list", "GET", "/public/v1/discovery/exclusion-lists/"),
    Operation(
        "exclusion_lists_create",
        "POST",
        "/public/v1/discovery/exclusion-lists/",
        check="check client.exclusion_lists.list() for the new list",
    ),
    Operation("exclusion_lists_get", "GET", "/public/v1/discovery/exclusion-lists/{list_id}/"),
    Operation("exclusion_lists_rename", "PATCH", "/public/v1/discovery/exclusion-lists/{list_id}/"),
    Operation(
        "exclusion_lists_delete", "DELETE", "/public/v1/discovery/exclusion-lists/{list_id}/"
    ),
    Operation(
        "exclusion_lists_get_default",
        "GET",
        "/public/v1/discovery/exclusion-lists/default/{platform}/",
    ),
    Operation(
        "exclusion_lists_list_entries_get",
        "GET",
        "/public/v1/discovery/exclusion-lists/{list_id}/entries/",
    ),
    Operation(
        "exclusion_lists_list_entries_add",
        "POST",
        "/public/v1/discovery/exclusion-lists/{list_id}/entries/",
    ),
    Operation(
        "exclusion_lists_list_entries_remove",
        "DELETE",
        "/public/v1/discovery/exclusion-lists/{list_id}/entries/",
    ),
    Operation(
        "exclusion_lists_default_entries_get",
        "GET",
        "/public/v1/discovery/exclusion-lists/default/{platform}/entries/",
    ),
    Operation(
        "exclusion_lists_default_entries_add",
        "POST",
        "/public/v1/discovery/exclusion-lists/default/{platform}/entries/",
    ),
    Operation(
        "exclusion_lists_default_entries_remove",
        "DELETE",
        "/public/v1/discovery/exclusion-lists/default/{platform}/entries/",
    ),
    Operation(
        "connected_socials", "POST", "/public/v1/creators/socials/", price="socials", ttl=_DAY
    ),
    Operation(
        "enrich_handle_full",
        "POST",
        "/public/v1/creators/enrich/handle/full/",
        price="enrich_full",
        ttl=_DAY,
    ),
    Operation(
        "enrich_handle_profile",
        "POST",
        "/public/v1/creators/enrich/handle/profile/",
        price="enrich_profile",
        ttl=_DAY,
    ),
    Operation(
        "enrich_handle_analytics",
        "POST",
        "/public/v1/creators/enrich/handle/analytics/",
        price="enrich_analytics",
        ttl=_DAY,
    ),
    Operation(
        "enrich_handle_raw",
        "POST",
        "/public/v1/creators/enrich/handle/raw/",
        price="enrich_raw",
        ttl=_DAY,
    ),
    Operation("enrich_email", "POST", "/public/v1/creators/enrich/email/", price="email", ttl=_DAY),
    Operation(
        "batch_create", "POST", "/public/v1/enrichment/batch/", price="batch_row", check=_BATCH
    ),
    Operation("batch_status", "GET", "/public/v1/enrichment/batch/{batch_id}/status/"),
    Operation("batch_resume", "POST", "/public/v1/enrichment/batch/{batch_id}/resume/"),
    Operation("batch_download", "GET", "/public/v1/enrichment/batch/{batch_id}/download/"),
    Operation("batch_results", "GET", "/public/v1/enrichment/batch/{batch_id}/"),
    Operation(
        "content_posts",
        "POST",
        "/public/v1/creators/content/posts/",
        price="posts_page",
        ttl=_DAY,
        paged=True,
    ),
    Operation(
        "content_details",
        "POST",
        "/public/v1/creators/content/details/",
        price="post_details",
        ttl=_DAY,
    ),
    Operation("account_credits", "GET", "/public/v1/accounts/credits/"),
    Operation("api_keys_list", "GET", "/public/v1/accounts/tokens/"),
    Operation(
        "api_keys_create",
        "POST",
        "/public/v1/accounts/tokens/",
        check="check client.account.api_keys.list() for the new key",
    ),
    Operation("api_keys_update", "PATCH", "/public/v1/accounts/tokens/{token_id}/"),
    Operation("api_keys_delete", "DELETE", "/public/v1/accounts/tokens/{token_id}/"),
    Operation(
        "oauth_register", "POST", "/public/v1/oauth/register/", check=_OAUTH_REGISTER, auth=False
    ),
    Operation("oauth_authorize", "GET", "/public/v1/oauth/authorize/", auth=False),
    Operation("oauth_token", "POST", "/public/v1/oauth/token/", check=_OAUTH_TOKEN, auth=False),
    Operation("oauth_apps_list", "GET", "/public/v1/oauth/apps/"),
    Operation("oauth_apps_delete", "DELETE", "/public/v1/oauth/apps/{app_id}/"),
    Operation("oauth_introspect", "POST", "/public/v1/oauth/introspect/", auth=False),
    Operation(
        "social_listening_subscriptions_list",
        "GET",
        "/public/v1/social/listening/subscription/",
        paged=True,
    ),
    Operation(
        "social_listening_subscriptions_create",
        "POST",
        "/public/v1/social/listening/subscription/",
        check="check client.listening.subscriptions.list() for the new subscription",
    ),
    Operation(
        "social_listening_subscriptions_get",
        "GET",
        "/public/v1/social/listening/subscription/{subscription_id}/",
    ),
    Operation(
        "social_listening_subscriptions_update",
        "PATCH",
        "/public/v1/social/listening/subscription/{subscription_id}/",
    ),
    Operation(
        "social_listening_subscriptions_delete",
        "DELETE",
        "/public/v1/social/listening/subscription/{subscription_id}/",
    ),
    Operation(
        "social_listening_subscription_creators_list",
        "GET",
        "/public/v1/social/listening/subscription/{subscription_id}/creators/",
        paged=True,
    ),
    Operation(
        "social_listening_subscription_creators_add",
        "POST",
        "/public/v1/social/listening/subscription/{subscription_id}/creators/",
    ),
    Operation(
        "social_listening_subscription_details",
        "GET",
        "/public/v1/social/listening/subscription/{subscription_id}/details/",
    ),
    Operation(
        "social_listening_subscription_details_export",
        "GET",
        "/public/v1/social/listening/subscription/{subscription_id}/details/export/",
    ),
    Operation(
        "social_listening_campaigns_list",
        "GET",
        "/public/v1/social/listening/campaign/",
        paged=True,
    ),
    Operation(
        "social_listening_campaigns_create",
        "POST",
        "/public/v1/social/listening/campaign/",
        check="check client.listening.campaigns.list() for the new campaign",
    ),
    Operation(
        "social_listening_campaigns_get",
        "GET",
        "/public/v1/social/listening/campaign/{campaign_id}/",
    ),
    Operation(
        "social_listening_campaigns_update",
        "PATCH",
        "/public/v1/social/listening/campaign/{campaign_id}/",
    ),
    Operation(
        "social_listening_campaigns_archive",
        "DELETE",
        "/public/v1/social/listening/campaign/{campaign_id}/",
    ),
    Operation(
        "social_listening_campaign_creators_list",
        "GET",
        "/public/v1/social/listening/campaign/{campaign_id}/creators/",
        paged=True,
    ),
    Operation(
        "social_listening_campaign_creators_add",
        "POST",
        "/public/v1/social/listening/campaign/{campaign_id}/creators/",
    ),
    Operation(
        "social_listening_campaign_creators_remove",
        "DELETE",
        "/public/v1/social/listening/campaign/{campaign_id}/creators/",
    ),
    Operation(
        "social_listening_campaign_overview",
        "GET",
        "/public/v1/social/listening/campaign/{campaign_id}/overview/",
    ),
    Operation(
        "social_listening_campaign_content",
        "GET",
        "/public/v1/social/listening/campaign/{campaign_id}/content/",
        paged=True,
    ),
    Operation(
        "social_listening_events_list", "GET", "/public/v1/social/listening/events/", paged=True
    ),
    Operation(
        "social_listening_events_get", "GET", "/public/v1/social/listening/events/{event_id}/"
    ),
    Operation("social_listening_usage", "GET", "/public/v1/social/listening/usage/"),
)

#: Every operation, by name, in the contract's order.
BY_NAME: dict[str, Operation] = {op.name: op for op in _ROWS}
#: Every operation name, in the contract's order.
OPERATIONS: tuple[str, ...] = tuple(BY_NAME)


def operation(name: str) -> Operation:
    """The row of ``name``; a name that is no operation raises ``KeyError`` with the closest."""
    try:
        return BY_NAME[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, OPERATIONS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"{name!r} is not an operation of the API{hint}") from None


def operations(*names: str) -> frozenset[str]:
    """``names`` as a set, refused unless each is in :data:`OPERATIONS`: a subset of the
    operations (a test's, a module's) cannot name one that is not.

    >>> sorted(operations("batch_status", "batch_create"))
    ['batch_create', 'batch_status']
    """
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(
            f"not operations of the API (toolkit/_operations.py): {', '.join(unknown)}"
        )
    return frozenset(names)


def cover_every_operation(names: Iterable[str], *, what: str, own: Iterable[str] = ()) -> None:
    """Refuse ``names`` (the keys of ``what``: the converters, the sandbox's routes) unless
    they are every operation of :data:`OPERATIONS` and nothing else but ``own``."""
    have, expected = set(names), set(OPERATIONS) | set(own)
    if have != expected:
        missing, unknown = sorted(expected - have), sorted(have - expected)
        raise RuntimeError(f"{what}: missing {missing}, not operations {unknown}")
