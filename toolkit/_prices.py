"""The price of each operation: :class:`Prices`, the client's table and the sandbox's.

Each operation's row (``toolkit._operations``) names the field it is charged by; this module
holds the amounts, once. Both sides of the wire read it, so it imports nothing of the
toolkit but the operation table (``toolkit.credits`` re-exports it as ``ic.Prices``).
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit import _operations

__all__ = ["PRICES", "Prices"]

#: Price rules that are not a fixed price per request: per creator returned, per batch row.
_PER_UNIT = ("per_creator", "batch_row")


@dataclass(frozen=True)
class Prices:
    """Credits per call. Contested figures are settings (docs/api.md, "Choices where the
    sources disagree"):

    * ``email`` — **0.05** (newest guide and official MCP); older docs: basic 0.1 / advanced 2.
    * ``posts_page`` — **0.03** per page (docs-derived summaries; the sandbox's default
      too); the newest official MCP constant says 0.15 per request:
      pass ``Prices(posts_page=0.15)`` for the cautious reading.
    """

    per_creator: float = 0.01  # discovery and similar, per creator returned
    overlap: float = 1.0
    enrich_full: float = 1.0
    enrich_profile: float = 0.2
    enrich_analytics: float = 0.8
    enrich_raw: float = 0.03
    email: float = 0.05
    email_advanced: float = 2.0
    socials: float = 0.5
    posts_page: float = 0.03
    post_details: float = 0.03

    def per_call(self) -> dict[str, float]:
        """Operation name -> fixed price for the operations charged per request (each
        operation's price field is its row's ``price`` in ``toolkit._operations``)."""
        return {
            op.name: float(getattr(self, op.price))
            for op in _operations.BY_NAME.values()
            if op.price is not None and op.price not in _PER_UNIT
        }

    def batch_row(self, enrichment_mode: str) -> float:
        """Per enriched row of a batch: the matching single mode's price."""
        return {
            "raw": self.enrich_raw,
            "full": self.enrich_full,
            "basic": self.email,
            "advanced": self.email_advanced,
        }.get(enrichment_mode, self.email_advanced)


PRICES = Prices()
