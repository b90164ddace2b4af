"""The commands that are one library call each: ``credits``, ``cache stats``/``clear``,
``sandbox reset``, ``serve`` and ``pipeline run`` (``enrich`` and ``jobs`` have modules of
their own)."""

from __future__ import annotations

import argparse
import json
import os

from toolkit.cli._output import EXIT, say
from toolkit.cli._session import open_client

__all__ = [
    "cmd_cache_clear",
    "cmd_cache_stats",
    "cmd_credits",
    "cmd_pipeline_run",
    "cmd_sandbox_reset",
    "cmd_serve",
]


def cmd_credits(args: argparse.Namespace) -> int:
    """Show the account's credits (a free call)."""
    client, _ = open_client(args)
    data = client.account.credits().data or {}
    if args.json:
        print(json.dumps(data))
    else:
        print(f"credits available: {data.get('credits_available')}")
        print(f"credits used: {data.get('credits_used')}")
    return EXIT["ok"]


def cmd_cache_stats(args: argparse.Namespace) -> int:
    """How many answers the response cache holds for this credential (``client.cache``)."""
    client, _ = open_client(args)
    stats = client.cache.stats()
    if args.json:
        print(json.dumps({"mode": stats.mode, "entries": stats.entries}))
    else:
        print(f"cache mode: {stats.mode}")
        print(f"cached answers for this credential: {stats.entries}")
    return EXIT["ok"]


def cmd_cache_clear(args: argparse.Namespace) -> int:
    """Forget the cached answers of this credential (one operation with --operation)."""
    client, _ = open_client(args)
    removed = client.cache.clear(args.operation)
    say(f"removed {removed} cached answers; the next identical call is paid again")
    return EXIT["ok"]


def cmd_sandbox_reset(args: argparse.Namespace) -> int:
    """Start the built-in sandbox afresh: its state, and its jobs, journal and cache."""
    from toolkit._config import ENV_API_KEY
    from toolkit.jobs import JOURNAL_NAMESPACE as JOURNAL
    from toolkit.jobs import Registry
    from toolkit.sandbox import persist

    if os.environ.get(ENV_API_KEY, "").strip():
        say("error: INFLUENCERS_CLUB_API_KEY is set: this resets the built-in sandbox only")
        return EXIT["usage"]
    client, store = open_client(args)
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
    say(
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


def cmd_pipeline_run(args: argparse.Namespace) -> int:
    """Run the dlt pipeline once (needs the ``pipelines`` extra)."""
    try:
        from toolkit.pipelines._cli import run_command
    except ImportError as exc:
        say(f"error: {exc}")
        return EXIT["usage"]
    client, _store = open_client(args)
    return run_command(args, client)
