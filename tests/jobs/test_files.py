"""CSV inputs (empty, headerless, several columns, not UTF-8) and the upload limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import Client
from toolkit.jobs import MAX_UPLOAD_BYTES, CsvInputError, read_csv, split_jobs
from toolkit.jobs._files import upload_bytes
from toolkit.sandbox import Sandbox


def _csv(tmp_path: Path, content: str | bytes, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_one_column_with_a_header(tmp_path: Path) -> None:
    got = read_csv(_csv(tmp_path, "handle\n@a\n\nb\n"))
    assert (got.values, got.column) == (["@a", "b"], "handle")


def test_a_header_named_like_a_column_of_handles_is_recognised(tmp_path: Path) -> None:
    got = read_csv(_csv(tmp_path, "Instagram Username\nnasa\n"))
    assert got.values == ["nasa"]


def test_a_headerless_file_reads_every_line(tmp_path: Path) -> None:
    got = read_csv(_csv(tmp_path, "nasa\n@esa\nhttps://instagram.com/jaxa\n"))
    assert got.values == ["nasa", "@esa", "https://instagram.com/jaxa"]
    assert got.column is None and "no header row" in got.notes[0]
    # an email header word inside an address is a value, not a header
    assert read_csv(_csv(tmp_path, "user@example.com\n")).values == ["user@example.com"]


def test_two_columns_pick_the_named_or_obvious_one(tmp_path: Path) -> None:
    path = _csv(tmp_path, "name,handle\nNASA,nasa\nESA,esa\n")
    assert read_csv(path).values == ["nasa", "esa"]
    assert read_csv(path, column="NAME").values == ["NASA", "ESA"]
    ambiguous = _csv(tmp_path, "username,profile_url\na,https://instagram.com/a\n", "two.csv")
    with pytest.raises(CsvInputError, match="column="):
        read_csv(ambiguous)
    with pytest.raises(CsvInputError, match="no column 'email'"):
        read_csv(path, column="email")


def test_empty_and_headerless_multi_column_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvInputError, match="empty"):
        read_csv(_csv(tmp_path, "\n \n"))
    with pytest.raises(CsvInputError, match="no header row"):
        read_csv(_csv(tmp_path, "a,b\nc,d\n"))


def test_a_header_without_a_handle_column_names_its_columns_and_points_to_column(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, "name,followers\nnasa,1000\nesa,20\n", "nohandle.csv")
    with pytest.raises(CsvInputError) as err:
        read_csv(path)
    message = str(err.value)
    assert "['name', 'followers']" in message and "column=" in message
    assert "has several columns and no header row" not in message  # the old, wrong claim
    assert read_csv(path, column="name").values == ["nasa", "esa"]  # the advice works


def test_text_that_is_not_utf8_says_how_to_fix_it(tmp_path: Path) -> None:
    path = _csv(tmp_path, "handle\ncaf\xe9\n".encode("cp1252"))
    with pytest.raises(CsvInputError, match=r"not utf-8 text.*CSV UTF-8"):
        read_csv(path)
    assert read_csv(path, encoding="cp1252").values == ["café"]
    utf16 = _csv(tmp_path, "handle\nnasa\n".encode("utf-16"), "u16.csv")
    with pytest.raises(CsvInputError, match="UTF-16"):
        read_csv(utf16)
    assert read_csv(utf16, encoding="utf-16").values == ["nasa"]
    bom = _csv(tmp_path, "\ufeffhandle\nnasa\n", "bom.csv")
    assert read_csv(bom).column == "handle"


def test_split_keeps_every_part_within_rows_and_bytes() -> None:
    values = [f"creator_{i:05d}" for i in range(25_001)]
    parts = split_jobs(values)
    assert [len(p) for p in parts] == [10_000, 10_000, 5_001]
    assert [v for p in parts for v in p] == values
    long = ["x" * 200] * 2_000
    small = split_jobs(long, max_bytes=100_000)
    assert all(len(upload_bytes(p, "handle")) <= 100_000 for p in small)
    assert sum(len(p) for p in small) == 2_000


def test_batch_create_refuses_a_file_over_10_mb_before_uploading(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=50)
    big = _csv(tmp_path, "handle\n" + ("a" * 99 + "\n") * (MAX_UPLOAD_BYTES // 100 + 10))
    with Client(api_key=sb.api_key, base_url="https://sb.invalid", transport=sb.transport()) as c:
        with pytest.raises(ValueError, match="10 MB"):
            c.batch.create(big, enrichment_mode="raw", platform="instagram")
        with pytest.raises(ValueError, match="10000 a batch holds"):
            c.batch.create(
                handles=[f"h{i}" for i in range(10_001)],
                enrichment_mode="raw",
                platform="instagram",
            )
    assert len(sb.log) == 0  # nothing went over the wire


def test_a_long_string_is_refused_as_one_string_not_as_a_file_name() -> None:
    from toolkit.jobs._files import read_values

    with pytest.raises(TypeError, match="not one string"):
        read_values("nasa," * 100)  # no file system names 500 characters: no OSError


def test_a_frame_without_the_column_or_any_column_says_what_to_pass() -> None:
    import polars as pl

    from toolkit.jobs._files import read_values

    with pytest.raises(ValueError, match="or column="):
        read_values(pl.DataFrame({"name": ["a"], "followers": [1]}))
    with pytest.raises(ValueError, match="no columns"):
        read_values(pl.DataFrame())  # was an IndexError


@pytest.mark.parametrize(
    "first", ["channelnewsasia", "userinterface", "the_user", "urlaub", "profiles.nike", "@handle"]
)
def test_a_handle_holding_a_header_word_is_a_value_not_a_header(tmp_path: Path, first: str) -> None:
    got = read_csv(_csv(tmp_path, f"{first}\nnike\nadidas\n"))
    assert got.values == [first, "nike", "adidas"] and got.column is None


@pytest.mark.parametrize(
    "header", ["handle", "Username", "Instagram handle", "profile_url", "E-mail", "userName"]
)
def test_a_header_word_as_a_whole_word_is_read_as_the_header_and_said(
    tmp_path: Path, header: str
) -> None:
    got = read_csv(_csv(tmp_path, f"{header}\nnike\nadidas\n"))
    assert got.values == ["nike", "adidas"] and got.column == header
    assert f"first line {header!r} read as the header" in got.notes
