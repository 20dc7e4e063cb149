"""The S3 request pipeline, in AWS's order (docs/ARCHITECTURE.md):

CORS preflight -> presigned POST -> Content-Length rules -> authentication -> authorization
-> integrity pre-body checks -> body (spooled and verified) -> moto -> CORS response headers
and new-bucket defaults.

UNCONFIRMED choices:

* 411 MissingContentLength is answered before authentication (an HTTP-level rule);
* for PutBucketPolicy / PutBucketAcl / PutObjectAcl the (small) body is received before
  authorization, which needs it, so a wrong ``x-amz-content-sha256`` there answers first;
* a PUT with ``Transfer-Encoding: chunked`` that is not aws-chunked (e.g. ``requests`` sending a
  generator) is 501 NotImplemented naming the header, as S3 does not take HTTP chunked bodies;
* an aws-chunked body whose decoded length differs from ``x-amz-decoded-content-length`` is 400
  ``IncompleteBody``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from .. import sigv4
from . import adapters
from . import authz
from .body import large_put
from .backend import state as moto_glue
from .authn import AuthResult, authenticate
from .authn.header import parse_authorization_v4
from .authn.sigv4_query import parse_credential
from .body.aws_chunked import STREAMING_FORMS, ChunkSigner, incomplete_body
from .body.receive import (
    Observer,
    PassThroughBody,
    missing_content_length,
    receive_body,
    transfer_encoding_not_implemented,
)
from .context import S3Context
from .body.integrity import DigestSpec
from .backend.app import call_moto, hand_body_to_moto
from .wire.request import IncomingRequest

__all__ = ["handle_s3"]

_BODY_FOR_AUTHZ = ("policy", "acl")
_MAX_AUTHZ_BODY = 1024 * 1024
_BYTE_RANGE = re.compile(r"^\s*bytes\s*=[^=]*$", re.IGNORECASE)


def _resource_path(req: IncomingRequest) -> str:
    """SigV2's ``/bucket/key``: the path itself, or ``/bucket`` + path for virtual-host requests."""
    if req.virtual_host and req.bucket:
        return f"/{req.bucket}{req.sent.path}"
    return req.sent.path


def _chunk_signer(req: IncomingRequest, auth: AuthResult) -> ChunkSigner | None:
    declared = req.header("x-amz-content-sha256") or ""
    authorization = req.header("authorization") or ""
    if not declared.startswith("STREAMING-AWS4-HMAC-SHA256") or auth.credential is None:
        return None
    parsed = parse_authorization_v4(authorization)
    scope = parse_credential(parsed.credential, service="s3", header=True)
    amz_date = (req.header("x-amz-date") or "").strip()
    return ChunkSigner(
        signing_key=sigv4.signing_key(auth.credential.secret_key, scope.date, scope.region, "s3"),
        amz_date=amz_date,
        scope=sigv4.credential_scope(scope.date, scope.region, "s3"),
        previous=parsed.signature,
    )


def _is_aws_chunked(req: IncomingRequest) -> bool:
    declared = req.header("x-amz-content-sha256") or ""
    encoding = (req.header("content-encoding") or "").lower()
    return declared in STREAMING_FORMS or "aws-chunked" in encoding


def _chunked_header_changes(
    req: IncomingRequest, trailers: list[tuple[str, str]]
) -> list[tuple[str, str | None]]:
    encodings = [e.strip() for e in (req.header("content-encoding") or "").split(",")]
    kept = ",".join(e for e in encodings if e and e.lower() != "aws-chunked")
    changes: list[tuple[str, str | None]] = [
        ("x-amz-content-sha256", sigv4.UNSIGNED_PAYLOAD),
        ("x-amz-decoded-content-length", None),
        ("x-amz-trailer", None),
    ]
    changes += [(name, value) for name, value in trailers if name.startswith("x-amz-checksum-")]
    if kept:
        changes.append(("content-encoding", kept))
    return changes


