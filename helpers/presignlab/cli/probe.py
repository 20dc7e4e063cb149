"""``presignlab probe ENDPOINT``: how does this S3 endpoint answer presigned-upload failures?

``presignlab probe ENDPOINT [--region R] [--access-key-id ID (--secret-key-env NAME |
--secret-key -)] [--keep] [--json] [--record FILE] [--compare FILE] [--only ID]... [--yes]``

Runs the failure matrix (:mod:`presignlab.probing`) against ENDPOINT with the credentials given,
or boto3's usual chain, and prints, per case, what AWS answers, what the endpoint answered and
the verdict. Before a ``*.amazonaws.com`` endpoint it prints a cost note and asks (``--yes``
skips the question; without a terminal it refuses unless ``--yes`` is given), before any
request. Exit status: 0 every case run answered as AWS does, 1 some case differs (or real AWS
was not confirmed), 2 invalid input, 130 interrupted (after the clean-up). The secret key never
appears in any output.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import PresignLabError
from ..probing import (
    CASES,
    COST_NOTE,
    DIFFERS,
    ProbeReport,
    Target,
    compare_with_recording,
    load_recording,
    run_cases,
    save_recording,
)
from .diagnose.inputs import CliInputError, secret_of

__all__ = ["register", "run_probe"]


def register(subparsers: Any) -> None:
    """Add the ``probe`` sub-command to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "probe",
        help="compare how an S3 endpoint answers presigned-upload failures with what AWS answers",
        description="Run the kit's failure matrix against an S3 endpoint (creating and then "
        "deleting uniquely named buckets) and compare every answer with Amazon S3's. Exit "
        "status: 0 all same, 1 some differ, 2 invalid input, 130 interrupted.",
    )
    parser.add_argument(
        "endpoint",
        metavar="ENDPOINT",
        help="the endpoint, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000",
    )
    parser.add_argument("--region", default="us-east-1", help="the region to sign for and create buckets in (default: us-east-1)")  # fmt: skip
    parser.add_argument("--access-key-id", metavar="ID", help="the access key id (default: boto3's credential chain)")  # fmt: skip
    parser.add_argument("--secret-key-env", metavar="NAME", help="read the secret key from environment variable NAME")  # fmt: skip
    parser.add_argument("--secret-key", metavar="-", help="'-' reads the secret key from standard input")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="leave the buckets and the IAM user in place (for debugging)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--record", metavar="FILE", help="save the answers to FILE (JSON)")
    parser.add_argument("--compare", metavar="FILE", help="compare the answers with a recording made with --record")  # fmt: skip
    parser.add_argument(
        "--only", metavar="CASE", action="append", choices=[c.id for c in CASES],
        help="run only this case (repeatable)",
    )  # fmt: skip
    parser.add_argument("--yes", action="store_true", help="skip the cost note and question before real AWS")  # fmt: skip
    parser.set_defaults(func=run_probe)


def _target(args: argparse.Namespace) -> Target:
    if getattr(args, "secret_key", None) not in (None, "-"):
        raise CliInputError("--secret-key takes only '-' (standard input): use --secret-key-env.")
    secret = secret_of(args)
    if (args.access_key_id is None) != (secret is None):
        raise CliInputError(
            "Give --access-key-id together with --secret-key-env NAME or --secret-key -, "
            "or neither (boto3's credential chain)."
        )
    return Target.make(
        args.endpoint,
        region=args.region,
        access_key_id=args.access_key_id,
        secret_access_key=secret,
    )


def _confirmed(args: argparse.Namespace) -> bool:
    """The cost note, and the user's yes, before real AWS (never asked with --yes)."""
    if args.yes:
        return True
    print(f"Cost note: {COST_NOTE}", file=sys.stderr)
    if args.secret_key == "-" or not sys.stdin.isatty():
        print("Not confirmed: run again with --yes to go ahead.", file=sys.stderr)
        return False
    answer = input("Go ahead? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _fail(args: argparse.Namespace, message: str, status: int) -> int:
    if args.json:
        print(json.dumps({"error": message}, indent=2))
    else:
        print(f"error: {message}", file=sys.stderr)
    return status


def _print(report: ProbeReport, args: argparse.Namespace, recording: Any) -> None:
    comparison = compare_with_recording(report, recording) if recording is not None else None
    if args.json:
        data = report.to_dict()
        if comparison is not None:
            data["comparison"] = comparison.to_dict()
        print(json.dumps(data, indent=2))
        return
    print(report.to_text())
    for line in report.cleanup:
        print(f"clean-up: {line}")
    if report.kept:
        print(f"kept (--keep): {', '.join(report.kept)}")
    if comparison is not None:
        print()
        print(comparison.to_text())


def run_probe(args: argparse.Namespace) -> int:
    """Probe the endpoint the arguments name; returns the exit status."""
    try:
        target = _target(args)
        recording = load_recording(args.compare) if args.compare is not None else None
    except (CliInputError, PresignLabError) as exc:
        return _fail(args, str(exc), 2)
    if target.kind == "aws" and not _confirmed(args):
        return _fail(args, "real AWS not confirmed (--yes); nothing was sent", 1)
    cases = [c for c in CASES if args.only is None or c.id in args.only]
    try:
        report = run_cases(target, cases, keep=args.keep)
    except KeyboardInterrupt as exc:
        partial: ProbeReport | None = getattr(exc, "report", None)
        if partial is not None:
            _print(partial, args, None)
        print("interrupted: everything the probe created was deleted", file=sys.stderr)
        return 130
    _print(report, args, recording)
    if args.record is not None:
        try:
            save_recording(report, args.record)
        except OSError as exc:
            return _fail(args, f"--record {args.record[:80]!r}: {exc.strerror or exc}", 2)
    return 1 if report.ids(DIFFERS) else 0
