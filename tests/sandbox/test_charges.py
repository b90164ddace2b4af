"""The charge log (``sb.charges``): every debit, including batch rows billed as the job runs
and listening accruals, so what the log says was charged is what the balance lost."""

from __future__ import annotations

import pytest
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

B = "/public/v1/enrichment/batch/"
CREDITS = "/public/v1/accounts/credits/"


def test_batch_rows_are_in_the_charge_log_with_their_row() -> None:
    sb = Sandbox(creators=600)
    handles = [c.username for c in sb.world.on("instagram")[:4]] + ["no_such_creator_zz"]
    with client_for(sb) as http:
        csv = ("handle\n" + "\n".join(handles) + "\n").encode()
        r = http.post(
            B,
            files={"file": ("in.csv", csv, "text/csv")},
            data={"enrichment_mode": "raw", "platform": "instagram"},
        )
        batch_id = r.json()["batch_id"]
        before = len(sb.charges)
        sb.clock.advance(seconds=10)
        assert http.get(f"{B}{batch_id}/status/").json()["status"] == "finished"
        used = http.get(CREDITS).json()["credits_used"]
    rows = [c for c in list(sb.charges)[before:] if c.operation == "batch_create"]
    # four rows found data (0.03 each); the missing handle cost nothing and is not logged
    assert [c.reference for c in rows] == [f"{batch_id}:{i}" for i in range(4)]
    assert [c.amount for c in rows] == [0.03] * 4
    assert {c.account_id for c in rows} == {sb.account.id}
    # the request log shows the upload itself cost nothing: the rows are billed later
    assert [e.charged for e in sb.log if e.operation == "batch_create"] == [0.0]
    assert sb.charges.total(sb.account.id) == pytest.approx(used) == pytest.approx(0.12)


def test_paid_requests_and_listening_accruals_are_logged_too() -> None:
    sb = Sandbox(creators=600)
    other = sb.add_account("Other")
    top = sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:2]
    with client_for(sb) as http:
        http.post(
            "/public/v1/creators/enrich/handle/raw/",
            json={"handle": top[0].username, "platform": "instagram"},
        )
        sub = http.post(
            "/public/v1/social/listening/subscription/",
            json={"name": "w", "platform": "instagram", "handles": [c.username for c in top]},
        ).json()
        sb.clock.advance(days=1)
        used = http.get(CREDITS).json()["credits_used"]
    ops = [(c.operation, c.reference) for c in sb.charges]
    assert ops[0] == ("enrich_handle_raw", f"instagram:{top[0].username}")  # what was paid for
    assert ("social_listening_subscriptions_create", sub["id"]) in ops
    assert sb.charges.total(sb.account.id) == pytest.approx(used)
    assert sb.charges.total(other.id) == 0.0
    assert sb.charges.total(operation="enrich_handle_raw") == pytest.approx(0.03)


def test_an_email_enrichment_names_the_email_it_paid_for() -> None:
    sb = Sandbox(creators=600)
    email = next(c.email for c in sb.world.on("instagram") if c.email)
    with client_for(sb) as http:
        r = http.post("/public/v1/creators/enrich/email/", json={"email": email.upper()})
    assert r.status_code == 200
    assert [(c.operation, c.reference) for c in sb.charges] == [("enrich_email", email.lower())]
