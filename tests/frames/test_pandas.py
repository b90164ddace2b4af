"""pandas frames are derived from the polars ones through Arrow and hold the same values."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import polars as pl
import pytest
from frames_helpers import EXAMPLES
from test_samples import CASES

from toolkit import frames


def _parts(result: pl.DataFrame | frames.Tables) -> dict[str, pl.DataFrame]:
    return dict(result) if isinstance(result, frames.Tables) else {"": result}


def _same(a: object, b: object) -> bool:
    """Element equality treating every missing marker (None, NA, NaN, NaT) alike."""
    missing_a = a is None or (not isinstance(a, list | tuple) and bool(pd.isna(a)))
    missing_b = b is None or (not isinstance(b, list | tuple) and bool(pd.isna(b)))
    if missing_a or missing_b:
        return missing_a and missing_b
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def _assert_same_values(df: pl.DataFrame, pdf: pd.DataFrame) -> None:
    assert list(pdf.columns) == df.columns
    assert len(pdf) == df.height
    for col in df.columns:
        left = df[col].to_list()
        right = pdf[col].tolist()
        if isinstance(df.schema[col], pl.List):
            right = [None if v is None or v is pd.NA else list(v) for v in right]
        if isinstance(df.schema[col], pl.Datetime):
            right = [None if pd.isna(v) else v.to_pydatetime() for v in right]
        assert all(_same(a, b) for a, b in zip(left, right, strict=True)), col


def _dtype_expectations(df: pl.DataFrame, pdf: pd.DataFrame) -> None:
    for col, dtype in df.schema.items():
        got = pdf[col].dtype
        if dtype == pl.Int64:
            assert got == pd.Int64Dtype(), col
        elif dtype == pl.Boolean:
            assert got == pd.BooleanDtype(), col
        elif dtype == pl.Categorical:
            assert isinstance(got, pd.CategoricalDtype), col
        elif isinstance(dtype, pl.Datetime):
            assert str(got) == "datetime64[us, UTC]", col


@pytest.mark.parametrize("op", sorted(EXAMPLES))
def test_pandas_equals_polars_on_every_operation(op: str) -> None:
    body, params = EXAMPLES[op]
    result = frames.convert(op, body, params=params)
    pdfs = frames.to_pandas(result) if isinstance(result, frames.Tables) else None
    for name, df in _parts(result).items():
        pdf = pdfs[name] if pdfs is not None else frames.to_pandas(df)
        _assert_same_values(df, pdf)
        _dtype_expectations(df, pdf)
        # and back: Arrow round trip gives the same polars frame
        assert pl.from_pandas(pdf).select(df.columns).cast(df.schema).equals(df)


@pytest.mark.parametrize("name", sorted(CASES))
def test_pandas_equals_polars_on_real_samples(name: str) -> None:
    from contract import sample

    op, params = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frames.SchemaWarning)
        result = frames.convert(op, sample(name), params=params)
    for df in _parts(result).values():
        _assert_same_values(df, frames.to_pandas(df))


def test_tables_to_pandas_is_the_same_tables_type() -> None:
    body, params = EXAMPLES["enrich_handle_full"]
    t = frames.convert("enrich_handle_full", body, params=params)
    out = t.to_pandas()
    assert isinstance(out, frames.Tables) and isinstance(frames.to_pandas(t), frames.Tables)
    assert out.names == t.names
    assert all(isinstance(v, pd.DataFrame) for v in out.values())
    assert isinstance(out.creator, pd.DataFrame)
    assert out.creator["username"].tolist() == t.creator["username"].to_list()
    # the same short repr and Jupyter display on both sides, not a dict's wall of text
    assert repr(out) == repr(t) and out._repr_html_() == t._repr_html_()
    assert len(repr(out)) < 40 * len(t)
    with pytest.raises(AttributeError, match="no table"):
        _ = out.nope
    back = out.to_polars()
    assert (
        back.names == t.names
        and back.creator["username"].to_list() == t.creator["username"].to_list()
    )
    assert t.to_polars() is t


def test_empty_frames_keep_pandas_dtypes() -> None:
    pdf = frames.to_pandas(frames.TABLES["discovery.accounts"].empty())
    assert pdf["followers"].dtype == pd.Int64Dtype()
    assert isinstance(pdf["platform"].dtype, pd.CategoricalDtype)


def test_to_pandas_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        frames.to_pandas({"a": 1})  # type: ignore[arg-type]
