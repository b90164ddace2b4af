"""How the toolkit writes numbers where it renders text or tables itself: 12,345 not 12345.

(DataFrames display through pandas or polars, whose own settings apply there.)

>>> number(1234567), number(0.5), number(12345.25), number(12345678901.0), number(True)
('1,234,567', '0.5', '12,345.25', '12,345,678,901', 'True')
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_number", "number"]


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
