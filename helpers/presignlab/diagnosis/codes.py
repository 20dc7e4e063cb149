"""The stable finding codes of ``presignlab diagnose``, as data.

Each :class:`FindingCode` says what the code means, what to do about it and what Amazon S3
answers in that case. The tuple :data:`FINDING_CODES` is ordered the way S3 evaluates a
presigned request (reference, section 1b: parameter format, then expiry, then the access key
and token, then unsigned ``x-amz-*`` headers, then the signature, then authorization), which
is also the order a diagnosis ranks its findings in.

``docs/finding-codes.md`` is generated from this module (a test checks it is current)::

    python -c "from presignlab.diagnosis.codes import markdown_table; print(markdown_table(), end='')" > docs/finding-codes.md

The codes are a public interface: never rename or remove one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CODES", "FINDING_CODES", "FindingCode", "markdown_table"]


@dataclass(frozen=True)
class FindingCode:
    """One stable finding code: its meaning, the fix, and what S3 answers."""

    code: str
    meaning: str
    fix: str
    s3_answer: str


FINDING_CODES: tuple[FindingCode, ...] = (
    FindingCode(
        "missing-auth-parameter",
        "An authentication query parameter is missing, unreadable or unsupported (X-Amz-Date not "
        "yyyyMMdd'T'HHmmss'Z', X-Amz-Expires not a non-negative number, SignedHeaders without host, "
        "an algorithm other than AWS4-HMAC-SHA256).",
        "Use the URL exactly as the signer returned it: do not cut it, re-encode it or rebuild it by hand.",
        "400 AuthorizationQueryParametersError (SigV4); 403 AccessDenied (SigV2)",
    ),
    FindingCode(
        "malformed-credential",
        "X-Amz-Credential is not <access-key-id>/YYYYMMDD/REGION/s3/aws4_request, or its date is "
        "not the date of X-Amz-Date (often a double-encoded %252F).",
        "Percent-encode the URL once only, and let the SDK build the credential scope.",
        '400 AuthorizationQueryParametersError "Error parsing the X-Amz-Credential parameter; ..."',
    ),
    FindingCode(
        "region-mismatch",
        "The region in the credential scope is not the bucket's region (or not the region the "
        "host names).",
        "Create the presigning client with region_name set to the bucket's region and use the "
        "regional endpoint: boto3.client('s3', region_name=REGION, config=Config(signature_version='s3v4')).",
        "400 AuthorizationQueryParametersError \"... the region 'X' is wrong; expecting 'Y'\" with <Region>",
    ),
    FindingCode(
        "expires-too-long",
        "X-Amz-Expires is over 604800 seconds (7 days), the SigV4 maximum.",
        "Presign with ExpiresIn of at most 604800; prefer minutes, and sign again when needed.",
        '400 AuthorizationQueryParametersError "X-Amz-Expires must be less than a week ..."',
    ),
    FindingCode(
        "expired",
        "The URL's validity (X-Amz-Date + X-Amz-Expires, or SigV2 Expires) ended before the request.",
        "Presign just before the upload, with an expiry that covers it; check the signer's clock (NTP).",
        '403 AccessDenied "Request has expired" with <Expires> and <ServerTime>',
    ),
    FindingCode(
        "not-yet-valid",
        "X-Amz-Date is in the future: the signer's clock is ahead (more than 15 minutes).",
        "Synchronise the signer's clock (NTP) or sign with the correct time.",
        '403 AccessDenied "Request is not yet valid"',
    ),
    FindingCode(
        "unknown-access-key",
        "S3 does not know the access key id (deleted or mistyped key, another partition, or "
        "temporary ASIA... credentials without their X-Amz-Security-Token).",
        "Sign with an active key of the bucket's account; with temporary credentials the session "
        "token must be in the URL.",
        "403 InvalidAccessKeyId",
    ),
    FindingCode(
        "invalid-token",
        "X-Amz-Security-Token is malformed or unknown (truncated, mangled or from another session).",
        "Sign with the complete, current session token of the same credentials.",
        '400 InvalidToken "The provided token is malformed or otherwise invalid."',
    ),
    FindingCode(
        "token-expired",
        "The temporary credentials that signed the URL expired, even though X-Amz-Expires has not "
        "passed: a URL lives at most as long as its signing session.",
        "Keep ExpiresIn within the remaining lifetime of the credentials, or sign with longer-lived credentials.",
        '400 ExpiredToken "The provided token has expired."',
    ),
    FindingCode(
        "unsigned-amz-header",
        "The request sends an x-amz-* header that is not in X-Amz-SignedHeaders.",
        "Sign that header at presign time (pass it in Params) or stop sending it.",
        '403 AccessDenied "There were headers present in the request which were not signed" with <HeadersNotSigned>',
    ),
    FindingCode(
        "method-mismatch",
        "The URL was signed for another HTTP method than the one used.",
        "Presign the operation you perform (put_object for PUT, get_object for GET) and send that method.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "signed-header-missing",
        "A header listed in X-Amz-SignedHeaders is not sent with the request.",
        "Send every signed header with exactly the value used when signing (return them to the "
        "client together with the URL).",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "signed-header-value-mismatch",
        "A signed header is sent with another value than the one signed (typically Content-Type "
        "set by the browser, fetch, axios or FormData).",
        "Send the signed value byte for byte, or sign the value the client really sends; upload "
        "the raw file body, not FormData.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "query-tampered",
        "The query string was changed after signing (a parameter added, removed or edited).",
        "Use the URL as returned; add parameters before signing, never after.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "path-mismatch",
        "The path S3 received is not the path that was signed (space as '+', a key encoded twice "
        "or decoded, the bucket named twice).",
        "Pass the raw key to the SDK (never pre-encode it) and send the URL without re-serialising it.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "host-mismatch",
        "The Host S3 received is not the signed one (a port added or dropped, path-style versus "
        "virtual-hosted addressing, a proxy rewriting Host).",
        "Send the request to the exact host of the URL; sign for the endpoint the client will use.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "wrong-secret-key",
        "The request matches the URL and no single change reproduces the signature: the secret "
        "key given is not the one that signed.",
        "Check which credentials the signer used (environment, profile, role) and for stray whitespace in the secret.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "signature-mismatch-unexplained",
        "S3 computed another signature and nothing known explains it yet.",
        "Rerun the diagnosis with S3's error body (--error-xml) and the signing secret (--secret-key).",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "acl-not-supported",
        "The request sets an ACL (x-amz-acl) on a bucket whose ACLs are disabled (Object "
        "Ownership BucketOwnerEnforced, the default since April 2023).",
        "Drop the ACL (or use bucket-owner-full-control); grant access with policies instead.",
        '400 AccessControlListNotSupported "The bucket does not allow ACLs"',
    ),
    FindingCode(
        "access-denied-policy",
        "The signature is valid but the signer is not allowed to do this (identity policy, bucket "
        "policy deny, Block Public Access).",
        "Give the signing identity s3:PutObject (or the action used) on the key and check bucket "
        "policy denies and Block Public Access.",
        '403 AccessDenied "Access Denied"',
    ),
    FindingCode(
        "cors-preflight-denied",
        "The browser's CORS preflight (OPTIONS) was refused: no CORS configuration, or no rule "
        "matches the Origin, method or requested headers.",
        "Add a CORS rule with the exact origin, the method, AllowedHeaders covering Content-Type "
        "and every signed x-amz-* header, and ExposeHeaders ETag.",
        '403 AccessForbidden "CORSResponse: ..." (400 BadRequest without Origin)',
    ),
    FindingCode(
        "post-policy-violation",
        "A presigned POST form broke its policy (expired, a condition failed, an extra field, size "
        "out of content-length-range, a missing field, not multipart/form-data).",
        "Make the form match the policy: every field covered by a condition, the file field last, "
        "size within range, sign a fresh policy if it expired.",
        '403 AccessDenied "Invalid according to Policy: ..."; 400 EntityTooLarge / EntityTooSmall / InvalidArgument',
    ),
    FindingCode(
        "sigv2-url",
        "The URL uses legacy Signature Version 2, which leaves most headers unsigned and is "
        "refused in newer regions.",
        "Presign with SigV4: Config(signature_version='s3v4') in boto3.",
        "none by itself (403 in SigV4-only regions)",
    ),
)

#: Code name -> :class:`FindingCode`.
CODES: dict[str, FindingCode] = {c.code: c for c in FINDING_CODES}


def markdown_table() -> str:
    """The Markdown page ``docs/finding-codes.md`` (one table row per code, in rank order)."""
    lines = [
        "# Finding codes of `presignlab diagnose`",
        "",
        "Generated from `presignlab.diagnosis.codes.markdown_table()`. The codes are stable. "
        "Findings are ranked in this order (the order in which Amazon S3 checks a request); "
        "within a code, causes confirmed by recomputing the signature come first.",
        "",
        "| Code | Meaning | Fix | What S3 answers |",
        "|---|---|---|---|",
    ]
    for c in FINDING_CODES:
        cells = [f"`{c.code}`", c.meaning, c.fix, c.s3_answer]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines) + "\n"
