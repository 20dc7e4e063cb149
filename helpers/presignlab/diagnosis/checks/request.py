"""Structural checks: what can be told from the URL and the request alone, without a secret.

Each check returns :class:`~presignlab.diagnosis.findings.Finding` objects: ``CONFIRMED`` when
the fact is certain from the URL itself (a malformed parameter, expiry at a given instant),
``SUSPECTED`` for what may also have another explanation.
The checks follow S3's order (reference, section 1b): parameter format, expiry, then the
request against the URL (signed headers sent, unsigned ``x-amz-*`` headers, host, path).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ...signing.presigned_url import PresignedUrl, _locate
from ...signing.sent_request import SentRequest
from ...signing.sigv4 import ALGORITHM, MAX_EXPIRES
from ..findings import CONFIRMED, SUSPECTED, Finding, finding

__all__ = ["CLOCK_SKEW", "check_key", "check_request", "check_time", "check_url"]

#: How far in the future X-Amz-Date may be before S3 says "Request is not yet valid".
CLOCK_SKEW = timedelta(minutes=15)
#: Unsigned x-amz-* headers S3 ignores instead of refusing (reference, row 15a).
_IGNORED_UNSIGNED = frozenset({"x-amz-content-sha256"})


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_url(url: PresignedUrl) -> list[Finding]:
    """Format checks on the URL's authentication parameters."""
    found = [
        finding(
            d.code
            if d.code in ("missing-auth-parameter", "malformed-credential")
            else "missing-auth-parameter",
            d.message,
            strength=CONFIRMED,
            subject=d.parameter,
        )
        for d in url.defects
    ]
    if url.version == "sigv2":
        found.append(
            finding(
                "sigv2-url",
                "This is a legacy Signature Version 2 URL (AWSAccessKeyId, Expires, "
                "Signature): only Content-MD5, Content-Type and x-amz-* headers are signed, "
                "and SigV4-only regions refuse it.",
                strength=CONFIRMED,
            )
        )
        return found
    if url.algorithm is not None and url.algorithm != ALGORITHM:
        found.append(
            finding(
                "missing-auth-parameter",
                f"X-Amz-Algorithm is {url.algorithm!r}; S3 only supports {ALGORITHM}.",
                strength=CONFIRMED,
                subject="X-Amz-Algorithm",
            )
        )
    if url.credential_date and url.amz_date and url.credential_date != url.amz_date[:8]:
        found.append(
            finding(
                "malformed-credential",
                f"The credential date {url.credential_date} is not the "
                f"date of X-Amz-Date {url.amz_date}.",
                strength=CONFIRMED,
                subject="X-Amz-Credential",
            )
        )
    if url.service and url.service != "s3":
        found.append(
            finding(
                "malformed-credential",
                f"The credential scope names service {url.service!r}; "
                "an S3 URL is signed for service 's3'.",
                strength=CONFIRMED,
                subject="X-Amz-Credential",
            )
        )
    if url.expires_in is not None and url.expires_in > MAX_EXPIRES:
        found.append(
            finding(
                "expires-too-long",
                f"X-Amz-Expires is {url.expires_in} seconds; the maximum "
                f"is {MAX_EXPIRES} (7 days).",
                strength=CONFIRMED,
            )
        )
    host_region = _locate(url.hostname, url.path)[3]
    if url.region and host_region and host_region != url.region:
        found.append(
            finding(
                "region-mismatch",
                f"The host {url.host} is in region {host_region} but the "
                f"URL was signed for region {url.region}.",
                subject=url.region,
                evidence={"host_region": host_region, "credential_region": url.region},
            )
        )
    return found


