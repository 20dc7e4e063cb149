"""``probe``: run the failure matrix against an endpoint, then delete what it created.

Every bucket and IAM user is registered for clean-up before it is created, and the clean-up
runs in ``finally``: after a failure, and after Ctrl-C (``KeyboardInterrupt`` is re-raised once
everything is deleted; the rows run so far are on the exception's ``report`` attribute).
``keep=True`` leaves everything in place and lists it. Before touching real AWS the probe
wants ``yes=True`` (the CLI asks, or takes ``--yes``): it creates and deletes a few buckets,
objects and an IAM user, which costs a few requests.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version

import requests
from botocore.exceptions import BotoCoreError, ClientError

from ..clock import Clock
from ..lab.resources import delete_all
from .cases import CASES, Case, wrong_region
from .compare import NOT_APPLICABLE, SKIPPED, Verdict, compare
from .context import NotApplicable, ProbeContext, Skipped, refusal
from .expected import EXPECTED
from .result import ProbeReport, Row
from .target import ProbeError, Target

__all__ = ["COST_NOTE", "probe", "run_cases"]

COST_NOTE = (
    "This sends about a hundred requests to real Amazon S3, IAM and STS in your account: it "
    "creates three buckets named presignlab-probe-*, a few small objects and one IAM user with "
    "an access key, and deletes them all at the end (you pay for the requests; nothing stays "
    "stored)."
)

#: How far ``server_clock`` may be from real time: boto3 signs the set-up calls by real time,
#: and an endpoint refuses a request more than 15 minutes off (AUTH-H-03).
_MAX_SKEW = timedelta(minutes=5)
_RUN_ID = re.compile(r"[a-z0-9]{1,12}")
_CLOCK_REASON = "needs an endpoint clock the probe can move (only the kit's local S3 has one)"


def _versions() -> dict[str, str]:
    found = {}
    for name in ("presignlab", "boto3", "botocore"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found


def _run_case(ctx: ProbeContext, case: Case) -> Row:
    expected = EXPECTED[case.id].for_region(ctx.target.region, wrong_region(ctx.target.region))
    observed = None
    if "clock" in case.needs and ctx.target.server_clock is None:
        verdict = Verdict(SKIPPED, reason=_CLOCK_REASON)
    else:
        try:
            observed = case.perform(ctx)
            verdict = compare(expected, observed)
        except NotApplicable as exc:
            verdict = Verdict(NOT_APPLICABLE, reason=str(exc))
        except Skipped as exc:
            verdict = Verdict(SKIPPED, reason=str(exc))
        except (BotoCoreError, ClientError) as exc:
            verdict = Verdict(SKIPPED, reason=f"set-up failed ({refusal(exc)})")
        except (requests.RequestException, OSError) as exc:
            verdict = Verdict(SKIPPED, reason=f"no answer ({type(exc).__name__})")
    return Row(case.id, case.title, case.group, expected, observed, verdict)


def _progress(enabled: bool | None) -> Callable[[int, int, str], None]:
    show = sys.stderr.isatty() if enabled is None else enabled

    def tick(done: int, total: int, case_id: str) -> None:
        if not show:
            return
        end = "\n" if done == total else ""
        print(f"\rprobe [{done:>2}/{total}] {case_id:<40}", end=end, file=sys.stderr, flush=True)

    return tick


def _clean(ctx: ProbeContext, report: ProbeReport, keep: bool) -> None:
    resources = ctx.resources
    if not keep and (resources.buckets or resources.users):
        iam = ctx.client("iam") if resources.users else None
        report.cleanup = delete_all(ctx.client("s3"), iam, resources)
    report.kept = [*resources.buckets, *resources.users]


def run_cases(
    target: Target,
    cases: Iterable[Case] = CASES,
    *,
    keep: bool = False,
    run_id: str | None = None,
    progress: bool | None = None,
) -> ProbeReport:
    """Run ``cases`` against ``target`` and clean up; the report of every case run."""
    run = run_id or secrets.token_hex(4)
    if not _RUN_ID.fullmatch(run):
        raise ProbeError(f"run_id {run[:20]!r}: 1 to 12 lower-case letters and digits.")
    selected = list(cases)
    ctx = ProbeContext(target, run)
    report = ProbeReport(
        endpoint=target.endpoint,
        endpoint_kind=target.kind,
        region=target.region,
        date=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        versions=_versions(),
    )
    tick = _progress(progress)
    try:
        for number, case in enumerate(selected, 1):
            tick(number - 1, len(selected), case.id)
            report.rows.append(_run_case(ctx, case))
            tick(number, len(selected), case.id)
    except KeyboardInterrupt as exc:
        report.interrupted = True
        exc.report = report  # type: ignore[attr-defined]
        raise
    finally:
        report.server = ctx.server
        _clean(ctx, report, keep)
    return report


def probe(
    endpoint: str,
    *,
    region: str = "us-east-1",
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    keep: bool = False,
    yes: bool = False,
    server_clock: Clock | None = None,
    run_id: str | None = None,
    only: Iterable[str] | None = None,
    progress: bool | None = None,
) -> ProbeReport:
    """Run the kit's failure matrix against ``endpoint`` and compare each answer with AWS's.

    Credentials: ``access_key_id`` and ``secret_access_key`` (and a ``session_token``), or
    boto3's usual chain. ``server_clock`` is the endpoint's clock when the probe may move it
    (``LocalS3().clock``); without it the cases that need one are skipped. ``run_id`` fixes the
    unique part of the resource names (random by default); ``only`` selects case ids.
    ``progress`` prints a counter on standard error (default: when it is a terminal).
    A ``*.amazonaws.com`` endpoint needs ``yes=True`` (:data:`COST_NOTE`).
    """
    target = Target.make(
        endpoint,
        region=region,
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
        session_token=session_token,
        server_clock=server_clock,
    )
    if server_clock is not None and abs(server_clock.now() - datetime.now(UTC)) > _MAX_SKEW:
        raise ProbeError(
            "server_clock is more than 5 minutes from real time: boto3 signs the probe's "
            "set-up (CreateBucket, IAM, STS) by real time, so the endpoint would refuse it. "
            "Resume the clock first (clock.resume())."
        )
    if target.kind == "aws" and not yes:
        raise ProbeError(f"{COST_NOTE} Pass yes=True (or --yes) to go ahead.")
    cases: Iterable[Case] = CASES
    if only is not None:
        wanted = list(only)
        unknown = sorted(set(wanted) - {case.id for case in CASES})
        if unknown:
            raise ProbeError(f"unknown case id(s): {', '.join(unknown)}")
        cases = [case for case in CASES if case.id in wanted]
    return run_cases(target, cases, keep=keep, run_id=run_id, progress=progress)
