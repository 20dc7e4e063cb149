"""Adapters between the S3 pipeline and the CORS, presigned-POST, integrity and authz modules.

Each function translates the pipeline's :class:`~presignlab.locals3.routing.IncomingRequest`
and :class:`~presignlab.locals3.context.S3Context` into the arguments those modules take, so
their interfaces can evolve without touching the pipeline. No logic of theirs is repeated here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Protocol

from .context import S3Context
from .routing import IncomingRequest
from .s3_error import S3Error, new_request_ids

__all__ = [
    "BodyVerifier",
    "body_verifier",
    "check_before_body",
    "cors_preflight",
    "cors_response_headers",
    "is_post_upload",
    "new_bucket_defaults",
    "post_upload",
]


class BodyVerifier(Protocol):
    """Sees the body block by block, then raises the S3Error of a digest that does not match."""

    def update(self, data: bytes) -> object: ...

    def finish(self, trailers: dict[str, str]) -> None: ...


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


def check_before_body(req: IncomingRequest, ctx: S3Context) -> None:
    """Preconditions and digest-header shapes checked before the body is read."""
    integrity = _module("integrity")
    if integrity is not None:
        integrity.check_headers(req.sent, bucket=req.bucket, key=req.key, account_id=ctx.account_id)


def body_verifier(req: IncomingRequest) -> BodyVerifier | None:
    """A streaming verifier for Content-MD5 / x-amz-checksum-*, or None when nothing to verify."""
    integrity = _module("integrity")
    if integrity is None:
        return None
    verifier: BodyVerifier | None = integrity.body_verifier(req.sent)
    return verifier


def new_bucket_defaults(account_id: str, bucket: str) -> None:
    """Block Public Access on and BucketOwnerEnforced for a bucket just created."""
    authz = _module("authz")
    apply = getattr(authz, "apply_new_bucket_defaults", None)
    if apply is not None:
        apply(account_id, bucket)
