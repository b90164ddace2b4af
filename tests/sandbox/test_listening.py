"""Social listening: subscriptions, campaigns, events, usage."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

L = "/public/v1/social/listening/"


def top_handles(sb: Sandbox, platform: str, n: int) -> list[str]:
    return [c.username for c in sorted(sb.world.on(platform), key=lambda c: -c.followers)[:n]]


def make_campaign(http: httpx.Client, sb: Sandbox, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Launch",
        "platforms": ["instagram", "tiktok"],
        "start_date": sb.clock.now().date().isoformat(),
        "handles": {
            "instagram": top_handles(sb, "instagram", 4),
            "tiktok": top_handles(sb, "tiktok", 2),
        },
        **extra,
    }
    r = http.post(L + "campaign/", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def make_subscription(http: httpx.Client, sb: Sandbox, **extra: Any) -> dict[str, Any]:
    body = {"name": "Watch", "platform": "instagram", "handles": top_handles(sb, "instagram", 3)}
    r = http.post(L + "subscription/", json={**body, **extra})
    assert r.status_code == 201, r.text
    return r.json()


# ----------------------------------------------------------------------------- subscriptions
def test_subscription_lifecycle_and_summary(sb: Sandbox, http: httpx.Client) -> None:
    sub = make_subscription(http, sb, endpoints=[{"url": "https://hooks.example.com/a"}])
    assert sub["type"] == "handles" and sub["status"] == "active"
    assert sub["creators_count"] == 3 and sub["daily_cost"] == pytest.approx(0.03)
    assert sub["event_types"] == ["new_post", "bio_change", "follower_threshold"]
    listed = http.get(L + "subscription/").json()
    assert listed["count"] == 1 and listed["summary"]["by_type"]["handles"] == 1
    paused = http.patch(f"{L}subscription/{sub['id']}/", json={"status": "paused"}).json()
    assert paused["status"] == "paused"
    assert http.get(L + "subscription/").json()["summary"]["paused"] == 1
    detail = http.get(f"{L}subscription/{sub['id']}/").json()
    assert [c["handle"] for c in detail["creators"]] == top_handles(sb, "instagram", 3)
    assert http.delete(f"{L}subscription/{sub['id']}/").status_code == 204
    assert http.get(f"{L}subscription/{sub['id']}/").status_code == 404


def test_subscription_validation(sb: Sandbox, http: httpx.Client) -> None:
    base = {"name": "x", "platform": "instagram"}
    assert http.post(L + "subscription/", json=base).status_code == 400  # no creators
    r = http.post(
        L + "subscription/",
        json={
            **base,
            "handles": top_handles(sb, "instagram", 1),
            "endpoints": [{"url": "http://plain"}],
        },
    )
    assert r.status_code == 400 and "endpoints" in r.json()["error"]
    r = http.post(L + "subscription/", json={**base, "platform": "twitch", "handles": ["a"]})
    assert r.status_code == 400


def test_add_creators_reports_duplicates_and_invalid(sb: Sandbox, http: httpx.Client) -> None:
    sub = make_subscription(http, sb)
    handles = top_handles(sb, "instagram", 5)
    csv_file = ("handle\n" + "\n".join(handles[2:]) + "\nnobody_here_x\n").encode()
    r = http.post(f"{L}subscription/{sub['id']}/creators/", files={"file": ("c.csv", csv_file)})
    out = r.json()
    assert out["added"] == 2 and out["skipped_duplicates"] == 1
    assert out["invalid"] == [{"value": "nobody_here_x", "reason": "not_found"}]
    assert out["creators_count"] == 5
    page = http.get(f"{L}subscription/{sub['id']}/creators/", params={"search": handles[4][:6]})
    assert handles[4] in [c["handle"] for c in page.json()["results"]]
    sources = {
        c["handle"]: c["source"]
        for c in http.get(f"{L}subscription/{sub['id']}/creators/").json()["results"]
    }
    assert sources[handles[0]] == "handle" and sources[handles[4]] == "csv"


def test_discovery_lists_feed_subscriptions(sb: Sandbox, http: httpx.Client) -> None:
    xl = http.post(
        "/public/v1/discovery/exclusion-lists/", json={"name": "Picks", "platform": "tiktok"}
    ).json()
    handles = top_handles(sb, "tiktok", 2)
    http.post(
        f"/public/v1/discovery/exclusion-lists/{xl['id']}/entries/", json={"handles": handles}
    )
    sub = http.post(
        L + "subscription/",
        json={"name": "From list", "platform": "tiktok", "discovery_list_ids": [xl["id"]]},
    ).json()
    assert sub["type"] == "discovery_list" and sub["creators_count"] == 2


def test_pagination_is_drf_style(sb: Sandbox, http: httpx.Client) -> None:
    sub = make_subscription(http, sb, handles=top_handles(sb, "instagram", 45))
    url = f"{L}subscription/{sub['id']}/creators/"
    first = http.get(url).json()
    assert first["count"] == 45 and len(first["results"]) == 20 and first["previous"] is None
    last = http.get(url, params={"page": 3}).json()
    assert len(last["results"]) == 5 and last["next"] is None and "page=2" in last["previous"]
    assert len(http.get(url, params={"page_size": 500}).json()["results"]) == 45  # max 100
    assert http.get(url, params={"page": 9}).status_code == 404


# ----------------------------------------------------------------------------- campaigns
def test_campaign_creates_one_subscription_per_platform(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    assert set(cmp["subscription_ids"]) == {"instagram", "tiktok"}
    assert cmp["creators_count"] == 6 and cmp["status"] == "active"
    subs = http.get(L + "subscription/", params={"type": "campaign"}).json()
    assert {s["campaign_id"] for s in subs["results"]} == {cmp["id"]}
    sid = cmp["subscription_ids"]["instagram"]
    r = http.patch(f"{L}subscription/{sid}/", json={"status": "paused"})
    assert r.status_code == 400 and "campaign" in r.json()["error"]
    assert http.delete(f"{L}subscription/{sid}/").status_code == 400
    assert "stats" in http.get(f"{L}subscription/{sid}/").json()


def test_status_cascades_and_archive_is_soft(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    http.patch(f"{L}campaign/{cmp['id']}/", json={"status": "paused"})
    statuses = {s["status"] for s in http.get(L + "subscription/").json()["results"]}
    assert statuses == {"paused"}
    http.patch(f"{L}campaign/{cmp['id']}/", json={"status": "active"})
    assert {s["status"] for s in http.get(L + "subscription/").json()["results"]} == {"active"}
    assert http.delete(f"{L}campaign/{cmp['id']}/").status_code == 204
    archived = http.get(f"{L}campaign/{cmp['id']}/").json()
    assert archived["status"] == "archived"
    assert {s["status"] for s in http.get(L + "subscription/").json()["results"]} == {"paused"}
    r = http.patch(f"{L}campaign/{cmp['id']}/", json={"budget": 5})
    assert r.status_code == 400
    counts = http.get(L + "campaign/").json()["status_counts"]
    assert counts == {"active": 0, "paused": 0, "completed": 0, "archived": 1}


def test_resume_runs_a_credit_check() -> None:
    sb = Sandbox(creators=600, credits=0.05)
    with client_for(sb) as http:
        cmp = make_campaign(http, sb)  # 6 creators: 0.06 credits a day
        http.patch(f"{L}campaign/{cmp['id']}/", json={"status": "paused"})
        r = http.patch(f"{L}campaign/{cmp['id']}/", json={"status": "active"})
        assert r.status_code == 402 and r.json()["detail"].startswith("Insufficient credits")
        sb.add_credits(1)
        assert http.patch(f"{L}campaign/{cmp['id']}/", json={"status": "active"}).status_code == 200


def test_daily_cost_is_billed_by_the_clock(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    sb.clock.advance(days=2)
    balance = http.get("/public/v1/accounts/credits/").json()["credits_available"]
    assert balance == pytest.approx(1000 - 2 * 0.06)
    assert http.get(f"{L}campaign/{cmp['id']}/").json()["credits_spent"] == pytest.approx(0.12)


def test_metrics_move_with_the_clock(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    sb.clock.advance(days=2)
    early = http.get(f"{L}campaign/{cmp['id']}/overview/").json()["totals"]
    sb.clock.advance(days=3)
    later = http.get(f"{L}campaign/{cmp['id']}/overview/").json()["totals"]
    assert later["posts"] >= early["posts"] > 0
    assert later["views"] > early["views"] and later["emv"] > early["emv"]


def test_content_items_carry_per_post_emv_er_and_top(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    sb.clock.advance(days=4)
    items = http.get(f"{L}campaign/{cmp['id']}/content/", params={"page_size": 100}).json()[
        "results"
    ]
    assert items
    for item in items:
        m = item["metrics"]
        assert m["engagement"] == m["likes"] + m["comments"] + m["shares"]
        emv = 0.01 * m["views"] + 0.10 * m["likes"] + 0.50 * m["comments"] + 1.0 * m["shares"]
        assert item["emv"] == pytest.approx(emv, abs=0.01)
        er = 100 * m["engagement"] / max(item["creator"]["followers"], 1)
        assert item["er_percent"] == pytest.approx(er, abs=1e-3)
        assert item["content_type"] in cmp["content_types"]
    published = [i["published_at"] for i in items]
    assert published == sorted(published, reverse=True)  # most recent first
    top = [i for i in items if i["top"]]
    assert top and min(i["er_percent"] for i in top) >= max(
        i["er_percent"] for i in items if not i["top"]
    )


def test_campaign_creators_metrics_trend_and_removal(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    sb.clock.advance(days=3)
    url = f"{L}campaign/{cmp['id']}/creators/"
    rows = http.get(url, params={"ordering": "-views"}).json()["results"]
    assert [r["views"] for r in rows] == sorted((r["views"] for r in rows), reverse=True)
    for row in rows:
        assert len(row["trend_7d"]) == 7
        assert row["engagement"] == row["likes"] + row["comments"] + row["shares"]
        assert (row["status"] == "awaiting_first_post") == (row["posts"] == 0)
    removed = http.request("DELETE", url, json={"ids": [rows[0]["id"], "scr_unknown"]}).json()
    assert removed == {"removed": 1}
    assert http.request("DELETE", url, json={"ids": [rows[0]["id"]]}).json() == {"removed": 0}
    assert http.get(url).json()["count"] == len(rows) - 1
    assert http.get(url, params={"ordering": "nonsense"}).status_code == 400


def test_future_campaign_creators_await_their_first_post(sb: Sandbox, http: httpx.Client) -> None:
    future = (sb.clock.now().date().replace(year=sb.clock.now().year + 1)).isoformat()
    cmp = make_campaign(http, sb, start_date=future)
    rows = http.get(f"{L}campaign/{cmp['id']}/creators/").json()["results"]
    assert {r["status"] for r in rows} == {"awaiting_first_post"}


def test_overview_by_platform_adds_up(sb: Sandbox, http: httpx.Client) -> None:
    cmp = make_campaign(http, sb)
    sb.clock.advance(days=3)
    ov = http.get(f"{L}campaign/{cmp['id']}/overview/").json()
    assert sum(p["posts"] for p in ov["by_platform"]) == ov["totals"]["posts"]
    assert sum(t["views"] for t in ov["trends"]) == ov["totals"]["views"]
    ig = http.get(f"{L}campaign/{cmp['id']}/overview/", params={"platform": "instagram"}).json()
    assert ig["platform"] == "instagram" and [p["platform"] for p in ig["by_platform"]] == [
        "instagram"
    ]


# ----------------------------------------------------------------------------- events, usage
def test_events_are_detected_after_subscribing_and_filterable(
    sb: Sandbox, http: httpx.Client
) -> None:
    sub = make_subscription(
        http, sb, endpoints=[{"url": "https://hooks.example.com/x"}], follower_threshold=1000
    )
    assert http.get(L + "events/").json()["count"] == 0  # nothing before time passes
    sb.clock.advance(days=3)
    page = http.get(L + "events/", params={"page_size": 100}).json()
    assert page["count"] > 0
    kinds = {e["type"] for e in page["results"]}
    # the top creators are far above 1,000 followers already: no crossing, no threshold event
    assert kinds == {"new_post"} or kinds == {"new_post", "bio_change"}
    created = sub["created_at"]
    assert all(e["occurred_at"] >= created for e in page["results"])
    posts = http.get(L + "events/", params={"type": "new_post", "page_size": 100}).json()
    assert {e["type"] for e in posts["results"]} == {"new_post"}
    handle = page["results"][0]["creator"]["handle"]
    mine = http.get(L + "events/", params={"creator": handle, "page_size": 100}).json()["results"]
    assert mine and {e["creator"]["handle"] for e in mine} == {handle}
    detail = http.get(f"{L}events/{page['results'][0]['id']}/").json()
    assert detail["deliveries"][0]["url"] == "https://hooks.example.com/x"
    assert http.get(f"{L}events/evt_nope/").status_code == 404


def test_details_totals_match_events_and_export(sb: Sandbox, http: httpx.Client) -> None:
    sub = make_subscription(http, sb, endpoints=[{"url": "https://hooks.example.com/x"}])
    sb.clock.advance(days=4)
    details = http.get(f"{L}subscription/{sub['id']}/details/").json()
    events = http.get(L + "events/", params={"subscription_id": sub["id"]}).json()
    assert details["totals"]["events"] == events["count"] == sum(details["by_event_type"].values())
    assert sum(d["events"] for d in details["daily"]) == events["count"]
    csv_text = http.get(f"{L}subscription/{sub['id']}/details/export/").text
    lines = csv_text.strip().splitlines()
    assert lines[0] == "date,event_type,events,sent,failed"
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == events["count"]


def test_pausing_stops_detection(sb: Sandbox, http: httpx.Client) -> None:
    sub = make_subscription(http, sb)
    http.patch(f"{L}subscription/{sub['id']}/", json={"status": "paused"})
    sb.clock.advance(days=3)
    assert http.get(L + "events/").json()["count"] == 0


def test_usage_counts_and_limits(sb: Sandbox, http: httpx.Client) -> None:
    make_subscription(http, sb)
    make_campaign(http, sb)
    usage = http.get(L + "usage/").json()
    assert usage["active"] == {"subscriptions": 3, "creators": 9, "campaigns": 1}
    assert usage["remaining"]["subscriptions"] == usage["limits"]["subscriptions"] - 3


def test_follower_threshold_fires_on_a_crossing_only(sb: Sandbox, http: httpx.Client) -> None:
    """A creator below the threshold when added fires once, when its growing followers
    cross it; one already above it never fires."""
    growing = next(c for c in sb.world.on("instagram") if c.growth_monthly >= 2)
    threshold = round(growing.followers * (1 + growing.growth_monthly / 100) ** 0.5)  # ~15 days
    above = http.post(
        L + "subscription/",
        json={
            "name": "above",
            "platform": "instagram",
            "handles": [growing.username],
            "event_types": ["follower_threshold"],
            "follower_threshold": growing.followers,
        },
    ).json()
    below = http.post(
        L + "subscription/",
        json={
            "name": "below",
            "platform": "instagram",
            "handles": [growing.username],
            "event_types": ["follower_threshold"],
            "follower_threshold": threshold,
        },
    ).json()

    def fired(sub: dict[str, Any]) -> list[dict[str, Any]]:
        params = {"subscription_id": sub["id"], "type": "follower_threshold"}
        return http.get(L + "events/", params=params).json()["results"]

    sb.clock.advance(days=10)
    assert fired(above) == [] and fired(below) == []
    sb.clock.advance(days=10)
    (event,) = fired(below)
    assert event["payload"]["threshold"] == threshold
    assert event["payload"]["followers"] >= threshold
    assert fired(above) == []
