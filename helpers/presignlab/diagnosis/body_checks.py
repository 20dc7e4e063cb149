"""What S3's error body says: its Code and Message, and for SignatureDoesNotMatch what it computed.

:func:`check_error_body` maps every error code of the reference to a finding code (strength
``REPORTED``). For SignatureDoesNotMatch it compares S3's CanonicalRequest (SigV4) or
StringToSign (SigV2) with what the URL and the described request imply: each difference
says what changed between the description and what reached S3.
:func:`received_request` rebuilds the request S3 received from its CanonicalRequest.
"""

from __future__ import annotations

import re

from ..errors import PresignedUrlError
from ..presigned_url import PresignedUrl
from ..query_auth import SentRequest
from ..query_string import percent_decode
from .compare import Comparison, Difference, parse_canonical_request
from .error_body import S3ErrorBody
from .findings import REPORTED, Finding, finding

__all__ = ["check_error_body", "findings_from_comparison", "received_request"]

_REGION = re.compile(r"the region '([^']*)' is wrong; expecting '([^']*)'")


def received_request(canonical: str) -> SentRequest | None:
    """The request S3 received, rebuilt from its CanonicalRequest (signed parts only); None if unreadable."""
    parts = parse_canonical_request(canonical)
    headers = dict(parts.headers)
    if not parts.method or not parts.uri.startswith("/") or "host" not in headers:
        return None
    try:
        return SentRequest(
            method=parts.method,
            host=headers["host"],
            path=percent_decode(parts.uri),
            query=tuple((percent_decode(n), percent_decode(v)) for n, v in parts.query),
            headers=tuple((n, v) for n, v in parts.headers if n != "host"),
        )
    except PresignedUrlError:
        return None


def _from_difference(diff: Difference) -> Finding | None:
    shown = f"expected {diff.expected!r}, S3 had {diff.actual!r}"
    if diff.component == "method":
        return finding(
            "method-mismatch",
            f"S3 received a {diff.actual} request, not {diff.expected}.",
            strength=REPORTED,
            subject="method",
        )
    if diff.component in ("uri", "resource"):
        return finding(
            "path-mismatch",
            f"S3 received the path {diff.actual!r}, not {diff.expected!r}.",
            strength=REPORTED,
            subject="path",
        )
    if diff.component in ("query", "signed-headers", "expires"):
        return finding(
            "query-tampered",
            f"Query parameter {diff.name} differs ({diff.kind}): {shown}.",
            strength=REPORTED,
            subject=diff.name,
        )
    if diff.component == "header" and diff.name == "host":
        return finding(
            "host-mismatch",
            f"S3 received Host {diff.actual!r}, not {diff.expected!r}.",
            strength=REPORTED,
            subject="host",
        )
    if diff.component in ("header", "content-type", "content-md5"):
        if diff.kind == "missing":
            return finding(
                "signed-header-missing",
                f"Signed header {diff.name} did not reach S3 (expected {diff.expected!r}).",
                strength=REPORTED,
                subject=diff.name,
            )
        return finding(
            "signed-header-value-mismatch",
            f"Signed header {diff.name} reached S3 with another value: {shown}.",
            strength=REPORTED,
            subject=diff.name,
        )
    return None


def findings_from_comparison(comparison: Comparison) -> list[Finding]:
    """One finding per difference between what was expected and what S3 computed."""
    found = [_from_difference(d) for d in comparison.differences]
    return [f for f in found if f is not None]


