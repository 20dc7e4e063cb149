"""Presigned POST (browser form upload) end to end: the one entry point the server calls (§2).

:func:`handle_post` takes the request body as a stream and answers a :class:`PostResult` or
raises the :class:`~presignlab.locals3.s3_error.S3Error` Amazon S3 would send. Check order:

1. Content-Type not ``multipart/form-data``: 412 PreconditionFailed with the enclosure-type
   Condition; then a missing boundary (400 MalformedPOSTRequest) and a missing bucket (404);
2. the fields preceding the file (:mod:`.post_form`, size-limited);
3. required fields, access key, session token and signature (:mod:`.post_auth`);
4. the policy: readable, not expired (:mod:`.post_policy`);
5. exactly one file part, spooled to a temporary file (memory up to 1 MiB, then disk);
6. the policy's conditions in order (incl. content-length-range), then extra input fields;
7. ``${filename}`` substituted into ``key``; the storage class; ``authorize(principal, key)``
   (the server's IAM / bucket-policy check for s3:PutObject);
8. the object is stored through moto's S3 backend with the form's Content-Type, Cache-Control,
   Content-Disposition, Content-Encoding, Content-Language, Expires and x-amz-meta-* fields.

Success: 204 with no body; ``success_action_status`` 200 or 201 (201 with a ``<PostResponse>``
body); or 303 to an absolute ``success_action_redirect`` (``redirect`` too) with
``bucket``, ``key`` and ``etag`` appended to its query. A relative or unparseable redirect is
ignored.

UNCONFIRMED choices:

* 200/201/204 answers carry ``ETag`` and ``Location`` headers (recorded on 201, POST-11; CHOICE-26).
* The 303 query values are percent-encoded (``etag`` with its quotes, ``%22…%22``).
* ``${filename}`` takes the file part's filename after its last ``/`` or ``\\``; a key empty
  after substitution gives 400 InvalidArgument ``User key must have a length greater than 0.``
* The missing-bucket check (404 NoSuchBucket, ``<BucketName>``) comes right after the
  Content-Type check. ``authorize`` receives None for an anonymous form (no signature, no policy).
* moto's ``put_object`` takes bytes, so the spooled file is read into memory once, at the
  store step, after every check has passed (the parser itself never holds it).
* A versioned bucket's answer adds ``x-amz-version-id``.
* ``acl`` and SSE fields are policy-checked and otherwise not applied (CHOICE-34); ``tagging``
  tags the object (POST-09).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..authn.identity import CredentialStore, Principal
from ..backend import objects, state
from ..body.receive import BodyReader
from ..body.xml_guard import check_xml_body
from ..wire.catalogue import (
    incorrect_number_of_files,
    invalid_argument,
    invalid_storage_class,
    malformed_xml,
    no_such_bucket,
    post_enclosure_type,
)
from ..wire.header_values import as_sent_bytes, metadata_value
from .auth import authenticate_form, form_field
from .form import MAX_PRE_DATA, FormReader, boundary_of
from .policy import check_conditions, check_expiration, check_extra_fields, decode_policy

__all__ = ["PostResult", "handle_post"]

_STORED_FIELDS = {
    "content-type": "Content-Type",
    "cache-control": "Cache-Control",
    "content-disposition": "Content-Disposition",
    "content-encoding": "Content-Encoding",
    "content-language": "Content-Language",
    "expires": "Expires",
}

#: ``authorize(principal, key, fields)``: the server's IAM/bucket-policy check for s3:PutObject;
#: ``fields`` are the form fields as sent (it reads ``acl`` and the signature version from them).
Authorize = Callable[[Principal | None, str, Sequence[tuple[str, str]]], None]


@dataclass(frozen=True)
class PostResult:
    """The success answer: status, headers, body; plus the stored key and its ETag."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    key: str = ""
    etag: str = ""


def _final_key(key: str, filename: str | None) -> str:
    """POST-07: ``${filename}`` becomes the file's name, or stays as written when it has none."""
    if filename is None:
        final = key
    else:
        final = key.replace("${filename}", re.split(r"[/\\]", filename)[-1])
    if not final:
        raise invalid_argument("User key must have a length greater than 0.", "key", "")
    return final


def _tags(fields: Sequence[tuple[str, str]]) -> dict[str, str] | None:
    """POST-09: the ``tagging`` field's tags; XML with another root sets none; not XML: 400."""
    text = form_field(fields, "tagging")
    if text is None:
        return None
    data = text.encode("utf-8", "surrogateescape")
    check_xml_body(data)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise malformed_xml() from exc
    if root.tag.rsplit("}", 1)[-1] != "Tagging":
        return {}
    tags: dict[str, str] = {}
    for tag in root.iter():
        if tag.tag.rsplit("}", 1)[-1] == "Tag":
            parts = {child.tag.rsplit("}", 1)[-1]: child.text or "" for child in tag}
            if "Key" not in parts:
                raise malformed_xml()
            tags[parts["Key"]] = parts.get("Value", "")
    return tags


