"""presignlab: learn and debug Amazon S3 presigned upload URLs.

The public API, re-exported from the modules named after what they do:

- :mod:`presignlab.signing.sigv4` and :mod:`presignlab.signing.sigv2`: the signing steps;
- :mod:`presignlab.signing.presigned_url`: reading a presigned URL;
- :mod:`presignlab.signing.sent_request`: what S3 computes for a request sent to one, and presigning;
- :mod:`presignlab.clock`: the controllable clock;
- :mod:`presignlab.errors`: the exception tree;
- :mod:`presignlab.diagnosis`: error bodies, canonical-request comparison, ``diagnose``;
- :mod:`presignlab.locals3`: the strict local S3 (``LocalS3``);
- :mod:`presignlab.lab`: the notebooks' set-up (local or real AWS target);
- :mod:`presignlab.probing`: ``probe``, an S3 endpoint's answers to the failure matrix next to AWS's;
- :mod:`presignlab.seed.signing_function`: the seed's Lambda presigner and its hardened version.
"""

from __future__ import annotations

from .clock import Clock
from .diagnosis import (
    CODES,
    FINDING_CODES,
    CanonicalRequestParts,
    Comparison,
    Diagnosis,
    Difference,
    Finding,
    FindingCode,
    S3ErrorBody,
    actual_canonical_request,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    diagnose,
    expected_canonical_request,
    parse_canonical_request,
    parse_error_body,
)
from .errors import (
    AccessDenied,
    ErrorBodyError,
    FixtureError,
    PresignedUrlError,
    PresignLabError,
    S3RequestError,
    SignatureMismatch,
    TargetError,
)
from .lab import LAB_EPOCH, Lab, Signer, open_lab, send, show_error
from .locals3.server import LocalS3
from .locals3.wire.http_server import ServerBindError
from .probing import ProbeReport, probe
from .seed.signing_function import (
    ALLOWED_CONTENT_TYPES,
    api_gateway_event,
    make_hardened_handler,
    make_naive_handler,
)
from .signing.presign import presign_v2, presign_v4
from .signing.presigned_url import PresignedUrl, UrlDefect, parse_presigned_url
from .signing.sent_request import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from .signing.sigv2 import signature_v2, string_to_sign_v2
from .signing.sigv4 import (
    canonical_headers,
    canonical_query_string,
    canonical_request,
    canonical_uri,
    credential_scope,
    payload_hash,
    signature,
    signed_headers,
    signing_key,
    string_to_sign,
)

__version__ = "0.1.0"

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "AccessDenied",
    "CODES",
    "CanonicalRequestParts",
    "Clock",
    "Comparison",
    "Diagnosis",
    "Difference",
    "ErrorBodyError",
    "FINDING_CODES",
    "Finding",
    "FindingCode",
    "FixtureError",
    "LAB_EPOCH",
    "Lab",
    "LocalS3",
    "PresignLabError",
    "PresignedUrl",
    "PresignedUrlError",
    "ProbeReport",
    "S3ErrorBody",
    "S3RequestError",
    "SentRequest",
    "ServerBindError",
    "SignatureMismatch",
    "Signer",
    "TargetError",
    "UrlDefect",
    "actual_canonical_request",
    "api_gateway_event",
    "canonical_headers",
    "canonical_query_string",
    "canonical_request",
    "canonical_uri",
    "compare_canonical_requests",
    "compare_sigv2_strings_to_sign",
    "credential_scope",
    "diagnose",
    "expected_canonical_request",
    "make_hardened_handler",
    "make_naive_handler",
    "open_lab",
    "parse_canonical_request",
    "parse_error_body",
    "parse_presigned_url",
    "payload_hash",
    "presign_v2",
    "presign_v4",
    "probe",
    "send",
    "show_error",
    "signature",
    "signature_v2",
    "signed_headers",
    "signing_key",
    "sigv2_string_to_sign",
    "sigv4_canonical_request",
    "sigv4_string_to_sign",
    "string_to_sign",
    "string_to_sign_v2",
]
