"""toolkit._operations is the one declaration of each operation: its rows match the contract,
every table keyed by operation reads them, and no API path is written anywhere else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from contract import operations
from toolkit import Client, _operations, cache, credits, frames
from toolkit._reconcile import what_to_check
from toolkit._results import PAGED_OPERATIONS
from toolkit.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
ROWS = _operations.BY_NAME
#: the endpoints that take no credential (the contract's notes say "no auth"; introspection
#: authenticates the app with its own client secret)
OPEN = {"oauth_register", "oauth_authorize", "oauth_token", "oauth_introspect"}


def test_the_rows_are_the_contract_in_its_order() -> None:
    contract = operations()
    assert list(ROWS) == [op["name"] for op in contract]
    for op in contract:
        row = ROWS[op["name"]]
        assert (row.method, row.path) == (op["method"], op["path"]), row.name
        charged = op["credits"]["unit"] != "free" and op["credits"]["amount"] != 0
        assert row.paid == charged, row.name
        assert row.auth == (row.name not in OPEN), row.name


def test_each_price_rule_is_a_price_and_matches_the_contract_default() -> None:
    by_name = {op["name"]: op for op in operations()}
    for row in ROWS.values():
        if row.price in (None, "batch_row"):
            continue
        amount = by_name[row.name]["credits"]["amount"]
        assert getattr(credits.PRICES, row.price) == pytest.approx(amount), row.name
    assert credits.PRICES.batch_row("raw") == credits.PRICES.enrich_raw


def test_every_table_keyed_by_operation_reads_the_rows() -> None:
    paid = {n for n, r in ROWS.items() if r.paid}
    assert {n for n in credits.OPERATIONS if credits.request_cost(n, **_args(n)) > 0} == paid
    assert set(credits.PRICES.per_call()) | credits.PER_CREATOR | {"batch_create"} == paid
    assert {n for n, r in ROWS.items() if r.paged} == PAGED_OPERATIONS
    assert dict(cache.DEFAULT_TTLS) == {n: r.ttl for n, r in ROWS.items() if r.ttl is not None}
    # only reads are cached, and every paid read is
    assert all(
        ROWS[n].method in ("GET", "POST") and not ROWS[n].creates for n in cache.DEFAULT_TTLS
    )
    assert {n for n, r in ROWS.items() if r.paid and not r.creates} <= set(cache.DEFAULT_TTLS)
    assert {n for n in ROWS if what_to_check(n)} == {n for n, r in ROWS.items() if r.creates}
    sandbox_routes = {r.name for r in Sandbox(seed=1, creators=50).router.routes}
    assert sandbox_routes - {"sandbox_file"} == set(ROWS)
    assert set(frames.CONVERTERS) - {"ledger"} == set(ROWS)


def _args(name: str) -> dict[str, object]:
    return {"enrichment_mode": "raw", "rows": 1} if name == "batch_create" else {}


def test_a_call_takes_method_path_and_rules_from_its_row() -> None:
    client = Client(api_key="sk_test_rows", base_url="http://127.0.0.1:9", cache="off")
    call = client.make_call("exclusion_lists_create", json={"name": "x", "platform": "tiktok"})
    assert (call.method, call.template, call.idempotent) == (
        "POST",
        "/public/v1/discovery/exclusion-lists/",
        False,
    )
    token = client.make_call("oauth_token", form={"grant_type": "refresh_token"})
    assert (token.auth, token.paid) == (False, False)
    enrich = client.make_call("enrich_handle_full", json={"handle": "a", "platform": "x"})
    assert (enrich.paid, enrich.estimate, enrich.idempotent) == (True, 1.0, True)
    with pytest.raises(KeyError, match="did you mean 'enrich_email'"):
        client.make_call("enrich_emial")


def test_a_subset_cannot_name_an_operation_that_does_not_exist() -> None:
    assert _operations.operations("batch_status") == frozenset({"batch_status"})
    with pytest.raises(ValueError, match="batch_stauts"):
        _operations.operations("batch_status", "batch_stauts")


def test_a_table_keyed_by_operation_must_cover_them_all() -> None:
    every = list(_operations.OPERATIONS)
    _operations.cover_every_operation([*every, "ledger"], what="t", own=["ledger"])
    with pytest.raises(RuntimeError, match=r"missing \['batch_status'\]"):
        _operations.cover_every_operation([n for n in every if n != "batch_status"], what="t")
    with pytest.raises(RuntimeError, match=r"not operations \['ledgr'\]"):
        _operations.cover_every_operation([*every, "ledgr"], what="t", own=["ledger"])


def _path_literals(path: Path) -> list[int]:
    """Lines of string literals holding an API path, docstrings aside."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "/public/v1/" in node.value
        and id(node) not in docstrings
    ]


def test_no_api_path_is_written_outside_the_operation_table() -> None:
    """The issue's bound: path literals in at most two modules under toolkit/ (the table, and
    the sandbox's one example of a curl line); everything else reads the rows."""
    found = {
        str(p.relative_to(ROOT)): lines
        for p in sorted((ROOT / "toolkit").rglob("*.py"))
        if (lines := _path_literals(p))
    }
    assert set(found) <= {"toolkit/_operations.py", "toolkit/sandbox/__main__.py"}, found


def test_the_api_map_says_free_exactly_for_the_free_rows() -> None:
    """docs/api.md's credits column agrees with each row's price rule."""
    text = (ROOT / "docs" / "api.md").read_text()
    rows = re.findall(r"^\|\s*`(\w+)`\s*\|[^|]*\|[^|]*\|\s*([^|]+?)\s*\|", text, re.M)
    said = {name: credits for name, credits in rows if name in ROWS}
    assert set(said) == set(ROWS)
    wrong = {n: c for n, c in said.items() if c.startswith("free") == ROWS[n].paid}
    assert wrong == {}
