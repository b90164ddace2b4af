"""ipywidgets built on toolkit: the discovery form, the overlap explorer, the campaign
dashboard, and ``Dashboard``, the three as tabs of one app (``make dashboard``).

>>> import toolkit as ic, widgets
>>> form = widgets.DiscoveryForm(ic.connect(quiet=True))   # doctest: +SKIP
>>> form                                                   # doctest: +SKIP
"""

from widgets._app import Dashboard
from widgets._campaigns import CampaignDashboard
from widgets._controls import CONTROLS, FilterControl
from widgets._discovery import DiscoveryForm
from widgets._overlap import OverlapExplorer
from widgets._typeahead import TypeaheadTags

__all__ = [
    "CONTROLS",
    "CampaignDashboard",
    "Dashboard",
    "DiscoveryForm",
    "FilterControl",
    "OverlapExplorer",
    "TypeaheadTags",
]
