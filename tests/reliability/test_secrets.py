"""The credential never shows: a pasted stray character is cleaned or refused without
repeating the key, and a server that echoes the key does not put it in the error."""

from __future__ import annotations

import logging
import traceback
from dataclasses import replace
from typing import Any

import pytest

import toolkit as ic
from toolkit.sandbox import Sandbox
from toolkit.sandbox._app import Ctx
from toolkit.sandbox._http import ApiError, Request

from .support import client_on

FAKE = "sk_fake_RECOGNISABLE0123456789abcdef"


def _everything_said(err: BaseException) -> str:
    """Message, args, repr and the formatted traceback (causes included) of an error."""
    parts = [str(err), repr(err), repr(err.args), *traceback.format_exception(err)]
    parts += [repr(v) for v in vars(err).values()]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "pasted",
    [
        f"{FAKE}\u200b",
        f"\u200b{FAKE}",
        f"\ufeff{FAKE}",
        f"{FAKE[:10]}\u200b{FAKE[10:]}",
        f"  Bearer {FAKE}\n",
        f"{FAKE}\r\n",
    ],
)
def test_invisible_characters_and_edges_are_cleaned(sb: Sandbox, pasted: str) -> None:
    client = ic.Client(api_key=pasted)
    assert client._credential == FAKE
    assert FAKE not in repr(client) and FAKE not in repr(vars(client))
    client.close()


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        (f"{FAKE[:10]}\n{FAKE[10:]}", "line break at position 11"),
        (f"{FAKE[:10]} {FAKE[10:]}", "whitespace"),
        (f"{FAKE[:10]}é{FAKE[10:]}", "non-ASCII character U+00E9"),
        (f"{FAKE[:10]}\x07{FAKE[10:]}", "control character U+0007"),
    ],
)
def test_a_key_that_cannot_be_sent_is_refused_without_repeating_it(
    pasted: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for build in (
        lambda: ic.Client(api_key=pasted),
        lambda: ic.AsyncClient(access_token=pasted),
    ):
        with pytest.raises(ic.ConfigurationError) as info:
            build()
        assert says in str(info.value)
        assert FAKE[:10] not in _everything_said(info.value)
        assert FAKE[10:] not in _everything_said(info.value)
    monkeypatch.setenv("INFLUENCERS_CLUB_API_KEY", pasted)
    with pytest.raises(ic.ConfigurationError, match="INFLUENCERS_CLUB_API_KEY"):
        ic.Client()


def _add_echo_route(sb: Sandbox) -> None:
    """A route that echoes the caller's Authorization header, as careless servers do."""

    @sb.router.route("GET", "/test/echo/", name="test_echo")
    def echo(ctx: Ctx, req: Request) -> dict[str, Any]:
        header = req.headers.get("authorization", "")
        raise ApiError(400, {"detail": f"bad header {header}", "error": {"token": [header]}})


def test_a_credential_echoed_by_the_server_is_scrubbed_from_the_error(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    _add_echo_route(sb)
    key = sb.api_key
    with caplog.at_level(logging.DEBUG), client_on(sb) as client:
        # a free operation, sent to the echo route
        call = replace(client.make_call("account_credits"), template="/test/echo/")
        with pytest.raises(ic.BadRequestError) as info:
            client.request(call)
    said = _everything_said(info.value)
    assert key not in said
    assert "bad header Bearer ***" in str(info.value)
    assert key not in caplog.text
    assert key not in client.ledger.to_pandas().to_string()


def test_the_key_is_in_no_result_ledger_or_debug_log(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    key = sb.api_key
    sb.faults.add("status", status=503, times=1)
    with caplog.at_level(logging.DEBUG), client_on(sb) as client:
        result = client.account.credits()
        with pytest.raises(ic.NotFoundError) as info:
            client.exclusion_lists.get(12345)
        ledger = client.ledger.to_pandas().to_string()
    assert key not in caplog.text
    assert key not in repr(result) and key not in repr(result.params)
    assert key not in ledger
    assert key not in _everything_said(info.value)


def test_keys_in_an_answer_show_masked_and_still_work(sb: Sandbox) -> None:
    """The API sends every key whole in the key list; displaying ``result.data`` (what a
    notebook saves) shows them masked, while ``str()`` of a new key is the key to copy."""
    from IPython.lib.pretty import pretty

    with client_on(sb) as client:
        listed = client.account.api_keys.list()
        created = client.account.api_keys.create("for the dashboard")
    new_key = str(created.data["token"])
    assert new_key.startswith("sk_") and len(new_key) > 20
    shown_all = (
        repr(listed.data),
        pretty(listed.data),
        listed._repr_html_(),  # what a cell displaying the result saves
        repr(created.data),
        pretty(created),
        created._repr_html_(),
    )
    for shown in filter(None, shown_all):  # _repr_html_ is None where no table is drawn
        assert sb.api_key not in shown and new_key not in shown
    assert new_key[-4:] in repr(created.data)  # the hint that tells keys apart stays
    with ic.Client(api_key=new_key, transport=sb.transport()) as other:
        assert other.account.credits().status_code == 200
