"""Findings: one cause of failure each, with its stable code, a message and the fix.

A :class:`Finding` carries a ``strength``: :data:`CONFIRMED` when it is certain (a fact of the
URL, or a cause proved by recomputing the signature), :data:`REPORTED` when S3's error body
says it, :data:`SUSPECTED` when it is a heuristic about the URL and the request. :func:`rank` orders findings the way S3
evaluates a request (the order of :data:`~presignlab.diagnosis.codes.FINDING_CODES`), with
confirmed causes first among the signature-related ones, and drops duplicates. A cause that
is only suspected to lie outside the request (:data:`LAST_RESORT`: the secret key, or "nothing
explains it") comes after every other finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .codes import CODES, FINDING_CODES, SIGNATURE_CODES

__all__ = [
    "CONFIRMED",
    "LAST_RESORT",
    "REPORTED",
    "SIGNATURE_CODES",
    "SUSPECTED",
    "Finding",
    "finding",
    "rank",
]

CONFIRMED = 3
REPORTED = 2
SUSPECTED = 1

_ORDER = {c.code: i for i, c in enumerate(FINDING_CODES)}
#: Codes ranked last of all when only suspected: they blame no part of the request.
LAST_RESORT = frozenset({"wrong-secret-key", "signature-mismatch-unexplained"})
_SIGNATURE_RANK = min(_ORDER[c] for c in SIGNATURE_CODES)


@dataclass(frozen=True)
class Finding:
    """A cause of failure. ``subject`` is what it is about (a header or parameter name, ...)."""

    code: str
    message: str
    fix: str
    strength: int = SUSPECTED
    subject: str = ""
    evidence: dict[str, object] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, object]:
        """``{code, message, fix}`` plus ``confidence`` and any evidence."""
        data: dict[str, object] = {"code": self.code, "message": self.message, "fix": self.fix}
        data["confidence"] = {CONFIRMED: "confirmed", REPORTED: "reported-by-s3"}.get(
            self.strength, "suspected"
        )
        if self.evidence:
            data["evidence"] = self.evidence
        return data


def finding(
    code: str,
    message: str,
    *,
    fix: str | None = None,
    strength: int = SUSPECTED,
    subject: str = "",
    evidence: dict[str, object] | None = None,
) -> Finding:
    """A :class:`Finding` for a known ``code``; ``fix`` defaults to the code's documented fix."""
    known = CODES[code]  # an unknown code is a programming error, caught by the tests
    return Finding(code, message, fix or known.fix, strength, subject, dict(evidence or {}))


def _key(item: Finding) -> tuple[int, int, int]:
    order = _ORDER[item.code]
    if item.code in LAST_RESORT and item.strength == SUSPECTED:
        return (len(_ORDER), 0, order)
    if item.code in SIGNATURE_CODES:
        return (_SIGNATURE_RANK, -item.strength, order)
    return (order, -item.strength, 0)


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Most likely cause first; for the same code and subject only the strongest is kept."""
    best: dict[tuple[str, str], Finding] = {}
    for item in findings:
        key = (item.code, item.subject)
        if key not in best or item.strength > best[key].strength:
            best[key] = item
    return sorted(best.values(), key=_key)
