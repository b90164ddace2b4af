"""ipywidgets built on toolkit: the discovery form (more to come: overlap, campaigns).

>>> import toolkit as ic, widgets
>>> form = widgets.DiscoveryForm(ic.connect(quiet=True))   # doctest: +SKIP
>>> form                                                   # doctest: +SKIP
"""

from widgets._controls import CONTROLS, FilterControl
from widgets._discovery import DiscoveryForm
from widgets._typeahead import TypeaheadTags

__all__ = ["CONTROLS", "DiscoveryForm", "FilterControl", "TypeaheadTags"]
