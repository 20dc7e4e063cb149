"""Diagnose failing presigned URLs: compare canonical requests, name the cause, give the fix.

- :mod:`.error_body`: read S3's XML error body (:func:`parse_error_body`);
- :mod:`.compare`: the expected and actual canonical requests and their comparison;
- :mod:`.codes`: the stable finding codes, with meaning and fix;
- :mod:`.checks` and :mod:`.body_checks`: structural checks, and what S3's error body says;
- :mod:`.candidates`, :mod:`.search` and :mod:`.explain`: the signature search and its evidence;
- :mod:`.engine` and :mod:`.result`: :func:`diagnose`, which never raises, and its :class:`Diagnosis`;
- :mod:`.render`: the side-by-side views (HTML for notebooks, aligned text for terminals);
- :mod:`.cli_diagnose`: the ``presignlab diagnose`` sub-command.
"""

from __future__ import annotations

from .codes import CODES, FINDING_CODES, FindingCode
from .compare import (
    CanonicalRequestParts,
    Comparison,
    Difference,
    actual_canonical_request,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    expected_canonical_request,
    parse_canonical_request,
)
from .engine import DEFAULT_METHOD, Diagnosis, diagnose
from .error_body import S3ErrorBody, parse_error_body
from .findings import Finding

__all__ = [
    "CODES",
    "DEFAULT_METHOD",
    "FINDING_CODES",
    "CanonicalRequestParts",
    "Comparison",
    "Diagnosis",
    "Difference",
    "Finding",
    "FindingCode",
    "S3ErrorBody",
    "actual_canonical_request",
    "compare_canonical_requests",
    "compare_sigv2_strings_to_sign",
    "diagnose",
    "expected_canonical_request",
    "parse_canonical_request",
    "parse_error_body",
]
