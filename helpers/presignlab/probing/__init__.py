"""``presignlab probe``: how does an S3 endpoint answer presigned-upload failures, next to AWS?

:func:`probe` runs the failure matrix (:mod:`.cases`) against an endpoint, compares each answer
with AWS's (:mod:`.expected`, from docs/aws-behaviour.md) and deletes what it created
(:mod:`.run`); :mod:`.record` saves a run and compares a run with a saved one; the report
renders as text, HTML and JSON (:mod:`.result`, :mod:`.render`).
"""

from __future__ import annotations

from .cases import CASES, Case, case_ids
from .compare import DIFFERS, NOT_APPLICABLE, SAME, SKIPPED, Verdict
from .context import Observed
from .expected import EXPECTED, Expected
from .record import RecordComparison, compare_with_recording, load_recording, save_recording
from .result import ProbeReport, Row
from .run import COST_NOTE, probe, run_cases
from .target import ProbeError, Target, endpoint_kind

__all__ = [
    "CASES",
    "COST_NOTE",
    "Case",
    "DIFFERS",
    "EXPECTED",
    "Expected",
    "NOT_APPLICABLE",
    "Observed",
    "ProbeError",
    "ProbeReport",
    "RecordComparison",
    "Row",
    "SAME",
    "SKIPPED",
    "Target",
    "Verdict",
    "case_ids",
    "compare_with_recording",
    "endpoint_kind",
    "load_recording",
    "probe",
    "run_cases",
    "save_recording",
]
