"""The catalogue of bad input files: every path refuses each before sending anything.

The one reader (``toolkit.jobs._read``) serves the command line, ``batch.run``,
``enrich_many`` and ``batch.create``; each bad file exits 2 from the command with a message
(the line, where one is at fault) and raises a ``CsvInputError`` (an ``ArgumentError``)
from the library, and the sandbox's log stays empty: nothing was sent, nothing paid.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import toolkit as ic
from toolkit import Client
from toolkit.cli import EXIT, main
from toolkit.jobs import CsvInputError
from toolkit.sandbox import Sandbox


def _write(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(content)
        return path

    return make


def _directory(tmp: Path) -> Path:
    (tmp / "folder.csv").mkdir()
    return tmp / "folder.csv"


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.csv"
    with open(path, "wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.write(b"handle\n")
        fh.truncate(100 * 2**20)
    return path


def _zip(tmp: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "nasa\n")
    return _write("archive.csv", buf.getvalue())(tmp)


#: (name, the file, the mode, what the message says). Handle modes run on instagram.
BAD: list[tuple[str, Callable[[Path], Path], str, str]] = [
    (
        "semicolon file with one header",
        _write("semi.csv", b"handle\nalice;123\nbob;456\n"),
        "raw",
        "line 2",
    ),
    ("semicolon values", _write("semi2.csv", b"nasa\nname;123\n"), "raw", "line 2"),
    ("quoted comma", _write("comma.csv", b'handle\nnasa\n"a,b"\n'), "raw", "line 3"),
    ("e-mails as handles", _write("mails.csv", b"email\na@b.com\nc@d.org\n"), "raw", "line 2"),
    ("one e-mail among handles", _write("mixed.csv", b"handle\nnasa\nx@y.com\n"), "raw", "line 3"),
    ("handles as e-mails", _write("handles.csv", b"handle\nnasa\nesa\n"), "basic", "line 2"),
    ("NUL", _write("nul.csv", b"handle\nnasa\nes\x00a\n"), "raw", "line 3"),
    ("control character", _write("bell.csv", b"handle\nnasa\nes\x07a\n"), "raw", "line 3"),
    (
        "200 KB field",
        _write("wide.csv", b"handle\nnasa\n" + b"a" * 200_000 + b"\n"),
        "raw",
        "line 3",
    ),
    ("not utf-8", _write("latin.csv", "handle\nnasa\ncafé\n".encode("cp1252")), "raw", "line 3"),
    ("utf-16", _write("u16.csv", "handle\nnasa\n".encode("utf-16")), "raw", "UTF-16"),
    ("empty", _write("empty.csv", b"\n \n"), "raw", "empty"),
    ("no header, two columns", _write("two.csv", b"a,b\nc,d\n"), "raw", "column"),
    ("header without handles", _write("nohandle.csv", b"name,followers\nx,1\n"), "raw", "column"),
    ("directory", _directory, "raw", "is a directory"),
    ("over the size cap", _huge, "raw", "split the file"),
    ("excel 97", _write("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600), "raw", ".xlsx"),
    ("zip that is no workbook", _zip, "raw", "not an Excel workbook"),
]
if os.path.exists("/dev/zero"):
    BAD.append(("/dev/zero", lambda tmp: Path("/dev/zero"), "raw", "not a regular file"))


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    yield Sandbox(seed=7, creators=50)


def _args(path: Path, mode: str, out: Path) -> list[str]:
    more = [] if mode == "basic" else ["--platform", "instagram"]
    return ["enrich", str(path), "--mode", mode, "--out", str(out), "--no-progress", *more]


def test_the_catalogue_covers_what_the_issue_lists() -> None:
    names = {name for name, *_ in BAD}
    assert len(BAD) >= 18 and len(names) == len(BAD)


@pytest.mark.loopback
@pytest.mark.parametrize(("name", "make", "mode", "says"), BAD, ids=[b[0] for b in BAD])
def test_the_command_exits_2_with_a_message_and_sends_nothing(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    make: Callable[[Path], Path],
    mode: str,
    says: str,
) -> None:
    path = make(tmp_path)
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        for via in ("batch", "many"):
            code = main([*_args(path, mode, tmp_path / "out"), "--via", via])
            err = capsys.readouterr().err
            assert code == EXIT["usage"], err
            assert says in err and err.startswith("error: "), err
            assert "Traceback" not in err
    assert len(sb.log) == 0 and sb.credits == 1000.0


@pytest.mark.parametrize(("name", "make", "mode", "says"), BAD, ids=[b[0] for b in BAD])
def test_every_library_path_refuses_it_in_the_error_tree(
    sb: Sandbox, tmp_path: Path, name: str, make: Callable[[Path], Path], mode: str, says: str
) -> None:
    path = make(tmp_path)
    platform = None if mode == "basic" else "instagram"
    many_mode = "email" if mode == "basic" else mode
    calls: list[Callable[[Client], object]] = [
        lambda c: c.batch.run(path, mode=mode, platform=platform, out=tmp_path / "o"),
        lambda c: c.creators.enrich_many(path, platform, mode=many_mode, progress=False),
        lambda c: c.batch.create(path, enrichment_mode=mode, platform=platform or "instagram"),
    ]
    with Client(api_key=sb.api_key, base_url="https://sb.invalid", transport=sb.transport()) as c:
        for call in calls:
            with pytest.raises(ic.ArgumentError) as info:
                call(c)
            assert isinstance(info.value, ic.InfluencersClubError | ValueError)
    assert len(sb.log) == 0  # nothing reached the sandbox, so nothing was paid


def test_the_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    from toolkit.jobs import read_csv

    path = _write("semi.csv", b"handle\nnasa\nname;123\n")(tmp_path)
    with pytest.raises(CsvInputError) as info:
        read_csv(path)
    assert (info.value.path, info.value.line) == (str(path), 3)
    assert isinstance(info.value, ic.ArgumentError)


def test_a_semicolon_file_with_a_handle_column_is_read_by_its_delimiter(tmp_path: Path) -> None:
    from toolkit.jobs import read_csv

    got = read_csv(_write("ok.csv", b"name;handle\nNASA;nasa\nESA;esa\n")(tmp_path))
    assert (got.values, got.delimiter) == (["nasa", "esa"], ";")
    tsv = read_csv(_write("ok.tsv", b"handle\tfollowers\nnasa\t10\n")(tmp_path))
    assert tsv.values == ["nasa"]
    excel_hint = read_csv(_write("sep.csv", b"sep=;\nhandle;x\nnasa;1\n")(tmp_path))
    assert excel_hint.values == ["nasa"]


def test_batch_create_uploads_what_was_read(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=50)
    names = [c.username for c in sb.world.on("instagram")[:3]]
    path = _write("in.csv", ("handle\n\n" + "\n".join(f"  {n} " for n in names)).encode())(tmp_path)
    with Client(api_key=sb.api_key, base_url="https://sb.invalid", transport=sb.transport()) as c:
        made = c.batch.create(path, enrichment_mode="raw", platform="instagram")
    assert made.data["status"] in ("queued", "processing", "finished")
    assert sum(1 for e in sb.log if e.operation == "batch_create") == 1


def test_batch_create_knows_a_creator_by_the_same_key_as_long_jobs() -> None:
    sb = Sandbox(seed=7, creators=50)
    rows = b"handle\nnike\nhttps://www.instagram.com/Nike/\n@NIKE\nesa\n"
    with Client(api_key=sb.api_key, base_url="https://sb.invalid", transport=sb.transport()) as c:
        with pytest.raises(ic.ArgumentError, match="2 of 4 rows are duplicates"):
            c.batch.create(rows, enrichment_mode="raw", platform="instagram")
        made = c.batch.create(rows, enrichment_mode="raw", platform="instagram", dedupe=True)
    assert made.params["rows"] == 2  # nike once, esa once
