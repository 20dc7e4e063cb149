"""The HTTP server under the strict local S3: werkzeug's threaded WSGI server, bounded and quiet.

Why not waitress: waitress reads the whole body before it calls the application, and silently
drops a connection whose body is shorter than its Content-Length, so the local S3 could neither
answer ``IncompleteBody`` nor verify a body while it streams. werkzeug's threaded server (the
one moto's own ``ThreadedMotoServer`` uses) hands the socket stream to the application.

What we change in its request handler (docs/aws-behaviour.md, "The wire"):

* the header list is kept as read (names as sent, duplicates, order) under
  :data:`~presignlab.locals3.wire.request.RAW_HEADERS`, so the request model sees exactly what
  arrived (werkzeug drops headers whose names contain ``_``);
* **deadlines**: the request line and headers must arrive within ``header_timeout`` seconds and
  the body within ``header_timeout`` plus one second per :data:`MIN_BODY_RATE` bytes, whatever
  the pace, and no single read may wait longer than the socket timeout; a client too slow gets
  400 ``RequestTimeout`` (BODY-04, LIMIT-04), so a trickling client cannot hold a worker;
* **a connection cap**: beyond ``max_connections`` open connections a new one is answered
  503 ``SlowDown`` at once and closed (CHOICE-98);
* once the answer's headers are sent, what the client still sends of an unread body is drained
  for at most :data:`DRAIN_SECONDS` (werkzeug's own drain would wait for 10 MB), so an early
  refusal (a 412 to a large PUT, say) never holds the connection until the socket timeout;
* ``Server: AmazonS3`` (once) instead of werkzeug's banner; no request logging at all;
* errors found before the application runs (malformed request line, header line too long,
  too many headers) are answered in S3's XML envelope instead of HTML (CHOICE-04).
"""

from __future__ import annotations

import io
import socket
import threading
import time
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .catalogue import (
    bad_request,
    header_section_too_large,
    invalid_uri,
    request_timeout,
    slow_down,
)
from .errors import S3Error, new_request_ids
from .request import RAW_HEADERS

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_SOCKET_TIMEOUT",
    "DRAIN_SECONDS",
    "MIN_BODY_RATE",
    "QuietRequestHandler",
    "ServerBindError",
    "make_http_server",
]

#: Seconds a connection may stay silent before its worker gives up.
DEFAULT_SOCKET_TIMEOUT = 20.0
#: Seconds the request line and headers may take in all.
DEFAULT_HEADER_TIMEOUT = 20.0
#: Open connections served at once; more get 503 SlowDown.
DEFAULT_MAX_CONNECTIONS = 1024
#: The slowest average body rate accepted (bytes per second), beyond the header allowance.
MIN_BODY_RATE = 64 * 1024
#: Seconds spent draining an unread body after the answer was sent.
DRAIN_SECONDS = 1.0
_MAX_REQUEST_LINE = 65536


