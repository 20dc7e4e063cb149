"""The values the signature search tries: regions, methods, common header values, SDK parameters.

Sources: botocore 1.44's endpoint data (the commercial regions); the AWS General Reference,
"Enable or disable AWS Regions" (regions launched after 20 March 2019 are opt-in, and S3
does not redirect requests for their buckets from the global endpoint); the JavaScript SDK v3
presigner (``x-id``, ``X-Amz-Content-Sha256=UNSIGNED-PAYLOAD`` and, from 3.729, the empty-body
CRC32 pair in every presigned PUT: aws/aws-sdk-js-v3#6810, LocalStack's AWS-validated
``test_presigned_url_v4_x_amz_in_qs``).
"""

from __future__ import annotations

__all__ = [
    "AWS_REGIONS",
    "COMMON_EXPIRES",
    "COMMON_VALUES",
    "EMPTY_BODY_CHECKSUMS",
    "METHODS",
    "OPT_IN_REGIONS",
    "SDK_QUERY_PARAMETERS",
    "X_ID_OPERATIONS",
]

#: Commercial AWS regions (partition ``aws``), as botocore 1.44 lists them for S3.
AWS_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
)
#: Regions that must be enabled before use (launched after 20 March 2019): version 1 STS tokens
#: are not valid there, and S3 answers IllegalLocationConstraintException instead of a redirect.
OPT_IN_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    }
)
METHODS = ("PUT", "GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH")
#: Expiries (seconds) signers commonly choose; tried when X-Amz-Expires (or Expires) was edited.
COMMON_EXPIRES = (60, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400, 604800)
#: Values clients commonly send (or SDKs commonly sign) for a header, tried as the signed value.
COMMON_VALUES: dict[str, tuple[str, ...]] = {
    "content-type": (
        "application/octet-stream",
        "binary/octet-stream",
        "text/plain",
        "image/jpeg",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain;charset=UTF-8",
        "image/png",
        "application/json",
        "application/pdf",
        "image/gif",
        "image/webp",
        "video/mp4",
        "text/csv",
        "application/zip",
    ),
    "x-amz-acl": (
        "private",
        "public-read",
        "public-read-write",
        "authenticated-read",
        "bucket-owner-read",
        "bucket-owner-full-control",
    ),
    "x-amz-server-side-encryption": ("AES256", "aws:kms", "aws:kms:dsse"),
    "if-none-match": ("*",),
    "content-encoding": ("gzip", "identity", "br", "aws-chunked"),
    "content-disposition": ("attachment", "inline"),
    "x-amz-storage-class": ("STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"),
    "x-amz-checksum-crc32": ("AAAAAA==",),
    "x-amz-sdk-checksum-algorithm": ("CRC32", "CRC32C", "SHA256", "SHA1", "CRC64NVME"),
    "x-amz-content-sha256": ("UNSIGNED-PAYLOAD",),
}
#: The checksum of an empty body for each algorithm (what an SDK signs when it has no body yet).
EMPTY_BODY_CHECKSUMS = {
    "x-amz-checksum-crc32": "AAAAAA==",
    "x-amz-checksum-crc32c": "AAAAAA==",
    "x-amz-checksum-crc64nvme": "AAAAAAAAAAA=",
    "x-amz-checksum-sha1": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
    "x-amz-checksum-sha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
}
#: The ``x-id`` values the JavaScript SDK v3 adds to presigned URLs, most common first.
X_ID_OPERATIONS = (
    "PutObject",
    "GetObject",
    "UploadPart",
    "HeadObject",
    "DeleteObject",
    "CreateMultipartUpload",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
)
#: Query parameters SDKs add on their own, with the values they sign; a tool that strips
#: "unknown" parameters from the URL removes them after signing.
SDK_QUERY_PARAMETERS: tuple[tuple[tuple[str, str], ...], ...] = (
    *((("x-id", op),) for op in X_ID_OPERATIONS),
    (("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),),
    (("x-amz-checksum-crc32", "AAAAAA=="), ("x-amz-sdk-checksum-algorithm", "CRC32")),
    (("x-amz-checksum-crc32", "AAAAAA=="),),
    (("x-amz-sdk-checksum-algorithm", "CRC32"),),
)
