"""The diagnosis of a CORS preflight, and of the preflight a browser sends before a request.

A preflight is not authenticated: it gets CORS findings only (:mod:`.preflight`), never a
signature finding, and ``cors-preflight-denied`` comes first. For an ordinary request with an
``Origin`` header and the bucket's CORS rules, :func:`browser_preflight_findings` judges the
preflight the browser would have sent first (a PUT always needs one).
"""

from __future__ import annotations

from ..signing.presigned_url import PresignedUrl
from ..signing.sent_request import SentRequest
from .checks.answer import check_error_body
from .checks.cors_rules import browser_preflight
from .checks.preflight import Preflight, preflight_findings
from .evidence import Evidence
from .findings import REPORTED, SUSPECTED, Finding, finding, rank
from .result import Diagnosis

__all__ = ["asked_preflight", "browser_preflight_findings", "diagnose_preflight"]


def asked_preflight(request: SentRequest) -> Preflight:
    """Origin, requested method and requested headers of an OPTIONS request."""
    headers = request.header("access-control-request-headers") or ""
    return (
        request.header("origin") or "",
        (request.header("access-control-request-method") or "OPTIONS").strip(),
        [h.strip().lower() for h in headers.split(",") if h.strip()],
    )


def _cors_body(evidence: Evidence) -> bool:
    body = evidence.body
    return body is not None and (
        body.code == "AccessForbidden" or (body.code == "BadRequest" and "Origin" in body.message)
    )


def diagnose_preflight(
    url_text: str, url: PresignedUrl | None, request: SentRequest, evidence: Evidence
) -> Diagnosis:
    """The diagnosis of an OPTIONS request to ``url_text`` (``url``: the URL read, if presigned)."""
    asked = asked_preflight(request)
    body = evidence.body if _cors_body(evidence) else None
    headers = evidence.response_headers if evidence.status in (None, 200, 204) else None
    found, notes = preflight_findings(
        asked, body=body, response_headers=headers if body is None else None, rules=evidence.cors
    )
    if not asked[0] and evidence.body is None:
        found.insert(0, finding("cors-preflight-denied", "The preflight has no Origin header: S3 answers 400 BadRequest (browsers always send one; a hand-made test must add it).", strength=SUSPECTED, subject="origin"))  # fmt: skip
    if evidence.body is not None and body is None:
        found += check_error_body(evidence.body, None, request)[0]
    if evidence.status in (301, 302, 307, 308) and evidence.body is None:
        found.append(_redirected(evidence))
    if evidence.status is not None and evidence.status >= 400 and not found:
        found.append(finding("cors-preflight-denied", f"S3 answered the preflight with HTTP {evidence.status}.", strength=REPORTED))  # fmt: skip
    notes.append(
        "A preflight is not authenticated: its URL's signature is not checked, so no signature finding applies."
    )
    ranked = tuple(rank(found))
    return Diagnosis(
        verdict="problems" if ranked else "ok", findings=ranked, url=url, method="OPTIONS",
        error_body=evidence.body, notes=tuple(notes),
    )  # fmt: skip


def _redirected(evidence: Evidence) -> Finding:
    """``wrong-endpoint`` for a preflight answered with a redirect (CORS-10): a browser never
    follows it, and S3 redirects only to another endpoint (ADDR-10)."""
    location = {k.lower(): v for k, v in (evidence.response_headers or {}).items()}.get("location")
    where = f" to {location.split('?')[0]}" if location else ""
    return finding(
        "wrong-endpoint",
        f"S3 answered the preflight with HTTP {evidence.status}, a redirect{where}: a browser "
        "never follows a redirect of a preflight, so the upload fails as a CORS error. S3 "
        "redirects a request sent to an endpoint that does not serve the bucket (the global "
        "endpoint, for a bucket in another region).",
        strength=REPORTED,
        subject=location or "endpoint",
        evidence={"endpoint": location.split("/")[2]} if location and "//" in location else {},
    )


def browser_preflight_findings(request: SentRequest, evidence: Evidence) -> list[Finding]:
    """For a request from a page (an Origin header) and known CORS rules: would its preflight pass?"""
    origin = request.header("origin")
    if not origin or evidence.cors is None:
        return []
    needed, requested = browser_preflight(request.method, request.headers)
    if not needed:
        return []
    found, _ = preflight_findings((origin, request.method, requested), rules=evidence.cors)
    return [
        finding(f.code, "The browser's preflight for this request is refused: " + f.message[0].lower() + f.message[1:],
                strength=f.strength, subject=f.subject, evidence=f.evidence)
        for f in found
    ]  # fmt: skip
