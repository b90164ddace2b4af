"""Filter kinds as declared data: one entry per kind, read by validation *and* the form.

Each :class:`FilterKind` says what a value of that kind looks like (``shape``, for help
text and messages), which form control edits it (``control``) and how it is checked
(``check``: returns the wire form or raises :class:`Invalid`). The validator in
``toolkit.filters`` and the form builder in ``widgets`` both look kinds up in
:data:`KINDS`, so a new kind is one entry here, not a branch in two places that drift.

>>> KINDS["range"].check(None, {"min": 10, "max": None})
{'min': 10}
>>> KINDS["days"].control
'days'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.filters import FilterSpec

__all__ = ["KINDS", "MAX_DAYS", "FilterKind", "Invalid"]

#: Largest "days since" a filter takes: about 27 years, older than any of the platforms
#: (a larger number filters nothing, and a huge one overflows date arithmetic).
MAX_DAYS = 10_000


class Invalid(ValueError):
    """A value that does not fit its filter kind; the message is shown to the user as is."""


@dataclass(frozen=True)
class FilterKind:
    """One kind of discovery filter value.

    ``control`` names the form control that edits it (``"range"``: two number boxes,
    ``"tristate"``: any / yes / no, ``"tags"``: free tags, ...); a dictionary-backed or
    enum filter overrides it (see ``FilterSpec.control``).
    """

    name: str
    shape: str
    control: str
    check: Callable[[FilterSpec, Any], Any]


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def range_bounds(spec: FilterSpec | None) -> tuple[float, float | None]:
    """The values a range filter can take: shares (``*_percent``) 0-100, counts >= 0."""
    if spec is not None and spec.key.endswith(("percent", "percentage")):
        return 0, 100
    return 0, None


def _range(spec: FilterSpec, value: Any) -> Any:
    if not isinstance(value, Mapping) or not set(value) <= {"min", "max"}:
        raise Invalid("must be {'min': number, 'max': number} (either side optional)")
    lo, hi = value.get("min"), value.get("max")
    for side, v in (("min", lo), ("max", hi)):
        if v is not None and not _is_number(v):
            raise Invalid(f"{side} must be a number, got {v!r}")
    if lo is not None and hi is not None and lo > hi:
        raise Invalid(f"min ({lo}) is greater than max ({hi})")
    floor, bound = range_bounds(spec)
    for side, v in (("min", lo), ("max", hi)):
        if v is not None and (v < floor or (bound is not None and v > bound)):
            span = f"{floor}-{bound}" if bound is not None else f">= {floor}"
            raise Invalid(f"{side} must be {span}, got {v!r}")
    return {k: v for k, v in value.items() if v is not None}


def _growth(spec: FilterSpec, value: Any) -> Any:
    if not isinstance(value, Mapping) or not _is_number(value.get("growth_percentage")):
        raise Invalid("must be {'growth_percentage': number, 'time_range_months': int}")
    months = value.get("time_range_months", 3)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12:
        raise Invalid("time_range_months must be an integer from 1 to 12")
    return {"growth_percentage": value["growth_percentage"], "time_range_months": months}


def _list_of(want: type) -> Callable[[FilterSpec, Any], Any]:
    def check(spec: FilterSpec, value: Any) -> Any:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise Invalid(f"must be a list of {want.__name__}s")
        items = list(value)
        bad = [v for v in items if not isinstance(v, want) or isinstance(v, bool)]
        if bad:
            raise Invalid(f"must be a list of {want.__name__}s, got {bad[0]!r}")
        if spec.max_items is not None and len(items) > spec.max_items:
            raise Invalid(f"at most {spec.max_items} items, got {len(items)}")
        return items

    return check


def _boolean(spec: FilterSpec, value: Any) -> Any:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, got {value!r}")
    return value


def _flags(spec: FilterSpec, value: Any) -> Any:
    from toolkit.filters import CREATOR_HAS_KEYS, _suggest

    if not isinstance(value, Mapping) or not all(isinstance(v, bool) for v in value.values()):
        raise Invalid("must map has_<platform> keys to true/false")
    unknown = [k for k in value if k not in CREATOR_HAS_KEYS]
    if unknown:
        raise Invalid(f"unknown key {unknown[0]!r}" + _suggest(unknown[0], CREATOR_HAS_KEYS))
    return dict(value)


def _number(spec: FilterSpec, value: Any) -> Any:
    if not _is_number(value) or value < 0:
        raise Invalid(f"must be a non-negative number, got {value!r}")
    return value


def _days(spec: FilterSpec, value: Any) -> Any:
    if isinstance(value, str) and value.endswith("d") and value[:-1].isdigit():
        value = int(value[:-1])  # one client sends "30d"; integer days is canonical
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Invalid(f"must be a whole number of days, got {value!r}")
    if value > MAX_DAYS:
        raise Invalid(f"must be at most {MAX_DAYS:,} days (about 27 years), got {value:,}")
    return value


def _one_of(spec: FilterSpec, value: str, what: str = "") -> str:
    """``value`` as the enum spells it (case and spacing forgiven), else :class:`Invalid`
    naming the allowed values and the closest."""
    from toolkit.filters._values import normalize, suggestion_text

    squeezed = normalize(value).replace(" ", "")
    for allowed in spec.enum:
        if normalize(allowed).replace(" ", "") == squeezed:
            return allowed
    hint = suggestion_text(value, [(v, v) for v in spec.enum])
    listed = ", ".join(spec.enum)
    raise Invalid(f"{what}must be one of {listed}, got {value!r}" + (f" ({hint})" if hint else ""))


def _string(spec: FilterSpec, value: Any) -> Any:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, got {value!r}")
    problem = None
    if spec.enum:
        value = _one_of(spec, value)
    if spec.min_length is not None and len(value) < spec.min_length:
        problem = f"must be at least {spec.min_length} characters"
    if spec.max_length is not None and len(value) > spec.max_length:
        problem = f"must be at most {spec.max_length} characters"
    if problem:
        raise Invalid(problem)
    return value


def item_shape(spec: FilterSpec) -> str:
    """``{range, min_pct}``: the keys one item of a weighted filter takes."""
    return "{" + ", ".join(spec.item_fields) + "}"


def _weighted_item(spec: FilterSpec, item: Any) -> dict[str, Any]:
    """One ``{value, min_pct}`` item: only its declared keys, its value present (one of the
    enum when the filter has one), ``min_pct`` 0-100."""
    if not isinstance(item, Mapping) or set(item) - set(spec.item_fields):
        got = f" (got {', '.join(map(repr, item))})" if isinstance(item, Mapping) else ""
        raise Invalid(f"each item is {item_shape(spec)}{got}")
    field = spec.item_fields[0]
    given = item.get(field)
    if not isinstance(given, str) or not given.strip():
        raise Invalid(f"each item needs {field!r}, a string: {item_shape(spec)}")
    out = dict(item)
    if spec.enum:
        out[field] = _one_of(spec, given, f"{field} ")
    pct = item.get("min_pct")
    if pct is not None and (not _is_number(pct) or not 0 <= pct <= 100):
        raise Invalid(f"min_pct must be a number from 0 to 100, got {pct!r}")
    return out


def _weighted_list(spec: FilterSpec, value: Any) -> Any:
    if isinstance(value, str | Mapping) or not isinstance(value, list):
        raise Invalid(f"must be a list of {item_shape(spec)} objects")
    return [_weighted_item(spec, i) for i in value]


def _weighted_object(spec: FilterSpec, value: Any) -> Any:
    if not isinstance(value, Mapping):
        raise Invalid(f"must be one {item_shape(spec)} object")
    return _weighted_item(spec, value)


def _object(spec: FilterSpec, value: Any) -> Any:
    raise Invalid("an object's fields are checked one by one")  # validate_filters walks them


#: Every filter kind of the schema, by the name ``FilterSpec.kind`` uses.
KINDS: dict[str, FilterKind] = {
    k.name: k
    for k in (
        FilterKind(
            "range", "{'min': number, 'max': number}, either side optional", "range", _range
        ),
        FilterKind(
            "growth",
            "{'growth_percentage': number, 'time_range_months': 1-12}",
            "growth",
            _growth,
        ),
        FilterKind("string_list", "a list of strings", "tags", _list_of(str)),
        FilterKind("integer_list", "a list of whole numbers", "integers", _list_of(int)),
        FilterKind("boolean", "true or false (leave unset for either)", "tristate", _boolean),
        FilterKind("flags", "{'has_<platform>': true/false, ...}", "flags", _flags),
        FilterKind("number", "a non-negative number", "number", _number),
        FilterKind("integer", "a whole number", "days", _days),
        FilterKind("days", "a whole number of days since", "days", _days),
        FilterKind("string", "text", "text", _string),
        FilterKind("object", "an object of nested filters", "group", _object),
        FilterKind(
            "weighted_list", "a list of {value, min_pct} objects", "weighted", _weighted_list
        ),
        FilterKind(
            "weighted_object", "one {type, min_pct} object", "weighted_one", _weighted_object
        ),
    )
}