def _access_denied(body: S3ErrorBody, url: PresignedUrl | None) -> list[Finding]:
    message = body.message
    if message.startswith("Request has expired"):
        return [
            finding(
                "expired",
                f"S3 says the URL expired at {body.get('Expires')} (server time "
                f"{body.get('ServerTime')}).",
                strength=REPORTED,
            )
        ]
    if message.startswith("Request is not yet valid"):
        return [
            finding(
                "not-yet-valid",
                "S3 says the URL is not yet valid: X-Amz-Date is ahead of S3's "
                f"clock (server time {body.get('ServerTime')}).",
                strength=REPORTED,
            )
        ]
    if message.startswith("There were headers present"):
        names = body.headers_not_signed or ("(unnamed)",)
        return [
            finding(
                "unsigned-amz-header",
                f"S3 refused header {n}: it was sent but is not in X-Amz-SignedHeaders.",
                strength=REPORTED,
                subject=n,
            )
            for n in names
        ]
    if message.startswith("Invalid according to Policy"):
        return [finding("post-policy-violation", f"S3 says: {message}", strength=REPORTED)]
    if message.startswith("Query-string authentication"):
        return [finding("missing-auth-parameter", f"S3 says: {message}", strength=REPORTED)]
    return [
        finding(
            "access-denied-policy",
            f"S3 authenticated the request but refused it: {message or 'Access Denied'}. "
            "No identity policy allows it, a policy denies it, or Block Public Access applies.",
            strength=REPORTED,
        )
    ]


def _query_parameters_error(body: S3ErrorBody) -> list[Finding]:
    message = body.message
    region = _REGION.search(message)
    if region:
        return [
            finding(
                "region-mismatch",
                f"S3 says the URL was signed for region {region.group(1)} but the "
                f"bucket is in {region.group(2)}.",
                strength=REPORTED,
                subject=region.group(1),
                evidence={"signed_region": region.group(1), "bucket_region": region.group(2)},
            )
        ]
    if "X-Amz-Expires must be less than a week" in message:
        return [finding("expires-too-long", f"S3 says: {message}", strength=REPORTED)]
    if "X-Amz-Credential" in message or "credential date" in message:
        return [finding("malformed-credential", f"S3 says: {message}", strength=REPORTED)]
    return [finding("missing-auth-parameter", f"S3 says: {message}", strength=REPORTED)]


def _simple(code: str, body: S3ErrorBody, extra: str = "") -> list[Finding]:
    return [finding(code, f"S3 answered {body.code}: {body.message}{extra}", strength=REPORTED)]


def check_error_body(
    body: S3ErrorBody, url: PresignedUrl | None
) -> tuple[list[Finding], list[str]]:
    """Findings from the body's Code and Message, and notes for codes that are not auth problems.

    SignatureDoesNotMatch gives no finding here: the engine compares what S3 computed.
    """
    code = body.code
    if code == "SignatureDoesNotMatch":
        notes = []
        provided = body.get("SignatureProvided")
        if (
            url is not None
            and provided
            and url.signature
            and provided.replace(" ", "+") != url.signature.replace(" ", "+")
        ):
            notes.append(
                "The error body's SignatureProvided is not this URL's signature: the body may come from another URL."
            )
        return [], notes
    if code == "AccessDenied":
        return _access_denied(body, url), []
    if code in ("AuthorizationQueryParametersError", "AuthorizationHeaderMalformed"):
        return _query_parameters_error(body), []
    if code == "InvalidAccessKeyId":
        hint = ""
        if (
            url is not None
            and (url.access_key_id or "").startswith("ASIA")
            and not url.session_token_present
        ):
            hint = " The key is temporary (ASIA...) and the URL has no X-Amz-Security-Token."
        return _simple("unknown-access-key", body, hint), []
    if code == "InvalidToken":
        return _simple("invalid-token", body), []
    if code == "ExpiredToken":
        return _simple("token-expired", body), []
    if code == "AccessControlListNotSupported":
        return _simple("acl-not-supported", body), []
    if code == "AccessForbidden" or (code == "BadRequest" and "Origin" in body.message):
        return _simple("cors-preflight-denied", body), []
    if code in ("EntityTooLarge", "EntityTooSmall", "InvalidPolicyDocument") or "Bucket POST" in (
        body.message + (body.get("Condition") or "")
    ):
        return _simple("post-policy-violation", body), []
    return [], [
        f"S3 answered {code}: {body.message} This is not an authentication problem this tool diagnoses."
    ]
