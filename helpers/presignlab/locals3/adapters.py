"""Adapters between the S3 pipeline and the CORS, presigned-POST, integrity and authz modules.

Each function translates the pipeline's :class:`~presignlab.locals3.routing.IncomingRequest`
and :class:`~presignlab.locals3.context.S3Context` into the arguments those modules take, so
their interfaces can evolve without touching the pipeline. No logic of theirs is repeated here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from ..query_auth import SentRequest
from . import authz
from . import cors
from .body import integrity
from .backend import state as moto_glue
from .post import upload as post_object
from .context import S3Context
from .authn.identity import Principal
from .body.integrity import DigestSpec
from .wire.render import status_line
from .wire.request import IncomingRequest
from .wire.errors import new_request_ids

__all__ = [
    "body_verifier",
    "check_before_body",
    "cors_preflight",
    "cors_response_headers",
    "is_post_upload",
    "new_bucket_defaults",
    "post_upload",
]


def _answer(
    start_response: Callable[..., Any], status: int, headers: list[tuple[str, str]], body: bytes
) -> Iterable[bytes]:
    request_id, host_id = new_request_ids()
    start_response(
        status_line(status), [*headers, ("x-amz-request-id", request_id), ("x-amz-id-2", host_id)]
    )
    return [body] if body else []


def cors_preflight(
    req: IncomingRequest, ctx: S3Context, start_response: Callable[..., Any]
) -> Iterable[bytes]:
    """Answer an OPTIONS preflight (no authentication) with the bucket's CORS rules."""
    rules = cors.bucket_cors_rules(ctx.account_id, req.bucket) if req.bucket else None
    headers = cors.preflight(
        req.sent, bucket=req.bucket, key=req.key, rules=rules, bucket_exists=rules is not None
    )
    return _answer(start_response, 200, headers, b"")


def cors_response_headers(req: IncomingRequest, ctx: S3Context) -> list[tuple[str, str]]:
    """The Access-Control-* headers of an actual (non-OPTIONS) answer, if a rule matches."""
    if req.bucket is None or req.header("origin") is None:
        return []
    return cors.actual_response_headers(
        req.sent, cors.bucket_cors_rules(ctx.account_id, req.bucket)
    )


def is_post_upload(req: IncomingRequest) -> bool:
    """True for a browser form upload: an unsigned-by-header POST to a bucket, no key, no query."""
    if req.sent.method != "POST" or not req.bucket or req.key or req.sent.query:
        return False
    return req.header("authorization") is None


def post_upload(
    environ: dict[str, Any],
    req: IncomingRequest,
    ctx: S3Context,
    start_response: Callable[..., Any],
) -> Iterable[bytes]:
    """Handle a presigned POST form upload end to end (authorization through :mod:`.authz`)."""
    bucket = req.bucket or ""

    def authorize(principal: Principal | None, key: str, fields: Sequence[tuple[str, str]]) -> None:
        # The form's ``acl`` field acts as the x-amz-acl header would on a PUT.
        acl = [("x-amz-acl", v) for n, v in fields if n.lower() == "acl"]
        as_post = SentRequest("POST", req.sent.host, f"/{bucket}/{key}", (), (*req.sent.headers, *acl))
        sigv4 = any(n.lower() == "x-amz-signature" for n, _ in fields)
        authz.authorize(
            principal,
            as_post,
            bucket=bucket,
            key=key,
            account_id=ctx.account_id,
            scheme="anonymous" if principal is None else ("sigv4-post" if sigv4 else "sigv2-post"),
            now=ctx.now,
        )

    def location_for(key: str) -> str:
        path = f"/{quote(key)}" if req.virtual_host else f"/{quote(bucket)}/{quote(key)}"
        return f"{environ.get('wsgi.url_scheme', 'http')}://{req.sent.host}{path}"

    result = post_object.handle_post(
        environ["wsgi.input"], req.header("content-type"), req.content_length, bucket=bucket,
        store=ctx.store, now=ctx.now, authorize=authorize, account_id=ctx.account_id,
        location_for=location_for,
    )  # fmt: skip
    headers = [
        *result.headers,
        *cors.actual_response_headers(req.sent, cors.bucket_cors_rules(ctx.account_id, bucket)),
    ]
    return _answer(start_response, result.status, headers, result.body)


_NOT_BODY_WRITES = frozenset({"acl", "tagging", "retention", "legal-hold", "restore"})


def _is_object_write(req: IncomingRequest) -> bool:
    """PutObject or UploadPart (a PUT on a key without an object sub-resource)."""
    names = {name for name, _ in req.sent.query}
    return req.sent.method == "PUT" and bool(req.key) and not names & _NOT_BODY_WRITES


def check_before_body(
    req: IncomingRequest, ctx: S3Context, signed_headers: Iterable[str]
) -> DigestSpec | None:
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
            req.sent.headers,
            key=req.key,
            current_etag=moto_glue.object_etag(ctx.account_id, req.bucket, req.key),
        )
    return spec


def body_verifier(req: IncomingRequest, spec: DigestSpec | None) -> integrity.BodyVerifier | None:
    """A streaming verifier for Content-MD5 / x-amz-checksum-*, or None when nothing to verify."""
    if spec is None or (spec.content_md5 is None and spec.checksum_algorithm is None):
        return None
    return integrity.BodyVerifier(spec, md5_expected_as_sent=req.sent.param("uploadId") is not None)


def new_bucket_defaults(account_id: str, bucket: str) -> None:
    """Block Public Access on and BucketOwnerEnforced for a bucket just created."""
    authz.apply_new_bucket_defaults(account_id, bucket)
