"""What S3's error body says: every Code maps to a finding (strength ``REPORTED``).

:func:`check_error_body` dispatches on the body's Code (and Message): authentication errors,
redirects, CORS, POST policies, integrity, and for anything else ``unrecognised-error`` with
S3's Code and Message, so a refusal is never reported as "ok". SignatureDoesNotMatch gives no
finding here: :mod:`.explain` compares what S3 computed and searches what was signed.
"""

from __future__ import annotations

import re

from ...signing.presigned_url import PresignedUrl
from ...signing.sent_request import SentRequest
from ..error_body import S3ErrorBody
from ..findings import REPORTED, SUSPECTED, Finding, finding
from ..signature.candidates import OPT_IN_REGIONS
from .access_denied import access_denied
from .endpoint import REDIRECT_CODES, region_error, wrong_endpoint
from .integrity import checksum_error, transfer_encoding

__all__ = ["check_error_body"]

_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
_SIGV4_ONLY = ("Please use AWS4-HMAC-SHA256", "require AWS Signature Version 4")
#: What an error this kit has no finding for usually means (AWS "Error responses" list).
_HINTS = {
    "NoSuchKey": "no object has this key (check the key's spelling and encoding)",
    "NoSuchBucket": "no bucket of that name exists at this endpoint",
    "PreconditionFailed": "a condition did not hold, e.g. If-None-Match: * when the object exists",
    "MethodNotAllowed": "this method is not allowed on this resource",
    "EntityTooLarge": "a single PUT is limited to 5 GB; use a multipart upload",
    "RequestTimeout": "the body did not arrive in time (the connection stalled)",
    "SlowDown": "too many requests: retry with back-off",
    "InternalError": "an error inside S3: retry",
    "ServiceUnavailable": "S3 is temporarily unavailable: retry",
    "InvalidBucketName": "the bucket name is not valid",
}


def _query_parameters_error(body: S3ErrorBody) -> list[Finding]:
    message = body.message
    if "X-Amz-Expires must be less than a week" in message:
        return [finding("expires-too-long", f"S3 says: {message}", strength=REPORTED)]
    if "X-Amz-Credential" in message or "credential date" in message:
        return [finding("malformed-credential", f"S3 says: {message}", strength=REPORTED)]
    return [finding("missing-auth-parameter", f"S3 says: {message}", strength=REPORTED)]


def _simple(code: str, body: S3ErrorBody, extra: str = "") -> list[Finding]:
    return [finding(code, f"S3 answered {body.code}: {body.message}{extra}", strength=REPORTED)]


def _token(body: S3ErrorBody, url: PresignedUrl | None) -> list[Finding]:
    found = _simple("invalid-token", body)
    if url is not None and url.session_token_present and url.region in OPT_IN_REGIONS:
        found.insert(
            0,
            finding(
                "sts-token-version",
                f"The bucket's region {url.region} is an opt-in region, where session tokens "
                "from the global STS endpoint (version 1 tokens) are not valid; S3 refused the "
                "token although it may be intact.",
                strength=SUSPECTED,
                subject=url.region or "",
            ),
        )
    return found


def _not_found(body: S3ErrorBody, key: str) -> list[Finding]:
    if _ENCODED.search(key):
        return [
            finding(
                "double-encoded-key",
                f"S3 answered NoSuchKey for the key {key!r}: it still contains percent escapes, "
                "so the key was encoded before the SDK encoded it again (the URL has %25XX).",
                strength=REPORTED,
                subject="key",
            )
        ]
    return _unrecognised(body)


def _unrecognised(body: S3ErrorBody) -> list[Finding]:
    hint = _HINTS.get(body.code)
    return [
        finding(
            "unrecognised-error",
            f"S3 refused the request: {body.code}: {body.message or '(no message)'}"
            + (f" ({hint})." if hint else ""),
            strength=REPORTED,
            subject=body.code,
            evidence={"code": body.code, "message": body.message},
        )
    ]


def _by_code(
    body: S3ErrorBody, url: PresignedUrl | None, request: SentRequest | None, key: str
) -> list[Finding]:
    code, message = body.code, body.message
    post = request is not None and request.method == "POST"
    if code == "AccessDenied":
        return access_denied(body, request)
    if code in ("AuthorizationQueryParametersError", "AuthorizationHeaderMalformed"):
        return _query_parameters_error(body)
    if code == "InvalidAccessKeyId":
        hint = ""
        if (
            url is not None
            and (url.access_key_id or "").startswith("ASIA")
            and not url.session_token_present
        ):
            hint = " The key is temporary (ASIA...) and the URL has no X-Amz-Security-Token."
        return _simple("unknown-access-key", body, hint)
    if code == "InvalidToken":
        return _token(body, url)
    if code == "ExpiredToken":
        return _simple("token-expired", body)
    if code == "AccessControlListNotSupported":
        return _simple("acl-not-supported", body)
    if code == "AccessForbidden" or (code == "BadRequest" and "Origin" in message):
        return _simple("cors-preflight-denied", body)
    if any(words in message for words in _SIGV4_ONLY):
        return _simple("sigv4-required", body)
    if code in REDIRECT_CODES:
        return wrong_endpoint(body, url)
    if code in ("EntityTooSmall", "InvalidPolicyDocument") or (code == "EntityTooLarge" and post):
        return _simple("post-policy-violation", body)
    if "Bucket POST" in message + (body.get("Condition") or ""):
        return _simple("post-policy-violation", body)
    if code == "NoSuchKey":
        return _not_found(body, key)
    return []


def check_error_body(
    body: S3ErrorBody,
    url: PresignedUrl | None,
    request: SentRequest | None = None,
    key: str = "",
) -> tuple[list[Finding], list[str]]:
    """Findings from the body's Code and Message (never none for an error), and notes.

    ``request`` is the request as S3 read it (for an ACL, checksums, the method), ``key`` the
    object key as S3 read it.
    """
    if body.code == "SignatureDoesNotMatch":
        return [], []
    found = region_error(body) or _by_code(body, url, request, key)
    found = found or checksum_error(body, request) or transfer_encoding(None, body)
    return found or _unrecognised(body), []
