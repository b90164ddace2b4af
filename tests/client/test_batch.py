"""Batch: the multipart upload the API wants, polling to the end, results as JSON or CSV."""

from __future__ import annotations

import json

import pytest

from toolkit import Client
from toolkit.sandbox import Sandbox

from .client_support import Recorder, handles, requires


def test_list_of_handles_becomes_a_csv_with_the_right_header(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    rows = handles(sb, "instagram", 3)
    result = client.batch.create(
        handles=rows,
        enrichment_mode="raw",
        platform="instagram",
        metadata={"campaign": "Q4"},
        include_audience_data=False,
    )
    sent = recorder.last
    assert sent.content_type == "multipart/form-data"
    fields = sent.fields()
    assert fields["file"]["content"].decode().splitlines() == ["handle", *rows]
    assert fields["enrichment_mode"] == "raw" and fields["platform"] == "instagram"
    assert json.loads(fields["metadata"]) == {"campaign": "Q4"}
    assert fields["include_audience_data"] == "false"  # booleans travel as strings (§11.1)
    assert "email_required" not in fields  # not passed, not sent
    assert result.data["og_input_number"] == 3
    assert result.params["rows"] == 3


def test_emails_and_paths_and_bytes(client: Client, recorder: Recorder, tmp_path) -> None:
    client.batch.create(emails=["a@example.com"], enrichment_mode="basic")
    assert recorder.last.fields()["file"]["content"].decode().splitlines() == [
        "email",
        "a@example.com",
    ]
    path = tmp_path / "mine.csv"
    path.write_text("handle\nnasa\n")
    client.batch.create(path, enrichment_mode="raw", platform="instagram")
    assert recorder.last.fields()["file"]["filename"] == "mine.csv"
    client.batch.create(b"handle\nspacex\n", enrichment_mode="raw", platform="instagram")
    assert recorder.last.fields()["file"]["content"] == b"handle\nspacex\n"
    with pytest.raises(TypeError):
        client.batch.create(enrichment_mode="raw")


def test_wait_polls_until_finished_then_results(client: Client, sb: Sandbox, sleeps) -> None:
    requires(sb, "enrich_handle_raw")
    batch_id = client.batch.create(
        handles=handles(sb, "instagram", 20), enrichment_mode="raw", platform="instagram"
    ).data["batch_id"]
    client._sleep = lambda s: (sleeps.append(s), sb.clock.advance(seconds=s))
    final = client.batch.wait(batch_id, poll_interval=1, progress=True)
    assert final.data["status"] == "finished" and final.data["processed_rows"] == 20
    assert len(sleeps) >= 1 and set(sleeps) == {1}
    rows = client.batch.results(batch_id).data
    assert isinstance(rows, list) and len(rows) == 20
    text = client.batch.results(batch_id, format="csv").data
    assert isinstance(text, str) and text.count("\n") >= 20
    link = client.batch.download_url(batch_id).data
    assert link["batch_id"] == batch_id and link["download_url"].startswith("http")


def test_wait_times_out(client: Client, sb: Sandbox, sleeps) -> None:
    batch_id = client.batch.create(
        handles=handles(sb, "instagram", 50), enrichment_mode="raw", platform="instagram"
    ).data["batch_id"]
    with pytest.raises(TimeoutError, match="still running"):
        client.batch.wait(batch_id, poll_interval=1, timeout=3, progress=False)
    assert sleeps == [1, 1, 1]  # the sandbox clock never moved: still queued


def test_paused_batch_resumes_after_top_up(sb: Sandbox, sleeps) -> None:
    requires(sb, "enrich_handle_raw")
    poor = sb.add_account("poor", credits=0.05)
    from toolkit._config import SANDBOX_BASE_URL

    with Client(
        api_key=poor.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), sleep=sleeps
    ) as c:
        batch_id = c.batch.create(
            handles=handles(sb, "instagram", 5), enrichment_mode="raw", platform="instagram"
        ).data["batch_id"]
        sb.clock.advance(seconds=30)
        paused = c.batch.wait(batch_id, progress=False)
        assert paused.data["status"] == "paused_insufficient_credits"
        sb.add_credits(10, poor)
        c.batch.resume(batch_id)
        sb.clock.advance(seconds=30)
        assert c.batch.wait(batch_id, progress=False).data["status"] == "finished"
