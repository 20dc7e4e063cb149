"""The S3 request pipeline: one call per stage, in the order Amazon S3 checks a request.

:func:`handle_s3` reads as the order itself (docs/ARCHITECTURE.md, docs/aws-behaviour.md):

1. CORS preflight (``OPTIONS``: answered without authentication);
2. presigned POST (a browser form carries its own signature and policy);
3. the HTTP length rules (411 MissingContentLength, 501 for an HTTP-chunked body);
4. the new bucket's name (CreateBucket);
5. authentication (who signed it, at the clock's ``now``);
6. the bucket exists (404 NoSuchBucket for anyone);
7. authorization (IAM, bucket policy, Block Public Access, Object Ownership) of the decided
   operation on the decided bucket and key;
8. integrity checks that need no body (conditional-write and digest headers);
9. the body, read (streamed, or spooled and verified when a digest applies);
10. the backend (moto) runs exactly the decided request (an upload id and a completion document
    checked first); a refusal from moto is answered in AWS's words (``backend/errors.py``);
11. the answer: AWS's header set (request ids, default encryption), CORS headers of the
    matching rule, AWS's defaults for a new bucket.

Choices (docs/aws-behaviour.md): 411 comes before authentication (an HTTP-level rule); for
PutBucketPolicy / PutBucketAcl / PutObjectAcl the (small) body is read before authorization,
which needs it; a PUT with ``Transfer-Encoding: chunked`` whose signature is not a
``STREAMING-*`` one is 501 NotImplemented naming the header; an aws-chunked body whose decoded
length differs from ``x-amz-decoded-content-length`` is 400 IncompleteBody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse

from . import cors
from .authn import AuthResult, authenticate
from .authz import apply_new_bucket_defaults, authorize
from .backend import encryption, multipart, objects, state
from .backend.errors import ErrorContext, s3_error_for
from .backend.moto_app import MotoAnswer, call_s3
from .body import large_put
from .body.plan import BodyPlan, check_before_body
from .context import S3Context
from .post.endpoint import post_upload
from .wire.addressing import check_new_bucket_name
from .wire.catalogue import (
    missing_content_length,
    no_such_bucket,
    not_implemented_header,
)
from .wire.header_values import check_response_overrides
from .wire.render import answer
from .wire.request import S3Request
from .wire.response_headers import s3_answer_headers

__all__ = ["ENDPOINT_REGION", "handle_s3"]

#: Operations whose small XML or JSON body authorization reads (ACL grants, a proposed policy).
_BODY_FOR_AUTHZ = frozenset({"PutBucketPolicy", "PutBucketAcl", "PutObjectAcl"})
#: Operations with a body a client must send with a Content-Length (or aws-chunked).
_UPLOADS = frozenset({"PutObject", "UploadPart"})
#: Operations on an existing multipart upload, named by ``uploadId`` (MPU-03).
_ON_UPLOAD = frozenset({"UploadPart", "UploadPartCopy", "AbortMultipartUpload", "ListParts"})
#: The region of the local endpoint itself: a request naming no existing bucket is checked
#: against it (AUTH-H-02, CHOICE-66), as AWS checks it against the endpoint it was sent to.
ENDPOINT_REGION = "us-east-1"
_BYTE_RANGE = re.compile(r"^\s*bytes\s*=[^=]*$", re.IGNORECASE)


def _check_lengths(req: S3Request) -> None:
    """Stage 3: S3 needs the body's length up front (or an aws-chunked body)."""
    if req.operation_name not in _UPLOADS:
        return
    if req.content_length is None and not req.chunked_transfer:
        raise missing_content_length()
    declared = req.header("x-amz-content-sha256") or ""
    if req.chunked_transfer and not declared.startswith("STREAMING-"):
        raise not_implemented_header("Transfer-Encoding")


def _bucket_region(req: S3Request, ctx: S3Context) -> str | None:
    return state.bucket_region(ctx.account_id, req.bucket)


def _require_bucket(req: S3Request, region: str | None) -> None:
    """Stage 6: every operation but CreateBucket and ListBuckets needs its bucket to exist."""
    if req.bucket and region is None and req.operation_name != "CreateBucket":
        raise no_such_bucket(req.bucket)


def _authorize(req: S3Request, ctx: S3Context, auth: AuthResult, body: bytes | None) -> None:
    """Stage 7, on the operation, bucket and key decided when the request was read."""
    authorize(
        auth.credential.principal if auth.credential is not None else None,
        req.sent,
        bucket=req.bucket,
        key=req.key,
        account_id=ctx.account_id,
        scheme=auth.scheme,
        now=ctx.now,
        body=body,
        source_ip=ctx.source_ip,
        operation=req.operation_name,
    )


def _backend_headers(req: S3Request, plan: BodyPlan) -> list[tuple[str, str]]:
    headers = req.backend_headers()
    if req.method in ("GET", "HEAD"):
        # moto raises on a Range without "=" (a 500); S3 ignores a Range it cannot parse
        headers = [(n, v) for n, v in headers if n != "range" or _BYTE_RANGE.match(v)]
    return plan.adjust(headers)


