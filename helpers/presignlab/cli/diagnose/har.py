"""``presignlab diagnose --har FILE``: every failed S3 request of a browser session, in order.

Each failed request (or refused preflight) becomes one diagnosis, with the time the browser
recorded as the time of sending, S3's status, headers and error body, the request's body size,
and the preflight paired with it. The printed URL stops before the query, so neither a
session token nor a signature is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from ...diagnosis.engine import diagnose
from ...diagnosis.error_body import parse_error_body
from ...diagnosis.findings import finding, rank
from ...diagnosis.inputs.cors_config import CorsRule
from ...diagnosis.inputs.har import HarCase, HarExchange, failed_s3_cases, parse_har
from ...diagnosis.result import Diagnosis
from ...errors import ErrorBodyError

__all__ = ["HarResult", "diagnose_har", "label"]

HarResult = tuple[HarExchange, Diagnosis, str | None]


def _body(exchange: HarExchange) -> str | None:
    text = exchange.response_body
    if not text or "<Error" not in text:
        return None
    try:
        parse_error_body(text)
    except ErrorBodyError:
        return None
    return text


def _one(
    case: HarCase, secret: str | None, now: datetime | None, cors: Sequence[CorsRule] | None
) -> HarResult:
    first = case.first
    note = None
    if first is case.preflight and case.request is not None:
        note = f"The browser then sent (or blocked) the {case.request.method} itself: entry {case.request.index}."
    elif first is case.preflight:
        note = "The browser never sent the request itself: its preflight was refused."
    result = diagnose(
        first.url, first.method, first.headers, secret_key=secret, error_xml=_body(first),
        now=now or first.started, body_size=first.body_size if first.method != "OPTIONS" else None,
        cors=list(cors) if cors is not None else None, status=first.status,
        response_headers=first.response_headers,
    )  # fmt: skip
    if first.status == 0 and first.method == "OPTIONS":
        result = _unanswered_preflight(first, result)
    if first.status == 0 and first.method != "OPTIONS":
        note = "The browser did not let the page read S3's answer (status 0): usually a CORS refusal of the answer."
    return first, result, note


def _unanswered_preflight(exchange: HarExchange, result: Diagnosis) -> Diagnosis:
    """A preflight the browser recorded without an answer (status 0): what its error says.

    Chromium records a preflight answered with a redirect as ``net::ERR_INVALID_REDIRECT``
    and keeps neither the status nor the body (CORS-10); S3 redirects only requests sent to
    an endpoint that does not serve the bucket (ADDR-10).
    """
    error = exchange.error or "no error recorded"
    if "INVALID_REDIRECT" in error:
        found = finding(
            "wrong-endpoint",
            f"The browser refused a redirect of the preflight ({error}): a browser never follows "
            "one. S3 redirects a request sent to an endpoint that does not serve the bucket (the "
            "global endpoint, for a bucket in another region); send the same OPTIONS with curl "
            "to see S3's answer and the endpoint it names.",
        )
    else:
        found = finding(
            "cors-preflight-denied",
            f"The browser got no usable answer to the preflight ({error}).",
        )
    findings = (*result.findings, found)
    return replace(result, verdict="problems", findings=tuple(rank(list(findings))))


def diagnose_har(
    data: bytes, secret: str | None, now: datetime | None, cors: Sequence[CorsRule] | None
) -> list[HarResult]:
    """One diagnosis per failed S3 request (preflight first when it failed), in recorded order."""
    return [_one(case, secret, now, cors) for case in failed_s3_cases(parse_har(data))]


def label(exchange: HarExchange) -> str:
    """``entry N: METHOD URL-without-query (HTTP status)``."""
    return f"entry {exchange.index}: {exchange.method} {exchange.url.split('?')[0]} (HTTP {exchange.status})"
