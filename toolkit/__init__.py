"""Influencers Club toolkit: typed clients, an offline sandbox, tidy DataFrames, charts.

>>> import toolkit as ic
>>> client = ic.connect()        # doctest: +SKIP
"""

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
from toolkit._login import login, logout
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
    "BudgetExceededError",
    "CacheMissError",
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
    "OutcomeUnknownError",
    "Page",
    "PollTimeoutError",
    "Prices",
    "RateLimitError",
    "RateLimiter",
    "Result",
    "ServerError",
    "StoreError",
    "ValidationError",
    "__version__",
    "connect",
    "estimate",
    "login",
    "logout",
]
