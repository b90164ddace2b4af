"""The ``influencers-club`` argument parser: every command, sub-command and flag, each with
its ``--help``, and the function each one runs (in the command modules beside this one)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from toolkit.cli._commands import (
    cmd_cache_clear,
    cmd_cache_stats,
    cmd_credits,
    cmd_pipeline_run,
    cmd_sandbox_reset,
    cmd_serve,
)
from toolkit.cli._enrich import cmd_enrich
from toolkit.cli._jobs import (
    cmd_jobs_download,
    cmd_jobs_forget,
    cmd_jobs_list,
    cmd_jobs_resume,
    cmd_jobs_status,
)

__all__ = ["build_parser"]

_EPILOG = (
    "exit codes: 0 done, 1 API/job error, 2 usage or input error, 3 stopped for credits, "
    "4 create answer lost (not re-submitted), 5 timed out (jobs kept), 130 interrupted. "
    "Docs: docs/jobs.md"
)


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type: a number of ``kind`` above 0 (argparse says which flag)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value

    return parse


def _wait_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--poll-interval",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds between status polls (default 30; the API asks for 30-60)",
    )
    p.add_argument(
        "--timeout", type=float, default=None, metavar="S", help="stop waiting after S s"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (every command and sub-command has ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="influencers-club",
        description="Influencers Club toolkit: batch enrichment, jobs, cache, credits, sandbox.",
        epilog=_EPILOG,
    )
    from toolkit._version import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="store URL (default $INFLUENCERS_CLUB_STORE_URL)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "enrich", help="enrich a CSV of handles or emails to Parquet", epilog=_EPILOG
    )
    p.add_argument(
        "csv",
        metavar="FILE",
        help="CSV or Excel (.xlsx) file: a column of handles or emails (header optional)",
    )
    p.add_argument("--out", required=True, help="output directory (a Parquet dataset per table)")
    p.add_argument(
        "--format",
        choices=("parquet", "xlsx", "csv"),
        default="parquet",
        help="parquet: only the dataset (default); xlsx: also OUT/results.xlsx, one sheet per "
        "table; csv: also OUT/csv/<table>.csv",
    )
    p.add_argument("--platform", help="instagram, youtube, tiktok, ... (needed for handles)")
    p.add_argument(
        "--mode",
        default="full",
        choices=("raw", "full", "profile", "analytics", "basic", "advanced", "email"),
        help="batch: raw/full (handles), basic/advanced (emails); many: any tier or email",
    )
    p.add_argument(
        "--via",
        choices=("batch", "many"),
        default="batch",
        help="batch: the batch endpoint (default); many: concurrent single calls (enrich_many)",
    )
    p.add_argument("--column", help="the column holding the values, when the CSV has several")
    p.add_argument("--no-header", action="store_true", help="the first line is a value too")
    p.add_argument(
        "--encoding",
        default="utf-8",
        help="the CSV's text encoding (default utf-8; e.g. cp1252, utf-16 for older Excel files)",
    )
    p.add_argument(
        "--sheet", help="an Excel workbook's sheet: its name or 1-based number (default: the first)"
    )
    p.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="upload duplicate rows as they are (the API bills each one)",
    )
    p.add_argument(
        "--concurrency", type=_positive(int), default=10, help="--via many: requests at a time"
    )
    p.add_argument(
        "--budget", type=_positive(float), default=None, help="refuse to spend more credits"
    )
    p.add_argument(
        "--resubmit",
        action="store_true",
        help="submit jobs whose create answer was lost again (they may be billed twice)",
    )
    _wait_options(p)
    p.set_defaults(func=cmd_enrich)

    jobs = sub.add_parser("jobs", help="the local registry of batch jobs", epilog=_EPILOG)
    jsub = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    j = jsub.add_parser("list", help="list unfinished jobs (--all: every job)")
    j.add_argument("--all", action="store_true", help="include finished and failed jobs")
    j.add_argument("--json", action="store_true", help="print JSON")
    j.set_defaults(func=cmd_jobs_list, read_only=True)
    j = jsub.add_parser("status", help="show one job")
    j.add_argument("job", help="job id, a unique prefix of it, or the batch id")
    j.add_argument("--refresh", action="store_true", help="ask the server first (free)")
    j.add_argument("--json", action="store_true", help="print JSON")
    j.set_defaults(func=cmd_jobs_status)
    j = jsub.add_parser("resume", help="resume a paused job, or pick up all (--all), and wait")
    j.add_argument("job", nargs="?", help="job id, prefix or batch id")
    j.add_argument("--all", action="store_true", help="every unfinished job of this credential")
    j.add_argument("--out", help="write results here instead of the job's recorded directory")
    _wait_options(j)
    j.set_defaults(func=cmd_jobs_resume)
    j = jsub.add_parser("download", help="download a finished job's results as Parquet")
    j.add_argument("job", help="job id, prefix or batch id")
    j.add_argument("--out", required=True, help="output directory")
    j.set_defaults(func=cmd_jobs_download)
    j = jsub.add_parser("forget", help="remove a job from the local registry")
    j.add_argument("job", help="job id, prefix or batch id")
    j.set_defaults(func=cmd_jobs_forget, read_only=True)

    p = sub.add_parser("credits", help="show the account's credits (free)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_credits, read_only=True)

    cache = sub.add_parser("cache", help="the response cache (re-runs answered locally)")
    csub = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    c = csub.add_parser("stats", help="how many answers are cached for this credential")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=cmd_cache_stats, read_only=True)
    c = csub.add_parser("clear", help="forget this credential's cached answers")
    c.add_argument("--operation", help="only this operation (e.g. enrich_handle_full)")
    c.set_defaults(func=cmd_cache_clear, read_only=True)

    box = sub.add_parser("sandbox", help="the built-in sandbox (used without an API key)")
    bsub = box.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    b = bsub.add_parser("reset", help="start it afresh: credits, jobs, journal and cache")
    b.set_defaults(func=cmd_sandbox_reset)

    p = sub.add_parser("serve", help="serve the offline sandbox on 127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--creators", type=int, default=5000)
    p.add_argument("--credits", type=float, default=1000.0)
    p.add_argument("--fixed-clock", action="store_true", help="pin the clock (repeatable)")
    p.set_defaults(func=cmd_serve)

    _pipeline_parser(sub)

    for action, text in (
        ("login", "sign in with OAuth in the browser (keeps a refreshed token)"),
        ("logout", "revoke the stored OAuth token and forget it"),
        ("whoami", "show who is signed in"),
    ):
        sub.add_parser(action, help=text)  # listed here; main() hands them to toolkit._login
    _store_after_command(parser)
    return parser


def _store_after_command(parser: argparse.ArgumentParser) -> None:
    """``--store`` is taken after the command too (``jobs list --store s.sqlite3``): every
    command that runs code gets it, without a default, so one given first is kept."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if child.get_default("func") is not None and not any(
                    "--store" in a.option_strings for a in child._actions
                ):
                    child.add_argument(
                        "--store",
                        default=argparse.SUPPRESS,
                        metavar="URL",
                        help="store URL (default $INFLUENCERS_CLUB_STORE_URL)",
                    )
                _store_after_command(child)


