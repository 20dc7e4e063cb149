"""Calling moto's WSGI application and post-processing its answer.

moto (through flask-cors) adds blanket ``Access-Control-*`` headers to every answer; S3 only
sends them when a CORS rule matches, so :func:`call_moto` removes them
(:func:`~presignlab.locals3.cors.strip_moto_cors_headers`) and lets the caller add the right
ones. The body iterable is passed on as it is (large GETs stream).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import cors
from . import state as moto_glue

__all__ = ["MotoAnswer", "Readable", "call_moto", "hand_body_to_moto"]


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


def call_moto(service: str, environ: dict[str, Any]) -> MotoAnswer:
    """Run moto's ``service`` application on ``environ``."""
    captured: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info

        def write(_: bytes) -> None:  # moto never uses the legacy write callable
            raise RuntimeError("write() is not supported")

        return write

    body = moto_glue.backend_app(service)(environ, start_response)
    headers = cors.strip_moto_cors_headers(captured["headers"])
    return MotoAnswer(captured["status"], headers, body, captured.get("exc_info"))


class Readable(Protocol):
    """What moto needs from ``wsgi.input``."""

    def read(self, size: int = -1, /) -> bytes: ...


def hand_body_to_moto(
    environ: dict[str, Any],
    body: Readable,
    length: int,
    *,
    header_changes: Iterable[tuple[str, str | None]] = (),
) -> None:
    """Make ``environ`` carry ``body``; ``header_changes`` set headers (or drop them: None)."""
    environ["wsgi.input"] = body
    environ["CONTENT_LENGTH"] = str(length)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    for name, value in header_changes:
        key = "HTTP_" + name.upper().replace("-", "_")
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
