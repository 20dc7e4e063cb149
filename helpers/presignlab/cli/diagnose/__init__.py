"""The ``presignlab diagnose`` sub-command.

``presignlab diagnose [URL | --curl 'curl ...' | --har FILE] [--method M] [-H 'Name: value']...
[--secret-key-env NAME | --secret-key -] [--now ISO8601] [--error-xml PATH|-] [--body-size N]
[--cors FILE] [--json] [--color auto|always|never]``

The request described is the one sent to URL with that method (default ``PUT``) and those
headers (a ``Host`` header overrides the URL's host), or the one a pasted curl command sends,
or each failed S3 request of a HAR file. Exit status: 0 ok, 1 problems, 2 invalid input.
With ``--json`` exactly one JSON object is printed, even for invalid arguments. The secret
key never appears in any output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from ...diagnosis.engine import diagnose
from ...diagnosis.inputs.cors_config import MAX_CORS_CONFIG, parse_cors_rules
from ...diagnosis.inputs.har import MAX_HAR
from ...diagnosis.redact import redact
from ...diagnosis.result import Diagnosis
from ...errors import PresignLabError
from .har import diagnose_har, label
from .inputs import CliInputError, described, now_of, read_input, secret_of
from .options import add_options

__all__ = ["register", "run"]

#: What the CLI adds when the evidence was incomplete (the findings themselves name no options).
_HINTS = (
    ("secret", "add --secret-key-env NAME (or --secret-key - to read it from standard input) to recompute the signature and search what was signed"),
    ("body", "add --error-xml with S3's error body: its canonical request shows what reached S3"),
)  # fmt: skip


def _emit(text: str) -> None:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding))


def _hints(result: Diagnosis, secret: str | None) -> list[str]:
    if result.verdict != "problems" or "signature-mismatch-unexplained" not in result.codes:
        return []
    missing = {"secret": secret is None, "body": result.error_body is None}
    return [f"hint: {text}" for key, text in _HINTS if missing[key]]


def _output(result: Diagnosis, args: argparse.Namespace, secret: str | None) -> int:
    if args.json:
        _emit(json.dumps(redact(result.to_dict(), secret=secret), indent=2))
    else:
        color = {"always": True, "never": False}.get(getattr(args, "color", "auto"))
        text = "\n".join([result.to_text(color=color), *_hints(result, secret)])
        _emit(redact(text, secret=secret))
    return result.exit_status


def _invalid(args: argparse.Namespace, message: str) -> int:
    return _output(
        Diagnosis(verdict="invalid-input", method=str(args.method or "PUT"), error=message),
        args,
        None,
    )


def _run_har(args: argparse.Namespace, secret: str | None, cors: Any) -> int:
    data = read_input("--har", args.har, MAX_HAR) or b""
    results = diagnose_har(data, secret, now_of(args.now), cors)
    worst = max((r.exit_status for _, r, _ in results), default=0)
    verdict = {0: "ok", 1: "problems", 2: "invalid-input"}[worst]
    if args.json:
        cases = [{"entry": x.index, "method": x.method, "url": x.url.split("?")[0], "status": x.status,
                  "note": note, "diagnosis": r.to_dict()} for x, r, note in results]  # fmt: skip
        _emit(json.dumps(redact({"verdict": verdict, "cases": cases}, secret=secret), indent=2))
        return worst
    color = {"always": True, "never": False}.get(getattr(args, "color", "auto"))
    lines = [f"{len(results)} failed S3 request(s) in the HAR file."]
    for exchange, result, note in results:
        lines += ["", f"== {label(exchange)}", result.to_text(color=color)] + (
            [f"note: {note}"] if note else []
        )
    _emit(redact("\n".join(lines), secret=secret))
    return worst


def run(args: argparse.Namespace) -> int:
    """Diagnose the request(s) the arguments describe, print the result, return the exit status."""
    try:
        secret = secret_of(args)
        raw_cors = read_input("--cors", args.cors, MAX_CORS_CONFIG)
        cors = parse_cors_rules(raw_cors) if raw_cors is not None else None
        if args.har is not None:
            if args.url is not None or args.curl is not None:
                raise CliInputError(
                    "--har diagnoses the requests of the file: give no URL or --curl with it."
                )
            return _run_har(args, secret, cors)
        request = described(args)
        error_xml = read_input("--error-xml", args.error_xml)
        now = now_of(args.now)
    except (CliInputError, PresignLabError) as exc:
        return _invalid(args, str(exc))
    result = diagnose(
        request.url, method=request.method, headers=request.headers, secret_key=secret,
        error_xml=error_xml, now=now,
        body_size=args.body_size if args.body_size is not None else request.body_size, cors=cors,
    )  # fmt: skip
    return _output(result, args, secret)


def _json_errors(parser: argparse.ArgumentParser) -> None:
    """Make argument errors print one JSON object (exit 2) when ``--json`` is among the arguments."""
    parse_known = parser.parse_known_args
    state = {"json": False}

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        state["json"] = "--json" in (args or [])
        namespace, extras = parse_known(args, namespace)
        if extras:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        if not any(getattr(namespace, n, None) is not None for n in ("url", "curl", "har")):
            parser.error("give the presigned URL, a --curl command or a --har file")
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
        description="Diagnose the request sent to a presigned S3 URL (or a pasted curl command, "
        "or the failed S3 requests of a HAR file). Exit status: 0 ok, 1 problems, 2 invalid input.",
    )
    add_options(parser)
    func: Callable[[argparse.Namespace], int] = run
    parser.set_defaults(func=func)
    _json_errors(parser)
    return parser
