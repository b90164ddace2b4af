"""The dashboard as one app (``widgets.Dashboard``), and the explorer and campaign tab's
small defects: where each button leads, what each status line says."""

from __future__ import annotations

import warnings

import pytest
from widget_helpers import Recorder

from toolkit import Client
from toolkit._config import SANDBOX_BASE_URL
from widgets import CampaignDashboard, Dashboard, OverlapExplorer
from widgets._app import TABS
from widgets._campaigns import START_HINT
from widgets._overlap import USEFUL_K


def _handles(sb, n: int) -> list[str]:
    return [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:n]]


def _overlap_calls(rec) -> int:
    return len(rec.to("/creators/audience/overlap/"))


def test_the_app_has_the_three_tabs_and_says_which_api(wired) -> None:
    client, _rec = wired
    app = Dashboard(client)
    assert [app.tabs.get_title(i) for i in range(3)] == list(TABS)
    assert list(app.tabs.children) == [app.form, app.explorer, app.campaigns]
    assert app.tab == "Discover"
    assert "offline sandbox" in app.children[0].value and "play credits" in app.children[0].value


def test_compare_audiences_in_discover_opens_the_compare_tab_with_the_picks(wired, sb) -> None:
    client, rec = wired
    app = Dashboard(client)
    found = app.form.search()
    picked = list(found.username[:2])
    app.form.actions.picked = picked
    app.form.actions._compare_button.click()
    assert app.tab == "Compare audiences"
    explorer = app.explorer
    assert explorer.handles == picked and explorer.platform == "instagram"
    assert "2 creators from Discover" in explorer._status.value
    assert _overlap_calls(rec) == 0  # loaded, not paid for: Compare there shows the cost first
    explorer._run.click()
    assert _overlap_calls(rec) == 1 and explorer._chart.outputs
    assert explorer._status.value == "Spent 1 credit."


def test_a_cache_hit_says_why_it_cost_nothing(sb) -> None:
    rec = Recorder(sb.transport())  # the client's cache on, as in the dashboard
    with Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=rec) as client:
        explorer = OverlapExplorer(client, handles=_handles(sb, 3))
        explorer.compare()
        assert explorer._status.value == "Spent 1 credit."
        explorer.compare()
        assert _overlap_calls(rec) == 1
        assert explorer._status.value == "0 credits: answered from the cache."
        explorer._matrix_btn.click()
        explorer._confirm.children[1].click()  # 3 pairs, none asked before
        assert explorer._status.value == "Spent 3 credits."
        explorer._matrix_btn.click()
        explorer._confirm.children[1].click()
        assert explorer._status.value == "0 credits: answered from the cache."
        assert _overlap_calls(rec) == 4


def test_new_creators_clear_the_answer_about_the_old_ones(wired, sb) -> None:
    client, rec = wired
    explorer = OverlapExplorer(client, handles=_handles(sb, 3))
    explorer.compare()
    explorer.handles = _handles(sb, 5)[3:]
    assert explorer.result is None and explorer._chart.outputs == ()
    assert explorer._status.value == ""
    explorer._matrix_btn.click()  # a matrix asked for these two...
    assert explorer.pending is not None
    explorer.handles = _handles(sb, 4)  # ...is not confirmed for four others
    assert explorer.pending is None and explorer._confirm.children == ()
    assert _overlap_calls(rec) == 1


def test_the_planner_starts_at_a_useful_k_and_keeps_the_one_picked(wired, sb) -> None:
    client, _rec = wired
    explorer = OverlapExplorer(client)
    explorer.handles = _handles(sb, 6)
    assert explorer._k.value == USEFUL_K == 3
    explorer.handles = _handles(sb, 2)
    assert explorer._k.value == 2  # every creator of a shorter list, never k=1
    explorer.handles = _handles(sb, 8)
    assert explorer._k.value == 3
    explorer._k.value = 5  # the user's choice stays while it fits
    explorer.handles = _handles(sb, 7)
    assert explorer._k.value == 5


def test_no_label_is_cut_short(wired) -> None:
    client, _rec = wired
    explorer = OverlapExplorer(client)
    for button in (explorer._run, explorer._matrix_btn, explorer._plan_btn):
        assert button.layout.width == "auto" and button.layout.min_width == "fit-content"


def test_a_plan_cut_short_by_its_budget_says_why(wired, sb) -> None:
    client, rec = wired
    explorer = OverlapExplorer(client, handles=_handles(sb, 10))
    explorer._budget.value = 3  # seeding takes 1, the next step would try 9
    explorer._plan_btn.click()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the widget says it; nothing leaks to stderr
        explorer._confirm.children[1].click()
    assert explorer.plan.stopped == "budget" and len(explorer.plan.chosen) == 1
    assert "Stopped after 1 of 3 creators" in explorer._status.value
    assert "the next step costs up to 9 credits" in explorer._status.value
    (shown,) = explorer._table.outputs  # the curve's table replaces whatever was there
    assert explorer.plan.chosen[0] in shown["data"]["text/html"]
    assert _overlap_calls(rec) == 1


def test_creators_of_a_platform_without_overlap_are_not_loaded(wired) -> None:
    client, _rec = wired
    app = Dashboard(client)
    app.form.platform = "twitch"
    found = app.form.search()
    app.form.actions.picked = list(found.username[:2])
    app.form.actions.compare_audiences()
    assert app.explorer.handles == []
    assert "twitch creators cannot be compared" in app.explorer._status.value


def test_a_fresh_account_is_shown_how_to_start_a_campaign_and_refresh_finds_it(wired, sb) -> None:
    client, _rec = wired
    app = Dashboard(client)
    dash = app.campaigns
    assert dash._status.value == START_HINT and "campaigns.ensure(" in START_HINT
    assert dash._campaign.options == ()
    client.listening.campaigns.create(
        name="Launch",
        platforms=["instagram"],
        start_date=sb.clock.now().date(),
        handles={"instagram": _handles(sb, 2)},
    )
    dash._refresh.click()
    assert [label for label, _v in dash._campaign.options] == ["Launch (active)"]
    assert dash.overview is not None and dash._status.value == ""


@pytest.mark.parametrize("tab", TABS)
def test_show_switches_to_every_tab(wired, tab) -> None:
    client, _rec = wired
    app = Dashboard(client)
    app.show(tab)
    assert app.tab == tab and app.tabs.selected_index == TABS.index(tab)


def test_the_campaign_tab_says_when_campaigns_cannot_be_read(sb) -> None:
    """A key the API refuses (or one without listening) says so on the tab, not a traceback
    that stops the whole app from opening."""
    with Client(
        api_key="sk_sandbox_" + "0" * 40, base_url=SANDBOX_BASE_URL, transport=sb.transport()
    ) as client:
        dash = CampaignDashboard(client)
    assert "Campaigns unavailable" in dash._status.value and "401" in dash._status.value
    assert dash._campaign.options == () and dash.overview is None
