"""``influencers-club``: long jobs from a shell (batch enrichment, jobs, cache, credits, sandbox).

Talks to the real API when ``INFLUENCERS_CLUB_API_KEY`` is set (``INFLUENCERS_CLUB_BASE_URL``
points it elsewhere, e.g. at ``influencers-club serve``), else to an in-process sandbox.
Jobs and the enrich_many journal live in the store (``--store``, else
``INFLUENCERS_CLUB_STORE_URL``, else SQLite in the user cache directory), on the real API
and on the sandbox alike; the built-in sandbox keeps its own state there too, so one
command's spend and jobs are the next one's (``sandbox reset`` starts it afresh).

Exit codes (docs/jobs.md, "Command line"); scripts can rely on them:

==  ===================================================================================
0   done: every input is in the output (``failures/`` lists those without data)
1   an API or job error (message on stderr)
2   usage or input error: bad arguments, unreadable CSV; nothing was sent
3   stopped for credits: a batch paused (``jobs resume`` after a top-up), out of credits,
    or over ``--budget``
4   a create answer was lost: the batch may exist; nothing was re-submitted
5   still running after ``--timeout``: the jobs are in the registry (``jobs resume``)
130 interrupted (Ctrl-C); what was paid for is journaled or in the registry
==  ===================================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from toolkit._cliterms import cli_terms

__all__ = ["EXIT", "build_parser", "cli_terms", "main"]

#: Exit codes by meaning (the table in the module docstring).
EXIT = {
    "ok": 0,
    "error": 1,
    "usage": 2,
    "credits": 3,
    "unknown": 4,
    "timeout": 5,
    "interrupted": 130,
}
_EPILOG = (
    "exit codes: 0 done, 1 API/job error, 2 usage or input error, 3 stopped for credits, "
    "4 create answer lost (not re-submitted), 5 timed out (jobs kept), 130 interrupted. "
    "Docs: docs/jobs.md"
)


def _say(message: str) -> None:
    """Print to stderr in command-line terms (see :func:`cli_terms`)."""
    print(cli_terms(message), file=sys.stderr, flush=True)


# ------------------------------------------------------------------------- the client
def _client(args: argparse.Namespace) -> tuple[Any, Any]:
    """A client and the store for this invocation (see the module docstring)."""
    from toolkit import Client
    from toolkit._config import ENV_API_KEY
    from toolkit.store import open_store

    budget = getattr(args, "budget", None)
    store = open_store(args.store)
    args.opened.append(store)
    if os.environ.get(ENV_API_KEY, "").strip():
        client = Client(budget=budget, store=store)
        args.opened.append(client)
        return client, store
    from toolkit._clihold import hold
    from toolkit._connect import sandbox_client
    from toolkit.sandbox import persist

    where = _store_where(store)
    changes = not getattr(args, "read_only", False)
    lock = None
    if where is not None and changes:  # one command at a time changes the kept sandbox
        lock = hold(store, wait=_hold_wait(), notice=_say)
    try:
        sb, kept = persist.load(store)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if kept not in ("new", "continued"):
        _say(f"warning: {kept}; it starts afresh")
    if where is None:
        _say(
            "No INFLUENCERS_CLUB_API_KEY set: using the built-in sandbox (play credits) on a "
            "memory store: nothing it does is kept after this command."
        )
    else:
        _say(
            f"No INFLUENCERS_CLUB_API_KEY set: using the built-in sandbox (play credits), "
            f"{'continued from' if kept == 'continued' else 'kept in'} the store {where} "
            "(`influencers-club sandbox reset` starts afresh)."
        )
    client = sandbox_client(sb, budget=budget, store=store)
    # closed in reverse: the sandbox is saved first, while its store is still open
    args.opened += [client, _SandboxSaver(sb, store, where is not None and changes, lock)]
    return client, store


def _hold_wait() -> float:
    """Seconds a command waits for another one using the built-in sandbox (env override)."""
    raw = os.environ.get("INFLUENCERS_CLUB_SANDBOX_WAIT", "").strip()
    try:
        return max(0.0, float(raw)) if raw else 600.0
    except ValueError:
        return 600.0


class _SandboxSaver:
    """Puts the built-in sandbox back in the store when the command ends (even on an error:
    what it charged and created happened), then lets the next command have it. A read-only
    command (``credits``, ``jobs list``) neither holds nor saves it."""

    def __init__(self, sb: Any, store: Any, keep: bool, lock: Any = None) -> None:
        self.sb, self.store, self.keep, self.lock = sb, store, keep, lock

    def close(self) -> None:
        from toolkit.sandbox import persist

        try:
            if self.keep:
                try:
                    persist.save(self.sb, self.store, downloaded=_downloaded_batches(self.store))
                except Exception as exc:  # the command's own outcome stands; say what is lost
                    _say(f"warning: the built-in sandbox could not be kept in the store ({exc})")
        finally:
            if self.lock is not None:
                self.lock.release()


def _downloaded_batches(store: Any) -> set[str]:
    """Batch ids whose results are on disk: the kept sandbox need not keep their rows."""
    from toolkit.jobs import Registry

    return {j.batch_id for j in Registry(store).jobs() if j.state == "downloaded" and j.batch_id}


def _store_where(store: Any) -> str | None:
    """Where a store keeps its data, for a notice: a path, a database, or None (memory)."""
    path = getattr(store, "path", "-")
    if path is None:
        return None
    return str(path) if path != "-" else repr(store)


# ------------------------------------------------------------------------- commands
def cmd_enrich(args: argparse.Namespace) -> int:
    """Enrich the handles or emails of a CSV or Excel file into a Parquet dataset under --out."""
    from toolkit.jobs import CsvInputError, invalid_part, read_csv

    emails = args.mode in ("basic", "advanced", "email")
    if args.via == "many" and args.mode == "advanced":
        _say("error: --via many has no advanced email mode; use --via batch")
        return EXIT["usage"]
    if args.via == "batch" and args.mode not in ("raw", "full", "basic", "advanced"):
        _say(f"error: --via batch takes --mode raw, full, basic or advanced (not {args.mode})")
        return EXIT["usage"]
    if not emails and not args.platform:
        _say(f"error: --mode {args.mode} enriches handles: add --platform (instagram, youtube ...)")
        return EXIT["usage"]
    if args.via == "many" and not emails:  # refused before reading or sending anything
        from toolkit._checks import check_platform
        from toolkit.resources.creators import MODE_PLATFORMS

        check_platform(args.platform, MODE_PLATFORMS[args.mode])
    sheet = _sheet(args.sheet)
    try:
        src = read_csv(
            args.csv,
            column=args.column,
            header=False if args.no_header else None,
            encoding=args.encoding,
            sheet=sheet,
            kind="email" if emails else "handle",
        )
    except CsvInputError as exc:
        if exc.argument == "sheet" and isinstance(sheet, int):  # the library counts from 0
            raise CsvInputError(str(exc).replace(f"sheet {sheet}", f"sheet {args.sheet}")) from None
        raise
    for note in src.notes:
        _say(f"{args.csv}: {note}")
    client, store = _client(args)
    progress = not args.no_progress
    if args.via == "many":
        out = client.creators.enrich_many(
            src.values,
            args.platform,
            mode="email" if emails else args.mode,
            concurrency=args.concurrency,
            progress=progress,
            store=store,
        )
        parts = [p.stem.removeprefix("part-") for p in out.write_parquet(args.out)]
        _say(
            f"{out.results.height} enriched, {out.failures.height} without data, "
            f"{out.merged} duplicates merged"
        )
        _finish(args, client, 0.0, out.credits_saved_by_journal, parts)
        if out.stop_reason:
            _say(f"stopped early: {out.stop_reason}")
            return EXIT["credits"]
        return EXIT["ok"]
    done_before = _downloaded_jobs(store)
    try:
        run = client.batch.run(
            src.values,
            mode=args.mode,
            platform=args.platform,
            out=args.out,
            dedupe=not args.keep_duplicates,
            poll_interval=args.poll_interval,
            timeout=args.timeout,
            progress=progress,
            resubmit=args.resubmit,
            store=store,
        )
    except TimeoutError as exc:
        if client.sandbox is None:
            raise  # its advice (`jobs resume --all`) holds: the jobs are in the store
        raise TimeoutError(_sandbox_timeout(args, store, exc)) from exc
    if run.prepared is not None:
        _say(run.prepared.summary())
    _say(repr(run))
    spent = sum(j.credits_used or 0.0 for j in run.jobs if j.job_id not in done_before)
    saved = sum(j.credits_used or 0.0 for j in run.jobs if j.job_id in done_before)
    parts = [j.job_id for j in run.jobs]
    if run.prepared is not None and run.prepared.invalid:
        parts.append(invalid_part(run.jobs))
    _finish(args, client, spent, saved, parts)
    return EXIT["ok"]


def _downloaded_jobs(store: Any) -> set[str]:
    """The registry's jobs already downloaded: a run that meets them again pays nothing."""
    from toolkit.jobs import Registry

    return {j.job_id for j in Registry(store).jobs() if j.state == "downloaded"}


