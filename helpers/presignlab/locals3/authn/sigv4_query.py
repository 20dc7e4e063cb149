"""SigV4 authentication: the checks query and header auth share, and presigned (query) URLs.

The query flow follows AWS's check order (AUTH-Q-11): parameter presence and format
(AUTH-Q-01 to AUTH-Q-03), then the bucket's region (AUTH-Q-04), then the URL's
validity window (rows 13, 12), then the access key and session token (rows 16–19), then
``host`` and unsigned ``x-amz-*`` headers (AUTH-Q-07, AUTH-Q-08), and last the signature
(AUTH-Q-10).

Choices (docs/aws-behaviour.md CHOICE-53 to CHOICE-60):

* Order inside the format checks: algorithm, credential shape, service, terminator,
  X-Amz-Date format, credential date, X-Amz-Expires (not a number, negative, over a week).
* Messages for a wrong service, terminator, credential date, algorithm and a non-numeric or
  negative X-Amz-Expires are emulator wordings (CHOICE-56, CHOICE-57).
* Expiry errors answer 400 AuthorizationQueryParametersError; ``X-Amz-Expires`` is read as
  ASCII digits with an optional ``-`` (``+5``, ``1.5``, `` 5`` are not numbers), and a value too
  long to read is over a week (or negative).
* A credential part that is empty or not printable ASCII is a malformed credential (AUTH-Q-02).
* "Not yet valid" means X-Amz-Date more than 15 minutes after ``now``; "expired" means
  ``now`` after X-Amz-Date + X-Amz-Expires (the last second is still valid).
* The session token comes from ``X-Amz-Security-Token``, else from an
  ``x-amz-security-token`` header.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ...signing import sigv4
from ...signing.presigned_url import SIGV4_PARAMETERS, parse_amz_date
from ...signing.sent_request import SentRequest, sigv4_canonical_request, sigv4_string_to_sign
from ..wire.catalogue import (
    headers_not_signed,
    request_expired,
    request_not_yet_valid,
    scope_error,
    signature_mismatch,
)
from .common import MAX_SKEW, AuthResult, resolve_credential
from .identity import Credential, CredentialStore

__all__ = [
    "Scope",
    "authenticate_query_v4",
    "check_credential_date",
    "check_headers_signed",
    "check_region",
    "parse_credential",
    "verify_v4",
]

_QUERY_PREFIX = "Error parsing the X-Amz-Credential parameter; "
_HEADER_PREFIX = "The authorization header is malformed; "
_PRINTABLE = re.compile(r"[\x21-\x7e]+")
_MISSING = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)


@dataclass(frozen=True)
class Scope:
    """The five parts of a SigV4 credential: ``AKID/YYYYMMDD/REGION/SERVICE/aws4_request``."""

    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str


def parse_credential(value: str, *, service: str, header: bool) -> Scope:
    """AUTH-Q-02, CHOICE-56: the credential's shape, its service and its terminator."""
    prefix = _HEADER_PREFIX if header else _QUERY_PREFIX
    parts = value.split("/")
    if len(parts) != 5 or not all(_PRINTABLE.fullmatch(part) for part in parts):
        raise scope_error(
            prefix + "the Credential is mal-formed; expecting "
            '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
            header=header,
        )
    scope = Scope(*parts)
    if scope.service != service:
        raise scope_error(
            f'{prefix}incorrect service "{scope.service}". This endpoint belongs to "{service}".',
            header=header,
        )
    if scope.terminator != sigv4.TERMINATOR:
        raise scope_error(
            f'{prefix}incorrect terminal "{scope.terminator}". '
            f'This endpoint uses "{sigv4.TERMINATOR}".',
            header=header,
        )
    return scope


def check_credential_date(scope: Scope, amz_date: str, *, header: bool) -> None:
    """CHOICE-56: the credential's date must be the day of X-Amz-Date."""
    if scope.date != amz_date[:8]:
        message = (
            f'Invalid credential date "{scope.date}". '
            f'This date is not the same as X-Amz-Date: "{amz_date[:8]}".'
        )
        raise scope_error((_HEADER_PREFIX if header else "") + message, header=header)


def check_region(scope: Scope, bucket_region: str | None, *, header: bool) -> None:
    """AUTH-Q-04 (query) and AUTH-H-02 (header): the scope must name the bucket's region."""
    if bucket_region is None or scope.region == bucket_region:
        return
    prefix = _HEADER_PREFIX if header else _QUERY_PREFIX
    raise scope_error(
        f"{prefix}the region '{scope.region}' is wrong; expecting '{bucket_region}'",
        header=header,
        extra=[("Region", bucket_region)],
    )


