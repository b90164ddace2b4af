"""Long jobs: ``enrich_many``, the batch workflow with its local job registry, and inputs.

``client.creators.enrich_many(...)`` and ``client.batch.run(...)`` are the entry points;
this package holds the engines behind them (docs/jobs.md):

* ``_inputs``: handles and emails normalised, validated, de-duplicated;
* ``_read``: the one reader of a user's CSV or Excel file of handles or emails;
* ``_files``: inputs as a list, the API's upload limits, splitting into jobs;
* ``_journal`` and ``_many``: enrich_many, journaled as answers arrive;
* ``_registry`` and ``_batch``: every submitted batch recorded locally and picked up again;
  ``own_job``, ``poll_flow``, ``download_flow`` and ``drive`` are the steps the
  ``influencers-club jobs`` command takes one job through.
"""

from toolkit.jobs._batch import BatchRun, download_flow, job_states, own_job, poll_flow
from toolkit.jobs._drive import adrive, drive
from toolkit.jobs._errors import BatchFailedError, BatchPausedError, JobError, SubmitUnknownError
from toolkit.jobs._files import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_ROWS,
    CsvInputError,
    CsvInputs,
    read_csv,
    split_jobs,
)
from toolkit.jobs._inputs import InputError, Prepared, normalise_email, normalise_handle, prepare
from toolkit.jobs._journal import NAMESPACE as JOURNAL_NAMESPACE
from toolkit.jobs._many import InFlightWarning
from toolkit.jobs._output import invalid_part, read_dataset
from toolkit.jobs._registry import Job, Registry
from toolkit.jobs._result import FAILURE_REASONS, EnrichMany

__all__ = [
    "FAILURE_REASONS",
    "JOURNAL_NAMESPACE",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_ROWS",
    "BatchFailedError",
    "BatchPausedError",
    "BatchRun",
    "CsvInputError",
    "CsvInputs",
    "EnrichMany",
    "InFlightWarning",
    "InputError",
    "Job",
    "JobError",
    "Prepared",
    "Registry",
    "SubmitUnknownError",
    "adrive",
    "download_flow",
    "drive",
    "invalid_part",
    "job_states",
    "normalise_email",
    "normalise_handle",
    "own_job",
    "poll_flow",
    "prepare",
    "read_csv",
    "read_dataset",
    "split_jobs",
]
