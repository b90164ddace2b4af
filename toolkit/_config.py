"""Client settings (a frozen dataclass), the NOT_GIVEN sentinel and credential resolution."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from toolkit._exceptions import ConfigurationError
from toolkit._facts import ENV_API_KEY as _ENV_API_KEY
from toolkit._facts import SANDBOX_KEY_PREFIX, SECRET_FIELDS
from toolkit._operations import OPERATIONS as _OPERATIONS

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "NOT_GIVEN",
    "SANDBOX_BASE_URL",
    "ClientConfig",
    "NotGiven",
    "Secret",
    "credential_fingerprint",
    "is_loopback_url",
    "is_served_sandbox",
    "mask_secret",
    "resolve_base_url",
    "resolve_credential",
]

#: the single production server.
DEFAULT_BASE_URL: Final = "https://api-dashboard.influencers.club"
#: What ``connect()`` points the client at when it runs on the in-process sandbox. The
#: ``.invalid`` TLD (RFC 2606) can never resolve, so nothing leaks to the network.
SANDBOX_BASE_URL: Final = "https://sandbox.influencers.club.invalid"
ENV_API_KEY: Final = _ENV_API_KEY
ENV_BASE_URL: Final = "INFLUENCERS_CLUB_BASE_URL"


class NotGiven:
    """Marks an argument the caller did not pass, so ``None`` can still be sent as null.

    >>> NOT_GIVEN
    NOT_GIVEN
    >>> bool(NOT_GIVEN)
    False
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


@dataclass(frozen=True)
class ClientConfig:
    """Everything about how the client talks to the API, fixed for the client's life.

    Parameters
    ----------
    timeout: the deadline of a call, in seconds: connecting, sending and reading the whole
        answer, all its attempts together (the client's own waits between attempts, for the
        rate limiter, a backoff or ``Retry-After``, are not counted); enrichment of big
        creators can be slow. An answer still arriving at the deadline is cut off:
        ``APITimeoutError``, or ``OutcomeUnknownError`` on a paid call.
    connect_timeout: seconds to open a connection (within ``timeout``).
    max_response_bytes: the largest answer read, decoded (a gzip bomb stops here too);
        far above the largest real answer. Past it: ``MalformedResponseError``, or
        ``OutcomeUnknownError`` on a paid call.
    max_download_bytes: the same for a batch job's results (``batch.results``), which
        hold up to 10,000 full enrichments.
    max_retries: extra attempts after the first on 429, 5xx and connection errors.
    backoff_base, backoff_max: exponential backoff ``base * 2**n`` capped at ``max`` (jittered).
    max_retry_after: the longest ``Retry-After`` the client will honour, seconds.
    rate_limit_per_minute: client-side sliding window per credential.
    page_base: the first discovery page. The FAQ says 1, the newest vendor code
        (official MCP) sends 0. We choose **0**; set 1 if the API turns out 1-based.
    rate_limit_notice_after: waits longer than this (seconds) are announced.
    check_filter_values: look up dictionary-backed filter values (locations, languages,
        brands, topics, games ...) in their free dictionaries before a discovery call, and
        refuse unknown ones with a suggestion: the API matches nothing and still charges.
    confirm_over: a discovery crawl (``search_all``, ``iter_pages`` and their similar
        twins) that could cost more than this many credits is refused unless called with
        ``confirm=True`` or under a budget that covers it; an unbounded crawl can cost 100
        (10,000 creators). ``None`` turns the check off.
    listening_credits_per_creator_day: the price of listening, to project what a
        subscription or campaign create will cost (docs/api.md, "Recurring costs"). The API
        documents no rate, so this setting (credits per creator and day) is used when given;
        ``None`` reads it from the account's subscriptions (the highest ``daily_cost`` /
        ``creators_count``), and on the sandbox takes the sandbox's rate.
    """

    timeout: float = 60.0
    connect_timeout: float = 10.0
    max_response_bytes: int = 64 * 2**20
    max_download_bytes: int = 4 * 2**30
    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0
    rate_limit_per_minute: int = 300
    page_base: int = 0
    rate_limit_notice_after: float = 1.0
    user_agent: str = "influencers-club-toolkit"
    check_filter_values: bool = True
    confirm_over: float | None = 10.0
    listening_credits_per_creator_day: float | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ConfigurationError("max_retries must be >= 0")
        if self.page_base not in (0, 1):
            raise ConfigurationError(
                'page_base must be 0 or 1 (README, "Choices where the API\'s sources disagree")'
            )
        if self.rate_limit_per_minute < 1:
            raise ConfigurationError("rate_limit_per_minute must be >= 1")
        if not (0 < self.timeout < math.inf and 0 < self.connect_timeout < math.inf):
            raise ConfigurationError("timeouts must be positive numbers of seconds")
        if self.max_response_bytes < 1 or self.max_download_bytes < 1:
            raise ConfigurationError("max_response_bytes and max_download_bytes must be >= 1")


#: Invisible characters a copy from a web page or chat brings along; never part of a key.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


