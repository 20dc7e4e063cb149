"""The one request model: each request is read once into an :class:`S3Request`.

Everything after this module works on the value it returns: authentication verifies the
signature over :attr:`S3Request.sent` (the request exactly as received), authorization checks
:attr:`S3Request.operation` on :attr:`S3Request.bucket` / :attr:`S3Request.key`, and the backend
hands moto a request rebuilt from the same value. No later stage reads the raw bytes again, so
no two components can disagree about what a request is.

Reading rules (docs/aws-behaviour.md, "The wire"):

* a raw ``+`` in the path is a space, as S3 reads it (ADDR-06): a key with a plus is sent as
  ``%2B``, and S3's canonical URI then shows ``%20`` for a ``+`` sent;
* the request target comes from ``RAW_URI`` / ``REQUEST_URI`` (werkzeug provides them), else
  ``PATH_INFO`` + ``QUERY_STRING``; it is percent-decoded strictly, so a broken escape is 400
  ``InvalidURI``;
* the header list is the one the HTTP server read (names as sent, duplicates and order kept,
  :data:`RAW_HEADERS`), else the WSGI ``HTTP_*`` keys;
* a header value that is not UTF-8 is 400 InvalidArgument "Header value cannot be represented
  using ISO-8859-1." (echoed only when printable ASCII); more than 8 KiB of headers is 400
  ``RequestHeaderSectionTooLarge``;
* the service is IAM or STS when the SigV4 scope (Authorization header or X-Amz-Credential)
  names it; every other request is S3;
* the bucket and key come from :mod:`.addressing`, the operation from :mod:`.operations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from wsgiref.types import WSGIEnvironment

from ...errors import PresignedUrlError
from ...signing.sent_request import SentRequest
from ...signing.uri import parse_query, percent_decode
from .addressing import Target, resolve_target
from .catalogue import (
    content_length_invalid,
    header_not_iso_8859_1,
    header_section_too_large,
    invalid_uri,
)
from .header_values import as_sent_bytes, metadata_value
from .operations import Operation, ResourceType, decide_operation

__all__ = [
    "MAX_HEADER_BYTES",
    "RAW_HEADERS",
    "S3Request",
    "parse_environ",
    "read_headers",
]

#: AWS documents an 8 KB limit on PUT request headers.
MAX_HEADER_BYTES = 8192
#: The environ key under which the HTTP server leaves the header list as it read it.
RAW_HEADERS = "presignlab.raw_headers"

_SCOPE_SERVICE = re.compile(r"Credential=[^/,\s]*/\d{8}/[^/,\s]*/([^/,\s]+)/")
_QUERY_SCOPE_SERVICE = re.compile(r"^[^/]*/\d{8}/[^/]*/([^/]+)/")
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")


@dataclass(frozen=True)
class S3Request:
    """One request, read once. ``sent`` is what signatures cover; the rest is what it means.

    ``operation`` is None for an OPTIONS preflight and for IAM and STS calls.
    ``content_length`` is None when no Content-Length was sent. ``headers`` are the effective
    headers: those sent, then those an SDK moved into the query (AUTH-Q-12).
    """

    sent: SentRequest
    service: str
    target: Target
    operation: Operation | None
    raw_query: str
    content_length: int | None
    chunked_transfer: bool
    headers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def bucket(self) -> str | None:
        """The bucket the request names (decoded), or None."""
        return self.target.bucket

    @property
    def key(self) -> str | None:
        """The object key the request names (decoded), or None."""
        return self.target.key

    @property
    def method(self) -> str:
        """The HTTP method, upper case."""
        return self.sent.method

    @property
    def operation_name(self) -> str:
        """The operation's name (``OPTIONS`` for a preflight)."""
        return self.operation.name if self.operation is not None else self.method

    @property
    def v2_resource(self) -> str:
        """SigV2's ``/bucket/key`` (decoded), the bucket's own as ``/bucket/`` (AUTH-V2-06).

        The bucket is named even when it is in the host; a request on the bucket itself signs
        it with the trailing slash, whatever the addressing style (CHOICE-61).
        """
        if self.bucket and not self.key:
            return f"/{self.bucket}/"
        if self.target.addressing != "path" and self.bucket:
            return f"/{self.bucket}{self.sent.path}"
        return self.sent.path

    def header(self, name: str) -> str | None:
        """An effective header's values (any case) joined by ``,``, or None."""
        found = [v for n, v in self.headers if n.lower() == name.lower()]
        return ",".join(found) if found else None

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (exact case), or None."""
        return self.sent.param(name)

    def backend_query(self) -> list[tuple[str, str]]:
        """The query parameters the operation defines, in the order sent (moto sees these)."""
        if self.operation is None:
            return []
        accepted = self.operation.accepted_query
        return [(name, value) for name, value in self.sent.query if name in accepted]

    def backend_headers(self) -> list[tuple[str, str]]:
        """The effective headers the operation defines (moto sees these and no others).

        User metadata goes in the RFC 2047 form S3 stores; any other value as the bytes sent.
        """
        if self.operation is None:
            return []
        out: list[tuple[str, str]] = []
        for name, value in self.headers:
            if not self.operation.accepts_header(name):
                continue
            if name.startswith("x-amz-meta-"):
                value = metadata_value(value)
            elif not value.isascii():
                value = as_sent_bytes(value)
            out.append((name, value))
        return out


def _raw_target(environ: WSGIEnvironment) -> tuple[str, str]:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if "://" in raw.split("?", 1)[0]:  # absolute-form request target
            raw = "/" + raw.split("://", 1)[1].partition("/")[2]
        path, _, query = raw.partition("?")
        return path or "/", query
    path = environ.get("PATH_INFO", "/")
    encoded = path.encode("latin-1", "replace").decode("ascii", "replace")
    return encoded or "/", environ.get("QUERY_STRING", "")


def _environ_headers(environ: WSGIEnvironment) -> list[tuple[str, str]]:
    raw = environ.get(RAW_HEADERS)
    if raw is not None:
        return [(str(n), str(v)) for n, v in raw]
    pairs: list[tuple[str, str]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            pairs.append((key[5:].replace("_", "-").lower(), str(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            pairs.append((key.replace("_", "-").lower(), str(value)))
    return pairs


def read_headers(environ: WSGIEnvironment) -> tuple[str, list[tuple[str, str]]]:
    """``(Host value, the other headers)``: lower-case names, values decoded as UTF-8.

    Raises the catalogue's 400 for a value that is not UTF-8 or a header section over 8 KiB.
    """
    pairs: list[tuple[str, str]] = []
    host: str | None = None
    total = 0
    for name, value in _environ_headers(environ):
        lower = name.strip().lower()
        total += len(lower) + len(value) + 4
        try:
            decoded = value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise header_not_iso_8859_1(lower, value if _PRINTABLE.match(value) else "") from None
        if lower == "host":
            host = decoded if host is None else host
            continue
        pairs.append((lower, decoded))
    if total > MAX_HEADER_BYTES:
        raise header_section_too_large()
    if host is None:
        host = str(environ.get("SERVER_NAME", "localhost"))
    return host, pairs


def _service(headers: list[tuple[str, str]], query: tuple[tuple[str, str], ...]) -> str:
    auth = next((v for n, v in headers if n == "authorization"), "")
    match = _SCOPE_SERVICE.search(auth)
    if match is None:
        credential = next((v for n, v in query if n == "X-Amz-Credential"), "")
        match = _QUERY_SCOPE_SERVICE.match(credential)
    if match and match.group(1).lower() in ("iam", "sts"):
        return match.group(1).lower()
    return "s3"


#: Query parameters that are never header values: authentication, and the checksum an SDK pins
#: in a presigned URL (AWS does not check a checksum carried in the query, AUTH-Q-12).
_NEVER_HOISTED = frozenset(
    {
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-expires",
        "x-amz-signedheaders",
        "x-amz-signature",
        "x-amz-security-token",
        "x-amz-content-sha256",
        "x-amz-sdk-checksum-algorithm",
    }
)


def _hoisted(
    operation: Operation, query: tuple[tuple[str, str], ...], headers: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Headers an SDK moved into the query (AUTH-Q-12), applied when not sent as headers.

    Only ``x-amz-*`` names and ``If-Match`` / ``If-None-Match``, only names the operation
    defines, and never authentication or checksum parameters.
    """
    sent = {name for name, _ in headers}
    out: list[tuple[str, str]] = []
    for name, value in query:
        lower = name.lower()
        if lower in sent or lower in _NEVER_HOISTED or lower.startswith("x-amz-checksum-"):
            continue
        if not (lower.startswith("x-amz-") or lower in ("if-match", "if-none-match")):
            continue
        if operation.accepts_header(lower):
            out.append((lower, value))
            sent.add(lower)
    return out


