"""PutObject preconditions and digests, checked as Amazon S3 checks them (INTEG-01 to INTEG-14).

Three steps, for the server to call in this order:

1. :func:`check_put_headers` before the body is read: ``If-None-Match`` other than ``*`` (501
   NotImplemented), a malformed ``Content-MD5`` (400 InvalidDigest), several or malformed
   ``x-amz-checksum-*`` values (400 InvalidRequest). It returns a :class:`DigestSpec`.
2. :func:`check_preconditions` against the current object's ETag (None when the key does not
   exist): ``If-Match`` and ``If-None-Match: *`` (412 PreconditionFailed, or 404 NoSuchKey).
3. :class:`BodyVerifier` is fed the body while it is spooled (it is callable, so it can be an
   observer of :func:`presignlab.locals3.body.receive_body`); :meth:`BodyVerifier.finish`
   raises 400 BadDigest on a mismatch, so the server forwards nothing to moto.

UNCONFIRMED choices:

* ``If-Match`` on a key that does not exist gives 404 ``NoSuchKey`` ``The specified key does not
  exist.`` with ``<Key>``: the AWS conditional-writes guide documents NoSuchKey for this case.
  ``If-Match: *`` matches any existing object. ETags are compared without quotes; a
  comma-separated list matches if any entry does.
* When both ``If-Match`` and ``If-None-Match`` are sent, ``If-Match`` is checked first.
* Header check order: ``If-None-Match`` value, then ``Content-MD5``, then the number of checksum
  headers, then the checksum's format. In :meth:`BodyVerifier.finish`, Content-MD5 is compared
  before the checksum.
* A checksum value is valid when it is strict base64 (padding included) of exactly the
  algorithm's digest size.
* The checksum may also come from the query string (``hoisted``: signed headers a presigned URL
  carries as query parameters, which the server passes) or from an aws-chunked trailer named in
  ``x-amz-trailer`` (passed to :meth:`BodyVerifier.finish`).
* A trailer checksum that is announced but missing or malformed gives 400 InvalidRequest
  ``Value for x-amz-checksum-crc32 trailing header is invalid.``
* ExpectedDigest is the hex of the sent Content-MD5 (PutObject's shape; UploadPart echoes the
  base64 as sent: ``md5_expected_as_sent=True``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ...signing.sigv4 import HeaderPairs, header_pairs
from ..wire.catalogue import (
    bad_digest,
    checksum_value_invalid,
    invalid_digest,
    invalid_request,
    no_such_key,
    not_implemented_header,
    precondition_failed,
)
from .checksums import DIGEST_SIZES, new_digest

__all__ = [
    "CHECKSUM_PREFIX",
    "BodyVerifier",
    "DigestSpec",
    "check_conditional_headers",
    "check_preconditions",
    "check_put_headers",
]

CHECKSUM_PREFIX = "x-amz-checksum-"


@dataclass(frozen=True)
class DigestSpec:
    """What the body must hash to. ``checksum_algorithm`` is upper-case (``CRC32``…).

    ``checksum_value`` is None when the checksum is announced as an aws-chunked trailer
    (``x-amz-trailer: x-amz-checksum-crc32``) and arrives only after the body.
    """

    content_md5: str | None = None
    checksum_algorithm: str | None = None
    checksum_value: str | None = None


def _values(headers: HeaderPairs, name: str) -> list[str]:
    return [v for n, v in header_pairs(headers) if n.lower() == name]


def _strict_b64(value: str, size: int) -> bytes | None:
    try:
        raw = base64.b64decode(value.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeError, ValueError):
        return None
    return raw if len(raw) == size else None


def check_conditional_headers(headers: HeaderPairs) -> None:
    """INTEG-04, INTEG-05: the conditional-write headers S3 takes (PutObject, CopyObject)."""
    if_none_match = _values(headers, "if-none-match")
    if_match = _values(headers, "if-match")
    if if_match and if_none_match:
        raise not_implemented_header(
            "If-Match,If-None-Match", "Multiple conditional request headers present in the request"
        )
    if if_match and ",".join(if_match).strip() == "*":
        raise not_implemented_header(
            "If-Match", "We don't accept the provided value of If-Match header for this API"
        )
    if if_none_match and ",".join(if_none_match).strip() != "*":
        raise not_implemented_header(
            "If-None-Match",
            "We don't accept the provided value of If-None-Match header for this API",
        )


def check_put_headers(
    headers: HeaderPairs, *, hoisted: Iterable[tuple[str, str]] = ()
) -> DigestSpec:
    """INTEG-04 to INTEG-08, INTEG-11, INTEG-12: refuse bad conditional and digest headers.

    Checked before the body is read and before the key is looked up.
    """
    check_conditional_headers(headers)
    md5 = _values(headers, "content-md5")

    content_md5 = ",".join(md5) if md5 else None
    if content_md5 is not None and _strict_b64(content_md5, 16) is None:
        raise invalid_digest(content_md5)
    found: dict[str, str] = {}
    for name, value in [*header_pairs(headers), *hoisted]:
        lower = name.lower()
        if (
            lower.startswith(CHECKSUM_PREFIX)
            and lower not in found
            and lower[len(CHECKSUM_PREFIX) :] not in ("type", "algorithm")
        ):
            found[lower] = value
    trailer = ",".join(_values(headers, "x-amz-trailer")).strip().lower()
    if trailer.startswith(CHECKSUM_PREFIX) and trailer not in found:
        found[trailer] = ""
    if len(found) > 1:
        raise invalid_request(
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
        )
    if not found:
        return DigestSpec(content_md5)
    name, value = next(iter(found.items()))
    algorithm = name[len(CHECKSUM_PREFIX) :].upper()
    if name == trailer and value == "":
        if algorithm not in DIGEST_SIZES:
            raise checksum_value_invalid(name, trailing=True)
        return DigestSpec(content_md5, algorithm, None)
    if algorithm not in DIGEST_SIZES or _strict_b64(value, DIGEST_SIZES[algorithm]) is None:
        raise checksum_value_invalid(name)
    return DigestSpec(content_md5, algorithm, value.strip())


def _etags(value: str) -> set[str]:
    return {part.strip().strip('"') for part in value.split(",") if part.strip()}


def check_preconditions(headers: HeaderPairs, *, key: str, current_etag: str | None) -> None:
    """INTEG-01 to INTEG-03: conditional writes against the current object (None: no object)."""
    if_match = _values(headers, "if-match")
    if if_match:
        if current_etag is None:
            raise no_such_key(key)
        wanted = _etags(",".join(if_match))
        if "*" not in wanted and current_etag.strip('"') not in wanted:
            raise precondition_failed("If-Match")
    if_none_match = _values(headers, "if-none-match")
    if if_none_match and current_etag is not None:
        raise precondition_failed("If-None-Match")


class BodyVerifier:
    """Hashes a body as it streams and checks it against a :class:`DigestSpec` at the end."""

    def __init__(self, spec: DigestSpec, *, md5_expected_as_sent: bool = False) -> None:
        self.spec = spec
        self._md5_as_sent = md5_expected_as_sent
        self._md5 = hashlib.md5(usedforsecurity=False) if spec.content_md5 is not None else None
        self._checksum = new_digest(spec.checksum_algorithm) if spec.checksum_algorithm else None
        self.size = 0
        self.computed: dict[str, str] = {}

    def update(self, data: bytes) -> None:
        """Feed the next chunk of the (decoded) body."""
        self.size += len(data)
        if self._md5 is not None:
            self._md5.update(data)
        if self._checksum is not None:
            self._checksum.update(data)

    __call__ = update

    def finish(self, trailers: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
        """Raise BadDigest on a mismatch (rows 24, 24c); else return the computed values.

        The result maps ``content-md5`` and ``x-amz-checksum-<algo>`` to base64 digests, for
        the server to echo. ``trailers`` are the aws-chunked trailers when the checksum was
        announced in ``x-amz-trailer``.
        """
        spec = self.spec
        if self._md5 is not None and spec.content_md5 is not None:
            calculated = base64.b64encode(self._md5.digest()).decode("ascii")
            self.computed["content-md5"] = calculated
            sent = spec.content_md5.strip()
            if calculated != sent:
                expected = sent if self._md5_as_sent else base64.b64decode(sent).hex()
                raise bad_digest(None, expected, calculated)
        if self._checksum is not None and spec.checksum_algorithm is not None:
            algorithm = spec.checksum_algorithm
            name = CHECKSUM_PREFIX + algorithm.lower()
            calculated = base64.b64encode(self._checksum.digest()).decode("ascii")
            self.computed[name] = calculated
            value = spec.checksum_value
            if value is None:
                value = next((v.strip() for n, v in trailers if n.lower() == name), None)
                if value is None or _strict_b64(value, DIGEST_SIZES[algorithm]) is None:
                    raise checksum_value_invalid(name, trailing=True)
            if calculated != value:
                raise bad_digest(algorithm)
        return dict(self.computed)