class Secret(str):
    """A credential: an ordinary string to send, masked wherever it is shown.

    ``repr`` (and so a notebook's display of a dict or a traceback's locals) gives
    ``mask_secret`` of it; ``str``/f-strings give the value, which only the request uses.

    >>> Secret("sk_fake_0123456789abcdef")
    'sk_…cdef'
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(mask_secret(str(self)))


def _clean(value: str | None, what: str) -> str | None:
    """Strip whitespace, invisible characters, a pasted ``Bearer `` prefix (the official
    MCP strips the prefix too) and the quotes of a ``.env`` line; refuse what HTTP cannot
    send without repeating it.

    A key with a stray newline or a non-ASCII character would make httpx fail with a
    ``UnicodeEncodeError`` whose text holds the whole ``Bearer <key>`` header.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"the {what} must be a string, not {type(value).__name__}")
    value = value.translate(_INVISIBLE).strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()  # KEY="sk_..." copied whole from a .env file
    for position, char in enumerate(value, 1):
        if not "!" <= char <= "~":  # printable ASCII without space: what a token may hold
            kind = (
                "whitespace or a line break"
                if char.isspace()
                else f"the non-ASCII character U+{ord(char):04X}"
                if ord(char) > 127
                else f"the control character U+{ord(char):04X}"
            )
            raise ConfigurationError(
                f"the {what} contains {kind} at position {position} of {len(value)}; "
                "copy it again from the dashboard (the value is not shown here)"
            )
    return value or None


def resolve_credential(
    api_key: str | None, access_token: str | None, env: dict[str, str] | Any = None
) -> str:
    """The bearer credential: ``api_key``, else ``access_token``, else the environment.

    Cleaned and checked (see :func:`_clean`); a :class:`Secret`, so it never shows in a repr.
    """
    env = os.environ if env is None else env
    if api_key is not None and access_token is not None:
        raise ConfigurationError("pass api_key= or access_token=, not both")
    cred = (
        _clean(api_key, "API key")
        or _clean(access_token, "access token")
        or _clean(env.get(ENV_API_KEY), f"API key in {ENV_API_KEY}")
    )
    if not cred:
        raise ConfigurationError(
            f"no credential: pass api_key=, access_token=, or set {ENV_API_KEY} "
            "(or use toolkit.connect(), which falls back to the offline sandbox)"
        )
    return Secret(cred)


def resolve_base_url(base_url: str | None, env: dict[str, str] | Any = None) -> str:
    """``base_url``, else ``INFLUENCERS_CLUB_BASE_URL``, else production; no trailing slash."""
    env = os.environ if env is None else env
    url = (base_url or env.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip()
    return url.rstrip("/")


def is_loopback_url(url: str) -> bool:
    """True when ``url`` names this machine (``localhost``, ``127.0.0.0/8``, ``::1``).

    >>> is_loopback_url("http://127.0.0.1:8765"), is_loopback_url("https://api-dashboard.influencers.club")
    (True, False)
    """
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_served_sandbox(base_url: str, credential: str) -> bool:
    """A sandbox served on loopback (``python -m toolkit.sandbox``, ``Sandbox.serve()``).

    Told by two facts together: a loopback address and a key only the sandbox issues. A
    loopback address alone could be a proxy in front of the real API, so it is not enough.
    """
    return is_loopback_url(base_url) and credential.startswith(SANDBOX_KEY_PREFIX)


#: Operations whose answers carry credentials (API keys' ``token``, OAuth's tokens and
#: client secret): their values are held as :class:`Secret` in ``Result.data``.
CREDENTIAL_OPERATIONS: frozenset[str] = frozenset(
    op for op in _OPERATIONS if op.startswith(("api_keys_", "oauth_"))
)
_CREDENTIAL_FIELDS = SECRET_FIELDS | {"token"}


def shield_credentials(operation: str, data: Any) -> Any:
    """``data`` with every credential value of a credential-bearing answer made a
    :class:`Secret`: displaying ``result.data`` (a dict in a notebook cell, saved with it)
    then shows ``sk_…cdef``, while ``str()`` and the request still use the whole value."""
    if operation not in CREDENTIAL_OPERATIONS:
        return data
    return _shield(data)


def _shield(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: Secret(v) if k in _CREDENTIAL_FIELDS and isinstance(v, str) and v else _shield(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_shield(v) for v in value]
    return value


def mask_secret(secret: str) -> str:
    """A recognisable but useless form of a credential: ``sk_…abcd``.

    >>> mask_secret("sk_fake_0123456789abcdef")
    'sk_…cdef'
    """
    prefix = secret.split("_", 1)[0] + "_" if "_" in secret[:8] else ""
    return f"{prefix}…{secret[-4:]}" if len(secret) >= 12 else "…"


def credential_fingerprint(base_url: str, credential: str) -> str:
    """A stable hash naming a credential on a server (for shared limiters); not reversible."""
    return hashlib.sha256(f"{base_url}\0{credential}".encode()).hexdigest()[:16]
