"""The corpus of reconstructed failures: diagnose names each established cause first, and never
confirms anything else (a wrong "confirmed" is worse than no answer)."""

from __future__ import annotations

from typing import Any

import pytest

from presignlab.diagnosis import diagnose
from support.diagnosis_corpus import ACCEPTED, CASES, Case


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 50 and len({c.name for c in CASES}) == len(CASES)
    assert len({code for c in CASES for code in c.causes}) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_diagnose_names_the_established_cause(case: Case) -> None:
    result = diagnose(**case.build())
    assert result.verdict == "problems", (case.source, result.to_dict())
    assert result.codes[0] in case.causes, (
        case.source,
        [(f.code, f.message) for f in result.findings],
    )
    confirmed = {f.code for f in result.findings if f.to_dict()["confidence"] == "confirmed"}
    assert confirmed <= case.causes | case.also_confirmed, (case.source, confirmed)


@pytest.mark.parametrize("name, source, build", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_requests_s3_accepts_are_not_called_failures(name: str, source: str, build: Any) -> None:
    result = diagnose(**build())
    assert result.verdict == "ok", (source, result.codes)
    assert result.signature_matches is True
