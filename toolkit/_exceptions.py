"""The toolkit's exceptions: one tree, a class per way a call can fail.

::

    InfluencersClubError                 everything the toolkit raises on purpose
    ├── ArgumentError (ValueError)       a bad argument, refused before sending
    │   ├── ArgumentTypeError (TypeError)  an argument of the wrong type or combination
    │   └── FilterError                  a discovery filter the API would ignore or refuse
    ├── ConfigurationError               no credential, bad setting (nothing was sent)
    ├── BudgetExceededError              the call's worst case would pass the budget (not sent)
    ├── APIError                         the API answered with an error status
    │   ├── BadRequestError              400
    │   │   └── BadRequestValidationError  400 with DRF field errors (also a ValidationError)
    │   ├── AuthenticationError          401, 403
    │   ├── InsufficientCreditsError     402
    │   ├── NotFoundError                404
    │   ├── ValidationError              422 (and, via the class above, 400 with field errors)
    │   ├── RateLimitError               429 (``retry_after`` seconds when the API said)
    │   └── ServerError                  5xx
    ├── LoginError                       the OAuth sign-in did not complete
    ├── PollTimeoutError (TimeoutError)  waiting for a batch ran past its timeout
    ├── MalformedResponseError           2xx whose body is not the JSON it should be
    ├── StoreError                       the store (cache, journal, job registry) failed
    └── APIConnectionError               no usable answer arrived
        ├── APITimeoutError              the request timed out
        └── OutcomeUnknownError          a PAID request was sent but its answer was lost
                                         (timeout or dropped connection): credits may have
                                         been charged, so it is never retried silently

``FilterError`` lives in ``toolkit.filters`` and ``StoreError`` in ``toolkit.store``; both
are re-exported by ``toolkit``. Argument
errors subclass ``ValueError``/``TypeError`` too, so ``except ValueError`` keeps working.

Every error carries ``operation`` (its name in docs/api.md), ``method``, ``path`` and
``status`` (``None`` where they do not apply, e.g. nothing was sent), and chains the lower
error it stands for (``raise ... from``) as ``__cause__``. Messages start with the
operation (``"enrich_handle_full: 402 Insufficient credits ..."``) and never hold the
credential: in any text the server echoes, the client masks every run of 8 or more
characters of its own credential and any ``Bearer``/``Authorization`` value.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from toolkit._facts import ENV_API_KEY

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ArgumentError",
    "ArgumentTypeError",
    "AuthenticationError",
    "BadRequestError",
    "BadRequestValidationError",
    "BudgetExceededError",
    "ConfigurationError",
    "CostNotConfirmedError",
    "InfluencersClubError",
    "InsufficientCreditsError",
    "LoginError",
    "MalformedResponseError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PollTimeoutError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
    "caller_stacklevel",
    "finish_error",
    "mask_credentials",
    "scrub",
]

MAY_HAVE_BEEN_CHARGED = "credits may have been charged"
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_stacklevel() -> int:
    """The ``stacklevel`` (for the function calling this) of the innermost frame outside
    this package, so a warning names the analyst's line however deep it is raised."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


class InfluencersClubError(Exception):
    """Base of every error the toolkit raises on purpose.

    ``operation``, ``method``, ``path`` and ``status`` say which call failed and how; the
    client fills in the request line when it knows it (:meth:`at`).
    """

    operation: str | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    #: what a helper of many calls had built when this error stopped it (toolkit.planning)
    partial: object = None

    def at(self, method: str, path: str, operation: str | None = None) -> Self:
        """Record the request line this error belongs to (keeps what is already set)."""
        self.method = self.method or method
        self.path = self.path or path
        self.operation = self.operation or operation
        return self