def check_headers_signed(request: SentRequest, signed: Sequence[str]) -> None:
    """AUTH-Q-07, AUTH-Q-08: ``host`` and every ``x-amz-*`` header but ``x-amz-content-sha256``
    must be signed."""
    covered = {name.lower() for name in signed}
    if "host" not in covered:
        raise headers_not_signed(["host"])
    unsigned: list[str] = []
    for name, _ in request.headers:
        lower = name.lower()
        if (
            lower.startswith("x-amz-")
            and lower != "x-amz-content-sha256"
            and lower not in covered
            and lower not in unsigned
        ):
            unsigned.append(lower)
    if unsigned:
        raise headers_not_signed(unsigned)


def verify_v4(
    request: SentRequest,
    *,
    scope: Scope,
    amz_date: str,
    signed: Sequence[str],
    provided: str,
    credential: Credential,
    payload: str,
) -> None:
    """AUTH-Q-10: recompute the signature and compare it in constant time."""
    canonical = sigv4_canonical_request(request, signed, payload)
    to_sign = sigv4_string_to_sign(canonical, amz_date, scope.region, scope.service)
    key = sigv4.signing_key(credential.secret_key, amz_date, scope.region, scope.service)
    expected = sigv4.signature(key, to_sign)
    if not hmac.compare_digest(
        expected.encode("ascii"), provided.encode("utf-8", "surrogateescape")
    ):
        raise signature_mismatch(scope.access_key_id, to_sign, provided, canonical)


def _expires_seconds(value: str) -> int:
    """AUTH-Q-03, CHOICE-57: not a number, negative, over a week, in that order."""
    if not re.fullmatch(r"-?[0-9]+", value):
        raise scope_error("X-Amz-Expires should be a number", header=False)
    digits = value.lstrip("-").lstrip("0") or "0"
    seconds = int(digits) if len(digits) <= 12 else sigv4.MAX_EXPIRES + 1
    if value.startswith("-") and seconds:
        raise scope_error("X-Amz-Expires must be non-negative", header=False)
    if seconds > sigv4.MAX_EXPIRES:
        raise scope_error(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds",
            header=False,
        )
    return seconds


def authenticate_query_v4(
    request: SentRequest,
    *,
    bucket_region: str | None,
    store: CredentialStore,
    now: datetime,
    service: str = "s3",
) -> AuthResult:
    """Authenticate a SigV4 presigned URL (see the module docstring for the order)."""
    params = dict(reversed(request.query))
    if any(name not in params for name in SIGV4_PARAMETERS):
        raise scope_error(_MISSING, header=False)
    if params["X-Amz-Algorithm"] != sigv4.ALGORITHM:
        raise scope_error('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', header=False)
    scope = parse_credential(params["X-Amz-Credential"], service=service, header=False)
    amz_date = params["X-Amz-Date"]
    signed_at = parse_amz_date(amz_date)
    if signed_at is None:
        raise scope_error(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", header=False
        )
    check_credential_date(scope, amz_date, header=False)
    try:
        expires_at = signed_at + timedelta(seconds=_expires_seconds(params["X-Amz-Expires"]))
    except OverflowError:  # X-Amz-Date at the very end of year 9999
        expires_at = datetime.max.replace(tzinfo=UTC)
    if service == "s3":
        check_region(scope, bucket_region, header=False)
    if signed_at > now + MAX_SKEW:
        raise request_not_yet_valid(signed_at, expires_at, now)
    if now > expires_at:
        raise request_expired(expires_at, now, params["X-Amz-Expires"])
    token = params.get("X-Amz-Security-Token", request.header("x-amz-security-token"))
    credential = resolve_credential(store, scope.access_key_id, token, now)
    signed = tuple(name for name in params["X-Amz-SignedHeaders"].split(";") if name)
    check_headers_signed(request, signed)
    verify_v4(
        request,
        scope=scope,
        amz_date=amz_date,
        signed=signed,
        provided=params["X-Amz-Signature"],
        credential=credential,
        payload=sigv4.UNSIGNED_PAYLOAD,
    )
    return AuthResult(
        credential,
        "sigv4-query",
        tuple(n.lower() for n in signed),
        None,
        scope.region,
        amz_date,
        params["X-Amz-Signature"],
    )
