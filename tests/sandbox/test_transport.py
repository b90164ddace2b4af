"""Both ways of running the sandbox, and faults surfacing as the httpx errors a client sees."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest
from sandbox_helpers import PAID, add_paid_route

from toolkit.sandbox import AsyncSandboxTransport, Sandbox, SandboxTransport

CREDITS = "/public/v1/accounts/credits/"


@pytest.fixture(params=["in-process", "loopback"])
def wire(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, httpx.Client]]:
    sb = Sandbox(creators=100)
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    if request.param == "in-process":
        with httpx.Client(
            transport=sb.transport(), base_url="https://sandbox.test", headers=headers
        ) as http:
            yield sb, http
    else:
        with sb.serve() as url, httpx.Client(base_url=url, headers=headers) as http:
            yield sb, http


def test_both_ways_answer_the_same(wire: tuple[Sandbox, httpx.Client]) -> None:
    sb, http = wire
    r = http.get(CREDITS)
    assert r.status_code == 200
    assert r.json() == {"credits_available": 1000.0, "credits_used": 0.0}
    assert isinstance(sb.transport(), SandboxTransport)
    assert isinstance(sb.async_transport(), AsyncSandboxTransport)


def test_server_url_is_loopback() -> None:
    sb = Sandbox(creators=50)
    with sb.serve() as url:
        assert url.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):  # stopped on exit
        httpx.get(url + CREDITS, timeout=2)


def test_drop_is_a_remote_protocol_error(wire: tuple[Sandbox, httpx.Client]) -> None:
    sb, http = wire
    sb.faults.add("drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(CREDITS)
    assert http.get(CREDITS).status_code == 200  # the next call is fine
    assert sb.log[-2].status is None and sb.log[-2].fault == "drop"


def test_slow_past_read_timeout_is_read_timeout_after_billing(
    wire: tuple[Sandbox, httpx.Client],
) -> None:
    sb, http = wire
    add_paid_route(sb, 1.0)
    sb.faults.add("slow", seconds=1.0, operations={"test_paid"})
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        http.post(PAID, json={}, timeout=httpx.Timeout(5.0, read=0.2))
    assert time.monotonic() - started < 0.9  # gave up at the read timeout, not later
    # the outcome-unknown case: the sandbox processed and billed the call
    assert sb.log[-1].charged == 1.0
    assert sb.credits == pytest.approx(999.0)


def test_slow_within_timeout_just_arrives_late(wire: tuple[Sandbox, httpx.Client]) -> None:
    sb, http = wire
    sb.faults.add("slow", seconds=0.3, times=1)
    started = time.monotonic()
    assert http.get(CREDITS, timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_malformed_and_truncated_bodies(wire: tuple[Sandbox, httpx.Client]) -> None:
    sb, http = wire
    sb.faults.add("malformed", times=1)
    sb.faults.add("truncated", times=1)
    for _ in range(2):
        r = http.get(CREDITS)
        assert r.status_code == 200
        with pytest.raises(ValueError):
            r.json()


def test_absolute_urls_use_the_callers_host(wire: tuple[Sandbox, httpx.Client]) -> None:
    sb, http = wire
    host = str(http.base_url).rstrip("/")
    # a page URL built by the sandbox points back at the host the client used
    sub = http.post(
        "/public/v1/social/listening/subscription/",
        json={
            "name": "s",
            "platform": "instagram",
            "handles": [c.username for c in sb.world.on("instagram")[:30]],
        },
    ).json()
    page = http.get(
        f"/public/v1/social/listening/subscription/{sub['id']}/creators/", params={"page_size": 5}
    ).json()
    assert page["next"].startswith(host + "/public/v1/social/listening/subscription/")


@pytest.mark.anyio
async def test_async_transport_does_not_block_the_loop() -> None:
    sb = Sandbox(creators=50)
    sb.faults.add("slow", seconds=0.5, operations={"api_keys_list"})
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    order: list[str] = []
    async with httpx.AsyncClient(
        transport=sb.async_transport(), base_url="https://x", headers=headers
    ) as http:

        async def slow() -> None:
            await http.get("/public/v1/accounts/tokens/")
            order.append("slow")

        async def fast() -> None:
            await anyio.sleep(0.05)
            await http.get(CREDITS)
            order.append("fast")

        async with anyio.create_task_group() as tg:
            tg.start_soon(slow)
            tg.start_soon(fast)
    assert order == ["fast", "slow"]


@pytest.mark.anyio
async def test_async_faults_surface_as_httpx_errors() -> None:
    sb = Sandbox(creators=50)
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    async with httpx.AsyncClient(
        transport=sb.async_transport(), base_url="https://x", headers=headers
    ) as http:
        sb.faults.add("drop", times=1)
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(CREDITS)
        sb.faults.add("slow", seconds=2, times=1)
        with pytest.raises(httpx.ReadTimeout):
            await http.get(CREDITS, timeout=httpx.Timeout(5, read=0.1))


def test_module_entry_point_prints_url_key_and_curl() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.sandbox", "--port", "0", "--creators", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]  # type: ignore[union-attr]
        url = lines[0].split()[3]
        key = lines[1].split()[-1]
        assert key.startswith("sk_sandbox_")
        assert lines[2].startswith("curl ") and url in lines[2]
        r = httpx.get(url + CREDITS, headers={"Authorization": f"Bearer {key}"}, timeout=5)
        assert r.json()["credits_available"] == 1000.0
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert "GET /public/v1/accounts/credits/ -> 200" in err
    assert key not in err
