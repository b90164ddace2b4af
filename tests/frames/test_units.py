"""One scale per kind of number: every column named like a percentage says whether it holds
percent (0-100) or a fraction (0-1), and the sandbox's answers agree with what it says."""

from __future__ import annotations

import polars as pl

from toolkit import Client, frames
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox


def test_every_percentage_like_column_names_its_scale() -> None:
    for name, spec in frames.TABLES.items():
        for col, dtype in spec.columns.items():
            if dtype.is_numeric() and any(k in col for k in ("percent", "weight", "shared_share")):
                unit = spec.unit(col)
                assert "0-1" in unit or "0-100" in unit, (name, col, unit)


def test_the_declared_scales_hold_for_real_answers() -> None:
    sb = Sandbox(seed=7, creators=80)
    client = Client(
        api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), store="memory:"
    )
    ig = [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:3]]
    results = {
        "enrichment": client.creators.enrich_handle(ig[0], "instagram", mode="full").to_polars(),
        "overlap": client.creators.overlap("instagram", ig).to_polars(),
    }
    fractions = percents = 0
    for group, tables in results.items():
        for table in tables.names:
            spec = frames.TABLES[f"{group}.{table}"]
            df: pl.DataFrame = tables[table]
            for col in spec.columns:
                values = df[col].drop_nulls() if col in df.columns else pl.Series([])
                if not values.len():
                    continue
                unit = spec.unit(col)
                if "fraction 0-1" in unit:
                    fractions += 1
                    assert values.min() >= 0 and values.max() <= 1, (table, col)  # type: ignore[operator]
                elif unit.startswith("percent 0-100"):
                    percents += 1
                    assert values.min() >= 0 and values.max() <= 100, (table, col)  # type: ignore[operator]
    assert fractions >= 5 and percents >= 2  # the check saw both kinds


def test_listening_spend_says_credits_and_days() -> None:
    spec = frames.TABLES["listening.spend"]
    for col in ("daily_cost", "accrued", "projected", "budget"):
        assert spec.unit(col) == "credits", col
    for col in ("days_running", "days_left"):
        assert spec.unit(col) == "days", col