class ArgumentError(InfluencersClubError, ValueError):
    """A bad argument, refused before anything was sent; the message says what to fix.

    >>> err = ArgumentError("limit must be 1-50, got 0", operation="discovery_search",
    ...                     argument="limit")
    >>> isinstance(err, ValueError), err.argument
    (True, 'limit')
    """

    def __init__(
        self, message: str, *, operation: str | None = None, argument: str | None = None
    ) -> None:
        self.operation = operation
        self.argument = argument
        super().__init__(f"{operation}: {message}" if operation else message)


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong type, or a combination of arguments that does not go."""


class ConfigurationError(InfluencersClubError):
    """The client cannot be built as asked (e.g. no credential); nothing was sent."""


class BudgetExceededError(InfluencersClubError):
    """The call's worst-case cost would exceed what is left of the client's budget."""

    def __init__(self, operation: str, estimate: float, remaining: float) -> None:
        self.operation = operation
        self.estimate = estimate
        self.remaining = remaining
        super().__init__(
            f"{operation}: worst case {estimate:g} credits but only {remaining:g} left of "
            "the budget; nothing was sent (raise the budget or ask for fewer results)"
        )


class CostNotConfirmedError(InfluencersClubError):
    """A call of many requests would spend more than the caller agreed to; nothing was sent."""

    def __init__(
        self,
        what: str,
        estimate: float,
        budget_left: float | None,
        hint: str = "Pass confirm=True to spend it (see docs/charts.md, 'Paid helpers').",
    ) -> None:
        self.estimate = estimate
        have = (
            "the client has no budget"
            if budget_left is None
            else f"the client's budget has {budget_left:g} left"
        )
        super().__init__(
            f"{what} would cost up to {estimate:g} credits and {have}; nothing was sent. {hint}"
        )


class APIError(InfluencersClubError):
    """The API answered with an error status.

    Attributes: ``status``, ``operation`` (its name in docs/api.md), ``body`` (parsed JSON or
    text), ``request_id`` (when the API sent one), ``field_errors`` (``{"filters.
    engagement_percent": ["A valid number is required."]}``, empty when none),
    ``detail`` (the human message found in the body).
    """

    def __init__(
        self,
        operation: str,
        status: int,
        *,
        body: Any = None,
        detail: str = "",
        field_errors: dict[str, list[str]] | None = None,
        request_id: str | None = None,
    ) -> None:
        self.operation = operation
        self.status = status
        self.body = body
        self.detail = detail
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})
        self.request_id = request_id
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.operation}: {self.status}"
        if self.detail:
            text += f" {self.detail}"
        if self.field_errors:
            fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.field_errors.items())
            text += f" [{fields}]"
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class BadRequestError(APIError):
    """400: the API refused the request as sent."""


class ValidationError(APIError):
    """422, or a 400 whose body names fields: see ``field_errors``."""


class BadRequestValidationError(BadRequestError, ValidationError):
    """400 with DRF field errors: caught by ``BadRequestError`` and ``ValidationError``."""


class AuthenticationError(APIError):
    """401/403: missing, wrong, expired or deactivated credential."""

    def _message(self) -> str:
        if self.status == 401:
            hint = (
                "the API did not accept the credential: check the key the client uses "
                f"(api_key=, or {ENV_API_KEY} in the environment) against the dashboard's "
                "API keys; a deactivated key, or an OAuth sign-in that has expired "
                "(ic.login() again), answers the same"
            )
        else:
            hint = "the credential is valid but not allowed this operation (plan or scope)"
        return f"{super()._message()}. {hint}"


class InsufficientCreditsError(APIError):
    """402: the account (or trial) has too few credits for this call."""


class NotFoundError(APIError):
    """404: unknown id, handle or list, or not yours."""


class RateLimitError(APIError):
    """429 after the retries ran out; ``retry_after`` is the API's hint in seconds.

    ``retry_at`` is when (UTC) the API said to come back; the message says it too, so a
    ``Retry-After`` longer than the client will wait ends with a time to try again.
    """

    def __init__(self, *args: Any, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        self.retry_at = (
            datetime.now(UTC) + timedelta(seconds=retry_after) if retry_after is not None else None
        )
        super().__init__(*args, **kw)

    def _message(self) -> str:
        text = super()._message()
        if self.retry_at is not None:
            text += (
                f"; the API asks to wait {self.retry_after:g} s: try again after "
                f"{self.retry_at:%H:%M:%S} UTC"
            )
        return text


class ServerError(APIError):
    """5xx after the retries ran out (nothing is charged for an error answer)."""


class LoginError(InfluencersClubError):
    """The OAuth login did not complete (denied, wrong state, timed out); nothing stored."""


class PollTimeoutError(InfluencersClubError, TimeoutError):
    """Waiting for a long job (a batch) ran past the caller's ``timeout``; polling is free."""


class MalformedResponseError(InfluencersClubError):
    """A success status whose body could not be read as the JSON the operation returns.

    ``credits_may_have_been_charged`` is true for paid operations: the API charges when it
    returns data, so the toolkit does not silently pay again. ``reason`` says what was wrong
    (default: not valid JSON); ``retry`` is false when asking again would only repeat it.
    """

    def __init__(
        self,
        operation: str,
        status: int,
        *,
        paid: bool,
        snippet: str = "",
        reason: str = "response body is not valid JSON",
        retry: bool = True,
    ) -> None:
        self.operation = operation
        self.status = status
        self.credits_may_have_been_charged = paid
        self.snippet = snippet
        self.retry = retry
        text = f"{operation}: {status} {reason}"
        if snippet:
            text += f" (starts {snippet!r})"
        if paid:
            text += f"; {MAY_HAVE_BEEN_CHARGED}, so it was not retried"
        super().__init__(text)


class APIConnectionError(InfluencersClubError):
    """No usable answer arrived (connection refused, reset, DNS ...)."""

    credits_may_have_been_charged = False

    def __init__(self, operation: str, message: str) -> None:
        self.operation = operation
        super().__init__(f"{operation}: {message}")


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class OutcomeUnknownError(APIConnectionError):
    """A request reached the API but its answer was lost: it may have taken effect.

    For a paid call, credits may have been charged; for a create, the object may exist.
    Never retried, so a lost answer is never paid or created twice; ``check`` says what to
    look at before asking again (default: the balance and the ledger).
    """

    credits_may_have_been_charged = True

    def __init__(
        self, operation: str, reason: str, *, paid: bool = True, check: str | None = None
    ) -> None:
        self.credits_may_have_been_charged = paid
        effect = MAY_HAVE_BEEN_CHARGED if paid else "it may have taken effect on the server"
        self.check = check or "check client.account.credits() and client.ledger"
        super().__init__(
            operation,
            f"{reason} after the request was sent; {effect}. "
            f"It was not retried automatically: {self.check} before asking again.",
        )


#: The shortest run of a credential's characters that is masked wherever it appears.
CREDENTIAL_RUN = 8
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[^\s\"'<>,;&]+")
_AUTHORIZATION = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?!bearer\s)[^\s\"'<>,;&]+")


def mask_credentials(text: str, secret: str | None = None) -> str:
    """``text`` with credentials replaced by ``***``: any run of ``CREDENTIAL_RUN`` or more
    characters of ``secret`` (a page that echoes part of the key), and the value after
    ``Bearer`` or ``Authorization:`` whatever its length (another credential's, too).

    >>> mask_credentials("key sk_live_0123456789 cut: 0123456789ab", "sk_live_0123456789abcdef")
    'key *** cut: ***'
    >>> mask_credentials("<td>Authorization: Bearer abc</td>")
    '<td>Authorization: Bearer ***</td>'
    """
    if secret:
        text = _mask_runs(text, secret)
    text = _BEARER.sub(r"\1\2***", text)
    return _AUTHORIZATION.sub(r"\1***", text)


def _mask_runs(text: str, secret: str) -> str:
    run = min(CREDENTIAL_RUN, len(secret))
    spans: list[tuple[int, int]] = []
    for i in range(len(secret) - run + 1):  # every piece of the key: a C-speed find each
        piece = secret[i : i + run]
        at = text.find(piece)
        while at != -1:
            spans.append((at, at + run))
            at = text.find(piece, at + 1)
    if not spans:
        return text
    spans.sort()
    out, last = [], 0
    start, end = spans[0]
    for s, e in spans[1:]:
        if s <= end:  # overlapping pieces: one longer run
            end = max(end, e)
            continue
        out += [text[last:start], "***"]
        last, (start, end) = end, (s, e)
    out += [text[last:start], "***", text[end:]]
    return "".join(out)


def scrub(value: Any, secret: str | None) -> Any:
    """``value`` with every credential masked (:func:`mask_credentials`; strings, nested
    lists and dicts, an ``Authorization`` entry whole): a server that echoes the request
    must not put the key, or any part of it, in an error."""
    try:
        return _scrub(value, secret)
    except RecursionError:  # a body nested deeper than Python recurses: not worth showing
        return "<nested too deeply to show>"


def _scrub(value: Any, secret: str | None) -> Any:
    if isinstance(value, str):
        return mask_credentials(value, secret)
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v, secret) for v in value)
    if isinstance(value, dict):
        return {
            _scrub(k, secret): (
                "***"
                if isinstance(k, str) and k.lower() == "authorization" and v
                else _scrub(v, secret)
            )
            for k, v in value.items()
        }
    return value


def finish_error(
    err: InfluencersClubError, method: str, path: str, *, secret: str | None = None
) -> InfluencersClubError:
    """Record the request line on ``err`` and scrub the client's own credential from it."""
    err.at(method, path)
    err.args = scrub(err.args, secret)
    for name in ("detail", "body", "snippet", "field_errors"):
        if name in vars(err):
            setattr(err, name, scrub(getattr(err, name), secret))
    return err


class CacheWarning(UserWarning):
    """The response cache's store failed; the call went on without it."""


class WaitingWarning(CacheWarning):
    """A call waits for the answer another process is paying for (it is not paid twice)."""
