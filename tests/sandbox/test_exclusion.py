"""Exclusion lists."""

from __future__ import annotations

import httpx
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox

BASE = "/public/v1/discovery/exclusion-lists/"


def test_default_list_is_created_empty_on_first_use(http: httpx.Client) -> None:
    assert http.get(BASE).json() == []
    default = http.get(f"{BASE}default/youtube/").json()
    assert default["is_default"] is True and default["handle_count"] == 0
    assert default["platform"] == "youtube"
    assert http.get(BASE).json() == [default]
    assert http.get(f"{BASE}default/youtube/").json()["id"] == default["id"]  # not twice


def test_create_get_rename_delete(http: httpx.Client) -> None:
    made = http.post(BASE, json={"name": "Competitors", "platform": "instagram"}).json()
    assert made["is_default"] is False and made["handle_count"] == 0
    assert http.get(f"{BASE}{made['id']}/").json() == made
    renamed = http.patch(f"{BASE}{made['id']}/", json={"name": "Rivals"}).json()
    assert renamed["name"] == "Rivals"
    assert http.delete(f"{BASE}{made['id']}/").status_code == 204
    r = http.get(f"{BASE}{made['id']}/")
    assert (r.status_code, r.json()) == (404, {"error": "Exclusion list not found."})


def test_documented_errors(http: httpx.Client) -> None:
    http.post(BASE, json={"name": "A", "platform": "tiktok"})
    r = http.post(BASE, json={"name": "a", "platform": "tiktok"})
    assert r.status_code == 400
    assert r.json() == {
        "error": {"name": ["A list with this name already exists for this platform."]}
    }
    assert http.post(BASE, json={"name": "A", "platform": "youtube"}).status_code == 201
    default = http.get(f"{BASE}default/tiktok/").json()
    r = http.patch(f"{BASE}{default['id']}/", json={"name": "mine"})
    assert (r.status_code, r.json()) == (
        400,
        {"error": ["The default exclusion list cannot be renamed."]},
    )
    assert http.post(BASE, json={"name": "x", "platform": "myspace"}).status_code == 400
    assert http.get(f"{BASE}999/").status_code == 404
    assert http.get(f"{BASE}default/myspace/").status_code == 404


def test_handles_are_normalised_and_removed_with_a_delete_body(http: httpx.Client) -> None:
    lid = http.post(BASE, json={"name": "L", "platform": "instagram"}).json()["id"]
    out = http.post(
        f"{BASE}{lid}/entries/",
        json={"handles": ["@Nasa", "https://www.instagram.com/nasa/", "SpaceX"]},
    ).json()
    assert out["handle_count"] == 2
    entries = http.get(f"{BASE}{lid}/entries/").json()
    assert entries == {"total": 2, "offset": 0, "limit": 1000, "handles": ["nasa", "spacex"]}
    out = http.request("DELETE", f"{BASE}{lid}/entries/", json={"handles": ["@NASA"]}).json()
    assert out["handle_count"] == 1


def test_entries_paging(http: httpx.Client) -> None:
    handles = [f"user{i:02d}" for i in range(25)]
    http.post(f"{BASE}default/twitch/entries/", json={"handles": handles})
    page = http.get(f"{BASE}default/twitch/entries/", params={"offset": 20, "limit": 10}).json()
    assert page["total"] == 25 and page["handles"] == handles[20:]
    assert http.get(f"{BASE}default/twitch/entries/", params={"limit": "x"}).status_code == 400


def test_lists_are_per_account(sb: Sandbox, http: httpx.Client) -> None:
    lid = http.post(BASE, json={"name": "Mine", "platform": "instagram"}).json()["id"]
    with client_for(sb, sb.add_account().api_key) as other:
        assert other.get(f"{BASE}{lid}/").status_code == 404
        assert other.get(BASE).json() == []


def test_discovery_handlers_see_the_lists(sb: Sandbox, http: httpx.Client) -> None:
    lid = http.post(BASE, json={"name": "Seen", "platform": "instagram"}).json()["id"]
    http.post(f"{BASE}{lid}/entries/", json={"handles": ["@Foo"]})
    xl = sb.account.exclusion_lists[lid]
    assert (xl.id, xl.platform, xl.is_default, xl.handles) == (lid, "instagram", False, {"foo"})
