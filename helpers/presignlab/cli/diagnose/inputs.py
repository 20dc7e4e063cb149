"""What ``presignlab diagnose`` reads from its arguments: the request, the secret, the files.

The request comes from the URL with ``--method`` and ``-H``, or from ``--curl`` (its URL,
method, headers and inline body size; ``--method`` and ``-H`` still apply on top). The secret
comes from ``--secret-key-env NAME`` (an environment variable), ``--secret-key -`` (the first
line of standard input) or, discouraged because other users can see it in ``ps``, the
argument itself. Every problem raises :class:`CliInputError` with what to give instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from ...diagnosis.error_body import MAX_ERROR_BODY
from ...diagnosis.inputs.curl import parse_curl
from ...diagnosis.result import DEFAULT_METHOD

__all__ = ["CliInputError", "Described", "described", "now_of", "read_input", "secret_of"]

#: The longest secret key read from standard input (AWS secrets are 40 characters).
MAX_SECRET = 4096


class CliInputError(Exception):
    """An argument that cannot be used."""


@dataclass(frozen=True)
class Described:
    """The request the arguments describe."""

    url: str
    method: str
    headers: tuple[tuple[str, str], ...]
    body_size: int | None


def _headers(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in values:
        name, colon, value = item.partition(":")
        if not colon or not name.strip():
            raise CliInputError(f"-H {item[:60]!r} is not 'Name: value'.")
        pairs.append((name.strip(), value.strip()))
    return pairs


def now_of(text: str | None) -> datetime | None:
    """``--now`` as an aware datetime (naive means UTC), or None."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CliInputError(
            f"--now {text[:40]!r} is not an ISO 8601 instant such as 2026-01-01T12:00:00Z."
        ) from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def read_input(option: str, path: str | None, limit: int = MAX_ERROR_BODY) -> bytes | None:
    """The bytes of a file argument (``-`` is standard input), at most ``limit`` + 1 of them."""
    if path is None:
        return None
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit + 1)
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except (OSError, ValueError, AttributeError) as exc:
        raise CliInputError(
            f"{option} {path[:80]!r} cannot be read: {getattr(exc, 'strerror', None) or exc}."
        ) from exc


def secret_of(args: argparse.Namespace) -> str | None:
    """The signing secret from ``--secret-key-env``, ``--secret-key -`` or ``--secret-key``."""
    name, given = getattr(args, "secret_key_env", None), getattr(args, "secret_key", None)
    if name is not None and given is not None:
        raise CliInputError("Give the secret key once: --secret-key-env or --secret-key, not both.")
    if name is not None:
        value = os.environ.get(name)
        if value is None:
            raise CliInputError(
                f"--secret-key-env {name[:60]!r}: no such environment variable is set."
            )
        return value
    if given == "-":
        if getattr(args, "error_xml", None) == "-":
            raise CliInputError(
                "Standard input can carry the secret key or the error body, not both."
            )
        raw = read_input("--secret-key", "-", MAX_SECRET) or b""
        line = raw.decode("utf-8", "surrogateescape").split("\n", 1)[0].removesuffix("\r")
        if not line:
            raise CliInputError("--secret-key -: standard input held no secret key.")
        return line
    return str(given) if given is not None else None


def described(args: argparse.Namespace) -> Described:
    """The request: from --curl, else from URL, with --method and -H applied."""
    headers = _headers(args.headers)
    if args.curl is not None:
        if args.url is not None:
            raise CliInputError("Give the URL or --curl, not both (--curl already names the URL).")
        sent = parse_curl(args.curl)
        return Described(
            sent.url, args.method or sent.method, (*sent.headers, *headers), sent.body_size
        )
    if args.url is None:
        raise CliInputError("Give the presigned URL, a --curl command or a --har file to diagnose.")
    method = args.method if args.method is not None else DEFAULT_METHOD
    return Described(args.url, method, tuple(headers), None)
