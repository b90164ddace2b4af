"""Influencers Club toolkit: typed clients, an offline sandbox, tidy DataFrames, charts.

>>> import toolkit as ic
>>> client = ic.connect()        # doctest: +SKIP

``import toolkit`` loads only the exceptions and the version: every other public name
(``ic.connect``, ``ic.Client``, ``ic.Ledger`` ...) and the subpackages ``ic.frames``,
``ic.charts``, ``ic.jobs``, ``ic.sandbox`` and ``ic.store`` are imported on first touch, so a
script or a kernel that imports the toolkit pays for httpx, the filters or plotly only when
it uses them (``benchmarks/import_bench.py`` measures it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    CacheWarning,
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
    WaitingWarning,
)
from toolkit._version import __version__

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
    from toolkit._budget import Budget
    from toolkit._client import AsyncClient, Client
    from toolkit._config import NOT_GIVEN, ClientConfig, NotGiven
    from toolkit._connect import connect
    from toolkit._login import OAuthSession, SessionClient, login, logout
    from toolkit._ratelimit import RateLimiter
    from toolkit._results import Page, Result
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

#: The public names imported on first touch, by the module that defines them (the
#: TYPE_CHECKING imports above say the same for the type checker; a test keeps them equal).
_LAZY_NAMES = {
    "AsyncClient": "toolkit._client",
    "Budget": "toolkit._budget",
    "CacheMissError": "toolkit.cache",
    "Client": "toolkit._client",
    "ClientConfig": "toolkit._config",
    "FilterError": "toolkit.filters",
    "Ledger": "toolkit.credits",
    "NOT_GIVEN": "toolkit._config",
    "NotGiven": "toolkit._config",
    "OAuthSession": "toolkit._login",
    "Page": "toolkit._results",
    "Prices": "toolkit.credits",
    "RateLimiter": "toolkit._ratelimit",
    "Result": "toolkit._results",
    "SessionClient": "toolkit._login",
    "StoreError": "toolkit.store",
    "connect": "toolkit._connect",
    "estimate": "toolkit.credits",
    "login": "toolkit._login",
    "logout": "toolkit._login",
}

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


if not TYPE_CHECKING:  # hidden from the type checker, which reads the imports above: a
    # misspelt ``ic.Clinet`` is then an error there instead of ``Any``

    def __getattr__(name: str) -> Any:
        """``ic.Client``, ``ic.connect``, ``ic.frames``... imported on first touch, so
        ``import toolkit`` stays light and an attribute never depends on what ran before."""
        if name in _LAZY_NAMES:
            value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
            globals()[name] = value  # looked up once; later reads skip this function
            return value
        if name in _SUBMODULES:
            return importlib.import_module(f"toolkit.{name}")
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names and subpackages, the same whatever was imported before."""
    return sorted({*__all__, *_SUBMODULES})
