"""Header authentication: ``AWS4-HMAC-SHA256 …`` (SigV4) and ``AWS AKID:sig`` (SigV2).

SigV4 order: the header's components, the credential (shape, service, terminator), the date
header, the credential date, the bucket's region (s3 only), the 15-minute skew, the access key
and session token, unsigned ``x-amz-*`` headers, the ``x-amz-content-sha256`` value, and the
signature. SigV2 order: the header's shape, the date header, the skew, key and token, signature.

The SigV4 payload line is the ``x-amz-content-sha256`` value sent (hex, ``UNSIGNED-PAYLOAD`` or
a ``STREAMING-…`` value). Without that header it is ``UNSIGNED-PAYLOAD`` for s3 and, for iam and
sts, the body's SHA-256 the caller passes (the empty body's when it passes none).

Choices (docs/aws-behaviour.md CHOICE-44 to CHOICE-50):

* Messages ``the authorization header requires three components: Credential, SignedHeaders,
  and Signature.`` and ``the authorization component "X" is malformed.``
  (AuthorizationHeaderMalformed); credential messages as for query auth with the prefix
  ``The authorization header is malformed; ``.
* RequestTimeTooSkewed (403) when the date is more than 15 minutes from ``now`` either way.
* ``x-amz-date`` wins over ``Date``; both may be ISO 8601 basic or RFC 1123 (SigV4 signs the
  instant in ISO 8601 basic form); an unreadable or missing one gives AccessDenied
  ``AWS authentication requires a valid Date or x-amz-date header``.
* An ``x-amz-content-sha256`` that is none of the accepted forms gives 400 InvalidArgument.
* A malformed SigV2 header gives 400 InvalidArgument ``AWS authorization header is invalid.
  Expected AwsAccessKeyId:signature``.
* SigV2 header auth signs the Date header's value in the Expires position, or an empty line
  when ``x-amz-date`` is sent (that header is then part of the x-amz headers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ...signing import sigv4
from ...signing.presigned_url import parse_amz_date
from ...signing.sent_request import SentRequest
from ..wire.catalogue import invalid_argument, missing_date, scope_error, time_too_skewed
from .common import MAX_SKEW, AuthResult, resolve_credential
from .identity import CredentialStore
from .sigv2 import signed_headers_v2, verify_v2
from .sigv4_query import (
    check_credential_date,
    check_headers_signed,
    check_region,
    parse_credential,
    verify_v4,
)

__all__ = [
    "AuthorizationV4",
    "authenticate_header_v2",
    "authenticate_header_v4",
    "parse_authorization_v2",
    "parse_authorization_v4",
    "request_date",
]

_PREFIX = "The authorization header is malformed; "
_STREAMING = frozenset(
    {
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    }
)
_CONTENT_SHA256_MESSAGE = (
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
    + ", ".join(sorted(_STREAMING))
    + " or a valid sha256 value."
)
_PRINTABLE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class AuthorizationV4:
    """The three components of a SigV4 Authorization header (also the seed of aws-chunked)."""

    credential: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization_v4(value: str) -> AuthorizationV4:
    """``AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…``, else 400 Malformed."""
    components: dict[str, str] = {}
    for part in value[len(sigv4.ALGORITHM) :].split(","):
        part = part.strip()
        if not part:
            continue
        name, equals, component = part.partition("=")
        if not equals:
            raise scope_error(
                f'{_PREFIX}the authorization component "{part}" is malformed.', header=True
            )
        components[name.strip()] = component.strip()
    if any(name not in components for name in ("Credential", "SignedHeaders", "Signature")):
        raise scope_error(
            _PREFIX + "the authorization header requires three components: "
            "Credential, SignedHeaders, and Signature.",
            header=True,
        )
    signed = tuple(name for name in components["SignedHeaders"].split(";") if name)
    return AuthorizationV4(components["Credential"], signed, components["Signature"])


def parse_authorization_v2(value: str) -> tuple[str, str]:
    """``AWS AKID:signature`` as ``(akid, signature)``, or 400 InvalidArgument."""
    access_key_id, colon, provided = value[len("AWS ") :].strip().partition(":")
    if not colon or not _PRINTABLE.fullmatch(access_key_id) or not provided:
        raise invalid_argument(
            "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
            "Authorization",
            value,
        )
    return access_key_id, provided


def request_date(request: SentRequest) -> tuple[str, datetime]:
    """The date header as sent and as an aware UTC instant (``x-amz-date`` first, then ``Date``).

    Either header may be ISO 8601 basic (``20260301T100000Z``) or RFC 1123 (``Sun, 01 Mar 2026
    10:00:00 GMT``).
    """
    sent = request.header("x-amz-date")
    if sent is None:
        sent = request.header("date")
    if sent is None:
        raise missing_date()
    parsed = parse_amz_date(sent.strip())
    if parsed is not None:
        return sent, parsed
    try:
        instant = parsedate_to_datetime(sent)
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        raise missing_date() from exc
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return sent, instant.astimezone(UTC)


def _check_skew(sent: str, instant: datetime, now: datetime) -> None:
    if abs(now - instant) > MAX_SKEW:
        raise time_too_skewed(sent, now)


def _payload(request: SentRequest, service: str, body_sha256: str | None) -> str:
    declared = request.header("x-amz-content-sha256")
    if declared is None:
        if service == "s3":
            return sigv4.UNSIGNED_PAYLOAD
        return body_sha256 or sigv4.sha256_hex(b"")
    if service == "s3" and not (
        declared == sigv4.UNSIGNED_PAYLOAD
        or declared in _STREAMING
        or sigv4.is_sha256_hex(declared)
    ):
        raise invalid_argument(_CONTENT_SHA256_MESSAGE, "x-amz-content-sha256", declared)
    return declared


def authenticate_header_v4(
    request: SentRequest,
    authorization: str,
    *,
    bucket_region: str | None,
    store: CredentialStore,
    now: datetime,
    service: str = "s3",
    body_sha256: str | None = None,
) -> AuthResult:
    """Authenticate ``Authorization: AWS4-HMAC-SHA256 …`` (order in the module docstring)."""
    parsed = parse_authorization_v4(authorization)
    scope = parse_credential(parsed.credential, service=service, header=True)
    sent, instant = request_date(request)
    amz_date = instant.strftime("%Y%m%dT%H%M%SZ")
    check_credential_date(scope, amz_date, header=True)
    if service == "s3":
        check_region(scope, bucket_region, header=True)
    _check_skew(sent, instant, now)
    credential = resolve_credential(
        store, scope.access_key_id, request.header("x-amz-security-token"), now
    )
    check_headers_signed(request, parsed.signed_headers)
    payload = _payload(request, service, body_sha256)
    verify_v4(
        request,
        scope=scope,
        amz_date=amz_date,
        signed=parsed.signed_headers,
        provided=parsed.signature,
        credential=credential,
        payload=payload,
    )
    signed = tuple(name.lower() for name in parsed.signed_headers)
    return AuthResult(
        credential, "sigv4-header", signed, payload, scope.region, amz_date, parsed.signature
    )


def authenticate_header_v2(
    request: SentRequest,
    authorization: str,
    *,
    store: CredentialStore,
    now: datetime,
    resource_path: str,
) -> AuthResult:
    """Authenticate ``Authorization: AWS AKID:signature``."""
    access_key_id, provided = parse_authorization_v2(authorization)
    sent, instant = request_date(request)
    _check_skew(sent, instant, now)
    credential = resolve_credential(
        store, access_key_id, request.header("x-amz-security-token"), now
    )
    date_line = "" if request.header("x-amz-date") is not None else sent
    verify_v2(
        request,
        resource_path=resource_path,
        date_line=date_line,
        access_key_id=access_key_id,
        provided=provided,
        credential=credential,
    )
    return AuthResult(credential, "sigv2-header", signed_headers_v2(request), None)
