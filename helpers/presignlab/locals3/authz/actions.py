"""Which IAM action an S3 REST request needs, on which resource, with which condition context.

:func:`s3_operation` maps method + sub-resource query parameters to the API operation, its
IAM action and the resource ARN (``arn:aws:s3:::bucket`` or ``arn:aws:s3:::bucket/key``), plus
the further permissions the request needs (Amazon S3 API Reference, "Permissions" of
PutObject, CopyObject, CreateBucket; "Actions, resources, and condition keys for Amazon S3").
The condition context lives in :mod:`presignlab.locals3.s3_context` (:func:`request_context`
is re-exported here).

Facts used: HeadBucket needs ``s3:ListBucket``, HeadObject ``s3:GetObject``; DeleteBucketCors /
Tagging / Encryption / Lifecycle / Replication / OwnershipControls / PublicAccessBlock need the
matching ``Put*`` action; UploadPart, CreateMultipartUpload and CompleteMultipartUpload need
``s3:PutObject``; a ``versionId`` turns GetObject / DeleteObject / *Acl / *Tagging into their
``*Version*`` actions; CopyObject and UploadPartCopy also need ``s3:GetObject`` on the source;
PutObject / CopyObject / CreateMultipartUpload with ``x-amz-acl`` or ``x-amz-grant-*`` also
need ``s3:PutObjectAcl``, with ``x-amz-tagging`` also ``s3:PutObjectTagging``; CreateBucket
with an ACL needs ``s3:PutBucketAcl``, with ``x-amz-object-ownership``
``s3:PutBucketOwnershipControls``.

UNCONFIRMED choices:

* ListBuckets is evaluated on resource ``arn:aws:s3:::*`` (so both ``*`` and ``arn:aws:s3:::*``
  grant it); DeleteObjects (``POST ?delete``) is evaluated once, on ``arn:aws:s3:::bucket/*``,
  since the keys are in the body;
* an unmapped request needs ``s3:UnmappedOperation`` (only ``s3:*``-style grants allow it).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from ...query_auth import SentRequest
from .context import acl_headers, amz_value, request_context

__all__ = [
    "UNMAPPED_ACTION",
    "S3Operation",
    "acl_headers",
    "amz_value",
    "request_context",
    "s3_operation",
]

UNMAPPED_ACTION = "s3:UnmappedOperation"

# sub-resource -> "GET PUT DELETE" actions on a bucket ("-": none; "=": the PUT action)
_BUCKET_SUB = {
    name: tuple(
        None if a == "-" else actions.split()[1] if a == "=" else a for a in actions.split()
    )
    for name, actions in {
        "acl": "GetBucketAcl PutBucketAcl -",
        "policy": "GetBucketPolicy PutBucketPolicy DeleteBucketPolicy",
        "cors": "GetBucketCORS PutBucketCORS =",
        "ownershipControls": "GetBucketOwnershipControls PutBucketOwnershipControls =",
        "publicAccessBlock": "GetBucketPublicAccessBlock PutBucketPublicAccessBlock =",
        "policyStatus": "GetBucketPolicyStatus - -",
        "versioning": "GetBucketVersioning PutBucketVersioning -",
        "tagging": "GetBucketTagging PutBucketTagging =",
        "encryption": "GetEncryptionConfiguration PutEncryptionConfiguration =",
        "lifecycle": "GetLifecycleConfiguration PutLifecycleConfiguration =",
        "website": "GetBucketWebsite PutBucketWebsite DeleteBucketWebsite",
        "logging": "GetBucketLogging PutBucketLogging -",
        "notification": "GetBucketNotification PutBucketNotification -",
        "location": "GetBucketLocation - -",
        "requestPayment": "GetBucketRequestPayment PutBucketRequestPayment -",
        "object-lock": "GetBucketObjectLockConfiguration PutBucketObjectLockConfiguration -",
        "replication": "GetReplicationConfiguration PutReplicationConfiguration =",
        "accelerate": "GetAccelerateConfiguration PutAccelerateConfiguration -",
        "inventory": "GetInventoryConfiguration PutInventoryConfiguration =",
        "metrics": "GetMetricsConfiguration PutMetricsConfiguration =",
        "analytics": "GetAnalyticsConfiguration PutAnalyticsConfiguration =",
        "versions": "ListBucketVersions - -",
        "uploads": "ListBucketMultipartUploads - -",
    }.items()
}
# object sub-resource -> (GET action, PUT action, DELETE action); "+V" = a *Version* form exists
_OBJECT_SUB: dict[str, tuple[str | None, str | None, str | None]] = {
    "acl": ("GetObject+VAcl", "PutObject+VAcl", None),
    "tagging": ("GetObject+VTagging", "PutObject+VTagging", "DeleteObject+VTagging"),
    "attributes": ("GetObject+VAttributes", None, None),
    "retention": ("GetObjectRetention", "PutObjectRetention", None),
    "legal-hold": ("GetObjectLegalHold", "PutObjectLegalHold", None),
    "torrent": ("GetObjectTorrent", None, None),
}


@dataclass(frozen=True)
class S3Operation:
    """What a request asks for: API ``name``, IAM ``action`` on ``resource``, and ``also``
    (further ``(action, resource)`` pairs the request needs)."""

    name: str
    action: str
    resource: str
    also: tuple[tuple[str, str], ...] = ()

    @property
    def requirements(self) -> tuple[tuple[str, str], ...]:
        """Every ``(action, resource)`` the request needs, the main one first."""
        return ((self.action, self.resource), *self.also)


def _versioned(spec: str, versioned: bool) -> str:
    head, marker, tail = spec.partition("+V")
    return f"{head}{'Version' if versioned and marker else ''}{tail}"


def _copy_source(request: SentRequest, partition: str) -> tuple[str, str] | None:
    source = request.header("x-amz-copy-source")
    if source is None:
        return None
    path, _, query = source.lstrip("/").partition("?")
    action = "s3:GetObjectVersion" if "versionId=" in query else "s3:GetObject"
    return action, f"arn:{partition}:s3:::{unquote(path)}"


def _object_operation(request: SentRequest, bucket: str, key: str, partition: str) -> S3Operation:
    method, params = request.method.upper(), {n for n, _ in request.query}
    arn = f"arn:{partition}:s3:::{bucket}/{key}"
    versioned = "versionId" in params
    column = {"GET": 0, "HEAD": 0, "PUT": 1, "DELETE": 2}.get(method)
    for sub, actions in _OBJECT_SUB.items():
        if sub in params and column is not None and actions[column]:
            spec = actions[column] or ""
            return S3Operation(_versioned(spec, False), f"s3:{_versioned(spec, versioned)}", arn)
    extra: list[tuple[str, str]] = []
    if method in ("PUT", "POST") and ("uploads" in params or "uploadId" not in params):
        if acl_headers(request):
            extra.append(("s3:PutObjectAcl", arn))
        if amz_value(request, "x-amz-tagging") is not None:
            extra.append(("s3:PutObjectTagging", arn))
    source = _copy_source(request, partition) if method == "PUT" else None
    if source:
        extra.insert(0, source)
    if method == "PUT":
        if "uploadId" in params:
            return S3Operation(
                "UploadPartCopy" if source else "UploadPart", "s3:PutObject", arn, tuple(extra)
            )
        return S3Operation(
            "CopyObject" if source else "PutObject", "s3:PutObject", arn, tuple(extra)
        )
    if method in ("GET", "HEAD"):
        if method == "GET" and "uploadId" in params:
            return S3Operation("ListParts", "s3:ListMultipartUploadParts", arn)
        action = "s3:GetObjectVersion" if versioned else "s3:GetObject"
        return S3Operation("HeadObject" if method == "HEAD" else "GetObject", action, arn)
    if method == "DELETE":
        if "uploadId" in params:
            return S3Operation("AbortMultipartUpload", "s3:AbortMultipartUpload", arn)
        return S3Operation(
            "DeleteObject", "s3:DeleteObjectVersion" if versioned else "s3:DeleteObject", arn
        )
    if method == "POST":
        if "uploads" in params:
            return S3Operation("CreateMultipartUpload", "s3:PutObject", arn, tuple(extra))
        if "uploadId" in params:
            return S3Operation("CompleteMultipartUpload", "s3:PutObject", arn)
        if "restore" in params:
            return S3Operation("RestoreObject", "s3:RestoreObject", arn)
        if "select" in params:
            return S3Operation("SelectObjectContent", "s3:GetObject", arn)
        return S3Operation("PostObject", "s3:PutObject", arn, tuple(extra))
    return S3Operation(f"{method} object", UNMAPPED_ACTION, arn)


def _bucket_operation(request: SentRequest, bucket: str, partition: str) -> S3Operation:
    method, params = request.method.upper(), {n for n, _ in request.query}
    arn = f"arn:{partition}:s3:::{bucket}"
    column = {"GET": 0, "HEAD": 0, "PUT": 1, "DELETE": 2}.get(method)
    for sub, actions in _BUCKET_SUB.items():
        if sub in params and column is not None and actions[column]:
            action = actions[column] or ""
            name = (
                f"Delete{action[3:]}" if method == "DELETE" and action.startswith("Put") else action
            )
            return S3Operation(name.replace("CORS", "Cors"), f"s3:{action}", arn)
    if method == "PUT":
        extra = []
        if acl_headers(request):
            extra.append(("s3:PutBucketAcl", arn))
        if request.header("x-amz-object-ownership") is not None:
            extra.append(("s3:PutBucketOwnershipControls", arn))
        return S3Operation("CreateBucket", "s3:CreateBucket", arn, tuple(extra))
    if method == "DELETE":
        return S3Operation("DeleteBucket", "s3:DeleteBucket", arn)
    if method == "HEAD":
        return S3Operation("HeadBucket", "s3:ListBucket", arn)
    if method == "GET":
        name = "ListObjectsV2" if request.param("list-type") == "2" else "ListObjects"
        return S3Operation(name, "s3:ListBucket", arn)
    if method == "POST" and "delete" in params:
        return S3Operation("DeleteObjects", "s3:DeleteObject", f"{arn}/*")
    if method == "POST":
        return S3Operation("PostObject", "s3:PutObject", f"{arn}/*")
    return S3Operation(f"{method} bucket", UNMAPPED_ACTION, arn)


def s3_operation(
    request: SentRequest, bucket: str | None, key: str | None, *, partition: str = "aws"
) -> S3Operation:
    """The operation ``request`` performs on ``bucket`` / ``key`` (both decoded, or None)."""
    if bucket is None:
        if request.method.upper() == "GET":
            return S3Operation("ListBuckets", "s3:ListAllMyBuckets", f"arn:{partition}:s3:::*")
        return S3Operation(
            f"{request.method.upper()} service", UNMAPPED_ACTION, f"arn:{partition}:s3:::*"
        )
    if key:
        return _object_operation(request, bucket, key, partition)
    return _bucket_operation(request, bucket, partition)
