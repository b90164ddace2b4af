"""``python -m toolkit.sandbox``: serve the sandbox on 127.0.0.1 until Ctrl-C.

Prints the base URL, a sandbox API key and a ready-to-paste curl line, then logs each
request (method, path, status, credits charged) to stderr. The clock follows real time
here, so batch jobs progress and OAuth tokens expire by themselves.
"""

from __future__ import annotations

import argparse
import sys

from ._app import Sandbox, Settings
from ._clock import Clock
from ._log import LogEntry
from ._server import SandboxServer
from .world import DEFAULT_SIZE


def _per_minute(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("the rate limit is at least 1 request per minute")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m toolkit.sandbox", description="Run the offline API sandbox on loopback."
    )
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--creators", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--credits", type=float, default=1000.0)
    parser.add_argument("--page-base", type=int, choices=(0, 1), default=0)
    parser.add_argument("--trial", action="store_true", help="a trial account (10 credits)")
    parser.add_argument("--fixed-clock", action="store_true", help="pin the clock (repeatable)")
    parser.add_argument(
        "--rate-limit",
        type=_per_minute,
        default=Settings.rate_limit_per_minute,
        metavar="N",
        help="requests per minute per account (default: the API's %(default)s)",
    )
    args = parser.parse_args(argv)

    sb = Sandbox(
        seed=args.seed,
        creators=args.creators,
        clock=Clock.fixed() if args.fixed_clock else Clock.real(),
        settings=Settings(page_base=args.page_base, rate_limit_per_minute=args.rate_limit),
        credits=args.credits,
        trial=args.trial,
    )
    server = SandboxServer(sb, args.host, args.port)
    url = server.base_url
    print(
        f"Sandbox API at {url}  (seed {args.seed}, {args.creators} creators, "
        f"{args.rate_limit} requests/minute)",
        flush=True,
    )
    print(f"API key: {sb.api_key}", flush=True)
    print(
        f'curl -s -H "Authorization: Bearer {sb.api_key}" {url}/public/v1/accounts/credits/',
        flush=True,
    )
    print("Ctrl-C to stop.", flush=True)

    def show(entry: LogEntry) -> None:
        status = entry.status if entry.status is not None else "dropped"
        fault = f" [fault: {entry.fault}]" if entry.fault else ""
        print(
            f"{entry.method} {entry.path} -> {status}  charged {entry.charged:g}{fault}",
            file=sys.stderr,
            flush=True,
        )

    sb.log.listeners.append(show)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
