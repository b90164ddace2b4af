"""Offline simulator of the Influencers Club API (being built)."""
