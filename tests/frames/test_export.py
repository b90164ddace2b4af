"""Tables to Excel, CSV and Parquet: one sheet or file per non-empty table, values readable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl

from toolkit._connect import sandbox_client
from toolkit.frames import Tables
from toolkit.sandbox import Sandbox


def _full_tables() -> Tables[pl.DataFrame]:
    sb = Sandbox(seed=7, creators=50)
    with sandbox_client(sb) as client:
        handle = sb.world.on("instagram")[0].username
        tables: Tables[pl.DataFrame] = client.creators.enrich_handle(
            handle, "instagram", mode="full"
        ).to_polars()
    return tables


def test_to_excel_of_a_full_enrichment_has_one_sheet_per_non_empty_table(tmp_path: Path) -> None:
    tables = _full_tables()
    non_empty = [n for n, df in tables.items() if df.height]
    assert 3 < len(non_empty) < len(tables)  # some tables are empty: they get no sheet
    path = tables.to_excel(tmp_path / "full.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*non_empty, "notes"]
    for name in non_empty:
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == tables[name].columns and len(rows) == tables[name].height + 1
    notes = [r[0] for r in book["notes"].iter_rows(values_only=True) if r[0]]
    assert any("created_at: times in UTC, time zone removed" in str(n) for n in notes)
    assert any("posts:" in str(n) and "JSON text" in str(n) for n in notes)
    posts = list(book["posts"].iter_rows(values_only=True))
    created = posts[0].index("created_at")
    first = tables.posts["created_at"][0]
    assert posts[1][created] == first.astimezone(UTC).replace(tzinfo=None)
    # pandas tables write the same workbook
    again = tables.to_pandas().to_excel(tmp_path / "pandas.xlsx")
    assert openpyxl.load_workbook(again).sheetnames == book.sheetnames


def test_text_stays_text_and_lists_become_json(tmp_path: Path) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    t = Tables(
        {
            "a": pl.DataFrame(
                {"bio": ['=HYPERLINK("x")', "ok\x07"], "tags": [["a", "b"], []], "at": [when] * 2}
            ),
            "b": pl.DataFrame({"x": []}, schema={"x": pl.Int64}),
        }
    )
    book = openpyxl.load_workbook(t.to_excel(tmp_path / "t.xlsx"))
    rows = list(book["a"].iter_rows(values_only=True))
    assert rows[1] == ('=HYPERLINK("x")', '["a", "b"]', datetime(2026, 1, 2, 3, 4, 5))
    assert book["a"]["A2"].data_type == "s"  # never a formula
    assert rows[2][0] == "ok"  # a control character Excel cannot hold is dropped
    assert book.sheetnames == ["a", "notes"]
    csvs = t.to_csv(tmp_path / "csv")
    assert [p.name for p in csvs] == ["a.csv"]
    back = pl.read_csv(csvs[0])
    assert back["tags"].to_list() == ['["a", "b"]', "[]"]
    parquets = t.to_parquet(tmp_path / "pq")
    assert pl.read_parquet(parquets[0]).equals(t.a)


def test_csv_text_a_spreadsheet_would_run_gets_a_leading_quote(tmp_path: Path) -> None:
    bios = ['=HYPERLINK("http://x")', "+1 555", "-2+3", "@SUM(A1)", "plain", None]
    t = Tables({"a": pl.DataFrame({"bio": bios, "n": [1, -2, 3, 4, 5, 6]})})
    (path,) = t.to_csv(tmp_path / "csv")
    back = pl.read_csv(path)
    assert back["bio"].to_list() == [
        '\'=HYPERLINK("http://x")',
        "'+1 555",
        "'-2+3",
        "'@SUM(A1)",
        "plain",
        None,
    ]
    assert back["n"].to_list() == [1, -2, 3, 4, 5, 6]  # numbers are numbers, untouched
    assert "leading '" in (tmp_path / "csv" / "notes.txt").read_text()


def test_the_widget_csv_guards_formulas_the_same_way(tmp_path: Path) -> None:
    import pandas as pd

    from widgets._results import export_frame

    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "nike"], "followers": [-1, 2]})
    back = pd.read_csv(export_frame(frame, tmp_path / "x.csv"))
    assert back["name"].tolist() == ["'=cmd|' /C calc'!A0", "nike"]
    assert back["followers"].tolist() == [-1, 2]
    assert frame["name"][0].startswith("=")  # the caller's frame is left as it was