def _receive(
    environ: dict[str, Any],
    req: IncomingRequest,
    auth: AuthResult,
    spec: DigestSpec | None = None,
    *,
    spool_always: bool = False,
    also: Sequence[Observer] = (),
) -> tuple[IO[bytes], int] | None:
    """Hand the body to moto: spooled and verified when a digest applies, else streamed.

    Returns the spool (to close after moto) or None when nothing was spooled.
    """
    if not req.content_length and not req.chunked_transfer:
        return None
    chunked = _is_aws_chunked(req)
    verifier = adapters.body_verifier(req, spec)
    hex_payload = sigv4.is_sha256_hex(auth.payload_hash)
    if not (spool_always or chunked or verifier or hex_payload or req.content_length is None):
        hand_body_to_moto(
            environ, PassThroughBody(environ["wsgi.input"], req.content_length), req.content_length
        )
        return None
    spool, length, trailers = receive_body(
        environ["wsgi.input"],
        req.content_length,
        declared_sha256=None if chunked else auth.payload_hash,
        observers=[*([verifier.update] if verifier is not None else []), *also],
        chunk_signer=_chunk_signer(req, auth) if chunked else None,
        aws_chunked=chunked,
    )
    changes: list[tuple[str, str | None]] = []
    if chunked:
        decoded = req.header("x-amz-decoded-content-length")
        if decoded is not None and decoded.strip() != str(length):
            spool.close()
            raise incomplete_body()
        changes = _chunked_header_changes(req, trailers)
    if verifier is not None:
        try:
            verifier.finish(trailers)
        except BaseException:
            spool.close()
            raise
    hand_body_to_moto(environ, spool, length, header_changes=changes)
    return spool, length


def _drop_range_moto_misreads(environ: dict[str, Any], method: str) -> None:
    """S3 honours ``Range`` only on GET and HEAD, and ignores one it cannot parse.

    moto applies ``Range`` to every 200 answer (a PUT's too: 416 after storing the object) and
    raises on a value without ``=`` (a 500), so such a header never reaches moto.
    """
    value = environ.get("HTTP_RANGE")
    if value is not None and (method not in ("GET", "HEAD") or not _BYTE_RANGE.match(value)):
        del environ["HTTP_RANGE"]


def _body_bytes(spooled: tuple[IO[bytes], int] | None) -> bytes | None:
    if spooled is None:
        return b""
    spool, length = spooled
    data = spool.read(min(length, _MAX_AUTHZ_BODY))
    spool.seek(0)
    return data


def handle_s3(
    environ: dict[str, Any], req: IncomingRequest, ctx: S3Context, start_response: Any
) -> Iterable[bytes]:
    """Answer one S3 request; raises S3Error for any failure before moto."""
    sent = req.sent
    if sent.method == "OPTIONS":
        return adapters.cors_preflight(req, ctx, start_response)
    if adapters.is_post_upload(req):
        return adapters.post_upload(environ, req, ctx, start_response)
    if sent.method == "PUT" and req.key and req.content_length is None and not req.chunked_transfer:
        raise missing_content_length()
    if sent.method == "PUT" and req.key and req.chunked_transfer and not _is_aws_chunked(req):
        raise transfer_encoding_not_implemented()
    region = moto_glue.bucket_region(ctx.account_id, req.bucket)
    auth = authenticate(
        sent,
        bucket_region=region,
        store=ctx.store,
        now=ctx.now,
        resource_path=_resource_path(req),
    )
    principal = auth.credential.principal if auth.credential is not None else None
    names = {name for name, _ in sent.query}
    early = sent.method == "PUT" and bool(names & set(_BODY_FOR_AUTHZ))
    spooled = _receive(environ, req, auth, spool_always=True) if early else None
    try:
        authz.authorize(
            principal, sent, bucket=req.bucket, key=req.key, account_id=ctx.account_id,
            scheme=auth.scheme, now=ctx.now, body=_body_bytes(spooled) if early else None,
        )  # fmt: skip
        spec = adapters.check_before_body(req, ctx, auth.signed_headers)
        large = not early and large_put.applies(req)
        md5 = hashlib.md5(usedforsecurity=False)
        if not early:
            also = [md5.update] if large else []
            spooled = _receive(environ, req, auth, spec, spool_always=large, also=also)
        if large and spooled is not None:
            large_put.empty_body_for_moto(environ)
        _drop_range_moto_misreads(environ, sent.method)
        answer = call_moto("s3", environ)
        if large and spooled is not None and large_put.adopt_spooled_body(
            ctx.account_id, req, answer, spooled[0], spooled[1], md5.hexdigest()
        ):
            spooled = None  # moto's FakeKey owns the file now
    finally:
        if spooled is not None:
            spooled[0].close()
    headers = answer.headers + adapters.cors_response_headers(req, ctx)
    created = sent.method == "PUT" and req.bucket and not req.key and not sent.query
    if created and region is None and answer.code == 200:
        # Only a bucket that did not exist gets AWS's defaults; a repeated CreateBucket in
        # us-east-1 (200, "already owned by you") must not undo the owner's later changes.
        adapters.new_bucket_defaults(ctx.account_id, req.bucket)
    start_response(answer.status, headers)
    return answer.body
