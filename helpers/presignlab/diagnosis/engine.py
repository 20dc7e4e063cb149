"""``diagnose``: why does (or would) S3 refuse this request to this presigned URL?

:func:`diagnose` never raises. It reads the URL (unreadable input gives verdict
``invalid-input``) and the evidence, then takes one of three paths:

* an OPTIONS request is a CORS preflight (:mod:`.preflight_flow`): CORS findings only;
* a URL without authentication parameters (a POST form's target) with an error body: only
  the body can speak;
* otherwise the request to the presigned URL (:mod:`.request_flow`).

Whatever the path, an error body from S3 always yields at least one finding: a refusal is
never "ok". The :class:`Diagnosis` holds the ranked findings and the evidence; its
``to_dict`` is the JSON of ``presignlab diagnose --json``. The default method is ``PUT``:
this kit is about presigned *upload* URLs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import PresignedUrlError, PresignLabError
from ..signing.presigned_url import SIGV4_PARAMETERS, parse_presigned_url
from ..signing.sigv4 import HeaderPairs
from ..signing.uri import parse_query
from .checks.answer import check_error_body
from .error_body import parse_error_body
from .evidence import Evidence, InvalidInput, cors_rules, described_request, server_time
from .findings import rank
from .preflight_flow import diagnose_preflight
from .request_flow import diagnose_request
from .result import DEFAULT_METHOD, Diagnosis

__all__ = ["DEFAULT_METHOD", "Diagnosis", "diagnose"]
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _invalid(message: str, method: str = DEFAULT_METHOD) -> Diagnosis:
    return Diagnosis(verdict="invalid-input", method=method, error=message)


def _unsigned_url(url_text: str) -> bool:
    """True for a readable http(s) URL without any authentication parameter (a POST form or CORS target)."""
    if not isinstance(url_text, str):
        return False
    try:
        parts = urlsplit(url_text.strip())
        names = {n for n, _ in parse_query(parts.query)}
    except (ValueError, PresignLabError):
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not _CONTROL.search(url_text.strip())
        and not names & {*SIGV4_PARAMETERS, "AWSAccessKeyId", "Signature", "Expires"}
    )


def _body_only(url_text: str, method: str, headers: HeaderPairs, evidence: Evidence) -> Diagnosis:
    """A URL without authentication (presigned POST target): only the error body can speak."""
    assert evidence.body is not None
    request = described_request(url_text, method, headers)
    found, notes = check_error_body(evidence.body, None, request)
    ranked = tuple(rank(found))
    return Diagnosis(
        verdict="problems" if ranked else "ok", findings=ranked, method=request.method,
        error_body=evidence.body,
        notes=(*notes, "The URL carries no authentication parameters, so only S3's error body was diagnosed."),
    )  # fmt: skip


def _evidence(
    error_xml: str | bytes | None,
    now: datetime | None,
    body_size: object,
    cors: object,
    status: object,
    response_headers: object,
) -> Evidence:
    body = parse_error_body(error_xml) if error_xml is not None else None
    if body_size is not None and (
        not isinstance(body_size, int) or isinstance(body_size, bool) or body_size < 0
    ):
        raise InvalidInput("The body size must be a whole number of bytes (0 or more).")
    if status is not None and (
        not isinstance(status, int) or isinstance(status, bool) or not 0 <= status <= 999
    ):
        raise InvalidInput("The HTTP status must be a number from 0 to 999.")
    if response_headers is not None and not isinstance(response_headers, Mapping):
        raise InvalidInput("The response headers must be a mapping of names to values.")
    at = server_time(body) if now is None else now
    moment = (
        datetime.now(UTC)
        if at is None
        else (at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC))
    )
    headers = (
        {str(k): str(v) for k, v in response_headers.items()}
        if response_headers is not None
        else None
    )
    return Evidence(body, moment, at is None, body_size, cors_rules(cors), status, headers)


def diagnose(
    url: str,
    method: str = DEFAULT_METHOD,
    headers: HeaderPairs = (),
    secret_key: str | None = None,
    error_xml: str | bytes | None = None,
    now: datetime | None = None,
    *,
    body_size: int | None = None,
    cors: str | bytes | Sequence[Mapping[str, Any]] | None = None,
    status: int | None = None,
    response_headers: Mapping[str, str] | None = None,
) -> Diagnosis:
    """Diagnose the request sent to ``url`` with ``method`` and ``headers``; never raises.

    ``headers`` are the headers sent (a ``Host`` header overrides the URL's host);
    ``secret_key`` enables recomputing the signature and the candidate search; ``error_xml``
    is S3's error body; ``now`` is when the request was sent (default: the ``ServerTime`` in
    S3's error body when it has one, else the current time, and then expiry is only
    suspected). ``body_size`` is the size of the body sent, in bytes; ``cors`` the bucket's
    CORS configuration (JSON or XML text, or boto3-shaped rules); ``status`` and
    ``response_headers`` what S3 answered besides the body (from a HAR file).
    """
    try:
        if not isinstance(method, str):
            raise InvalidInput(
                f"The method {str(method)[:20]!r} is not an HTTP method name (e.g. PUT, GET)."
            )
        evidence = _evidence(error_xml, now, body_size, cors, status, response_headers)
        preflight = method.upper() == "OPTIONS"
        try:
            parsed = parse_presigned_url(url)
        except PresignedUrlError:
            if (evidence.body is None and not preflight) or not _unsigned_url(url):
                raise
            parsed = None
        if preflight:
            return diagnose_preflight(
                url, parsed, described_request(url, method, headers), evidence
            )
        if parsed is None:
            return _body_only(url, method, headers, evidence)
        return diagnose_request(
            url, parsed, described_request(url, method, headers), secret_key, evidence
        )
    except (PresignLabError, InvalidInput) as exc:
        return _invalid(str(exc), method if isinstance(method, str) else DEFAULT_METHOD)
    except Exception as exc:  # noqa: BLE001 - the promise is: never raise; say what happened
        return _invalid(f"this input could not be diagnosed ({type(exc).__name__}).")
