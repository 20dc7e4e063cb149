"""Which CORS rule admits a browser request, and if none does, what each rule lacks.

Matching as S3 does it (S3 User Guide, "How does Amazon S3 evaluate the CORS configuration
on a bucket?"; reference section 3): a rule applies when the Origin matches one of its
AllowedOrigins (one ``*`` wildcard allowed, a trailing ``/`` does not match), the method is
one of its AllowedMethods, and every header in Access-Control-Request-Headers matches one of
its AllowedHeaders (case-insensitive, ``*`` wildcards); the first such rule wins.

:func:`browser_preflight` says which preflight a browser sends before a request (Fetch
standard: methods other than GET, HEAD and POST, or headers that are not CORS-safelisted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..inputs.cors_config import CorsRule

__all__ = ["RuleCheck", "browser_preflight", "check_rules", "first_match"]

_SIMPLE_METHODS = frozenset({"GET", "HEAD", "POST"})
_SAFE_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
#: Headers a page cannot set (the browser sets or refuses them); they never appear in a preflight.
_FORBIDDEN = frozenset(
    {"accept-charset", "accept-encoding", "access-control-request-headers",
     "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
     "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "te", "trailer",
     "transfer-encoding", "upgrade", "via", "user-agent"}
)  # fmt: skip


@dataclass(frozen=True)
class RuleCheck:
    """How one rule fares: its position and id, and which of origin, method and headers fail."""

    index: int
    rule_id: str
    origin_ok: bool
    method_ok: bool
    missing_headers: tuple[str, ...]

    @property
    def matches(self) -> bool:
        """True when the rule admits the request."""
        return self.origin_ok and self.method_ok and not self.missing_headers


def _wildcard(pattern: str, value: str, *, ignore_case: bool) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def check_rules(
    rules: Sequence[CorsRule], origin: str, method: str, headers: Iterable[str]
) -> list[RuleCheck]:
    """One :class:`RuleCheck` per rule, in order."""
    wanted = [h.strip().lower() for h in headers if h.strip()]
    out = []
    for i, rule in enumerate(rules):
        origins = list(rule.get("AllowedOrigins") or [])
        allowed = list(rule.get("AllowedHeaders") or [])
        missing = tuple(
            h for h in wanted if not any(_wildcard(a, h, ignore_case=True) for a in allowed)
        )
        out.append(
            RuleCheck(
                i,
                str(rule.get("ID") or f"rule {i + 1}"),
                any(_wildcard(p, origin, ignore_case=False) for p in origins),
                method in (rule.get("AllowedMethods") or []),
                missing,
            )
        )
    return out


def first_match(checks: Sequence[RuleCheck]) -> RuleCheck | None:
    """The rule S3 applies (the first that matches), or None."""
    return next((c for c in checks if c.matches), None)


def browser_preflight(method: str, headers: Iterable[tuple[str, str]]) -> tuple[bool, list[str]]:
    """Whether a browser preflights ``method`` with ``headers``, and its Access-Control-Request-Headers."""
    names = set()
    for name, value in headers:
        lower = name.lower()
        if lower in _FORBIDDEN or lower.startswith(("sec-", "proxy-")):
            continue
        if lower in ("accept", "accept-language", "content-language"):
            continue
        if lower == "content-type" and value.split(";")[0].strip().lower() in _SAFE_TYPES:
            continue
        names.add(lower)
    requested = sorted(names)
    return method.upper() not in _SIMPLE_METHODS or bool(requested), requested