def _content_length(environ: WSGIEnvironment) -> int | None:
    text = environ.get("CONTENT_LENGTH") or None
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{1,19}", str(text).strip()):
        raise content_length_invalid(str(text))
    return int(str(text).strip())


def parse_environ(environ: WSGIEnvironment) -> S3Request:
    """The request in ``environ`` as S3 reads it; raises the catalogue's S3Error on bad input."""
    raw_path, raw_query = _raw_target(environ)
    host, headers = read_headers(environ)
    try:
        # S3 reads a raw "+" in the path as a space (ADDR-06); "%2B" is a plus
        path = percent_decode(raw_path, plus_is_space=True, what="the path")
        query = tuple(parse_query(raw_query))
    except PresignedUrlError as exc:
        raise invalid_uri() from exc
    content_length = _content_length(environ)
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    sent = SentRequest(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        host=host,
        path=path or "/",
        query=query,
        headers=tuple(headers),
    )
    service = _service(headers, query)
    if service != "s3":
        target = Target("path", None, None)
        return S3Request(
            sent, service, target, None, raw_query, content_length, chunked, sent.headers
        )
    target = resolve_target(host, sent.path)
    if sent.method == "OPTIONS":
        return S3Request(
            sent, service, target, None, raw_query, content_length, chunked, sent.headers
        )
    resource: ResourceType = "object" if target.key else "bucket" if target.bucket else "service"
    operation = decide_operation(sent.method, resource, query, (n for n, _ in headers))
    effective = (*sent.headers, *_hoisted(operation, query, headers))
    return S3Request(
        sent, service, target, operation, raw_query, content_length, chunked, effective
    )
