"""The presigned POST route of the pipeline: a browser form upload, authorized like a PUT.

The form's ``acl`` and ``tagging`` fields act as the ``x-amz-acl`` and ``x-amz-tagging``
headers would on a PutObject (s3:PutObjectAcl, s3:PutObjectTagging); the signature
version of the form decides the ``s3:authType`` / ``s3:signatureversion`` policies see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote
from wsgiref.types import StartResponse

from ...signing.sent_request import SentRequest
from ..authn.identity import Principal
from ..authz import authorize
from ..context import S3Context
from ..cors import request_headers
from ..wire.render import answer
from ..wire.request import S3Request
from .upload import handle_post

__all__ = ["post_upload"]


def post_upload(
    req: S3Request, ctx: S3Context, stream: Any, start_response: StartResponse
) -> Iterable[bytes]:
    """Handle a presigned POST form upload end to end; raises the catalogue's S3Error."""
    bucket = req.bucket or ""

    def authorize_put(
        principal: Principal | None, key: str, fields: Sequence[tuple[str, str]]
    ) -> None:
        acl = [("x-amz-acl", v) for n, v in fields if n.lower() == "acl"]
        acl += [("x-amz-tagging", v) for n, v in fields if n.lower() == "tagging"]
        # the form's signed date decides s3:signatureAge (AUTHZ-07)
        acl += [("x-amz-date", v) for n, v in fields if n.lower() == "x-amz-date"]
        as_post = SentRequest("POST", req.sent.host, f"/{bucket}/{key}", (), (*req.headers, *acl))
        sigv4 = any(n.lower() == "x-amz-signature" for n, _ in fields)
        authorize(
            principal,
            as_post,
            bucket=bucket,
            key=key,
            account_id=ctx.account_id,
            scheme="anonymous" if principal is None else ("sigv4-post" if sigv4 else "sigv2-post"),
            now=ctx.now,
            source_ip=ctx.source_ip,
            operation="PostObject",
        )

    def location_for(key: str) -> str:
        path = (
            f"/{quote(key)}"
            if req.target.addressing != "path"
            else f"/{quote(bucket)}/{quote(key)}"
        )
        return f"http://{req.sent.host}{path}"

    result = handle_post(
        stream, req.header("content-type"), req.content_length, bucket=bucket, store=ctx.store,
        now=ctx.now, authorize=authorize_put, account_id=ctx.account_id, location_for=location_for,
    )  # fmt: skip
    return answer(
        start_response, result.status, [*result.headers, *request_headers(req, ctx.account_id)],
        result.body, operation="PostObject",
    )  # fmt: skip
