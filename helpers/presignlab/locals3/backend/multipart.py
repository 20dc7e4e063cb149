"""Multipart uploads as moto holds them, and the checks S3 makes before completing one.

moto answers some multipart mistakes with its own words and without the elements S3 sends (which
part, which ETag), and fails with an exception on others (an upload id it does not know, a part
without an ETag). :func:`check_upload` and :func:`check_complete` make S3's checks, in S3's
order, before moto runs (docs/aws-behaviour.md MPU-01 to MPU-05):

1. an UploadPart's part number is from 1 to 10000 (400 InvalidArgument), and the upload id
   names an upload of this key (404 NoSuchUpload);
2. the CompleteMultipartUpload document lists at least one part (400 InvalidRequest), each
   with a part number from 1 to 10000 (400 InvalidArgument) and an ETag (400 MalformedXML);
3. the part numbers ascend (400 InvalidPartOrder);
4. each part was uploaded with that ETag (400 InvalidPart), and every part but the last has
   at least 5 MiB (400 EntityTooSmall).

The body reaching this module has passed the XML guard (plain, well-formed, bounded).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from xml.etree import ElementTree

from ..wire.catalogue import (
    invalid_part,
    invalid_part_order,
    malformed_xml,
    no_parts_specified,
    no_such_upload,
    part_number_invalid,
    part_too_small,
)
from .state import _s3_backend

__all__ = ["MIN_PART_SIZE", "UploadedPart", "check_complete", "check_upload", "uploaded_parts"]

#: S3's smallest part, except the last one (MPU-02).
MIN_PART_SIZE = 5 * 1024 * 1024
_MAX_PART_NUMBER = 10000


@dataclass(frozen=True)
class UploadedPart:
    """One uploaded part: its ETag (unquoted) and size in bytes."""

    etag: str
    size: int


def uploaded_parts(
    account_id: str, bucket: str, key: str, upload_id: str
) -> dict[int, UploadedPart] | None:
    """The parts of upload ``upload_id`` of ``bucket/key``; None when there is no such upload."""
    found = _s3_backend(account_id).buckets.get(bucket)
    upload = None if found is None else found.multiparts.get(upload_id)
    if upload is None or upload.key_name != key:
        return None
    return {
        int(number): UploadedPart(str(part.etag).strip('"'), int(part.contentsize))
        for number, part in upload.parts.items()
    }


def check_upload(
    account_id: str, bucket: str, key: str, upload_id: str, part_number: str | None = None
) -> None:
    """400 InvalidArgument for a part number outside 1 to 10000 (checked first, CHOICE-120),
    then 404 NoSuchUpload unless ``upload_id`` is an upload of ``bucket/key`` (MPU-03)."""
    if part_number is not None:
        _check_part_number(part_number)
    if uploaded_parts(account_id, bucket, key, upload_id) is None:
        raise no_such_upload(upload_id)


def _check_part_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= _MAX_PART_NUMBER:
        raise part_number_invalid(text)
    return int(text)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _listed_parts(document: bytes) -> list[tuple[str, str]]:
    """``(PartNumber, ETag)`` as written, in document order; MalformedXML for a part without."""
    try:
        root = ElementTree.fromstring(document) if document.strip() else None
    except ElementTree.ParseError as exc:
        raise malformed_xml() from exc
    if root is None:
        raise malformed_xml()
    listed: list[tuple[str, str]] = []
    for part in (child for child in root if _local(child.tag) == "Part"):
        fields = {_local(child.tag): (child.text or "").strip() for child in part}
        if "PartNumber" not in fields or "ETag" not in fields:
            raise malformed_xml()
        listed.append((fields["PartNumber"], fields["ETag"]))
    return listed


def check_complete(account_id: str, bucket: str, key: str, upload_id: str, document: bytes) -> None:
    """S3's checks of a CompleteMultipartUpload request, in S3's order (MPU-01 to MPU-05)."""
    parts = uploaded_parts(account_id, bucket, key, upload_id)
    if parts is None:
        raise no_such_upload(upload_id)
    listed = _listed_parts(document)
    if not listed:
        raise no_parts_specified()
    numbers = [_check_part_number(number_text) for number_text, _ in listed]
    if any(later <= earlier for earlier, later in pairwise(numbers)):
        raise invalid_part_order(upload_id)
    for index, (number, (number_text, etag_sent)) in enumerate(zip(numbers, listed, strict=True)):
        etag = etag_sent.strip('"')
        part = parts.get(number)
        if part is None or part.etag != etag:
            raise invalid_part(upload_id, number_text, etag)
        if index < len(listed) - 1 and part.size < MIN_PART_SIZE:
            raise part_too_small(part.size, number_text, etag)
