"""Every rule an expected answer cites is a rule of docs/aws-behaviour.md."""

from __future__ import annotations

import re
from pathlib import Path

from presignlab.probing.expected import EXPECTED

SPEC = Path(__file__).resolve().parents[2] / "docs" / "aws-behaviour.md"


def test_every_cited_rule_is_in_the_spec() -> None:
    defined = set(re.findall(r"^\| ([A-Z]+(?:-[A-Z0-9]+)*-\d+) \|", SPEC.read_text(), re.M))
    cited = {rule for expected in EXPECTED.values() for rule in expected.rules}
    assert cited and cited <= defined, sorted(cited - defined)


def test_every_error_has_a_code_and_message_and_every_answer_a_rule() -> None:
    for case_id, expected in EXPECTED.items():
        assert expected.rules, case_id
        if expected.status >= 300:
            assert expected.code and expected.message, case_id
        else:
            assert expected.code is None and expected.message is None, case_id
