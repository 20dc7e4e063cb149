"""Calling moto with a request rebuilt from the decided one, and cleaning up its answer.

moto never sees the client's bytes. For S3, :func:`call_s3` builds a fresh WSGI environ from the
:class:`~presignlab.locals3.wire.request.S3Request` the layer authorized: the method, a
canonical path-style target ``/BUCKET/KEY`` (percent-encoded), a canonical ``Host``
(``s3.amazonaws.com``, or ``s3.REGION.amazonaws.com`` to tell moto the region), the query
parameters the operation defines and nothing else, the headers the operation defines and
nothing else, and the body the layer read (or a stream it controls). So moto cannot route to
another bucket, key or operation than the one authorized, and reads no parameter the layer did
not classify. For S3 it calls moto's own view for that path directly (:func:`_run_s3`), without
moto's Flask application around it. IAM and STS calls get their parsed parameters re-encoded as a form body and an
Authorization header that only names the caller's access key (moto reads the caller from it).

moto's Flask application (flask-cors, still used for IAM and STS) adds blanket ``Access-Control-*`` headers to every answer; S3 only
sends them when a CORS rule matches, so :func:`strip_moto_cors_headers` removes them and the
caller adds the right ones; it also removes moto's ``x-amzn-RequestId`` and the request-only
headers moto echoes (RESP-03). moto's error answers are translated by :mod:`.errors`. The body iterable is passed on as it is (large GETs stream).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, urlencode
from wsgiref.types import WSGIApplication, WSGIEnvironment

from . import state

__all__ = [
    "MotoAnswer",
    "Readable",
    "call_query_api",
    "call_s3",
    "strip_moto_cors_headers",
]

_QUERY_SAFE = "-_.~"
_PATH_SAFE = "-_.~/"
#: Response headers moto adds that S3 does not send (RESP-03): its own request id, the server's
#: own Server and Date (the HTTP server writes S3's), and request-only headers moto echoes from
#: the request or from what it stored with the object.
_NOT_FROM_S3 = frozenset(
    {
        "x-amzn-requestid",
        "server",
        "date",
        "x-amz-content-sha256",
        "x-amz-sdk-checksum-algorithm",
        "x-amz-decoded-content-length",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-trailer",
        "x-amz-request-payer",
        "x-amz-expected-bucket-owner",
        "authorization",
        "content-md5",
    }
)


class Readable(Protocol):
    """What moto needs from ``wsgi.input``."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class MotoAnswer:
    """moto's status line, headers (CORS stripped) and body iterable."""

    status: str
    headers: list[tuple[str, str]]
    body: Iterable[bytes]
    exc_info: Any = field(default=None, repr=False)

    @property
    def code(self) -> int:
        """The numeric status."""
        return int(self.status.split(" ", 1)[0])


