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

The package, one concern a module: ``_parser`` (every command and flag), ``_session`` (the
client and store of one command, the kept built-in sandbox), ``_enrich``, ``_jobs`` and
``_commands`` (what the commands do), ``_output`` (exit codes, stderr lines, rows written);
this module runs one command and turns what it raised into an exit code.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from toolkit._cliterms import cli_terms
from toolkit.cli._output import EXIT, say
from toolkit.cli._parser import build_parser

__all__ = ["EXIT", "build_parser", "cli_terms", "main"]


#: ``influencers-club <action>`` -> the action of ``toolkit._login.login_main``.
_LOGIN_ACTIONS = {"login": "login", "logout": "logout", "whoami": "status"}


def _warn(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
    say(f"warning: {message}")


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
        say("interrupted; paid answers are journaled and jobs are in the registry")
        return EXIT["interrupted"]
    except Exception as exc:
        code = _exit_code(exc)
        say(f"error: {exc}" if not isinstance(exc, KeyError) else f"error: {exc.args[0]}")
        return code
    finally:
        for thing in reversed(args.opened):
            thing.close()