def _finish(
    args: argparse.Namespace, client: Any, batch: float, journal: float, parts: list[str]
) -> None:
    """The end of every enrich: what it cost and saved, what it wrote, where, how to read it.

    Spent: the client's ledger (single calls) plus ``batch``, what the server counted for
    this run's batch jobs; saved: cache hits (ledger), journal answers and jobs the
    registry already had downloaded (``journal``).
    """
    from toolkit._format import number
    from toolkit.jobs import read_dataset

    out = Path(args.out)
    rows = _rows_written(out, {f"part-{p}" for p in parts})
    table = "email_match" if args.mode in ("basic", "advanced", "email") else "creator"
    extra = ""
    if args.format == "xlsx":
        extra = f"; workbook {read_dataset(out).to_excel(out / 'results.xlsx')}"
    elif args.format == "csv":
        read_dataset(out).to_csv(out / "csv")
        extra = f"; CSV files in {out / 'csv'}"
    _say(
        f"credits: {number(batch + client.ledger.total_spent)} spent, "
        f"{number(client.ledger.total_saved)} saved by the cache, {number(journal)} saved by "
        f"the journal and registry; rows written: {rows.get(table, 0)} {table}, "
        f"{rows.get('failures', 0)} failures, {sum(rows.values())} in all tables, to {out}{extra}"
    )
    glob = (out / table / "*.parquet").as_posix()
    _say(f"read it with duckdb: SELECT * FROM '{glob}'")


