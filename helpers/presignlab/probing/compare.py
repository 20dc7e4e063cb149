"""How one answer compares with AWS's (PROBE-01): same, differs, not applicable, skipped.

``same``: the status, the ``Code`` and, when AWS's answer is an error, the exact ``Message``
are AWS's. ``differs`` names what is not: ``status`` and/or ``code``, or else ``message`` (a
message is only compared when the status and code are AWS's). ``not applicable``:
the endpoint refused the set-up the case needs. ``skipped``: the probe could not perform the
case here (a clock it cannot move) or the request failed before any answer (``error``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .context import Observed
from .expected import Expected

__all__ = ["SAME", "DIFFERS", "NOT_APPLICABLE", "SKIPPED", "VERDICTS", "Verdict", "compare"]

SAME = "same"
DIFFERS = "differs"
NOT_APPLICABLE = "not applicable"
SKIPPED = "skipped"
#: Every verdict, in the order summaries count them.
VERDICTS = (SAME, DIFFERS, NOT_APPLICABLE, SKIPPED)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one case, the fields that differ, and the reason for n/a or skipped."""

    verdict: str
    differences: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def label(self) -> str:
        """``differs (message)``, ``skipped: why`` or the bare verdict."""
        if self.differences:
            return f"{self.verdict} ({', '.join(self.differences)})"
        return self.verdict

    def to_dict(self) -> dict[str, Any]:
        """``{"verdict", "differences", "reason"}``."""
        return {
            "verdict": self.verdict,
            "differences": list(self.differences),
            "reason": self.reason,
        }


def compare(expected: Expected, observed: Observed) -> Verdict:
    """``same`` or ``differs`` for an answer the endpoint gave."""
    differences = []
    if observed.status != expected.status:
        differences.append("status")
    if observed.code != expected.code:
        differences.append("code")
    if not differences and expected.message is not None and observed.message != expected.message:
        differences.append("message")
    return Verdict(DIFFERS if differences else SAME, tuple(differences))
