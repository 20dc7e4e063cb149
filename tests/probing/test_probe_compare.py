"""PROBE-01: same / differs, and which fields differ."""

from __future__ import annotations

from presignlab.probing.compare import DIFFERS, SAME, compare
from presignlab.probing.context import Observed
from presignlab.probing.expected import EXPECTED, Expected

DENIED = Expected(403, "AccessDenied", "Request has expired", ("AUTH-Q-05",))


def test_same_status_code_and_message() -> None:
    assert compare(DENIED, Observed(403, "AccessDenied", "Request has expired")).verdict == SAME


def test_a_success_body_is_not_compared() -> None:
    assert compare(Expected(200), Observed(200)).verdict == SAME


def test_another_message_differs_only_in_the_message() -> None:
    verdict = compare(DENIED, Observed(403, "AccessDenied", "Access Denied"))
    assert verdict.verdict == DIFFERS and verdict.differences == ("message",)
    assert verdict.label == "differs (message)"


def test_status_and_code_are_named_and_the_message_then_left_out() -> None:
    verdict = compare(DENIED, Observed(200))
    assert verdict.differences == ("status", "code")
    assert compare(DENIED, Observed(403, "SignatureDoesNotMatch", "x")).differences == ("code",)


def test_region_placeholders_are_filled() -> None:
    filled = EXPECTED["put-wrong-region"].for_region("eu-west-1", "us-west-2")
    assert "'us-west-2' is wrong; expecting 'eu-west-1'" in (filled.message or "")
    assert EXPECTED["put-good"].for_region("a", "b") == EXPECTED["put-good"]
