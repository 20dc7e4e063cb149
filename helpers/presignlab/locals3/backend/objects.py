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

from .state import _s3_backend

__all__ = ["StoredObject", "adopt_spooled_body", "is_storage_class", "store_object"]


@dataclass(frozen=True)
class StoredObject:
    """What a store reports: the ETag (quoted) and the version id (None when unversioned)."""

    etag: str
    version_id: str | None


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
) -> StoredObject:
    """Store ``body`` (read once, after every check passed) as ``bucket/key``."""
    backend = _s3_backend(account_id)
    stored = backend.put_object(bucket, key, body.read(), storage=storage, request_method="POST")
    stored.set_metadata(dict(metadata))
    version = getattr(stored, "version_id", None)
    return StoredObject(str(stored.etag), None if version in (None, "null") else str(version))


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
