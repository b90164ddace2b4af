"""``influencers-club enrich``: a CSV or Excel file of handles or emails, enriched by the batch
endpoint or by concurrent single calls, into a Parquet dataset, and the summary it ends with."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit.cli._output import EXIT, rows_written, say
from toolkit.cli._session import open_client, store_where

__all__ = ["cmd_enrich"]


def _can_write_excel() -> bool:
    """Whether openpyxl imports (``notebook`` extra): asked before a paid run, not after."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def cmd_enrich(args: argparse.Namespace) -> int:
    """Enrich the handles or emails of a CSV or Excel file into a Parquet dataset under --out."""
    from toolkit.jobs import CsvInputError, invalid_part, read_csv

    emails = args.mode in ("basic", "advanced", "email")
    if args.via == "many" and args.mode == "advanced":
        say("error: --via many has no advanced email mode; use --via batch")
        return EXIT["usage"]
    if args.via == "batch" and args.mode not in ("raw", "full", "basic", "advanced"):
        say(f"error: --via batch takes --mode raw, full, basic or advanced (not {args.mode})")
        return EXIT["usage"]
    if args.format == "xlsx" and not _can_write_excel():
        # refused before paying: the workbook is written after the run
        from toolkit.frames._export import EXCEL_EXTRA

        say(
            "error: --format xlsx needs openpyxl: pip install "
            f"'influencers-club-toolkit[{EXCEL_EXTRA}]', or use --format parquet or csv"
        )
        return EXIT["usage"]
    if not emails and not args.platform:
        say(f"error: --mode {args.mode} enriches handles: add --platform (instagram, youtube ...)")
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
        say(f"{args.csv}: {note}")
    client, store = open_client(args)
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
        say(
            f"{out.results.height} enriched, {out.failures.height} without data, "
            f"{out.merged} duplicates merged"
        )
        _finish(args, client, 0.0, out.credits_saved_by_journal, parts)
        if out.stop_reason:
            say(f"stopped early: {out.stop_reason}")
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
        say(run.prepared.summary())
    say(repr(run))
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
    rows = rows_written(out, {f"part-{p}" for p in parts})
    table = "email_match" if args.mode in ("basic", "advanced", "email") else "creator"
    extra = ""
    if args.format == "xlsx":
        extra = f"; workbook {read_dataset(out).to_excel(out / 'results.xlsx')}"
    elif args.format == "csv":
        read_dataset(out).to_csv(out / "csv")
        extra = f"; CSV files in {out / 'csv'}"
    say(
        f"credits: {number(batch + client.ledger.total_spent)} spent, "
        f"{number(client.ledger.total_saved)} saved by the cache, {number(journal)} saved by "
        f"the journal and registry; rows written: {rows.get(table, 0)} {table}, "
        f"{rows.get('failures', 0)} failures, {sum(rows.values())} in all tables, to {out}{extra}"
    )
    glob = (out / table / "*.parquet").as_posix()
    say(f"read it with duckdb: SELECT * FROM '{glob}'")


def _sheet(value: str | None) -> str | int | None:
    """``--sheet``: a name, or a 1-based number (as Excel shows them) made 0-based."""
    if value is not None and value.isdigit() and int(value) >= 1:
        return int(value) - 1
    return value


def _sandbox_timeout(args: argparse.Namespace, store: Any, exc: TimeoutError) -> str:
    """``--timeout`` on the built-in sandbox: where its batches are, and how to go on."""
    head = str(exc).split("; the jobs are in the registry", 1)[0]
    if store_where(store) is None:
        return (
            f"{head}. This command's sandbox uses a memory store, so its batches end with it: "
            "run it again without --timeout (the sandbox clock moves with each poll, so it "
            "finishes at once), or without --store memory: to keep them between commands"
        )
    return (
        f"{head}; the jobs and the built-in sandbox are kept in the store: continue them with "
        "`influencers-club jobs resume --all`"
    )
