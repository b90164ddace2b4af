"""What each operation costs in the sandbox: here, but for the two prices the sources
disagree on, which are :class:`~toolkit.sandbox.Settings` fields (``email_price``: email
enrichment and basic email batches, ``posts_price``: a page of posts) whose defaults are the
newest documented figures, so a test can choose the other one.
"""

from __future__ import annotations

#: Credits per creator returned.
DISCOVERY_PER_CREATOR = 0.01
SIMILAR_PER_CREATOR = 0.01
#: Credits per request, charged only when data comes back.
OVERLAP = 1.0
ENRICH = {"full": 1.0, "profile": 0.2, "analytics": 0.8, "raw": 0.03}
#: An advanced email batch, per row (basic rows cost settings.email_price).
EMAIL_BATCH_ADVANCED = 2.0
SOCIALS = 0.5
POST_DETAILS = 0.03
#: Trial accounts get this many credits in total.
TRIAL_CREDITS = 10.0
