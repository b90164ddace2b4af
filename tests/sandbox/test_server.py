"""The loopback server: ``python -m toolkit.sandbox --rate-limit`` and bursts without resets."""

from __future__ import annotations

import subprocess
import sys

import anyio
import httpx
import pytest

from toolkit.sandbox import Sandbox, Settings

CREDITS = "/public/v1/accounts/credits/"


def test_command_line_rate_limit_is_what_the_server_enforces() -> None:
    command = [sys.executable, "-m", "toolkit.sandbox", "--port", "0", "--creators", "50"]
    with subprocess.Popen(
        [*command, "--rate-limit", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            key = proc.stdout.readline().split("API key: ")[1].strip()
            url = first.split()[3]
            assert "3 requests/minute" in first
            headers = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=url, headers=headers) as http:
                codes = [http.get(CREDITS).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
        finally:
            proc.terminate()


def test_command_line_refuses_a_rate_limit_below_one() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "toolkit.sandbox", "--rate-limit", "0"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "at least 1 request per minute" in out.stderr


@pytest.mark.anyio
async def test_a_burst_of_200_concurrent_calls_sees_no_reset_refusal_or_retry() -> None:
    sb = Sandbox(creators=50, settings=Settings(rate_limit_per_minute=1000))
    statuses: list[int] = []
    errors: list[str] = []
    with sb.serve() as url:
        # one connection per call, no transport retries: any refused or reset connection
        # surfaces as an error here instead of being papered over
        transport = httpx.AsyncHTTPTransport(retries=0)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        headers = {"Authorization": f"Bearer {sb.api_key}"}
        async with httpx.AsyncClient(
            base_url=url, headers=headers, transport=transport, limits=limits, timeout=30
        ) as http:

            async def call() -> None:
                try:
                    statuses.append((await http.get(CREDITS)).status_code)
                except httpx.TransportError as exc:
                    errors.append(type(exc).__name__)

            async with anyio.create_task_group() as tg:
                for _ in range(200):
                    tg.start_soon(call)
    assert errors == []
    assert statuses == [200] * 200
    assert sum(e.operation == "account_credits" for e in sb.log) == 200  # each arrived once
