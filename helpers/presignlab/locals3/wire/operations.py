"""Which S3 operation a request is, decided once, from AWS's own API model.

S3 routes a REST request by its method, whether it names the service, a bucket or an object,
and the sub-resource parameters in its query (``?acl``, ``?uploads``, ``?list-type=2``) plus
the parameters and headers an operation requires (``uploadId`` and ``partNumber`` make a PUT an
UploadPart; ``x-amz-copy-source`` makes it a CopyObject). The routes are taken from botocore's
service model of S3 (``service-2.json``, the model AWS publishes for its SDKs): each operation's
``requestUri`` literals, its query-string and header members, and which of them are required.

:func:`decide_operation` picks the operation whose literals and required members the request
carries, preferring the most specific one. The chosen :class:`Operation` also says which query
parameters and headers the operation defines: the strict layer passes moto exactly those, so
moto can neither pick another operation nor read a parameter the layer did not classify.

Answers (docs/aws-behaviour.md, "Operations"): no operation with this method on this resource is
405 MethodNotAllowed; an operation the local S3 does not emulate is 501 NotImplemented (our
choice); a request whose sub-resources select two operations equally is 400 InvalidRequest
(our choice: S3's answer is not recorded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from .catalogue import invalid_request, method_not_allowed, operation_not_implemented

__all__ = ["POST_OBJECT", "SUPPORTED", "Operation", "ResourceType", "decide_operation"]

ResourceType = Literal["service", "bucket", "object"]

#: The S3 operations the local S3 emulates (moto implements them; the layer authorizes them).
SUPPORTED = frozenset(
    [
        "ListBuckets",
        "CreateBucket",
        "DeleteBucket",
        "HeadBucket",
        "ListObjects",
        "ListObjectsV2",
        "ListObjectVersions",
        "ListMultipartUploads",
        "DeleteObjects",
        "GetBucketLocation",
        "GetBucketPolicy",
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "GetBucketPolicyStatus",
        "GetBucketAcl",
        "PutBucketAcl",
        "GetBucketCors",
        "PutBucketCors",
        "DeleteBucketCors",
        "GetBucketTagging",
        "PutBucketTagging",
        "DeleteBucketTagging",
        "GetBucketVersioning",
        "PutBucketVersioning",
        "GetBucketEncryption",
        "PutBucketEncryption",
        "DeleteBucketEncryption",
        "GetBucketLifecycleConfiguration",
        "PutBucketLifecycleConfiguration",
        "DeleteBucketLifecycle",
        "GetBucketWebsite",
        "PutBucketWebsite",
        "DeleteBucketWebsite",
        "GetBucketLogging",
        "PutBucketLogging",
        "GetBucketNotificationConfiguration",
        "PutBucketNotificationConfiguration",
        "GetBucketOwnershipControls",
        "PutBucketOwnershipControls",
        "DeleteBucketOwnershipControls",
        "GetPublicAccessBlock",
        "PutPublicAccessBlock",
        "DeletePublicAccessBlock",
        "GetObjectLockConfiguration",
        "PutObjectLockConfiguration",
        "GetBucketAccelerateConfiguration",
        "PutBucketAccelerateConfiguration",
        "GetBucketRequestPayment",
        "PutBucketRequestPayment",
        "GetBucketReplication",
        "PutBucketReplication",
        "DeleteBucketReplication",
        "GetBucketInventoryConfiguration",
        "PutBucketInventoryConfiguration",
        "DeleteBucketInventoryConfiguration",
        "ListBucketInventoryConfigurations",
        "GetObject",
        "HeadObject",
        "PutObject",
        "CopyObject",
        "DeleteObject",
        "GetObjectAcl",
        "PutObjectAcl",
        "GetObjectTagging",
        "PutObjectTagging",
        "DeleteObjectTagging",
        "GetObjectAttributes",
        "GetObjectRetention",
        "PutObjectRetention",
        "GetObjectLegalHold",
        "PutObjectLegalHold",
        "RestoreObject",
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "AbortMultipartUpload",
        "ListParts",
    ]
)
#: Operations that share a route with a supported one and are never meant by it: deprecated
#: twins, and ListDirectoryBuckets (S3 Express One Zone, served on another endpoint).
_SHADOWED = frozenset(
    {
        "GetBucketLifecycle",
        "PutBucketLifecycle",
        "GetBucketNotification",
        "PutBucketNotification",
        "ListDirectoryBuckets",
    }
)
#: A browser form upload (POST to a bucket, no sub-resource): not in the SDK model.
POST_OBJECT = "PostObject"

_TEMPLATE = re.compile(r"^/(?P<bucket>\{Bucket\})?(?P<key>/\{Key\+\})?(?:\?(?P<literal>.*))?$")


@dataclass(frozen=True)
class Operation:
    """One S3 operation as the model defines it.

    ``literals`` are the sub-resource parameters that select it (value None: any value);
    ``query`` the query parameters it defines (exact case), ``headers`` its header names
    (lower case) and ``header_prefixes`` its header families (``x-amz-meta-``).
    """

    name: str
    method: str
    resource: ResourceType
    literals: tuple[tuple[str, str | None], ...] = ()
    query: frozenset[str] = frozenset()
    headers: frozenset[str] = frozenset()
    header_prefixes: tuple[str, ...] = ()
    required_query: frozenset[str] = frozenset()
    required_headers: frozenset[str] = frozenset()

    @property
    def accepted_query(self) -> frozenset[str]:
        """The parameter names moto may see: the literals and the operation's own parameters."""
        return self.query | {name for name, _ in self.literals}

    def accepts_header(self, name: str) -> bool:
        """Whether the operation defines header ``name`` (any case)."""
        lower = name.lower()
        return lower in self.headers or lower.startswith(self.header_prefixes)


