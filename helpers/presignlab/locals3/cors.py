"""CORS for the strict local S3: preflight answers and Access-Control-* headers, as AWS sends them.

Reference §3 (LocalStack's CORS snapshots, validated against AWS) and the S3 developer guide,
"How does Amazon S3 evaluate the CORS configuration on a bucket?". A rule matches when the
Origin matches one of its AllowedOrigins (one ``*`` wildcard allowed, e.g. ``http://*.a.com``),
the method (Access-Control-Request-Method on a preflight, the request's own method otherwise)
is one of its AllowedMethods, and every requested header matches one of its AllowedHeaders
(case-insensitive, ``*`` wildcards allowed). The first matching rule wins.

Rules are CORSRules in boto3's shape: ``AllowedOrigins``, ``AllowedMethods``, and optionally
``AllowedHeaders``, ``ExposeHeaders``, ``MaxAgeSeconds``, ``ID``.
:func:`bucket_cors_rules` reads them from moto's S3 backend. moto's server also answers CORS by
itself (flask-cors on every response, getmoto/moto#8410, plus its own S3 rule matching); the
backend removes all of that before :func:`actual_response_headers` adds ours.

UNCONFIRMED choices:

* An empty ``Origin`` header counts as missing (400 BadRequest).
* A preflight with no bucket in the URL (service endpoint) is answered like a missing bucket.
* ``Access-Control-Allow-Origin`` is ``*`` only when the origin matched nothing but a bare ``*``
  entry of the rule; any other matching entry (``http://*.a.com`` too) echoes the Origin.
* Origin and method matching is case-sensitive; header matching is case-insensitive.
* On an actual (non-OPTIONS) request, Access-Control-Request-Headers is ignored for matching, and
  no ``Vary`` is sent when no rule matches.
* Header order: Allow-Origin, Allow-Methods, Allow-Headers, Expose-Headers, Max-Age,
  Allow-Credentials, Vary (the preflight adds Content-Length: 0 first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..signing.sent_request import SentRequest
from .backend import state
from .wire.catalogue import access_forbidden, bad_request
from .wire.request import S3Request

__all__ = [
    "NOT_ALLOWED_MESSAGE",
    "VARY",
    "actual_response_headers",
    "bucket_cors_rules",
    "match_rule",
    "preflight",
    "preflight_for",
    "request_headers",
]

NOT_ALLOWED_MESSAGE = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
    "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are "
    "not whitelisted by the resource's CORS spec."
)
VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

CorsRule = dict[str, Any]


def _wildcard(pattern: str, value: str, *, ignore_case: bool) -> bool:
    flags = re.IGNORECASE if ignore_case else 0
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, flags) is not None


def _requested_headers(request: SentRequest) -> list[str]:
    raw = request.header("access-control-request-headers") or ""
    return [name.strip().lower() for name in raw.split(",") if name.strip()]


def _origin_answer(rule: CorsRule, origin: str) -> str | None:
    """The Allow-Origin value if ``origin`` matches the rule, else None."""
    patterns = list(rule.get("AllowedOrigins") or [])
    if any(p != "*" and _wildcard(p, origin, ignore_case=False) for p in patterns):
        return origin
    return "*" if "*" in patterns else None


def match_rule(
    rules: Sequence[CorsRule], origin: str, method: str, headers: Iterable[str] = ()
) -> tuple[CorsRule, str] | None:
    """The first rule matching origin, method and requested headers, with its Allow-Origin value."""
    wanted = list(headers)
    for rule in rules:
        allow_origin = _origin_answer(rule, origin)
        if allow_origin is None or method not in (rule.get("AllowedMethods") or []):
            continue
        allowed = list(rule.get("AllowedHeaders") or [])
        if all(any(_wildcard(a, h, ignore_case=True) for a in allowed) for h in wanted):
            return rule, allow_origin
    return None


def _headers_for(rule: CorsRule, allow_origin: str, requested: list[str]) -> list[tuple[str, str]]:
    out = [
        ("Access-Control-Allow-Origin", allow_origin),
        ("Access-Control-Allow-Methods", ", ".join(rule.get("AllowedMethods") or [])),
    ]
    if requested:
        out.append(("Access-Control-Allow-Headers", ", ".join(requested)))
    if rule.get("ExposeHeaders"):
        out.append(("Access-Control-Expose-Headers", ", ".join(rule["ExposeHeaders"])))
    if rule.get("MaxAgeSeconds") is not None:
        out.append(("Access-Control-Max-Age", str(rule["MaxAgeSeconds"])))
    if allow_origin != "*":
        out.append(("Access-Control-Allow-Credentials", "true"))
    out.append(("Vary", VARY))
    return out


def preflight(
    request: SentRequest,
    *,
    bucket: str | None,
    key: str | None,
    rules: Sequence[CorsRule] | None,
    bucket_exists: bool,
) -> list[tuple[str, str]]:
    """Answer an OPTIONS preflight: the 200 headers (empty body), or raise the S3Error AWS sends.

    Order (§3): no Origin (400 BadRequest, even for a missing bucket); missing bucket; no CORS
    configuration; no matching rule (ResourceType OBJECT when ``key`` is set).
    """
    origin = request.header("origin")
    if not origin:
        raise bad_request("Insufficient information. Origin request header needed.")
    method = request.header("access-control-request-method") or "OPTIONS"
    if not bucket or not bucket_exists:
        raise access_forbidden("CORSResponse: Bucket not found", method, "BUCKET")
    if not rules:
        raise access_forbidden(
            "CORSResponse: CORS is not enabled for this bucket.", method, "BUCKET"
        )
    requested = _requested_headers(request)
    found = match_rule(rules, origin, method, requested)
    if found is None:
        raise access_forbidden(NOT_ALLOWED_MESSAGE, method, "OBJECT" if key else "BUCKET")
    rule, allow_origin = found
    return [("Content-Length", "0"), *_headers_for(rule, allow_origin, requested)]


def actual_response_headers(
    request: SentRequest, rules: Sequence[CorsRule] | None
) -> list[tuple[str, str]]:
    """The Access-Control-* headers for a GET/PUT/POST/HEAD/DELETE answer ([] if none apply)."""
    origin = request.header("origin")
    if not origin or not rules:
        return []
    found = match_rule(rules, origin, request.method.upper())
    if found is None:
        return []
    rule, allow_origin = found
    return _headers_for(rule, allow_origin, _requested_headers(request))


def bucket_cors_rules(account_id: str, bucket: str) -> list[CorsRule] | None:
    """The bucket's CORSRules in boto3's shape; None when the bucket does not exist."""
    return state.cors_rules(account_id, bucket)


def preflight_for(req: S3Request, account_id: str) -> list[tuple[str, str]]:
    """Answer the OPTIONS preflight ``req`` (no authentication) with its bucket's CORS rules."""
    rules = bucket_cors_rules(account_id, req.bucket) if req.bucket else None
    return preflight(
        req.sent, bucket=req.bucket, key=req.key, rules=rules, bucket_exists=rules is not None
    )


def request_headers(req: S3Request, account_id: str) -> list[tuple[str, str]]:
    """The Access-Control-* headers of an actual (non-OPTIONS) answer, if a rule matches."""
    if req.bucket is None or req.header("origin") is None or req.method == "OPTIONS":
        return []
    if (
        req.header("access-control-request-method") is not None
        or req.header("access-control-request-headers") is not None
    ):
        return []  # CORS-07, CHOICE-15: preflight headers on an actual request: none
    return actual_response_headers(req.sent, bucket_cors_rules(account_id, req.bucket))
