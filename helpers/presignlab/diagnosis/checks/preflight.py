"""Diagnose a CORS preflight: which of origin, method or requested headers S3 refused.

A preflight (OPTIONS with Origin and Access-Control-Request-Method) is not authenticated, so
it gets no signature findings: only S3's CORS answer (its error body, or the Access-Control-*
headers of a 200) and, when given, the bucket's CORS configuration say why a browser stopped.
Answers per reference section 3: no Origin gives 400 BadRequest; no configuration 403
"CORS is not enabled for this bucket."; no matching rule 403 "This CORS request is not
allowed..."; a missing bucket 403 "Bucket not found".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..error_body import S3ErrorBody
from ..findings import REPORTED, SUSPECTED, Finding, finding
from ..inputs.cors_config import CorsRule
from .cors_rules import RuleCheck, check_rules, first_match

__all__ = ["Preflight", "preflight_findings"]

Preflight = tuple[str, str, list[str]]  # origin, method, requested headers


def _closest(checks: Sequence[RuleCheck]) -> RuleCheck:
    return max(
        checks,
        key=lambda c: (c.origin_ok * 4 + c.method_ok * 2 + (not c.missing_headers), -c.index),
    )


def _rule_findings(rules: Sequence[CorsRule], asked: Preflight, strength: int) -> list[Finding]:
    origin, method, headers = asked
    checks = check_rules(rules, origin, method, headers)
    if first_match(checks) is not None:
        return []
    rule = _closest(checks)
    allowed = rules[rule.index]
    name = f"rule {rule.index + 1}" + (f" ({rule.rule_id})" if allowed.get("ID") else "")
    found = []
    if not rule.origin_ok:
        slash = " (a trailing '/' never matches)" if origin.endswith("/") else ""
        others = "" if any(c.origin_ok for c in checks) else " No rule lists this origin."
        found.append(finding(
            "cors-preflight-denied",
            f"The page's origin {origin} is not among the AllowedOrigins of {name}: "
            f"{allowed.get('AllowedOrigins')}{slash}.{others} An origin is the exact scheme, host "
            "and port of the page (http://localhost:8000 and http://127.0.0.1:8000 differ).",
            strength=strength, subject="origin", evidence={"origin": origin, "rule": rule.index + 1},
        ))  # fmt: skip
    if not rule.method_ok:
        found.append(finding(
            "cors-preflight-denied",
            f"The method {method} is not among the AllowedMethods of {name}: {allowed.get('AllowedMethods')}.",
            strength=strength, subject="method", evidence={"method": method, "rule": rule.index + 1},
        ))  # fmt: skip
    if rule.missing_headers:
        found.append(finding(
            "cors-preflight-denied",
            f"The requested header(s) {', '.join(rule.missing_headers)} match no AllowedHeaders "
            f"of {name}: {allowed.get('AllowedHeaders') or '(none)'}.",
            strength=strength, subject="header", evidence={"headers": list(rule.missing_headers), "rule": rule.index + 1},
        ))  # fmt: skip
    return found


def _answer_findings(body: S3ErrorBody | None, asked: Preflight) -> list[Finding]:
    if body is None:
        return []
    message = body.message
    if body.code == "BadRequest" and "Origin" in message:
        text = "S3 says the preflight had no Origin header (browsers always send one; a hand-made test must add it)."
    elif "not enabled" in message:
        text = "S3 says the bucket has no CORS configuration, so it refuses every preflight."
    elif "Bucket not found" in message:
        text = "S3 found no bucket for this preflight: check the bucket name and the endpoint."
    elif body.code == "AccessForbidden":
        origin, method, headers = asked
        text = (f"S3 found no CORS rule admitting origin {origin}, method {method}"
                + (f" and headers {', '.join(headers)}" if headers else "") + ".")  # fmt: skip
    else:
        return []
    return [finding("cors-preflight-denied", text, strength=REPORTED, subject="preflight")]


def _header_findings(response: Mapping[str, str], asked: Preflight) -> list[Finding]:
    origin, method, headers = asked
    lower = {k.lower(): v for k, v in response.items()}
    allow_origin = lower.get("access-control-allow-origin")
    problems = []
    if allow_origin not in (origin, "*"):
        problems.append(
            ("origin", f"Access-Control-Allow-Origin is {allow_origin!r}, not {origin}")
        )
    methods = [m.strip() for m in lower.get("access-control-allow-methods", "").split(",")]
    if allow_origin is not None and method not in methods:
        problems.append(("method", f"Access-Control-Allow-Methods {methods} lacks {method}"))
    granted = {h.strip().lower() for h in lower.get("access-control-allow-headers", "").split(",")}
    missing = [h for h in headers if h not in granted and "*" not in granted]
    if allow_origin is not None and missing:
        problems.append(("header", f"Access-Control-Allow-Headers lacks {', '.join(missing)}"))
    return [
        finding("cors-preflight-denied", f"S3 answered the preflight, but the browser refuses it: {why}.",
                strength=REPORTED, subject=subject)
        for subject, why in problems
    ]  # fmt: skip


def preflight_findings(
    asked: Preflight,
    *,
    body: S3ErrorBody | None = None,
    response_headers: Mapping[str, str] | None = None,
    rules: Sequence[CorsRule] | None = None,
) -> tuple[list[Finding], list[str]]:
    """Findings (all ``cors-preflight-denied``) and notes for the preflight ``asked``."""
    notes: list[str] = []
    found = _answer_findings(body, asked)
    if body is None and response_headers is not None:
        found += _header_findings(response_headers, asked)
    if rules is not None:
        if not rules:
            found.append(
                finding(
                    "cors-preflight-denied",
                    "The CORS configuration given has no rule.",
                    strength=SUSPECTED,
                )
            )
        else:
            from_rules = _rule_findings(rules, asked, REPORTED if found else SUSPECTED)
            if not from_rules and found:
                notes.append("The CORS configuration given admits this preflight, yet S3 refused it: "
                             "it is probably not the configuration of the bucket the request went to.")  # fmt: skip
            found += from_rules
    if body is None and response_headers is None and rules is None:
        notes.append("Neither S3's answer to the preflight nor the bucket's CORS configuration was "
                     "given, so the preflight could not be judged.")  # fmt: skip
    return found, notes
