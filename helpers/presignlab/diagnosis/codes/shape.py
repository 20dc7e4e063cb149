"""The shape of one stable finding code (the data lives in :mod:`.codes_request` and :mod:`.codes_refusal`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FindingCode"]


@dataclass(frozen=True)
class FindingCode:
    """One stable finding code: its meaning, the fix, and what S3 answers."""

    code: str
    meaning: str
    fix: str
    s3_answer: str
