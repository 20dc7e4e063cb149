"""``presignlab serve``: run the strict local S3 in the foreground until Ctrl-C or SIGTERM.

It prints ``S3 endpoint: http://HOST:PORT`` and the root access key id (never the secret key:
it is AWS's documented example secret unless ``PRESIGNLAB_ROOT_SECRET_ACCESS_KEY`` is set).
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


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the strict local S3 (with IAM and STS) on a local port",
        description="Run the strict local S3 in the foreground; stop it with Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on, 0 for a free one (default: {DEFAULT_PORT})",
    )
    parser.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the exit status (0, or 1 when the port is taken)."""
    from .http_server import ServerBindError
    from .server import LocalS3

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return 2
    server = LocalS3(host=args.host, port=args.port)
    try:
        server.start()
    except ServerBindError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    print(f"S3 endpoint: {server.endpoint_url}", flush=True)
    print(
        f"Root access key id: {server.access_key_id} (secret key: see the documentation)",
        flush=True,
    )
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    print("Stopped.", flush=True)
    return 0
