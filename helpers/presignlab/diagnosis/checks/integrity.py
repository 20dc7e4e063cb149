"""How the body travels: its length (Transfer-Encoding) and the checksums sent with it.

* S3 needs a Content-Length for a PUT: ``Transfer-Encoding: chunked`` gets 501 NotImplemented
  naming that header (bodies quoted in aws/aws-sdk-go#4944, aws/aws-sdk-js#1237,
  chilts/awssum#30), a missing length 411 MissingContentLength.
* A checksum sent with the upload must be the body's: BadDigest, InvalidDigest,
  XAmzContentChecksumMismatch, XAmzContentSHA256Mismatch or an InvalidRequest naming a
  checksum. JS SDK v3 >= 3.729 signs ``x-amz-checksum-crc32=AAAAAA==`` (the CRC32 of an empty
  body) into presigned PUT URLs (aws/aws-sdk-js-v3#6810). AWS accepts a non-empty body with it
  and ignores the value (LocalStack's AWS-validated ``test_presigned_url_v4_x_amz_in_qs``,
  recorded 2026-02-21); S3-compatible stores may not: Cloudflare R2 answers 501, Garage 400
  InvalidDigest (kanbn/kan#620), SeaweedFS a checksum mismatch (seaweedfs/seaweedfs#10216).
"""

from __future__ import annotations

from ...signing.sent_request import SentRequest
from ..error_body import S3ErrorBody
from ..findings import REPORTED, SUSPECTED, Finding, finding
from ..signature.candidates.values import EMPTY_BODY_CHECKSUMS

__all__ = ["CHECKSUM_CODES", "checksum_error", "empty_body_checksums", "transfer_encoding"]

CHECKSUM_CODES = frozenset(
    {"BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "XAmzContentSHA256Mismatch"}
)
_JS_FIX = (
    'Create the JS SDK v3 presigning client with requestChecksumCalculation: "WHEN_REQUIRED" '
    "(or AWS_REQUEST_CHECKSUM_CALCULATION=when_required), or compute the checksum of the real file."
)


def _checksums(request: SentRequest | None) -> list[tuple[str, str]]:
    """The checksums the request carries, in the URL or in headers."""
    if request is None:
        return []
    pairs = [*request.query, *request.headers]
    return [
        (n.lower(), v)
        for n, v in pairs
        if n.lower().startswith("x-amz-checksum-") or n.lower() == "content-md5"
    ]


def empty_body_checksums(request: SentRequest, body_size: int | None) -> list[Finding]:
    """A warning for a checksum of an empty body pinned into a URL (or header) for a non-empty upload."""
    if request.method not in ("PUT", "POST") or body_size == 0:
        return []
    found = []
    for name, value in _checksums(request):
        if EMPTY_BODY_CHECKSUMS.get(name) != value:
            continue
        found.append(
            finding(
                "checksum-mismatch",
                f"The request pins {name}={value}, the checksum of an empty body (JS SDK v3 >= "
                "3.729 adds it to presigned PUT URLs by default). Amazon S3 ignores this value "
                "in a presigned URL and stores the upload; S3-compatible stores may refuse it "
                "(Cloudflare R2 answers 501 NotImplemented, Garage 400 InvalidDigest).",
                fix=_JS_FIX,
                strength=SUSPECTED,
                subject=name,
                evidence={"checksum": name, "value": value},
            )
        )
    return found


def checksum_error(body: S3ErrorBody, request: SentRequest | None) -> list[Finding]:
    """``checksum-mismatch`` for an error body about a checksum; [] for other bodies."""
    text = f"{body.code} {body.message} {body.get('Header') or ''}".lower()
    is_checksum = body.code in CHECKSUM_CODES or (
        body.code in ("InvalidRequest", "NotImplemented", "InvalidArgument")
        and ("checksum" in text or "content-md5" in text)
    )
    if not is_checksum:
        return []
    sent = _checksums(request)
    shown = ", ".join(f"{n}={v}" for n, v in sent) or "none visible in the request described"
    empty = any(EMPTY_BODY_CHECKSUMS.get(n) == v for n, v in sent)
    return [
        finding(
            "checksum-mismatch",
            f"S3 answered {body.code}: {body.message} Checksums sent: {shown}."
            + (
                " One is the checksum of an empty body, which the SDK signed before the file existed."
                if empty
                else ""
            ),
            fix=_JS_FIX if empty else None,
            strength=REPORTED,
            subject=sent[0][0] if sent else "checksum",
        )
    ]


def transfer_encoding(request: SentRequest | None, body: S3ErrorBody | None) -> list[Finding]:
    """``transfer-encoding-unsupported`` from the request's headers or S3's answer."""
    chunked = (
        request is not None and "chunked" in (request.header("transfer-encoding") or "").lower()
    )
    header = (body.get("Header") or "").lower() if body is not None else ""
    said = body is not None and (
        (body.code == "NotImplemented" and header == "transfer-encoding")
        or body.code == "MissingContentLength"
    )
    if said:
        assert body is not None
        return [
            finding(
                "transfer-encoding-unsupported",
                f"S3 answered {body.code}: {body.message}"
                + (f" (header {body.get('Header')})." if body.get("Header") else "")
                + " S3 needs the body's length up front (Content-Length).",
                strength=REPORTED,
                subject="transfer-encoding",
            )
        ]
    if chunked:
        return [
            finding(
                "transfer-encoding-unsupported",
                "The request is sent with Transfer-Encoding: chunked (a body of unknown length); "
                "Amazon S3 refuses it with 501 NotImplemented and needs a Content-Length.",
                strength=SUSPECTED,
                subject="transfer-encoding",
            )
        ]
    return []
