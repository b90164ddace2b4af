"""``influencers-club jobs``: the local registry of batch jobs (list, status, resume, download,
forget), read and driven through this command's client."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from toolkit.cli._output import EXIT, rows_written, say
from toolkit.cli._session import open_client

__all__ = [
    "cmd_jobs_download",
    "cmd_jobs_forget",
    "cmd_jobs_list",
    "cmd_jobs_resume",
    "cmd_jobs_status",
]


def _registry(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from toolkit.jobs import Registry

    client, store = open_client(args)
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
        "say": say,
    }
    if args.out:
        wait["out"] = args.out
    if args.all:
        run = client.batch.pick_up(resume=True, store=store, **wait)
    elif args.job:
        run = client.batch.resume_job(args.job, store=store, **wait)
    else:
        say("error: name a job (see `influencers-club jobs list`) or pass --all")
        return EXIT["usage"]
    say(repr(run))
    from toolkit._format import number

    line = f"credits: {number(sum(j.credits_used or 0.0 for j in run.jobs))} spent on these jobs"
    if run.out is not None:
        rows = rows_written(Path(run.out), {f"part-{j.job_id}" for j in run.jobs})
        line += f"; rows written: {sum(rows.values())} in all tables, to {run.out}"
    say(line)
    return EXIT["ok"]


def cmd_jobs_download(args: argparse.Namespace) -> int:
    """Download a finished job's results (free) into --out as Parquet."""
    from toolkit.jobs import download_flow, drive, own_job, poll_flow

    client, _, registry = _registry(args)
    job = own_job(client, registry, args.job, "batch_download")
    if job.batch_id is None:
        say(f"{job.describe()}: no batch id, nothing to download")
        return EXIT["error"]
    job.output = args.out
    if job.state == "submitted":
        drive(client, poll_flow(client, registry, job))
    if job.state not in ("finished", "downloaded"):
        say(f"{job.describe()}: not finished yet ({job.api_status}); try again later")
        return EXIT["error"]
    drive(client, download_flow(client, registry, job))
    say(f"{job.describe()}: written to {args.out}")
    return EXIT["ok"]


def cmd_jobs_forget(args: argparse.Namespace) -> int:
    """Remove a job from the local registry (the batch on the server is untouched)."""
    _, _, registry = _registry(args)
    job = registry.find(args.job)
    registry.forget(job.job_id)
    say(f"forgot {job.describe()}")
    return EXIT["ok"]


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
