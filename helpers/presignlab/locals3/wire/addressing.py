"""Which bucket and key a request names: the ``Host`` header and the path, read once.

S3 finds the bucket either in the path (path style: ``/bucket/key``) or in the ``Host`` header
(virtual-hosted style: ``bucket.s3.region.amazonaws.com/key``, and CNAME style, where the whole
host name is the bucket name). Rules (docs/aws-behaviour.md, "Addressing"):

* ``localhost``, an IP address, a single-label name and an S3 service endpoint
  (``s3.amazonaws.com``, ``s3.REGION.amazonaws.com``, ``s3-REGION…``, dualstack and FIPS forms)
  are path style;
* ``BUCKET.localhost`` (the local stand-in for a regional endpoint) and
  ``BUCKET.s3[.-]…amazonaws.com`` are virtual-hosted: the bucket is everything before the
  endpoint, dots included;
* any other dotted host is CNAME style: the bucket is the host name itself (S3 User Guide,
  "Virtual hosting of buckets"), so a host naming no bucket answers NoSuchBucket.

A bucket name is checked before anything else reads it: characters outside the set S3 has
ever allowed in a bucket name (letters, digits, ``.``, ``-``, ``_``, at most 255) give 400
``InvalidBucketName``; CreateBucket applies the stricter rules for new buckets
(:func:`check_new_bucket_name`). Object keys must be UTF-8 (else 400 ``InvalidURI``) and at
most 1024 bytes (else 400 ``KeyTooLongError``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal

from .catalogue import invalid_bucket_name, invalid_uri, key_too_long

__all__ = [
    "MAX_KEY_BYTES",
    "Addressing",
    "Target",
    "check_new_bucket_name",
    "resolve_target",
]

Addressing = Literal["path", "virtual", "cname"]

#: S3's limit on an object key's UTF-8 length.
MAX_KEY_BYTES = 1024

_ANY_BUCKET_NAME = re.compile(r"[A-Za-z0-9._-]{1,255}")
_NEW_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IPV4_LIKE = re.compile(r"\d+\.\d+\.\d+\.\d+")
_RESERVED = (("xn--", "sthree-", "amzn-s3-demo-"), ("-s3alias", "--ol-s3", ".mrap", "--x-s3"))
# an S3 endpoint: s3.amazonaws.com, s3.REGION.amazonaws.com, s3-REGION.amazonaws.com,
# s3.dualstack.REGION.amazonaws.com, s3-fips.REGION.amazonaws.com
_ENDPOINT = re.compile(
    r"(?:^|\.)s3(?:[.-](?:dualstack|fips))*(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$"
)
_LOCAL_SUFFIX = ".localhost"


@dataclass(frozen=True)
class Target:
    """What the request names: addressing style, bucket, key, and the endpoint's region if any."""

    addressing: Addressing
    bucket: str | None
    key: str | None
    endpoint_region: str | None = None


def _host_name(host: str) -> str:
    """The host without its port, lower-cased (IPv6 brackets kept)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def _bucket_from_host(name: str) -> tuple[Addressing, str | None, str | None]:
    """``(style, bucket in the host or None, endpoint region or None)``."""
    if not name or name == "localhost" or "." not in name or _is_ip(name):
        return "path", None, None
    if name.endswith(_LOCAL_SUFFIX):
        return "virtual", name[: -len(_LOCAL_SUFFIX)], None
    endpoint = _ENDPOINT.search(name)
    if endpoint is not None:
        region = endpoint.group("region")
        if region in (None, "external-1"):
            region = "us-east-1" if region is None else region
        prefix = name[: endpoint.start()]
        if not prefix:
            return "path", None, region
        return "virtual", prefix, region
    return "cname", name, None


def _checked_bucket(bucket: str) -> str:
    if not _ANY_BUCKET_NAME.fullmatch(bucket):
        raise invalid_bucket_name(bucket)
    return bucket


def _checked_key(key: str) -> str:
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise invalid_uri() from None
    if size > MAX_KEY_BYTES:
        raise key_too_long(key, size)
    return key


def resolve_target(host: str, path: str) -> Target:
    """The bucket and key of a request with ``Host: host`` and decoded ``path``.

    Raises the catalogue's ``InvalidBucketName``, ``InvalidURI`` or ``KeyTooLongError``.
    """
    style, bucket, region = _bucket_from_host(_host_name(host))
    rest = path.removeprefix("/")
    if bucket is None:
        first, _, key = rest.partition("/")
        if not first:
            return Target("path", None, None, region)
        return Target("path", _checked_bucket(first), _checked_key(key) if key else None, region)
    if not bucket:
        raise invalid_bucket_name(bucket)
    return Target(style, _checked_bucket(bucket), _checked_key(rest) if rest else None, region)


def check_new_bucket_name(bucket: str) -> None:
    """The naming rules for a new general purpose bucket (S3 User Guide, "Bucket naming rules")."""
    prefixes, suffixes = _RESERVED
    if (
        not _NEW_BUCKET_NAME.fullmatch(bucket)
        or ".." in bucket
        or _IPV4_LIKE.fullmatch(bucket)
        or bucket.startswith(prefixes)
        or bucket.endswith(suffixes)
    ):
        raise invalid_bucket_name(bucket)
