"""Errors of long jobs, in the toolkit's one tree (``InfluencersClubError``).

::

    InfluencersClubError
    └── JobError                   a batch job needs the user (the message says what to do)
        ├── BatchPausedError       paused_insufficient_credits: add credits, then resume
        ├── SubmitUnknownError     a create answer was lost: the batch may exist; not re-sent
        └── BatchFailedError       the server failed the batch, or no longer knows it
"""

from __future__ import annotations

from typing import Any

from toolkit._exceptions import InfluencersClubError

__all__ = ["BatchFailedError", "BatchPausedError", "JobError", "SubmitUnknownError"]


class JobError(InfluencersClubError):
    """A batch job stopped and needs a decision; ``jobs`` holds the registry records."""

    def __init__(self, message: str, jobs: list[Any] | None = None) -> None:
        super().__init__(message)
        self.jobs = list(jobs or [])


class BatchPausedError(JobError):
    """The server paused jobs for lack of credits (they keep their progress)."""


class SubmitUnknownError(JobError):
    """A job's create request was sent but its answer never recorded.

    The batch may exist and be billing its rows, so, like ``OutcomeUnknownError``, it says
    credits may have been charged (``credits_may_have_been_charged``, and in the message).
    """

    credits_may_have_been_charged = True


class BatchFailedError(JobError):
    """The server failed a batch, or answered 404 for its id."""
