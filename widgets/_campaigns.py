"""``CampaignDashboard``: one campaign's KPIs, daily trends, leaderboard and top content.

Every call it makes is free (listening reads); it only wires toolkit calls and charts.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import observe

import toolkit as ic
from toolkit import charts
from toolkit._facts import LISTENING_PLATFORMS
from toolkit.frames import Tables
from widgets._figures import show_figure

__all__ = ["CampaignDashboard"]

#: The KPI row: (column of the overview's totals table, label, format).
KPIS = (
    ("posts", "Posts", "{:,.0f}"),
    ("views", "Views", "{:,.0f}"),
    ("engagement", "Engagement", "{:,.0f}"),
    ("er_percent", "ER", "{:.2f}%"),
    ("emv", "EMV", "${:,.0f}"),
)


#: What the dashboard says while the account has no campaign: how to start one.
START_HINT = (
    "<div class='ic-campaigns-empty' style='line-height:1.45'><b>No campaigns on this account yet.</b> Start one in "
    "a notebook with the creators you signed (notebook 05 walks through it; listening is "
    "billed per creator per day while it runs), then press <b>Refresh</b>:"
    "<pre style='font-family:monospace;line-height:1.35;background:#f5f5f5;"
    "padding:0.6em 0.8em;margin:0.5em 0;width:fit-content'>"
    'client.listening.campaigns.ensure(\n    "Spring launch",   # a re-run finds it, never a second one\n'
    '    platforms=["instagram"],\n    end_date=date.today() + timedelta(days=28),\n'
    '    handles={"instagram": ["creator_a", "creator_b"]},\n)</pre></div>'
)


class CampaignDashboard(W.VBox):
    """Pick a campaign (and optionally a platform): KPIs, trends, leaderboard, top content.

    ``overview`` holds the last overview answer; ``kpis`` the numbers shown in the KPI row.

    >>> dash = CampaignDashboard(ic.connect(quiet=True))   # doctest: +SKIP
    """

    overview = AnyTrait(None)
    kpis = AnyTrait(None)

    def __init__(self, client: ic.Client, *, campaign_id: str | None = None) -> None:
        self.client = client
        self._campaign = W.Dropdown(description="Campaign", layout={"width": "28em"})
        self._platform = W.Dropdown(
            description="Platform", options=[("all", ""), *((p, p) for p in LISTENING_PLATFORMS)]
        )
        self._refresh = W.Button(description="Refresh", icon="refresh")
        self._kpis = W.HTML("")
        self._kpis.add_class("ic-kpis")
        self._status = W.HTML("")
        self._trends, self._leaders, self._content = W.Output(), W.Output(), W.Output()
        super().__init__(
            [
                W.HBox([self._campaign, self._platform, self._refresh]),
                self._kpis,
                self._status,
                self._trends,
                self._leaders,
                self._content,
            ]
        )
        self.add_class("ic-campaigns")
        self._refresh.add_class("ic-campaigns-refresh")
        self._status.add_class("ic-campaigns-status")
        self._refresh.on_click(lambda _b: self.reload())
        self.load_campaigns()
        if campaign_id is not None:
            self._campaign.value = campaign_id
        self._campaign.observe(lambda _c: self.refresh(), "value")
        self._platform.observe(lambda _c: self.refresh(), "value")
        if self._campaign.value:
            self.refresh()

    def load_campaigns(self) -> None:
        """Fill the campaign picker from the account's campaigns (free); with none, say
        how to start one."""
        try:
            tables = self.client.listening.campaigns.list().to_polars()
            assert isinstance(tables, Tables)  # the campaign list converts to named tables
            table = tables.campaigns
        except ic.InfluencersClubError as err:  # the other tabs still work without it
            self._status.value = (
                f"<span style='color:#b00020'>Campaigns unavailable: {html.escape(str(err))}</span>"
            )
            return
        chosen = self._campaign.value
        options = [
            (f"{name} ({status})", cid)
            for cid, name, status in table.select("id", "name", "status").iter_rows()
        ]
        self._campaign.options = options
        ids = [cid for _label, cid in options]
        if ids:  # the one on screen stays; otherwise the first, never a blank page
            self._campaign.value = chosen if chosen in ids else ids[0]
        self._status.value = "" if ids else START_HINT

    def reload(self) -> Any:
        """Refresh: read the campaign list again (one started meanwhile shows up), then the
        chosen campaign; the overview answer, or None."""
        before = self._campaign.value
        self.load_campaigns()  # a newly chosen campaign redraws through the picker
        return self.refresh() if self._campaign.value == before else self.overview

    def refresh(self) -> Any:
        """Read the campaign again and redraw everything; the overview answer, or None."""
        cid = self._campaign.value
        if not cid:
            self._status.value = START_HINT
            return None
        platform = self._platform.value or ic.NOT_GIVEN
        campaigns = self.client.listening.campaigns
        try:
            overview = campaigns.overview(cid, platform=platform)
            creators = campaigns.creators(cid)
            content = campaigns.iter_content(cid).to_polars()  # every post: a top list of all
        except ic.InfluencersClubError as err:
            self._status.value = f"<span style='color:#b00020'>{html.escape(str(err))}</span>"
            return None
        self.overview = overview
        self._status.value = ""
        for out, figure in (
            (self._trends, charts.campaign_trends(overview)),
            (self._leaders, charts.leaderboard(creators)),
            (self._content, charts.top_content(content, n=10)),
        ):
            show_figure(out, figure)
        return overview

    @observe("overview")
    def _on_overview(self, change: dict[str, Any]) -> None:
        totals = change["new"].to_polars().totals
        row = totals.row(0, named=True) if totals.height else {}
        self.kpis = {key: row.get(key) for key, _label, _fmt in KPIS}
        cells = "".join(
            f"<div class='ic-kpi'><div class='ic-kpi-value'>"
            f"{fmt.format(value) if value is not None else '–'}</div>"
            f"<div class='ic-kpi-label'>{label}</div></div>"
            for (key, label, fmt), value in zip(KPIS, self.kpis.values(), strict=True)
        )
        self._kpis.value = (
            "<div style='display:flex;gap:2.5em;margin:0.6em 0'>"
            f"{cells}</div><style>.ic-kpi-value{{font-size:1.6em;font-weight:600}}"
            ".ic-kpi-label{color:#666}</style>"
        )
