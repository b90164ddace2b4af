"""Resources send requests one way: through ``Resource`` (``toolkit/resources/_base.py``).

An endpoint method builds its call with ``self._call``/``self._op`` and it leaves through
``_send``, ``_create`` or ``_pages``; none reaches into the client to send, so the cache,
budget, ledger and create reconciliation apply to every request the same way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit.resources as resources_pkg
from toolkit import Client
from toolkit._config import NOT_GIVEN, SANDBOX_BASE_URL, NotGiven
from toolkit.resources._base import Resource
from toolkit.sandbox import Sandbox

RESOURCES = Path(resources_pkg.__file__).parent
#: what sends, builds or drives requests on a client
_SENDING = {"request", "make_call", "paginate", "run_create"}


def _client_calls(path: Path) -> list[str]:
    """``self._client.<sending>`` (or any ``<x>._client.<sending>``) uses in one module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _SENDING
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "_client"
        ):
            found.append(f"{path.name}:{node.lineno} ._client.{node.attr}")
    return found


def test_only_the_base_reaches_the_client_to_send() -> None:
    modules = [p for p in RESOURCES.glob("*.py") if p.name != "_base.py"]
    assert len(modules) > 8
    offenders = [hit for p in modules for hit in _client_calls(p)]
    assert offenders == []
    assert _client_calls(RESOURCES / "_base.py"), "the base itself must be the one path"


def _delegates(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``fn`` calls ``super().<its own name>(...)``: it adds to the base's path, not a new one."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == fn.name
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        for node in ast.walk(fn)
    )


def test_a_resource_that_overrides_the_path_still_takes_it() -> None:
    """A twin may check something before sending (``_send``), but sends through the base."""
    for path in RESOURCES.glob("*.py"):
        if path.name == "_base.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in {
                "_send",
                "_create",
                "_pages",
                "_paginate",
                "_op",
                "_call",
            }:
                assert _delegates(node), f"{path.name}:{node.lineno} {node.name} bypasses the base"


def test_every_request_of_a_resource_goes_through_send(sb: Sandbox, monkeypatch) -> None:
    """Plain calls, creates and crawls alike pass ``Resource._call`` on the way out."""
    client = Client(
        api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), cache="off"
    )
    built: list[str] = []
    original = Resource._call

    def spy(self, operation, **kw):  # type: ignore[no-untyped-def]
        built.append(operation)
        return original(self, operation, **kw)

    monkeypatch.setattr(Resource, "_call", spy)
    client.account.credits()
    client.exclusion_lists.create("one path", "instagram")
    list(client.listening.subscriptions.iter(page_size=5))
    sent = [entry["operation"] for entry in client.ledger.entries]
    assert sent == built
    assert built == [
        "account_credits",
        "exclusion_lists_create",
        "social_listening_subscriptions_list",
    ]


def test_not_given_stays_a_falsy_singleton() -> None:
    assert NotGiven() is NOT_GIVEN
    assert not NOT_GIVEN
