"""Every error path of the command speaks in command-line terms.

Each case runs one failing command and reads what it printed: flags as ``--flag``, never a
Python keyword argument (``platform=``) or a Python call (``client.batch.pick_up()``), and
never a traceback. The library keeps its own words; the command translates them
(``toolkit.cli.cli_terms``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from toolkit.cli import EXIT, cli_terms, main
from toolkit.sandbox import Clock, Sandbox, Settings

pytestmark = pytest.mark.loopback

#: A Python-style keyword argument: ``name=`` (a URL's ``?lang=`` is not one).
KEYWORD = re.compile(r"(?<![?&\w/.-])[a-z][a-z_]*=(?!=)")
PYTHON_CALL = re.compile(r"client\.\w+\.\w+\(")


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(
        seed=7,
        creators=200,
        credits=1000.0,
        clock=Clock.real(),
        settings=Settings(batch_rows_per_second=500.0),
    )


@pytest.fixture
def served(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        yield sb


def _files(tmp: Path, sb: Sandbox) -> dict[str, Path]:
    names = [c.username for c in sb.world.on("instagram")[:6]]
    files = {
        "ok": "handle\n" + "\n".join(names) + "\n",
        "cp1252": "handle\ncafé\n",
        "utf16": "handle\nnasa\n",
        "nohandle": "name,followers\nnasa,1\n",
        "ambiguous": "username,profile_url\na,https://instagram.com/a\n",
        "invalid": "handle\nbad handle\nother bad one\n",
    }
    out = {}
    for name, text in files.items():
        path = tmp / f"{name}.csv"
        encoding = {"cp1252": "cp1252", "utf16": "utf-16"}.get(name, "utf-8")
        path.write_bytes(text.encode(encoding))
        out[name] = path
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["handle"])
    sheet.append(["nasa"])
    book.save(tmp / "book.xlsx")
    out["xlsx"] = tmp / "book.xlsx"
    return out


FAST = ["--poll-interval", "0.2", "--no-progress"]


def _enrich(path: Path, out: Path, *more: str) -> list[str]:
    return ["enrich", str(path), "--out", str(out), *more, *FAST]


#: (name, the arguments given the files and an output folder, a fault to switch on first).
CASES: list[tuple[str, Callable[[dict[str, Path], Path], list[str]], str | None]] = [
    ("no platform", lambda f, o: _enrich(f["ok"], o, "--mode", "raw"), None),
    (
        "tier of another way",
        lambda f, o: _enrich(f["ok"], o, "--mode", "profile", "--platform", "instagram"),
        None,
    ),
    (
        "advanced via many",
        lambda f, o: _enrich(f["ok"], o, "--mode", "advanced", "--via", "many"),
        None,
    ),
    ("missing file", lambda f, o: _enrich(o / "nope.csv", o, "--platform", "instagram"), None),
    ("cp1252", lambda f, o: _enrich(f["cp1252"], o, "--platform", "instagram"), None),
    ("utf-16", lambda f, o: _enrich(f["utf16"], o, "--platform", "instagram"), None),
    (
        "unknown encoding",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--encoding", "nope"),
        None,
    ),
    ("no handle column", lambda f, o: _enrich(f["nohandle"], o, "--platform", "instagram"), None),
    ("ambiguous column", lambda f, o: _enrich(f["ambiguous"], o, "--platform", "instagram"), None),
    (
        "missing column",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--column", "x"),
        None,
    ),
    (
        "sheet of a csv",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--sheet", "2"),
        None,
    ),
    (
        "missing sheet",
        lambda f, o: _enrich(f["xlsx"], o, "--platform", "instagram", "--sheet", "9"),
        None,
    ),
    ("nothing valid", lambda f, o: _enrich(f["invalid"], o, "--platform", "instagram"), None),
    ("unknown platform", lambda f, o: _enrich(f["ok"], o, "--platform", "myspace"), None),
    (
        "over budget, batch",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--budget", "1"),
        None,
    ),
    (
        "over budget, many",
        lambda f, o: _enrich(
            f["ok"], o, "--platform", "instagram", "--budget", "1", "--via", "many"
        ),
        None,
    ),
    (
        "concurrency 0",
        lambda f, o: _enrich(
            f["ok"], o, "--platform", "instagram", "--via", "many", "--concurrency", "0"
        ),
        None,
    ),
    (
        "create answer lost",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--mode", "raw"),
        "drop",
    ),
    (
        "timeout",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--timeout", "0"),
        None,
    ),
    (
        "out of credits",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--via", "many"),
        "credits",
    ),
    (
        "paused for credits",
        lambda f, o: _enrich(f["ok"], o, "--platform", "instagram", "--mode", "full"),
        "credits",
    ),
    ("status of no job", lambda f, o: ["jobs", "status", "job_nope"], None),
    ("resume of nothing", lambda f, o: ["jobs", "resume"], None),
    ("download of no job", lambda f, o: ["jobs", "download", "job_nope", "--out", str(o)], None),
    ("forget no job", lambda f, o: ["jobs", "forget", "job_nope"], None),
    ("bad store", lambda f, o: ["--store", "ftp://nowhere/x", "credits"], None),
    ("argparse: enrich without a file", lambda f, o: ["enrich"], None),
    (
        "argparse: a bad mode",
        lambda f, o: ["enrich", "x.csv", "--out", "o", "--mode", "deep"],
        None,
    ),
]


def test_the_translation_keeps_urls_and_maps_known_names() -> None:
    assert cli_terms("mode='raw' needs platform=") == "--mode raw needs --platform"
    assert cli_terms("see https://tiktok.com/@a?lang=en") == "see https://tiktok.com/@a?lang=en"
    assert cli_terms("client.batch.pick_up() or `influencers-club jobs resume --all`") == (
        "`influencers-club jobs resume --all`"
    )


@pytest.mark.parametrize(("name", "args", "fault"), CASES, ids=[c[0] for c in CASES])
def test_every_error_speaks_in_flags(
    served: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    args: Callable[[dict[str, Path], Path], list[str]],
    fault: str | None,
) -> None:
    if fault == "drop":
        served.faults.add("drop", operations=["batch_create"], times=1)
    elif fault == "credits":
        served.add_credits(2.0 - served.credits)  # too little for six creators
    argv = args(_files(tmp_path, served), tmp_path / "out")
    try:
        code = main(argv)
    except SystemExit as done:  # argparse's own usage errors
        code = int(done.code or 0)
    err = capsys.readouterr().err
    assert code != EXIT["ok"], err
    assert err.strip(), name
    assert not KEYWORD.search(err), err
    assert not PYTHON_CALL.search(err), err
    assert "Traceback" not in err and "'results//" not in err


def test_true_false_and_none_keep_their_meaning_in_flags() -> None:
    assert cli_terms("header=False") == "--no-header"
    assert cli_terms("read with header=True") == "read with (without --no-header)"
    assert cli_terms("<BatchRun 2 jobs: 2 downloaded; out=None>") == (
        "<BatchRun 2 jobs: 2 downloaded; (no --out)>"
    )
    assert cli_terms("resubmit=False keeps it") == "(without --resubmit) keeps it"
    assert cli_terms("batch_create: platform='x' is not available for batch_create") == (
        "--platform x is not available for this command"
    )


@pytest.mark.parametrize("via", ["batch", "many"])
def test_a_misspelt_platform_is_refused_with_the_closest_one_and_no_operation_name(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    via: str,
) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    src = tmp_path / "in.csv"
    src.write_text("handle\nnike\n", encoding="utf-8")
    argv = ["enrich", str(src), "--platform", "instagrm", "--mode", "raw", "--via", via]
    code = main(["--store", "memory:", *argv, "--out", str(tmp_path / "o"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == EXIT["usage"], err
    assert "--platform instagrm is not available" in err and "did you mean 'instagram'" in err
    assert "batch_create" not in err and "enrich_handle" not in err
    assert not (tmp_path / "o").exists()  # refused before anything was written or sent


def test_store_is_taken_after_the_command_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(tmp_path / "env.sqlite3"))
    path = tmp_path / "after.sqlite3"
    assert main(["credits", "--store", str(path)]) == EXIT["ok"]
    assert f"the store {path}" in capsys.readouterr().err
    assert main(["jobs", "list", "--store", "memory:"]) == EXIT["ok"]
    assert "memory store" in capsys.readouterr().err
    assert main(["--store", "memory:", "credits"]) == EXIT["ok"]  # before it, as always
    assert "memory store" in capsys.readouterr().err
