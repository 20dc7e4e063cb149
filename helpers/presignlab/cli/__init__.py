"""The ``presignlab`` command: ``diagnose`` a presigned URL, ``serve`` the strict local S3,
``probe`` an S3 endpoint.

Each sub-command lives in its own module that exposes ``register(subparsers)``; ``register``
adds the sub-parser and sets ``func`` (called with the parsed arguments, returning the exit
status) as its default.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

__all__ = ["build_parser", "main"]

#: Modules that contribute a sub-command, in the order ``--help`` lists them.
SUBCOMMAND_MODULES = (
    "presignlab.cli.diagnose",
    "presignlab.cli.serve",
    "presignlab.cli.probe",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="presignlab",
        description="Learn and debug Amazon S3 presigned upload URLs.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
