"""Signature Version 2 query-string authentication (legacy, still made by boto3 in us-east-1).

From the Amazon S3 developer guide, "Signing and Authenticating REST Requests" (query string
request authentication alternative). The string to sign is::

    HTTP-Verb\\nContent-MD5\\nContent-Type\\nExpires\\nCanonicalizedAmzHeaders CanonicalizedResource

and the signature is the base64 HMAC-SHA1 of it under the secret key. Only these parts are
signed: a SigV2 URL leaves every other header (Content-Encoding, If-None-Match, Range, ...)
unsigned, which is one reason to prefer SigV4.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

from .sigv4 import HeaderPairs, header_pairs, uri_encode

__all__ = [
    "SUBRESOURCES",
    "canonical_amz_headers",
    "canonical_resource",
    "signature_v2",
    "string_to_sign_v2",
]

#: Query parameters that are part of the SigV2 CanonicalizedResource.
SUBRESOURCES = frozenset(
    {
        "accelerate",
        "acl",
        "analytics",
        "cors",
        "defaultObjectAcl",
        "delete",
        "inventory",
        "lifecycle",
        "location",
        "logging",
        "metrics",
        "notification",
        "object-lock",
        "partNumber",
        "policy",
        "replication",
        "requestPayment",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-content-type",
        "response-expires",
        "restore",
        "select",
        "select-type",
        "storageClass",
        "tagging",
        "torrent",
        "uploadId",
        "uploads",
        "versionId",
        "versioning",
        "versions",
        "website",
    }
)


def canonical_amz_headers(headers: HeaderPairs) -> str:
    """``x-amz-name:value\\n`` for each ``x-amz-*`` header, sorted, repeated values joined by ``,``."""
    found: dict[str, list[str]] = {}
    for name, value in header_pairs(headers):
        lower = name.lower()
        if lower.startswith("x-amz-"):
            found.setdefault(lower, []).append(value.strip())
    return "".join(f"{name}:{','.join(found[name])}\n" for name in sorted(found))


def canonical_resource(path: str | bytes, query: Iterable[tuple[str, str]] = ()) -> str:
    """``/bucket/key`` (the decoded path, encoded like the SDKs do) plus sorted sub-resources.

    The path always includes the bucket, even for virtual-hosted URLs. Sub-resource values are
    written decoded, and a sub-resource without a value is written without ``=``.
    """
    resource = uri_encode(path or "/", encode_slash=False)
    subs = sorted((n, v) for n, v in query if n in SUBRESOURCES)
    if subs:
        resource += "?" + "&".join(f"{n}={v}" if v else n for n, v in subs)
    return resource


def string_to_sign_v2(
    method: str,
    expires: int | str,
    resource: str,
    *,
    content_md5: str = "",
    content_type: str = "",
    amz_headers: HeaderPairs = (),
) -> str:
    """The SigV2 query-auth string to sign; ``expires`` is the epoch-seconds ``Expires`` value."""
    return (
        f"{method.upper()}\n{content_md5.strip()}\n{content_type.strip()}\n{expires}\n"
        f"{canonical_amz_headers(amz_headers)}{resource}"
    )


def signature_v2(secret_key: str, to_sign: str) -> str:
    """Base64 HMAC-SHA1 of the string to sign (the ``Signature`` query parameter, decoded)."""
    message = to_sign.encode("utf-8", "surrogateescape")  # non-UTF-8 header bytes sign as sent
    digest = hmac.new(secret_key.encode("utf-8"), message, hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")
