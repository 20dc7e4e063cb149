"""Large PutObject bodies stored without moto ever holding them in memory.

moto's request handling reads a whole body into one ``bytes`` object and copies it again, so a
1 GiB upload costs moto about 2 GiB of memory. For a PutObject of at least
:data:`STREAM_STORE_MIN` bytes the strict layer therefore spools the (verified) body to disk
itself, computing its MD5 on the way, lets moto run the PutObject with an empty body (metadata,
ACL, tagging, versioning, locks as usual), then gives the spooled file to moto's new object
(:func:`presignlab.locals3.backend.objects.adopt_spooled_body`) with the right size and ETag,
and fixes the ETag of moto's answer. Memory stays at a few MiB whatever the size.
"""

from __future__ import annotations

from typing import IO

from ..backend import objects
from ..backend.moto_app import MotoAnswer
from ..wire.request import S3Request

__all__ = ["STREAM_STORE_MIN", "adopt_spooled_body", "applies"]

#: Smallest body stored this way (smaller ones go through moto unchanged).
STREAM_STORE_MIN = 8 * 1024 * 1024


def applies(req: S3Request) -> bool:
    """True for a PutObject of a large, fixed-length body whose checksum moto need not compute."""
    return (
        req.operation_name == "PutObject"
        and req.content_length is not None
        and req.content_length >= STREAM_STORE_MIN
        and not req.chunked_transfer
        and req.header("x-amz-sdk-checksum-algorithm") is None
    )


def adopt_spooled_body(
    account_id: str,
    req: S3Request,
    answer: MotoAnswer,
    spool: IO[bytes],
    length: int,
    md5_hex: str,
) -> bool:
    """Give ``spool`` to the object moto just created; False (spool not taken) if none is found."""
    if answer.code != 200 or not req.bucket or not req.key:
        return False
    version = next((v for n, v in answer.headers if n.lower() == "x-amz-version-id"), None)
    if not objects.adopt_spooled_body(
        account_id, req.bucket, req.key, version, spool, length, md5_hex
    ):
        return False
    etag = f'"{md5_hex}"'
    answer.headers = [(n, etag if n.lower() == "etag" else v) for n, v in answer.headers]
    return True
