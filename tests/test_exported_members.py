"""The public names of ``toolkit``: every name in ``__all__`` exists, and nothing public is
exported by accident (httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import toolkit


def test_all_names_exist_and_are_sorted_out() -> None:
    for name in toolkit.__all__:
        assert hasattr(toolkit, name), name
    assert len(set(toolkit.__all__)) == len(toolkit.__all__)


def test_public_objects_come_from_toolkit() -> None:
    for name in toolkit.__all__:
        obj = getattr(toolkit, name)
        module = getattr(obj, "__module__", "toolkit") or "toolkit"
        assert module.startswith("toolkit"), (name, module)


def test_the_exception_tree() -> None:
    assert issubclass(toolkit.APIError, toolkit.InfluencersClubError)
    for name in [
        "BadRequestError",
        "AuthenticationError",
        "InsufficientCreditsError",
        "NotFoundError",
        "ValidationError",
        "RateLimitError",
        "ServerError",
    ]:
        assert issubclass(getattr(toolkit, name), toolkit.APIError), name
    assert issubclass(toolkit.OutcomeUnknownError, toolkit.APIConnectionError)
    assert issubclass(toolkit.APITimeoutError, toolkit.APIConnectionError)
    assert issubclass(toolkit.FilterError, ValueError)


def test_the_core_names_are_public() -> None:
    expected = {
        "Client",
        "AsyncClient",
        "connect",
        "Result",
        "ClientConfig",
        "NOT_GIVEN",
        "__version__",
    }
    assert expected <= set(toolkit.__all__)


def test_types_a_user_meets_are_exported() -> None:
    """What ``client.budget``, a cache warning and ``ic.login()`` hand back is reachable
    without a private module (annotations, ``except``, ``isinstance``)."""
    from toolkit._budget import Budget
    from toolkit._exceptions import CacheWarning
    from toolkit._login import OAuthSession, SessionClient

    exported = {name: getattr(toolkit, name) for name in toolkit.__all__}
    assert exported["Budget"] is Budget
    assert exported["CacheWarning"] is CacheWarning
    assert exported["OAuthSession"] is OAuthSession
    assert exported["SessionClient"] is SessionClient
    assert issubclass(toolkit.SessionClient, toolkit.Client)
