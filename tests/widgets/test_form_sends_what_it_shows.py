"""The discovery form sends exactly what it shows: typed text, stale results, lookalikes,
exports, and values set in code that the form cannot take."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from widget_helpers import searches

import toolkit as ic
from toolkit.filters import AGE_BANDS
from widgets import DiscoveryForm
from widgets._exports import default_export_dir, export_name
from widgets._results import results_html


def _type(form: DiscoveryForm, key: str, text: str) -> None:
    form.controls[key].typeahead.query = text  # typed, no suggestion clicked, no Enter


def test_typed_text_that_matches_nothing_blocks_the_search(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    _type(form, "location", "Untied States")
    assert form.search() is None
    assert searches(rec) == []  # nothing was sent, nothing paid
    error = form.controls["location"].error
    assert error.startswith("no match for “Untied States”")
    assert "did you mean 'United States'?" in error
    assert "⚠" in form.controls["location"]._error.value
    assert "nothing was sent" in form._status.value
    assert form.controls["location"].typeahead.query == "Untied States"  # left to fix


def test_the_typeahead_says_what_was_probably_meant(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    _type(form, "location", "Frnace")
    hint = form.controls["location"].typeahead._hint.value
    assert "no match for “Frnace” — did you mean &#x27;France&#x27;?" in hint


@pytest.mark.parametrize("typed", ["Germany", "germany ", "GERMANY"])
def test_typed_text_that_is_a_value_is_taken_as_picked(wired, typed: str) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    _type(form, "location", typed)
    frame = form.search()
    assert frame is not None
    assert searches(rec)[-1].body["filters"] == {"location": ["Germany"]}
    assert form.filters() == {"location": ["Germany"]}  # shown as sent
    box = form.controls["location"].typeahead
    assert box.value == ["Germany"] and box.query == ""


def test_values_in_another_spelling_are_shown_as_sent(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.set_filters({"location": ["united states"], "brands": ["NIKE"]})
    form.search()
    assert searches(rec)[-1].body["filters"] == {"location": ["United States"], "brands": ["nike"]}
    assert form.filters() == searches(rec)[-1].body["filters"]


def test_a_saved_search_with_a_value_no_dictionary_holds_sends_nothing(wired, tmp_path) -> None:
    client, rec = wired
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"platform": "instagram", "filters": {"location": ["US"]}}))
    form = DiscoveryForm.load(client, path, debounce=0)
    assert form.search() is None
    assert searches(rec) == []
    assert "did you mean 'United States'?" in form.controls["location"].error


def test_switching_platform_empties_the_table_and_disables_export(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.search()
    assert len(form.results) > 0 and not form._csv.disabled
    form.platform = "youtube"
    assert form.results is None and form._table.value == ""
    assert form._csv.disabled and form._parquet.disabled and form._next.disabled
    assert form.actions.layout.display == "none"  # no rows left to pick
    assert "search again" in form._status.value
    form.more()  # nothing to page on
    assert len(searches(rec)) == 1
    form.search()
    assert searches(rec)[-1].body["platform"] == "youtube" and not form._csv.disabled


def test_exports_are_named_after_what_they_hold_and_go_where_the_user_says(
    wired, tmp_path, monkeypatch
) -> None:
    client, _rec = wired
    monkeypatch.chdir(tmp_path)
    form = DiscoveryForm(client, debounce=0)
    assert form.export_dir == tmp_path / "exports"  # the working directory's exports/
    form.set_filters({"location": ["France"], "number_of_followers": {"min": 10_000}})
    form.search()
    form._csv.click()
    name = f"instagram-location-france-number-of-followers-min-10k-{len(form.results)}-creators"
    assert (tmp_path / "exports" / f"{name}.csv").exists()
    form._folder.value = str(tmp_path / "picked")  # the "Save to" field
    form._parquet.click()
    assert (tmp_path / "picked" / f"{name}.parquet").exists()


def test_exports_never_land_inside_the_package() -> None:
    package = Path(__import__("widgets").__file__).resolve().parent
    assert default_export_dir(package) == package.parent / "exports"
    assert default_export_dir(package / "sub") == package.parent / "exports"
    assert export_name("tiktok", "similar", {"username": "@some.one"}, 7, "csv") == (
        "tiktok-similar-to-some-one-7-creators.csv"
    )
    assert export_name("youtube", "search", {"filters": {}}, 25, "parquet") == (
        "youtube-all-creators-25-creators.parquet"
    )


def test_find_similar_says_what_the_table_holds_and_goes_back(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.controls["number_of_followers"]._min.value = "50k"
    searched = form.search()
    handle = searched.username[0]
    form.actions.picked = [handle]
    form.actions._similar.click()
    assert form._similar_bar.layout.display == ""
    assert f"Lookalikes of @{handle}" in form._showing.value
    assert "not the results of the filters above" in form._showing.value
    sent = len(rec.sent)
    form._back.click()  # the search's rows again, without paying for them twice
    assert len(rec.sent) == sent
    assert list(form.results.username) == list(searched.username)
    assert form._similar_bar.layout.display == "none"
    assert form.request["filters"] == {"number_of_followers": {"min": 50_000}}


def test_find_similar_says_why_it_is_greyed_out(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    frame = form.search()
    form.actions.picked = list(frame.username[:2])
    assert form.actions._similar.disabled
    assert "exactly one creator; 2 picked" in form.actions._why.value
    assert "exactly one creator" in form.actions._similar.tooltip
    form.actions.picked = list(frame.username[:1])
    assert not form.actions._similar.disabled and form.actions._why.value == ""


def test_youtube_handles_and_subscribers_are_labelled_as_such() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        [{"rank": 1, "username": "@chef", "full_name": "Chef", "followers": 1200, "user_id": "UC1"}]
    )
    table = results_html(frame, "youtube")
    assert "@chef</a>" in table and "@@" not in table
    assert '<th class="num">subscribers</th>' in table
    assert '<th class="num">followers</th>' in results_html(frame, "instagram")


def test_youtube_results_in_the_form_show_one_at(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, platform="youtube", debounce=0)
    form.search()
    assert "@@" not in form._table.value
    assert all(not label.startswith("@@") for label, _v in form.actions._pick.options)


def test_age_bands_are_offered_whole(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    age = form.controls["audience.age"]
    assert [v for _l, v in age._box.options] == list(AGE_BANDS)
    age._box.value = ("18-24",)
    age._pct.value = "30"
    form.search()
    assert searches(rec)[-1].body["filters"] == {
        "audience": {"age": [{"range": "18-24", "min_pct": 30}]}
    }


def test_a_huge_number_of_days_is_refused_with_its_bound(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.controls["last_post"]._text.value = "1e20"
    assert form.search() is None
    assert searches(rec) == []
    assert "at most 10,000 days" in form.controls["last_post"].error


@pytest.mark.parametrize(
    ("attribute", "value", "error", "message"),
    [
        ("limit", "ten", ic.ArgumentTypeError, "limit must be a whole number"),
        ("limit", 7, ic.ArgumentError, "must be one of 10, 25, 50"),
        ("platform", 5, ic.ArgumentError, "platform must be one of"),
        ("platform", "myspace", ic.ArgumentError, "platform must be one of"),
        ("sort_by", None, ic.ArgumentError, "sort_by must be one of"),
        ("sort_order", "up", ic.ArgumentError, "sort_order must be one of 'asc', 'desc'"),
    ],
)
def test_wrong_values_set_in_code_are_toolkit_errors(
    wired, attribute: str, value: object, error: type, message: str
) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    with pytest.raises(error, match=message) as info:
        setattr(form, attribute, value)
    assert isinstance(info.value, ic.InfluencersClubError)


def test_page_size_given_as_text_is_understood(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.limit = "10"
    assert form.limit == 10 and form._limit.value == 10


def test_saved_searches_with_bad_values_are_toolkit_errors(wired, tmp_path) -> None:
    client, _rec = wired
    with pytest.raises(ic.FilterError, match="number_of_followers"):
        DiscoveryForm(
            client, filters={"platform": "instagram", "filters": {"number_of_followers": "lots"}}
        )
    with pytest.raises(ic.FilterError, match=r"audience\.interests"):
        DiscoveryForm(client, filters={"audience": {"interests": "fitness"}})
    with pytest.raises(ic.ArgumentError, match="limit must be a whole number, got 'x1'"):
        DiscoveryForm(client, filters={"platform": "tiktok", "limit": "x1"})
    with pytest.raises(ic.ArgumentTypeError, match="saved search"):
        DiscoveryForm(client, filters=["location"])
    text = tmp_path / "notes.txt"
    text.write_text("not json at all")
    with pytest.raises(ic.ArgumentError, match="is not a saved search"):
        DiscoveryForm.load(client, text)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(ic.ArgumentError, match="its JSON is not an object"):
        DiscoveryForm.load(client, listed)
    with pytest.raises(ic.ArgumentError, match="is not a saved search"):
        DiscoveryForm.load(client, tmp_path / "missing.json")


def test_a_notebook_opened_before_running_shows_a_static_form(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, filters={"location": ["France"]}, debounce=0)
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the live form
    assert "Discovery form" in bundle["text/html"] and "France" in bundle["text/html"]
    assert "run the cell" in bundle["text/plain"] and "children=" not in bundle["text/plain"]


def test_enter_takes_a_typed_value_or_says_what_was_meant(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    box = form.controls["location"].typeahead
    box.query = "france"
    box._text._handle_custom_msg({"event": "submit"}, [])  # what Enter in the browser sends
    assert box.value == ["France"] and box.query == ""
    box.query = "Frnace"
    box._text._handle_custom_msg({"event": "submit"}, [])
    assert box.value == ["France"] and box.query == "Frnace"
    assert "did you mean 'France'?" in form.controls["location"].error
    assert searches(rec) == []  # Enter searches nothing


def test_the_header_row_wraps_between_controls_not_inside_the_sort_toggle(wired) -> None:
    """At 1,024 px (or JupyterLab with its sidebar) the desc/asc toggle stacked its two
    buttons; now the toggle keeps its width and the row wraps between whole controls
    (looked at in Voila at 1,024 and 1,400 px)."""
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    header = form.children[0]
    assert header.layout.flex_flow == "row wrap"
    assert form._sort_order in header.children
    assert form._sort_order.layout.flex == "0 0 auto" and form._sort_order.layout.min_width
    assert all(w.layout.width for w in (form._platform, form._sort_by, form._limit))


def test_with_the_value_check_off_typed_text_is_sent_as_typed(sb) -> None:
    from widget_helpers import Recorder

    from toolkit import Client
    from toolkit._config import SANDBOX_BASE_URL

    rec = Recorder(sb.transport())
    with Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=rec,
        cache="off",
        check_filter_values=False,
    ) as client:
        form = DiscoveryForm(client, debounce=0)
        _type(form, "location", "Atlantis")
        assert form.search() is not None
    assert searches(rec)[-1].body["filters"] == {"location": ["Atlantis"]}


@pytest.mark.parametrize("how", ["picked", "typed"])
def test_an_unreachable_dictionary_is_shown_and_nothing_is_sent(sb, how: str) -> None:
    from widget_helpers import Recorder

    from toolkit._config import SANDBOX_BASE_URL

    rec = Recorder(sb.transport())
    with ic.Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=rec,
        cache="off",
        max_retries=0,
    ) as client:
        form = DiscoveryForm(client, debounce=0)
        sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
        if how == "picked":
            form.set_filters({"location": ["Untied States"]})
        else:
            _type(form, "location", "Germany")
        assert form.search() is None
    assert searches(rec) == []
    assert "could not be reached" in form.controls["location"].error
    if how == "picked":
        assert "check_filter_values=False" in form._status.value
    assert form.results is None


def test_after_a_field_changes_more_waits_for_search_and_the_table_says_so(wired) -> None:
    client, rec = wired
    form = DiscoveryForm(client, debounce=0)
    form.set_filters({"location": ["United States"]})
    assert form.search() is not None and not form._next.disabled
    form.set_filters({"location": ["Germany"]})
    assert form._next.disabled
    assert "the table shows the last search" in form._status.value
    assert "location: United States" in form._status.value
    assert form.more() is None and len(searches(rec)) == 1  # nothing paid for the old search
    assert "united-states" in form.export_name("csv")  # named after what the table holds
    form.set_filters({"location": ["United States"]})  # back as searched: More is offered again
    assert not form._next.disabled and "last search" not in form._status.value
    form.sort_by = "number_of_followers"
    assert form._next.disabled and "press Search" in form._status.value
    form.sort_by = "relevancy"
    form.limit = 10
    assert form._next.disabled
    form.limit = 25
    assert form.more() is not None
    assert searches(rec)[-1].body["filters"] == {"location": ["United States"]}
    form.set_filters({"location": ["Germany"]})
    form.search()
    assert searches(rec)[-1].body["filters"] == {"location": ["Germany"]}
    assert "last search" not in form._status.value
    assert form._next.disabled == (len(form.results) >= form.total)  # only if all are shown


def test_exports_never_overwrite_each_other(wired, tmp_path) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0, export_dir=tmp_path)
    form.set_filters({"location": ["United States"]})
    form.search()
    form._csv.click()
    form._csv.click()  # the same table again: saved once
    assert "Already saved as" in form._downloads.value
    by_relevancy = sorted(p.name for p in tmp_path.iterdir())
    assert len(by_relevancy) == 1
    form.sort_by, form.sort_order = "engagement_rate", "asc"
    form.search()
    form._csv.click()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and any("-by-engagement-rate-asc-" in n for n in names)
    first = tmp_path / by_relevancy[0]
    before = first.read_bytes()
    first.write_bytes(b"someone else's file")  # the same name, other content
    form.sort_by, form.sort_order = "relevancy", "desc"
    form.search()
    form._csv.click()
    assert first.read_bytes() == b"someone else's file"  # not replaced
    second = first.with_name(f"{first.stem}-2.csv")
    assert second.read_bytes() == before and second.name in form._downloads.value


def test_long_filter_sets_get_different_names() -> None:
    many = {f"filter_{i}": "x" * 20 for i in range(8)}
    other = {**many, "filter_7": "y" * 20}
    a = export_name("instagram", "search", {"filters": many}, 25, "csv")
    b = export_name("instagram", "search", {"filters": other}, 25, "csv")
    assert a != b and len(a) <= 150 and not a.endswith("-etc-25-creators.csv")


def test_inside_installed_packages_exports_go_to_the_home_folder(
    wired, tmp_path, monkeypatch
) -> None:
    client, _rec = wired
    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "somepkg"
    installed.mkdir(parents=True)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(installed)
    assert default_export_dir() == home / "influencers-club-exports"
    form = DiscoveryForm(client, debounce=0)
    assert form.export_dir == home / "influencers-club-exports"
    assert "inside installed packages" in form._status.value
    assert str(home / "influencers-club-exports") in form._status.value
    form.search()
    form._csv.click()
    assert [p.parent for p in (home / "influencers-club-exports").iterdir()] == [
        home / "influencers-club-exports"
    ]
    assert not (installed.parent / "exports").exists()
    monkeypatch.chdir(tmp_path)  # anywhere else: the working directory's exports/
    assert default_export_dir() == tmp_path / "exports"
    assert "installed" not in DiscoveryForm(client, debounce=0)._status.value


def test_switching_platform_while_a_dictionary_is_unreachable_keeps_the_value(sb) -> None:
    from widget_helpers import Recorder

    from toolkit._config import SANDBOX_BASE_URL

    rec = Recorder(sb.transport())
    with ic.Client(
        api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=rec, cache="off", max_retries=0
    ) as client:
        form = DiscoveryForm(client, debounce=0)
        form.set_filters({"location": ["Germany"]})
        sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
        form.platform = "tiktok"  # its locations cannot be listed now: the value stays
        assert form.filters() == {"location": ["Germany"]}
        assert form.search() is None and searches(rec) == []  # and is not sent unchecked
        assert "could not be reached" in form.controls["location"].error
