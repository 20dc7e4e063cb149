"""IAM and STS on the local endpoint: authenticated, authorized, then answered (moto, or us).

:func:`handle_query_api` reads the query-API call (``Action`` and its parameters, from the form
body and the query string; the body is bounded), authenticates it over the body's SHA-256,
validates and authorizes it (:mod:`.authorize`), and answers: GetSessionToken and
GetCallerIdentity here (:mod:`.sts`), everything else by moto, which receives the parsed
parameters re-encoded and the caller's access key id, nothing else. An AssumeRole session is
dated on the LocalS3 clock.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.types import StartResponse

from ..authn import authenticate
from ..backend.moto_app import call_query_api
from ..body.receive import receive_body
from ..context import S3Context
from ..wire.catalogue import (
    malformed_policy_document,
    missing_authentication_token,
    request_entity_too_large,
)
from ..wire.limits import json_too_deep
from ..wire.render import status_line
from ..wire.request import S3Request
from .authorize import authorize_query_api, check_role_session_name
from .sts import get_caller_identity, get_session_token, redate_assumed_role

__all__ = ["MAX_QUERY_API_BODY", "handle_query_api"]

#: IAM and STS query-API bodies are small; larger ones are refused.
MAX_QUERY_API_BODY = 1024 * 1024
_DOCUMENT_PARAMS = ("PolicyDocument", "AssumeRolePolicyDocument", "Policy")


def _read_body(req: S3Request, stream: Any) -> bytes:
    if req.content_length is not None and req.content_length > MAX_QUERY_API_BODY:
        raise request_entity_too_large()
    limit = req.content_length if req.content_length is not None or req.chunked_transfer else 0
    spool, _, _ = receive_body(
        stream,
        limit,
        declared_sha256=None,
        max_size=MAX_QUERY_API_BODY,
        too_large=lambda _size: request_entity_too_large(),
    )
    with spool:
        return spool.read()


def _params(body: bytes, req: S3Request) -> list[tuple[str, str]]:
    pairs = list(req.sent.query)
    with contextlib.suppress(UnicodeError):
        pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    return pairs


def _check_documents(params: dict[str, str]) -> None:
    for name in _DOCUMENT_PARAMS:
        if name in params and json_too_deep(params[name]):
            raise malformed_policy_document()


def handle_query_api(
    req: S3Request, ctx: S3Context, stream: Any, start_response: StartResponse
) -> Iterable[bytes]:
    """Answer one IAM or STS call; raises the catalogue's S3Error for any refusal."""
    body = _read_body(req, stream)
    auth = authenticate(
        req.sent, bucket_region=None, store=ctx.store, now=ctx.now, service=req.service,
        body_sha256=hashlib.sha256(body).hexdigest(),
    )  # fmt: skip
    if auth.credential is None:
        raise missing_authentication_token()
    pairs = _params(body, req)
    params = dict(reversed(pairs))
    action = params.get("Action", "")
    caller = auth.credential.principal
    if req.service == "sts" and action == "AssumeRole":
        check_role_session_name(params)
    _check_documents(params)
    authorize_query_api(req.service, action, params, caller, now=ctx.now, scheme=auth.scheme)
    if req.service == "sts" and action in ("GetSessionToken", "GetCallerIdentity"):
        status, headers, answer = (
            get_session_token(ctx.store, auth.credential, params, ctx.now)
            if action == "GetSessionToken"
            else get_caller_identity(caller, auth.credential.access_key_id)
        )
        start_response(status_line(status), headers)
        return [answer]
    result = call_query_api(
        req.service, pairs, access_key_id=auth.credential.access_key_id,
        region=auth.region or "us-east-1",
    )  # fmt: skip
    parts = list(result.body)
    headers = result.headers
    if req.service == "sts" and action == "AssumeRole" and result.code == 200:
        parts = [redate_assumed_role(ctx.store, b"".join(parts), ctx.now)]
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        headers.append(("Content-Length", str(len(parts[0]))))
    start_response(result.status, headers)
    return parts
