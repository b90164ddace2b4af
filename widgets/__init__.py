"""ipywidgets built on toolkit: the discovery form, the overlap explorer, the campaign dashboard.

>>> import toolkit as ic, widgets
>>> form = widgets.DiscoveryForm(ic.connect(quiet=True))   # doctest: +SKIP
>>> form                                                   # doctest: +SKIP
"""

from widgets._campaigns import CampaignDashboard
from widgets._controls import CONTROLS, FilterControl
from widgets._discovery import DiscoveryForm
from widgets._overlap import OverlapExplorer
from widgets._typeahead import TypeaheadTags

__all__ = [
    "CONTROLS",
    "CampaignDashboard",
    "DiscoveryForm",
    "FilterControl",
    "OverlapExplorer",
    "TypeaheadTags",
]
