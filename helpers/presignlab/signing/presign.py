"""Presigned URLs with an explicit clock (botocore cannot be given one): SigV4 and SigV2.

The query parameters come in botocore's order, the signature last; the canonical request and
string to sign are :mod:`.sent_request`'s, the very functions the strict local S3 checks with.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from . import sigv2, sigv4
from .sent_request import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from .uri import parse_query

__all__ = ["presign_v2", "presign_v4"]


def _amz_date(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def presign_v4(
    method: str,
    url: str,
    *,
    access_key: str,
    secret_key: str,
    region: str,
    now: datetime,
    expires: int = 3600,
    headers: sigv4.HeaderPairs = (),
    session_token: str | None = None,
    service: str = "s3",
) -> str:
    """A SigV4 presigned URL for ``method`` on ``url`` (bucket and key already in it).

    ``headers`` are signed (``host`` always is), so the uploader must send them exactly. The
    query parameters come in botocore's order with the signature last.
    """
    parts = urlsplit(url)
    pairs = sigv4.header_pairs(headers)
    amz_date = _amz_date(now)
    params = [
        ("X-Amz-Algorithm", sigv4.ALGORITHM),
        ("X-Amz-Credential", f"{access_key}/{sigv4.credential_scope(amz_date, region, service)}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
    ]
    signed = sorted({"host", *(n.lower() for n, _ in pairs)})
    params.append(("X-Amz-SignedHeaders", ";".join(signed)))
    if session_token:
        params.append(("X-Amz-Security-Token", session_token))
    query = parse_query(parts.query) + params
    request = SentRequest.to_url(url, method, pairs)
    request = SentRequest(request.method, request.host, request.path, tuple(query), request.headers)
    to_sign = sigv4_string_to_sign(
        sigv4_canonical_request(request, signed), amz_date, region, service
    )
    sig = sigv4.signature(sigv4.signing_key(secret_key, amz_date, region, service), to_sign)
    encoded = "&".join(f"{sigv4.uri_encode(n)}={sigv4.uri_encode(v)}" for n, v in params)
    joined = f"{parts.query}&{encoded}" if parts.query else encoded
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}?{joined}&X-Amz-Signature={sig}"


def presign_v2(
    method: str,
    url: str,
    *,
    access_key: str,
    secret_key: str,
    expires_at: datetime,
    headers: sigv4.HeaderPairs = (),
    resource_path: str | None = None,
    session_token: str | None = None,
    hoist_headers: bool = False,
) -> str:
    """A SigV2 presigned URL; ``resource_path`` defaults to the URL's path (path-style).

    ``session_token`` travels in the query as ``x-amz-security-token`` and is signed like an
    ``x-amz-*`` header, as botocore does. With ``hoist_headers`` the signed headers
    (``x-amz-*``, ``Content-Type``, ``Content-MD5``) are also written into the query with
    lower-case names, as botocore's SigV2 presigner does: ``x-amz-*`` values then count as
    sent, while ``Content-Type`` and ``Content-MD5`` must still be sent as headers.
    """
    parts = urlsplit(url)
    expires = str(int(expires_at.timestamp()))
    pairs = sigv4.header_pairs(headers)
    extra: list[tuple[str, str]] = []
    if hoist_headers:
        extra += [
            (n.lower(), v)
            for n, v in pairs
            if n.lower().startswith("x-amz-") or n.lower() in ("content-type", "content-md5")
        ]
    if session_token is not None:
        extra.append(("x-amz-security-token", session_token))
    request = SentRequest.to_url(url, method, pairs)
    query = (*request.query, *extra)
    request = SentRequest(request.method, request.host, request.path, query, request.headers)
    to_sign = sigv2_string_to_sign(request, resource_path or request.path, expires)
    sig = sigv2.signature_v2(secret_key, to_sign)
    params = [("AWSAccessKeyId", access_key), ("Expires", expires), *extra, ("Signature", sig)]
    encoded = "&".join(f"{sigv4.uri_encode(n)}={sigv4.uri_encode(v)}" for n, v in params)
    joined = f"{parts.query}&{encoded}" if parts.query else encoded
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}?{joined}"
