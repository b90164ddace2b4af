"""The coercion engine: declared prefix, numbers from strings, wrong type → null + warning,
extras kept, secrets dropped, empty → typed zero-row frame."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta, timezone

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import frames
from toolkit.frames._coerce import _BAD, _to_datetime, build
from toolkit.frames._registry import TableSpec

# Not registered with declare(): the test table must not appear in SCHEMAS or the docs.
SPEC = TableSpec(
    "test.engine",
    "a row of the engine test table",
    {
        "n": pl.Int64,
        "x": pl.Float64,
        "s": pl.String,
        "b": pl.Boolean,
        "t": pl.Datetime("us", "UTC"),
        "d": pl.Date,
        "c": pl.Categorical,
        "ln": pl.List(pl.Int64),
    },
)


def test_empty_gives_declared_columns() -> None:
    df = build(SPEC, [])
    assert df.height == 0
    assert dict(df.schema) == dict(SPEC.columns)


def test_numbers_sent_as_strings_become_numbers() -> None:
    df = build(SPEC, [{"n": "1508.0", "x": "99.2"}, {"n": "12", "x": "3"}])
    assert df["n"].to_list() == [1508, 12]
    assert df["x"].to_list() == [99.2, 3.0]


def test_integral_float_is_an_int_and_missing_is_null() -> None:
    df = build(SPEC, [{"n": 1508.0}, {}])
    assert df["n"].to_list() == [1508, None]
    assert df["s"].to_list() == [None, None]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("n", "abc"),
        ("n", 2.5),
        ("n", True),
        ("x", {"a": 1}),
        ("s", [1]),
        ("b", "maybe"),
        ("t", "2026-08…"),
        ("d", 5.5),
        ("ln", "x"),
    ],
)
def test_wrong_type_becomes_null_with_one_warning(column: str, value: object) -> None:
    with pytest.warns(frames.SchemaWarning, match=f"test.engine.{column}") as rec:
        df = build(SPEC, [{column: value}, {column: value}])
    assert df[column].to_list() == [None, None]
    assert len([w for w in rec if issubclass(w.category, frames.SchemaWarning)]) == 1


def test_string_inside_numeric_list_becomes_null_element() -> None:
    with pytest.warns(frames.SchemaWarning):
        df = build(SPEC, [{"ln": [986, 979, "… 2 mor…"]}])
    assert df["ln"][0].to_list() == [986, 979, None]


def test_datetimes_from_every_platform_format_are_utc() -> None:
    rows = [
        {"t": "2026-04-28T19:14:00"},  # Instagram, no offset
        {"t": "2026-04-28T19:14:00Z"},  # YouTube
        {"t": "Tue Apr 28 19:14:00 +0000 2026"},  # X
        {"t": 1777403640},  # unix seconds
        {"t": "2026-04-28T21:14:00+02:00"},
    ]
    df = build(SPEC, rows)
    assert df["t"].to_list() == [datetime(2026, 4, 28, 19, 14, tzinfo=UTC)] * 5


_INSTANTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.none()
)
_ZONES = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=11))]
)
_TIMESTAMPS = st.one_of(
    st.builds(lambda d, z: d.replace(tzinfo=z).isoformat(), _INSTANTS, _ZONES),
    st.builds(lambda d, z: d.replace(tzinfo=z), _INSTANTS, _ZONES),
    st.builds(lambda d: d.strftime("%a %b %d %H:%M:%S +0000 %Y"), _INSTANTS),
    st.integers(min_value=-(2**40), max_value=2**62),
    st.floats(min_value=-1e12, max_value=1e16),
    st.dates(),
    st.text(max_size=8),
    st.booleans(),
)


@given(st.lists(st.one_of(st.none(), _TIMESTAMPS), max_size=6))
def test_datetime_columns_read_every_value_as_datetime_objects_would(values: list) -> None:
    """The column built from integer microseconds holds what one built from the aware
    datetimes of ``_to_datetime`` holds, value by value, with the same warning."""
    expected = []
    for v in values:
        d = None if v is None else _to_datetime(v)
        expected.append(None if d is _BAD else d)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        df = build(SPEC, [{"t": v} for v in values])
    assert df["t"].to_list() == expected
    bad = sum(v is not None and e is None for v, e in zip(values, expected, strict=True))
    assert len([w for w in seen if "not of type" in str(w.message)]) == (1 if bad else 0)


def test_dates_and_booleans_from_strings() -> None:
    df = build(SPEC, [{"d": "2026-08-20", "b": "true"}, {"d": "2026-08-21T10:00:00", "b": "false"}])
    assert df["d"].to_list() == [date(2026, 8, 20), date(2026, 8, 21)]
    assert df["b"].to_list() == [True, False]


def test_numeric_ids_become_text() -> None:
    df = build(SPEC, [{"s": 528817151}])
    assert df["s"].to_list() == ["528817151"]


def test_extras_are_kept_after_the_declared_prefix() -> None:
    df = build(
        SPEC, [{"n": 1, "new_flag": True, "nested": {"a": 1}}, {"new_num": 2.5, "tags": ["a"]}]
    )
    assert df.columns[: len(SPEC.columns)] == list(SPEC.columns)
    assert df.columns[len(SPEC.columns) :] == ["new_flag", "nested", "new_num", "tags"]
    assert df.schema["new_flag"] == pl.Boolean
    assert df["nested"].to_list() == ['{"a": 1}', None]
    assert df.schema["new_num"] == pl.Float64
    assert df.schema["tags"] == pl.List(pl.String)


def test_secret_fields_never_become_columns() -> None:
    df = build(SPEC, [{"n": 1, "access_token": "s3cr3t", "client_secret": "x", "token": "y"}])
    assert not {"access_token", "client_secret", "token"} & set(df.columns)
    assert "s3cr3t" not in repr(df)


def test_non_object_rows_are_skipped_with_warning() -> None:
    with pytest.warns(frames.SchemaWarning, match="not objects"):
        df = build(SPEC, [{"n": 1}, "… 10 more item(s) truncated", 7])
    assert df["n"].to_list() == [1]


def test_clean_input_emits_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build(SPEC, [{"n": 1, "x": 2.0, "s": "a", "b": True, "c": "instagram", "ln": [1, 2]}])


def test_schemas_registry_is_read_only_and_complete() -> None:
    assert frames.SCHEMAS["discovery.accounts"]["followers"] == pl.Int64
    with pytest.raises(TypeError):
        frames.SCHEMAS["x"] = {}  # type: ignore[index]
    assert set(frames.SCHEMAS) == set(frames.TABLES)