def _rows_written(out: Path, parts: set[str]) -> dict[str, int]:
    """Rows of this run's part files, per table (read from the Parquet footers)."""
    import pyarrow.parquet as pq

    rows: dict[str, int] = {}
    for path in out.glob("*/part-*.parquet"):
        if path.stem in parts and not path.parent.name.startswith("_"):
            count = pq.ParquetFile(path).metadata.num_rows
            rows[path.parent.name] = rows.get(path.parent.name, 0) + count
    return rows


def _sheet(value: str | None) -> str | int | None:
    """``--sheet``: a name, or a 1-based number (as Excel shows them) made 0-based."""
    if value is not None and value.isdigit() and int(value) >= 1:
        return int(value) - 1
    return value


def _sandbox_timeout(args: argparse.Namespace, store: Any, exc: TimeoutError) -> str:
    """``--timeout`` on the built-in sandbox: where its batches are, and how to go on."""
    head = str(exc).split("; the jobs are in the registry", 1)[0]
    if _store_where(store) is None:
        return (
            f"{head}. This command's sandbox uses a memory store, so its batches end with it: "
            "run it again without --timeout (the sandbox clock moves with each poll, so it "
            "finishes at once), or without --store memory: to keep them between commands"
        )
    return (
        f"{head}; the jobs and the built-in sandbox are kept in the store: continue them with "
        "`influencers-club jobs resume --all`"
    )


