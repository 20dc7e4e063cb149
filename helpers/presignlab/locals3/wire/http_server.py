"""The HTTP server under the strict local S3: werkzeug's threaded WSGI server, quiet and strict.

Why not waitress: waitress reads the whole body before it calls the application, and silently
drops a connection whose body is shorter than its Content-Length, so the local S3 could neither
answer ``IncompleteBody`` nor verify a body while it streams. werkzeug's threaded server (the
one moto's own ``ThreadedMotoServer`` uses) hands the socket stream to the application.

What we change in its request handler:

* every connection has a socket timeout (no worker hangs on a silent client);
* ``Server: AmazonS3`` (once) instead of werkzeug's banner;
* no request logging at all (notebooks run the server in-process and compare outputs);
* errors found before the application runs (malformed request line, header line too long,
  too many headers) are answered in S3's XML envelope instead of HTML. UNCONFIRMED: they use
  400 ``RequestHeaderSectionTooLarge`` for oversized headers and 400 ``BadRequest`` otherwise.
"""

from __future__ import annotations

import socket
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .errors import S3Error, new_request_ids

__all__ = ["DEFAULT_SOCKET_TIMEOUT", "QuietRequestHandler", "ServerBindError", "make_http_server"]

#: Seconds a connection may stay silent before its worker gives up.
DEFAULT_SOCKET_TIMEOUT = 20.0


class QuietRequestHandler(MotoRequestHandler):
    """moto's handler (keeps ``_`` in header names) without logs, with timeouts and XML errors."""

    timeout = DEFAULT_SOCKET_TIMEOUT

    _server_header_sent = False

    def version_string(self) -> str:
        """The ``Server`` header S3 sends."""
        return "AmazonS3"

    def send_response(self, code: int, message: str | None = None) -> None:
        """Start a response; its one ``Server`` header is ours (the application's is dropped)."""
        self._server_header_sent = False
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        """Send a header, except a second ``Server`` header."""
        if keyword.lower() == "server":
            if self._server_header_sent:
                return
            self._server_header_sent = True
        super().send_header(keyword, value)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log."""

    def log_error(self, format: str, *args: Any) -> None:
        """No error log on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """No log lines on stderr."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request the HTTP layer could not parse in S3's XML envelope, then close."""
        if code in (413, 431) or (message or "").lower().startswith(
            ("line too long", "too many headers")
        ):
            error = S3Error(
                400,
                "RequestHeaderSectionTooLarge",
                "Your request header section exceeds the maximum allowed size.",
            )
        elif code == 414:
            error = S3Error(400, "InvalidURI", "Couldn't parse the specified URI.")
        else:
            error = S3Error(400, "BadRequest", "An error occurred when parsing the HTTP request.")
        request_id, host_id = new_request_ids()
        body = error.to_xml(request_id, host_id)
        self.close_connection = True
        try:
            if not getattr(self, "request_version", None) or self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.1"
            self.send_response(error.status, "Bad Request")
            for name, value in error.response_headers(request_id, host_id, body):
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self._method_of_request_line() != "HEAD":
                self.wfile.write(body)
        except OSError:
            pass

    def _method_of_request_line(self) -> str:
        """The method, also when the request line could not be parsed (no body for a HEAD)."""
        if getattr(self, "command", None):
            return str(self.command)
        raw = getattr(self, "raw_requestline", b"") or b""
        return raw.split(b" ", 1)[0].decode("latin-1")

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        """A client that went away is not an error of ours."""


class ServerBindError(RuntimeError):
    """The address cannot be listened on (e.g. the port is taken)."""


class _QuietThreadedServer(ThreadedWSGIServer):
    daemon_threads = True

    def server_bind(self) -> None:
        """Bind, raising :class:`ServerBindError` (werkzeug would print and call sys.exit)."""
        try:
            super().server_bind()
        except OSError as exc:
            raise ServerBindError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}"
            ) from exc

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Broken connections are normal for a test server: no traceback on stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        """No server log."""


def make_http_server(
    host: str,
    port: int,
    app: Any,
    *,
    socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
    handler_class: type[WSGIRequestHandler] = QuietRequestHandler,
) -> ThreadedWSGIServer:
    """A quiet threaded server for ``app`` on ``host:port`` (0: a free port), not yet serving.

    Binding errors raise :class:`ServerBindError`; ``handler_class`` defaults to the S3 one.
    """
    handler = type("LocalRequestHandler", (handler_class,), {"timeout": socket_timeout})
    server = _QuietThreadedServer(host, port, app, handler=handler)
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return server
