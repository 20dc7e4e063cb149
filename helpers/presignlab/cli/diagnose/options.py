"""The options of ``presignlab diagnose`` (see :mod:`.cli_diagnose` for what they do)."""

from __future__ import annotations

import argparse

from ...diagnosis.result import DEFAULT_METHOD

__all__ = ["add_options"]


def _size(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of bytes")
    return int(text)


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add every option of ``diagnose`` to ``parser``."""
    parser.add_argument(
        "url",
        metavar="URL",
        nargs="?",
        help="the presigned URL, exactly as used (quote it in the shell)",
    )
    parser.add_argument(
        "--curl",
        metavar="'curl ...'",
        help='the request as a curl command (the browser\'s "Copy as cURL", bash or cmd)',
    )
    parser.add_argument(
        "--har",
        metavar="FILE",
        help="a HAR file from the browser: diagnose each failed S3 request in it",
    )
    parser.add_argument(
        "--method",
        metavar="M",
        default=None,
        help=f"HTTP method sent (default {DEFAULT_METHOD}, or the curl command's)",
    )
    parser.add_argument(
        "-H", "--header", dest="headers", action="append", default=[], metavar="'Name: value'",
        help="a header sent with the request (repeatable); Host overrides the URL's host",
    )  # fmt: skip
    parser.add_argument(
        "--secret-key-env",
        metavar="NAME",
        help="read the signing secret from environment variable NAME",
    )
    parser.add_argument(
        "--secret-key", metavar="-",
        help="'-' reads the signing secret from standard input (a value given here is visible to other users in ps)",
    )  # fmt: skip
    parser.add_argument(
        "--now",
        metavar="ISO8601",
        help="when the request was sent (default: S3's ServerTime in --error-xml, the HAR's time, else now)",
    )
    parser.add_argument(
        "--error-xml", metavar="PATH|-", help="S3's XML error body, from a file or stdin (-)"
    )
    parser.add_argument(
        "--body-size",
        metavar="BYTES",
        type=_size,
        help="the size of the body sent (checks a signed Content-Length)",
    )
    parser.add_argument(
        "--cors",
        metavar="FILE",
        help="the bucket's CORS configuration (JSON or XML) to judge preflights against",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour the human output (auto: only on a terminal)",
    )  # fmt: skip
