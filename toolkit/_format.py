"""How the toolkit writes numbers where it renders text or tables itself: 12,345 not 12345.

(DataFrames display through pandas or polars, whose own settings apply there.)

>>> number(1234567), number(0.5), number(12345.25), number(12345678901.0), number(True)
('1,234,567', '0.5', '12,345.25', '12,345,678,901', 'True')
>>> abbreviate(12_345_678), abbreviate(4321), abbreviate(12_000), abbreviate(999_960), abbreviate(512)
('12.3M', '4.3K', '12K', '1M', '512')
"""

from __future__ import annotations

from typing import Any

__all__ = ["abbreviate", "is_number", "number"]

_UNITS = ((1e9, "B"), (1e6, "M"), (1e3, "K"))


def is_number(value: Any) -> bool:
    """An int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: Any) -> str:
    """``value`` with thousands separators when it is a number, else ``str(value)``."""
    if not is_number(value):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if value.is_integer() and abs(value) < 1e18:  # counts the API sends as floats
        return f"{int(value):,}"
    return f"{value:,.10g}"


def abbreviate(value: Any, *, missing: str = "–", digits: int = 1) -> str:
    """A count in a few characters, for chart labels and table cells: ``4321`` -> ``"4.3K"``,
    ``12000`` -> ``"12K"``, ``512`` -> ``"512"``; ``missing`` for None, NaN or text;
    ``digits`` decimals at most (trailing zeros dropped)."""
    if isinstance(value, bool) or value is None:
        return missing
    try:
        n = float(value)
    except (TypeError, ValueError):
        return missing
    if n != n:  # NaN, pandas NA
        return missing
    for div, suffix in _UNITS:
        if round(abs(n) / div, digits) >= 1:  # 999,960 reads 1M, not 1000K
            text = f"{n / div:.{digits}f}"
            return (text.rstrip("0").rstrip(".") if "." in text else text) + suffix
    return f"{n:,.0f}"
