"""Which IAM actions an S3 operation needs, on which resources.

The operation itself is decided once, by :mod:`presignlab.locals3.wire.operations`;
:func:`permissions` maps it to its IAM action and resource ARN (``arn:aws:s3:::bucket`` or
``arn:aws:s3:::bucket/key``) plus the further permissions the request needs (Amazon S3 API
Reference, "Permissions" of each operation; Service Authorization Reference, "Actions,
resources, and condition keys for Amazon S3"). The condition context lives in
:mod:`presignlab.locals3.authz.context` (:func:`request_context` is re-exported here).

Facts used: HeadBucket needs ``s3:ListBucket``, HeadObject ``s3:GetObject``; the Delete* of
CORS / tagging / encryption / lifecycle / replication / ownership controls / Block Public
Access need the matching ``Put*`` action; UploadPart, CreateMultipartUpload and
CompleteMultipartUpload need ``s3:PutObject``; a ``versionId`` turns GetObject / DeleteObject /
*Acl / *Tagging / GetObjectAttributes into their ``*Version*`` actions; CopyObject and
UploadPartCopy also need ``s3:GetObject`` on the source; PutObject / CopyObject /
CreateMultipartUpload / PostObject with ``x-amz-acl`` or ``x-amz-grant-*`` also need
``s3:PutObjectAcl``, with ``x-amz-tagging`` also ``s3:PutObjectTagging``; CreateBucket with an
ACL needs ``s3:PutBucketAcl``, with ``x-amz-object-ownership`` ``s3:PutBucketOwnershipControls``.

Choices (docs/aws-behaviour.md): ListBuckets is evaluated on resource ``arn:aws:s3:::*``;
DeleteObjects (``POST ?delete``) once, on ``arn:aws:s3:::bucket/*``, since the keys are in the
body; PostObject on ``arn:aws:s3:::bucket/*`` until the key is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from ...signing.sent_request import SentRequest
from ..wire.operations import ResourceType, decide_operation
from .context import acl_headers, amz_value, request_context

__all__ = [
    "S3Operation",
    "acl_headers",
    "amz_value",
    "permissions",
    "request_context",
    "s3_operation",
]

# operation -> IAM action; "+V" marks where a versionId selects the *Version* action
_ACTIONS = {
    "ListBuckets": "ListAllMyBuckets",
    "HeadBucket": "ListBucket",
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "ListMultipartUploads": "ListBucketMultipartUploads",
    "DeleteObjects": "DeleteObject",
    "GetBucketCors": "GetBucketCORS",
    "PutBucketCors": "PutBucketCORS",
    "DeleteBucketCors": "PutBucketCORS",
    "DeleteBucketTagging": "PutBucketTagging",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "PutBucketEncryption": "PutEncryptionConfiguration",
    "DeleteBucketEncryption": "PutEncryptionConfiguration",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "PutLifecycleConfiguration",
    "GetBucketReplication": "GetReplicationConfiguration",
    "PutBucketReplication": "PutReplicationConfiguration",
    "DeleteBucketReplication": "PutReplicationConfiguration",
    "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
    "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
    "GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
    "PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketInventoryConfiguration": "GetInventoryConfiguration",
    "PutBucketInventoryConfiguration": "PutInventoryConfiguration",
    "DeleteBucketInventoryConfiguration": "PutInventoryConfiguration",
    "ListBucketInventoryConfigurations": "GetInventoryConfiguration",
    "GetObject": "GetObject+V",
    "HeadObject": "GetObject+V",
    "DeleteObject": "DeleteObject+V",
    "GetObjectAcl": "GetObject+VAcl",
    "PutObjectAcl": "PutObject+VAcl",
    "GetObjectTagging": "GetObject+VTagging",
    "PutObjectTagging": "PutObject+VTagging",
    "DeleteObjectTagging": "DeleteObject+VTagging",
    "GetObjectAttributes": "GetObject+VAttributes",
    "CopyObject": "PutObject",
    "UploadPart": "PutObject",
    "UploadPartCopy": "PutObject",
    "CreateMultipartUpload": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "PostObject": "PutObject",
    "ListParts": "ListMultipartUploadParts",
}
_SETS_OBJECT_ACL = frozenset({"PutObject", "CopyObject", "CreateMultipartUpload", "PostObject"})


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


def _action(operation: str, versioned: bool) -> str:
    spec = _ACTIONS.get(operation, operation)
    head, marker, tail = spec.partition("+V")
    return f"s3:{head}{'Version' if versioned and marker else ''}{tail}"


def _copy_source(request: SentRequest, partition: str) -> tuple[str, str] | None:
    source = request.header("x-amz-copy-source")
    if source is None:
        return None
    path, _, query = source.lstrip("/").partition("?")
    action = "s3:GetObjectVersion" if "versionId=" in query else "s3:GetObject"
    return action, f"arn:{partition}:s3:::{unquote(path)}"


def permissions(
    operation: str,
    request: SentRequest,
    bucket: str | None,
    key: str | None,
    *,
    partition: str = "aws",
) -> S3Operation:
    """The IAM permissions ``operation`` needs when ``request`` makes it on ``bucket``/``key``."""
    if bucket is None:
        return S3Operation(operation, _action(operation, False), f"arn:{partition}:s3:::*")
    arn = f"arn:{partition}:s3:::{bucket}"
    if key:
        arn += f"/{key}"
    elif operation in ("DeleteObjects", "PostObject"):
        arn += "/*"
    versioned = request.param("versionId") is not None
    extra: list[tuple[str, str]] = []
    if operation in ("CopyObject", "UploadPartCopy"):
        source = _copy_source(request, partition)
        if source is not None:
            extra.append(source)
    if operation in _SETS_OBJECT_ACL:
        if acl_headers(request):
            extra.append(("s3:PutObjectAcl", arn))
        if amz_value(request, "x-amz-tagging") is not None:
            extra.append(("s3:PutObjectTagging", arn))
    if operation == "CreateBucket":
        if acl_headers(request):
            extra.append(("s3:PutBucketAcl", arn))
        if request.header("x-amz-object-ownership") is not None:
            extra.append(("s3:PutBucketOwnershipControls", arn))
    return S3Operation(operation, _action(operation, versioned), arn, tuple(extra))


def s3_operation(
    request: SentRequest, bucket: str | None, key: str | None, *, partition: str = "aws"
) -> S3Operation:
    """The operation ``request`` makes on ``bucket`` / ``key`` and the permissions it needs.

    Decides the operation as the server does (raising its S3Error for a request that is no
    operation), for callers that hold only the request.
    """
    resource: ResourceType = "object" if key else "bucket" if bucket else "service"
    decided = decide_operation(
        request.method.upper(), resource, request.query, (n for n, _ in request.headers)
    )
    return permissions(decided.name, request, bucket, key, partition=partition)
