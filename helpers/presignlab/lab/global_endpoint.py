"""A SYNTHETIC stand-in for Amazon S3's global endpoint redirecting a bucket of another region.

The strict local S3 serves every bucket at every host, so it never answers as the global
endpoint ``s3.amazonaws.com`` does for a recently created bucket in another region: ``307
TemporaryRedirect`` with a ``Location`` on the bucket's regional endpoint and an error body
naming it (Amazon S3 User Guide, "Request redirection and the REST API"; the body as quoted
in cperciva/bsdec2-image-upload#11 and kislyuk/aegea#51; docs/aws-behaviour.md ADDR-10;
browsers refuse it on a preflight, CORS-10).
:class:`GlobalEndpointStandIn` answers every request (preflights included) that way, on
127.0.0.1, so that a real browser can meet the redirect. It is not Amazon S3 and not the local
S3: notebooks label what it answers as synthetic.
"""

from __future__ import annotations

import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

__all__ = ["REDIRECT_MESSAGE", "GlobalEndpointStandIn", "redirect_body"]

#: The Message of S3's 307 TemporaryRedirect.
REDIRECT_MESSAGE = (
    "Please re-send this request to the specified temporary endpoint. "
    "Continue to use the original request endpoint for future requests."
)
_MAX_DRAINED = 1 << 20


def redirect_body(bucket: str, endpoint: str) -> bytes:
    """S3's 307 error body: Code, Message, Endpoint, Bucket, then RequestId and HostId."""
    request_id = secrets.token_hex(8).upper()
    host_id = secrets.token_urlsafe(54)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>TemporaryRedirect</Code><Message>{REDIRECT_MESSAGE}</Message>"
        f"<Endpoint>{escape(endpoint)}</Endpoint><Bucket>{escape(bucket)}</Bucket>"
        f"<RequestId>{request_id}</RequestId><HostId>{host_id}</HostId></Error>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "AmazonS3"
    sys_version = ""
    region = "eu-west-2"

    def _redirect(self) -> None:
        length = self.headers.get("Content-Length", "0")
        if length.isdigit():
            self.rfile.read(min(int(length), _MAX_DRAINED))
        parts = urlsplit(self.path)
        bucket, _, key = parts.path.lstrip("/").partition("/")
        endpoint = f"{bucket}.s3.{self.region}.amazonaws.com"
        body = redirect_body(bucket, endpoint)
        query = f"?{parts.query}" if parts.query else ""
        self.send_response(307)
        self.send_header("Location", f"https://{endpoint}/{key}{query}")
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_OPTIONS = do_PUT = do_GET = do_POST = do_HEAD = do_DELETE = _redirect

    def log_message(self, format: str, *args: object) -> None:
        """No access log."""


class GlobalEndpointStandIn:
    """Answers every request with 307 TemporaryRedirect to ``BUCKET.s3.REGION.amazonaws.com``.

    Path-style requests (``/BUCKET/KEY``) on 127.0.0.1 and a free port; ``url`` is its base.
    """

    def __init__(self, region: str = "eu-west-2", host: str = "127.0.0.1") -> None:
        handler = type("RegionHandler", (_Handler,), {"region": region})
        self._server = ThreadingHTTPServer((host, 0), handler)
        self._server.daemon_threads = True
        self.region = region
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Serve in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="GlobalEndpointStandIn", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
