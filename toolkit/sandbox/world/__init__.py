"""The synthetic world the sandbox answers from.

=================  ==============================================================
module             holds
=================  ==============================================================
``world``          :class:`World`: generation order, lookups, the disk cache hook
``people``         :class:`Person`: names, country, niche, brands, bio, email
``platforms``      :class:`Creator`: one account per platform, its numbers and stats
``posts``          :class:`Post`: posts per (creator, day), ids that decode again
``audiences``      audiences of instagram/tiktok/youtube accounts, similarity, overlap
``search``         what each discovery filter means on a creator; relevance; sort
``index``          per-platform indexes and the filter plan compiled per search
``names``, ``geo``, ``niches``, ``brands``, ``dictionaries``: the static values drawn from
``seeds``          stable hashing every draw is seeded with
``cache``          built worlds on disk, keyed by seed, size and code version
=================  ==============================================================
"""

from __future__ import annotations

from .people import Person
from .platforms import Creator
from .posts import Post, ig_shortcode
from .seeds import h64
from .world import DEFAULT_SIZE, PLATFORMS, World

__all__ = ["DEFAULT_SIZE", "PLATFORMS", "Creator", "Person", "Post", "World", "h64", "ig_shortcode"]
