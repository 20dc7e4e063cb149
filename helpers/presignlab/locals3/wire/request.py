"""Reading a WSGI request the way S3 receives it: raw path and query, headers, service, bucket, key.

The raw request target comes from ``RAW_URI`` / ``REQUEST_URI`` when the server provides them
(werkzeug does), else from ``PATH_INFO`` + ``QUERY_STRING`` (latin-1 bytes per WSGI). It is
percent-decoded strictly (:mod:`presignlab.query_string`), so a broken escape is a 400, never a
crash.

UNCONFIRMED choices:

* Broken percent-encoding in the path or the query gives 400 ``InvalidURI`` ``Couldn't parse the
  specified URI.`` (the AWS error-code list's description).
* A header value that is not UTF-8 gives 400 ``InvalidArgument`` ``Header value cannot be
  represented using ISO-8859-1.`` with ``ArgumentName`` / ``ArgumentValue`` (AWS uses this wording
  for unrepresentable header values, reference row 26). The value is echoed only if printable ASCII.
* More than 8 KiB of request headers (AWS's documented PUT header limit) gives 400
  ``RequestHeaderSectionTooLarge`` ``Your request header section exceeds the maximum allowed size.``
* Virtual-host addressing is recognised only for hosts ending in ``.localhost``; everything else
  is path-style, like moto.
* The service is the one named in a SigV4 ``Authorization`` header's scope when it is ``iam`` or
  ``sts``; every other request is S3 (authentication then rejects a wrong scope).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY

from ...errors import PresignedUrlError
from ...query_auth import SentRequest
from ...query_string import parse_query, percent_decode
from .errors import S3Error

__all__ = ["MAX_HEADER_BYTES", "IncomingRequest", "parse_environ"]

#: AWS documents an 8 KB limit on PUT request headers.
MAX_HEADER_BYTES = 8192

_SCOPE_SERVICE = re.compile(r"Credential=[^/,\s]*/\d{8}/[^/,\s]*/([^/,\s]+)/")
_VHOST = re.compile(r"^(?P<bucket>[^:\[\]]+)\.localhost(?::\d+)?$", re.IGNORECASE)
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")


@dataclass(frozen=True)
class IncomingRequest:
    """A parsed request. ``sent`` is what authentication sees; ``bucket``/``key`` are decoded."""

    sent: SentRequest
    service: str
    bucket: str | None
    key: str | None
    raw_query: str
    content_length: int | None
    chunked_transfer: bool
    virtual_host: bool = False

    def header(self, name: str) -> str | None:
        """A header's value (any case), or None."""
        return self.sent.header(name)


def _invalid_uri() -> S3Error:
    return S3Error(400, "InvalidURI", "Couldn't parse the specified URI.")


def _raw_target(environ: dict[str, Any]) -> tuple[str, str]:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if "://" in raw.split("?", 1)[0]:  # absolute-form request target
            raw = "/" + raw.split("://", 1)[1].partition("/")[2]
        path, _, query = raw.partition("?")
        return path or "/", query
    path = environ.get("PATH_INFO", "/")
    encoded = path.encode("latin-1", "replace").decode("ascii", "replace")
    return encoded or "/", environ.get("QUERY_STRING", "")


def _headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    total = 0
    # moto's request handler keeps the spelling of x-amz-meta-* names that contain "_"
    preserved: dict[str, str] = environ.get(PRESERVED_HEADER_NAMES_ENVIRON_KEY) or {}
    for key, value in environ.items():
        if key in preserved:
            name = preserved[key].lower()
        elif key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").lower()
            if not value:
                continue
        else:
            continue
        if name == "host":
            continue
        text = str(value)
        total += len(name) + len(text) + 4
        try:
            decoded = text.encode("latin-1").decode("utf-8")
        except UnicodeError:
            shown = text if _PRINTABLE.match(text) else ""
            raise S3Error(
                400,
                "InvalidArgument",
                "Header value cannot be represented using ISO-8859-1.",
                (("ArgumentName", name), ("ArgumentValue", shown)),
            ) from None
        pairs.append((name, decoded))
    if total > MAX_HEADER_BYTES:
        raise S3Error(
            400,
            "RequestHeaderSectionTooLarge",
            "Your request header section exceeds the maximum allowed size.",
        )
    return pairs


def _service(headers: list[tuple[str, str]]) -> str:
    auth = next((v for n, v in headers if n == "authorization"), "")
    match = _SCOPE_SERVICE.search(auth)
    if match and match.group(1).lower() in ("iam", "sts"):
        return match.group(1).lower()
    return "s3"


def _bucket_and_key(host: str, path: str) -> tuple[str | None, str | None]:
    vhost = _VHOST.match(host)
    if vhost:
        rest = path.removeprefix("/")
        return vhost.group("bucket").lower(), rest or None
    parts = path[1:].split("/", 1) if path.startswith("/") else path.split("/", 1)
    bucket = parts[0] or None
    key = parts[1] if len(parts) > 1 and parts[1] else None
    return bucket, key


def parse_environ(environ: dict[str, Any]) -> IncomingRequest:
    """The request in ``environ`` as S3 reads it; raises :class:`S3Error` (400) on bad input."""
    raw_path, raw_query = _raw_target(environ)
    headers = _headers(environ)
    try:
        path = percent_decode(raw_path, what="the path")
        query = tuple(parse_query(raw_query))
    except PresignedUrlError as exc:
        raise _invalid_uri() from exc
    host = str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost"))
    try:
        host = host.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise _invalid_uri() from None
    length_text = environ.get("CONTENT_LENGTH") or None
    try:
        content_length = int(length_text) if length_text is not None else None
    except ValueError:
        content_length = -1
    if content_length is not None and content_length < 0:
        raise S3Error(
            400,
            "InvalidArgument",
            "Content-Length must be a non-negative integer.",
            (("ArgumentName", "Content-Length"), ("ArgumentValue", str(length_text)[:64])),
        )
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    sent = SentRequest(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        host=host,
        path=path or "/",
        query=query,
        headers=tuple(headers),
    )
    bucket, key = _bucket_and_key(host, sent.path)
    virtual = _VHOST.match(host) is not None
    return IncomingRequest(
        sent, _service(headers), bucket, key, raw_query, content_length, chunked, virtual
    )
