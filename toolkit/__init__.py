"""Influencers Club toolkit: typed clients, an offline sandbox, tidy DataFrames, charts."""

__version__ = "0.1.0"
