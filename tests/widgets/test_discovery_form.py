"""DiscoveryForm driven as a user would (set values, click), checked on what reached the
sandbox, what the form shows and what it costs."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from widget_helpers import DISCOVERY, searches

import toolkit as ic
from toolkit.filters import FilterError, validate_filters
from widgets import DiscoveryForm

PAGE0 = 0  # the client's default page_base


def _type_and_pick(form: DiscoveryForm, key: str, text: str) -> str:
    box = form.controls[key].typeahead
    box.query = text
    _label, value = box.options[0]
    box._choices.value = value  # what clicking a suggestion does
    return value


def test_location_typeahead_and_follower_range_reach_the_sandbox(wired, sb) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    picked = _type_and_pick(form, "location", "united st")
    assert picked == "United States"
    lookups = rec.to("/classifier/locations/instagram/")
    assert [s.query.get("search") for s in lookups] == [["united st"]]

    form.controls["number_of_followers"]._min.value = "10k"
    form.controls["number_of_followers"]._max.value = "1.5M"
    frame = form.search()

    sent = searches(rec)[-1]
    assert sent.body == form.request
    assert sent.body["filters"] == {
        "location": ["United States"],
        "number_of_followers": {"min": 10_000, "max": 1_500_000},
    }
    assert sent.body["paging"] == {"limit": 25, "page": PAGE0}
    # the rows shown are the rows the sandbox answered for exactly that body
    direct = client.discovery.search("instagram", **_kwargs(sent.body)).to_pandas()
    assert list(frame.username) == list(direct.username)
    assert isinstance(form.results, pd.DataFrame)
    assert (frame.followers >= 10_000).all()
    first = frame.iloc[0]
    assert f'href="https://www.instagram.com/{first.username}"' in form._table.value
    assert f"{len(frame)} of {form.total} creators" in form._status.value


def _kwargs(body: dict) -> dict:
    return {
        "filters": body.get("filters"),
        "sort_by": body["sort"]["sort_by"],
        "sort_order": body["sort"]["sort_order"],
        "limit": body["paging"]["limit"],
        "page": body["paging"]["page"],
    }


def test_cost_and_balance_are_shown_before_and_after(wired, sb) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    assert form.cost == ic.estimate("discovery_search", limit=25) == 0.25
    assert "Worst case <b>0.25 credits</b> for 25 creators" in form._cost.value
    assert "1,000.00" in form._cost.value  # the sandbox account's balance, asked for free
    form.limit = 50
    assert "Worst case <b>0.5 credits</b> for 50 creators" in form._cost.value
    assert searches(rec) == []  # nothing paid for yet

    form.controls["number_of_followers"]._min.value = "10000"
    form.search()
    charged = sb.log.total_charged
    assert charged > 0
    assert form.balance == pytest.approx(1000 - charged)
    assert f"{1000 - charged:,.2f}" in form._cost.value


def test_invalid_values_are_marked_inline_and_nothing_is_sent(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    rng = form.controls["engagement_percent"]
    rng._min.value, rng._max.value = "9", "2"
    form.controls["ai_search"]._text.value = "ab"
    form.controls["number_of_followers"]._min.value = "lots"
    assert form.search() is None
    assert searches(rec) == []
    # the messages are the schema's own, under the field they concern
    with pytest.raises(FilterError) as err:
        validate_filters("instagram", form.filters())
    for key in ("engagement_percent", "ai_search", "number_of_followers"):
        assert form.controls[key].error == err.value.problems[key]
        assert "⚠" in form.controls[key]._error.value
    assert "min (9) is greater than max (2)" in form.controls["engagement_percent"].error
    assert "nothing was sent" in form._status.value
    rng._max.value = "12"  # editing a field clears its message
    assert rng.error == ""


def test_dictionaries_are_fetched_once_per_session(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    box = form.controls["location"].typeahead
    box.query = "ne"  # below the three letters: nothing is asked
    assert rec.to("/classifier/locations/") == []
    assert box.options == []
    for text in ("new", "new y", "new", "new y"):
        box.query = text
    assert [s.query["search"] for s in rec.to("/classifier/locations/")] == [["new"], ["new y"]]
    languages = len(rec.to("/classifier/languages/"))
    form.platform = "youtube"
    form.platform = "instagram"
    assert len(rec.to("/classifier/languages/")) == languages == 1
    assert len(rec.to("/classifier/yt-topics/")) == 1  # fetched when YouTube's form was built


def test_short_lists_are_multiselects_long_ones_never_reach_the_browser(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, platform="youtube", debounce=0)
    topics = form.controls["topics"]._box
    assert topics.__class__.__name__ == "SelectMultiple"
    assert ("Lifestyle › Fashion", "Fashion") in topics.options
    box = form.controls["location"].typeahead
    box.query = "an"  # many locations contain "an"
    box.query = "ana"
    assert 0 < len(box.options) <= form.lookup.limit
    # no widget of the form holds more options than a short list has
    biggest = max(len(getattr(w, "options", ()) or ()) for w in _descendants(form))
    assert biggest <= 60


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_switching_platform_keeps_what_applies_and_says_what_was_dropped(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.set_filters(
        {
            "number_of_followers": {"min": 20_000},
            "reels_percent": {"min": 30},
            "gender": "female",
            "is_verified": True,
        }
    )
    form.platform = "youtube"
    assert form.filters() == {
        "number_of_subscribers": {"min": 20_000},  # the follower range moves to its key
        "gender": "female",
        "is_verified": True,
    }
    assert [k for k, _why in form.dropped] == ["reels_percent"]
    assert "reels_percent" in form._notice.value and "youtube" in form._notice.value
    assert "reels_percent" not in form.controls


def test_sorts_are_the_platforms_and_relevancy_is_descending(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, platform="twitch", debounce=0)
    assert "growth_rate" not in form._sort_by.options
    form.sort_by, form.sort_order = "relevancy", "asc"
    assert form.sort_order == "desc" and form._sort_order.disabled
    form.sort_by = "engagement_rate"
    form.sort_order = "asc"
    form.search()
    assert searches(rec)[-1].body["sort"] == {"sort_by": "engagement_rate", "sort_order": "asc"}


def test_more_fetches_the_next_page_and_stops_at_the_end(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.limit = 10
    form.controls["number_of_followers"]._min.value = "200k"
    first = form.search()
    assert not form._next.disabled
    form._next.click()
    pages = [s.body["paging"]["page"] for s in searches(rec)]
    assert pages == [PAGE0, PAGE0 + 1]
    assert searches(rec)[0].body["filters"] == searches(rec)[1].body["filters"]
    assert len(first) == 10 and len(form.results) == min(20, form.total)
    assert form.results.username.is_unique
    while not form._next.disabled:
        form._next.click()
    assert len(form.results) == form.total
    sent = len(searches(rec))
    form.more()  # the button is disabled: nothing more to pay for
    assert len(searches(rec)) == sent


def test_export_csv_and_parquet(wired, tmp_path) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0, export_dir=tmp_path)
    form.controls["number_of_followers"]._min.value = "50k"
    form.search()
    form._csv.click()
    form._parquet.click()
    csv = pd.read_csv(next(tmp_path.glob("*.csv")))
    parquet = pd.read_parquet(next(tmp_path.glob("*.parquet")))
    assert list(csv.username) == list(form.results.username) == list(parquet.username)
    assert parquet.followers.tolist() == form.results.followers.tolist()
    name = "instagram-number-of-followers-min-50k-25-creators"
    assert {p.name for p in tmp_path.iterdir()} == {f"{name}.csv", f"{name}.parquet"}
    assert f'download="{name}.parquet"' in form._downloads.value


def test_saved_search_round_trips_through_json(wired, tmp_path) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.set_filters(
        {
            "profile_language": ["en"],
            "number_of_followers": {"min": 10_000},
            "last_post": 30,
            "audience": {"gender": {"type": "female", "min_pct": 50}},
        }
    )
    form.sort_by, form.limit = "engagement_rate", 10
    path = form.save(tmp_path / "search.json")
    assert json.loads(path.read_text()) == form.to_dict()
    form.search()
    again = DiscoveryForm.load(client, path, debounce=0)
    assert again.to_dict() == form.to_dict()
    again.search()  # a notebook re-runs the saved search without clicking
    a, b = searches(rec)
    assert a.body == b.body
    assert b.body["filters"]["audience"] == {"gender": {"type": "female", "min_pct": 50}}


def test_picked_rows_go_to_similar_enrich_and_compare(wired, sb) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.controls["number_of_followers"]._min.value = "50k"
    frame = form.search()
    handles = list(frame.username[:3])

    form.actions.picked = handles[:1]
    assert "≤ 0.25 cr" in form.actions._similar.description
    form.actions._similar.click()
    similar = rec.to("/discovery/creators/similar/")[-1]
    assert (similar.body["filter_key"], similar.body["filter_value"]) == ("username", handles[0])
    assert form.request == similar.body

    before = sb.log.total_charged
    form.actions.refresh(frame)
    form.actions.picked = handles[:2]
    assert form.actions._enrich.description == "Enrich 2 (≤ 0.4 credits)"  # profile: 0.2 each
    form.actions._enrich.click()
    enriched = rec.to("/creators/enrich/handle/profile/")
    assert [s.body["handle"] for s in enriched] == handles[:2]
    assert set(form.actions.enriched) == set(handles[:2])
    shown = form.out.outputs[-1]["data"]["text/html"]
    assert all(f">{h}<" in shown for h in handles[:2])  # the enriched profiles, as a table
    assert sb.log.total_charged == pytest.approx(before + 0.4)

    form.actions._compare_button.click()
    assert form.actions.compare == handles[:2]
    assert rec.to("/audience-overlap/") == []  # handing over spends nothing


def test_discovery_path_is_the_one_the_form_posts_to(wired) -> None:
    client, rec = wired
    DiscoveryForm(client, debounce=0).search()
    assert [s.method for s in rec.sent if s.path == DISCOVERY] == ["POST"]


def test_find_similar_is_offered_only_where_the_api_has_it(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, platform="twitter", debounce=0)
    form.search()
    form.actions.picked = [form.results.username[0]]
    assert form.actions._similar.disabled
    form.platform = "tiktok"
    form.search()
    form.actions.picked = [form.results.username[0]]
    assert not form.actions._similar.disabled


def test_a_budget_refusal_is_shown_and_nothing_is_sent(sb) -> None:
    from widget_helpers import Recorder

    from toolkit import Client
    from toolkit._config import SANDBOX_BASE_URL

    rec = Recorder(sb.transport())
    with Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=rec, budget=0.1) as client:
        form = DiscoveryForm(client, debounce=0)
        assert form.search() is None
        assert searches(rec) == []
        assert "worst case 0.25 credits" in form._status.value
        assert "BudgetExceededError" in form.out.outputs[0]["text"]
        form.limit = 10
        assert form.search() is not None  # 0.1 fits
        assert sb.log.total_charged <= 0.1