def _pipeline_parser(sub: Any) -> None:
    """``pipeline run``: load searches, profiles and campaigns into a warehouse with dlt."""
    pipe = sub.add_parser("pipeline", help="load into a warehouse with dlt (docs/pipelines.md)")
    psub = pipe.add_subparsers(dest="pipeline_command", metavar="ACTION", required=True)
    p = psub.add_parser("run", help="run the pipeline once", epilog=_EPILOG)
    p.add_argument("--destination", choices=("duckdb", "postgres", "filesystem"), default="duckdb")
    p.add_argument(
        "--to",
        metavar="PATH_OR_URL",
        help="duckdb file (default warehouse.duckdb), postgresql:// URL (default: dlt's "
        "DESTINATION__POSTGRES__CREDENTIALS) or folder/bucket URL (default ./warehouse)",
    )
    p.add_argument("--dataset", default="influencers_club", help="dataset (schema) name")
    p.add_argument("--searches", action="append", metavar="FILE", help="a saved search (repeat)")
    p.add_argument("--handles", metavar="CSV", help="a CSV of handles to enrich")
    p.add_argument("--platform", default="instagram", help="platform of --handles")
    p.add_argument("--mode", default="full", choices=("full", "profile", "analytics", "raw"))
    p.add_argument("--campaign", action="append", metavar="ID", help="a campaign id (repeat)")
    p.add_argument("--budget", type=float, help="credits this run may spend at most")
    p.add_argument(
        "--refresh-after", type=float, default=30, metavar="DAYS", help="re-enrich after (30)"
    )
    p.add_argument("--pipeline-name", default="influencers_club")
    p.add_argument("--pipelines-dir", metavar="DIR", help="dlt's state folder (default ~/.dlt)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_pipeline_run)
