"""``diagnose``: why does (or would) S3 refuse this request to this presigned URL?

:func:`diagnose` never raises. It reads the URL (unreadable input gives verdict
``invalid-input``), runs the structural checks, reads S3's error body when given, and with the
secret key recomputes the signature for the request S3 received; on a mismatch it searches for
the single change that reproduces the URL's signature (:mod:`presignlab.diagnosis.search`).
The :class:`Diagnosis` holds the ranked findings and the evidence; its ``to_dict`` is the JSON
of ``presignlab diagnose --json``.

The default method is ``PUT``: this kit is about presigned *upload* URLs.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..errors import PresignedUrlError, PresignLabError
from ..presigned_url import SIGV4_PARAMETERS, PresignedUrl, parse_presigned_url
from ..query_auth import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from ..query_string import parse_query
from ..sigv4 import HeaderPairs, header_pairs
from .body_checks import check_error_body
from .checks import check_request, check_time, check_url
from .error_body import S3ErrorBody, parse_error_body
from .explain import explain_from_body, explain_with_secret
from .findings import CONFIRMED, REPORTED, SIGNATURE_CODES, SUSPECTED, finding, rank
from .result import DEFAULT_METHOD, Diagnosis
from .search import Signer, sigv2_resource

__all__ = ["DEFAULT_METHOD", "Diagnosis", "diagnose"]
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class _InvalidInput(Exception):
    pass


def _invalid(message: str, method: str = DEFAULT_METHOD) -> Diagnosis:
    return Diagnosis(verdict="invalid-input", method=method, error=message)


def _request(url_text: str, method: object, headers: HeaderPairs) -> SentRequest:
    if not isinstance(method, str) or not _TOKEN.match(method):
        raise _InvalidInput(
            f"The method {str(method)[:20]!r} is not an HTTP method name (e.g. PUT, GET)."
        )
    pairs = header_pairs(headers)
    for name, value in pairs:
        if not _TOKEN.match(name):
            raise _InvalidInput(f"{name[:40]!r} is not a valid header name.")
        if _BAD_VALUE.search(value):
            raise _InvalidInput(
                f"The value of header {name} contains a line break or control character."
            )
    return SentRequest.to_url(url_text, method, pairs)


def _sign_described(url: PresignedUrl, request: SentRequest) -> tuple[str | None, str | None]:
    if url.version == "sigv2":
        return None, sigv2_string_to_sign(
            request, sigv2_resource(url, request), url.param("Expires") or ""
        )
    canonical = sigv4_canonical_request(request, url.signed_headers)
    if not url.amz_date or not url.region:
        return canonical, None
    return canonical, sigv4_string_to_sign(canonical, url.amz_date, url.region, url.service or "s3")


def _server_time(body: S3ErrorBody | None) -> datetime | None:
    """S3's clock when it answered (``<ServerTime>`` of expiry errors): when the request was sent."""
    text = body.get("ServerTime") if body is not None else None
    try:
        value = datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _unsigned_url(url_text: str) -> bool:
    """True for a readable http(s) URL without any authentication parameter (a POST form or CORS target)."""
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


def _body_only(url_text: str, method: str, headers: HeaderPairs, body: S3ErrorBody) -> Diagnosis:
    """A URL without authentication (presigned POST, CORS preflight): only the error body can speak."""
    request = _request(url_text, method, headers)
    found, notes = check_error_body(body, None)
    ranked = tuple(rank(found))
    return Diagnosis(
        verdict="problems" if ranked else "ok",
        findings=ranked,
        method=request.method,
        error_body=body,
        notes=(
            *notes,
            "The URL carries no authentication parameters, so only S3's error body was diagnosed.",
        ),
    )


def _diagnose(
    url_text: str,
    method: str,
    headers: HeaderPairs,
    secret_key: str | None,
    error_xml: str | bytes | None,
    now: datetime | None,
) -> Diagnosis:
    body = parse_error_body(error_xml) if error_xml is not None else None
    now = (
        (_server_time(body) or datetime.now(UTC))
        if now is None
        else (now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC))
    )
    try:
        url = parse_presigned_url(url_text)
    except PresignedUrlError:
        if body is None or not _unsigned_url(url_text):
            raise
        return _body_only(url_text, method, headers, body)
    described = _request(url_text, method, headers)
    found = check_url(url) + check_time(url, now) + check_request(url, described)
    canonical, to_sign = _sign_described(url, described)
    comparison, received, notes = None, described, []
    if body is not None:
        from_body, notes = check_error_body(body, url)
        found += from_body
        if body.code == "SignatureDoesNotMatch":
            from_diff, comparison, received = explain_from_body(
                body, url, described, canonical, to_sign
            )
            found += from_diff
    computed = matches = None
    if (
        secret_key is not None
        and url.signature
        and (url.version == "sigv2" or (url.amz_date and url.region))
    ):
        signer = Signer(url, secret_key)
        as_sent = signer.sign(described)
        computed, matches = as_sent.signature, signer.matches(as_sent)
        received_signed = as_sent if received == described else signer.sign(received)
        if signer.matches(received_signed):
            found = [
                f for f in found if not (f.code in SIGNATURE_CODES and f.strength == SUSPECTED)
            ]
            if body is not None and body.code == "SignatureDoesNotMatch":
                found.append(
                    finding(
                        "wrong-secret-key",
                        "The secret key given reproduces the URL's signature for "
                        "the request S3 received, yet S3 computed another: S3 holds a different "
                        f"secret for access key {url.access_key_id}.",
                        strength=CONFIRMED,
                    )
                )
        else:
            more, searched = explain_with_secret(signer, url, received, received_signed, found)
            found += more
            comparison = searched or comparison
    elif secret_key is not None:
        notes.append(
            "The signature cannot be recomputed: the URL lacks a signature, date or region."
        )
    if (
        body is not None
        and body.code == "SignatureDoesNotMatch"
        and not any(f.code in SIGNATURE_CODES for f in found)
    ):
        found.append(
            finding(
                "signature-mismatch-unexplained",
                "S3 computed exactly the request described, so the "
                "difference is in what was signed: rerun with --secret-key to find it.",
                strength=REPORTED,
            )
        )
    ranked = tuple(rank(found))
    return Diagnosis(
        verdict="problems" if ranked else "ok",
        findings=ranked,
        url=url,
        method=described.method,
        canonical_request=canonical,
        string_to_sign=to_sign,
        signature_provided=url.signature,
        signature_computed=computed,
        signature_matches=matches,
        comparison=comparison,
        error_body=body,
        notes=tuple(notes),
    )


def diagnose(
    url: str,
    method: str = DEFAULT_METHOD,
    headers: HeaderPairs = (),
    secret_key: str | None = None,
    error_xml: str | bytes | None = None,
    now: datetime | None = None,
) -> Diagnosis:
    """Diagnose the request sent to ``url`` with ``method`` and ``headers``; never raises.

    ``headers`` are the headers sent (a ``Host`` header overrides the URL's host);
    ``secret_key`` enables recomputing the signature and the candidate search; ``error_xml``
    is S3's error body; ``now`` is when the request was sent (default: the ``ServerTime`` in
    S3's error body when it has one, else the current time).
    """
    try:
        return _diagnose(url, method, headers, secret_key, error_xml, now)
    except (PresignLabError, _InvalidInput) as exc:
        return _invalid(str(exc), method if isinstance(method, str) else DEFAULT_METHOD)
    except Exception as exc:  # the promise is: never raise; say what happened instead
        return _invalid(f"this input could not be diagnosed ({type(exc).__name__}).")
