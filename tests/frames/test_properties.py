"""Property tests: responses with fields dropped, added, nulled, retyped and nested lists
emptied never make a converter raise, and every table keeps its declared schema."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import polars as pl
from frames_helpers import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_samples import CASES

from contract import sample
from toolkit import frames

# Base bodies: contract-shaped examples of all operations, plus the real captures
# (contract/samples) for the operations they cover.
BASES: list[tuple[str, Any, dict | None]] = [(op, b, p) for op, (b, p) in EXAMPLES.items()]
for name, (op, params) in CASES.items():
    # the big complete enrichments are slow to mutate many times; the truncated ones
    # cover the same shapes
    if name not in ("enrich-full-instagram-1.json", "enrich-full-tiktok-1.json"):
        BASES.append((op, sample(name), params))

WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.just("… 2 more item(s) truncated"),
    st.just("1508.0"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every location in a JSON tree (dict keys and list indexes)."""
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            out.extend(_paths(v, (*path, i)))
    return out


def _get(node: Any, path: tuple) -> Any:
    for p in path:
        node = node[p]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any, dict | None]:
    op, base, params = draw(st.sampled_from(BASES))
    body = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        paths = _paths(body)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["drop", "add", "null", "retype", "empty"]))
        if not path:
            if action in ("null", "retype"):
                body = None if action == "null" else draw(WEIRD)
            continue
        parent, last = _get(body, path[:-1]), path[-1]
        if action == "drop":
            if isinstance(parent, dict):
                parent.pop(last, None)
            elif isinstance(parent, list) and last < len(parent):
                parent.pop(last)
        elif action == "add":
            target = _get(body, path)
            if isinstance(target, dict):
                target[draw(st.text(min_size=1, max_size=8))] = draw(WEIRD)
            elif isinstance(target, list):
                target.append(draw(WEIRD))
        elif action == "null":
            parent[last] = None
        elif action == "retype":
            parent[last] = draw(WEIRD)
        else:  # empty the nearest list
            target = _get(body, path)
            if isinstance(target, list):
                target.clear()
            elif isinstance(target, dict):
                for v in target.values():
                    if isinstance(v, list):
                        v.clear()
    return op, body, params


def _check(result: pl.DataFrame | frames.Tables, op: str) -> None:
    parts = dict(result) if isinstance(result, frames.Tables) else {"": result}
    for name, df in parts.items():
        assert isinstance(df, pl.DataFrame)
        assert any(
            list(df.schema.items())[: len(s.columns)] == list(s.columns.items())
            for s in frames.TABLES.values()
        ), f"{op}:{name} lost its declared schema: {df.schema}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_converters_never_raise_and_keep_schema(case: tuple[str, Any, dict | None]) -> None:
    op, body, params = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frames.SchemaWarning)
        result = frames.convert(op, body, params=params)
    _check(result, op)


@settings(max_examples=100, deadline=None)
@given(mutated())
def test_pandas_follows_any_mutated_frame(case: tuple[str, Any, dict | None]) -> None:
    op, body, params = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frames.SchemaWarning)
        result = frames.convert(op, body, params=params)
    parts = dict(result) if isinstance(result, frames.Tables) else {"": result}
    for df in parts.values():
        pdf = frames.to_pandas(df)
        assert list(pdf.columns) == df.columns and len(pdf) == df.height


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["n", "x", "s", "b", "t", "extra"]), WEIRD), max_size=5
    )
)
def test_build_any_rows(rows: list[dict]) -> None:
    from toolkit.frames._coerce import build
    from toolkit.frames._registry import TableSpec

    spec = TableSpec(
        "test.any",
        "row",
        {
            "n": pl.Int64(),
            "x": pl.Float64(),
            "s": pl.String(),
            "b": pl.Boolean(),
            "t": pl.Datetime("us", "UTC"),
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frames.SchemaWarning)
        df = build(spec, rows)
    assert list(df.schema.items())[:5] == list(spec.columns.items())
    assert df.height == len(rows)
