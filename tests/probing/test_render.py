"""The text table, the HTML table and the summary line."""

from __future__ import annotations

from presignlab.probing.compare import NOT_APPLICABLE, Verdict, compare
from presignlab.probing.context import Observed
from presignlab.probing.expected import EXPECTED
from presignlab.probing.render import summary
from presignlab.probing.result import ProbeReport, Row


def _report() -> ProbeReport:
    report = ProbeReport("http://x", "other", "eu-west-1", "2026-03-01T12:00:00Z", {})
    expired = EXPECTED["url-expired"]
    wrong = Observed(403, "AccessDenied", "Access <Denied>")
    report.rows += [
        Row("url-expired", "expired", "expiry", expired, wrong, compare(expired, wrong)),
        Row("cors-allowed", "cors", "cors", EXPECTED["cors-allowed"], None,
            Verdict(NOT_APPLICABLE, reason="needs PutBucketCors (NotImplemented)")),
    ]  # fmt: skip
    return report


def test_text_table_prints_both_messages_of_a_message_difference() -> None:
    lines = str(_report()).splitlines()
    assert lines[0] == "presignlab probe: other endpoint, region eu-west-1"
    assert lines[3].split() == ["url-expired", "403", "AccessDenied", "403", "AccessDenied", "differs", "(message)"]  # fmt: skip
    assert lines[4] == "    AWS:      Request has expired"
    assert lines[5] == "    endpoint: Access <Denied>"
    assert lines[6].endswith("not applicable: needs PutBucketCors (NotImplemented)")
    assert lines[-1] == "0 same, 1 differs, 1 not applicable, 0 skipped"


def test_html_escapes_and_colours() -> None:
    html = _report()._repr_html_()
    assert html.startswith("<table><caption")
    assert "Access &lt;Denied&gt;" in html and "<Denied>" not in html
    assert "color:#cf222e" in html and "AUTH-Q-05" in html


def test_interrupted_summary() -> None:
    report = _report()
    report.interrupted = True
    assert summary(report).endswith("(interrupted)")