def _literals(text: str | None) -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    for part in (text or "").split("&"):
        if part:
            name, equals, value = part.partition("=")
            out.append((name, value if equals else None))
    return tuple(out)


def _from_model(name: str, model: object) -> Operation | None:
    http = model.http  # type: ignore[attr-defined]
    match = _TEMPLATE.match(str(http["requestUri"]))
    if match is None:
        return None
    resource: ResourceType = (
        "object" if match.group("key") else "bucket" if match.group("bucket") else "service"
    )
    shape = model.input_shape  # type: ignore[attr-defined]
    members = dict(shape.members) if shape is not None else {}
    required = set(shape.required_members) if shape is not None else set()
    query: set[str] = set()
    headers: set[str] = set()
    prefixes: list[str] = []
    required_query: set[str] = set()
    required_headers: set[str] = set()
    for member_name, member in members.items():
        where = member.serialization.get("location")
        wire = str(member.serialization.get("name", member_name))
        if where == "querystring":
            query.add(wire)
            if member_name in required:
                required_query.add(wire)
        elif where == "header":
            headers.add(wire.lower())
            if member_name in required:
                required_headers.add(wire.lower())
        elif where == "headers":
            prefixes.append(wire.lower())
    return Operation(
        name=name,
        method=str(http["method"]),
        resource=resource,
        literals=_literals(match.group("literal")),
        query=frozenset(query),
        headers=frozenset(headers),
        header_prefixes=tuple(prefixes),
        required_query=frozenset(required_query),
        required_headers=frozenset(required_headers),
    )


@cache
def _routes() -> dict[tuple[str, ResourceType], tuple[Operation, ...]]:
    import botocore.session

    model = botocore.session.get_session().get_service_model("s3")
    routes: dict[tuple[str, ResourceType], list[Operation]] = {}
    for name in model.operation_names:
        if name in _SHADOWED:
            continue
        operation = _from_model(name, model.operation_model(name))
        if operation is not None:
            routes.setdefault((operation.method, operation.resource), []).append(operation)
    post = Operation(POST_OBJECT, "POST", "bucket", headers=frozenset({"content-type"}))
    routes.setdefault(("POST", "bucket"), []).append(post)
    return {route: tuple(ops) for route, ops in routes.items()}


def _score(
    operation: Operation, params: Mapping[str, str], header_names: frozenset[str]
) -> tuple[int, int] | None:
    for name, value in operation.literals:
        if name not in params or (value is not None and params[name] != value):
            return None
    if not operation.required_query <= params.keys():
        return None
    if not operation.required_headers <= header_names:
        return None
    required = len(operation.required_query) + len(operation.required_headers)
    return len(operation.literals), required


def decide_operation(
    method: str,
    resource: ResourceType,
    query: Iterable[tuple[str, str]],
    header_names: Iterable[str],
) -> Operation:
    """The one operation a request is, or the S3Error for a request that is none, or two."""
    candidates = _routes().get((method, resource), ())
    params: dict[str, str] = {}
    for name, value in query:
        params.setdefault(name, value)
    names = frozenset(name.lower() for name in header_names)
    scored = [(s, op) for op in candidates if (s := _score(op, params, names)) is not None]
    if not scored:
        raise method_not_allowed(method, resource.upper() if resource != "service" else "SERVICE")
    best = max(score for score, _ in scored)
    chosen = [op for score, op in scored if score == best]
    supported = [op for op in chosen if op.name in SUPPORTED or op.name == POST_OBJECT]
    if len(supported) == 1:
        return supported[0]
    if len(chosen) > 1:
        selectors = sorted({name for op in chosen for name, _ in op.literals})
        raise invalid_request(
            "The request names more than one operation: " + ", ".join(selectors) + "."
        )
    operation = chosen[0]
    if operation.name not in SUPPORTED and operation.name != POST_OBJECT:
        raise operation_not_implemented(operation.name)
    return operation