def check_time(url: PresignedUrl, now: datetime, *, assumed: bool = False) -> list[Finding]:
    """Expiry and not-yet-valid, evaluated at ``now``.

    Certain (``CONFIRMED``) when ``now`` is the time of sending; only ``SUSPECTED`` when it is
    ``assumed`` (the current time, because neither the caller nor S3's ServerTime said).
    """
    found = []
    strength = SUSPECTED if assumed else CONFIRMED
    when = (
        " (assuming the request was sent just now: give the time of sending to be sure)"
        if assumed
        else ""
    )
    if url.expires_at is not None and now > url.expires_at:
        found.append(
            finding(
                "expired",
                f"The URL expired at {_iso(url.expires_at)}, {int((now - url.expires_at).total_seconds())} "
                f"seconds before {_iso(now)}{when}.",
                strength=strength,
                evidence={"expires_at": _iso(url.expires_at), "now": _iso(now)},
            )
        )
    if url.signed_at is not None and url.signed_at > now + CLOCK_SKEW:
        found.append(
            finding(
                "not-yet-valid",
                f"X-Amz-Date {_iso(url.signed_at)} is "
                f"{int((url.signed_at - now).total_seconds())} seconds after {_iso(now)}: the signer's clock "
                f"is ahead{when}.",
                strength=strength,
                evidence={"signed_at": _iso(url.signed_at), "now": _iso(now)},
            )
        )
    return found


def check_request(url: PresignedUrl, request: SentRequest) -> list[Finding]:
    """The request against the URL: signed headers sent, unsigned x-amz-*, host, path.

    The query string cannot be judged alone (the JavaScript SDK v3 sorts X-Amz-Signature into
    the middle, botocore puts it last): a tampered query shows in S3's CanonicalRequest or in
    the signature search.
    """
    found = []
    hoisted = {n.lower(): v for n, v in request.query}
    sent = {n.lower() for n, _ in request.headers}
    if url.version == "sigv4":
        for name in url.signed_headers:
            if name != "host" and name not in sent and name not in hoisted:
                found.append(
                    finding(
                        "signed-header-missing",
                        f"{name} is in X-Amz-SignedHeaders but the request does not send it.",
                        subject=name,
                    )
                )
        for name in sorted(sent - set(url.signed_headers) - _IGNORED_UNSIGNED):
            if name.startswith("x-amz-"):
                found.append(
                    finding(
                        "unsigned-amz-header",
                        f"The request sends {name}, which is not in "
                        "X-Amz-SignedHeaders; S3 refuses unsigned x-amz-* headers.",
                        subject=name,
                    )
                )
    else:
        for name, signed_value in url.required_headers.items():
            value = request.header(name)
            if signed_value and value is None:
                found.append(
                    finding(
                        "signed-header-missing",
                        f"The URL was signed with {name}: "
                        f"{signed_value} (it is in the query) but the request does not send "
                        f"{name}.",
                        subject=name,
                    )
                )
            elif (
                signed_value is not None
                and value is not None
                and value.strip() != signed_value.strip()
            ):
                found.append(
                    finding(
                        "signed-header-value-mismatch",
                        f"The URL was signed with {name}: "
                        f"{signed_value} but the request sends {name}: {value}.",
                        subject=name,
                    )
                )
    if request.host.lower() != url.host:
        found.append(
            finding(
                "host-mismatch",
                f"The request's Host is {request.host} but the URL was signed for {url.host}.",
                subject="host",
            )
        )
    if url.addressing == "virtual" and url.bucket and url.path.startswith(f"/{url.bucket}/"):
        found.append(
            finding(
                "path-mismatch",
                f"The host already names bucket {url.bucket} and the path "
                "starts with it again: the bucket may be in the key twice.",
                subject="path",
            )
        )
    return found


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def check_key(url: PresignedUrl, key: str) -> list[Finding]:
    """A warning when the key (as S3 decodes it) still holds percent escapes: it was encoded twice."""
    if not _ESCAPE.search(key):
        return []
    return [
        finding(
            "double-encoded-key",
            f"S3 decodes the path to the key {key!r}, which still contains percent escapes: the "
            "key was probably encoded before it was given to the SDK (the URL has %25XX). A GET "
            "finds no such object; a PUT stores the object under this literal key.",
            subject="key",
        )
    ]
