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
itself (flask-cors on every response, getmoto/moto#8410, plus its own S3 rule matching):
:func:`strip_moto_cors_headers` removes all of that before :func:`actual_response_headers`
adds ours.

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

from ..query_auth import SentRequest
from .wire.errors import S3Error

__all__ = [
    "NOT_ALLOWED_MESSAGE",
    "VARY",
    "actual_response_headers",
    "bucket_cors_rules",
    "match_rule",
    "preflight",
    "strip_moto_cors_headers",
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


def _forbidden(message: str, method: str, resource_type: str) -> S3Error:
    return S3Error(
        403, "AccessForbidden", message, (("Method", method), ("ResourceType", resource_type))
    )


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
        raise S3Error(400, "BadRequest", "Insufficient information. Origin request header needed.")
    method = request.header("access-control-request-method") or "OPTIONS"
    if not bucket or not bucket_exists:
        raise _forbidden("CORSResponse: Bucket not found", method, "BUCKET")
    if not rules:
        raise _forbidden("CORSResponse: CORS is not enabled for this bucket.", method, "BUCKET")
    requested = _requested_headers(request)
    found = match_rule(rules, origin, method, requested)
    if found is None:
        raise _forbidden(NOT_ALLOWED_MESSAGE, method, "OBJECT" if key else "BUCKET")
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


def strip_moto_cors_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` without the CORS headers moto (and flask-cors inside it) added on its own.

    Every ``Access-Control-*`` header goes; ``Origin`` is removed from ``Vary`` (the header is
    dropped when nothing else is left in it).
    """
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower.startswith("access-control-"):
            continue
        if lower == "vary":
            kept = [
                v.strip() for v in value.split(",") if v.strip() and v.strip().lower() != "origin"
            ]
            if not kept:
                continue
            value = ", ".join(kept)
        out.append((name, value))
    return out


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def bucket_cors_rules(account_id: str, bucket: str) -> list[CorsRule] | None:
    """The bucket's CORSRules read from moto, in boto3's shape; None when the bucket does not exist.

    An empty list means the bucket has no CORS configuration. moto keeps MaxAgeSeconds as text.
    """
    from moto.s3.models import s3_backends

    found = s3_backends[account_id]["aws"].buckets.get(bucket)
    if found is None:
        return None
    rules: list[CorsRule] = []
    for moto_rule in found.cors:
        rule: CorsRule = {
            "AllowedMethods": _as_list(moto_rule.allowed_methods),
            "AllowedOrigins": _as_list(moto_rule.allowed_origins),
        }
        if moto_rule.allowed_headers:
            rule["AllowedHeaders"] = _as_list(moto_rule.allowed_headers)
        if moto_rule.exposed_headers:
            rule["ExposeHeaders"] = _as_list(moto_rule.exposed_headers)
        age = moto_rule.max_age_seconds
        if age is not None and str(age).strip().lstrip("-").isdigit():
            rule["MaxAgeSeconds"] = int(str(age).strip())
        if moto_rule.id_:
            rule["ID"] = str(moto_rule.id_)
        rules.append(rule)
    return rules