class _DeadlineReader(io.RawIOBase):
    """The socket as a raw stream whose reads stop at a deadline (TimeoutError after it)."""

    def __init__(self, sock: socket.socket, idle: float | None) -> None:
        self._sock = sock
        self._idle = idle
        self.deadline: float | None = None
        self.draining = False
        self._drain_until: float | None = None

    def readable(self) -> bool:
        return True

    def _drain_into(self, buffer: Any) -> int:
        now = time.monotonic()
        if self._drain_until is None:
            self._drain_until = now + DRAIN_SECONDS
        left = self._drain_until - now
        if left <= 0:
            return 0
        try:
            self._sock.settimeout(min(0.05, left))
            return self._sock.recv_into(buffer)
        except OSError:
            return 0

    def readinto(self, buffer: Any) -> int:
        if self.draining:
            return self._drain_into(buffer)
        timeout = self._idle
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request took longer than its deadline")
            timeout = left if timeout is None else min(timeout, left)
        self._sock.settimeout(timeout)
        return self._sock.recv_into(buffer)


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's handler with raw headers, deadlines, a bounded drain and XML errors."""

    timeout = DEFAULT_SOCKET_TIMEOUT
    header_timeout = DEFAULT_HEADER_TIMEOUT

    _server_header_sent = False
    _reader: _DeadlineReader | None = None

    def setup(self) -> None:
        """Read the socket through a deadline-aware stream."""
        super().setup()
        self.rfile.close()
        self._reader = _DeadlineReader(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self._reader, 65536)

    def handle_one_request(self) -> None:
        """One request: line and headers by the header deadline, else 400 RequestTimeout."""
        reader = self._reader
        if reader is not None:
            reader.deadline = time.monotonic() + self.header_timeout
            reader.draining = False
        try:
            self.raw_requestline = self.rfile.readline(_MAX_REQUEST_LINE + 1)
            if len(self.raw_requestline) > _MAX_REQUEST_LINE:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
        except TimeoutError:
            self._send_xml_error(request_timeout())
            return
        self.run_wsgi()
        self.wfile.flush()

    def handle_expect_100(self) -> bool:
        """Accept ``Expect: 100-continue``; werkzeug sends the interim answer when it runs."""
        return True

    def make_environ(self) -> Any:
        """werkzeug's environ, plus the headers as read and the body's deadline."""
        environ = super().make_environ()
        environ[RAW_HEADERS] = list(self.headers.items())
        if self._reader is not None:
            declared = str(self.headers.get("x-amz-decoded-content-length") or "").strip()
            if not declared.isdigit():
                declared = str(self.headers.get("content-length") or "0").strip()
            size = int(declared) if declared.isdigit() else 0
            self._reader.deadline = time.monotonic() + self.header_timeout + size / MIN_BODY_RATE
        return environ

    def end_headers(self) -> None:
        """Send the headers; from now on, reading the socket only drains what is left."""
        super().end_headers()
        if self._reader is not None:
            self._reader.draining = True

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
            error = header_section_too_large()
        elif code == 414:
            error = invalid_uri()
        else:
            error = bad_request()
        self._send_xml_error(error)

    def _send_xml_error(self, error: S3Error) -> None:
        request_id, host_id = new_request_ids()
        body = error.to_xml(request_id, host_id)
        self.close_connection = True
        try:
            if not getattr(self, "request_version", None) or self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.1"
            self.send_response(error.status, _REASONS.get(error.status, "Bad Request"))
            for name, value in error.response_headers(request_id, host_id, body):
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self._method_of_request_line() != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
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


_REASONS = {400: "Bad Request", 503: "Service Unavailable"}


class ServerBindError(RuntimeError):
    """The address cannot be listened on (e.g. the port is taken)."""


class _QuietThreadedServer(ThreadedWSGIServer):
    daemon_threads = True
    max_connections = DEFAULT_MAX_CONNECTIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._open = 0
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def server_bind(self) -> None:
        """Bind, raising :class:`ServerBindError` (werkzeug would print and call sys.exit)."""
        try:
            super().server_bind()
        except OSError as exc:
            raise ServerBindError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}"
            ) from exc

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, up to the cap; beyond it 503 SlowDown at once."""
        with self._open_lock:
            full = self._open >= self.max_connections
            if not full:
                self._open += 1
        if full:
            _refuse(request)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its place under the cap."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Broken connections are normal for a test server: no traceback on stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        """No server log."""


def _refuse(sock: socket.socket) -> None:
    error = slow_down()
    request_id, host_id = new_request_ids()
    body = error.to_xml(request_id, host_id)
    head = "".join(
        f"{name}: {value}\r\n" for name, value in error.response_headers(request_id, host_id, body)
    )
    try:
        sock.settimeout(1.0)
        sock.sendall(
            f"HTTP/1.1 503 Slow Down\r\n{head}Connection: close\r\n\r\n".encode("latin-1") + body
        )
    except OSError:
        pass


def make_http_server(
    host: str,
    port: int,
    app: Any,
    *,
    socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    handler_class: type[WSGIRequestHandler] = QuietRequestHandler,
) -> ThreadedWSGIServer:
    """A quiet threaded server for ``app`` on ``host:port`` (0: a free port), not yet serving.

    Binding errors raise :class:`ServerBindError`; ``handler_class`` defaults to the S3 one.
    """
    handler = type(
        "LocalRequestHandler",
        (handler_class,),
        {"timeout": socket_timeout, "header_timeout": header_timeout},
    )
    server = _QuietThreadedServer(host, port, app, handler=handler)
    server.max_connections = max_connections
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return server
