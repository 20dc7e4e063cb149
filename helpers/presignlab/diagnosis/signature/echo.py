"""What S3 echoed in a SignatureDoesNotMatch body, read as evidence.

For SigV4 query authentication S3 returns the CanonicalRequest it computed (and the string
to sign); for SigV2 only the StringToSign (reference, section 5). :func:`received_request`
rebuilds the request S3 received from its canonical request; :func:`findings_from_comparison`
names each difference between the request described and what S3 computed (strength
``REPORTED``: S3 says so); :func:`trusted_echo` refuses an echo that belongs to another URL.
"""

from __future__ import annotations

from ...errors import PresignedUrlError
from ...signing.presigned_url import PresignedUrl
from ...signing.sent_request import SentRequest
from ...signing.uri import percent_decode
from ..compare import Comparison, Difference, parse_canonical_request
from ..error_body import S3ErrorBody
from ..findings import REPORTED, Finding, finding

__all__ = ["findings_from_comparison", "received_request", "trusted_echo"]


def trusted_echo(body: S3ErrorBody, url: PresignedUrl) -> bool:
    """False when the body's SignatureProvided is not this URL's signature (the body is another request's)."""
    provided = body.get("SignatureProvided")
    if not provided or not url.signature:
        return True
    return provided.replace(" ", "+") == url.signature.replace(" ", "+")


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
