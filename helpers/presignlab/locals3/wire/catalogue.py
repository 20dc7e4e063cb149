"""The authentication errors of the strict local S3, worded exactly as Amazon S3 words them.

Each function builds one :class:`~presignlab.locals3.s3_error.S3Error` of the reference
(``/work/shared/reference/aws-s3-auth-behaviour.md``): status, Code, Message and the extra
elements in AWS's order. RequestId and HostId are added by the renderer.

UNCONFIRMED wordings (AWS evidence missing; the reference or common emulator knowledge):

* ``RequestTimeTooSkewed``: message per reference §5; the extra elements ``RequestTime`` (the
  date header as sent), ``ServerTime`` (ISO 8601 ``Z``) and ``MaxAllowedSkewMilliseconds``
  (900000).
* ``missing_date``: 403 AccessDenied ``AWS authentication requires a valid Date or x-amz-date
  header``.
* ``invalid_argument`` uses (unsupported Authorization type, malformed SigV2 header, several
  auth mechanisms, bad ``x-amz-content-sha256``): 400 InvalidArgument with ``ArgumentName`` and
  ``ArgumentValue``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .errors import S3Error

__all__ = [
    "SIGNATURE_MISMATCH_MESSAGE",
    "access_denied",
    "expired_token",
    "headers_not_signed",
    "hex_bytes",
    "invalid_access_key",
    "invalid_argument",
    "invalid_token",
    "iso_z",
    "missing_date",
    "request_expired",
    "request_not_yet_valid",
    "signature_mismatch",
    "time_too_skewed",
]

SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)


def iso_z(instant: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds), S3's format for Expires and ServerTime."""
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def hex_bytes(text: str) -> str:
    """The bytes of ``text`` (UTF-8; surrogate escapes as their raw byte) as ``41 57 53 …``."""
    return text.encode("utf-8", "surrogateescape").hex(" ")


def access_denied(message: str, extra: Iterable[tuple[str, str]] = ()) -> S3Error:
    """403 AccessDenied with ``message``."""
    return S3Error(403, "AccessDenied", message, tuple(extra))


def invalid_argument(message: str, name: str, value: str) -> S3Error:
    """400 InvalidArgument naming the argument and its value."""
    return S3Error(
        400, "InvalidArgument", message, (("ArgumentName", name), ("ArgumentValue", value))
    )


def request_expired(expires_at: datetime, now: datetime, x_amz_expires: str | None) -> S3Error:
    """Row 12 (SigV4, with ``X-Amz-Expires``) and §1c (SigV2, without it)."""
    extra = [] if x_amz_expires is None else [("X-Amz-Expires", x_amz_expires)]
    extra += [("Expires", iso_z(expires_at)), ("ServerTime", iso_z(now))]
    return access_denied("Request has expired", extra)


def request_not_yet_valid(signed_at: datetime, expires_at: datetime, now: datetime) -> S3Error:
    """Row 13: X-Amz-Date in epoch milliseconds, then Expires and ServerTime."""
    millis = str(int(signed_at.timestamp()) * 1000)
    return access_denied(
        "Request is not yet valid",
        [("X-Amz-Date", millis), ("Expires", iso_z(expires_at)), ("ServerTime", iso_z(now))],
    )


def invalid_access_key(access_key_id: str) -> S3Error:
    """Rows 16 and 19."""
    return S3Error(
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        (("AWSAccessKeyId", access_key_id),),
    )


def invalid_token(echo: str | None) -> S3Error:
    """Row 17. ``echo`` is the token to show in ``<Token-0>``: only ever an unknown one."""
    extra = () if echo is None else (("Token-0", echo),)
    return S3Error(
        400, "InvalidToken", "The provided token is malformed or otherwise invalid.", extra
    )


def expired_token() -> S3Error:
    """Row 18 (no ``<Token-0>``: see :mod:`presignlab.locals3.authn_common`)."""
    return S3Error(400, "ExpiredToken", "The provided token has expired.")


def headers_not_signed(names: Iterable[str]) -> S3Error:
    """Row 15: the unsigned ``x-amz-*`` names, lower-case, in the order sent."""
    return access_denied(
        "There were headers present in the request which were not signed",
        [("HeadersNotSigned", ", ".join(names))],
    )


def signature_mismatch(
    access_key_id: str, string_to_sign: str, provided: str, canonical_request: str | None = None
) -> S3Error:
    """Row 14 (SigV4, with the canonical request) and §1c (SigV2, ``canonical_request=None``)."""
    extra = [
        ("AWSAccessKeyId", access_key_id),
        ("StringToSign", string_to_sign),
        ("SignatureProvided", provided),
        ("StringToSignBytes", hex_bytes(string_to_sign)),
    ]
    if canonical_request is not None:
        extra += [
            ("CanonicalRequest", canonical_request),
            ("CanonicalRequestBytes", hex_bytes(canonical_request)),
        ]
    return S3Error(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, tuple(extra))


def time_too_skewed(request_time: str, now: datetime) -> S3Error:
    """Header auth with a date more than 15 minutes from the server's clock."""
    return S3Error(
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        (
            ("RequestTime", request_time),
            ("ServerTime", iso_z(now)),
            ("MaxAllowedSkewMilliseconds", "900000"),
        ),
    )


def missing_date() -> S3Error:
    """Header auth with no readable ``x-amz-date`` or ``Date`` header."""
    return access_denied("AWS authentication requires a valid Date or x-amz-date header")
