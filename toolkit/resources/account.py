"""The account: credit balance and API keys. Free."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import Any

from toolkit._checks import check_id, check_name
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._reconcile import Match
from toolkit._results import Result
from toolkit.resources._base import R, Resource, jsonable

__all__ = ["Account", "ApiKeys", "AsyncAccount", "AsyncApiKeys"]


class _ApiKeysBase(Resource[R]):
    def list(self) -> R:
        """GET /public/v1/accounts/tokens/ — every key of the account, inactive ones too."""
        return self._op("api_keys_list")

    def create(
        self,
        name: str,
        *,
        expires_at: datetime | str | NotGiven | None = NOT_GIVEN,
        scopes: Sequence[str] | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/accounts/tokens/ — a new key; the answer holds the full ``token``.

        Like every key in an answer it shows masked (``sk_…6cc5``) when displayed;
        ``str(result.data["token"])`` is the key itself, to copy once.
        """
        name = check_name(name, "api_keys_create")
        body: dict[str, Any] = {"name": name, "expires_at": jsonable(expires_at), "scopes": scopes}
        if not isinstance(scopes, NotGiven):
            body["scopes"] = list(scopes)
        match = Match(
            list_call=lambda _page: self._call("api_keys_list"),
            fields={"name": name, "active": True},
        )
        return self._create("api_keys_create", json=body, match=match)

    def update(
        self,
        token_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        active: bool | NotGiven = NOT_GIVEN,
        expires_at: datetime | str | NotGiven | None = NOT_GIVEN,
        scopes: Sequence[str] | NotGiven = NOT_GIVEN,
    ) -> R:
        """PATCH /public/v1/accounts/tokens/{token_id}/ — rename, (de)activate, re-date a key.

        ``expires_at=None`` is sent as null (never expires); leaving it out keeps it as is.
        """
        token_id = check_id(token_id, "token_id", operation="api_keys_update")
        body: dict[str, Any] = {
            "name": name,
            "active": active,
            "expires_at": jsonable(expires_at),
            "scopes": scopes if isinstance(scopes, NotGiven) else list(scopes),
        }
        return self._op("api_keys_update", path_params={"token_id": token_id}, json=body)

    def rename(self, token_id: int, name: str) -> R:
        """PATCH .../tokens/{token_id}/ — give a key a new name (it keeps working)."""
        return self.update(token_id, name=name)

    def deactivate(self, token_id: int) -> R:
        """PATCH .../tokens/{token_id}/ — switch a key off (401 from then on); reversible."""
        return self.update(token_id, active=False)

    def activate(self, token_id: int) -> R:
        """PATCH .../tokens/{token_id}/ — switch a deactivated key back on."""
        return self.update(token_id, active=True)

    def expire(self, token_id: int, at: datetime | str | None = None) -> R:
        """PATCH .../tokens/{token_id}/ — let a key stop working ``at`` (default: now, UTC)."""
        return self.update(token_id, expires_at=at if at is not None else datetime.now(UTC))

    def delete(self, token_id: int) -> R:
        """DELETE /public/v1/accounts/tokens/{token_id}/ — revoke a key for good."""
        token_id = check_id(token_id, "token_id", operation="api_keys_delete")
        return self._op("api_keys_delete", path_params={"token_id": token_id})


class ApiKeys(_ApiKeysBase[Result]):
    """API keys for the sync client."""


class AsyncApiKeys(_ApiKeysBase[Awaitable[Result]]):
    """API keys for the async client (methods are awaitable)."""


class _AccountBase(Resource[R]):
    def credits(self) -> R:
        """GET /public/v1/accounts/credits/ — ``credits_available`` and ``credits_used``.

        The guide spells the path ``/account/credits``; every client uses ``accounts``.
        """
        return self._op("account_credits")


class Account(_AccountBase[Result]):
    """Account for the sync client; ``api_keys`` manages keys."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.api_keys = ApiKeys(client)


class AsyncAccount(_AccountBase[Awaitable[Result]]):
    """Account for the async client; ``api_keys`` manages keys."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.api_keys = AsyncApiKeys(client)
