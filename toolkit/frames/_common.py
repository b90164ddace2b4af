"""Small helpers shared by the converters: reading request params and loose bodies."""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from typing import Any

import polars as pl

from toolkit._facts import ENRICH_PLATFORMS

from ._coerce import SECRET_FIELDS, _preview, build
from ._registry import SchemaWarning, TableSpec

#: Every platform an enrichment answer may carry a block for (its key in ``result``).
ALL_PLATFORMS = ENRICH_PLATFORMS


def param(params: Mapping[str, Any] | None, *names: str) -> Any:
    """First present value among ``names`` in the request params, looking into ``paging``."""
    if not params:
        return None
    for name in names:
        if params.get(name) is not None:
            return params[name]
    paging = params.get("paging")
    if isinstance(paging, Mapping):
        for name in names:
            if paging.get(name) is not None:
                return paging[name]
    return None


def as_int(value: Any) -> int | None:
    """An int from a loose value (int, integral float, numeric string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty dict (missing/null/wrong type)."""
    return value if type(value) is dict else {}


def items(value: Any, *keys: str) -> list[Any]:
    """A list of records from a body that may be a bare list or wrap it under ``keys``.

    A dict wrapper (DRF ``results``, MCP-tolerated ``data``/``results``)
    is unwrapped; anything else gives an empty list with a warning when it is not null.
    """
    if type(value) is list:
        return value
    if type(value) is dict:
        for key in keys:
            found = value.get(key)
            if type(found) is list:
                return found
        return []
    if value is not None:
        warnings.warn(
            f"expected a list, got {type(value).__name__} {_preview(value)}",
            SchemaWarning,
            stacklevel=3,
        )
    return []


def records(value: Any, *keys: str) -> list[Any]:
    """Records of a body that is either one object or a (possibly wrapped) list of them."""
    if type(value) is dict and not any(type(value.get(k)) is list for k in keys):
        return [value] if value else []
    return items(value, *keys)


def drf_records(body: Any) -> list[Any]:
    """Records of a DRF page, or the single object of a detail response."""
    if type(body) is dict and "results" in body:
        return items(body.get("results"))
    if type(body) is dict:
        return [body] if body else []
    return items(body)


def one_row(spec: TableSpec, body: Any, **add: Any) -> pl.DataFrame:
    """A one-row frame of a JSON object's fields (an empty declared frame if no object)."""
    if type(body) is not dict:
        if body is not None:
            warnings.warn(
                f"{spec.name}: expected an object, got {type(body).__name__}",
                SchemaWarning,
                stacklevel=3,
            )
        return spec.empty()
    if not body:
        return spec.empty()
    row = {k: v for k, v in body.items() if k not in SECRET_FIELDS}
    row.update(add)
    return build(spec, [row])


def flatten(prefix: str, value: Any, into: dict[str, Any]) -> None:
    """Copy a nested object's scalar leaves into ``into`` as ``prefix_key`` columns."""
    if type(value) is not dict:
        return
    for k, v in value.items():
        if k in SECRET_FIELDS:
            continue
        if type(v) is dict:
            flatten(f"{prefix}_{k}", v, into)
        else:
            into[f"{prefix}_{k}"] = v


def csv_frame(spec: TableSpec, text: str | bytes) -> pl.DataFrame:
    """A CSV body (batch results, listening export) read as text, then typed by ``spec``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not text.strip():
        return spec.empty()
    raw = pl.read_csv(io.StringIO(text), infer_schema=False)
    rows = raw.to_dicts()
    return build(spec, rows)
