"""Finding codes for refusals after authentication, for browsers, and for what the kit cannot name.

In rank order: authorization (ACLs, policies), CORS, presigned POST policies, the key that was
looked up, data integrity, the SigV2 warning, and any other error S3 answered.
"""

from __future__ import annotations

from .shape import FindingCode

__all__ = ["REFUSAL_CODES"]

REFUSAL_CODES: tuple[FindingCode, ...] = (
    FindingCode(
        "acl-not-supported",
        "The request sets an ACL (x-amz-acl) on a bucket whose ACLs are disabled (Object "
        "Ownership BucketOwnerEnforced, the default since April 2023).",
        "Drop the ACL (or use bucket-owner-full-control); grant access with policies instead.",
        '400 AccessControlListNotSupported "The bucket does not allow ACLs"',
    ),
    FindingCode(
        "access-denied-policy",
        "The signature is valid but the signer is not allowed to do this: no identity-based "
        "policy allows the action, or a bucket (resource-based) policy, permissions boundary, "
        "session, service control or VPC endpoint policy denies it, or Block Public Access applies.",
        "Give the signing identity the action S3 names (s3:PutObject, plus s3:PutObjectAcl when "
        "an ACL is sent) on the key, and remove the deny of the policy type S3 names.",
        '403 AccessDenied "Access Denied", or "User: ARN is not authorized to perform: ACTION on '
        'resource: ... because no identity-based policy allows the ACTION action" (same account)',
    ),
    FindingCode(
        "cors-preflight-denied",
        "The browser's CORS preflight (OPTIONS) was refused: no CORS configuration, or no rule "
        "matches the Origin (the page's exact scheme, host and port), the method or the "
        "requested headers.",
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
        "double-encoded-key",
        "The object key was percent-encoded before it was given to the SDK, which encoded it "
        "again: the path holds %25XX, so S3 looks up (or stores) a key that literally contains %XX.",
        "Give the SDK the raw key (my file.txt, not my%20file.txt); never quote() a key yourself.",
        "404 NoSuchKey for a GET or HEAD; a PUT succeeds under the wrong key",
    ),
    FindingCode(
        "checksum-mismatch",
        "A checksum sent with the upload (Content-MD5, x-amz-checksum-*, in the headers or the "
        "URL) is not the checksum of the body. JS SDK v3 >= 3.729 pins "
        "x-amz-checksum-crc32=AAAAAA== (the CRC32 of an empty body) into presigned PUT URLs: AWS "
        "ignores it, S3-compatible stores may refuse it.",
        "Compute the checksum from the file that is uploaded, or presign without one; for JS "
        'SDK v3 create the presigning client with requestChecksumCalculation: "WHEN_REQUIRED".',
        "400 BadDigest, InvalidDigest, XAmzContentChecksumMismatch or InvalidRequest; "
        "S3-compatible stores: 501 NotImplemented (Cloudflare R2), 400 InvalidDigest (Garage)",
    ),
    FindingCode(
        "sigv2-url",
        "The URL uses legacy Signature Version 2, which leaves most headers unsigned and is "
        "refused in the regions launched after January 2014 (AWS also announced its end for "
        "buckets created after 2020-06-24; new us-east-1 buckets still accepted it in 2026). "
        "boto3 presigns SigV2 by default in us-east-1 and seven other older regions.",
        "Presign with SigV4: Config(signature_version='s3v4') in boto3.",
        'none by itself; in SigV4-only regions 400 InvalidRequest "The authorization mechanism '
        'you have provided is not supported. Please use AWS4-HMAC-SHA256." (AUTH-V2-05)',
    ),
    FindingCode(
        "unrecognised-error",
        "S3 refused the request with an error this kit has no specific diagnosis for; its Code "
        "and Message are shown as S3 sent them.",
        "Read S3's Code and Message in the AWS error-code list (Amazon S3 API reference, "
        '"Error responses"); the request is refused even if nothing else was found.',
        "any other error body",
    ),
)
