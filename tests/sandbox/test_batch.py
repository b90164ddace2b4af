"""Batch enrichment: upload checks, the clock-driven state machine,
per-row billing, pause/resume, results and the self-served download link."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

B = "/public/v1/enrichment/batch/"
CREDITS = "/public/v1/accounts/credits/"


def handles(sb: Sandbox, n: int, platform: str = "instagram") -> list[str]:
    return [c.username for c in sb.world.on(platform)[:n]]


def upload(http: httpx.Client, content: bytes, **form: str) -> httpx.Response:
    data = {"enrichment_mode": "raw", "platform": "instagram", **form}
    return http.post(B, files={"file": ("in.csv", content, "text/csv")}, data=data)


def create(
    http: httpx.Client, rows: list[str], column: str = "handle", **form: str
) -> dict[str, Any]:
    r = upload(http, (column + "\n" + "\n".join(rows) + "\n").encode(), **form)
    assert r.status_code == 200, r.text
    return r.json()


def status(http: httpx.Client, batch_id: str) -> dict[str, Any]:
    return http.get(f"{B}{batch_id}/status/").json()


def balance(http: httpx.Client) -> float:
    return http.get(CREDITS).json()["credits_available"]


# ----------------------------------------------------------------------------- upload checks
@pytest.mark.parametrize(
    ("content", "form", "field"),
    [
        (b"handle,email\na,b\n", {}, "file"),  # two columns
        (b"username\na\n", {}, "file"),  # wrong header
        (b"email\na@b.co\n", {}, "file"),  # email column for a handle mode
        (b"handle\n", {}, "file"),  # no rows
        (b"handle\na\n", {"enrichment_mode": "turbo"}, "enrichment_mode"),
        (b"handle\na\n", {"platform": ""}, "platform"),  # required for raw/full
        (b"handle\na\n", {"metadata": "{not json"}, "metadata"),
        (b"handle\na\n", {"include_lookalikes": "yes"}, "include_lookalikes"),
    ],
)
def test_upload_checks_are_drf_400s(
    http: httpx.Client, content: bytes, form: dict[str, str], field: str
) -> None:
    r = upload(http, content, **form)
    assert r.status_code == 400
    assert field in r.json()["error"]


def test_row_and_size_limits(http: httpx.Client) -> None:
    rows = "\n".join(f"user{i}" for i in range(10_001))
    r = upload(http, ("handle\n" + rows).encode())
    assert r.status_code == 400 and "10000" in r.json()["error"]["file"][0]
    big = b"handle\n" + b"x" * (10 * 1024 * 1024)
    r = upload(http, big)
    assert r.status_code == 400 and "10 MB" in r.json()["error"]["file"][0]
    assert http.post(B, data={"enrichment_mode": "raw", "platform": "instagram"}).status_code == 400


def test_create_answers_the_documented_fields(sb: Sandbox, http: httpx.Client) -> None:
    out = create(http, handles(sb, 3), metadata='{"campaign": "Q4"}')
    assert out["batch_id"].startswith("bch_") and len(out["batch_id"]) == 36
    assert out["status"] == "queued" and out["metadata"] == {"campaign": "Q4"}
    assert out["og_input_number"] == 3 and out["type_report"] == "ENRICH_BY_HANDLE"


# ----------------------------------------------------------------------------- state machine
def test_state_machine_follows_the_clock_and_bills_per_row(sb: Sandbox, http: httpx.Client) -> None:
    rows = [*handles(sb, 9), "no_such_creator_zz"]
    batch_id = create(http, rows)["batch_id"]
    start = balance(http)
    assert status(http, batch_id)["status"] == "queued"
    sb.clock.advance(seconds=2)  # 1 s queued, then 5 rows a second
    mid = status(http, batch_id)
    assert mid["status"] == "processing" and 0 < mid["processed_rows"] < 10
    assert mid["estimated_completion"] is not None
    sb.clock.advance(seconds=10)
    done = status(http, batch_id)
    assert done["status"] == "finished" and done["processed_rows"] == 10
    assert (done["success_count"], done["failed_count"]) == (9, 1)
    assert done["credits_used"] == "0.27"  # a string: 9 × 0.03
    assert balance(http) == pytest.approx(start - 0.27)
    assert done["metadata"] == {} and done["status_message"] is None


def test_a_row_equals_the_single_call(sb: Sandbox, http: httpx.Client) -> None:
    handle = handles(sb, 1)[0]
    batch_id = create(http, [handle])["batch_id"]
    sb.clock.advance(seconds=5)
    rows = http.get(f"{B}{batch_id}/", params={"format": "json"}).json()
    single = http.post(
        "/public/v1/creators/enrich/handle/raw/", json={"handle": handle, "platform": "instagram"}
    ).json()
    assert rows == [
        {"input_value": handle, "status": "success", "enrichment_data": single["result"]}
    ]


def test_pause_when_credits_run_out_and_resume_without_rebilling() -> None:
    sb = Sandbox(creators=600, credits=0.1)
    with client_for(sb) as http:
        batch_id = create(http, handles(sb, 6))["batch_id"]
        sb.clock.advance(seconds=10)
        paused = status(http, batch_id)
        assert paused["status"] == "paused_insufficient_credits"
        assert paused["processed_rows"] == 3 and paused["status_message"]
        assert http.get(f"{B}{batch_id}/download/").status_code == 400
        r = http.post(f"{B}{batch_id}/resume/", json={})
        assert r.json()["status"] == "processing"
        sb.clock.advance(seconds=10)
        assert status(http, batch_id)["status"] == "paused_insufficient_credits"  # still poor
        sb.add_credits(1)
        assert http.post(f"{B}{batch_id}/resume/", json={}).status_code == 200
        sb.clock.advance(seconds=10)
        done = status(http, batch_id)
        assert done["status"] == "finished" and done["credits_used"] == "0.18"
        assert http.get(CREDITS).json()["credits_used"] == pytest.approx(0.18)
        assert http.post(f"{B}{batch_id}/resume/", json={}).status_code == 400


def test_email_batches(sb: Sandbox, http: httpx.Client) -> None:
    emails = [c.email for c in sb.world.creators if c.email][:3]
    out = create(
        http, [*emails, "not-an-email"], column="email", enrichment_mode="basic", platform=""
    )
    assert out["type_report"] == "ENRICH_BY_EMAIL" and out["platform"] is None
    sb.clock.advance(seconds=5)
    rows = http.get(f"{B}{out['batch_id']}/", params={"format": "json"}).json()
    assert [r["status"] for r in rows] == ["success", "success", "success", "failed"]
    assert status(http, out["batch_id"])["credits_used"] == f"{3 * sb.settings.email_price:.2f}"


# ----------------------------------------------------------------------------- results, download
def test_download_link_is_served_by_the_sandbox_and_expires(sb: Sandbox) -> None:
    with (
        sb.serve() as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {sb.api_key}"}) as http,
    ):
        rows = handles(sb, 3)
        batch_id = create(http, rows)["batch_id"]
        assert http.get(f"{B}{batch_id}/download/").status_code == 400  # not finished
        sb.clock.advance(seconds=5)
        link = http.get(f"{B}{batch_id}/download/").json()
        assert link["download_url"].startswith(url + "/sandbox/files/")
        assert (link["total_results"], link["invalid_records"]) == (3, 0)
        got = httpx.get(link["download_url"])  # presigned: no credential
        table = list(csv.DictReader(io.StringIO(got.text)))
        assert [r["input_value"] for r in table] == rows
        assert got.content == http.get(f"{B}{batch_id}/").content  # CSV is the default
        tampered = link["download_url"].replace(".csv", "x.csv")
        assert httpx.get(tampered).status_code == 403
        sb.clock.advance(seconds=link["expires_in"] + 1)
        assert httpx.get(link["download_url"]).status_code == 403


def test_other_accounts_batches_are_404(sb: Sandbox, http: httpx.Client) -> None:
    batch_id = create(http, handles(sb, 1))["batch_id"]
    with client_for(sb, sb.add_account().api_key) as other:
        for path in ("status/", "download/", ""):
            assert other.get(f"{B}{batch_id}/{path}").status_code == 404
    assert http.get(f"{B}bch_unknown/status/").status_code == 404
