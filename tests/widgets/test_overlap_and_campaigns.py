"""OverlapExplorer and CampaignDashboard driven on the sandbox: what they send, show and cost."""

from __future__ import annotations

import pytest

from toolkit.planning import matrix_estimate
from widgets import CampaignDashboard, DiscoveryForm, OverlapExplorer


def _handles(sb, n: int) -> list[str]:
    return [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:n]]


def test_explorer_shows_the_cost_then_compares_in_one_request(wired, sb) -> None:
    client, rec = wired
    explorer = OverlapExplorer(client)
    assert explorer._run.disabled  # nothing to compare yet
    explorer.handles = _handles(sb, 4)
    assert "1 credit" in explorer._cost.value and not explorer._run.disabled
    before = sb.log.total_charged
    explorer._run.click()
    sent = rec.to("/creators/audience/overlap/")
    assert len(sent) == 1 and sent[0].body["creators"] == explorer.handles
    assert sb.log.total_charged - before == pytest.approx(1.0)
    figure = explorer._chart.outputs[-1]["data"]["application/vnd.plotly.v1+json"]
    shown = {name for trace in figure["data"] for name in trace["y"]}
    assert shown == set(explorer.result.to_polars().creators["username"])


def test_matrix_and_plan_spend_nothing_until_their_cost_is_confirmed(wired, sb) -> None:
    client, rec = wired
    explorer = OverlapExplorer(client, handles=_handles(sb, 4))
    explorer._matrix_btn.click()
    assert explorer.pending == ("matrix", matrix_estimate(4))
    assert rec.to("/creators/audience/overlap/") == []  # asking shows the cost only
    confirm = explorer._confirm.children[1]
    assert "≤ 6 credits" in confirm.description
    confirm.click()
    assert len(rec.to("/creators/audience/overlap/")) == 6  # one call per pair
    assert explorer.matrix.cost == pytest.approx(6) and explorer.pending is None

    explorer._k.value = 2
    explorer._plan_btn.click()
    sent_before = len(rec.to("/creators/audience/overlap/"))
    explorer._confirm.children[2].click()  # cancel
    assert len(rec.to("/creators/audience/overlap/")) == sent_before and explorer.plan is None
    explorer._plan_btn.click()
    explorer._confirm.children[1].click()
    assert len(explorer.plan.chosen) == 2
    assert f"Picked 2 of 2 creators for {explorer.plan.spent:g} credits" in explorer._status.value


def test_explorer_takes_the_creators_picked_in_the_discovery_form(wired) -> None:
    client, _rec = wired
    form = DiscoveryForm(client, debounce=0)
    explorer = OverlapExplorer(client, form=form)
    found = form.search()
    form.actions.picked = list(found.username[:3])
    form.actions.compare_audiences()
    assert explorer.handles == list(found.username[:3])


def test_dashboard_kpis_are_the_overview_numbers_and_refresh_reads_again(wired, sb) -> None:
    client, rec = wired
    camp = client.listening.campaigns.create(
        name="Launch",
        platforms=["instagram"],
        start_date=sb.clock.now().date(),
        handles={"instagram": _handles(sb, 3)},
    )
    sb.clock.advance(days=20)
    dash = CampaignDashboard(client, campaign_id=camp.data["id"])
    totals = dash.overview.to_polars().totals.row(0, named=True)
    assert dash.kpis == {
        k: totals[k] for k in ("posts", "views", "engagement", "er_percent", "emv")
    }
    assert f"{totals['posts']:,}" in dash._kpis.value
    assert all(out.outputs for out in (dash._trends, dash._leaders, dash._content))
    reads = len(rec.to("/overview/"))
    sb.clock.advance(days=5)
    dash._refresh.click()
    assert len(rec.to("/overview/")) == reads + 1
    assert dash.kpis["posts"] >= totals["posts"]
    dash._platform.value = "instagram"
    assert rec.to("/overview/")[-1].query.get("platform") == ["instagram"]
