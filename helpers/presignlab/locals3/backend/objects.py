"""Objects the strict layer received itself, handed to moto's store.

* :func:`store_object` stores a presigned POST upload (its file part, spooled by the layer)
  through moto's S3 backend with the form's metadata;
* :func:`adopt_spooled_body` gives a large PutObject's spooled body to the ``FakeKey`` moto just
  created with an empty body, so moto never holds a large object in memory: moto's request
  handling reads a whole body into one ``bytes`` object and copies it again (``request.data``,
  then ``FakeKey.value``), although ``FakeKey`` itself keeps the object in a
  ``SpooledTemporaryFile`` that rolls over to disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from ..body.checksums import DEFAULT_CHECKSUM, b64_digest
from .state import _s3_backend

__all__ = [
    "StoredObject",
    "adopt_spooled_body",
    "checksum_type",
    "is_storage_class",
    "set_checksum",
    "store_object",
]


@dataclass(frozen=True)
class StoredObject:
    """What a store reports: the ETag (quoted) and the version id (None when unversioned)."""

    etag: str
    version_id: str | None
    checksum: tuple[str, str] | None = None


def is_storage_class(name: str) -> bool:
    """Whether ``name`` is a storage class S3 knows (moto's list of them)."""
    from moto.s3.utils import STORAGE_CLASS

    return name in STORAGE_CLASS


def store_object(
    account_id: str,
    bucket: str,
    key: str,
    body: IO[bytes],
    *,
    storage: str | None,
    metadata: Mapping[str, str],
    tags: Mapping[str, str] | None = None,
) -> StoredObject:
    """Store ``body`` (read once, after every check passed) as ``bucket/key``, with its tags."""
    backend = _s3_backend(account_id)
    data = body.read()
    stored = backend.put_object(bucket, key, data, storage=storage, request_method="POST")
    stored.set_metadata(dict(metadata))
    if not stored.checksum_value:  # INTEG-10: the default full-object CRC64NVME
        stored.checksum_algorithm, stored.checksum_type = DEFAULT_CHECKSUM, "FULL_OBJECT"
        stored.checksum_value = b64_digest(DEFAULT_CHECKSUM, data)
    if tags:
        backend.put_object_tagging(stored, dict(tags))
    version = getattr(stored, "version_id", None)
    checksum = (str(stored.checksum_algorithm), str(stored.checksum_value))
    return StoredObject(
        str(stored.etag), None if version in (None, "null") else str(version), checksum
    )


def checksum_type(account_id: str, bucket: str, key: str, version: str | None) -> str | None:
    """The checksum type (``FULL_OBJECT``, ``COMPOSITE``) of an object, or None."""
    try:
        found = _s3_backend(account_id).get_object(bucket, key, version_id=version)
    except Exception:  # noqa: BLE001 - moto raises its own "missing" errors
        return None
    if found is None or not found.checksum_algorithm:
        return None
    return str(found.checksum_type or "FULL_OBJECT")


def set_checksum(
    account_id: str, bucket: str, key: str, version: str | None, algorithm: str, value: str
) -> bool:
    """Record a full-object checksum on the object moto just stored; False if none is found."""
    try:
        found = _s3_backend(account_id).get_object(bucket, key, version_id=version)
    except Exception:  # noqa: BLE001 - moto raises its own "missing" errors
        found = None
    if found is None:
        return False
    found.checksum_algorithm = algorithm
    found.checksum_value = value
    found.checksum_type = "FULL_OBJECT"
    return True


def adopt_spooled_body(
    account_id: str,
    bucket: str,
    key: str,
    version: str | None,
    spool: IO[bytes],
    length: int,
    md5_hex: str,
) -> bool:
    """Give ``spool`` to the FakeKey moto just created; False (spool not taken) if none is found."""
    backend = _s3_backend(account_id)
    try:
        found = backend.get_object(bucket, key, version_id=version)
    except Exception:  # noqa: BLE001 - moto raises its own "missing" errors
        found = None
    if found is None:
        return False
    spool.seek(0)
    with found.lock:
        old, found._value_buffer = found._value_buffer, spool
        found.contentsize = length
        found._etag = md5_hex
    old.close()
    return True