def strip_moto_cors_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` without the CORS headers moto (and flask-cors inside it) added on its own.

    Every ``Access-Control-*`` header goes; ``Origin`` is removed from ``Vary`` (the header is
    dropped when nothing else is left in it).
    """
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower.startswith("access-control-") or lower in _NOT_FROM_S3:
            continue
        if lower == "vary":
            kept = [
                v.strip() for v in value.split(",") if v.strip() and v.strip().lower() != "origin"
            ]
            if not kept:
                continue
            value = ", ".join(kept)
        out.append((name, value))
    return out


def _environ_key(name: str) -> str:
    lower = name.lower()
    if lower == "content-type":
        return "CONTENT_TYPE"
    if lower == "content-length":
        return "CONTENT_LENGTH"
    return "HTTP_" + lower.upper().replace("-", "_")


def _environ(
    method: str,
    host: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body: Readable,
    length: int,
) -> dict[str, Any]:
    from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY

    environ: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "RAW_URI": quote(path, safe=_PATH_SAFE) + (f"?{query}" if query else ""),
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "CONTENT_LENGTH": str(length),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": body,
        "wsgi.input_terminated": False,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    preserved: dict[str, str] = {}
    for name, value in headers:
        key = _environ_key(name)
        if key == "CONTENT_LENGTH":
            continue
        environ[key] = f"{environ[key]},{value}" if key in environ and key != "HTTP_HOST" else value
        if "_" in name:
            preserved[key] = name
    environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = preserved
    return environ


def _run(service: str, environ: WSGIEnvironment) -> MotoAnswer:
    return _run_app(state.backend_app(service), environ)


def _run_s3(environ: WSGIEnvironment) -> MotoAnswer:
    """moto's S3 view for this path-style request, called without moto's Flask layer.

    The layer has already decided the operation and rebuilt a canonical path-style request, so
    the routing Flask would do is three path shapes (moto's ``s3/urls.py``): ``/`` is the service,
    ``/BUCKET`` and ``/BUCKET/`` are the bucket (moto's "ambiguous" view, which reads the bucket
    from the path), anything longer is an object. Skipping Flask's request context, routing and
    flask-cors cut the server's time for 400 small presigned PUTs by about a sixth in a profile
    (``benchmarks/RESULTS.md``); the view, the request class and the conversion of its answer are
    moto's own, called as its Flask view wrapper calls them.
    """
    from moto.moto_server.werkzeug_app import BackendRequest
    from moto.s3.responses import S3Response
    from werkzeug.exceptions import HTTPException
    from werkzeug.wrappers import Response

    state.backend_app("s3")  # moto's one-time S3 set-up (bucket policies left to the layer)
    parts = environ["PATH_INFO"].split("/", 2)
    if len(parts) < 3 or not parts[2]:
        view = S3Response.bucket_dispatch if not parts[1] else S3Response.ambiguous_dispatch
    else:
        view = S3Response.key_dispatch
    request = BackendRequest(environ)
    response: Any
    try:
        result = view(request, request.raw_url, dict(request.headers))
    except HTTPException as error:  # moto's RESTError answers, as Flask would render them
        response = error.get_response(environ)
    else:
        status, headers, content = result if len(result) == 3 else (200, {}, result)
        response = Response(response=content, status=status, headers=headers)
        if request.method == "HEAD" and "content-length" in headers:
            response.headers["Content-Length"] = headers["content-length"]
    return _run_app(response, environ)


def _run_app(app: WSGIApplication, environ: WSGIEnvironment) -> MotoAnswer:
    captured: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info

        def write(_: bytes) -> None:  # moto never uses the legacy write callable
            raise RuntimeError("write() is not supported")

        return write

    body = app(environ, start_response)
    headers = strip_moto_cors_headers(captured["headers"])
    return MotoAnswer(captured["status"], headers, body, captured.get("exc_info"))


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """``name=value&…`` percent-encoded the way S3 reads it (``name=`` for an empty value)."""
    return "&".join(f"{quote(n, safe=_QUERY_SAFE)}={quote(v, safe=_QUERY_SAFE)}" for n, v in pairs)


def s3_host(region: str | None) -> str:
    """The canonical S3 host moto sees: path style, naming ``region`` (us-east-1 if None)."""
    if region is None or region == "us-east-1":
        return "s3.amazonaws.com"
    return f"s3.{region}.amazonaws.com"


def call_s3(
    *,
    method: str,
    bucket: str | None,
    key: str | None,
    query: Sequence[tuple[str, str]],
    headers: Sequence[tuple[str, str]],
    body: Readable,
    length: int,
    region: str | None,
) -> MotoAnswer:
    """Run moto's S3 on exactly this request (path style; ``region`` tells CreateBucket where)."""
    path = "/"
    if bucket:
        path += bucket
        if key is not None:
            path += "/" + key
    form_type = _form_content_type(method, key, query, headers)
    if form_type is not None:
        # moto parses a form-typed body as a form and stores only its file part; S3 stores the
        # body as sent (BODY-08), so moto gets a neutral type and the stored one is set after
        headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
        headers.append(("content-type", "application/octet-stream"))
    authorized = [*headers, ("authorization", _authorized(region or "us-east-1", "s3"))]
    environ = _environ(method, s3_host(region), path, encode_query(query), authorized, body, length)
    answer = _run_s3(environ)
    if form_type is not None and answer.code == 200 and bucket and key is not None:
        set_content_type(bucket, key, form_type)
    return answer


#: Content types moto reads as a form in any request (werkzeug's form parsing).
_FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _form_content_type(
    method: str,
    key: str | None,
    query: Sequence[tuple[str, str]],
    headers: Sequence[tuple[str, str]],
) -> str | None:
    """The Content-Type of a PutObject whose body moto would parse as a form, else None."""
    if method != "PUT" or key is None or any(n in ("partNumber", "uploadId") for n, _ in query):
        return None
    value = next((v for n, v in headers if n.lower() == "content-type"), None)
    if value is None or value.split(";")[0].strip().lower() not in _FORM_TYPES:
        return None
    return value


def _authorized(region: str, service: str, access_key_id: str = "AKIAPRESIGNLABLAYER00") -> str:
    """An Authorization header moto reads but never checks: the layer already authorized.

    With it, moto skips its own partial access checks (which count any query containing
    ``Signature=`` as signed); it names the caller (IAM and STS read it) and the region.
    """
    return (
        f"AWS4-HMAC-SHA256 Credential={access_key_id}/20000101/{region}/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )


def call_query_api(
    service: str, params: Sequence[tuple[str, str]], *, access_key_id: str, region: str
) -> MotoAnswer:
    """Run moto's IAM or STS on the query-API call ``params`` made by ``access_key_id``."""
    import io

    body = urlencode(list(params)).encode("utf-8")
    headers = [
        ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("authorization", _authorized(region, service, access_key_id)),
    ]
    host = f"{service}.amazonaws.com"
    environ = _environ("POST", host, "/", "", headers, io.BytesIO(body), len(body))
    return _run(service, environ)


def set_content_type(bucket: str, key: str, content_type: str) -> None:
    """Give the object moto just stored under ``key`` the Content-Type it was sent with."""
    found = state._bucket(bucket)
    stored = found.keys.get(key) if found is not None else None
    if stored is not None:
        stored.set_metadata({"Content-Type": content_type})