def _store(
    account_id: str, bucket: str, key: str, spool: IO[bytes], fields: Sequence[tuple[str, str]]
) -> objects.StoredObject:
    storage = form_field(fields, "x-amz-storage-class")
    if storage is not None and not objects.is_storage_class(storage):
        raise invalid_storage_class(storage)
    metadata: dict[str, str] = {}
    for name, value in fields:
        lower = name.lower()
        if lower.startswith("x-amz-meta-"):
            metadata.setdefault(lower, metadata_value(value, decode_encoded=False))
        elif lower in _STORED_FIELDS:
            metadata.setdefault(_STORED_FIELDS[lower], as_sent_bytes(value))
    return objects.store_object(
        account_id, bucket, key, spool, storage=storage, metadata=metadata, tags=_tags(fields)
    )


def _redirect(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme and parts.netloc else None


def _answer(
    fields: Sequence[tuple[str, str]],
    bucket: str,
    key: str,
    etag: str,
    location: str,
    stored: objects.StoredObject,
) -> PostResult:
    version = stored.version_id
    versioned = [] if version in (None, "null") else [("x-amz-version-id", str(version))]
    if stored.checksum is not None:  # POST-11, INTEG-10
        algorithm, value = stored.checksum
        versioned += [(f"x-amz-checksum-{algorithm.lower()}", value)]
        versioned += [("x-amz-checksum-type", "FULL_OBJECT")]
    redirect = _redirect(
        form_field(fields, "success_action_redirect") or form_field(fields, "redirect")
    )
    if redirect is not None:
        query = (
            f"bucket={quote(bucket, safe='')}&key={quote(key, safe='')}&etag={quote(etag, safe='')}"
        )
        joiner = "&" if urlsplit(redirect).query else ("" if redirect.endswith("?") else "?")
        return PostResult(
            303, [("Location", f"{redirect}{joiner}{query}"), *versioned], b"", key, etag
        )
    headers = [("ETag", etag), ("Location", location), *versioned]
    status = (form_field(fields, "success_action_status") or "").strip()
    if status == "201":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>'
            f"<Location>{escape(location)}</Location><Bucket>{escape(bucket)}</Bucket>"
            f"<Key>{escape(key)}</Key><ETag>{escape(etag)}</ETag></PostResponse>"
        ).encode()
        headers += [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
        return PostResult(201, headers, body, key, etag)
    return PostResult(200 if status == "200" else 204, headers, b"", key, etag)


def handle_post(
    stream: Any,
    content_type: str | None,
    content_length: int | None,
    *,
    bucket: str,
    store: CredentialStore,
    now: datetime,
    authorize: Authorize,
    account_id: str = state.MOTO_ACCOUNT_ID,
    location_for: Callable[[str], str] | None = None,
    max_pre_data: int = MAX_PRE_DATA,
) -> PostResult:
    """Handle a browser-form POST to ``bucket``; raise S3Error on any failure (nothing stored).

    ``stream`` has ``read(n)``; ``content_length`` limits it (None: read to the end).
    ``location_for(key)`` gives the object's URL for Location (default ``/bucket/key``).
    """
    if (content_type or "").split(";", 1)[0].strip().lower() != "multipart/form-data":
        raise post_enclosure_type()
    reader = FormReader(
        BodyReader(stream, content_length),
        boundary_of(content_type or ""),
        max_pre_data=max_pre_data,
    )
    if not state.bucket_exists(account_id, bucket):
        raise no_such_bucket(bucket)
    fields = reader.read_fields()
    credential = authenticate_form(fields, store=store, now=now)
    policy_text = form_field(fields, "policy")
    policy = decode_policy(policy_text) if policy_text is not None else None
    if policy is not None:
        check_expiration(policy, now)
    if not reader.has_file:
        raise incorrect_number_of_files()
    spool, size = reader.spool_file()
    with spool:
        if policy is not None:
            check_conditions(policy, fields, bucket=bucket, file_size=size)
            check_extra_fields(policy, fields)
        key = _final_key(form_field(fields, "key") or "", reader.file_name)
        _tags(fields)  # a malformed tagging field refuses the upload before anything else
        authorize(None if credential is None else credential.principal, key, fields)
        stored = _store(account_id, bucket, key, spool, fields)
    location = location_for(key) if location_for else f"/{quote(bucket)}/{quote(key)}"
    return _answer(fields, bucket, key, stored.etag, location, stored)
