"""One module per API area, each a pair of twins for the sync and async clients."""

from toolkit.resources.account import Account, ApiKeys, AsyncAccount, AsyncApiKeys
from toolkit.resources.batch import AsyncBatch, Batch
from toolkit.resources.creators import AsyncCreators, Creators
from toolkit.resources.dictionary import AsyncDictionary, Dictionary
from toolkit.resources.discovery import AsyncDiscovery, Discovery
from toolkit.resources.exclusion_lists import AsyncExclusionLists, ExclusionLists
from toolkit.resources.listening import (
    AsyncCampaigns,
    AsyncEvents,
    AsyncListening,
    AsyncSubscriptions,
    Campaigns,
    Events,
    Listening,
    Subscriptions,
)
from toolkit.resources.oauth import PKCE, AsyncOAuth, OAuth, pkce

__all__ = [
    "PKCE",
    "Account",
    "ApiKeys",
    "AsyncAccount",
    "AsyncApiKeys",
    "AsyncBatch",
    "AsyncCampaigns",
    "AsyncCreators",
    "AsyncDictionary",
    "AsyncDiscovery",
    "AsyncEvents",
    "AsyncExclusionLists",
    "AsyncListening",
    "AsyncOAuth",
    "AsyncSubscriptions",
    "Batch",
    "Campaigns",
    "Creators",
    "Dictionary",
    "Discovery",
    "Events",
    "ExclusionLists",
    "Listening",
    "OAuth",
    "Subscriptions",
    "pkce",
]
