"""``Dashboard``: the whole app ``make dashboard`` serves, as tabs over one client.

Discover (the filter form), Compare audiences (the overlap explorer and reach planner, fed
by the rows picked in Discover) and Campaigns. "Compare audiences" under Discover's results
switches to the Compare tab with the picked creators loaded; each tab is the same widget a
notebook can use on its own.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

import toolkit as ic

from ._campaigns import CampaignDashboard
from ._discovery import DiscoveryForm
from ._overlap import OverlapExplorer

__all__ = ["TABS", "Dashboard"]

#: The tabs, in order.
TABS = ("Discover", "Compare audiences", "Campaigns")


class Dashboard(W.VBox):
    """Discover, Compare audiences and Campaigns as tabs over ``client``.

    ``form``, ``explorer`` and ``campaigns`` are the three widgets; :meth:`show` switches
    tab by name.

    >>> import toolkit as ic
    >>> app = Dashboard(ic.connect(quiet=True))   # doctest: +SKIP
    """

    def __init__(self, client: ic.Client, *, export_dir: str | Path = "exports") -> None:
        self.client = client
        self.form = DiscoveryForm(client, export_dir=export_dir)
        self.explorer = OverlapExplorer(client, form=self.form)
        self.campaigns = CampaignDashboard(client)
        self.tabs = W.Tab(children=[self.form, self.explorer, self.campaigns])
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, title)
        self.tabs.add_class("ic-tabs")
        header = W.HTML(f"<div class='ic-where'>{html.escape(where(client))}</div>")
        super().__init__([header, self.tabs])
        self.add_class("ic-app")
        # "Compare audiences" under the results hands its picks to the explorer (which
        # follows the form itself); here it also brings the explorer into view
        self.form.actions.observe(lambda _c: self.show("Compare audiences"), "compare")

    def show(self, tab: str) -> None:
        """Switch to the tab called ``tab`` (one of :data:`TABS`)."""
        self.tabs.selected_index = TABS.index(tab)

    @property
    def tab(self) -> str:
        """The tab on screen."""
        return TABS[self.tabs.selected_index or 0]


def where(client: ic.Client) -> str:
    """One line saying which API the app talks to, and whether its credits are real."""
    if client.is_sandbox:
        return "On the offline sandbox: synthetic creators and play credits; nothing leaves this machine."
    return f"On the Influencers Club API at {client.base_url}: searches spend real credits."
