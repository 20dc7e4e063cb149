"""Adapters between the S3 pipeline and the CORS, presigned-POST, integrity and authz modules.

Each function translates the pipeline's :class:`~presignlab.locals3.routing.IncomingRequest`
and :class:`~presignlab.locals3.context.S3Context` into the arguments those modules take, so
their interfaces can evolve without touching the pipeline. No logic of theirs is repeated here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from . import integrity, moto_glue
from .context import S3Context
from .integrity import DigestSpec
from .routing import IncomingRequest
from .s3_error import S3Error, new_request_ids

__all__ = [
    "body_verifier",
    "check_before_body",
    "cors_preflight",
    "cors_response_headers",
    "is_post_upload",
    "new_bucket_defaults",
    "post_upload",
]


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"presignlab.locals3.{name}")
    except ImportError:  # not yet available while the modules are written in parallel
        return None


def cors_preflight(req: IncomingRequest, ctx: S3Context, start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer an OPTIONS preflight (no authentication)."""
    cors = _module("cors")
    if cors is None:
        raise S3Error(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
    status, headers = cors.preflight(req.sent, bucket=req.bucket, key=req.key, account_id=ctx.account_id)
    request_id, host_id = new_request_ids()
    start_response(f"{status} OK", [*headers, ("x-amz-request-id", request_id), ("x-amz-id-2", host_id)])
    return []


def cors_response_headers(req: IncomingRequest, ctx: S3Context) -> list[tuple[str, str]]:
    """The Access-Control-* headers of an actual (non-OPTIONS) answer, if a rule matches."""
    cors = _module("cors")
    if cors is None or req.bucket is None or req.header("origin") is None:
        return []
    return list(cors.actual_response_headers(req.sent, bucket=req.bucket, account_id=ctx.account_id))


def is_post_upload(req: IncomingRequest) -> bool:
    """True for a browser form upload: POST to a bucket with a multipart/form-data body."""
    if req.sent.method != "POST" or not req.bucket or req.key or req.sent.query:
        return False
    return req.header("authorization") is None


def post_upload(
    environ: dict[str, Any], req: IncomingRequest, ctx: S3Context, start_response: Callable[..., Any]
) -> Iterable[bytes]:
    """Handle a presigned POST form upload end to end."""
    post_object = _module("post_object")
    if post_object is None:
        raise S3Error(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
    return post_object.handle_post(environ, req.sent, bucket=req.bucket, store=ctx.store, now=ctx.now,
                                   account_id=ctx.account_id, start_response=start_response)


_NOT_BODY_WRITES = frozenset({"acl", "tagging", "retention", "legal-hold", "restore"})


def _is_object_write(req: IncomingRequest) -> bool:
    """PutObject or UploadPart (a PUT on a key without an object sub-resource)."""
    names = {name for name, _ in req.sent.query}
    return req.sent.method == "PUT" and bool(req.key) and not names & _NOT_BODY_WRITES


def check_before_body(req: IncomingRequest, ctx: S3Context, signed_headers: Iterable[str]) -> DigestSpec | None:
    """Digest-header shapes and conditional-write preconditions, before the body is read.

    Applies to PutObject and UploadPart (not to copies, which carry no body). A signed header
    that a presigned URL carries as a query parameter counts as sent (``hoisted``).
    """
    if not _is_object_write(req) or req.header("x-amz-copy-source") is not None:
        return None
    signed = {name.lower() for name in signed_headers}
    hoisted = [(n, v) for n, v in req.sent.query if n.lower() in signed]
    spec = integrity.check_put_headers(req.sent.headers, hoisted=hoisted)
    if req.sent.param("uploadId") is None and req.bucket and req.key:
        integrity.check_preconditions(
            req.sent.headers, key=req.key, current_etag=moto_glue.object_etag(ctx.account_id, req.bucket, req.key)
        )
    return spec


def body_verifier(req: IncomingRequest, spec: DigestSpec | None) -> integrity.BodyVerifier | None:
    """A streaming verifier for Content-MD5 / x-amz-checksum-*, or None when nothing to verify."""
    if spec is None or (spec.content_md5 is None and spec.checksum_algorithm is None):
        return None
    return integrity.BodyVerifier(spec, md5_expected_as_sent=req.sent.param("uploadId") is not None)


def new_bucket_defaults(account_id: str, bucket: str) -> None:
    """Block Public Access on and BucketOwnerEnforced for a bucket just created."""
    authz = _module("authz")
    apply = getattr(authz, "apply_new_bucket_defaults", None)
    if apply is not None:
        apply(account_id, bucket)
