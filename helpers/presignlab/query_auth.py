"""Query-string authentication: what S3 computes for a request sent to a presigned URL.

:class:`SentRequest` is the request as it reaches S3 (method, Host, decoded path and query,
headers). :func:`sigv4_canonical_request` and :func:`sigv2_string_to_sign` turn it into the
text S3 signs, exactly as the strict local S3 and the diagnosis engine both need it, and
:func:`presign_v4` / :func:`presign_v2` make presigned URLs with an explicit clock, which
botocore cannot do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from . import sigv2, sigv4
from .query_string import parse_query, percent_decode

__all__ = [
    "SentRequest",
    "host_header",
    "presign_v2",
    "presign_v4",
    "sigv2_string_to_sign",
    "sigv4_canonical_request",
    "sigv4_string_to_sign",
]


@dataclass(frozen=True)
class SentRequest:
    """A request as S3 receives it. ``path`` and ``query`` are decoded."""

    method: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def to_url(cls, url: str, method: str = "GET", headers: sigv4.HeaderPairs = ()) -> SentRequest:
        """The request sent to ``url``; a ``Host`` header in ``headers`` overrides the URL's host."""
        parts = urlsplit(url)
        pairs = sigv4.header_pairs(headers)
        host = next((v for n, v in pairs if n.lower() == "host"), None) or host_header(url)
        return cls(
            method=method.upper(),
            host=host.strip(),
            path=percent_decode(parts.path or "/", what="the path"),
            query=tuple(parse_query(parts.query)),
            headers=tuple((n, v) for n, v in pairs if n.lower() != "host"),
        )

    def header(self, name: str) -> str | None:
        """The values of header ``name`` (any case) joined by ``,``, or None when absent."""
        found = [v for n, v in self.headers if n.lower() == name.lower()]
        return ",".join(found) if found else None

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (exact case), or None."""
        return next((v for n, v in self.query if n == name), None)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_header(url: str) -> str:
    """The ``Host`` header an HTTP client sends for ``url`` (and botocore signs).

    The host name is lower-cased, an IPv6 address keeps its brackets, user information is
    dropped, and the port is kept only when it is not the scheme's default (``:443`` for https,
    ``:80`` for http). A port that is not a number is kept as written.
    """
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    hostname = parts.hostname or ""
    if not hostname:
        return netloc
    host = f"[{hostname}]" if ":" in hostname else hostname
    try:
        port = parts.port
    except ValueError:
        return netloc.lower()
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return host


#: SigV4 query authentication parameters (lower-cased): never values of signed headers.
_AUTH_PARAMS = frozenset(
    {
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-expires",
        "x-amz-signedheaders",
        "x-amz-signature",
        "x-amz-security-token",
    }
)


def _signed_values(request: SentRequest, signed: Sequence[str]) -> list[tuple[str, str]]:
    """Header pairs for the signed names; a signed header absent as a header may come from the query.

    S3 accepts the value of a signed header from a query parameter of the same name (SDKs hoist
    some ``x-amz-*`` headers there), but the SigV4 authentication parameters themselves are never
    header values. A header sent as well wins over the query value.
    """
    names = {s.lower() for s in signed}
    # the Host value is request.host; a Host pair left in the headers must not count twice
    pairs = [(n, v) for n, v in request.headers if n.lower() in names and n.lower() != "host"]
    present = {n.lower() for n, _ in pairs}
    if "host" in names:
        pairs.append(("host", request.host))
        present.add("host")
    hoisted = {n.lower(): v for n, v in reversed(request.query) if n.lower() not in _AUTH_PARAMS}
    pairs += [(n, hoisted[n]) for n in sorted(names - present) if n in hoisted]
    return pairs


def sigv4_canonical_request(
    request: SentRequest, signed: Sequence[str], payload: str = sigv4.UNSIGNED_PAYLOAD
) -> str:
    """The canonical request S3 computes for ``request`` with SignedHeaders ``signed``."""
    return sigv4.canonical_request(
        request.method,
        sigv4.canonical_uri(request.path),
        sigv4.canonical_query_string(request.query),
        sigv4.canonical_headers(_signed_values(request, signed), signed),
        sigv4.signed_headers(signed),
        payload,
    )


def sigv4_string_to_sign(canonical: str, amz_date: str, region: str, service: str = "s3") -> str:
    """The SigV4 string to sign for a canonical request dated ``amz_date``."""
    return sigv4.string_to_sign(
        amz_date, sigv4.credential_scope(amz_date, region, service), canonical
    )


def sigv2_string_to_sign(request: SentRequest, resource_path: str, expires: str) -> str:
    """The SigV2 string to sign S3 computes. ``resource_path`` is ``/bucket/key`` (decoded).

    Content-MD5 and Content-Type come from the request headers. ``x-amz-*`` values come from
    the headers and, for names not sent as headers, from the query string (where botocore
    hoists them, ``x-amz-security-token`` included).
    """
    amz = [(n, v) for n, v in request.headers if n.lower().startswith("x-amz-")]
    sent = {n.lower() for n, _ in amz}
    amz += [
        (n, v) for n, v in request.query if n.lower().startswith("x-amz-") and n.lower() not in sent
    ]
    return sigv2.string_to_sign_v2(
        request.method,
        expires,
        sigv2.canonical_resource(resource_path, request.query),
        content_md5=request.header("content-md5") or "",
        content_type=request.header("content-type") or "",
        amz_headers=amz,
    )


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
