"""connect(): the real API when a key is present, else the sandbox, and it says which."""

from __future__ import annotations

import sys

import pytest

import toolkit
from toolkit import AsyncClient, Client


def test_without_a_key_it_is_the_sandbox(monkeypatch, capsys) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    client = toolkit.connect(sandbox={"creators": 200, "credits": 50})
    out = capsys.readouterr()
    assert "sandbox" in (out.out + out.err) and len((out.out + out.err).strip().splitlines()) == 1
    assert client.is_sandbox and client.sandbox is not None
    assert "sandbox" in repr(client)
    assert client.account.credits().data["credits_available"] == 50.0
    client.sandbox.add_credits(10)  # the sandbox stays reachable for notebooks
    assert client.account.credits().data["credits_available"] == 60.0


def test_with_a_key_it_is_the_real_api_and_never_imports_the_sandbox(monkeypatch, capsys) -> None:
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", "sk_fake_0123456789abcdefXYZW")
    monkeypatch.delitem(sys.modules, "toolkit.sandbox", raising=False)
    client = toolkit.connect()
    note = capsys.readouterr()
    text = note.out + note.err
    assert "Influencers Club API" in text and "real credits" in text
    assert "0123456789abcdef" not in text and "XYZW" in text
    assert not client.is_sandbox and client.sandbox is None
    assert client.base_url == "https://api-dashboard.influencers.club"
    assert "toolkit.sandbox" not in sys.modules
    client.close()


def test_quiet_and_async(monkeypatch, capsys) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    aclient = toolkit.connect(asynchronous=True, quiet=True, sandbox={"creators": 100})
    assert isinstance(aclient, AsyncClient) and aclient.is_sandbox
    assert capsys.readouterr().err == ""


@pytest.mark.anyio
async def test_async_sandbox_connection_answers(monkeypatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    aclient = toolkit.connect(asynchronous=True, quiet=True, sandbox={"creators": 100})
    assert (await aclient.account.credits()).status_code == 200
    await aclient.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_explicit_key_wins(monkeypatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    client = toolkit.connect("sk_fake_0123456789abcdef", quiet=True)
    assert isinstance(client, Client) and not client.is_sandbox
    client.close()


def test_a_keyed_client_on_a_served_sandbox_says_so(monkeypatch, capsys) -> None:
    """A sandbox on loopback with a sandbox key is announced as the sandbox, not real money."""
    from toolkit.sandbox import Sandbox

    sb = Sandbox(seed=3, creators=50, credits=25)
    with sb.serve() as url:
        monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", sb.api_key)
        monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", url)
        client = toolkit.connect()
        text = "".join(capsys.readouterr())
        assert client.is_sandbox and client.sandbox is None
        assert "sandbox served at " + url in text and "real credits" not in text
        assert "sandbox" in repr(client)
        assert client.account.credits().data["credits_available"] == 25.0
        client.close()


def test_a_loopback_server_with_another_key_is_not_taken_for_the_sandbox(monkeypatch, capsys):
    """A loopback address alone may be a proxy to the real API: warn, don't reassure."""
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", "sk_fake_0123456789abcdefXYZW")
    monkeypatch.setenv("INFLUENCERS_CLUB_BASE_URL", "http://127.0.0.1:9")
    client = toolkit.connect()
    text = "".join(capsys.readouterr())
    assert not client.is_sandbox
    assert "local server at http://127.0.0.1:9" in text and "real credits" in text
    assert "0123456789abcdef" not in text
    client.close()
