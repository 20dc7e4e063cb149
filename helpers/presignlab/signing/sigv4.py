"""Signature Version 4 for Amazon S3, one pure function per step of the spec.

The steps follow the AWS S3 API reference, "Authenticating Requests: Using Query
Parameters (AWS Signature Version 4)" and "Signature Calculations for the
Authorization Header":

1. :func:`canonical_request` from :func:`canonical_uri`, :func:`canonical_query_string`,
   :func:`canonical_headers`, :func:`signed_headers` and :func:`payload_hash`;
2. :func:`string_to_sign` from the request date, :func:`credential_scope` and the
   SHA-256 of the canonical request;
3. :func:`signing_key` derived from the secret key, date, region and service;
4. :func:`signature`, the lower-case hex HMAC-SHA256 of the string to sign.

What is special about S3 (compared with other AWS services) lives in one place:
:func:`canonical_uri` encodes the path exactly once and never normalises it, and
presigned requests use the literal payload hash ``UNSIGNED-PAYLOAD``.

Every function is pure: nothing here mutates its arguments or reads the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "ALGORITHM",
    "MAX_EXPIRES",
    "TERMINATOR",
    "UNSIGNED_PAYLOAD",
    "HeaderPairs",
    "canonical_headers",
    "canonical_query_string",
    "canonical_request",
    "canonical_uri",
    "credential_scope",
    "header_pairs",
    "is_sha256_hex",
    "payload_hash",
    "sha256_hex",
    "signature",
    "signed_headers",
    "signing_key",
    "string_to_sign",
    "uri_encode",
]

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
#: X-Amz-Expires may be at most one week, in seconds.
MAX_EXPIRES = 604800

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")

HeaderPairs = Iterable[tuple[str, str]] | Mapping[str, str]


def uri_encode(value: str | bytes, *, encode_slash: bool = True) -> str:
    """AWS ``UriEncode``: every byte outside ``A-Za-z0-9-._~`` becomes ``%XX`` (upper-case hex).

    Strings are encoded as UTF-8 first. A space becomes ``%20``, never ``+``.
    ``encode_slash=False`` keeps ``/`` as is, which is the rule for the object key in the path.
    """
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    out = []
    for byte in data:
        if byte in _UNRESERVED or (byte == 0x2F and not encode_slash):
            out.append(chr(byte))
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def canonical_uri(path: str | bytes) -> str:
    """The CanonicalURI line for S3: the *decoded* path, each byte encoded once, ``/`` kept.

    S3 does not normalise the path: ``//``, ``.`` and ``..`` segments are kept as they are.
    An empty path is ``/``.
    """
    if not path:
        return "/"
    return uri_encode(path, encode_slash=False)


def canonical_query_string(params: Iterable[tuple[str, str]]) -> str:
    """The CanonicalQueryString line from *decoded* ``(name, value)`` pairs.

    Names and values are UriEncoded (``/`` included), ``X-Amz-Signature`` is left out, and the
    pairs are sorted by encoded name, then encoded value, in byte order.
    """
    encoded = sorted(
        (uri_encode(name), uri_encode(value)) for name, value in params if name != "X-Amz-Signature"
    )
    return "&".join(f"{name}={value}" for name, value in encoded)


def header_pairs(headers: HeaderPairs) -> list[tuple[str, str]]:
    """Headers as a list of ``(name, value)`` pairs, whatever form they came in."""
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _normalise_value(value: str) -> str:
    return " ".join(value.split())


def canonical_headers(headers: HeaderPairs, signed: Iterable[str]) -> str:
    """The CanonicalHeaders block: ``name:value\\n`` for each signed header, sorted by name.

    Names are lower-cased; values are trimmed with inner runs of white space collapsed to one
    space; repeated headers are joined with ``,``. A signed header the request lacks is written
    with an empty value, which is what S3 does when it recomputes the request.
    """
    wanted = sorted({name.lower() for name in signed})
    values: dict[str, list[str]] = {name: [] for name in wanted}
    for name, value in header_pairs(headers):
        lower = name.lower()
        if lower in values:
            values[lower].append(_normalise_value(value))
    return "".join(f"{name}:{','.join(values[name])}\n" for name in wanted)


def signed_headers(names: Iterable[str]) -> str:
    """The SignedHeaders line: lower-cased, de-duplicated, sorted names joined by ``;``."""
    return ";".join(sorted({name.lower() for name in names}))


def sha256_hex(data: str | bytes) -> str:
    """Lower-case hex SHA-256 of ``data`` (strings as UTF-8; surrogate escapes as their raw bytes)."""
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def is_sha256_hex(value: str | None) -> bool:
    """True when ``value`` is a hex SHA-256 (64 hex digits), as a declared payload hash can be."""
    return value is not None and _SHA256_HEX.fullmatch(value) is not None


def payload_hash(body: bytes | None = None) -> str:
    """The payload line: ``UNSIGNED-PAYLOAD`` for presigned S3 requests, else SHA-256 of the body."""
    return UNSIGNED_PAYLOAD if body is None else sha256_hex(body)


def canonical_request(
    method: str,
    uri: str,
    query: str,
    headers_block: str,
    signed: str,
    payload: str = UNSIGNED_PAYLOAD,
) -> str:
    """Join the six parts of a canonical request.

    ``uri``, ``query``, ``headers_block`` and ``signed`` are the outputs of
    :func:`canonical_uri`, :func:`canonical_query_string`, :func:`canonical_headers` and
    :func:`signed_headers`. The headers block ends with a newline, so a blank line follows it.
    """
    return "\n".join([method.upper(), uri, query, headers_block, signed, payload])


def credential_scope(date: str, region: str, service: str = "s3") -> str:
    """``YYYYMMDD/region/service/aws4_request``; ``date`` may be a full ``X-Amz-Date``."""
    return f"{date[:8]}/{region}/{service}/{TERMINATOR}"


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """``AWS4-HMAC-SHA256``, the request date, the scope and the hex SHA-256 of the canonical request."""
    return "\n".join([ALGORITHM, amz_date, scope, sha256_hex(canonical)])


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, region: str, service: str = "s3") -> bytes:
    """Derive the signing key: HMAC chain over date, region, service and ``aws4_request``."""
    key = _hmac(f"AWS4{secret_key}".encode(), date[:8])
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, TERMINATOR)


def signature(key: bytes, to_sign: str) -> str:
    """The signature: lower-case hex HMAC-SHA256 of the string to sign (not base64)."""
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
