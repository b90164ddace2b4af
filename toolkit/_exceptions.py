"""The toolkit's exceptions: one tree, a class per way a call can fail.

::

    InfluencersClubError                 everything the toolkit raises on purpose
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
    ├── MalformedResponseError           2xx whose body is not the JSON it should be
    └── APIConnectionError               no usable answer arrived
        ├── APITimeoutError              the request timed out
        └── OutcomeUnknownError          a PAID request was sent but its answer was lost
                                         (timeout or dropped connection): credits may have
                                         been charged, so it is never retried silently

``toolkit.filters.FilterError`` (a ``ValueError``: a discovery filter the API would ignore
or refuse; nothing was sent) is re-exported by ``toolkit`` too.

Every message starts with the operation name of endpoints.json
(``"enrich_handle_full: 402 Insufficient credits ..."``) and never holds the credential:
exceptions only ever see the operation, the status and the response body.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BadRequestValidationError",
    "BudgetExceededError",
    "ConfigurationError",
    "InfluencersClubError",
    "InsufficientCreditsError",
    "MalformedResponseError",
    "NotFoundError",
    "OutcomeUnknownError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
]

MAY_HAVE_BEEN_CHARGED = "credits may have been charged"


class InfluencersClubError(Exception):
    """Base of every error the toolkit raises on purpose."""


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


class APIError(InfluencersClubError):
    """The API answered with an error status.

    Attributes: ``status``, ``operation`` (endpoints.json name), ``body`` (parsed JSON or
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


class InsufficientCreditsError(APIError):
    """402: the account (or trial) has too few credits for this call."""


class NotFoundError(APIError):
    """404: unknown id, handle or list, or not yours."""


class RateLimitError(APIError):
    """429 after the retries ran out; ``retry_after`` is the API's hint in seconds."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kw)


class ServerError(APIError):
    """5xx after the retries ran out (nothing is charged for an error answer, §2)."""


class MalformedResponseError(InfluencersClubError):
    """A success status whose body could not be read as the JSON the operation returns.

    ``credits_may_have_been_charged`` is true for paid operations: the API charges when it
    returns data (REFERENCE.md §2), so the toolkit does not silently pay again.
    """

    def __init__(self, operation: str, status: int, *, paid: bool, snippet: str = "") -> None:
        self.operation = operation
        self.status = status
        self.credits_may_have_been_charged = paid
        self.snippet = snippet
        text = f"{operation}: {status} response body is not valid JSON"
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
    """A paid request reached the API but its answer was lost: it may have been charged.

    Not retried, so a lost answer is never paid twice; check ``client.account.credits()``
    or the ledger before asking again.
    """

    credits_may_have_been_charged = True

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(
            operation,
            f"{reason} after the request was sent; {MAY_HAVE_BEEN_CHARGED}. "
            "It was not retried automatically.",
        )
