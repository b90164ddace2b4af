"""What each operation costs in the sandbox, in one place.

Where the sources disagree the newest documented figure is the default and the
other one is a :class:`~toolkit.sandbox.Settings` choice (``email_price``, ``posts_price``).
"""

from __future__ import annotations

#: Credits per creator returned.
DISCOVERY_PER_CREATOR = 0.01
SIMILAR_PER_CREATOR = 0.01
#: Credits per request, charged only when data comes back.
OVERLAP = 1.0
ENRICH = {"full": 1.0, "profile": 0.2, "analytics": 0.8, "raw": 0.03}
EMAIL = 0.05  # newest guide; older docs: basic 0.1 / advanced 2 (settings.email_price)
EMAIL_BATCH = {"basic": 0.1, "advanced": 2.0}
SOCIALS = 0.5
POSTS = 0.03  # per page; the newest MCP constant says 0.15 (settings.posts_price)
POST_DETAILS = 0.03
#: Trial accounts get this many credits in total.
TRIAL_CREDITS = 10.0
