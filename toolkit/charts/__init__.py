"""Plotly charts of the toolkit's tables: overlap, reach, campaigns, creators and spend.

Every function takes the toolkit's tables (polars or pandas, a ``Tables``, or a call's
result directly) and returns a ``plotly.graph_objects.Figure`` in one look, the
``influencers_club`` template (``toolkit.charts.TEMPLATE``, registered on import). Every
figure has a title, axis titles with units and readable hovers; an empty input gives a
figure that says "No data" instead of an exception. Every chart takes
``title=``, ``subtitle=`` and ``show_cost=``. In a Jupyter kernel the import picks a renderer that an
HTML export keeps (``NOTEBOOK_RENDERER``) unless one was chosen. Charts only draw: the paid helpers
(``client.creators.overlap_matrix``, ``.plan_reach``) live with the client. Gallery:
docs/charts.md.

Example:
    >>> from toolkit import charts
    >>> fig = charts.overlap(client.creators.overlap("instagram", ["a", "b", "c"]))
    >>> fig.show()
"""

from ._campaign import campaign_trends, leaderboard, top_content
from ._creators import demographics, follower_growth, followers_vs_er, post_engagement
from ._overlap import overlap, overlap_matrix, overlap_venn, reach_curve
from ._renderer import NOTEBOOK_RENDERER, use_notebook_renderer
from ._spend import spend
from ._theme import PLATFORM_COLORS, TEMPLATE

use_notebook_renderer()

__all__ = [
    "NOTEBOOK_RENDERER",
    "PLATFORM_COLORS",
    "TEMPLATE",
    "campaign_trends",
    "demographics",
    "follower_growth",
    "followers_vs_er",
    "leaderboard",
    "overlap",
    "overlap_matrix",
    "overlap_venn",
    "post_engagement",
    "reach_curve",
    "spend",
    "top_content",
]
