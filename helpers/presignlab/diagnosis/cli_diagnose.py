"""The ``presignlab diagnose`` sub-command.

``presignlab diagnose URL [--method M] [-H 'Name: value']... [--secret-key KEY]
[--now ISO8601] [--error-xml PATH|-] [--json] [--color auto|always|never]``

The request described is the one sent to URL with that method (default ``PUT``) and those
headers; a ``Host`` header overrides the URL's host. Exit status: 0 ok, 1 problems, 2 invalid
input. With ``--json`` exactly one JSON object is printed, even for invalid arguments. The
secret key never appears in any output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn

from .engine import DEFAULT_METHOD, Diagnosis, diagnose
from .error_body import MAX_ERROR_BODY
from .redact import redact

__all__ = ["register", "run"]



class _Invalid(Exception):
    pass


def _headers(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in values:
        name, colon, value = item.partition(":")
        if not colon or not name.strip():
            raise _Invalid(f"-H {item[:60]!r} is not 'Name: value'.")
        pairs.append((name.strip(), value.strip()))
    return pairs


def _now(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Invalid(
            f"--now {text[:40]!r} is not an ISO 8601 instant such as 2026-01-01T12:00:00Z."
        ) from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _error_xml(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        if path == "-":
            return sys.stdin.buffer.read(MAX_ERROR_BODY + 1)
        with open(path, "rb") as handle:
            return handle.read(MAX_ERROR_BODY + 1)
    except (OSError, ValueError, AttributeError) as exc:
        raise _Invalid(
            f"--error-xml {path[:80]!r} cannot be read: {getattr(exc, 'strerror', None) or exc}."
        ) from exc


def _emit(text: str) -> None:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding))


def _output(result: Diagnosis, args: argparse.Namespace) -> int:
    secret = getattr(args, "secret_key", None)
    if args.json:
        _emit(json.dumps(redact(result.to_dict(), secret=secret), indent=2))
    else:
        color = {"always": True, "never": False}.get(getattr(args, "color", "auto"))
        _emit(redact(result.to_text(color=color), secret=secret))
    return result.exit_status


def run(args: argparse.Namespace) -> int:
    """Diagnose the request the arguments describe, print the result, return the exit status."""
    try:
        headers, now, error_xml = _headers(args.headers), _now(args.now), _error_xml(args.error_xml)
    except _Invalid as exc:
        return _output(
            Diagnosis(verdict="invalid-input", method=str(args.method), error=str(exc)), args
        )
    result = diagnose(
        args.url,
        method=args.method,
        headers=headers,
        secret_key=args.secret_key,
        error_xml=error_xml,
        now=now,
    )
    return _output(result, args)


def _json_errors(parser: argparse.ArgumentParser) -> None:
    """Make argument errors print one JSON object (exit 2) when ``--json`` is among the arguments."""
    parse_known = parser.parse_known_args
    state = {"json": False}

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        state["json"] = "--json" in (args or [])
        namespace, extras = parse_known(args, namespace)
        if extras:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras

    def error(message: str) -> NoReturn:
        if not state["json"]:
            parser.print_usage(sys.stderr)
            print(f"{parser.prog}: error: {message}", file=sys.stderr)
            raise SystemExit(2)
        _emit(
            json.dumps(
                Diagnosis(verdict="invalid-input", error=f"bad arguments: {message}").to_dict(),
                indent=2,
            )
        )
        raise SystemExit(2)

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]
    parser.error = error  # type: ignore[method-assign]


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``diagnose`` sub-parser; its ``func`` returns the exit status."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "diagnose",
        help="explain why S3 refuses (or would refuse) a request to a presigned URL",
        description="Diagnose the request sent to a presigned S3 URL with a method and headers. "
        "Exit status: 0 ok, 1 problems, 2 invalid input.",
    )
    parser.add_argument("url", metavar="URL", help="the presigned URL, exactly as used (quote it in the shell)")
    parser.add_argument(
        "--method", metavar="M", default=DEFAULT_METHOD, help=f"HTTP method sent (default {DEFAULT_METHOD})"
    )
    parser.add_argument(
        "-H",
        "--header",
        dest="headers",
        action="append",
        default=[],
        metavar="'Name: value'",
        help="a header sent with the request (repeatable); Host overrides the URL's host",
    )
    parser.add_argument(
        "--secret-key", metavar="KEY", help="the signing secret: recompute the signature and search the cause"
    )
    parser.add_argument(
        "--now",
        metavar="ISO8601",
        help="when the request was sent, ISO 8601 "
        "(default: S3's ServerTime in --error-xml, else now)",
    )
    parser.add_argument(
        "--error-xml", metavar="PATH|-", help="S3's XML error body, from a file or stdin (-)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the human output (auto: only on a terminal)",
    )
    func: Callable[[argparse.Namespace], int] = run
    parser.set_defaults(func=func)
    _json_errors(parser)
    return parser