def _run_backend(req: S3Request, auth: AuthResult, plan: BodyPlan) -> MotoAnswer:
    """Stage 10: moto runs exactly the decided request.

    Only CreateBucket needs a region: the one the request was signed for, which on AWS is the
    regional endpoint it was sent to (a SigV2 or anonymous request: us-east-1).
    """
    region = auth.region if req.operation_name == "CreateBucket" else None
    return call_s3(
        method=req.method,
        bucket=req.bucket,
        key=req.key,
        query=req.backend_query(),
        headers=_backend_headers(req, plan),
        body=plan.body,
        length=plan.length,
        region=region,
    )


def _check_multipart(req: S3Request, ctx: S3Context, plan: BodyPlan) -> None:
    """S3's checks of an upload id and a completion document, before moto (MPU-01 to MPU-05)."""
    upload_id = req.param("uploadId")
    if upload_id is None or not req.bucket or req.key is None:
        return
    if req.operation_name == "CompleteMultipartUpload":
        multipart.check_complete(ctx.account_id, req.bucket, req.key, upload_id, plan.document())
    elif req.operation_name in _ON_UPLOAD:
        part_number = (
            req.param("partNumber") if req.operation_name.startswith("UploadPart") else None
        )
        multipart.check_upload(ctx.account_id, req.bucket, req.key, upload_id, part_number)


def _backend_refusal(req: S3Request, ctx: S3Context, plan: BodyPlan, result: MotoAnswer) -> None:
    """A refusal from moto, raised as the catalogue's answer in AWS's words (MPU-06).

    GetBucketEncryption on a bucket without a configuration is not a refusal on S3: it answers
    the SSE-S3 default (RESP-09).
    """
    if result.code < 400:
        return
    body = b"".join(result.body)
    if req.operation_name == "GetBucketEncryption" and encryption.is_missing_configuration(
        result.code, body
    ):
        default = encryption.DEFAULT_CONFIGURATION
        result.status, result.body = "200 OK", [default]
        result.headers = [
            ("Content-Type", "application/xml"),
            ("Content-Length", str(len(default))),
        ]
        return
    params = dict(req.backend_query())
    raise s3_error_for(
        result.code,
        body,
        ErrorContext(
            account_id=ctx.account_id,
            method=req.method,
            operation=req.operation_name or "",
            bucket=req.bucket,
            key=req.key,
            params=params,
            document=plan.document(),
        ),
    )


def _finish(
    req: S3Request, ctx: S3Context, existed: bool, result: MotoAnswer
) -> list[tuple[str, str]]:
    """Stage 11: CORS headers of the matching rule; AWS's defaults for a bucket just created."""
    if req.operation_name == "CreateBucket" and not existed and result.code == 200 and req.bucket:
        # a repeated CreateBucket in us-east-1 (200, "already owned by you") must not undo
        # the owner's later changes: only a bucket that did not exist gets the defaults
        apply_new_bucket_defaults(ctx.account_id, req.bucket)
    _checksum_type(req, ctx, result)
    headers = s3_answer_headers(req.operation_name, result.code, result.headers)
    return headers + cors.request_headers(req, ctx.account_id)


def _checksum_type(req: S3Request, ctx: S3Context, result: MotoAnswer) -> None:
    """INTEG-10: HeadObject with ChecksumMode ENABLED names the checksum's type, as GET does."""
    names = {n.lower() for n, _ in result.headers}
    if req.operation_name != "HeadObject" or "x-amz-checksum-type" in names:
        return
    if not any(n.startswith("x-amz-checksum-") for n in names) or not req.bucket or not req.key:
        return
    kind = objects.checksum_type(ctx.account_id, req.bucket, req.key, req.param("versionId"))
    if kind is not None:
        result.headers.append(("x-amz-checksum-type", kind))


def handle_s3(
    req: S3Request, ctx: S3Context, stream: Any, start_response: StartResponse
) -> Iterable[bytes]:
    """Answer one S3 request; raises the catalogue's S3Error for any failure before moto."""
    if req.method == "OPTIONS":
        return answer(start_response, 200, cors.preflight_for(req, ctx.account_id), b"")
    if req.operation_name == "PostObject":
        return post_upload(req, ctx, stream, start_response)
    _check_lengths(req)
    if req.operation_name == "CreateBucket" and req.bucket:
        check_new_bucket_name(req.bucket)
    region = _bucket_region(req, ctx)
    auth = authenticate(
        req.sent,
        bucket_region=region or req.target.endpoint_region or ENDPOINT_REGION,
        store=ctx.store,
        now=ctx.now,
        resource_path=req.v2_resource,
    )
    _require_bucket(req, region)
    if req.operation_name in ("GetObject", "HeadObject"):
        check_response_overrides(req.sent.query)
    plan = BodyPlan(req, auth, stream)
    try:
        if req.operation_name in _BODY_FOR_AUTHZ:
            _authorize(req, ctx, auth, plan.read_small())
        else:
            _authorize(req, ctx, auth, None)
            spec = check_before_body(req, ctx.account_id, auth.signed_headers)
            plan.receive(spec, large=large_put.applies(req))
        _check_multipart(req, ctx, plan)
        result = _run_backend(req, auth, plan)
        _backend_refusal(req, ctx, plan, result)
        plan.hand_over(ctx.account_id, req, result)
        plan.default_checksum(ctx.account_id, req, result)
    finally:
        plan.close()
    start_response(result.status, _finish(req, ctx, region is not None, result))
    return result.body
