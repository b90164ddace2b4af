"""Social listening: DRF page walking, JSON vs CSV uploads, CSV export as text."""

from __future__ import annotations

from toolkit import Client
from toolkit.sandbox import Sandbox

from .client_support import Recorder, handles


def _subs(client: Client, sb: Sandbox, n: int) -> set[str]:
    return {
        client.listening.subscriptions.create(
            name=f"s{i}", platform="instagram", handles=handles(sb, "instagram", 2)
        ).data["id"]
        for i in range(n)
    }


def test_iter_walks_every_page(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    made = _subs(client, sb, 5)
    recorder.clear()
    seen = {s["id"] for s in client.listening.subscriptions.iter(page_size=2)}
    assert seen == made
    assert [s.query["page"] for s in recorder.sent] == [["1"], ["2"], ["3"]]
    assert all(s.query["page_size"] == ["2"] for s in recorder.sent)


def test_add_creators_from_a_csv_is_multipart(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    (sub,) = _subs(client, sb, 1)
    extra = handles(sb, "instagram", 6)[5]
    out = client.listening.subscriptions.add_creators(sub, file=[extra])
    assert recorder.last.content_type == "multipart/form-data"
    assert recorder.last.fields()["file"]["content"].decode().splitlines() == ["handle", extra]
    assert out.data["added"] == 1
    client.listening.subscriptions.add_creators(sub, handles=[extra])
    assert recorder.last.json() == {"handles": [extra]}


def test_export_is_csv_text(client: Client, sb: Sandbox) -> None:
    (sub,) = _subs(client, sb, 1)
    sb.clock.advance(days=1)
    text = client.listening.subscriptions.export(sub).data
    assert isinstance(text, str)
    assert text.splitlines()[0].replace(" ", "") == "date,event_type,events,sent,failed"


def test_campaign_lifecycle(client: Client, sb: Sandbox) -> None:
    import datetime as dt

    cmp = client.listening.campaigns.create(
        name="Launch",
        platforms=["instagram"],
        start_date=dt.date(2026, 10, 1),
        handles={"instagram": handles(sb, "instagram", 3)},
    ).data
    assert cmp["start_date"] == "2026-10-01"
    assert [c["id"] for c in client.listening.campaigns.iter()] == [cmp["id"]]
    assert client.listening.campaigns.archive(cmp["id"]).status_code in (200, 204)
    assert client.listening.usage().data["active"]["campaigns"] == 0
