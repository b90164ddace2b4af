"""toolkit._facts is the one registry of platform lists and limits (the operations are
toolkit._operations, tested in test_operations.py)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from contract import operations_by_name
from toolkit import _facts, _operations, filters

ROOT = Path(__file__).resolve().parents[1]


def test_the_filter_generator_accepts_the_contract_platform_lists() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_filters", ROOT / "scripts" / "gen_filters.py"
    )
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    ops = operations_by_name()
    assert gen.check_platforms(ops) == _facts.DISCOVERY_PLATFORMS
    ops["discovery_similar_creators"]["request_fields"][0]["enum"].append("twitter")
    with pytest.raises(SystemExit, match="discovery_similar_creators"):
        gen.check_platforms(ops)


def test_every_side_reads_the_same_platforms() -> None:
    assert filters.PLATFORMS is _facts.DISCOVERY_PLATFORMS
    assert filters.SIMILAR_PLATFORMS is _facts.SIMILAR_PLATFORMS


def _operation_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals the client code names an operation with: the first argument of a
    call building a request (``_op``, ``_call``, ``_create``, ``make_call``) or ``operation=``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0] if node.args else None
        if name in ("_op", "_call", "_create", "make_call") and isinstance(first, ast.Constant):
            found.append((node.lineno, first.value))
        found.extend(
            (node.lineno, kw.value.value)
            for kw in node.keywords
            if kw.arg == "operation" and isinstance(kw.value, ast.Constant)
        )
    return [(line, value) for line, value in found if isinstance(value, str)]


def test_the_client_sends_only_operations_the_registry_holds() -> None:
    sources = [p for p in (ROOT / "toolkit").rglob("*.py") if "sandbox" not in p.parts]
    named = {
        f"{p.relative_to(ROOT)}:{line}": value
        for p in sources
        for line, value in _operation_literals(ast.parse(p.read_text()))
    }
    assert len(named) > 60  # the resources name every operation they send
    assert {where: op for where, op in named.items() if op not in _operations.OPERATIONS} == {}
