"""Influencers Club toolkit: typed clients, an offline sandbox, tidy DataFrames, charts.

>>> import toolkit as ic
>>> client = ic.connect()        # doctest: +SKIP

The subpackages ``ic.frames``, ``ic.charts``, ``ic.jobs``, ``ic.sandbox`` and ``ic.store``
are attributes from the first touch, imported only then (``import toolkit`` loads neither
plotly nor the sandbox).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from toolkit._budget import Budget
from toolkit._client import AsyncClient, Client
from toolkit._config import NOT_GIVEN, ClientConfig, NotGiven
from toolkit._connect import connect
from toolkit._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ArgumentError,
    ArgumentTypeError,
    AuthenticationError,
    BadRequestError,
    BadRequestValidationError,
    BudgetExceededError,
    ConfigurationError,
    CostNotConfirmedError,
    InfluencersClubError,
    InsufficientCreditsError,
    LoginError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    PollTimeoutError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from toolkit._lifecycle import CacheWarning, WaitingWarning
from toolkit._login import OAuthSession, SessionClient, login, logout
from toolkit._ratelimit import RateLimiter
from toolkit._results import Page, Result
from toolkit._version import __version__
from toolkit.cache import CacheMissError
from toolkit.credits import Ledger, Prices, estimate
from toolkit.filters import FilterError
from toolkit.store import StoreError

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ArgumentError",
    "ArgumentTypeError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BadRequestValidationError",
    "Budget",
    "BudgetExceededError",
    "CacheMissError",
    "CacheWarning",
    "Client",
    "ClientConfig",
    "ConfigurationError",
    "CostNotConfirmedError",
    "FilterError",
    "InfluencersClubError",
    "InsufficientCreditsError",
    "Ledger",
    "LoginError",
    "MalformedResponseError",
    "NotFoundError",
    "NotGiven",
    "OAuthSession",
    "OutcomeUnknownError",
    "Page",
    "PollTimeoutError",
    "Prices",
    "RateLimitError",
    "RateLimiter",
    "Result",
    "ServerError",
    "SessionClient",
    "StoreError",
    "ValidationError",
    "WaitingWarning",
    "__version__",
    "connect",
    "estimate",
    "login",
    "logout",
]

if TYPE_CHECKING:  # what __getattr__ below imports on first touch, for the type checker
    from toolkit import cache as cache
    from toolkit import charts as charts
    from toolkit import credits as credits
    from toolkit import filters as filters
    from toolkit import frames as frames
    from toolkit import jobs as jobs
    from toolkit import planning as planning
    from toolkit import sandbox as sandbox
    from toolkit import store as store

#: The public subpackages: attributes of ``toolkit`` whatever was imported before.
_SUBMODULES = (
    "cache",
    "charts",
    "credits",
    "filters",
    "frames",
    "jobs",
    "planning",
    "sandbox",
    "store",
)


def __getattr__(name: str) -> Any:
    """``ic.frames``, ``ic.charts``... imported on first touch, so ``import toolkit`` stays
    light and an attribute never depends on what ran before."""
    if name in _SUBMODULES:
        return importlib.import_module(f"toolkit.{name}")
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names and subpackages, the same whatever was imported before."""
    return sorted({*__all__, *_SUBMODULES})
