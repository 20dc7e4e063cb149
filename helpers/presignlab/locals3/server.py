"""``LocalS3``: the strict local S3 (plus IAM and STS) on a local port, started from Python.

Example::

    with LocalS3() as s3:
        client = s3.client()
        client.create_bucket(Bucket="demo")
        s3.clock.advance(hours=2)  # every time-based check follows this clock

moto keeps its state in process-global backends, so each :meth:`LocalS3.start` resets them and
only one LocalS3 may run in a process at a time (a second ``start`` raises RuntimeError).
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Self

from ..clock import Clock
from .app import StrictS3App
from .authn.credentials import MotoCredentialStore, root_keys_from_env
from .backend import state
from .wire.http_server import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_SOCKET_TIMEOUT,
    make_http_server,
)

__all__ = ["DEFAULT_REGION", "LocalS3"]

DEFAULT_REGION = "us-east-1"

_running_lock = threading.Lock()
_running: LocalS3 | None = None
_session_lock = threading.Lock()
_session: Any = None


def _boto3_session() -> Any:
    """One boto3 session per process: its loaded service models make new clients cheap."""
    global _session
    with _session_lock:
        if _session is None:
            import boto3

            _session = boto3.session.Session()
        return _session


class LocalS3:
    """A strict local S3 endpoint answering S3, IAM and STS calls like AWS.

    ``port=None`` picks a free port. The root key pair is AWS's documented example pair unless
    ``PRESIGNLAB_ROOT_ACCESS_KEY_ID`` / ``PRESIGNLAB_ROOT_SECRET_ACCESS_KEY`` are set. ``clock``
    drives every time-based check (URL expiry, session lifetime, POST policy expiration).
    ``socket_timeout`` bounds one silent read, ``header_timeout`` the request line and headers
    (the body gets it plus a second per 64 KiB); ``max_connections`` open connections are
    served at once, more get 503 SlowDown.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        clock: Clock | None = None,
        socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        keys = root_keys_from_env()
        self.host = host
        self.port = port or 0
        self.clock = clock or Clock()
        self.account_id = state.MOTO_ACCOUNT_ID
        self.access_key_id = keys.access_key_id
        self.secret_access_key = keys.secret_access_key
        self.store = MotoCredentialStore(keys, self.account_id)
        self.socket_timeout = socket_timeout
        self.header_timeout = header_timeout
        self.max_connections = max_connections
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.endpoint_url if self.running else "stopped"
        return f"LocalS3({state}, access_key_id={self.access_key_id!r})"

    @staticmethod
    def current() -> LocalS3 | None:
        """The LocalS3 running in this process, if any (handy when a notebook cell is re-run)."""
        with _running_lock:
            return _running

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None

    @property
    def endpoint_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._server is None:
            raise RuntimeError("LocalS3 is not running: call start() or use it in a with block")
        return f"http://{self.host}:{self.port}"

    def start(self) -> LocalS3:
        """Reset moto's state and start serving in a background thread; returns self.

        Raises :class:`~presignlab.locals3.http_server.ServerBindError` when the port is taken.
        """
        global _running
        with _running_lock:
            if self._server is not None:
                return self
            if _running is not None:
                raise RuntimeError(
                    "Another LocalS3 is already running in this process (moto's state is "
                    "process-global); stop it first, or reuse it: LocalS3.current()."
                )
            state.quiet_loggers()
            state.reset_state()
            app = StrictS3App(self.store, self.clock, self.account_id)
            server = make_http_server(
                self.host,
                self.port,
                app,
                socket_timeout=self.socket_timeout,
                header_timeout=self.header_timeout,
                max_connections=self.max_connections,
            )
            self.port = int(server.server_address[1])
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"LocalS3:{self.port}",
                daemon=True,
            )
            self._thread.start()
            _running = self
        return self

    def stop(self) -> None:
        """Stop serving and free the port (moto's state is dropped at the next start)."""
        global _running
        with _running_lock:
            server, thread = self._server, self._thread
            self._server, self._thread = None, None
            if _running is self:
                _running = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def client(self, service: str = "s3", **kwargs: Any) -> Any:
        """A boto3 client for this endpoint: us-east-1, SigV4, path-style, root keys, no retries.

        Over ``http://`` botocore 1.44 signs the payload's SHA-256 and sends checksums as headers
        (no aws-chunked bodies); the server also decodes aws-chunked bodies from other clients.

        ``aws_access_key_id`` / ``aws_secret_access_key`` / ``aws_session_token`` and any other
        boto3 ``client()`` argument override the defaults; a ``config`` is merged with ours.
        """
        from botocore.config import Config

        ours = Config(
            signature_version="s3v4" if service == "s3" else None,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1, "mode": "standard"},
        )
        user_config = kwargs.pop("config", None)
        config = ours.merge(user_config) if user_config is not None else ours
        options: dict[str, Any] = {
            "endpoint_url": self.endpoint_url,
            "region_name": DEFAULT_REGION,
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "config": config,
        }
        if "aws_access_key_id" in kwargs:
            options.pop("aws_secret_access_key")
        options.update(kwargs)
        session = _boto3_session()
        with _session_lock:
            return session.client(service, **options)
