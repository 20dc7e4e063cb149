"""Large PutObject bodies stored without moto ever holding them in memory.

moto's request handling reads a whole body into one ``bytes`` object and copies it again
(``request.data``, then ``FakeKey.value``), so a 1 GiB upload costs moto about 2 GiB of memory
although ``FakeKey`` itself keeps the object in a ``SpooledTemporaryFile`` that rolls over to
disk. For a plain PutObject of at least :data:`STREAM_STORE_MIN` bytes the strict layer
therefore spools the (verified) body to disk itself, computing its MD5 on the way, lets moto
run the PutObject with an empty body (metadata, ACL, tagging, versioning, locks as usual), and
then gives the spooled file to moto's new ``FakeKey`` as its buffer, with the right size and
ETag, and fixes the ETag of moto's answer. Memory stays at a few MiB whatever the size.
"""

from __future__ import annotations

import io
from typing import IO, Any

from ..backend import state as moto_glue
from ..backend.app import MotoAnswer
from ..wire.request import IncomingRequest

__all__ = ["STREAM_STORE_MIN", "adopt_spooled_body", "applies", "empty_body_for_moto"]

#: Smallest body stored this way (smaller ones go through moto unchanged).
STREAM_STORE_MIN = 8 * 1024 * 1024

#: Query parameters a plain PutObject may carry (authentication, SDK hints).
_PLAIN_PUT_PARAMS = frozenset(
    name.lower()
    for name in (
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
        "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "AWSAccessKeyId",
        "Signature", "Expires", "x-id",
    )
)  # fmt: skip


def applies(req: IncomingRequest) -> bool:
    """True for a PutObject (not a copy, part, ACL, tagging...) of a large, fixed-length body."""
    return (
        req.sent.method == "PUT"
        and bool(req.bucket and req.key)
        and req.content_length is not None
        and req.content_length >= STREAM_STORE_MIN
        and not req.chunked_transfer
        and req.header("x-amz-copy-source") is None
        and req.header("x-amz-sdk-checksum-algorithm") is None
        and all(name.lower() in _PLAIN_PUT_PARAMS for name, _ in req.sent.query)
    )


def empty_body_for_moto(environ: dict[str, Any]) -> None:
    """Make moto's PutObject see an empty body (the real one is spooled)."""
    environ["wsgi.input"] = io.BytesIO(b"")
    environ["CONTENT_LENGTH"] = "0"


def adopt_spooled_body(
    account_id: str,
    req: IncomingRequest,
    answer: MotoAnswer,
    spool: IO[bytes],
    length: int,
    md5_hex: str,
) -> bool:
    """Give ``spool`` to the FakeKey moto just created; False (spool not taken) if none is found."""
    if answer.code != 200 or not req.bucket or not req.key:
        return False
    version = next((v for n, v in answer.headers if n.lower() == "x-amz-version-id"), None)
    backend = moto_glue._s3_backend(account_id)
    try:
        key = backend.get_object(req.bucket, req.key, version_id=version)
    except Exception:  # noqa: BLE001 - moto raises its own "missing" errors
        key = None
    if key is None:
        return False
    spool.seek(0)
    with key.lock:
        old, key._value_buffer = key._value_buffer, spool
        key.contentsize = length
        key._etag = md5_hex
    old.close()
    etag = f'"{md5_hex}"'
    answer.headers = [(n, etag if n.lower() == "etag" else v) for n, v in answer.headers]
    return True
