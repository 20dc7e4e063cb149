"""``presignlab serve``: run the seed's system locally, in the foreground until Ctrl-C or SIGTERM.

It runs the strict local S3 and, beside it (:class:`presignlab.seed.Stack`), the signing API
and the upload page on a second port, with a bucket whose CORS rule admits the page's origin
and a least-privilege signer. It prints ``S3 endpoint: http://HOST:PORT``, the root access key
id (never the secret key: it is AWS's documented example secret unless
``PRESIGNLAB_ROOT_SECRET_ACCESS_KEY`` is set), ``Signing API: http://HOST:API_PORT/presign``,
``Upload page: http://HOST:API_PORT/``, the bucket, the signer (never its secret key) and
how the signing API is guarded (a bearer token, served to the page and never printed, and a
per-caller rate limit).
``--s3-only`` runs the local S3 alone.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

__all__ = ["DEFAULT_PORT", "register", "run_serve"]

DEFAULT_PORT = 4566


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, not {value}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the strict local S3, the signing API and the upload page on local ports",
        description="Run the strict local S3 (with IAM and STS), the signing API and the upload "
        "page in the foreground; stop them with Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on, 0 for a free one (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--api-port",
        type=_port,
        default=None,
        help="port of the signing API and the upload page, 0 for a free one "
        "(default: the S3 port + 1, or a free one when --port is 0)",
    )
    parser.add_argument(
        "--s3-only",
        action="store_true",
        help="run only the strict local S3 (no bucket, signer, signing API or page)",
    )
    parser.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the exit status (0, or 1 when a port is taken)."""
    from ..locals3.server import LocalS3
    from ..locals3.wire.http_server import ServerBindError

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return 2
    api_port = getattr(args, "api_port", None)
    if api_port is None:
        api_port = args.port + 1 if 0 < args.port < 65535 else 0
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Both handlers before anything is printed. A process started in the background inherits an
    # ignored SIGINT, and Python then installs no KeyboardInterrupt handler: restore it.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_term = signal.signal(signal.SIGTERM, on_signal)
    server = LocalS3(host=args.host, port=args.port)
    stack = None
    try:
        try:
            server.start()
            if not getattr(args, "s3_only", False):
                from ..seed.stack import Stack

                stack = Stack(host=args.host, api_port=api_port, s3=server).start()
        except ServerBindError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"S3 endpoint: {server.endpoint_url}", flush=True)
        print(
            f"Root access key id: {server.access_key_id} (secret key: see the documentation)",
            flush=True,
        )
        for line in stack.lines() if stack is not None else []:
            print(line, flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass  # Ctrl-C at any point (starting, printing, serving) stops cleanly
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
        if stack is not None:
            stack.stop()
        server.stop()
    print("Stopped.", flush=True)
    return 0
