"""The request as Amazon S3 receives it, and the text S3 signs for it.

:class:`SentRequest` is the request as it reaches S3 (method, Host, decoded path and query,
headers). :func:`sigv4_canonical_request` and :func:`sigv2_string_to_sign` turn it into the
text S3 signs, exactly as the strict local S3 and the diagnosis engine both need it
(:mod:`.presign` makes presigned URLs from the same functions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import sigv2, sigv4
from .uri import parse_query, percent_decode

__all__ = [
    "SentRequest",
    "host_header",
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
