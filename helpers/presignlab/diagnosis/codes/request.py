"""Finding codes about the request itself: its parameters, endpoint, credentials and signature.

In the order Amazon S3 evaluates a presigned request (reference, section 1b): the
authentication parameters and the endpoint, then expiry, then the access key and token, then
unsigned ``x-amz-*`` headers, then the signature. Texts never name command-line options: the
same words are shown by the CLI, in Python and on the upload page.
"""

from __future__ import annotations

from .shape import FindingCode

__all__ = ["REQUEST_CODES", "SIGNATURE_CODE_TABLE"]

#: How to presign for a bucket's regional endpoint with boto3 (checked with botocore 1.44.8:
#: region_name alone still presigns the global host BUCKET.s3.amazonaws.com).
REGIONAL_PRESIGN = (
    "boto3.client('s3', region_name=REGION, config=Config(signature_version='s3v4', "
    "s3={'addressing_style': 'virtual'})) presigns https://BUCKET.s3.REGION.amazonaws.com/... "
    "(in us-east-1 the global host, us-east-1's own endpoint); "
    "region_name alone still presigns the global host BUCKET.s3.amazonaws.com, and "
    "endpoint_url='https://s3.REGION.amazonaws.com' gives the regional host path-style."
)

REQUEST_CODES: tuple[FindingCode, ...] = (
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
        "sigv4-required",
        "S3 refused a Signature Version 2 URL: the bucket's region (or an SSE-KMS object) accepts "
        "only Signature Version 4.",
        "Presign with SigV4: Config(signature_version='s3v4') in boto3; other SDKs sign SigV4 by default.",
        '400 InvalidRequest "The authorization mechanism you have provided is not supported. '
        'Please use AWS4-HMAC-SHA256."; 400 InvalidArgument "Requests specifying Server Side '
        'Encryption with AWS KMS managed keys require AWS Signature Version 4."',
    ),
    FindingCode(
        "transfer-encoding-unsupported",
        "The upload was sent with Transfer-Encoding: chunked (a stream of unknown length); S3 "
        "needs a Content-Length for a PUT.",
        "Send the body with a known length (a file, Blob or buffer, not a stream), so the client "
        "sets Content-Length; for data of unknown size use a multipart upload.",
        '501 NotImplemented "A header you provided implies functionality that is not '
        'implemented" with <Header>Transfer-Encoding</Header>; 411 MissingContentLength',
    ),
    FindingCode(
        "wrong-endpoint",
        "The request went to an endpoint that does not serve the bucket: the global endpoint or "
        "another region's, while the bucket lives in another region (new buckets, and every "
        "bucket in a region launched after March 2019).",
        "Presign for the bucket's regional endpoint and send the request there: "
        + REGIONAL_PRESIGN,
        "307 TemporaryRedirect or 301 PermanentRedirect with <Endpoint>; 400 "
        "IllegalLocationConstraintException",
    ),
    FindingCode(
        "region-mismatch",
        "The region in the credential scope is not the bucket's region (or not the region the "
        "host names).",
        "Create the presigning client with region_name set to the bucket's region and use the "
        "regional endpoint: " + REGIONAL_PRESIGN,
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
        "sts-token-version",
        "The session token was issued by the global STS endpoint (sts.amazonaws.com) as a "
        "version 1 token, which is valid only in regions enabled by default; the bucket is in an "
        "opt-in region.",
        "Get the temporary credentials from the regional STS endpoint (sts.REGION.amazonaws.com; "
        "AWS_STS_REGIONAL_ENDPOINTS=regional), or set the account's global endpoint token "
        "version to 2 (IAM SetSecurityTokenServicePreferences).",
        '400 InvalidToken "The provided token is malformed or otherwise invalid."',
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
)

#: The codes that explain a SignatureDoesNotMatch, in rank order.
SIGNATURE_CODE_TABLE: tuple[FindingCode, ...] = (
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
        "set by the browser, fetch, axios or FormData, or a signed Content-Length that is not the "
        "size of the body sent).",
        "Send the signed value byte for byte, or sign the value the client really sends; upload "
        "the raw file body, not FormData.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "query-tampered",
        "The query string was changed after signing: a parameter added, removed (an SDK-added "
        "one such as x-id or a checksum) or edited (an expiry, a part number, a checksum value).",
        "Use the URL as returned; add parameters before signing, never after; sign a new URL "
        "for each part or value.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "path-mismatch",
        "The path S3 received is not the path that was signed: a literal '+' sent unencoded "
        "(S3 reads a raw '+' in the path as a space), a key encoded twice or decoded on the way, "
        "a path the signer did not URI-encode, the bucket named twice.",
        "Pass the raw key to the SDK (never pre-encode it) and send the URL as returned, without "
        "re-serialising it; a '+' in a key travels as %2B, a space as %20.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "host-mismatch",
        "The Host S3 received is not the signed one (a port added or dropped, path-style versus "
        "virtual-hosted addressing, the global versus a regional or dual-stack endpoint, a proxy "
        "rewriting Host).",
        "Send the request to the exact host of the URL; sign for the endpoint the client will use.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "wrong-secret-key",
        "The secret key that signed the URL is not the one S3 holds for its access key id. "
        "Confirmed only when S3's own canonical request reproduces the URL's signature with the "
        "secret given (or with that secret trimmed of white space); otherwise suspected, after "
        "every request-side explanation.",
        "Check which credentials the signer used (environment, profile, role) and for stray "
        "white space in the secret.",
        "403 SignatureDoesNotMatch",
    ),
    FindingCode(
        "signature-mismatch-unexplained",
        "S3 computed another signature and nothing the kit could check explains it.",
        "Diagnose again with S3's full error body and the signing secret key, which let the kit "
        "see what reached S3 and search for what was signed.",
        "403 SignatureDoesNotMatch",
    ),
)
