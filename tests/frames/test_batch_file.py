"""Batch results as they come (path, bytes, text; JSON or CSV by content), read and converted
in chunks, give the same tables as one conversion of the parsed list."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from frames_helpers import EXAMPLES

from contract import sample
from toolkit import frames
from toolkit.frames import _batch, _batchfile


def _same(a: frames.Tables, b: frames.Tables) -> None:
    assert a.names == b.names
    for name in a.names:
        assert a[name].schema == b[name].schema, name
        assert a[name].equals(b[name]), name


def _quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frames.SchemaWarning)
        return fn(*args, **kwargs)


ROWS = EXAMPLES["batch_results"][0]


def test_json_bytes_are_json_not_csv() -> None:
    want = frames.batch_results(ROWS)
    got = frames.batch_results(json.dumps(ROWS).encode())
    assert isinstance(got, frames.Tables)
    _same(got, want)
    assert got.failures["input_value"].to_list() == ["ghost"]


@pytest.mark.parametrize("form", ["text", "bytes", "path", "str_path", "bom", "wrapped"])
def test_every_form_of_the_file_gives_the_same_tables(form: str, tmp_path: Path) -> None:
    text = json.dumps(ROWS, indent=1)
    file = tmp_path / "batch.json"
    file.write_text(text, encoding="utf-8")
    source: Any = {
        "text": text,
        "bytes": text.encode(),
        "path": file,
        "str_path": str(file),
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "wrapped": json.dumps({"results": ROWS}).encode(),
    }[form]
    _same(frames.batch_results(source), frames.batch_results(ROWS))


@pytest.mark.parametrize("form", ["text", "bytes", "path"])
def test_csv_is_told_apart_by_content(form: str, tmp_path: Path) -> None:
    text = "input_value,status,followers\nnasa,success,100\nghost,not_found,\n"
    file = tmp_path / "batch.csv"
    file.write_text(text)
    source: Any = {"text": text, "bytes": text.encode(), "path": file}[form]
    df = frames.batch_results(source)
    assert isinstance(df, pl.DataFrame)
    assert df["input_value"].to_list() == ["nasa", "ghost"]
    assert df.columns == ["input_value", "status", "followers"]


def _many(n: int) -> list:
    """n rows: successes and failures, non-ASCII text, and an extra field whose type
    changes from row to row (int, text, object), so chunks disagree on its dtype."""
    base = ROWS[0]["enrichment_data"]
    out = []
    for i in range(n):
        if i % 5 == 4:
            out.append({"input_value": f"gone{i}", "status": "not_found"})
            continue
        data = json.loads(json.dumps(base))
        data["youtube"]["title"] = f"Chaîne n°{i} — ☕"
        data["surprise"] = [i, f"t{i}", {"k": i}][i // 7 % 3]
        out.append({"input_value": f"h{i}", "status": "success", "enrichment_data": data})
    return out


def test_chunked_conversion_equals_one_build(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _many(40)
    monkeypatch.setattr(_batch, "CHUNK", 10_000)
    whole = frames.batch_results(rows, "youtube")
    assert whole.creator.schema["surprise"] == pl.String  # mixed types: JSON text
    monkeypatch.setattr(_batch, "CHUNK", 3)
    chunked = frames.batch_results(rows, "youtube")
    _same(chunked, whole)
    assert chunked.creator.height == 32 and chunked.failures.height == 8
    assert chunked.creator["surprise"].to_list()[:8] == [
        *"012356",
        "t7",
        "t8",
    ]


def test_records_split_across_pieces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows = _many(12)
    want = frames.batch_results(rows, "youtube")
    monkeypatch.setattr(_batchfile, "PIECE", 7)  # cuts records, numbers and UTF-8 sequences
    data = json.dumps(rows, ensure_ascii=False).encode()
    _same(frames.batch_results(data, "youtube"), want)
    file = tmp_path / "b.json"
    file.write_bytes(data)
    _same(frames.batch_results(file, "youtube"), want)


def test_bare_numbers_cut_by_a_piece_are_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_batchfile, "PIECE", 3)
    assert list(_batchfile.open_batch(b"[12345, 6789]").records()) == [12345, 6789]
    assert list(_batchfile.open_batch(b" [ ] ").records()) == []


@pytest.mark.parametrize("bad", [b'[{"a": 1}', b'[{"a": 1} {"b": 2}]', b'[{"a": tru}]', b"[1,,2]"])
def test_broken_json_raises(bad: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_batchfile, "PIECE", 4)
    with pytest.raises(ValueError, match="batch results"):
        frames.batch_results(bad)


def test_file_built_from_real_captures_converts_in_chunks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    names = ("enrich-full-instagram-1.json", "enrich-full-tiktok-1.json")
    results = [sample(n)["result"] for n in names]
    rows = [
        {"input_value": f"h{i}", "status": "success", "enrichment_data": results[i % 2]}
        for i in range(6)
    ]
    file = tmp_path / "real.json"
    file.write_text(json.dumps(rows))
    monkeypatch.setattr(_batch, "CHUNK", 10_000)
    whole = _quiet(frames.batch_results, rows)
    monkeypatch.setattr(_batch, "CHUNK", 1)
    monkeypatch.setattr(_batchfile, "PIECE", 50_000)
    chunked = _quiet(frames.batch_results, file)
    _same(chunked, whole)
    assert set(chunked.creator["platform"].cast(pl.String)) == {"instagram", "tiktok"}
    assert chunked.audience_ages.height > 0 and chunked.posts.height > 0


def test_wrong_typed_values_warn_once_per_column_over_all_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = _many(10)
    for r in rows:
        if "enrichment_data" in r:
            r["enrichment_data"]["youtube"]["video_count"] = "lots"
    monkeypatch.setattr(_batch, "CHUNK", 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = frames.batch_results(rows, "youtube")
    msgs = [str(w.message) for w in caught if "video_count" in str(w.message)]
    assert msgs == [msgs[0]] and msgs[0].startswith("enrichment.youtube.video_count: 8 value(s)")
    assert t.youtube["video_count"].null_count() == 8


def test_convert_warns_instead_of_raising_on_a_broken_body() -> None:
    with pytest.warns(frames.SchemaWarning, match="batch results"):
        t = frames.convert("batch_results", '[{"input_value": "x"', params={"platform": "x"})
    assert isinstance(t, frames.Tables) and t.creator.height == 0 and t.failures.height == 0
    with pytest.warns(frames.SchemaWarning, match="expected a list"):
        frames.convert("batch_results", False)


@pytest.mark.parametrize(
    "odd",
    [
        b'"big": 123456789012345678901234567890',  # beyond 64 bits (orjson makes it a float)
        b'"nan": NaN',  # not JSON, but the stdlib (and so the old reader) takes it
        b'"huge": 1e400',  # beyond a double: the stdlib reads inf
        b'"broken": "caf\xe9"',  # not UTF-8: replaced, as the stdlib reader decodes it
    ],
)
def test_what_orjson_refuses_reads_as_the_stdlib_does(odd: bytes, tmp_path: Path) -> None:
    good = b'{"input_value": "a", "status": "success", "enrichment_data": {"youtube": '
    good += b'{"id": "1", "username": "a", "title": "A"}}}'
    odd_row = good[:-2] + b", " + odd + b"}}"
    data = b"[" + good + b", " + odd_row + b"]"
    want = _quiet(frames.batch_results, json.loads(data.decode("utf-8", errors="replace")))
    _same(_quiet(frames.batch_results, data), want)
    file = tmp_path / "odd.json"
    file.write_bytes(data)
    _same(_quiet(frames.batch_results, file), want)


def test_a_mapped_file_hands_pages_back_and_reads_every_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = _many(30)
    file = tmp_path / "b.json"
    file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(_batchfile, "_RELEASE", 100)  # release after nearly every record
    monkeypatch.setattr(_batch, "CHUNK", 4)
    _same(frames.batch_results(file, "youtube"), frames.batch_results(rows, "youtube"))
    assert list(_batchfile.open_batch(file).records()) == rows


@pytest.mark.parametrize("form", ["bytes", "rows"])
def test_a_lone_surrogate_in_the_text_is_replaced_not_fatal(form: str) -> None:
    """JSON may escape half a UTF-16 pair ("\\ud800"), which UTF-8 cannot hold: the row
    converts with U+FFFD in its place instead of the whole file failing."""
    result = sample("enrich-full-instagram-1.json")["result"]
    result["instagram"]["biography"] = "bio \ud800 end"
    result["instagram"]["undeclared_nested"] = {"k": "\udc00"}
    result["instagram"]["undeclared_list"] = ["\ud800tag"]
    row = {"input_value": "someone", "status": "success", "enrichment_data": result}
    source: Any = json.dumps([row]).encode() if form == "bytes" else [row]
    ig = _quiet(frames.batch_results, source, "instagram", mode="full")["instagram"]
    assert ig["biography"].to_list() == ["bio \ufffd end"]
    assert ig["undeclared_nested"].to_list() == ['{"k": "\ufffd"}']
    assert ig["undeclared_list"].to_list() == [["\ufffdtag"]]


def test_a_path_that_does_not_exist_is_an_error_not_csv_text(tmp_path: Path) -> None:
    missing = str(tmp_path / "batch_results.json")
    with pytest.raises(FileNotFoundError, match="no batch results file at"):
        frames.batch_results(missing)
    # a CSV body of one line is still read as CSV (a header without rows: no rows)
    assert frames.batch_results("handle,status").height == 0
    assert frames.batch_results("handle,status\nnasa,ok")["handle"].to_list() == ["nasa"]