def _registry(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from toolkit.jobs import Registry

    client, store = _client(args)
    return client, store, Registry(store)


def cmd_jobs_list(args: argparse.Namespace) -> int:
    """List the registry's jobs (unfinished only unless --all)."""
    client, _, registry = _registry(args)
    jobs = registry.jobs(unfinished=not args.all)
    scope = str(client.identity_fingerprint)
    if args.json:
        print(json.dumps([{**_public(j), "origin": _origin(j, scope)} for j in jobs], indent=1))
    elif not jobs:
        print("no unfinished jobs" if not args.all else "no jobs in the registry")
    for j in [] if args.json else jobs:
        origin = _origin(j, scope)
        print(j.describe() + ("" if origin == "this credential" else f" ({origin})"))
    return EXIT["ok"]


def _origin(job: Any, scope: str) -> str:
    """Whose a listed job is, seen from this command's credential: the registry of a store
    holds the built-in sandbox's jobs and other keys' beside this credential's own."""
    if job.scope == scope:
        return "this credential"
    return "built-in sandbox" if job.sandbox is not None else "another key or server"


def cmd_jobs_status(args: argparse.Namespace) -> int:
    """Show one job; --refresh asks the server first (a free status call)."""
    from toolkit.jobs import drive, own_job, poll_flow

    args.read_only = not args.refresh  # only a refresh moves the built-in sandbox on
    client, _, registry = _registry(args)
    job = registry.find(args.job)
    if args.refresh and job.batch_id and job.state == "submitted":
        job = own_job(client, registry, args.job, "batch_status")  # another account's: refused
        drive(client, poll_flow(client, registry, job))
    print(json.dumps(_public(job), indent=1) if args.json else _details(job))
    return EXIT["ok"]


def cmd_jobs_resume(args: argparse.Namespace) -> int:
    """Resume a paused job (or pick up every unfinished one with --all) and wait for it."""
    client, store, _ = _registry(args)
    wait = {
        "poll_interval": args.poll_interval,
        "timeout": args.timeout,
        "progress": not args.no_progress,
        "say": _say,
    }
    if args.out:
        wait["out"] = args.out
    if args.all:
        run = client.batch.pick_up(resume=True, store=store, **wait)
    elif args.job:
        run = client.batch.resume_job(args.job, store=store, **wait)
    else:
        _say("error: name a job (see `influencers-club jobs list`) or pass --all")
        return EXIT["usage"]
    _say(repr(run))
    from toolkit._format import number

    line = f"credits: {number(sum(j.credits_used or 0.0 for j in run.jobs))} spent on these jobs"
    if run.out is not None:
        rows = _rows_written(Path(run.out), {f"part-{j.job_id}" for j in run.jobs})
        line += f"; rows written: {sum(rows.values())} in all tables, to {run.out}"
    _say(line)
    return EXIT["ok"]


def cmd_jobs_download(args: argparse.Namespace) -> int:
    """Download a finished job's results (free) into --out as Parquet."""
    from toolkit.jobs import download_flow, drive, own_job, poll_flow

    client, _, registry = _registry(args)
    job = own_job(client, registry, args.job, "batch_download")
    if job.batch_id is None:
        _say(f"{job.describe()}: no batch id, nothing to download")
        return EXIT["error"]
    job.output = args.out
    if job.state == "submitted":
        drive(client, poll_flow(client, registry, job))
    if job.state not in ("finished", "downloaded"):
        _say(f"{job.describe()}: not finished yet ({job.api_status}); try again later")
        return EXIT["error"]
    drive(client, download_flow(client, registry, job))
    _say(f"{job.describe()}: written to {args.out}")
    return EXIT["ok"]


def cmd_jobs_forget(args: argparse.Namespace) -> int:
    """Remove a job from the local registry (the batch on the server is untouched)."""
    _, _, registry = _registry(args)
    job = registry.find(args.job)
    registry.forget(job.job_id)
    _say(f"forgot {job.describe()}")
    return EXIT["ok"]


def cmd_credits(args: argparse.Namespace) -> int:
    """Show the account's credits (a free call)."""
    client, _ = _client(args)
    data = client.account.credits().data or {}
    if args.json:
        print(json.dumps(data))
    else:
        print(f"credits available: {data.get('credits_available')}")
        print(f"credits used: {data.get('credits_used')}")
    return EXIT["ok"]


def cmd_cache_stats(args: argparse.Namespace) -> int:
    """How many answers the response cache holds for this credential (``client.cache``)."""
    client, _ = _client(args)
    stats = client.cache.stats()
    if args.json:
        print(json.dumps({"mode": stats.mode, "entries": stats.entries}))
    else:
        print(f"cache mode: {stats.mode}")
        print(f"cached answers for this credential: {stats.entries}")
    return EXIT["ok"]


def cmd_cache_clear(args: argparse.Namespace) -> int:
    """Forget the cached answers of this credential (one operation with --operation)."""
    client, _ = _client(args)
    removed = client.cache.clear(args.operation)
    _say(f"removed {removed} cached answers; the next identical call is paid again")
    return EXIT["ok"]


def cmd_sandbox_reset(args: argparse.Namespace) -> int:
    """Start the built-in sandbox afresh: its state, and its jobs, journal and cache."""
    from toolkit._config import ENV_API_KEY
    from toolkit.jobs import JOURNAL_NAMESPACE as JOURNAL
    from toolkit.jobs import Registry
    from toolkit.sandbox import persist

    if os.environ.get(ENV_API_KEY, "").strip():
        _say("error: INFLUENCERS_CLUB_API_KEY is set: this resets the built-in sandbox only")
        return EXIT["usage"]
    client, store = _client(args)
    args.opened[-1].keep = False  # not saved back: forgotten below (the hold is let go)
    scope = str(client.identity_fingerprint)
    registry = Registry(store)
    jobs = registry.jobs(scope=scope)
    for job in jobs:
        registry.forget(job.job_id)
    answers = [key for key, _ in store.items(JOURNAL, prefix=scope + "/")]
    for key in answers:
        store.delete(JOURNAL, key)
    cached = client.cache.clear()
    persist.forget(store)
    _say(
        f"the built-in sandbox starts afresh (1000 play credits); forgot {len(jobs)} jobs, "
        f"{len(answers)} journaled answers and {cached} cached answers of it"
    )
    return EXIT["ok"]


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the sandbox on loopback (the same as ``python -m toolkit.sandbox``)."""
    from toolkit.sandbox.__main__ import main as serve_main

    argv = ["--port", str(args.port), "--seed", str(args.seed), "--creators", str(args.creators)]
    argv += ["--credits", str(args.credits)]
    if args.fixed_clock:
        argv.append("--fixed-clock")
    return serve_main(argv)


def _public(job: Any) -> dict[str, Any]:
    from dataclasses import asdict

    doc = asdict(job)
    doc.pop("inputs", None)
    return doc


def _details(job: Any) -> str:
    lines = [job.describe()]
    for name in ("api_status", "success_count", "failed_count", "credits_used", "output"):
        value = getattr(job, name)
        if value is not None:
            lines.append(f"  {name}: {value}")
    if job.status_message or job.error:
        lines.append(f"  note: {job.status_message or job.error}")
    return "\n".join(lines)


# ------------------------------------------------------------------------- the parser
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


def cmd_pipeline_run(args: argparse.Namespace) -> int:
    """Run the dlt pipeline once (needs the ``pipelines`` extra)."""
    try:
        from toolkit.pipelines._cli import run_command
    except ImportError as exc:
        _say(f"error: {exc}")
        return EXIT["usage"]
    client, _store = _client(args)
    return run_command(args, client)


#: ``influencers-club <action>`` -> the action of ``toolkit._login.login_main``.
_LOGIN_ACTIONS = {"login": "login", "logout": "logout", "whoami": "status"}


def _warn(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
    _say(f"warning: {message}")


def _exit_code(exc: BaseException) -> int:
    from toolkit._clihold import SandboxBusy
    from toolkit._exceptions import (
        BudgetExceededError,
        InfluencersClubError,
        InsufficientCreditsError,
        OutcomeUnknownError,
    )
    from toolkit.jobs import BatchPausedError, CsvInputError, SubmitUnknownError

    table: list[tuple[type[BaseException] | tuple[type[BaseException], ...], str]] = [
        (KeyboardInterrupt, "interrupted"),
        ((BatchPausedError, InsufficientCreditsError, BudgetExceededError), "credits"),
        ((SubmitUnknownError, OutcomeUnknownError), "unknown"),
        (TimeoutError, "timeout"),
        ((CsvInputError, FileNotFoundError, ValueError, TypeError, KeyError), "usage"),
        ((InfluencersClubError, SandboxBusy), "error"),
    ]
    for kinds, name in table:
        if isinstance(exc, kinds):
            return EXIT[name]
    raise exc


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _LOGIN_ACTIONS:  # the OAuth module parses its own options
        from toolkit._login import login_main

        return login_main([_LOGIN_ACTIONS[argv[0]], *argv[1:]])
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    args.opened = []  # clients and stores to close on the way out
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _warn  # one line in command-line terms, no source line
            return func(args)
    except KeyboardInterrupt:
        _say("interrupted; paid answers are journaled and jobs are in the registry")
        return EXIT["interrupted"]
    except Exception as exc:
        code = _exit_code(exc)
        _say(f"error: {exc}" if not isinstance(exc, KeyError) else f"error: {exc.args[0]}")
        return code
    finally:
        for thing in reversed(args.opened):
            thing.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
